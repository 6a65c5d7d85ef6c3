/**
 * The public record across years, through the real archive step (in-memory ports, the real checker): the
 * year page's totals equal the sum of the published reports and compare with last year's, drawn as SVG;
 * an office's page across years; the directory and the search index; every year as one .xlsx/CSV with its
 * data dictionary (read back with exceljs); the published 本级 report in the open data. Unpublished work
 * never appears; a correction of last year reaches this year's page; nothing unchanged is rewritten.
 */
import ExcelJS from 'exceljs';
import { DomUtils, parseDocument } from 'htmlparser2';
import type { Element } from 'domhandler';
import { archiveSubmission } from '../../shared/publishing/archive';
import { publishAggregate } from '../../shared/publishing/aggregate';
import { defaultChecker } from '../../shared/cycle/checker';
import { processSubmission } from '../../shared/cycle/processing';
import { createCycle, importOffices, publishOffice } from '../../shared/cycle/service';
import type { Report } from '../../shared/report/model';
import { T3 } from '../../shared/report/spec';
import { CHART_FIGURES } from '../../shared/render/public-record';
import { WIDE_COLUMNS, WIDE_LEAD } from '../../shared/render/wide-data';
import { consistentReport } from '../report/rules-gen';
import { world, type World } from './helpers';

const XSS = '<script>alert(1)</script>青峰区<b>教育局</b>';
const OFFICES = [
  { id: 'jincheng', name: '锦程街道办事处', group: 'streets', emails: ['jc@example.cn'] },
  { id: 'fagai', name: '青峰区发展和改革局', group: 'departments', emails: ['fg@example.cn'] },
  { id: 'jyj', name: XSS, group: 'departments', emails: ['jy@example.cn'] },
  // accepted, never published: must not appear anywhere
  { id: 'hidden', name: '未公开的卫生健康局', group: 'departments', emails: ['h@example.cn'] },
];

const reports: Record<string, Report> = {};
let w: World;
let n = 0;

async function submit(year: number, officeId: string, report: Report): Promise<void> {
  n += 1;
  // The canonical JSON: a text file whose first line is markup would be read as a web page.
  const key = `incoming/${year}/${officeId}/00000000-0000-4000-8000-${String(n).padStart(12, '0')}.json`;
  const info = w.incoming.putObject(key, JSON.stringify(report), { lastModified: new Date(w.clock.t), fileName: '年报.json', versionId: `v-${n}` });
  await processSubmission(w.deps, { bucket: 'incoming', key, versionId: info.versionId, sequencer: `0${n}`, eTag: info.etag });
}

/** Runs every archive step asked for so far (as the archive function would). */
async function archiveAll(): Promise<string[]> {
  const written: string[] = [];
  for (const ref of w.archived.splice(0)) {
    const out = await archiveSubmission(w.deps, ref);
    if (out.outcome === 'archived') written.push(...out.written);
  }
  return written;
}

const text = (key: string) => Buffer.from(w.archive.objects.get(key)!.bytes).toString('utf8');
const received = (r: Report) => r.table3![T3.received][T3.total].value!;

beforeAll(async () => {
  w = world({ checker: defaultChecker });
  for (const year of [2025, 2026]) {
    await createCycle(w.deps, {
      year,
      coordinatorEmails: ['c@example.cn'],
      groups: [
        { id: 'streets', name: '街道', deadline: `${year + 1}-01-31` },
        { id: 'departments', name: '区直部门', deadline: `${year + 1}-01-31` },
      ],
    });
    await importOffices(w.deps, year, { offices: OFFICES });
    OFFICES.forEach((o, i) => (reports[`${year}/${o.id}`] = consistentReport(year * 10 + i, { version: '2021', year, office: o.name })));
    for (const o of OFFICES) await submit(year, o.id, reports[`${year}/${o.id}`]);
    for (const id of ['jincheng', 'fagai', 'jyj']) if (year === 2025 || id !== 'jyj') await publishOffice(w.deps, year, id);
    await archiveAll();
  }
}, 60_000);

