/**
 * Verifies a browser-based S3 POST upload the way S3 does, because s3rver ignores the policy:
 * the SigV4 signature of the base64 policy, its expiration, and every condition (exact matches,
 * `eq`, `starts-with`, `content-length-range`), plus S3's rule that every form field must be
 * covered by a condition. Pure: no I/O.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface PostUpload {
  /** The bucket named by the URL path. */
  bucket: string;
  /** Form fields other than the file, in order; names as sent. */
  fields: Array<[string, string]>;
  file: { size: number; filename: string } | null;
}

export type PolicyVerdict =
  | { ok: true; key: string }
  | { ok: false; status: number; code: string; message: string };

type Condition = Record<string, unknown> | unknown[];

/** Fields that S3 never requires a condition for. */
const EXEMPT = new Set(['policy', 'x-amz-signature', 'file']);

function deny(message: string, code = 'AccessDenied', status = 403): PolicyVerdict {
  return { ok: false, status, code, message };
}

export function signingKey(secret: string, shortDate: string, region: string, service = 's3'): Buffer {
  const kDate = createHmac('sha256', `AWS4${secret}`).update(shortDate).digest();
  const kRegion = createHmac('sha256', kDate).update(region).digest();
  const kService = createHmac('sha256', kRegion).update(service).digest();
  return createHmac('sha256', kService).update('aws4_request').digest();
}

export function verifyPostPolicy(
  upload: PostUpload,
  secretFor: (accessKeyId: string) => string | undefined,
  now: Date = new Date(),
): PolicyVerdict {
  // Field names are case-insensitive in S3 POST forms.
  const fields = new Map<string, string>();
  for (const [name, value] of upload.fields) {
    const lower = name.toLowerCase();
    if (!fields.has(lower)) fields.set(lower, value);
  }
  if (!upload.file) return deny('POST requires exactly one file upload per request.', 'InvalidArgument', 400);
  const policyB64 = fields.get('policy');
  if (!policyB64) return deny('Bucket POST must contain a field named policy.');
  if (fields.get('x-amz-algorithm') !== 'AWS4-HMAC-SHA256') return deny('Unsupported or missing x-amz-algorithm.', 'InvalidArgument', 400);
  const credential = fields.get('x-amz-credential') ?? '';
  const [accessKeyId, shortDate, region, service, terminator] = credential.split('/');
  if (!accessKeyId || !/^\d{8}$/.test(shortDate ?? '') || !region || service !== 's3' || terminator !== 'aws4_request') {
    return deny('Invalid x-amz-credential.', 'InvalidArgument', 400);
  }
  const secret = secretFor(accessKeyId);
  if (secret === undefined) return deny('The AWS Access Key Id you provided does not exist in our records.', 'InvalidAccessKeyId');
  const expected = createHmac('sha256', signingKey(secret, shortDate, region)).update(policyB64).digest();
  const given = Buffer.from(fields.get('x-amz-signature') ?? '', 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return deny('The request signature we calculated does not match the signature you provided.', 'SignatureDoesNotMatch');
  }

  let policy: { expiration?: unknown; conditions?: unknown };
  try {
    policy = JSON.parse(Buffer.from(policyB64, 'base64').toString('utf8'));
  } catch {
    return deny('Invalid Policy: Invalid JSON.', 'InvalidPolicyDocument', 400);
  }
  const expiration = typeof policy.expiration === 'string' ? Date.parse(policy.expiration) : NaN;
  if (Number.isNaN(expiration)) return deny('Invalid Policy: Policy missing expiration.', 'InvalidPolicyDocument', 400);
  if (now.getTime() >= expiration) return deny('Invalid according to Policy: Policy expired.');
  if (!Array.isArray(policy.conditions)) return deny('Invalid Policy: Policy missing conditions.', 'InvalidPolicyDocument', 400);

  let key = fields.get('key');
  if (key === undefined || key === '') return deny("Bucket POST must contain a field named 'key'.", 'InvalidArgument', 400);
  key = key.replaceAll('${filename}', upload.file.filename);
  const valueOf = (name: string) => (name === 'bucket' ? upload.bucket : name === 'key' ? key : fields.get(name));

  const covered = new Set<string>();
  const failed = (c: Condition) => deny(`Invalid according to Policy: Policy Condition failed: ${JSON.stringify(c)}`);
  for (const condition of policy.conditions as Condition[]) {
    if (Array.isArray(condition)) {
      const [op, a, b] = condition;
      if (op === 'content-length-range') {
        const min = Number(a);
        const max = Number(b);
        if (upload.file.size > max) return deny('Your proposed upload exceeds the maximum allowed size', 'EntityTooLarge', 400);
        if (upload.file.size < min) return deny('Your proposed upload is smaller than the minimum allowed size', 'EntityTooSmall', 400);
        continue;
      }
      if ((op !== 'eq' && op !== 'starts-with') || typeof a !== 'string' || !a.startsWith('$') || typeof b !== 'string') {
        return deny(`Invalid Policy: Invalid Condition: ${JSON.stringify(condition)}`, 'InvalidPolicyDocument', 400);
      }
      const name = a.slice(1).toLowerCase();
      covered.add(name);
      const value = valueOf(name) ?? '';
      if (op === 'eq' ? value !== b : !value.startsWith(b)) return failed(condition);
    } else if (condition && typeof condition === 'object') {
      for (const [rawName, want] of Object.entries(condition)) {
        const name = rawName.toLowerCase();
        covered.add(name);
        if (valueOf(name) !== want) return failed(condition);
      }
    } else {
      return deny(`Invalid Policy: Invalid Condition: ${JSON.stringify(condition)}`, 'InvalidPolicyDocument', 400);
    }
  }
  const extra = [...fields.keys()].filter((n) => !EXEMPT.has(n) && !n.startsWith('x-ignore-') && !covered.has(n));
  if (extra.length) return deny(`Invalid according to Policy: Extra input fields: ${extra.join(', ')}`);
  return { ok: true, key };
}
