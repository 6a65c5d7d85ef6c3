/**
 * Stored XSS through a published original (issue 13.1). An office uploads its report as a web page carrying
 * a <script> that reads sessionStorage (where the pages keep tokens) and sends it away; the report is valid,
 * accepted and published. The coordinator, signed in to the dashboard, then opens the published original on
 * the same origin. The script must never run and never see the token:
 *  - the original is served as a download (Content-Disposition: attachment, a neutral Content-Type, nosniff);
 *  - every archive response carries a CSP with `sandbox` (an opaque origin: no access to the site's storage
 *    even if markup got through) and `frame-ancestors 'none'`;
 *  - the pages themselves carry a CSP without inline script.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Request } from 'playwright-core';
import { ROOT, launchBrowser, startRuntime, type Runtime } from './helpers';

const YEAR = 2021;
const OFFICE = 'qinghe';
const NAME = '青禾区人民政府办公室';
const ATTACK = `<script>(function(){var s={};for(var i=0;i<sessionStorage.length;i++){var k=sessionStorage.key(i);s[k]=sessionStorage.getItem(k);}
fetch('/exfil?d='+encodeURIComponent(JSON.stringify(s)));document.title='PWNED';})();</script>`;
const HOSTILE = Buffer.from(readFileSync(join(ROOT, 'fixtures', 'formats', 'report.html'), 'utf8').replace('<body>', `<body>${ATTACK}`), 'utf8');

let rt: Runtime;
let browser: Browser;
let site = '';

beforeAll(async () => {
  rt = await startRuntime();
  site = rt.client.endpoints.api;
  browser = await launchBrowser();
  const c = rt.client;
  const deadline = new Date(Date.now() + 10 * 86_400_000 + 8 * 3600_000).toISOString().slice(0, 10);
  await c.ok('POST', '/cycles', { token: c.coordinator, body: { year: YEAR, groups: [{ id: 'all', name: '全部单位', deadline }], coordinatorEmails: ['c@example.gov.cn'] } });
  await c.ok('POST', `/cycles/${YEAR}/offices`, { token: c.coordinator, body: { offices: [{ id: OFFICE, name: NAME, group: 'all', emails: ['o@example.gov.cn'] }] } });
  const token = (await c.ok('POST', `/cycles/${YEAR}/offices/${OFFICE}/token`, { token: c.coordinator })).token;
  const ticket = await c.requestUpload(YEAR, OFFICE, token, '年报.html');
  expect(ticket.status).toBe(201);
  expect((await c.postUpload(ticket.body, HOSTILE, '年报.html')).status).toBe(204);
  await c.idle();
  const status = await c.ok('GET', `/cycles/${YEAR}/offices/${OFFICE}`, { token: c.coordinator });
  expect([status.office.status, status.submissions?.[0]?.findings?.filter((f: { severity: string }) => f.severity === "error")]).toEqual(["ACCEPTED", []]);
  await c.ok('POST', `/cycles/${YEAR}/offices/${OFFICE}/publish`, { token: c.coordinator });
  await c.idle();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

const ORIGINAL = () => `${site}/archive/${YEAR}/${OFFICE}/v1/original.html`;

test('the published original is a download, with nosniff, a neutral type and a sandboxing CSP', async () => {
  const res = await fetch(ORIGINAL());
  expect(res.status).toBe(200);
  expect(res.headers.get('content-disposition') ?? '').toMatch(/^attachment/);
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('content-type') ?? '').not.toMatch(/html|xml|svg|javascript/i);
  const csp = res.headers.get('content-security-policy') ?? '';
  expect(csp).toMatch(/default-src 'none'/);
  expect(csp).toMatch(/frame-ancestors 'none'/);
  expect(csp).toMatch(/(^|;)\s*sandbox/);
  // The bytes are the office's, unchanged.
  expect(Buffer.from(await res.arrayBuffer()).equals(HOSTILE)).toBe(true);
});

test('every archive page and every page of the site carries a CSP and nosniff', async () => {
  for (const path of ['/archive/', `/archive/${YEAR}/`, `/archive/${YEAR}/${OFFICE}/`, `/archive/${YEAR}/${OFFICE}/v1/report.pdf`]) {
    const res = await fetch(`${site}${path}`);
    expect(`${path} ${res.status}`).toBe(`${path} 200`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy') ?? '').toMatch(/frame-ancestors 'none'/);
    if (path.endsWith('/')) expect(res.headers.get('content-security-policy') ?? '').toMatch(/(^|;)\s*sandbox/);
  }
  for (const path of ['/', '/upload/', '/dashboard/', '/assets/dashboard.js']) {
    const res = await fetch(`${site}${path}`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).not.toMatch(/unsafe-inline[^;]*;?\s*$|script-src[^;]*unsafe/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
  }
});

test('a coordinator signed in to the dashboard opens the original: no script runs, the token stays put', async () => {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  const exfil: string[] = [];
  await context.route('**/exfil*', (route) => {
    exfil.push(route.request().url());
    return route.fulfill({ status: 204, body: '' });
  });
  const requests: string[] = [];
  page.on('request', (r: Request) => requests.push(r.url()));
  await page.goto(`${site}/dashboard/`);
  await page.fill('#token', rt.client.coordinator);
  await page.click('#signin-form button[type="submit"]');
  await page.waitForFunction(() => sessionStorage.length > 0);

  // Same tab, same origin: the attack's best case. The browser downloads the file instead of rendering it.
  const downloads: string[] = [];
  page.on('download', (d) => downloads.push(d.suggestedFilename()));
  await page.goto(ORIGINAL()).catch(() => undefined);
  await page.waitForTimeout(1500);
  expect(exfil).toEqual([]);
  expect(downloads).toEqual([expect.stringMatching(/^original/)]);
  // And in a frame of a page of the site: still a download, nothing runs.
  await page.goto(`${site}/dashboard/`);
  await page.evaluate((src) => {
    const f = document.createElement('iframe');
    f.src = src;
    document.body.append(f);
  }, ORIGINAL());
  await page.waitForTimeout(1500);
  expect(await page.title()).not.toBe('PWNED');
  expect(exfil).toEqual([]);
  expect(requests.filter((u) => u.includes('exfil'))).toEqual([]);

  // An archive page (HTML the system wrote) is sandboxed: an opaque origin with no access to the storage
  // holding the token, whatever its markup.
  await page.goto(`${site}/archive/${YEAR}/${OFFICE}/`);
  const storage = await page.evaluate(() => {
    try {
      return `readable:${window.sessionStorage.length}`;
    } catch (e) {
      return `blocked:${(e as Error).name}`;
    }
  });
  expect(storage).toMatch(/^blocked:/);
  expect(await page.evaluate(() => window.origin)).toBe('null');
  await context.close();
});