describe('the year page', () => {
  test('totals = the sum of the published reports, beside last year; the chart draws both years', () => {
    const html = text('public/2026/index.html');
    const doc = parseDocument(html);
    const row = DomUtils.findOne((e) => e.name === 'tr' && e.attribs['data-figure'] === 'received', doc.children) as Element;
    const value = DomUtils.findOne((e) => e.attribs['data-value'] !== undefined, row.children) as Element;
    // 2026: jincheng and fagai published (jyj only in 2025; hidden never)
    expect(Number(value.attribs['data-value'])).toBe(received(reports['2026/jincheng']) + received(reports['2026/fagai']));
    const cells = DomUtils.findAll((e) => e.name === 'td', row.children).map((c) => DomUtils.textContent(c));
    expect(cells[0]).toBe(String(received(reports['2025/jincheng']) + received(reports['2025/fagai']) + received(reports['2025/jyj'])));
    expect(html).toContain('已公开的 2 个单位年度报告的合计，与上年度（3 个单位）比较');
    // one bar per year per figure, each with the figure's value
    const bars = DomUtils.findAll((e) => e.name === 'rect' && e.attribs.class === 'bar', doc.children);
    expect(bars).toHaveLength(2 * CHART_FIGURES.length);
    const receivedBars = bars.slice(0, 2).map((b) => [b.attribs['data-series'], Number(b.attribs['data-value'])]);
    expect(receivedBars).toEqual([
      ['2025年度', Number(cells[0])],
      ['2026年度', Number(value.attribs['data-value'])],
    ]);
    expect(html).not.toContain('未公开的卫生健康局');
  });

  test('the top index draws every year; the directory, the search index and the office across years', () => {
    const top = text('public/index.html');
    expect(top).toContain('历年主要数字');
    expect(top).toContain('href="https://nianbao.example/search/"');
    const dir = text('public/offices/index.html');
    expect(dir).toContain('href="../offices/jincheng/index.html">锦程街道办事处</a>');
    expect(dir).toContain('href="../2025/jyj/index.html">2025年度</a>');
    expect(dir).not.toContain('未公开的卫生健康局');
    const index = JSON.parse(text('public/data/offices.json'));
    expect(index.offices.map((o: { id: string }) => o.id).sort()).toEqual(['fagai', 'jincheng', 'jyj']);
    expect(index.offices.find((o: { id: string }) => o.id === 'jincheng').years).toEqual([
      { year: 2026, name: '锦程街道办事处', group: '街道', page: '2026/jincheng/index.html' },
      { year: 2025, name: '锦程街道办事处', group: '街道', page: '2025/jincheng/index.html' },
    ]);
    const history = text('public/offices/fagai/index.html');
    const doc = parseDocument(history);
    const years = DomUtils.findAll((e) => e.name === 'tr' && e.attribs['data-year'] !== undefined, doc.children).map((r) => r.attribs['data-year']);
    expect(years).toEqual(['2026', '2025']);
    expect(history).toContain('href="../../2025/fagai/v1/report.pdf"');
    expect(history).toContain(`<td data-label="本年新收政府信息公开申请">${received(reports['2025/fagai'])}</td>`);
    expect(w.archive.objects.has('public/offices/hidden/index.html')).toBe(false);
  });

  test('an office name with markup stays text on every new page', () => {
    for (const key of ['public/offices/index.html', 'public/offices/jyj/index.html', 'public/2025/index.html']) {
      const html = text(key);
      expect(html).not.toContain('<script>');
      expect(html).not.toContain('<b>教育局');
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;青峰区&lt;b&gt;教育局&lt;/b&gt;');
    }
  });
});

