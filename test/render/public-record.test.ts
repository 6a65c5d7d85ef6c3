/**
 * The year's totals and their charts as pure functions: blank is not 0 (a figure that needs a blank cell is
 * unknown, shown “—”, and gets no bar), the 办公室 report and another format are not added and are named, the
 * 2019 format is summed in its own labels, and every text in the SVG is escaped.
 */
import { DomUtils, parseDocument } from 'htmlparser2';
import { blankCell, type Report } from '../../shared/report/model';
import { T3 } from '../../shared/report/spec';
import { groupedBarsSvg } from '../../shared/render/charts';
import { CHART_FIGURES, yearTotals, yearTotalsHtml } from '../../shared/render/public-record';
import { consistentReport } from '../report/rules-gen';

const report = (seed: number, office: string, version: '2019' | '2021' = '2021', year = 2022): Report => consistentReport(seed, { version, year, office });
const received = (r: Report) => r.table3![T3.received][T3.total].value!;

test('sums the published reports of the year’s format; the 办公室 and another format are named, not added', () => {
  const a = report(1, '甲局');
  const b = report(2, '乙局');
  const office = report(3, '青峰区人民政府办公室');
  const old = report(4, '丙局', '2019', 2022);
  const t = yearTotals(2022, [a, b, office, old].map((r) => ({ office: r.office!, report: r })));
  expect(t.figures.received).toBe(received(a) + received(b));
  expect(t.offices).toBe(2);
  expect(t.excluded).toEqual(['青峰区人民政府办公室', '丙局']);
  expect(yearTotalsHtml(t, null)).toContain('未相加的报告（已包含其他单位的数字或格式不同）：“青峰区人民政府办公室”、“丙局”');
  // the 2019 format in its own year
  const r19 = [report(5, '甲局', '2019', 2020), report(6, '乙局', '2019', 2020)];
  expect(yearTotals(2020, r19.map((r) => ({ office: r.office!, report: r }))).figures.received).toBe(received(r19[0]) + received(r19[1]));
});

test('a blank cell makes the figure unknown: “—” in the table, no bar, and no change against last year', () => {
  const a = report(1, '甲局');
  const b = report(2, '乙局');
  b.table3![T3.received][T3.total] = blankCell();
  const t = yearTotals(2022, [a, b].map((r) => ({ office: r.office!, report: r })));
  expect(t.figures.received).toBeNull();
  const prev = yearTotals(2021, [report(7, '甲局', '2021', 2021)].map((r) => ({ office: r.office!, report: r })));
  const doc = parseDocument(yearTotalsHtml(t, prev));
  const row = DomUtils.findOne((e) => e.attribs['data-figure'] === 'received', doc.children)!;
  expect(DomUtils.findAll((e) => e.name === 'td', row.children).map((c) => DomUtils.textContent(c))).toEqual([String(prev.figures.received), '—', '—', '']);
  const bars = DomUtils.findAll((e) => e.name === 'rect' && e.attribs.class === 'bar', doc.children);
  // 新收 has last year's bar only; every other figure has both
  expect(bars).toHaveLength(2 * CHART_FIGURES.length - 1);
  expect(DomUtils.textContent(doc)).toContain('2022年度：未知');
});

test('no reports: every figure unknown, no bars', () => {
  const t = yearTotals(2022, []);
  expect(Object.values(t.figures).every((v) => v === null)).toBe(true);
  expect(yearTotalsHtml(t, null)).not.toContain('class="bar"');
});

test('chart texts are escaped', () => {
  const svg = groupedBarsSvg('<script>x</script>', [{ name: '"><img src=x>', color: 'red" onload="x' }], [{ label: '<b>标签</b>', values: [3] }]);
  expect(svg).not.toMatch(/<script|<img|<b>|onload="x/);
  expect(svg).toContain('&lt;b&gt;标签&lt;/b&gt;');
});
