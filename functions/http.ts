/** HTTP API (payload v2) helpers shared by the api and issue-upload functions: body decoding, JSON replies, errors. */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { timingSafeEqual, createHash } from 'node:crypto';
import { CycleError, HTTP_STATUS } from '../shared/cycle/errors';
import { ENV, ORIGIN_VERIFY_HEADER } from '../shared/resources';

export type Result = APIGatewayProxyStructuredResultV2;

export function json(statusCode: number, body: unknown): Result {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    body: JSON.stringify(body),
  };
}

export function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const h = event.headers ?? {};
  const key = Object.keys(h).find((k) => k.toLowerCase() === name.toLowerCase());
  return key ? h[key] : undefined;
}

/**
 * Whether the request came through CloudFront (issue 13.6): when ORIGIN_VERIFY is configured, the header
 * CloudFront adds must carry it; a request to the API's own execute-api URL has no such header.
 */
export function viaCloudFront(event: APIGatewayProxyEventV2): boolean {
  const expected = process.env[ENV.originVerify];
  if (!expected) return true;
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(header(event, ORIGIN_VERIFY_HEADER) ?? ''), digest(expected));
}

/** The answer to a request that bypassed CloudFront. */
export const NOT_VIA_SITE = { statusCode: 403, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify({ error: '请通过站点地址访问接口' }) };

export function bodyBytes(event: APIGatewayProxyEventV2): Uint8Array {
  if (!event.body) return new Uint8Array();
  return event.isBase64Encoded ? new Uint8Array(Buffer.from(event.body, 'base64')) : new TextEncoder().encode(event.body);
}

/**
 * A file sent to the API (an office list, a report): the raw bytes with a binary Content-Type such as
 * application/octet-stream or the file's own type (API Gateway then passes them base64-encoded, byte for byte),
 * or JSON { contentBase64, fileName? }. A body sent as text (text/csv, a form) reaches the function already
 * decoded as UTF-8 by the gateway: a GBK file saved by Excel has lost its bytes there, turned into U+FFFD, so
 * such a body is refused with how to send it instead of being read as garbage.
 */
export function fileBody(event: APIGatewayProxyEventV2): { bytes: Uint8Array; fileName: string | null } {
  const bytes = bodyBytes(event);
  if (bytes.length === 0) throw new CycleError('invalid', '请求体为空：请提交文件内容');
  const type = (header(event, 'content-type') ?? '').toLowerCase();
  if (type.includes('json')) {
    const body = bodyJson(event);
    if (typeof body.contentBase64 !== 'string' || !body.contentBase64) throw new CycleError('invalid', 'JSON 请求体应为 { "contentBase64": 文件的 base64, "fileName": 文件名 }');
    const fileName = typeof body.fileName === 'string' ? body.fileName.slice(0, 200) : null;
    return { bytes: new Uint8Array(Buffer.from(body.contentBase64, 'base64')), fileName };
  }
  if (!event.isBase64Encoded && event.body?.includes('\uFFFD')) {
    throw new CycleError('invalid', '文件内容在传输中已损坏（以文本方式发送了非 UTF-8 文件）。请以 Content-Type: application/octet-stream 发送原文件，或用 JSON { contentBase64 } 发送');
  }
  return { bytes, fileName: null };
}

export function bodyJson(event: APIGatewayProxyEventV2): Record<string, unknown> {
  const text = Buffer.from(bodyBytes(event)).toString('utf8').trim();
  if (!text) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CycleError('invalid', '请求体不是有效的 JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new CycleError('invalid', '请求体应为 JSON 对象');
  return value as Record<string, unknown>;
}

/** Domain errors → their status with the Chinese message; anything else → 500 without internals. */
export function errorResult(e: unknown, log: (message: string, data: Record<string, unknown>) => void): Result {
  if (e instanceof CycleError) return json(HTTP_STATUS[e.kind], { error: e.message });
  log('unhandled error', { error: e instanceof Error ? { name: e.name, message: e.message, stack: e.stack } : String(e) });
  return json(500, { error: '服务器内部错误，请稍后重试；如持续出现请联系政务公开办' });
}

/** The correlation id of a request: API Gateway's request id (also in its access log). */
export const requestId = (event: APIGatewayProxyEventV2) => event.requestContext?.requestId;

/** Path segments after splitting rawPath; '' segments removed (a trailing slash is tolerated). */
export function segments(event: APIGatewayProxyEventV2): string[] {
  return (event.rawPath ?? '/').split('/').filter(Boolean).map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  });
}
