/**
 * Access, route by route, on the running system (API Gateway → handlers → DynamoDB): an office token against
 * another office's routes and the coordinator's (IDOR), tokens only as hashes in the table, the upload
 * policy's limits, hostile path parameters and file names, and markup in office names, file names and
 * report text, which must stay text in the receipt e-mail, the public pages and the PDF.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalClient } from '../../local/client';
import { cleanReportFor } from '../../local/fixtures';
import { figure } from '../figures';
import { mailsTo, localClient, officeView, setupCycle, sha256, upload } from './helpers';

// 2020: the clean fixture is a 2020 report (accepted in this cycle).
const YEAR = 2020;
const XSS_NAME = '青峰区<script>alert(1)</script>局';
const A = { id: 'ar-a', name: '青峰区访问甲局', email: 'ar-a@example.gov.cn' };
const B = { id: 'ar-b', name: '青峰区访问乙局', email: 'ar-b@example.gov.cn' };
const X = { id: 'ar-xss', name: XSS_NAME, email: 'ar-xss@example.gov.cn' };
const SMALL = Buffer.from('一、总体情况\n（测试文件）\n', 'utf8');

let c: LocalClient;
let tokens: Record<string, string>;
let bSubmission: string;
let aSubmission: string;

beforeAll(async () => {
  c = localClient();
  tokens = await setupCycle(c, YEAR, [A, B, X]);
  await upload(c, YEAR, A.id, tokens[A.id], SMALL, 'a.txt');
  await upload(c, YEAR, B.id, tokens[B.id], SMALL, 'b.txt');
  await c.idle();
  aSubmission = (await officeView(c, YEAR, A.id)).submissions[0].id;
  bSubmission = (await officeView(c, YEAR, B.id)).submissions[0].id;
});
afterAll(() => c.destroy());

/** Every route of the API, with a body where it takes one; `{o}` is the office, `{s}` a submission. */
const ROUTES: Array<[string, string, unknown?]> = [
  ['GET', '/cycles/{y}/offices/{o}'],
  ['POST', '/cycles/{y}/offices/{o}/uploads', { fileName: '报告.txt' }],
  ['GET', '/cycles/{y}/offices/{o}/submissions/{s}/receipt'],
  ['POST', '/cycles/{y}/offices/{o}/token'],
  ['POST', '/cycles/{y}/offices/{o}/publish'],
  ['POST', '/cycles/{y}/offices/{o}/return', { note: '请修改' }],
  ['POST', '/cycles/{y}/offices/{o}/remind'],
  ['GET', '/cycles/{y}/offices/{o}/submissions/{s}/pdf'],
  ['GET', '/cycles/{y}/offices/{o}/submissions/{s}/original'],
  ['GET', '/cycles/{y}/offices/{o}/submissions/{s}/findings.xlsx'],
  ['POST', '/cycles/{y}/offices/{o}/submissions/{s}/findings/0/explanation', { text: '说明' }],
  ['POST', '/cycles/{y}/offices/{o}/submissions/{s}/findings/0/waiver', { reason: '理由' }],
  ['POST', '/cycles/{y}/offices/{o}/withdraw', { reason: '理由' }],
  ['GET', '/cycles'],
  // (another year: the coordinator's check below must not rewrite the shared 2020 cycle)
  ['POST', '/cycles', { year: 2019, groups: [{ id: 'all', name: '全部', deadline: '2099-01-31' }], coordinatorEmails: ['x@example.gov.cn'] }],
  ['GET', '/cycles/{y}'],
  ['GET', '/cycles/{y}/offices'],
  ['POST', '/cycles/{y}/offices', { offices: [{ id: 'ar-new', name: '新局', group: 'all', emails: ['n@example.gov.cn'] }] }],
  ['GET', '/cycles/{y}/dashboard'],
  ['POST', '/cycles/{y}/reminders', { dryRun: true }],
  ['POST', '/cycles/{y}/offices/preview', { contentBase64: Buffer.from('单位名称,编号,邮箱\n新局,ar-new,n@example.gov.cn\n').toString('base64') }],
  ['POST', '/cycles/{y}/invitations', {}],
  ['GET', '/cycles/{y}/exports/status.xlsx'],
  ['GET', '/cycles/{y}/exports/status-report.pdf'],
];
const OFFICE_ROUTES = new Set([
  '/cycles/{y}/offices/{o}',
  '/cycles/{y}/offices/{o}/uploads',
  '/cycles/{y}/offices/{o}/submissions/{s}/receipt',
  '/cycles/{y}/offices/{o}/submissions/{s}/pdf',
  '/cycles/{y}/offices/{o}/submissions/{s}/original',
  '/cycles/{y}/offices/{o}/submissions/{s}/findings.xlsx',
  '/cycles/{y}/offices/{o}/submissions/{s}/findings/0/explanation',
]);
const fill = (path: string, o: string, s: string, y = YEAR) => path.replace('{y}', String(y)).replace('{o}', o).replace('{s}', s);

