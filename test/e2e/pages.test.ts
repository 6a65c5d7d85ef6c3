/**
 * The pages in a real browser (Debian's chromium via playwright-core) against the local runtime on random
 * ports: an office uploads the seed and sees it rejected with its findings; another uploads a clean report
 * and sees it accepted; the coordinator sees both, sends a reminder and publishes one. Screenshots of each
 * page go to test-output/. Then `nianbao remind` against the same stack at simulated times.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ROOT, launchBrowser, outputPath, startRuntime, type Runtime } from './helpers';

const YEAR = 2020;
const SEED = readFileSync(join(ROOT, 'fixtures', 'jincheng-2020.txt'));
const CLEAN = readFileSync(join(ROOT, 'fixtures', 'clean-2019.txt'));

let rt: Runtime;
let browser: Browser;
const tokens: Record<string, string> = {};
let site = '';

/** A deadline 10 days ahead (Beijing time), as coordinators set them. */
function deadlineIn(days: number): string {
  return new Date(Date.now() + 8 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

beforeAll(async () => {
  rt = await startRuntime();
  site = rt.client.endpoints.api;
  browser = await launchBrowser();
  const c = rt.client;
  await c.ok('POST', '/cycles', {
    token: c.coordinator,
    body: {
      year: YEAR,
      groups: [
        { id: 'streets', name: '街道办事处', deadline: deadlineIn(10) },
        { id: 'departments', name: '区直部门', deadline: deadlineIn(10) },
      ],
      coordinatorEmails: ['coordinator@example.gov.cn'],
      // The year index also names the offices that have not published yet (names only, no status).
      listUnpublished: true,
    },
  });
  await c.ok('POST', `/cycles/${YEAR}/offices`, {
    token: c.coordinator,
    body: {
      offices: [
        { id: 'jincheng', name: '锦程街道办事处', group: 'streets', emails: ['jincheng@example.gov.cn'] },
        { id: 'scjgj', name: '青峰区市场监督管理局', group: 'departments', emails: ['scjgj@example.gov.cn'] },
        // A name with markup: the pages must show it as text.
        { id: 'xss', name: '<img src=x onerror="window.__pwned=1">青峰区<b>教育局</b>', group: 'departments', emails: ['jyj@example.gov.cn'] },
      ],
    },
  });
  for (const id of ['jincheng', 'scjgj']) tokens[id] = (await c.ok('POST', `/cycles/${YEAR}/offices/${id}/token`, { token: c.coordinator })).token;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

async function newPage(width = 1280, height = 900): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height }, locale: 'zh-CN', acceptDownloads: true });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  (page as Page & { errors: string[] }).errors = errors;
  return page;
}
const pageErrors = (p: Page) => (p as Page & { errors: string[] }).errors;

async function signIn(page: Page, path: string, token: string) {
  await page.goto(`${site}${path}`);
  await page.fill('#token', token);
  await page.click('#signin-form button[type="submit"]');
}

async function uploadAs(page: Page, officeId: string, name: string, bytes: Buffer) {
  await signIn(page, '/upload/', tokens[officeId]);
  await page.waitForSelector('#office:not([hidden])');
  await page.setInputFiles('#file', { name, mimeType: 'text/plain', buffer: bytes });
  await page.click('#upload-button');
  // The verdict arrives by polling the status API after the S3 event was processed.
  await page.waitForSelector('#verdict:not([data-verdict="pending"])', { timeout: 90_000 });
}

