/** The hand-written clean fixtures of both format versions, through the real parser. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseText } from '../../shared/report/parse';
import { validateParsed } from '../../shared/report/validate';

const text = (name: string) => readFileSync(join(__dirname, '../../fixtures', name), 'utf8');
const parse = (t: string) => parseText(t.replace(/\r\n/g, '\n'));

test('clean-2021 (2022 report, 2021 format, ` | ` tables): accepted with no finding, with last year\'s report', () => {
  const previous = parse(text('clean-2021-prev.txt'));
  expect(validateParsed(previous, { year: 2021, office: '青峰区住房和城乡建设局' })).toMatchObject({ verdict: 'accepted', findings: [], formatVersion: '2021' });
  const v = validateParsed(parse(text('clean-2021.txt')), { year: 2022, office: '青峰区住房和城乡建设局', previous: previous.report });
  expect(v).toMatchObject({ verdict: 'accepted', findings: [], formatVersion: '2021', year: 2022, office: '青峰区住房和城乡建设局' });
  expect(v.report.period).toEqual({ from: '2022-01-01', to: '2022-12-31' });
  // Plausible, non-zero numbers.
  expect(v.report.table3!['一、本年新收政府信息公开申请数量']['总计'].value).toBe(64);
  expect(v.report.table2!['行政事业性收费']['本年收费金额（单位：万元）'].value).toBe(3.25);
});

test('clean-2019 (2020 report, 2019 format, one cell per line with tabs, CRLF): accepted with no finding', () => {
  const v = validateParsed(parse(text('clean-2019.txt')), { year: 2020, office: '青峰区市场监督管理局' });
  expect(v).toMatchObject({ verdict: 'accepted', findings: [], formatVersion: '2019', year: 2020 });
  expect(v.report.table2!['政府集中采购']['采购总金额']).toMatchObject({ raw: '1386500元', value: 1386500 });
  expect(v.report.table2!['行政许可']['本年增/减'].value).toBe(-3);
  expect(Object.keys(v.report.table3!)).toHaveLength(23);
});

test('one number changed in the tab layout is located by row and column', () => {
  const lines = text('clean-2019.txt').replace(/\r\n/g, '\n').split('\n');
  // The 商业企业 cell of （二）部分公开: label line, then 自然人, then 商业企业.
  const at = lines.findIndex((l) => l.includes('（二）部分公开'));
  expect(lines[at + 2].trim()).toBe('3');
  lines[at + 2] = '\t\u3000\u30004';
  const v = validateParsed(parse(lines.join('\n')));
  const errors = v.findings.filter((f) => f.severity === 'error');
  expect(errors.map((f) => [f.rule, f.row, f.column, f.expected, f.actual])).toEqual([
    ['T3-02', '（二）部分公开（区分处理的，只计这一情形，不计其他情形）', '总计', 12, 11],
    ['T3-03', '（七）总计', '商业企业', expect.any(Number), expect.any(Number)],
  ]);
});

test('a narrative figure that disagrees with the table is a TXT-01 warning, not an error', () => {
  const t = text('clean-2021.txt').replace('收到政府信息公开申请64件', '收到政府信息公开申请46件');
  const v = validateParsed(parse(t));
  expect(v.verdict).toBe('accepted');
  expect(v.findings).toEqual([
    expect.objectContaining({ rule: 'TXT-01', severity: 'warning', row: '一、本年新收政府信息公开申请数量', column: '总计', expected: 64, actual: 46 }),
  ]);
});

test('last year\'s report submitted again as this year\'s is caught', () => {
  const previous = parse(text('clean-2021-prev.txt'));
  const again = parse(text('clean-2021-prev.txt').replace(/2021年/g, '2022年'));
  const rules = validateParsed(again, { year: 2022, previous: previous.report }).findings.map((f) => f.rule);
  expect(rules).toContain('XY-03');
  expect(rules).toContain('XY-01');
});
