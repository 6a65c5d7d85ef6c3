/**
 * The 本级 report's domain (shared/report/aggregate): the cell-by-cell sum of tables 二/三/四 for both
 * formats, blanks (never 0), missing and excluded offices, the umbrella (办公室) report, year on year.
 */
import { aggregate, compareYears, sumTables, type AggregateEntry } from '../../shared/report/aggregate';
import { blankCell, TABLE_KEYS, type Report } from '../../shared/report/model';
import { dataRows, SPECS, type FormatVersion, type TableId } from '../../shared/report/spec';
import { runRules } from '../../shared/report/rules';
import { consistentReport } from '../report/rules-gen';

const OFFICES = ['青峰区教育局', '青峰区自然资源局', '白石街道办事处'];

function reports(version: FormatVersion, year: number, seed = 1): Report[] {
  return OFFICES.map((office, i) => consistentReport(seed * 10 + i, { version, year, office }));
}

const file = (r: Report, i = 0): AggregateEntry => ({ office: r.office!, basis: 'file', file: `r${i}.json`, report: r });

/** The hand sum: every cell of the spec, added over the reports. */
function handSum(rs: Report[], version: FormatVersion, id: TableId, row: string, column: string): number {
  let s = 0;
  for (const r of rs) s += r[TABLE_KEYS[id]]![row][column].value!;
  return Number(s.toFixed(6));
}

describe.each([
  ['2021', 2022],
  ['2019', 2020],
] as const)('sum of %s-format reports', (version, year) => {
  const rs = reports(version, year);
  const result = aggregate(rs.map(file), { name: '青峰区人民政府' });

  test('every cell of 二, 三, 四 equals the hand sum', () => {
    let cells = 0;
    for (const id of ['二', '三', '四'] as const) {
      for (const row of dataRows(SPECS[version].tables[id])) {
        for (const c of row.columns) {
          const cell = result.report[TABLE_KEYS[id]]![row.label][c.label];
          expect(cell.kind).toBe('number');
          expect(cell.value).toBe(handSum(rs, version, id, row.label, c.label));
          cells += 1;
        }
      }
    }
    expect(cells).toBeGreaterThan(150);
  });

  test('the sum is a valid report of the same format: no rule error', () => {
    expect(result.report.formatVersion).toBe(version);
    expect(result.report.year).toBe(year);
    expect(result.included.map((i) => i.office)).toEqual(OFFICES);
    expect(result.missing).toEqual([]);
    expect(result.incomplete).toEqual([]);
    const errors = runRules(result.report, {}).filter((f) => f.severity === 'error');
    expect(errors).toEqual([]);
    // the narrative quotes the tables correctly (TXT-01)
    expect(runRules(result.report, {}).filter((f) => f.rule === 'TXT-01')).toEqual([]);
  });

  test('stock columns are summed and labelled as sums of the offices\' stocks', () => {
    const stock = version === '2021' ? ['现行有效件数'] : ['对外公开总数量', '上一年项目数量'];
    expect([...new Set(result.stocks.map((s) => s.column))].sort()).toEqual([...stock].sort());
    expect(result.report.sections.find((s) => s.ordinal === 2)!.text).toContain(stock[0]);
  });
});

