/**
 * Builds S3 notification events with the shape real S3 sends to Lambda (event version 2.1):
 * URL-encoded keys (space as '+', non-ASCII percent-encoded, '/' kept), size, eTag and a
 * sequencer that grows for later writes, so handlers can be tested for idempotency and ordering.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { S3Event, S3EventRecord } from 'aws-lambda';
import type { ObjectCreated } from './s3';

/** S3's key encoding in notifications (form-style: like Java's URLEncoder, but '/' stays). */
export function encodeEventKey(key: string): string {
  return encodeURIComponent(key)
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+')
    .replace(/%2F/g, '/');
}

/** How a consumer must decode it (what a handler should do). */
export function decodeEventKey(encoded: string): string {
  return decodeURIComponent(encoded.replace(/\+/g, ' '));
}

let lastSequencer = 0n;
/** Hex, fixed width, strictly increasing within this process (real S3: per key). */
export function nextSequencer(): string {
  const candidate = BigInt(Date.now()) * 1000n;
  lastSequencer = candidate > lastSequencer ? candidate : lastSequencer + 1n;
  return lastSequencer.toString(16).toUpperCase().padStart(18, '0');
}

export function s3EventFor(created: ObjectCreated, region: string, sequencer = nextSequencer()): S3Event {
  const hex = (n: number) => randomBytes(n).toString('hex').toUpperCase();
  const record: S3EventRecord = {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: region,
    eventTime: new Date().toISOString(),
    eventName: created.eventName as S3EventRecord['eventName'],
    userIdentity: { principalId: 'AWS:LOCALUPLOADER' },
    requestParameters: { sourceIPAddress: created.sourceIp || '127.0.0.1' },
    responseElements: {
      'x-amz-request-id': hex(8),
      'x-amz-id-2': createHash('sha256').update(hex(8)).digest('base64'),
    },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'incoming-object-created',
      bucket: { name: created.bucket, ownerIdentity: { principalId: 'LOCALOWNER' }, arn: `arn:aws:s3:::${created.bucket}` },
      object: {
        key: encodeEventKey(created.key),
        size: created.size,
        eTag: created.eTag ?? '',
        sequencer,
      },
    },
  };
  return { Records: [record] };
}