describe('IDOR: office A’s token on every route', () => {
  it.each(ROUTES.map(([m, p, b]) => [`${m} ${p}`, m, p, b]))('%s for office B, and coordinator-only ones for A itself → 403', async (_n, method, path, body) => {
    const statusB = await c.api(method as string, fill(path as string, B.id, bSubmission), { token: tokens[A.id], body });
    expect([statusB.status, typeof statusB.body?.error]).toEqual([403, 'string']);
    if (!OFFICE_ROUTES.has(path as string)) {
      const own = await c.api(method as string, fill(path as string, A.id, aSubmission), { token: tokens[A.id], body });
      expect(own.status).toBe(403);
    } else {
      // The same office id in another year is another office: refused too.
      expect((await c.api(method as string, fill(path as string, A.id, aSubmission, YEAR + 1), { token: tokens[A.id], body })).status).toBe(403);
    }
  });

  it('B’s submission asked for under A’s own path is not found (no cross-office lookup)', async () => {
    const r = await c.api('GET', `/cycles/${YEAR}/offices/${A.id}/submissions/${bSubmission}/receipt`, { token: tokens[A.id] });
    expect(r.status).toBe(404);
    const own = await c.api('GET', `/cycles/${YEAR}/offices/${A.id}/submissions/${aSubmission}/receipt`, { token: tokens[A.id] });
    expect(own.status).toBe(200);
  });

  it('nothing happened to B: same status, version, token and e-mails', async () => {
    const view = await officeView(c, YEAR, B.id);
    expect(view.office).toMatchObject({ status: 'REJECTED', version: 2 });
    expect((await c.api('GET', `/cycles/${YEAR}/offices/${B.id}`, { token: tokens[B.id] })).status).toBe(200);
    expect(await mailsTo(c, B.email)).toHaveLength(1); // its own receipt, no reminder, no "returned"
    expect(view.audit.filter((e: { action: string }) => e.action === 'token_issued')).toHaveLength(1);
  });

  it('the coordinator reaches the same routes (the 403s are decisions, not broken routes)', async () => {
    for (const [method, path, body] of ROUTES) {
      // (these would change the shared cycle: new tokens, mails, offices, B's status by a waiver)
      if (path.endsWith('/token') || path.endsWith('/remind') || path.endsWith('/invitations') || path.endsWith('/waiver') || path === '/cycles/{y}/offices' && method === 'POST') continue;
      const r = await c.api(method, fill(path, B.id, bSubmission), { token: c.coordinator, body });
      expect([`${method} ${path}`, r.status < 400 || r.status === 409]).toEqual([`${method} ${path}`, true]);
    }
  });
});

describe('tokens at rest', () => {
  it('the table holds no raw token, only SHA-256 hashes (office and coordinator tokens)', async () => {
    const items = JSON.stringify(await c.scanAll());
    for (const t of [...Object.values(tokens), c.coordinator]) expect(items).not.toContain(t);
    for (const t of Object.values(tokens)) expect(items).toContain(`TOKEN#${sha256(Buffer.from(t))}`);
  });
});

