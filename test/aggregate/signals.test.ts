/** Signals for the coordinator (shared/report/aggregate/signals.ts): jumps, lone zeros, copied tables and narratives. */
import { signals } from '../../shared/report/aggregate/signals';
import { numberCell, type Report } from '../../shared/report/model';
import { consistentReport } from '../report/rules-gen';

const clone = (r: Report): Report => JSON.parse(JSON.stringify(r));
const office = (name: string, seed: number, year = 2022) => consistentReport(seed, { version: '2021', year, office: name });

test('a figure that grew more than 5× (or fell below 1/5) with both values ≥ 10 is a jump; small numbers are not', () => {
  const prev = office('青峰区教育局', 1, 2021);
  const now = clone(prev);
  now.year = 2022;
  prev.table2!['行政处罚']['本年处理决定数量'] = numberCell(12);
  now.table2!['行政处罚']['本年处理决定数量'] = numberCell(61);
  prev.table2!['行政许可']['本年处理决定数量'] = numberCell(100);
  now.table2!['行政许可']['本年处理决定数量'] = numberCell(19);
  prev.table2!['行政强制']['本年处理决定数量'] = numberCell(2);
  now.table2!['行政强制']['本年处理决定数量'] = numberCell(40); // 20×, but last year's is below 10
  const jumps = signals([{ office: '青峰区教育局', report: now, previous: prev }]).filter((s) => s.kind === 'jump');
  expect(jumps.map((s) => [s.row, s.previous, s.current])).toEqual([
    ['行政许可', 100, 19],
    ['行政处罚', 12, 61],
  ]);
  expect(jumps[1].message).toContain('5.1倍');
});

test('tables identical to last year\'s are flagged; a changed figure clears it', () => {
  const prev = office('青峰区教育局', 2, 2021);
  const same = clone(prev);
  same.year = 2022;
  expect(signals([{ office: 'a', report: same, previous: prev }]).map((s) => s.kind)).toContain('same-tables');
  same.table4!['行政复议']['结果维持'] = numberCell(99);
  expect(signals([{ office: 'a', report: same, previous: prev }]).map((s) => s.kind)).not.toContain('same-tables');
});

test('a zero where most offices of the same group report a number is a lone zero; other groups do not count', () => {
  const names = ['甲街道', '乙街道', '丙街道', '丁街道'];
  const reports = names.map((n, i) => office(n, 10 + i));
  reports.forEach((r, i) => (r.table2!['行政许可']['本年处理决定数量'] = numberCell(i === 0 ? 0 : 20 + i)));
  const inputs = reports.map((report, i) => ({ office: names[i], group: 'streets', report }));
  const lone = signals(inputs).filter((s) => s.kind === 'lone-zero' && s.row === '行政许可');
  expect(lone).toEqual([expect.objectContaining({ office: '甲街道', column: '本年处理决定数量', other: '3/3' })]);
  // the same offices split into groups of two: too few to compare
  const split = inputs.map((x, i) => ({ ...x, group: i < 2 ? 'a' : 'b' }));
  expect(signals(split).filter((s) => s.kind === 'lone-zero')).toEqual([]);
});

test('narratives very similar to another office\'s in the same cycle', () => {
  const a = office('甲局', 20);
  const b = office('乙局', 21);
  const c = office('丙局', 22);
  const text = '本机关认真贯彻落实政府信息公开条例，健全工作机制，规范依申请公开办理流程，加强政策解读与回应关切，做好政府信息管理和平台建设工作。';
  a.sections[0].text = `2022年，${text}全年主动公开信息120条。`;
  // 乙局 took 甲局's report and changed the figures only
  b.sections = a.sections.map((s) => ({ ...s, text: s.text.replace(/\d+/g, '87') }));
  c.sections[0].text = '2022年，丙局围绕优化营商环境，重点公开了行政许可办理指南、随机抽查结果和涉企收费目录，并在门户网站开设专栏集中发布。';
  const similar = signals([a, b, c].map((report) => ({ office: report.office!, report }))).filter((s) => s.kind === 'similar-narrative');
  expect(similar).toEqual([expect.objectContaining({ office: '甲局', other: '乙局' })]);
  expect(similar[0].similarity).toBeGreaterThanOrEqual(0.9);
});

test('the aggregate lists the signals of its included reports', async () => {
  const { aggregate } = await import('../../shared/report/aggregate');
  const prev = office('青峰区教育局', 30, 2021);
  const now = clone(prev);
  now.year = 2022;
  now.table2!['行政许可']['本年处理决定数量'] = numberCell(500);
  prev.table2!['行政许可']['本年处理决定数量'] = numberCell(50);
  const result = aggregate([{ office: '青峰区教育局', basis: 'file', report: now, previous: prev }]);
  expect(result.signals).toEqual([expect.objectContaining({ kind: 'jump', row: '行政许可', previous: 50, current: 500 })]);
});
