/**
 * Upload ids: the server-chosen part of an upload key, a UUID version 7 (RFC 9562): 48 bits of Unix
 * milliseconds, then a 12-bit counter, then random bits. Lower-case hex compares in time order, so the
 * id doubles as the tie-break of "latest wins" when two uploads of an office have the same S3
 * LastModified (one-second resolution): the later ticket wins, whatever order the events arrive in.
 */
import { randomBytes } from 'node:crypto';

let lastMs = -1;
let counter = 0;

/** A UUIDv7 for `now`, strictly increasing within this process (the counter orders ids of one millisecond). */
export function newUploadId(now: Date = new Date()): string {
  let ms = now.getTime();
  if (ms <= lastMs) {
    counter++;
    if (counter > 0xfff) {
      // 4096 ids in one millisecond: borrow the next millisecond rather than lose the order.
      lastMs++;
      counter = 0;
    }
    ms = lastMs;
  } else {
    lastMs = ms;
    counter = randomBytes(1)[0] & 0x3f; // random start, room left to count up
  }
  const rand = randomBytes(8);
  const hex = ms.toString(16).padStart(12, '0').slice(-12);
  const a = (0x7000 | counter).toString(16).padStart(4, '0');
  const b = ((rand.readUInt16BE(0) & 0x3fff) | 0x8000).toString(16).padStart(4, '0');
  const c = rand.subarray(2, 8).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${a}-${b}-${c}`;
}

export const UPLOAD_ID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The ticket's issue time, for a version-7 id (null for any other id). */
export function uploadIdTime(id: string): Date | null {
  if (!UPLOAD_ID_V7.test(id)) return null;
  return new Date(parseInt(id.slice(0, 8) + id.slice(9, 13), 16));
}

/**
 * Order of two uploads of one office: S3's LastModified first (when the file was stored), then the
 * upload id (when the ticket was issued; time-ordered for version-7 ids), then the submission id (an
 * arbitrary but fixed last resort, e.g. for keys from before version-7 ids). Positive: a is newer.
 */
export function compareUploads(
  a: { receivedAt: string; uploadId?: string | null; id: string },
  b: { receivedAt: string; uploadId?: string | null; id: string },
): number {
  const ta = Date.parse(a.receivedAt);
  const tb = Date.parse(b.receivedAt);
  if (ta !== tb) return ta > tb ? 1 : -1;
  const ua = a.uploadId ?? '';
  const ub = b.uploadId ?? '';
  if (ua && ub && ua !== ub) return ua > ub ? 1 : -1;
  return a.id === b.id ? 0 : a.id > b.id ? 1 : -1;
}