test('a blank cell keeps its sum blank, names the office, and never becomes 0', () => {
  const rs = reports('2021', 2022);
  const row = '（一）予以公开';
  rs[1].table3![row]['自然人'] = blankCell('');
  rs[2].table3![row]['自然人'] = blankCell('—');
  rs[2].table3![row]['总计'] = blankCell('/');
  delete rs[0].table2!['行政许可'];
  const result = aggregate(rs.map(file));
  const cell = result.report.table3![row]['自然人'];
  expect(cell.kind).toBe('blank');
  expect(cell.value).toBeNull();
  const inc = result.incomplete.find((c) => c.table === '三' && c.row === row && c.column === '自然人')!;
  expect(inc.blank).toEqual([OFFICES[1], OFFICES[2]]);
  expect(inc.absent).toEqual([]);
  expect(inc.counted).toBe(1);
  expect(inc.partialSum).toBe(reports('2021', 2022)[0].table3![row]['自然人'].value);
  expect(inc.message).toContain(OFFICES[1]);
  // an absent row in one report: the sum is incomplete too, naming it as absent
  const permit = result.incomplete.find((c) => c.table === '二' && c.row === '行政许可')!;
  expect(permit.absent).toEqual([OFFICES[0]]);
  expect(result.report.table2!['行政许可']['本年处理决定数量'].kind).toBe('blank');
  // other cells of the row are still summed
  expect(result.report.table3![row]['商业企业'].kind).toBe('number');
  expect(result.findings.filter((f) => f.rule === 'AGG-01').map((f) => [f.table, f.row, f.column])).toContainEqual(['三', row, '自然人']);
  // the headline figure that needs the blank cell is unknown, not a smaller number
  expect(result.yearOnYear.find((f) => f.key === 'disclosed')!.current).toBeNull();
  expect(result.report.sections[0].text).toContain('予以公开的数量因部分单位未填写无法汇总');
});

test('coverage: missing, rejected, returned, unpublished and late offices; the coordinator may count accepted versions', () => {
  const rs = reports('2021', 2022);
  const entries: AggregateEntry[] = [
    { office: OFFICES[0], officeId: 'jyj', status: 'PUBLISHED', basis: 'published', submissionId: '2022-A', publishedVersion: 2, report: rs[0] },
    { office: OFFICES[1], officeId: 'zrzyj', status: 'ACCEPTED', basis: 'accepted', submissionId: '2022-B', late: true, report: rs[1] },
    { office: OFFICES[2], officeId: 'baishi', status: 'NOT_SUBMITTED', basis: null, late: true, report: null },
    { office: '青峰区民政局', officeId: 'mzj', status: 'REJECTED', basis: null, report: null },
    { office: '青峰区财政局', officeId: 'czj', status: 'RETURNED', basis: null, report: null },
  ];
  const strict = aggregate(entries);
  expect(strict.included).toEqual([{ office: OFFICES[0], officeId: 'jyj', submissionId: '2022-A', version: 2, basis: 'published', formatVersion: '2021' }]);
  expect(strict.missing.map((m) => [m.officeId, m.reason])).toEqual([
    ['zrzyj', 'unpublished'],
    ['baishi', 'not_submitted'],
    ['mzj', 'rejected'],
    ['czj', 'returned'],
  ]);
  expect(strict.late).toEqual([
    { office: OFFICES[1], officeId: 'zrzyj', included: false },
    { office: OFFICES[2], officeId: 'baishi', included: false },
  ]);
  // the missing office's figures are simply not in the sum
  expect(strict.report.table3!['一、本年新收政府信息公开申请数量']['总计'].value).toBe(rs[0].table3!['一、本年新收政府信息公开申请数量']['总计'].value);
  expect(strict.report.sections[0].text).toContain('应报送5个单位');

  const lenient = aggregate(entries, { includeAccepted: true });
  expect(lenient.included.map((i) => [i.officeId, i.basis, i.version])).toEqual([
    ['jyj', 'published', 2],
    ['zrzyj', 'accepted', null],
  ]);
  expect(lenient.late.find((l) => l.officeId === 'zrzyj')!.included).toBe(true);
  expect(lenient.report.table3!['（一）予以公开']['总计'].value).toBe(handSum(rs.slice(0, 2), '2021', '三', '（一）予以公开', '总计'));
});

test('the government\'s own 办公室 report (or any office marked so) is never added to its parts', () => {
  const rs = reports('2021', 2022);
  const office = consistentReport(99, { version: '2021', year: 2022, office: '青峰区人民政府办公室' });
  const result = aggregate([...rs.map(file), { ...file(office), umbrella: true }]);
  expect(result.included.map((i) => i.office)).toEqual(OFFICES);
  expect(result.excluded).toEqual([expect.objectContaining({ office: '青峰区人民政府办公室', reason: 'umbrella' })]);
  expect(result.report.table4!['行政复议']['总计'].value).toBe(handSum(rs, '2021', '四', '行政复议', '总计'));
  expect(result.findings.some((f) => f.rule === 'AGG-03')).toBe(true);
});

