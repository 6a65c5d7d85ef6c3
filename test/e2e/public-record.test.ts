/**
 * The 本级 report and the public record in a real browser (Debian's chromium via playwright-core) against
 * the local runtime: two cycles of consistent reports uploaded, checked and published through the API; the
 * dashboard's aggregate section downloads the .docx (read back by our own reader) and publishes it; the public
 * year page shows the totals (equal to the sum of the published reports) and the year-on-year chart as SVG;
 * the search page finds an office by name and year; at 390 px nothing scrolls sideways. No page logs a CSP
 * violation or a script error. Screenshots go to test-output/.
 */
import { readFileSync } from 'node:fs';
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { isUnreadable, readReport } from '../../shared/report/ingest';
import type { Report } from '../../shared/report/model';
import { T3 } from '../../shared/report/spec';
import { CHART_FIGURES } from '../../shared/render/public-record';
import { consistentReport } from '../report/rules-gen';
import { launchBrowser, outputPath, startRuntime, type Runtime } from './helpers';

const YEARS = [2025, 2026];
const OFFICES = [
  { id: 'jincheng', name: '锦程街道办事处', group: 'streets', emails: ['jc@example.gov.cn'] },
  { id: 'scjgj', name: '青峰区市场监督管理局', group: 'departments', emails: ['sc@example.gov.cn'] },
  { id: 'jyj', name: '青峰区教育局', group: 'departments', emails: ['jy@example.gov.cn'] },
];
/** What is published: jyj's 2026 report is accepted but never published, so it is in no public figure. */
const PUBLISHED: Record<number, string[]> = { 2025: ['jincheng', 'scjgj', 'jyj'], 2026: ['jincheng', 'scjgj'] };

let rt: Runtime;
let browser: Browser;
let site = '';
const reports: Record<string, Report> = {};
const received = (r: Report) => r.table3![T3.received][T3.total].value!;

beforeAll(async () => {
  rt = await startRuntime();
  site = rt.client.endpoints.api;
  browser = await launchBrowser();
  const c = rt.client;
  for (const year of YEARS) {
    await c.ok('POST', '/cycles', {
      token: c.coordinator,
      body: {
        year,
        groups: [
          { id: 'streets', name: '街道办事处', deadline: '2030-01-31' },
          { id: 'departments', name: '区直部门', deadline: '2030-01-31' },
        ],
        coordinatorEmails: ['coordinator@example.gov.cn'],
      },
    });
    await c.ok('POST', `/cycles/${year}/offices`, { token: c.coordinator, body: { offices: OFFICES } });
    for (const [i, o] of OFFICES.entries()) {
      const report = consistentReport(year * 10 + i, { version: '2021', year, office: o.name });
      reports[`${year}/${o.id}`] = report;
      const { token } = await c.ok('POST', `/cycles/${year}/offices/${o.id}/token`, { token: c.coordinator });
      const ticket = await c.ok('POST', `/cycles/${year}/offices/${o.id}/uploads`, { token, body: { fileName: '年报.json' } });
      const posted = await c.postUpload(ticket, Buffer.from(JSON.stringify(report)), '年报.json');
      expect(posted.status).toBeLessThan(300);
    }
    await c.idle();
    for (const id of PUBLISHED[year]) await c.ok('POST', `/cycles/${year}/offices/${id}/publish`, { token: c.coordinator });
    await c.idle();
  }
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

/** A page that records script errors and CSP violations (Chromium logs those to the console). */
async function newPage(width = 1280, height = 900): Promise<Page & { problems: string[] }> {
  const page = (await browser.newPage({ viewport: { width, height }, locale: 'zh-CN', acceptDownloads: true })) as Page & { problems: string[] };
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(e.message));
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/.test(m.text())) page.problems.push(m.text());
  });
  return page;
}

const publishedSum = (year: number) => PUBLISHED[year].reduce((a, id) => a + received(reports[`${year}/${id}`]), 0);

test('the dashboard downloads the 本级 report as .docx (our reader reads it back) and publishes it', async () => {
  const page = await newPage();
  await page.goto(`${site}/dashboard/#token=${encodeURIComponent(rt.client.coordinator)}`);
  await page.waitForSelector('#offices tr[data-office="scjgj"]');
  await page.selectOption('#year', '2026');
  await page.waitForSelector('#offices tr[data-office="jyj"]');
  await page.fill('#agg-name', '青峰区人民政府');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('.agg-download[data-format="docx"]')]);
  expect(download.suggestedFilename()).toMatch(/\.docx$/);
  const bytes = readFileSync((await download.path())!);
  expect(bytes.subarray(0, 2).toString()).toBe('PK');
  const back = await readReport(new Uint8Array(bytes), { fileName: download.suggestedFilename() });
  if (isUnreadable(back)) throw new Error(back.unreadable);
  expect(back.report.table3![T3.received][T3.total].value).toBe(publishedSum(2026));
  const api = await rt.client.ok('GET', '/cycles/2026/aggregate?name=' + encodeURIComponent('青峰区人民政府'), { token: rt.client.coordinator });
  expect(back.report.table3).toEqual(api.report.table3);
  expect(back.report.table4).toEqual(api.report.table4);

  // the coordinator confirms; the archive function publishes (asynchronously)
  page.once('dialog', (d) => void d.accept());
  await page.click('#agg-publish');
  await page.waitForFunction(() => document.getElementById('agg-msg')?.textContent?.includes('正在生成并公开'));
  await rt.client.idle();
  await page.screenshot({ path: outputPath('dashboard-aggregate.png'), fullPage: true });
  expect(page.problems).toEqual([]);
  await page.close();
}, 120_000);

