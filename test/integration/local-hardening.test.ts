/**
 * The local runtime's own attack surface (issue 13.5), on the shared emulators: S3 refuses unsigned
 * requests except the verified presigned POST and reads of public/; a request signed with a wrong secret is
 * refused; the admin endpoints and the Lambda Invoke endpoint refuse bare (cross-site-able) POSTs;
 * endpoints.json is readable by its owner only.
 */
import { statSync } from 'node:fs';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { NAMES } from '../../local/runtime';
import { localClient } from './helpers';

const c = localClient();
const s3 = (path: string, init: RequestInit = {}) => fetch(`${c.endpoints.s3}${path}`, init);

beforeAll(async () => {
  // A private object (as a parsed report) and a public one, written with the local credentials.
  await c.s3.send(new PutObjectCommand({ Bucket: NAMES.archive, Key: 'parsed/1999/x/secret.json', Body: '{"secret":1}' }));
  await c.s3.send(new PutObjectCommand({ Bucket: NAMES.archive, Key: 'public/1999/hello.txt', Body: 'hello' }));
});

describe('S3 requires SigV4', () => {
  test('anonymous GET of a private object, a listing, a PUT into incoming/ or public/, a DELETE: 403', async () => {
    expect((await s3(`/${NAMES.archive}/parsed/1999/x/secret.json`)).status).toBe(403);
    expect((await s3(`/${NAMES.archive}?list-type=2&prefix=parsed/`)).status).toBe(403);
    expect((await s3(`/${NAMES.incoming}/incoming/1999/x/evil.txt`, { method: 'PUT', body: 'BAD' })).status).toBe(403);
    expect((await s3(`/${NAMES.archive}/public/1999/evil.html`, { method: 'PUT', body: '<script>1</script>' })).status).toBe(403);
    expect((await s3(`/${NAMES.archive}/public/1999/hello.txt`, { method: 'DELETE' })).status).toBe(403);
    // Nothing was written.
    await expect(c.s3.send(new GetObjectCommand({ Bucket: NAMES.archive, Key: 'public/1999/evil.html' }))).rejects.toThrow();
  });

  test('a path trick from public/ into parsed/ is not a public read', async () => {
    expect((await s3(`/${NAMES.archive}/public/../parsed/1999/x/secret.json`)).status).toBe(403);
    expect((await s3(`/${NAMES.archive}/public/%2E%2E/parsed/1999/x/secret.json`)).status).toBe(403);
  });

  test('a request signed with a wrong secret is refused; the right one reads', async () => {
    const wrong = new S3Client({ region: c.endpoints.region, endpoint: c.endpoints.s3, forcePathStyle: true, credentials: { accessKeyId: c.endpoints.credentials.accessKeyId, secretAccessKey: 'not-the-secret' } });
    await expect(wrong.send(new GetObjectCommand({ Bucket: NAMES.archive, Key: 'parsed/1999/x/secret.json' }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
    wrong.destroy();
    const ok = await c.s3.send(new GetObjectCommand({ Bucket: NAMES.archive, Key: 'parsed/1999/x/secret.json' }));
    expect(await ok.Body!.transformToString()).toBe('{"secret":1}');
  });

  test('public/ stays readable without a signature (what the site serves)', async () => {
    const r = await s3(`/${NAMES.archive}/public/1999/hello.txt`);
    expect(r.status).toBe(200);
    expect(await r.text()).toBe('hello');
  });
});

describe('admin endpoints and the Lambda Invoke API', () => {
  test.each(['/_local/state', '/_local/dead-letters'])('GET %s without the admin secret: 401', async (path) => {
    expect((await fetch(`${c.endpoints.api}${path}`)).status).toBe(401);
    expect((await fetch(`${c.endpoints.api}${path}`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetch(`${c.endpoints.api}${path}`, { headers: c.admin })).status).toBe(200);
  });

  test.each(['/_local/tick', '/_local/reconcile', '/_local/dead-letters/replay', '/_local/faults/s3/crash'])('a cross-site text/plain POST to %s: 401, nothing done', async (path) => {
    const before = (await c.local('GET', '/_local/state')).body;
    const r = await fetch(`${c.endpoints.api}${path}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
    expect(r.status).toBe(401);
    expect((await c.local('GET', '/_local/state')).body.lambda.invocations).toBe(before.lambda.invocations);
  });

  test('an unsigned or wrongly signed Invoke is refused (403); none runs', async () => {
    const before = (await c.local('GET', '/_local/state')).body.lambda.invocations;
    const url = `${c.endpoints.api}/2015-03-31/functions/send-reminders/invocations`;
    expect((await fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' })).status).toBe(403);
    const forged = 'AWS4-HMAC-SHA256 Credential=localkey/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=' + '0'.repeat(64);
    expect((await fetch(url, { method: 'POST', headers: { authorization: forged, 'x-amz-date': '20260101T000000Z' }, body: '{}' })).status).toBe(403);
    expect((await c.local('GET', '/_local/state')).body.lambda.invocations).toBe(before);
  });

  test('the SDK, signing with the local credentials, still invokes (DryRun)', async () => {
    const { LambdaClient, InvokeCommand } = await import('@aws-sdk/client-lambda');
    const lambda = new LambdaClient({ region: c.endpoints.region, endpoint: c.endpoints.api, credentials: c.endpoints.credentials });
    const r = await lambda.send(new InvokeCommand({ FunctionName: 'send-reminders', InvocationType: 'DryRun', Payload: Buffer.from('{}') }));
    expect(r.StatusCode).toBe(204);
    lambda.destroy();
  });
});

test('endpoints.json (coordinator token, admin secret) is readable by its owner only', () => {
  const file = process.env.NIANBAO_LOCAL_ENDPOINTS!;
  expect(file).toMatch(/endpoints\.json$/);
  expect(statSync(file).mode & 0o077).toBe(0);
});
