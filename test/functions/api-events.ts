/**
 * HTTP API events for the api function's router on in-memory ports, as API Gateway (payload 2.0) hands them
 * over, and the router's answer as the handler would send it (a thrown error becomes its HTTP error).
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { route } from '../../functions/api/router';
import { errorResult } from '../../functions/http';
import type { World } from '../cycle/helpers';

export const COORDINATOR = 'coordinator-token-0123456789abcdefghijklmnop';

export interface EventOptions {
  token?: string;
  /** A string as it is, a Buffer base64-encoded as the gateway sends binary bodies, anything else as JSON. */
  body?: unknown;
  type?: string;
  query?: Record<string, string>;
}

export function apiEvent(method: string, path: string, options: EventOptions = {}): APIGatewayProxyEventV2 {
  const { token, body, query } = options;
  const binary = Buffer.isBuffer(body);
  const json = body !== undefined && !binary && typeof body !== 'string';
  const type = options.type ?? (json ? 'application/json' : undefined);
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    queryStringParameters: query,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(type ? { 'content-type': type } : {}) },
    requestContext: { http: { method, path } } as APIGatewayProxyEventV2['requestContext'],
    body: body === undefined ? undefined : binary ? body.toString('base64') : json ? JSON.stringify(body) : (body as string),
    isBase64Encoded: binary,
  } as APIGatewayProxyEventV2;
}

/** The router's result, or the error result the handler would send for what it threw. */
export async function routed(w: World, e: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  try {
    return await route(w.deps, e);
  } catch (err) {
    return errorResult(err, () => undefined);
  }
}

/** Status and JSON body. */
export async function routedJson(w: World, e: APIGatewayProxyEventV2): Promise<{ status: number | undefined; body: ReturnType<typeof JSON.parse> }> {
  const r = await routed(w, e);
  return { status: r.statusCode, body: JSON.parse(String(r.body)) };
}
