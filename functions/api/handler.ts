/**
 * The HTTP API (coordinator and offices): cycles, office lists, tokens, status, publish/return, dry-run.
 * Thin: build the adapters once per container, route, map errors to `{ "error": "…" }`.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { depsFromEnv, logger } from '../../shared/aws/deps';
import { errorResult } from '../http';
import { route } from './router';

export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  try {
    return await route(depsFromEnv(), event);
  } catch (e) {
    return errorResult(e, (m, d) => logger.error(m, d));
  }
}