describe('office page', () => {
  test('the seed is rejected: every finding by section with its cells, the receipt downloads', async () => {
    const page = await newPage();
    await uploadAs(page, 'jincheng', '锦程街道办事处2020年报.txt', SEED);
    expect(await page.getAttribute('#verdict', 'data-verdict')).toBe('rejected');
    await expect(page.textContent('#summary h1')).resolves.toBe('锦程街道办事处');
    await expect(page.textContent('#summary')).resolves.toContain('未通过');
    await expect(page.textContent('#upload-msg')).resolves.toMatch(/校验完成：报告未通过（\d+ 项错误）/);

    // The page shows exactly the findings the API stored, grouped under the report's sections.
    const api = await rt.client.ok('GET', `/cycles/${YEAR}/offices/jincheng`, { token: tokens.jincheng });
    const sub = api.submissions[0];
    expect(sub.verdict).toBe('rejected');
    const rows = page.locator('.findings-table tbody tr');
    expect(await rows.count()).toBe(sub.findings.length);
    const sections = await page.locator('.finding-section h4').allTextContents();
    expect(sections.some((s) => s.startsWith('三、收到和处理政府信息公开申请情况（表三）'))).toBe(true);
    expect(sections.some((s) => s.startsWith('二、主动公开政府信息情况（表二）'))).toBe(true);
    // A cell-level finding: 表三, row （一）予以公开, column 总计.
    const num01 = page.locator('.findings-table tr', { hasText: 'NUM-01' }).first();
    // 原文位置 (第…行) where the reader knows it.
    expect(await num01.locator('td').allTextContents()).toEqual(['错误', 'NUM-01', '表三', '（一）予以公开', '总计', expect.any(String), '', '', expect.stringContaining('总计为空白'), '']); // 处理: an error has no 说明 button
    // 系统读取的表格: the tables as read, the blank cell and the missing table visible.
    await page.click('#read-tables summary');
    const t3 = page.locator('.table-view[data-table="三"]');
    await expect(t3.locator('tr', { hasText: '（一）予以公开' }).locator('td').last().textContent()).resolves.toBe('空');
    await expect(page.locator('.table-view[data-table="二"] p.cell-missing').textContent()).resolves.toContain('报告中未找到表二');
    // An 应为 value where the rule has one.
    const expectedCell = sub.findings.find((f: { expected: number | null }) => f.expected !== null);
    expect(await page.locator('.findings-table td.num', { hasText: String(expectedCell.expected) }).count()).toBeGreaterThan(0);
    await expect(page.textContent('#verdict-card')).resolves.toContain(sub.id);
    await page.screenshot({ path: outputPath('office-rejected.png'), fullPage: true });

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#receipt')]);
    expect(download.suggestedFilename()).toBe(`回执-锦程街道办事处-${sub.id}.html`);
    const receipt = readFileSync((await download.path())!, 'utf8');
    expect(receipt).toContain(`提交编号`);
    expect(receipt).toContain(sub.id);
    expect(receipt).toContain(sub.sha256);
    expect(receipt).toContain('未通过');

    // The same office on a phone: the findings become stacked cards with their labels.
    const phone = await newPage(390, 844);
    await phone.goto(`${site}/upload/#token=${encodeURIComponent(tokens.jincheng)}`);
    await phone.waitForSelector('#verdict[data-verdict="rejected"]');
    expect(phone.url()).not.toContain('token=');
    expect(await phone.evaluate(() => getComputedStyle(document.querySelector('.findings-table thead')!).display)).toBe('none');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await phone.screenshot({ path: outputPath('office-phone.png'), fullPage: false });
    expect([...pageErrors(page), ...pageErrors(phone)]).toEqual([]);
    await phone.close();
    await page.close();
  }, 120_000);

  test('a clean report is accepted', async () => {
    const page = await newPage();
    await uploadAs(page, 'scjgj', '2020年政府信息公开工作年度报告.txt', CLEAN);
    expect(await page.getAttribute('#verdict', 'data-verdict')).toBe('accepted');
    await expect(page.textContent('#summary')).resolves.toContain('已通过');
    await expect(page.textContent('#upload-msg')).resolves.toContain('校验完成：报告通过');
    await page.screenshot({ path: outputPath('office-accepted.png'), fullPage: true });
    // Receipts were e-mailed too.
    const mails = await rt.client.mails();
    expect(mails.some((m) => m.destination.to.includes('scjgj@example.gov.cn') && m.subject.includes('通过'))).toBe(true);
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  }, 120_000);

  test('a wrong token is refused in Chinese; a wrong file type never reaches S3', async () => {
    const page = await newPage();
    await signIn(page, '/upload/', 'x'.repeat(43));
    await page.waitForSelector('#signin-msg.notice-error');
    await expect(page.textContent('#signin-msg')).resolves.toContain('访问令牌不正确');
    await signIn(page, '/upload/', tokens.jincheng);
    await page.waitForSelector('#office:not([hidden])');
    await page.setInputFiles('#file', { name: '年报.xlsx', mimeType: 'application/octet-stream', buffer: Buffer.from('x') });
    await page.click('#upload-button');
    await expect(page.textContent('#upload-msg')).resolves.toContain('不支持的文件类型“.xlsx”');
    await page.close();
  });
});