test('the public year page: totals equal the sum of the published reports; the year-on-year chart is SVG', async () => {
  const page = await newPage();
  await page.goto(`${site}/archive/`);
  await page.click('a:text-is("2026年度")');
  const value = await page.getAttribute('#totals tr[data-figure="received"] td[data-value]', 'data-value');
  expect(Number(value)).toBe(publishedSum(2026));
  await expect(page.textContent('#totals tr[data-figure="received"] td[data-label="2025年度"]')).resolves.toBe(String(publishedSum(2025)));
  // one bar per year per figure, the bars of 新收申请 carrying both years' sums
  expect(await page.locator('#chart-yoy svg rect.bar').count()).toBe(2 * CHART_FIGURES.length);
  expect(await page.locator('#chart-yoy svg rect.bar').evaluateAll((bars) => bars.slice(0, 2).map((b) => Number(b.getAttribute('data-value'))))).toEqual([
    publishedSum(2025),
    publishedSum(2026),
  ]);
  const box = await page.locator('#chart-yoy svg').boundingBox();
  expect(box!.width).toBeGreaterThan(300);
  expect(box!.height).toBeGreaterThan(300);
  // the published 本级 report is linked, and the unpublished report is nowhere
  await expect(page.textContent('body')).resolves.toContain('本级汇总报告（第1版）');
  expect(await page.locator('table.offices tbody tr').count()).toBe(2);
  await page.screenshot({ path: outputPath('archive-year-totals.png'), fullPage: true });

  // the spreadsheet of every year downloads from the year page
  const xlsx = await page.request.get(new URL((await page.getAttribute('a:text-is("Excel")', 'href'))!, page.url()).toString());
  expect(xlsx.status()).toBe(200);
  expect((await xlsx.body()).subarray(0, 2).toString()).toBe('PK');
  expect(page.problems).toEqual([]);
  await page.close();
}, 60_000);

test('search finds an office by name and year; its page across years links every year', async () => {
  const page = await newPage();
  await page.goto(`${site}/search/`);
  await page.waitForSelector('#search-msg:not([hidden])');
  await page.fill('#q', '市场监督');
  await expect(page.locator('#results li').count()).resolves.toBe(1);
  await expect(page.textContent('#results li .office-name')).resolves.toBe('青峰区市场监督管理局');
  expect(page.url()).toContain(`q=${encodeURIComponent('市场监督')}`);
  // 教育局 published 2025 only: found in 2025, not in 2026
  await page.fill('#q', '教育');
  await page.selectOption('#year', '2026');
  await expect(page.locator('#results li').count()).resolves.toBe(0);
  await page.selectOption('#year', '2025');
  await expect(page.locator('#results li .years a').allTextContents()).resolves.toEqual(['2025年度报告']);
  await page.screenshot({ path: outputPath('search.png'), fullPage: true });

  await page.fill('#q', '市场监督');
  await page.selectOption('#year', '');
  await page.click('#results li .office-name');
  await page.waitForSelector('table.history');
  await expect(page.textContent('h1')).resolves.toContain('青峰区市场监督管理局');
  expect(await page.locator('table.history tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-year')))).toEqual(['2026', '2025']);
  await page.screenshot({ path: outputPath('archive-office-history.png'), fullPage: true });
  expect(page.problems).toEqual([]);
  await page.close();
}, 60_000);

test('on a 390 px phone the year page, the directory and the search page do not scroll sideways', async () => {
  const page = await newPage(390, 844);
  for (const path of ['/archive/2026/index.html', '/archive/offices/index.html', '/archive/offices/scjgj/index.html', '/search/?q=' + encodeURIComponent('锦程')]) {
    await page.goto(`${site}${path}`);
    expect([path, await page.evaluate(() => document.documentElement.scrollWidth)]).toEqual([path, 390]);
  }
  await page.goto(`${site}/archive/2026/index.html`);
  // the year table reflows: each office is a block with its labelled status
  await expect(page.locator('table.offices td[data-label="状态"]').first().isVisible()).resolves.toBe(true);
  await page.screenshot({ path: outputPath('archive-year-phone.png'), fullPage: true });
  expect(page.problems).toEqual([]);
  await page.close();
}, 60_000);
