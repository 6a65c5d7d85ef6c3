/**
 * S3 on 127.0.0.1: s3rver in-process on an internal port, behind a small front server that
 * verifies presigned POST uploads (policy signature, expiry, conditions: s3rver checks none of
 * them) and proxies everything else unchanged. The front port is the S3 endpoint everyone uses,
 * so presigned POST URLs point at the verifier.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import { UPLOAD_LIMITS } from '../shared/resources';
import { verifyPostPolicy } from './post-policy';
import { readBody } from './gateway';
import { verifySigV4 } from './sigv4';

// s3rver ships no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require('s3rver');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AWSAccount = require('s3rver/lib/models/account');

/** What s3rver tells us about a created object (its own event shape, normalised). */
export interface ObjectCreated {
  eventName: string;
  bucket: string;
  /** Raw (decoded) key. */
  key: string;
  size: number;
  eTag?: string;
  sourceIp: string;
}

export interface S3Local {
  endpoint: string;
  /** Emits 'created' with ObjectCreated. */
  events: EventEmitter;
  /** Counts of POST uploads the verifier refused, by S3 error code. */
  refused: Record<string, number>;
  /**
   * Clock skew for the verifier, per key prefix: lets a test present a real ticket "16 minutes
   * later" without waiting and without disturbing uploads under other prefixes.
   */
  skewMs: Map<string, number>;
  /**
   * An outage: both listening sockets close and every open connection is cut, as if the process died;
   * the stored objects stay on disk. Requests meanwhile fail with connection refused.
   */
  crash(): Promise<void>;
  /** Back on the same ports with the same objects (after crash()). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const CORS_XML = `<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin>
<AllowedMethod>GET</AllowedMethod><AllowedMethod>HEAD</AllowedMethod><AllowedMethod>POST</AllowedMethod>
<AllowedHeader>*</AllowedHeader><ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>3000</MaxAgeSeconds>
</CORSRule></CORSConfiguration>`;

/** Body cap for buffered POST uploads: the policy's own limit decides; this only bounds memory. */
const MAX_POST_BODY = UPLOAD_LIMITS.maxBytes + 1024 * 1024;

function xmlError(res: ServerResponse, status: number, code: string, message: string): void {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  res.writeHead(status, {
    'content-type': 'application/xml',
    'access-control-allow-origin': '*',
    connection: 'close',
  });
  res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${esc(message)}</Message></Error>`);
}

function withLength(req: IncomingMessage, length: number, contentType?: string): IncomingMessage['headers'] {
  const headers = { ...req.headers, 'content-length': String(length) };
  delete headers['transfer-encoding'];
  if (contentType) headers['content-type'] = contentType;
  return headers;
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
}

export async function startS3(options: {
  port: number;
  internalPort: number;
  buckets: string[];
  credentials: Record<string, string>;
  /** The only unsigned reads allowed besides the presigned POST: GET/HEAD under this bucket and prefix. */
  publicRead?: { bucket: string; prefix: string };
}): Promise<S3Local> {
  const directory = mkdtempSync(join(tmpdir(), 'nianbao-s3-'));
  for (const [id, secret] of Object.entries(options.credentials)) AWSAccount.DUMMY_ACCOUNT.createKeyPair(id, secret);
  const events = new EventEmitter();
  const onEvent = (e: { Records: Array<{ eventName: string; requestParameters: { sourceIPAddress: string }; s3: { bucket: { name: string }; object: { key: string; size?: number; eTag?: string } } }> }) => {
    for (const r of e.Records) {
      if (!r.eventName.startsWith('ObjectCreated:')) continue;
      const created: ObjectCreated = {
        eventName: r.eventName,
        bucket: r.s3.bucket.name,
        key: r.s3.object.key,
        size: r.s3.object.size ?? 0,
        eTag: r.s3.object.eTag,
        sourceIp: r.requestParameters.sourceIPAddress,
      };
      events.emit('created', created);
    }
  };
  const startS3rver = async () => {
    const instance = new S3rver({
      address: '127.0.0.1',
      port: options.internalPort,
      silent: true,
      directory,
      // The directory is removed by stop(); a crash() keeps it, like a disk that survives its server.
      resetOnClose: false,
      // s3rver checks SigV2 only; SigV4 requests are accepted for known keys. The POST verifier below
      // is what checks signatures where it matters (uploads from offices).
      // Every signed request is verified (SigV4 with the local credentials); unsigned ones never get here
      // except the verified presigned POST and public reads (see the front server).
      allowMismatchedSignatures: false,
      configureBuckets: options.buckets.map((name) => ({ name, configs: [CORS_XML] })),
    });
    await instance.run();
    instance.on('event', onEvent);
    return instance;
  };
  let s3rver = await startS3rver();

  const refused: Record<string, number> = {};
  const skewMs = new Map<string, number>();
  const forward = (req: IncomingMessage, res: ServerResponse, body?: Buffer, headers = req.headers) => {
    const upstream = httpRequest(
      { host: '127.0.0.1', port: options.internalPort, method: req.method, path: req.url, headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      if (!res.headersSent) xmlError(res, 502, 'InternalError', `local S3 unavailable: ${error.message}`);
      else res.destroy();
    });
    if (body) upstream.end(body);
    else req.pipe(upstream);
  };

  const front = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const bucketOnly = /^\/([^/]+)\/?$/.exec(path);
    const isFormPost = req.method === 'POST' && bucketOnly && /^multipart\/form-data/i.test(req.headers['content-type'] ?? '');
    if (!isFormPost) {
      // As S3 with private buckets: no anonymous request, except a CORS preflight and reads of the public prefix.
      if (!isSigned(req) && req.method !== 'OPTIONS' && !isPublicRead(req, path)) {
        refused.AccessDenied = (refused.AccessDenied ?? 0) + 1;
        return xmlError(res, 403, 'AccessDenied', 'Access Denied: anonymous requests are not allowed');
      }
      if (isSigned(req)) {
        // s3rver checks no SigV4 signature: the front does, over the headers and the declared payload hash.
        const url = new URL(req.url ?? '/', 'http://s3.local');
        const verdict = verifySigV4(
          { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.alloc(0) },
          (id) => options.credentials[id],
          { service: 's3', doubleEscapePath: false },
        );
        if (!verdict.ok) {
          refused.SignatureDoesNotMatch = (refused.SignatureDoesNotMatch ?? 0) + 1;
          return xmlError(res, 403, 'SignatureDoesNotMatch', `The request signature we calculated does not match the signature you provided (${verdict.reason}).`);
        }
      }
      return forward(req, res);
    }
    void verifyAndForward(req, res, decodeURIComponent(bucketOnly[1]));
  });

  const isSigned = (req: IncomingMessage) =>
    /^AWS4-HMAC-SHA256 /.test(String(req.headers.authorization ?? '')) || /[?&]X-Amz-Signature=/i.test(req.url ?? '');
  const isPublicRead = (req: IncomingMessage, path: string) => {
    if (!options.publicRead || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return false;
    }
    const prefix = `/${options.publicRead.bucket}/${options.publicRead.prefix}`;
    return decoded.startsWith(prefix) && !decoded.split('/').some((s) => s === '..' || s === '.') && !/[\\\0]/.test(decoded) && !(req.url ?? '').includes('?');
  };

  const verifyAndForward = async (req: IncomingMessage, res: ServerResponse, bucket: string) => {
    const body = await readBody(req, MAX_POST_BODY).catch(() => null);
    if (!body) {
      refused.EntityTooLarge = (refused.EntityTooLarge ?? 0) + 1;
      return xmlError(res, 400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size');
    }
    let form: FormData;
    try {
      form = await new Request('http://s3.local/', {
        method: 'POST',
        headers: { 'content-type': req.headers['content-type'] ?? '' },
        body: body as unknown as BodyInit,
      }).formData();
    } catch {
      return xmlError(res, 400, 'MalformedPOSTRequest', 'The body of your POST request is not well-formed multipart/form-data.');
    }
    const fields: Array<[string, string]> = [];
    let file = null as File | null;
    form.forEach((value, name) => {
      if (typeof value === 'string') {
        if (!file) fields.push([name, value]); // S3 ignores fields after the file
      } else if (name === 'file' && !file) {
        file = value;
      }
    });
    const formKey = fields.find(([n]) => n.toLowerCase() === 'key')?.[1] ?? '';
    let skew = 0;
    for (const [prefix, ms] of skewMs) if (formKey.startsWith(prefix)) skew = ms;
    const verdict = verifyPostPolicy(
      { bucket, fields, file: file ? { size: file.size, filename: file.name } : null },
      (id) => options.credentials[id],
      new Date(Date.now() + skew),
    );
    if (!verdict.ok) {
      refused[verdict.code] = (refused[verdict.code] ?? 0) + 1;
      return xmlError(res, verdict.status, verdict.code, verdict.message);
    }
    const keyField = fields.find(([n]) => n.toLowerCase() === 'key');
    if (keyField && keyField[1] !== verdict.key && file) {
      // `${filename}` substitution, which s3rver does not do: rebuild the form with the final key.
      const rebuilt = new FormData();
      for (const [n, v] of fields) rebuilt.append(n, n.toLowerCase() === 'key' ? verdict.key : v);
      rebuilt.append('file', file, file.name);
      const encoded = new Request('http://s3.local/', { method: 'POST', body: rebuilt });
      const bytes = Buffer.from(await encoded.arrayBuffer());
      return forward(req, res, bytes, withLength(req, bytes.length, encoded.headers.get('content-type') ?? ''));
    }
    forward(req, res, body, withLength(req, body.length));
  };

  await listen(front, options.port);
  const closeAll = async () => {
    const frontClosed = new Promise<void>((r) => front.close(() => r()));
    front.closeAllConnections();
    await frontClosed;
    const s3rverClosed = s3rver.close().catch(() => undefined);
    s3rver.httpServer?.closeAllConnections?.();
    await s3rverClosed;
  };
  let down = false;
  return {
    endpoint: `http://127.0.0.1:${options.port}`,
    events,
    refused,
    skewMs,
    async crash() {
      if (down) return;
      down = true;
      await closeAll();
    },
    async restart() {
      if (!down) return;
      s3rver = await startS3rver();
      await listen(front, options.port);
      down = false;
    },
    async stop() {
      if (!down) await closeAll();
      down = true;
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
