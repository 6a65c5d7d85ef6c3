/**
 * Review before publishing, withdrawal and judgement, in headless Chromium against a local runtime: the
 * coordinator previews a submission's canonical PDF (the bytes later archived), publishes after the
 * confirmation, withdraws with a reason (the public page keeps the notice, the year page and the open data drop
 * the report, the office is told by e-mail); an office explains a 提示 on its page and the coordinator waives an
 * error with a reason. The screenshots go to docs/images/ for docs/使用说明.md.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ROOT, docImage as image, launchBrowser, startRuntime, type Runtime } from './helpers';

const YEAR = 2020;
const SEED = readFileSync(join(ROOT, 'fixtures', 'jincheng-2020.txt'));
const CLEAN = readFileSync(join(ROOT, 'fixtures', 'clean-2019.txt'));
const REASON = '附件中含有不应公开的个人信息，请删除后重新报送';
const FOOTER = '青峰区人民政府办公室\n联系人：李明　电话：0931-1234567';

let rt: Runtime;
let browser: Browser;
let site = '';
const tokens: Record<string, string> = {};


beforeAll(async () => {
  rt = await startRuntime();
  site = rt.client.endpoints.api;
  browser = await launchBrowser();
  const c = rt.client;
  const deadline = new Date(Date.now() + 8 * 3600_000 + 10 * 86_400_000).toISOString().slice(0, 10);
  await c.ok('POST', '/cycles', {
    token: c.coordinator,
    body: {
      year: YEAR,
      groups: [
        { id: 'streets', name: '街道办事处', deadline },
        { id: 'departments', name: '区直部门', deadline },
      ],
      coordinatorEmails: ['coordinator@example.gov.cn'],
      issuer: '青峰区人民政府办公室',
      contactPerson: '李明',
      contactPhone: '0931-1234567',
    },
  });
  await c.ok('POST', `/cycles/${YEAR}/offices`, {
    token: c.coordinator,
    body: {
      offices: [
        { id: 'jincheng', name: '锦程街道办事处', group: 'streets', emails: ['jincheng@example.gov.cn'] },
        { id: 'scjgj', name: '青峰区市场监督管理局', group: 'departments', emails: ['scjgj@example.gov.cn'] },
      ],
    },
  });
  for (const [id, name, bytes] of [['jincheng', '锦程街道办事处2020年报.txt', SEED], ['scjgj', '市场监管局2020年报.txt', CLEAN]] as const) {
    tokens[id] = (await c.ok('POST', `/cycles/${YEAR}/offices/${id}/token`, { token: c.coordinator })).token;
    const ticket = await c.requestUpload(YEAR, id, tokens[id], name);
    expect((await c.postUpload(ticket.body, bytes, name)).status).toBeLessThan(300);
  }
  await c.idle();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

async function newPage(): Promise<Page & { errors: string[] }> {
  const page = (await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', acceptDownloads: true })) as Page & { errors: string[] };
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  return page;
}

async function dashboardAt(officeId: string): Promise<Page & { errors: string[] }> {
  const page = await newPage();
  await page.goto(`${site}/dashboard/`);
  await page.fill('#token', rt.client.coordinator);
  await page.click('#signin-form button[type="submit"]');
  await page.locator(`#offices tr[data-office="${officeId}"] button.link`).click();
  await page.waitForSelector('#detail:not([hidden]) h2');
  return page;
}

const status = async (id: string) => (await rt.client.ok('GET', `/cycles/${YEAR}/offices/${id}`, { token: rt.client.coordinator })).office.status;
const mailTo = async (to: string, subject: string) => (await rt.client.mails()).find((m) => m.destination.to.includes(to) && m.subject.startsWith(subject));

test('the coordinator previews the canonical PDF, then publishes after the confirmation', async () => {
  const page = await dashboardAt('scjgj');
  await page.waitForSelector('#review-files');
  await expect(page.textContent('#detail')).resolves.toContain('预览 PDF 即公开后的版式文件');
  // The tables as read, in the office detail.
  await page.click('#review-tables summary');
  await expect(page.locator('#review-tables .table-view[data-table="三"]').textContent()).resolves.toContain('（七）总计');
  await page.screenshot({ path: image('review-detail.png'), fullPage: true });

  // 预览 PDF: fetched with the token, opened in a new tab from a blob.
  const [popup, response] = await Promise.all([page.waitForEvent('popup'), page.waitForResponse((r) => r.url().endsWith('/pdf')), page.click('#preview-pdf')]);
  const previewed = await response.body();
  expect(previewed.subarray(0, 5).toString()).toBe('%PDF-');
  expect(response.headers()['content-disposition']).toMatch(/^attachment;/);
  await popup.waitForURL(/^blob:/);
  await popup.close();

  // The original downloads as it was uploaded.
  const [original] = await Promise.all([page.waitForEvent('download'), page.click('#download-original')]);
  expect(original.suggestedFilename()).toBe('市场监管局2020年报.txt');
  expect(readFileSync((await original.path())!).equals(CLEAN)).toBe(true);

  // Publish asks first; cancelling changes nothing.
  await page.click('#detail button[data-action="publish"]');
  await page.waitForSelector('#publish-dialog[open]');
  const said = await page.textContent('#publish-dialog');
  for (const part of ['PDF', '结构化数据（JSON）', '公开页面', '年度目录', '可以撤回']) expect(said).toContain(part);
  await page.screenshot({ path: image('review-publish-confirm.png') });
  await page.click('#publish-dialog-cancel');
  expect(await status('scjgj')).toBe('ACCEPTED');
  await page.click('#detail button[data-action="publish"]');
  await page.click('#publish-dialog-confirm');
  await page.waitForFunction(() => document.getElementById('board-msg')?.textContent?.includes('已公开：青峰区市场监督管理局'));
  await rt.client.idle();
  expect(await status('scjgj')).toBe('PUBLISHED');

  // The archive holds exactly the previewed bytes; the office was told, with the 政务公开办 at the end.
  const archived = await page.request.get(`${site}/archive/${YEAR}/scjgj/v1/report.pdf`);
  expect(Buffer.from(await archived.body()).equals(previewed)).toBe(true);
  const mail = await mailTo('scjgj@example.gov.cn', '【年报公开】');
  expect(mail?.body.text?.trimEnd().endsWith(FOOTER)).toBe(true);
  expect(page.errors).toEqual([]);
  await page.close();
}, 180_000);

test('withdrawing needs a reason; the public page keeps the notice, the year page and the open data drop the report', async () => {
  const page = await dashboardAt('scjgj');
  await page.click('#withdraw');
  await page.waitForSelector('#withdraw-dialog[open]');
  await page.click('#withdraw-dialog-confirm');
  await expect(page.textContent('#withdraw-dialog [role="alert"]')).resolves.toBe('请填写撤回理由。');
  await page.fill('#withdraw-dialog-text', REASON);
  await page.screenshot({ path: image('review-withdraw.png') });
  await page.click('#withdraw-dialog-confirm');
  await page.waitForFunction(() => document.getElementById('board-msg')?.textContent?.includes('已撤回青峰区市场监督管理局的报告'));
  await rt.client.idle();
  expect(await status('scjgj')).toBe('RETURNED');
  await expect(page.textContent('#detail')).resolves.toContain('撤回公开');

  const pub = await newPage();
  await pub.goto(`${site}/archive/${YEAR}/scjgj/index.html`);
  await expect(pub.textContent('.notice.withdrawn')).resolves.toMatch(new RegExp(`^该报告（第 1 版）已于\\d{4}年\\d+月\\d+日撤回，理由：${REASON}$`));
  expect(await pub.locator('a[href$="report.pdf"]').count()).toBe(0);
  await pub.screenshot({ path: image('review-withdrawn-public.png') });
  await pub.goto(`${site}/archive/${YEAR}/index.html`);
  await expect(pub.textContent('body')).resolves.not.toContain('青峰区市场监督管理局');
  expect(await pub.locator('a[href*="scjgj"]').count()).toBe(0);
  expect(await (await pub.request.get(`${site}/archive/data/${YEAR}.csv`)).text()).not.toContain('青峰区市场监督管理局');

  const mail = await mailTo('scjgj@example.gov.cn', '【年报撤回】');
  expect(mail?.body.text).toContain(`撤回理由：${REASON}`);
  expect(mail?.body.text).toContain(`${site}/upload/?year=${YEAR}&office=scjgj`);
  expect(mail?.body.text?.trimEnd().endsWith(FOOTER)).toBe(true);

  // The office sees why on its page, and may upload again.
  const office = await newPage();
  await office.goto(`${site}/upload/#token=${encodeURIComponent(tokens.scjgj)}`);
  await office.waitForSelector('#summary h1');
  await expect(office.textContent('#summary')).resolves.toContain(`已撤回公开。撤回理由：${REASON}`);
  await expect(office.locator('#upload-button').isEnabled()).resolves.toBe(true);
  expect([...page.errors, ...pub.errors, ...office.errors]).toEqual([]);
  await Promise.all([page.close(), pub.close(), office.close()]);
}, 180_000);

test('an office explains a 提示 on its page; the coordinator waives an error with a reason', async () => {
  const office = await newPage();
  await office.goto(`${site}/upload/`);
  await office.fill('#token', tokens.jincheng);
  await office.click('#signin-form button[type="submit"]');
  await office.waitForSelector('#verdict[data-verdict="rejected"]');
  // 说明 only on 提示: as many buttons as warnings.
  const api = await rt.client.ok('GET', `/cycles/${YEAR}/offices/jincheng`, { token: tokens.jincheng });
  const findings: { severity: string; rule: string }[] = api.submissions[0].findings;
  expect(await office.locator('button[data-action="explain"]').count()).toBe(findings.filter((f) => f.severity === 'warning').length);
  const warning = findings.findIndex((f) => f.severity === 'warning');
  await office.click(`tr[data-index="${warning}"] button[data-action="explain"]`);
  await office.waitForSelector('#explain-dialog[open]');
  await office.fill('#explain-dialog-text', '表三按本街道实际受理情况填写，已与台账核对。');
  await office.screenshot({ path: image('review-explain.png') });
  await office.click('#explain-dialog-confirm');
  await office.waitForSelector(`tr[data-index="${warning}"] .badge.explained`);
  await expect(office.textContent(`tr[data-index="${warning}"] .badge.explained`)).resolves.toBe('单位说明：表三按本街道实际受理情况填写，已与台账核对。');

  const page = await dashboardAt('jincheng');
  await page.waitForSelector(`#detail tr[data-index="${warning}"] .badge.explained`);
  const error = findings.findIndex((f) => f.severity === 'error');
  await page.click(`#detail tr[data-index="${error}"] button[data-action="waive"]`);
  await page.waitForSelector('#waive-dialog[open]');
  await page.click('#waive-dialog-confirm');
  await expect(page.textContent('#waive-dialog [role="alert"]')).resolves.toBe('请填写豁免理由。');
  await page.fill('#waive-dialog-text', '该项经电话核实，按上级口径另行统计');
  await page.click('#waive-dialog-confirm');
  await page.waitForSelector(`#detail tr[data-index="${error}"] .badge.waived`);
  await expect(page.textContent(`#detail tr[data-index="${error}"] .badge.waived`)).resolves.toBe('已豁免（理由：该项经电话核实，按上级口径另行统计）');
  expect(await page.locator(`#detail tr[data-index="${error}"] button[data-action="waive"]`).count()).toBe(0);
  await expect(page.textContent('#detail')).resolves.toContain('豁免问题');
  await page.locator(`#detail tr[data-index="${error}"]`).scrollIntoViewIfNeeded();
  await page.screenshot({ path: image('review-waive.png') });

  const after = await rt.client.ok('GET', `/cycles/${YEAR}/offices/jincheng`, { token: rt.client.coordinator });
  expect(after.submissions[0].judgements.map((j: { index: number; kind: string }) => [j.index, j.kind])).toEqual([
    [warning, 'explained'],
    [error, 'waived'],
  ]);
  expect([...office.errors, ...page.errors]).toEqual([]);
  await Promise.all([office.close(), page.close()]);
}, 180_000);
