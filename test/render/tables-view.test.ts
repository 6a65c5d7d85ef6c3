/**
 * The tables as read (shared/render/tables-view.ts) and where a finding is in the document, in the human
 * outputs: the receipt e-mail and the CLI's Chinese report.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatText } from '../../cli/commands/validate';
import { receiptEmail } from '../../shared/render/email';
import { locationText } from '../../shared/common/location';
import { displayWidth, tablesAsHtml, tablesAsText, tablesView } from '../../shared/render/tables-view';
import { readReport } from '../../shared/report/ingest';
import { finding, type Location, type Report } from '../../shared/report/model';
import type { ValidationResult } from '../../shared/report/validate';

const FIX = join(__dirname, '../../fixtures');

async function read(name: string): Promise<Report> {
  const r = await readReport(readFileSync(join(FIX, name)), { fileName: name });
  if ('unreadable' in r) throw new Error(r.unreadable);
  return r.report;
}

describe('tablesView', () => {
  test('canonical rows × columns of the report\'s format; blank, missing row, missing table', async () => {
    const seed = await read('jincheng-2020.txt'); // 2019 format, no 表二 or 表四, （三）不予公开 unplaceable, one blank
    const view = tablesView(seed);
    expect(view.formatVersion).toBe('2019');
    expect(view.tables.map((t) => [t.id, t.found])).toEqual([['二', false], ['三', true], ['四', false]]);
    const t3 = view.tables[1];
    expect(t3.groups).toHaveLength(1);
    expect(t3.groups[0].columns).toEqual(['自然人', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他', '总计']);
    const row = (label: string) => t3.groups[0].rows.find((r) => r.label === label)!;
    expect(row('（一）予以公开').cells[6]).toEqual({ kind: 'blank', text: '空' });
    expect(row('（三）不予公开 1.属于国家秘密')).toMatchObject({ text: '1.属于国家秘密', depth: 1, missing: true });
    expect(row('（三）不予公开 1.属于国家秘密').cells.every((c) => c.kind === 'missing' && c.text === '缺失')).toBe(true);
    expect(row('三、本年度办理结果')).toMatchObject({ header: true, missing: false, cells: [] });
    // The 2019 format has （六）其他处理 as one row; 2021 splits it.
    expect(t3.groups[0].rows.some((r) => r.label === '（六）其他处理' && !r.header)).toBe(true);
  });

  test('table 二 in blocks, each with its own columns; unknown format: the year\'s', async () => {
    const clean = await read('clean-2021.txt');
    const t2 = tablesView(clean).tables[0];
    expect(t2.groups.map((g) => [g.heading, g.rows.map((r) => r.text)])).toEqual([
      ['第二十条第（一）项', ['规章', '行政规范性文件']],
      ['第二十条第（五）项', ['行政许可']],
      ['第二十条第（六）项', ['行政处罚', '行政强制']],
      ['第二十条第（八）项', ['行政事业性收费']],
    ]);
    expect(t2.groups[3].rows[0].cells).toEqual([{ kind: 'number', text: '3.25' }]);
    const unknown = tablesView({ ...clean, formatVersion: null, year: 2020 });
    expect(unknown).toMatchObject({ formatVersion: '2019', assumed: true });
  });
});

describe('tablesAsText', () => {
  test('aligned for a terminal: CJK counted double; every row of a table ends at the same column', async () => {
    const clean = await read('clean-2021.txt');
    const text = tablesAsText(clean);
    const lines = text.split('\n');
    const t3 = lines.slice(lines.findIndex((l) => l.startsWith('表三')) + 1, lines.findIndex((l) => l.startsWith('表四')) - 1);
    const rows = t3.filter((l) => / \d+$/.test(l) || l.includes('总计'));
    expect(rows.length).toBeGreaterThan(20);
    expect(new Set(rows.map(displayWidth)).size).toBe(1);
    // Each column's right edge lines up with its header's.
    const header = t3[0];
    const edge = displayWidth(header.slice(0, header.indexOf('总计') + 2));
    expect(rows.every((l) => displayWidth(l) === edge)).toBe(true);
    expect(text).toContain('（七）总计');
    expect(text).toContain('空 = 空白未填');
  });

  test('blank, invalid as written (no control characters), missing row, missing table', async () => {
    const clean = await read('clean-2021.txt');
    const broken: Report = JSON.parse(JSON.stringify(clean));
    broken.table3!['（一）予以公开']['总计'] = { raw: '', kind: 'blank', value: null };
    broken.table4!['行政复议']['结果纠正'] = { raw: '一\u001b[31m件', kind: 'invalid', value: null, problem: '不是数字' };
    delete broken.table3!['（七）总计'];
    broken.table2 = null;
    const text = tablesAsText(broken);
    expect(text).toContain('表二 主动公开政府信息情况（2021年格式）：缺失，报告中未找到表二');
    expect(text).toMatch(/（一）予以公开 +21 +3 +0 +0 +1 +0 +空/);
    expect(text).toMatch(/（七）总计( +缺失){7} +← 未找到此行/);
    expect(text).toMatch(/行政复议 +1 +✗一\ufffd\[31m件 +1 +0 +2/);
    expect(text).not.toContain('\u001b');
  });

  test('displayWidth', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('总计')).toBe(4);
    expect(displayWidth('（一）')).toBe(6);
    expect(displayWidth('12空')).toBe(4);
  });
});

describe('tablesAsHtml', () => {
  test('every text escaped; cells classed by kind', async () => {
    const clean = await read('clean-2021.txt');
    const evil: Report = JSON.parse(JSON.stringify(clean));
    evil.table4!['行政复议']['结果纠正'] = { raw: '<img src=x onerror=alert(1)>', kind: 'invalid', value: null, problem: '"><script>x</script>' };
    const html = tablesAsHtml(evil);
    expect(html).not.toMatch(/<img|<script/);
    expect(html).toContain('<td class="cell-invalid" title="&quot;&gt;&lt;script&gt;x&lt;/script&gt;">✗&lt;img src=x onerror=alert(1)&gt;</td>');
    expect(html).toContain('<th colspan="2">第二十条第（五）项</th>');
    expect(html).toContain('<td class="cell-number">64</td>');
  });
});

describe('locations in the human outputs', () => {
  const where: Location[] = [{ page: 3, line: 12 }, { table: 2, row: 5, cell: 3 }, { line: 40 }, { paragraph: 7 }, { table: 1, paragraph: 9 }, {}];

  test('locationText (one zod-free text for the pages, the e-mails and the CLI)', () => {
    expect(where.map(locationText)).toEqual(['第3页第12行', '第2个表格第5行第3格', '第40行', '第7段', '第1个表格', '']);
    expect(locationText(undefined)).toBe('');
  });

  test('receipt e-mail: text and HTML', () => {
    const m = receiptEmail({
      year: 2026,
      officeName: '锦程街道办事处',
      submissionId: '2026-ABC',
      fileName: 'a.pdf',
      sha256: null,
      size: 1,
      receivedAt: '2027-01-20T01:00:00Z',
      deadline: '2027-01-26T15:59:59Z',
      verdict: 'rejected',
      findings: [
        finding({ rule: 'NUM-01', severity: 'error', table: '三', row: '（一）予以公开', column: '总计', message: '总计为空白', location: { page: 3, line: 12 } }),
        finding({ rule: 'TXT-03', severity: 'warning', message: '第五部分过短', location: { paragraph: 7 } }),
        finding({ rule: 'STR-06', severity: 'error', table: '四', message: '缺少表四' }),
      ],
    });
    expect(m.text).toContain('1. [NUM-01] 错误｜表三，行“（一）予以公开”，列“总计”，原文第3页第12行：总计为空白');
    expect(m.text).toContain('2. [TXT-03] 提示｜原文第7段：第五部分过短');
    expect(m.text).toContain('3. [STR-06] 错误｜表四：缺少表四');
    expect(m.html).toContain('<th style="border:1px solid #ccc;padding:4px 6px;background:#f3f3f3">原文位置</th>');
    expect(m.html).toContain('>第3页第12行</td>');
  });

  test('CLI: after the table, row and column', () => {
    const result: ValidationResult = {
      formatVersion: '2021',
      year: 2022,
      office: '青峰区住房和城乡建设局',
      verdict: 'rejected',
      report: null as unknown as Report,
      findings: [
        finding({ rule: 'NUM-01', severity: 'error', table: '三', row: '（一）予以公开', column: '总计', message: '总计为空白', location: { page: 3, line: 12 } }),
        finding({ rule: 'T3-01', severity: 'error', table: '三', row: '（七）总计', column: '自然人', expected: 55, actual: 56, message: '不平衡', location: { line: 40 } }),
        finding({ rule: 'TXT-03', severity: 'warning', message: '第五部分过短', location: { paragraph: 7 } }),
        finding({ rule: 'STR-06', severity: 'error', table: '四', message: '缺少表四' }),
      ],
    } as ValidationResult;
    const text = formatText('r.pdf', result);
    expect(text).toContain('✗ 错误 [NUM-01] 表三 行「（一）予以公开」 列「总计」 · 第3页第12行\n');
    expect(text).toContain('✗ 错误 [T3-01] 表三 行「（七）总计」 列「自然人」 · 第40行 应为 55 实为 56\n');
    expect(text).toContain('! 提示 [TXT-03] 第7段\n');
    expect(text).toContain('✗ 错误 [STR-06] 表四\n');
  });
});
