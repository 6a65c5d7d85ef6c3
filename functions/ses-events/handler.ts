/**
 * SES configuration-set events via SNS → the office's audit trail (bounces, complaints, delays). A permanent
 * bounce or a complaint marks the address undeliverable and tells the coordinators (shared/cycle/mail-events).
 */
import type { SNSEvent } from 'aws-lambda';
import { depsFromEnv, logger } from '../../shared/aws/deps';
import { count, observed } from '../../shared/aws/observe';
import { recordMailEvent, type MailEventOutcome, type SesEventMessage } from '../../shared/cycle/mail-events';

export const handler = observed(record, (event) => event.Records?.[0]?.Sns?.MessageId);

async function record(event: SNSEvent): Promise<{ results: MailEventOutcome[] }> {
  const deps = depsFromEnv();
  const results: MailEventOutcome[] = [];
  for (const record of event.Records ?? []) {
    let message: SesEventMessage;
    try {
      message = JSON.parse(record.Sns.Message) as SesEventMessage;
    } catch {
      logger.warn('SNS message is not JSON', { messageId: record.Sns.MessageId });
      results.push({ outcome: 'ignored', reason: 'not JSON' });
      continue;
    }
    const result = await recordMailEvent(deps, message);
    if (result.outcome === 'recorded' && result.undeliverable?.length) {
      logger.warn('contact undeliverable', { action: result.action, count: result.undeliverable.length, coordinatorsNotified: result.coordinatorsNotified });
      count('MailUndeliverable', result.undeliverable.length);
    }
    results.push(result);
  }
  return { results };
}
