import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { renderPdf } from '../../shared/render/pdf';
import { readReport, isUnreadable } from '../../shared/report/ingest';
import { ReportSchema, blankCell, type Report } from '../../shared/report/model';
import { SPECS, dataRows, type FormatSpec } from '../../shared/report/spec';
import { cellText } from '../../shared/render/format';
import { buildReport, hasNumberRun, pdfPages, pdftotext, squash, tableOf, tmp, writeTmp } from './helpers';

const FIXTURES = join(__dirname, '..', '..', 'fixtures');
const SHA = 'f3b1c0de9a8b7c6d5e4f30211203948576a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2';
const META = { submissionId: 'sub-2022-0007', sha256: SHA, receivedAt: '2022-01-20T09:30:00Z' };
const dir = tmp();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function readFixture(name: string): Promise<Report> {
  const r = await readReport(readFileSync(join(FIXTURES, name)));
  if (isUnreadable(r)) throw new Error(r.unreadable);
  return r.report;
}

/** Every label the national layout prints for this format: row texts, parents, blocks, columns, furniture. */
function labels(spec: FormatSpec): string[] {
  const out = new Set<string>();
  for (const t of Object.values(spec.tables)) {
    for (const r of t.rows) {
      out.add(r.text);
      if (r.parent) out.add(r.parent);
      if (r.block) out.add(r.block);
      for (const c of r.columns) out.add(c.label);
    }
    // Table 二's furniture lists the blocks of both formats; the rows say which ones this format has.
    for (const f of t.furniture) if (t.id !== '二' || !f.startsWith('第二十条')) out.add(f);
  }
  return [...out];
}

describe('renderPdf — complete 2021 report', () => {
  const report = buildReport();
  let file: string;
  let bytes: Buffer;
  let layout: string;
  let raw: string;

  beforeAll(async () => {
    ReportSchema.parse(report);
    bytes = await renderPdf(report, META);
    file = writeTmp(dir, 'full-2021.pdf', bytes);
    layout = pdftotext(file, '-layout');
    raw = squash(pdftotext(file, '-raw'));
  });

  it('prints the title, the six section headings and every row and column label of the spec', () => {
    expect(raw).toContain(squash('青峰区住房和城乡建设局2021年政府信息公开工作年度报告'));
    for (const s of SPECS['2021'].sections) expect(raw).toContain(squash(`${'一二三四五六'[s.ordinal - 1]}、${s.title}`));
    const missing = labels(SPECS['2021']).filter((l) => !raw.includes(squash(l)));
    expect(missing).toEqual([]);
  });

  it('puts every figure of every row on one line, in the column order of the national table', () => {
    for (const id of ['二', '三', '四'] as const) {
      if (id === '四') continue;
      for (const row of dataRows(SPECS['2021'].tables[id])) {
        const values = row.columns.map((c) => cellText(tableOf(report, id)?.[row.label]?.[c.label]));
        expect({ row: row.label, found: hasNumberRun(layout, values) }).toEqual({ row: row.label, found: true });
      }
    }
    // table 四: the 15 figures side by side in one row, 行政复议 then the two 行政诉讼 groups
    const t4 = dataRows(SPECS['2021'].tables['四']).flatMap((row) => row.columns.map((c) => cellText(report.table4?.[row.label]?.[c.label])));
    expect(t4).toHaveLength(15);
    expect(hasNumberRun(layout, t4)).toBe(true);
  });

  it('embeds one subset CJK font and nothing else', () => {
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' }).trim().split('\n').slice(2);
    expect(fonts).toHaveLength(1);
    const cols = fonts[0].trim().split(/\s+/);
    expect(cols[0]).toMatch(/^[A-Z]{6}\+NotoSansSC/);
    // name type... emb sub uni object ID
    expect(cols.slice(-5, -2)).toEqual(['yes', 'yes', 'yes']);
  });

  it('has the metadata, A4 pages and the footer with office, year, submission id, hash and page numbers', () => {
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info).toMatch(/^Title:\s+青峰区住房和城乡建设局2021年政府信息公开工作年度报告$/m);
    expect(info).toMatch(/^Author:\s+青峰区住房和城乡建设局$/m);
    expect(info).toMatch(/^Subject:\s+.*2021年度.*国办公开办函〔2021〕30号/m);
    expect(info).toMatch(/^Page size:\s+595\.28 x 841\.89 pts \(A4\)$/m);
    const pages = pdfPages(file);
    expect(pages).toBeGreaterThanOrEqual(2);
    for (let p = 1; p <= pages; p++) {
      const text = squash(pdftotext(file, '-layout', p));
      expect(text).toContain(`第${p}页/共${pages}页`);
      expect(text).toContain('提交编号sub-2022-0007');
      expect(text).toContain(`SHA-256${SHA.slice(0, 12)}`);
      expect(text).toContain('2021年度');
      expect(text).toContain('接收于2022年1月20日17:30'); // 09:30Z in Asia/Shanghai
    }
  });

  it('stays within 100 KB', () => {
    expect(bytes.length).toBeLessThanOrEqual(100 * 1024);
  });

  it('is deterministic: same input, same bytes; without meta the date is fixed too', async () => {
    expect((await renderPdf(report, META)).equals(bytes)).toBe(true);
    const a = await renderPdf(report, {});
    const b = await renderPdf(report, {});
    expect(a.equals(b)).toBe(true);
    expect(a.equals(bytes)).toBe(false);
  });

  it('shows a blank cell as empty, never as 0', async () => {
    const r = buildReport({ seed: 11 });
    const row = '（一）予以公开';
    const values = Object.values(r.table3![row]).map((c) => c.value);
    r.table3![row]['总计'] = blankCell();
    const f = writeTmp(dir, 'blank.pdf', await renderPdf(r, {}));
    const text = pdftotext(f, '-layout');
    const line = text.split('\n').find((l) => l.includes(row))!;
    expect(line.match(/\d+/g)).toEqual(values.slice(0, 6).map(String));
  });
});