describe('coordinator dashboard', () => {
  test('sees both offices, filters, reads findings and history, reminds one, publishes the other', async () => {
    const page = await newPage();
    await signIn(page, '/dashboard/', rt.client.coordinator);
    await page.waitForSelector('#offices tr[data-office="scjgj"]');
    const row = (id: string) => page.locator(`#offices tr[data-office="${id}"]`);
    await expect(row('jincheng').textContent()).resolves.toContain('未通过');
    await expect(row('scjgj').textContent()).resolves.toContain('已通过');
    await expect(row('jincheng').textContent()).resolves.toMatch(/\d+ 错误 \/ \d+ 提示/);
    // Escaped: the markup in the office name is text, no element was created from it.
    await expect(row('xss').locator('button.link').textContent()).resolves.toBe('<img src=x onerror="window.__pwned=1">青峰区<b>教育局</b>');
    expect(await page.locator('#offices img, #offices b').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

    // Filters: by status (the count card) and by group.
    await page.selectOption('#filter-status', 'ACCEPTED');
    expect(await page.locator('#offices tr').count()).toBe(1);
    await page.selectOption('#filter-status', '');
    await page.selectOption('#filter-group', 'streets');
    expect(await page.locator('#offices tr').getAttribute('data-office')).toBe('jincheng');
    await page.selectOption('#filter-group', '');

    // An office's findings and history.
    await row('jincheng').locator('button.link').click();
    await page.waitForSelector('#detail:not([hidden]) .findings-table');
    await expect(page.textContent('#detail')).resolves.toContain('办理记录');
    await expect(page.textContent('#detail')).resolves.toContain('校验未通过');
    await expect(page.textContent('#detail')).resolves.toContain('NUM-01');

    // Send a reminder now: the office gets it, with its page.
    await page.click('#detail button[data-action="remind"]');
    await page.waitForSelector('#board-msg.notice-ok');
    await expect(page.textContent('#board-msg')).resolves.toContain('已向锦程街道办事处发送提醒');
    const reminder = (await rt.client.mails()).find((m) => m.destination.to.includes('jincheng@example.gov.cn') && m.subject.startsWith('【年报提醒】'));
    expect(reminder?.subject).toBe('【年报提醒】锦程街道办事处 2020年度报告距截止还有 10 天');
    expect(reminder?.body.text).toContain(`${site}/upload/?year=2020&office=jincheng`);
    await page.screenshot({ path: outputPath('dashboard.png'), fullPage: true });

    // Publish the accepted one.
    await row('scjgj').locator('button[data-action="publish"]').click();
    await page.click('#publish-dialog-confirm'); // publishing asks first (web/src/review.ts)
    await page.waitForFunction(() => document.getElementById('board-msg')?.textContent?.includes('已公开：青峰区市场监督管理局'));
    await expect(row('scjgj').textContent()).resolves.toContain('已公开');
    await rt.client.idle();
    expect((await rt.client.offices(YEAR)).find((o) => o.id === 'scjgj')?.status).toBe('PUBLISHED');
    expect(await rt.client.archivedPdfs(YEAR)).toEqual([`public/${YEAR}/scjgj/v1/report.pdf`]);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: outputPath('dashboard-published.png'), fullPage: false });

    const phone = await newPage(390, 844);
    await phone.goto(`${site}/dashboard/#token=${encodeURIComponent(rt.client.coordinator)}`);
    await phone.waitForSelector('#offices tr[data-office="scjgj"]');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await phone.screenshot({ path: outputPath('dashboard-phone.png'), fullPage: false });
    expect([...pageErrors(page), ...pageErrors(phone)]).toEqual([]);
    await phone.close();
    await page.close();
  }, 120_000);

  test('the public record: year index → office page → the canonical PDF and the open data', async () => {
    // Runs after the coordinator published 青峰区市场监督管理局 (the test above).
    const page = await newPage();
    await page.goto(`${site}/archive/`);
    await page.click(`a:text-is("${YEAR}年度")`);
    await expect(page.textContent('body')).resolves.toContain('青峰区市场监督管理局');
    // The office with markup in its name never uploaded: listed (not yet published) as text, not as markup.
    await expect(page.textContent('body')).resolves.toContain('<img src=x onerror="window.__pwned=1">青峰区<b>教育局</b>');
    // Only published work is public: the rejected office is named as not yet published, never as 未通过.
    await expect(page.textContent('body')).resolves.not.toContain('未通过');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await page.screenshot({ path: outputPath('archive-year.png'), fullPage: true });

    await page.click('a:text-is("青峰区市场监督管理局")');
    await expect(page.textContent('h1')).resolves.toContain('青峰区市场监督管理局');
    await expect(page.textContent('body')).resolves.toContain('（七）总计');
    await page.screenshot({ path: outputPath('archive-office.png'), fullPage: true });

    const pdfHref = await page.locator('a', { hasText: 'PDF' }).first().getAttribute('href');
    const pdf = await page.request.get(new URL(pdfHref!, page.url()).toString());
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toContain('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');

    const csv = await page.request.get(`${site}/archive/data/${YEAR}.csv`);
    expect(csv.status()).toBe(200);
    expect(await csv.text()).toContain('青峰区市场监督管理局');
    // Unpublished data is not public: the rejected office's parsed JSON is not under the archive URL.
    expect((await page.request.get(`${site}/archive/${YEAR}/jincheng/v1/report.json`)).status()).toBe(404);
    await page.close();
  });

  test('the start page links both pages and the archive', async () => {
    const page = await newPage();
    await page.goto(`${site}/`);
    expect(await page.locator('.entry a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual(['/upload/', '/dashboard/', '/archive/', '/search/']);
    await page.screenshot({ path: outputPath('index.png') });
    await page.close();
  });
});

function cliEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NIANBAO_LOCAL_DIR: rt.stateDir };
  delete env.NIANBAO_API;
  delete env.NIANBAO_TOKEN;
  return env;
}

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'nianbao.js'), 'remind', ...args], {
      cwd: ROOT,
      // The CLI finds the stack the usual way: the local state folder's endpoints.json.
      env: cliEnv(),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolveRun({ code, stdout, stderr }));
  });
}

