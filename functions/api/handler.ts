/**
 * The HTTP API (coordinator and offices): cycles, office lists, tokens, status, publish/return, dry-run.
 * Thin: build the adapters once per container, route, map errors to `{ "error": "…" }`.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { depsFromEnv, logger } from '../../shared/aws/deps';
import { observed } from '../../shared/aws/observe';
import type { ReportChecker } from '../../shared/cycle/checker';
import { errorResult, NOT_VIA_SITE, requestId, viaCloudFront } from '../http';
import { route } from './router';

/** Only POST /validate reads a report: the readers and rules load on its first call, not with the API. */
const checkOnDemand: ReportChecker = async (input) => (await import('../../shared/cycle/checker')).defaultChecker(input);

export const handler = observed(async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  if (!viaCloudFront(event)) return NOT_VIA_SITE;
  try {
    return await route(depsFromEnv(checkOnDemand), event);
  } catch (e) {
    return errorResult(e, (m, d) => logger.error(m, d));
  }
}, requestId);