test('reports of another format version or year are left out, by name', () => {
  const rs = reports('2021', 2022);
  const old = consistentReport(5, { version: '2019', year: 2020, office: '青峰区审计局' });
  const wrongFormat = consistentReport(6, { version: '2019', year: 2022, office: '青峰区统计局' });
  const result = aggregate([...rs.map(file), file(old), file(wrongFormat)], { year: 2022 });
  expect(result.included).toHaveLength(3);
  expect(result.missing.map((m) => [m.office, m.reason])).toEqual([
    ['青峰区审计局', 'year'],
    ['青峰区统计局', 'format'],
  ]);
});

test('decimal amounts add up without binary noise', () => {
  const rs = reports('2021', 2022);
  rs[0].table2!['行政事业性收费']['本年收费金额（单位：万元）'] = { raw: '0.1', kind: 'number', value: 0.1 };
  rs[1].table2!['行政事业性收费']['本年收费金额（单位：万元）'] = { raw: '0.2', kind: 'number', value: 0.2 };
  rs[2].table2!['行政事业性收费']['本年收费金额（单位：万元）'] = { raw: '0', kind: 'number', value: 0 };
  const sums = sumTables(rs.map((r) => ({ office: r.office!, report: r })), '2021');
  expect(sums.table2['行政事业性收费']['本年收费金额（单位：万元）']).toEqual({ raw: '0.3', kind: 'number', value: 0.3 });
});

test('year on year: changes and shares against the previous aggregate, across the format change', () => {
  const now = aggregate(reports('2021', 2022).map(file)).report;
  const before = aggregate(reports('2019', 2020, 3).map(file)).report;
  const cmp = compareYears(now, before);
  const received = cmp.find((f) => f.key === 'received')!;
  expect(received.current).toBe(now.table3!['一、本年新收政府信息公开申请数量']['总计'].value);
  expect(received.previous).toBe(before.table3!['一、本年新收政府信息公开申请数量']['总计'].value);
  expect(received.change).toBe(received.current! - received.previous!);
  const disclosed = cmp.find((f) => f.key === 'disclosed')!;
  expect(disclosed.share).toBeCloseTo(disclosed.current! / now.table3!['（七）总计']['总计'].value!, 5);
  // （六）其他处理: one row in 2019, the sum of three sub-rows in 2021
  const other = cmp.find((f) => f.key === 'otherHandling')!;
  expect(other.previous).toBe(before.table3!['（六）其他处理']['总计'].value);
  // table 二 is compared only where the labels are the same
  expect(cmp.find((f) => f.key === '二:规章:本年制发件数')!.previous).toBeNull();
  expect(cmp.find((f) => f.key === '二:行政处罚:本年处理决定数量')).toBeDefined();
  // the drafted overview quotes last year's figure
  const withPrev = aggregate(reports('2021', 2022).map(file), { previous: before });
  expect(withPrev.hasPrevious).toBe(true);
  expect(withPrev.report.sections[0].text).toContain(`上年${received.previous}件`);
  expect(runRules(withPrev.report, {}).filter((f) => f.rule === 'TXT-01')).toEqual([]);
});

test('nothing to add up is an error finding, and the tables stay blank', () => {
  const result = aggregate([{ office: '青峰区教育局', status: 'NOT_SUBMITTED', basis: null, report: null }], { year: 2022 });
  expect(result.included).toEqual([]);
  expect(result.findings.some((f) => f.rule === 'AGG-05' && f.severity === 'error')).toBe(true);
  expect(result.report.table3!['（一）予以公开']['总计'].kind).toBe('blank');
});