describe('nianbao remind against the local stack', () => {
  const Y = 2019;
  beforeAll(async () => {
    const c = rt.client;
    await c.ok('POST', '/cycles', { token: c.coordinator, body: { year: Y, groups: [{ id: 'all', name: '全部', deadline: '2030-01-31' }], coordinatorEmails: ['coord-2019@example.gov.cn'] } });
    await c.ok('POST', `/cycles/${Y}/offices`, {
      token: c.coordinator,
      body: { offices: ['a', 'b'].map((id) => ({ id: `r-${id}`, name: `提醒单位${id}`, group: 'all', emails: [`r-${id}@example.gov.cn`] })) },
    });
  }, 60_000);

  const mailsFor = async (to: string) => (await rt.client.mails()).filter((m) => m.destination.to.includes(to));

  test('--dry-run lists, the run sends once, a repeat sends nothing, later days send their own', async () => {
    const dry = await cli(['--at', '2030-01-17T09:00:00+08:00', '--year', String(Y), '--dry-run', '--json']);
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true, reminders: 2, digests: 1 });
    expect(await mailsFor('r-a@example.gov.cn')).toHaveLength(0);

    const run = await cli(['--at', '2030-01-17T09:00:00+08:00', '--json']);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    // Every cycle is visited; only 2019 has something due that day.
    expect(out.runs.find((r: { sent: { year: number }[] }) => r.sent.some((s) => s.year === Y)).sent).toEqual([
      { year: Y, officeId: 'r-a', slot: 'before14' },
      { year: Y, officeId: 'r-b', slot: 'before14' },
    ]);
    expect(out.reminders).toBe(2);
    // Queued, then sent by mail-sender at the configured rate.
    expect(out.runs.every((r: { queued: boolean }) => r.queued)).toBe(true);
    await rt.client.idle();
    expect((await mailsFor('r-a@example.gov.cn')).map((m) => m.subject)).toEqual(['【年报提醒】提醒单位a 2019年度报告距截止还有 14 天']);
    expect((await mailsFor('coord-2019@example.gov.cn')).map((m) => m.subject)).toEqual(['【年报进度】2019年度报告 2030-01-17：逾期 0 家，未通过 0 家']);

    const again = await cli(['--at', '2030-01-17T10:00:00+08:00', '--year', String(Y)]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('已排队发送提醒 0 封');
    await rt.client.idle();
    expect(await mailsFor('r-a@example.gov.cn')).toHaveLength(1);

    const late = await cli(['--at', '2030-02-01', '--year', String(Y)]);
    expect(late.code).toBe(0);
    expect(late.stdout).toMatch(/r-a\s+逾期第1天/);
    await rt.client.idle();
    expect((await mailsFor('r-b@example.gov.cn')).map((m) => m.subject)).toContain('【年报逾期】提醒单位b 2019年度报告已逾期 1 天');
    // The audit trail counts them (what the demo's summary reads).
    expect((await rt.client.audit(Y, 'r-a')).map((e) => e.action)).toEqual(['reminder', 'overdue_notice']);
  }, 120_000);

  test('bad input: a malformed time is refused by the API in Chinese (exit 1), a bad option is a usage error (exit 2)', async () => {
    const bad = await cli(['--at', '明天', '--year', String(Y)]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('时间“明天”格式不正确');
    const usage = await cli(['--year', '19']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--year 应为四位年度');
  }, 60_000);
});
