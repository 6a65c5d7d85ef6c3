/**
 * Who may upload what, and the upload URL's own limits, checked where a browser meets them: the
 * API (tokens) and S3 (the presigned POST policy, verified in front of s3rver).
 */
import type { LocalClient } from '../../local/client';
import { localClient, officeView, setupCycle } from './helpers';

const YEAR = 2021;
const A = { id: 'acc-a', name: '青峰区甲局', email: 'acc-a@example.gov.cn' };
const B = { id: 'acc-b', name: '青峰区乙局', email: 'acc-b@example.gov.cn' };
const SMALL = Buffer.from('一、总体情况\n（测试文件）\n', 'utf8');

let c: LocalClient;
let tokens: Record<string, string>;

beforeAll(async () => {
  c = localClient();
  tokens = await setupCycle(c, YEAR, [A, B]);
});
afterAll(() => c.destroy());

describe('office tokens', () => {
  it("an office's token cannot ask for another office's upload URL or read its status (403)", async () => {
    const r = await c.requestUpload(YEAR, B.id, tokens[A.id], '报告.txt');
    expect(r.status).toBe(403);
    expect(typeof (r.body as unknown as { error: unknown }).error).toBe('string');
    expect((await c.api('GET', `/cycles/${YEAR}/offices/${B.id}`, { token: tokens[A.id] })).status).toBe(403);
    // …nor act as the coordinator.
    expect((await c.api('POST', `/cycles/${YEAR}/offices/${B.id}/token`, { token: tokens[A.id] })).status).toBe(403);
  });

  it('no token or an unknown token → 401', async () => {
    expect((await c.requestUpload(YEAR, A.id, '', '报告.txt')).status).toBe(401);
    expect((await c.requestUpload(YEAR, A.id, 'x'.repeat(43), '报告.txt')).status).toBe(401);
  });

  it('a re-issued token replaces the old one', async () => {
    const old = tokens[B.id];
    tokens[B.id] = (await c.ok('POST', `/cycles/${YEAR}/offices/${B.id}/token`, { token: c.coordinator })).token;
    expect((await c.requestUpload(YEAR, B.id, old, '报告.txt')).status).toBe(401);
    expect((await c.requestUpload(YEAR, B.id, tokens[B.id], '报告.txt')).status).toBe(201);
  });
});

describe('the upload URL (presigned POST policy)', () => {
  it('is refused once expired, with nothing stored and no status change; the same form works in time', async () => {
    const ticket = await c.requestUpload(YEAR, A.id, tokens[A.id], '报告.txt');
    expect(ticket.status).toBe(201);
    const prefix = `incoming/${YEAR}/${A.id}/`;
    // Present it 16 minutes later (tickets live at most 15) by moving the verifier's clock for this prefix.
    await fetch(`${c.endpoints.api}/_local/s3/skew`, { method: 'POST', headers: c.admin, body: JSON.stringify({ prefix, seconds: 16 * 60 }) });
    try {
      const late = await c.postUpload(ticket.body, SMALL, '报告.txt');
      expect(late.status).toBe(403);
      expect(late.text).toContain('Policy expired');
    } finally {
      await fetch(`${c.endpoints.api}/_local/s3/skew`, { method: 'POST', headers: c.admin, body: JSON.stringify({ prefix, seconds: 0 }) });
    }
    await c.idle();
    expect(await c.listKeys(c.endpoints.buckets.incoming, prefix)).toEqual([]);
    expect((await officeView(c, YEAR, A.id)).office.status).toBe('NOT_SUBMITTED');

    const inTime = await c.postUpload(ticket.body, SMALL, '报告.txt');
    expect(inTime.status).toBe(204);
    await c.idle();
    expect(await c.listKeys(c.endpoints.buckets.incoming, prefix)).toEqual([ticket.body.key]);
  });

  it('refuses a file larger than the policy allows (EntityTooLarge), before it reaches the bucket', async () => {
    const ticket = await c.requestUpload(YEAR, B.id, tokens[B.id], '大文件.txt');
    const max = ticket.body.maxBytes ?? 20 * 1024 * 1024;
    const r = await c.postUpload(ticket.body, Buffer.alloc(max + 1, 0x20), '大文件.txt');
    expect(r.status).toBe(400);
    expect(r.text).toContain('EntityTooLarge');
    expect(await c.listKeys(c.endpoints.buckets.incoming, ticket.body.key)).toEqual([]);
  });

  it("refuses the form with the key changed to another office's folder", async () => {
    const ticket = await c.requestUpload(YEAR, A.id, tokens[A.id], '报告.txt');
    const forged = { ...ticket.body, fields: { ...ticket.body.fields, key: ticket.body.key.replace(`/${A.id}/`, `/${B.id}/`) } };
    const r = await c.postUpload(forged, SMALL, '报告.txt');
    expect(r.status).toBe(403);
    expect(r.text).toContain('Policy Condition failed');
    expect(await c.listKeys(c.endpoints.buckets.incoming, `incoming/${YEAR}/${B.id}/`)).toEqual([]);
  });

  it('refuses a form whose signature does not match (policy edited)', async () => {
    const ticket = await c.requestUpload(YEAR, A.id, tokens[A.id], '报告.txt');
    const policy = JSON.parse(Buffer.from(ticket.body.fields.Policy, 'base64').toString('utf8'));
    policy.expiration = '2099-01-01T00:00:00Z';
    const forged = { ...ticket.body, fields: { ...ticket.body.fields, Policy: Buffer.from(JSON.stringify(policy)).toString('base64') } };
    const r = await c.postUpload(forged, SMALL, '报告.txt');
    expect(r.status).toBe(403);
    expect(r.text).toContain('SignatureDoesNotMatch');
  });

  it('answers a CORS preflight for the upload from a web page', async () => {
    const ticket = await c.requestUpload(YEAR, A.id, tokens[A.id], '报告.txt');
    const r = await fetch(ticket.body.url, {
      method: 'OPTIONS',
      headers: { origin: 'http://127.0.0.1:8080', 'access-control-request-method': 'POST' },
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('access-control-allow-origin')).toBe('*');
  });
});
