/**
 * Observability in one place. Every handler (functions/*) is wrapped by `observed`, which gives the
 * Powertools logger the Lambda context and the event's correlation id, counts a failed invocation, and
 * flushes the metrics the invocation counted. Metrics are CloudWatch embedded metric format: lines in the
 * function's own log, so no API call and no permission; namespace `nianbao`, dimension `service`
 * (`nianbao-{function}`, from POWERTOOLS_SERVICE_NAME). The names say what happened (Metric in
 * shared/cycle/ports.ts); alarms are built on them.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import type { Counter } from '../cycle/ports';

const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'nianbao';

export const logger = new Logger({ serviceName });
export const metrics = new Metrics({ namespace: 'nianbao', serviceName });

/** The use cases' counter (CycleDeps.count) and the handlers'. */
export const count: Counter = (metric, n = 1) => void metrics.addMetric(metric, MetricUnit.Count, n);

/**
 * `handler` with the logger given the invocation's context and correlation id (`correlationId` of the event,
 * else Lambda's request id), a `Failed` count when it throws, and the invocation's metrics flushed.
 */
export function observed<E, R>(
  handler: (event: E, context?: Context) => Promise<R>,
  correlationId: (event: E) => string | null | undefined,
): (event: E, context?: Context) => Promise<R> {
  return async (event, context) => {
    if (context) logger.addContext(context);
    const id = (event ? correlationId(event) : null) ?? context?.awsRequestId;
    if (id) logger.setCorrelationId(id);
    try {
      return await handler(event, context);
    } catch (e) {
      logger.error('invocation failed', e as Error);
      count('Failed');
      throw e;
    } finally {
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
      logger.resetKeys();
    }
  };
}