describe('every year as one sheet', () => {
  test('.xlsx: one row per office and year, a column per canonical cell, a data dictionary; the CSV says the same', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(w.archive.objects.get('public/data/all-years.xlsx')!.bytes as unknown as ArrayBuffer);
    const data = wb.getWorksheet('数据')!;
    const header = (data.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual([...WIDE_LEAD.map((l) => l.header), ...WIDE_COLUMNS.map((c) => c.header)]);
    const rows = Array.from({ length: data.rowCount - 1 }, (_, i) => (data.getRow(i + 2).values as unknown[]).slice(1));
    // years in order, each year's offices by name as on its page (zh-CN collation)
    expect(rows.map((r) => [r[1], r[2]])).toEqual([
      [2025, 'jyj'],
      [2025, 'jincheng'],
      [2025, 'fagai'],
      [2026, 'jincheng'],
      [2026, 'fagai'],
    ]);
    const col = header.indexOf(`表三｜${T3.received}｜${T3.total}`);
    expect(rows[3][col]).toBe(received(reports['2026/jincheng']));
    expect(rows[0][3]).toBe(XSS);
    const dict = wb.getWorksheet('数据字典')!;
    expect(dict.rowCount).toBe(1 + WIDE_LEAD.length + WIDE_COLUMNS.length);
    const money = (dict.getRow(1 + WIDE_LEAD.length + WIDE_COLUMNS.findIndex((c) => c.column.includes('收费金额')) + 1).values as unknown[]).slice(1);
    expect(money[2]).toBe('万元');

    const csv = text('public/data/all-years.csv').replace(/^\uFEFF/, '').split('\r\n');
    expect(csv[0].split(',').length).toBe(header.length);
    expect(csv.filter(Boolean)).toHaveLength(1 + rows.length);
    expect(text('public/data/dictionary.csv')).toContain('列名,含义,单位');
  });
});

describe('keeping it current', () => {
  test('the published 本级 report appears in the open data (JSON and CSV) and the sheet', async () => {
    await publishAggregate(w.deps, 2026, { name: '青峰区人民政府' });
    const data = JSON.parse(text('public/data/2026.json'));
    expect(data.aggregate).toMatchObject({ office: '青峰区人民政府', version: 1, formatVersion: '2021' });
    const cell = data.aggregate.cells.find((c: { row: string; column: string }) => c.row === T3.received && c.column === T3.total);
    expect(cell.value).toBe(received(reports['2026/jincheng']) + received(reports['2026/fagai']));
    expect(text('public/data/2026.csv')).toContain('本级汇总报告,2026,青峰区人民政府（第1版）,2021,表三');
    expect(text('public/data/all-years.csv')).toContain('本级汇总报告,2026,,青峰区人民政府,2021,1,');
  });

  test('a correction of last year reaches this year page; a repeat rewrites nothing of the spreadsheet', async () => {
    const corrected = consistentReport(777, { version: '2021', year: 2025, office: '青峰区发展和改革局' });
    await submit(2025, 'fagai', corrected);
    await publishOffice(w.deps, 2025, 'fagai');
    const written = await archiveAll();
    expect(written).toContain('public/2025/index.html');
    expect(written).toContain('public/2026/index.html');
    const html = text('public/2026/index.html');
    const sum2025 = received(reports['2025/jincheng']) + received(corrected) + received(reports['2025/jyj']);
    expect(html).toMatch(new RegExp(`data-figure="received"><th scope="row">[^<]+</th><td data-label="2025年度">${sum2025}</td>`));
    expect(text('public/offices/fagai/index.html')).toContain('href="../../2025/fagai/v2/report.pdf"');

    w.archived.push({ year: 2025, officeId: 'fagai', submissionId: (await w.repo.getOffice(2025, 'fagai'))!.publishedSubmissionId! });
    const again = await archiveAll();
    expect(again.filter((k) => /totals|rows|all-years|dictionary|2026\//.test(k))).toEqual([]);
  });

  test('a year archived before its rows file existed is read from its open data', async () => {
    const before = text('public/data/all-years.csv');
    w.archive.objects.delete('public/data/2025-rows.json');
    w.archived.push({ year: 2026, officeId: 'jincheng', submissionId: (await w.repo.getOffice(2026, 'jincheng'))!.publishedSubmissionId! });
    const written = await archiveAll();
    expect(written).not.toContain('public/data/all-years.csv');
    expect(text('public/data/all-years.csv')).toBe(before);
  });
});
