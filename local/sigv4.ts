/**
 * Verifies an AWS Signature Version 4 `Authorization` header, as AWS does, for the local runtime's Lambda
 * Invoke endpoint (the archive trigger calls it through @aws-sdk/client-lambda, signed with the local
 * credentials). A request that is not signed with a known key, or whose signature, date or scope is wrong,
 * is refused: a web page cannot make the browser sign anything, so cross-site POSTs cannot invoke functions.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();
const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
/** RFC 3986 escaping as the SDK does it (encodeURIComponent plus !'()*). */
const escape = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export interface SignedRequest {
  method: string;
  /** The raw path as sent (already escaped once by the client). */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export type SigV4Result = { ok: true; accessKeyId: string } | { ok: false; reason: string };

/**
 * `secretOf(accessKeyId)`: the secret of a known key, else undefined. `doubleEscapePath`: true for every
 * service except S3 (the SDK escapes each path segment again before signing).
 */
export function verifySigV4(
  req: SignedRequest,
  secretOf: (accessKeyId: string) => string | undefined,
  options: { service: string; now?: Date; maxSkewMs?: number; doubleEscapePath?: boolean },
): SigV4Result {
  const auth = String(req.headers.authorization ?? '');
  const m = /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/.exec(auth);
  if (!m) return { ok: false, reason: 'missing or malformed SigV4 Authorization header' };
  const [, accessKeyId, date, region, service, signedHeaderList, signature] = m;
  const secret = secretOf(accessKeyId);
  if (!secret) return { ok: false, reason: 'unknown access key' };
  if (service !== options.service) return { ok: false, reason: `credential scope is for ${service}` };
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  if (!/^\d{8}T\d{6}Z$/.test(amzDate) || amzDate.slice(0, 8) !== date) return { ok: false, reason: 'bad x-amz-date' };
  const at = Date.parse(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`);
  if (Math.abs((options.now ?? new Date()).getTime() - at) > (options.maxSkewMs ?? 15 * 60_000)) return { ok: false, reason: 'request time too skewed' };
  const signed = signedHeaderList.split(';');
  if (!signed.includes('host') || !signed.includes('x-amz-date')) return { ok: false, reason: 'host and x-amz-date must be signed' };

  const canonicalPath = options.doubleEscapePath === false ? req.path : req.path.split('/').map(escape).join('/');
  const canonicalQuery = [...req.query.entries()]
    .map(([k, v]) => [escape(k), escape(v)])
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalHeaders = signed.map((h) => {
    const v = req.headers[h];
    return `${h}:${(Array.isArray(v) ? v.join(',') : String(v ?? '')).trim().replace(/\s+/g, ' ')}\n`;
  });
  const payloadHash = String(req.headers['x-amz-content-sha256'] ?? sha256(req.body));
  const canonicalRequest = [req.method.toUpperCase(), canonicalPath, canonicalQuery, canonicalHeaders.join(''), signedHeaderList, payloadHash].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
  const expected = createHmac('sha256', key).update(stringToSign, 'utf8').digest();
  if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) return { ok: false, reason: 'signature does not match' };
  return { ok: true, accessKeyId };
}
