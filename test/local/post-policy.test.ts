import { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { verifyPostPolicy, type PostUpload } from '../../local/post-policy';

const credentials = { accessKeyId: 'localkey', secretAccessKey: 'localsecret' };
const secrets = (id: string) => (id === credentials.accessKeyId ? credentials.secretAccessKey : undefined);
const s3 = new S3Client({ endpoint: 'http://127.0.0.1:9', region: 'us-east-1', credentials, forcePathStyle: true });

async function presign(key = 'incoming/2020/jincheng/0f8fad5b-d9cb-469f-a165-70867728950e.txt', max = 1000) {
  return createPresignedPost(s3, {
    Bucket: 'nianbao-incoming',
    Key: key,
    Conditions: [['content-length-range', 1, max], ['starts-with', '$key', 'incoming/2020/jincheng/']],
    Fields: { 'Content-Type': 'text/plain' },
    Expires: 900,
  });
}

function upload(fields: Record<string, string>, size = 10, extra: Array<[string, string]> = []): PostUpload {
  return { bucket: 'nianbao-incoming', fields: [...Object.entries(fields), ...extra], file: { size, filename: '报告.txt' } };
}

describe('verifyPostPolicy (the presigned POST checks s3rver skips)', () => {
  it('accepts the form exactly as the SDK presigned it', async () => {
    const post = await presign();
    expect(verifyPostPolicy(upload(post.fields), secrets)).toEqual({ ok: true, key: post.fields.key });
  });

  it('refuses it after the policy expired, and not a second before', async () => {
    const post = await presign();
    const expiration = JSON.parse(Buffer.from(post.fields.Policy, 'base64').toString()).expiration as string;
    const justBefore = new Date(Date.parse(expiration) - 1000);
    expect(verifyPostPolicy(upload(post.fields), secrets, justBefore).ok).toBe(true);
    const verdict = verifyPostPolicy(upload(post.fields), secrets, new Date(Date.parse(expiration) + 1));
    expect(verdict).toMatchObject({ ok: false, status: 403, code: 'AccessDenied', message: expect.stringContaining('Policy expired') });
  });

  it('enforces content-length-range on the file size', async () => {
    const post = await presign(undefined, 100);
    expect(verifyPostPolicy(upload(post.fields, 100), secrets).ok).toBe(true);
    expect(verifyPostPolicy(upload(post.fields, 101), secrets)).toMatchObject({ ok: false, code: 'EntityTooLarge' });
    expect(verifyPostPolicy(upload(post.fields, 0), secrets)).toMatchObject({ ok: false, code: 'EntityTooSmall' });
  });

  it('refuses a key changed to another office (exact key and prefix conditions)', async () => {
    const post = await presign();
    const verdict = verifyPostPolicy(upload({ ...post.fields, key: 'incoming/2020/other/x.txt' }), secrets);
    expect(verdict).toMatchObject({ ok: false, status: 403, message: expect.stringContaining('Policy Condition failed') });
  });

  it('refuses a policy edited after signing, a wrong secret, an unknown key id', async () => {
    const post = await presign(undefined, 100);
    const policy = JSON.parse(Buffer.from(post.fields.Policy, 'base64').toString());
    policy.conditions = policy.conditions.map((c: unknown) => (Array.isArray(c) && c[0] === 'content-length-range' ? ['content-length-range', 1, 10 ** 9] : c));
    const forged = { ...post.fields, Policy: Buffer.from(JSON.stringify(policy)).toString('base64') };
    expect(verifyPostPolicy(upload(forged, 5000), secrets)).toMatchObject({ ok: false, code: 'SignatureDoesNotMatch' });
    expect(verifyPostPolicy(upload(post.fields), () => 'another-secret')).toMatchObject({ ok: false, code: 'SignatureDoesNotMatch' });
    expect(verifyPostPolicy(upload(post.fields), () => undefined)).toMatchObject({ ok: false, code: 'InvalidAccessKeyId' });
  });

  it('refuses fields no condition covers, but ignores x-ignore-* fields', async () => {
    const post = await presign();
    expect(verifyPostPolicy(upload(post.fields, 10, [['acl', 'public-read']]), secrets)).toMatchObject({
      ok: false,
      message: expect.stringContaining('Extra input fields: acl'),
    });
    expect(verifyPostPolicy(upload(post.fields, 10, [['x-ignore-note', 'x']]), secrets).ok).toBe(true);
  });

  it('refuses a changed Content-Type (exact-match condition), and a form without a file or policy', async () => {
    const post = await presign();
    expect(verifyPostPolicy(upload({ ...post.fields, 'Content-Type': 'text/html' }), secrets).ok).toBe(false);
    expect(verifyPostPolicy({ ...upload(post.fields), file: null }, secrets)).toMatchObject({ ok: false, code: 'InvalidArgument' });
    const { Policy: _policy, ...noPolicy } = post.fields;
    expect(verifyPostPolicy(upload(noPolicy), secrets)).toMatchObject({ ok: false, status: 403 });
  });

  it('substitutes ${filename} into the key and checks the prefix', async () => {
    const post = await presign('incoming/2020/jincheng/${filename}');
    expect(verifyPostPolicy(upload(post.fields), secrets)).toEqual({ ok: true, key: 'incoming/2020/jincheng/报告.txt' });
  });

  it('never throws on garbage', () => {
    const garbage = upload({ Policy: '!!!', 'X-Amz-Algorithm': 'AWS4-HMAC-SHA256', 'X-Amz-Credential': 'a/b/c', 'X-Amz-Signature': 'zz' });
    expect(verifyPostPolicy(garbage, secrets).ok).toBe(false);
  });
});