describe('the upload policy', () => {
  it('expires within 15 minutes and limits the size to 1 B … 20 MB; the key is the server’s whatever the file name', async () => {
    const t0 = Date.now();
    const r = await c.requestUpload(YEAR, A.id, tokens[A.id], '../../../etc/passwd.txt');
    expect(r.status).toBe(201);
    const policy = JSON.parse(Buffer.from(r.body.fields.Policy, 'base64').toString('utf8'));
    const expires = Date.parse(policy.expiration);
    expect(expires - t0).toBeLessThanOrEqual(15 * 60_000 + 2000);
    expect(expires - t0).toBeGreaterThan(60_000);
    expect(Date.parse(r.body.expiresAt!)).toBeLessThanOrEqual(t0 + 15 * 60_000 + 2000);
    expect(policy.conditions).toContainEqual(['content-length-range', 1, 20 * 1024 * 1024]);
    expect(r.body.key).toMatch(new RegExp(`^incoming/${YEAR}/${A.id}/[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}\\.txt$`));
    expect(policy.conditions).toContainEqual({ key: r.body.key });
    // An empty file is refused by S3 as well (the lower bound).
    const empty = await c.postUpload(r.body, new Uint8Array(0), 'empty.txt');
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('EntityTooSmall');
  });
});

/** A raw GET, the path sent as written (fetch would resolve ../ and %2e%2e before sending). */
function rawGet(base: string, path: string, token?: string): Promise<{ status: number; body: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const headers = token ? { authorization: `Bearer ${token}` } : {};
    const req = request({ host: url.hostname, port: url.port, path, method: 'GET', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('path traversal in every parameter', () => {
  const BAD_YEARS = ['..', '2020%2F..%2F2021', '%2e%2e', '20201', '0x7e4', '2020%00'];
  const BAD_OFFICES = ['..', '..%2F..%2Fetc', '%2e%2e%2fetc', '%2e%2e', 'AR-A', 'ar%20a', 'ar-a%00', 'a'.repeat(65), 'ar-a%2Fx', `..%2F${B.id}`, `..%2F..%2F${B.id}`];
  const BAD_SUBMISSIONS = ['..%2F..%2Fx', '%2e%2e', '..', `..%2F..%2F${B.id}%2Fsubmissions%2F${'x'}`, '<script>'];
  // Refused (400) before any key is built; or, where ".." made the path another route, answered as that
  // route for that token (404/405/403) — never anything of another office.
  const REFUSED = [400, 403, 404, 405];

  it('years and office ids, with an office token and the coordinator’s, on every route that takes them', async () => {
    for (const y of BAD_YEARS) {
      for (const token of [tokens[A.id], c.coordinator]) {
        const r = await rawGet(c.endpoints.api, `/cycles/${y}/offices/${A.id}`, token);
        expect([y, REFUSED.includes(r.status)]).toEqual([y, true]);
      }
    }
    const routes: Array<[string, string]> = [
      ['GET', '/cycles/{y}/offices/{o}'],
      ['POST', '/cycles/{y}/offices/{o}/uploads'],
      ['GET', '/cycles/{y}/offices/{o}/submissions/{s}/receipt'],
      ['POST', '/cycles/{y}/offices/{o}/publish'],
      ['POST', '/cycles/{y}/offices/{o}/token'],
    ];
    let tried = 0;
    for (const o of BAD_OFFICES) {
      for (const [m, p] of routes) {
        const path = fill(p, o, bSubmission);
        const r = m === 'GET' ? await rawGet(c.endpoints.api, path, tokens[A.id]) : await c.api(m, path, { token: tokens[A.id], body: { fileName: 'a.txt' } });
        const body = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
        expect([o, p, REFUSED.includes(r.status)]).toEqual([o, p, true]);
        expect([o, p, body.includes(B.name) || body.includes(bSubmission)]).toEqual([o, p, false]);
        tried++;
      }
    }
    expect(tried).toBe(BAD_OFFICES.length * routes.length);
    figure('traversal', { years: BAD_YEARS.length * 2, officeIdRequests: tried, submissionIds: BAD_SUBMISSIONS.length });
    // Nothing was created or changed for any of them.
    const ids = (await c.offices(YEAR)).map((x) => x.id);
    expect(ids.every((id) => /^[a-z0-9-]{1,64}$/.test(id))).toBe(true);
    expect((await officeView(c, YEAR, B.id)).office.version).toBe(2);
  });

  it('submission ids: refused before any lookup', async () => {
    for (const s of BAD_SUBMISSIONS) {
      const r = await rawGet(c.endpoints.api, `/cycles/${YEAR}/offices/${A.id}/submissions/${s}/receipt`, tokens[A.id]);
      expect([s, REFUSED.includes(r.status)]).toEqual([s, true]);
      expect(r.body).not.toContain('提交编号：');
    }
  });

  it('the public archive serves public/ only: ../ cannot reach parsed JSON or uploads', async () => {
    const view = await officeView(c, YEAR, A.id);
    const sub = view.submissions[0];
    const attempts = [
      `/archive/../parsed/${YEAR}/${A.id}/${sub.id}.json`,
      `/archive/%2e%2e/parsed/${YEAR}/${A.id}/${sub.id}.json`,
      `/archive/..%2Fparsed%2F${YEAR}%2F${A.id}%2F${sub.id}.json`,
      `/archive/../../nianbao-incoming/incoming/${YEAR}/${A.id}/`,
      `/archive/%2e%2e%2f%2e%2e%2fnianbao-incoming%2fincoming`,
    ];
    figure('archive-traversal', { attempts: attempts.length });
    for (const path of attempts) {
      const r = await rawGet(c.endpoints.api, path);
      expect([path, r.status]).toEqual([path, 404]);
      expect(r.body).not.toContain('"formatVersion"');
    }
  });
});

describe('markup in office names, file names and report text stays text', () => {
  const FILE_NAME = '<img src=x onerror=alert(2)>.txt';
  const TEXT_PAYLOAD = '<b onmouseover=alert(3)>加粗</b>';

  it('receipt e-mail, public office page, year index and PDF', async () => {
    // The report names the office (with its markup) and carries markup in its own text.
    const report = Buffer.from(cleanReportFor(XSS_NAME).toString('utf8').replace(/(一、总体情况\s*\n)/, `$1${TEXT_PAYLOAD}\n`), 'utf8');
    const { posted } = await upload(c, YEAR, X.id, tokens[X.id], report, FILE_NAME);
    expect(posted.status).toBe(204);
    await c.idle();
    const view = await officeView(c, YEAR, X.id);
    expect(view.submissions[0].fileName).toBe(FILE_NAME);

    const [mail] = await mailsTo(c, X.email);
    const html = mail.body.html ?? '';
    for (const raw of ['<script>', '<img src=x', '<b onmouseover']) expect(html).not.toContain(raw);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;.txt');
    expect(mail.subject).toContain(XSS_NAME); // a subject is plain text

    expect(view.office.status).toBe('ACCEPTED');
    await c.ok('POST', `/cycles/${YEAR}/offices/${X.id}/publish`, { token: c.coordinator });
    await c.idle();
    for (const page of [`/${YEAR}/${X.id}/`, `/${YEAR}/`]) {
      const res = await fetch(`${c.endpoints.archive}${page}`);
      expect(res.status).toBe(200);
      const body = await res.text();
      for (const raw of ['<script>alert', '<img src=x', '<b onmouseover']) expect([page, body.includes(raw)]).toEqual([page, false]);
      expect(body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    }
    const pdf = Buffer.from(await (await fetch(`${c.endpoints.archive}/${YEAR}/${X.id}/v1/report.pdf`)).arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const dir = mkdtempSync(join(tmpdir(), 'nianbao-xss-'));
    try {
      writeFileSync(join(dir, 'r.pdf'), pdf);
      const text = execFileSync('pdftotext', ['-enc', 'UTF-8', join(dir, 'r.pdf'), '-'], { encoding: 'utf8' });
      // The literal characters, printed as text.
      expect(text.replace(/\s+/g, '')).toContain('<script>alert(1)</script>');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