describe('renderPdf — page breaks', () => {
  it('repeats the table header on the next page and never splits a parent row from its sub-rows', async () => {
    const spec = SPECS['2021'];
    const t3 = spec.tables['三'];
    const groups = [...new Set(t3.rows.filter((r) => r.parent).map((r) => r.parent!))];
    let checked = 0;
    // Grow section 三's narrative so that table 三 starts at different heights and must break somewhere.
    for (const lines of [8, 16, 24, 32]) {
      const r = buildReport({ seed: lines });
      r.sections[2].text = Array.from({ length: lines }, (_, i) => `第${i + 1}段：本机关依法办理政府信息公开申请，按时答复，答复内容规范。`).join('\n');
      const f = writeTmp(dir, `break-${lines}.pdf`, await renderPdf(r, {}));
      const pages = Array.from({ length: pdfPages(f) }, (_, i) => squash(pdftotext(f, '-raw', i + 1)));
      const first = pages.findIndex((p) => p.includes(squash('一、本年新收政府信息公开申请数量')));
      const last = pages.findIndex((p) => p.includes(squash('四、结转下年度继续办理')));
      if (first === last) continue;
      checked++;
      // The header comes again on every page the table continues on.
      for (let p = first; p <= last; p++) expect(pages[p]).toContain('申请人情况');
      for (const g of groups) {
        const subs = t3.rows.filter((r) => r.parent === g).map((r) => squash(r.text));
        const on = pages.map((p, i) => (subs.every((s) => p.includes(s)) ? i : -1)).filter((i) => i >= 0);
        expect({ group: g, pages: on.length }).toEqual({ group: g, pages: 1 });
      }
    }
    expect(checked).toBeGreaterThan(0);
  });
});

describe('renderPdf — real inputs', () => {
  it('renders the seed (2019 format, tables 二 and 四 absent) with all 2019 labels and its figures', async () => {
    const report = await readFixture('jincheng-2020.txt');
    const f = writeTmp(dir, 'seed.pdf', await renderPdf(report, { sha256: SHA }));
    const raw = squash(pdftotext(f, '-raw'));
    expect(raw).toContain('锦程街道办事处2020年政府信息公开工作年度报告');
    expect(labels(SPECS['2019']).filter((l) => !raw.includes(squash(l)))).toEqual([]);
    expect(raw).toContain('原报告未提供本表');
    const layout = pdftotext(f, '-layout');
    // （一）予以公开: six zeros, the blank 总计 stays blank
    const line = layout.split('\n').find((l) => l.includes('（一）予以公开'))!;
    expect(line.match(/\d+/g)).toEqual(['0', '0', '0', '0', '0', '0']);
    expect(hasNumberRun(layout, [0, 0, 0, 0, 0, 0, 0])).toBe(true);
    expect(readFileSync(f).length).toBeLessThanOrEqual(100 * 1024);
  });

  const clean = join(FIXTURES, 'clean-2021.txt');
  (existsSync(clean) ? it : it.skip)('renders fixtures/clean-2021.txt with every figure it contains', async () => {
    const report = await readFixture('clean-2021.txt');
    const f = writeTmp(dir, 'clean.pdf', await renderPdf(report, {}));
    const layout = pdftotext(f, '-layout');
    const spec = SPECS[report.formatVersion!];
    for (const id of ['二', '三'] as const) {
      for (const row of dataRows(spec.tables[id])) {
        const values = row.columns.map((c) => cellText(tableOf(report, id)?.[row.label]?.[c.label]));
        expect({ row: row.label, found: hasNumberRun(layout, values) }).toEqual({ row: row.label, found: true });
      }
    }
    expect(readFileSync(f).length).toBeLessThanOrEqual(100 * 1024);
  });

  it('renders hostile text (markup, control characters, a very long office name) without failing', async () => {
    const r = buildReport({ office: '<script>alert(1)</script>'.repeat(20) });
    r.sections[0].text = 'a\u0000b\u0007c <b>粗体</b> 😀 \t\t 结束';
    const pdf = await renderPdf(r, { submissionId: '"><x>' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('fails with a clear message when the font file is missing', async () => {
    const old = process.env.NIANBAO_FONT_PATH;
    process.env.NIANBAO_FONT_PATH = join(dir, 'no-such-font.ttf');
    try {
      await expect(renderPdf(buildReport(), {})).rejects.toThrow(/无法读取中文字体文件.*NIANBAO_FONT_PATH/);
    } finally {
      if (old === undefined) delete process.env.NIANBAO_FONT_PATH;
      else process.env.NIANBAO_FONT_PATH = old;
    }
  });
});
