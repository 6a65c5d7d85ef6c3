import { blankCell, numberCell, type Finding, type Report, type TableKey } from '../../shared/report/model';
import { runRules } from '../../shared/report/rules';
import { crossYearEquations, evaluateEquations, t3LeafResultRows, tableEquations } from '../../shared/report/rules/equations';
import { T3 } from '../../shared/report/spec';
import { consistentReport } from './rules-gen';

const only = (fs: Finding[], rule: string) => fs.filter((f) => f.rule === rule);
const errors = (fs: Finding[]) => fs.filter((f) => f.severity === 'error');
const EXCLUDED = '（三）不予公开 3.危及“三安全一稳定”';

function bump(r: Report, key: TableKey, row: string, column: string, delta: number): { before: number; after: number } {
  const cell = r[key]![row][column];
  const before = cell.value!;
  r[key]![row][column] = numberCell(before + delta);
  return { before, after: before + delta };
}

describe('equations generated from the spec', () => {
  test('counts per version', () => {
    for (const [v, rows, leaves] of [
      ['2019', 23, 19],
      ['2021', 25, 21],
    ] as const) {
      const eqs = tableEquations(v);
      const n = (rule: string) => eqs.filter((e) => e.rule === rule).length;
      expect([n('T3-01'), n('T3-02'), n('T3-03'), n('T4-01')]).toEqual([7, rows, 7, 3]);
      expect(t3LeafResultRows(v)).toHaveLength(leaves);
    }
  });

  test('T3-01 is （七）总计 = +一 +二 −四, T3-03 ends with （六） rows and excludes headers', () => {
    const t301 = tableEquations('2021').find((e) => e.rule === 'T3-01' && e.total.column === '自然人')!;
    expect(t301.total.row).toBe(T3.resultsTotal);
    expect(t301.parts.map((p) => [p.sign, p.ref.row])).toEqual([
      [1, T3.received],
      [1, T3.carriedIn],
      [-1, T3.carriedOut],
    ]);
    const leaves2021 = t3LeafResultRows('2021');
    expect(leaves2021[0]).toBe('（一）予以公开');
    expect(leaves2021.slice(-3).every((l) => l.startsWith('（六）其他处理 '))).toBe(true);
    expect(leaves2021).not.toContain('（三）不予公开');
    expect(t3LeafResultRows('2019').slice(-1)).toEqual(['（六）其他处理']);
  });

  test('XY-02 only between two 2021-format reports', () => {
    expect(crossYearEquations('2021', '2021').filter((e) => e.rule === 'XY-02')).toHaveLength(2);
    expect(crossYearEquations('2021', '2019').filter((e) => e.rule === 'XY-02')).toHaveLength(0);
    expect(crossYearEquations('2019', '2019').filter((e) => e.rule === 'XY-01')).toHaveLength(7);
  });
});

describe('runRules on consistent reports', () => {
  test.each([1, 2, 3, 4, 5, 6, 7, 8])('seed %i: no finding at all', (seed) => {
    for (const version of ['2019', '2021'] as const) {
      const r = consistentReport(seed, { version });
      expect(runRules(r, { year: r.year!, office: r.office! })).toEqual([]);
    }
  });
});

describe('sum errors name the cell, the expected sum and the actual total', () => {
  test('T3-02 and T3-03 on a changed leaf cell', () => {
    const r = consistentReport(11, { version: '2021' });
    const { before, after } = bump(r, 'table3', EXCLUDED, '商业企业', 2);
    const rowTotal = r.table3![EXCLUDED]['总计'].value!;
    const colTotal = r.table3![T3.resultsTotal]['商业企业'].value!;
    const fs = runRules(r);
    expect(after).toBe(before + 2);
    const t302 = only(fs, 'T3-02');
    expect(t302).toHaveLength(1);
    expect(t302[0]).toMatchObject({ severity: 'error', table: '三', row: EXCLUDED, column: '总计', expected: rowTotal + 2, actual: rowTotal });
    expect(t302[0].message).toContain('「（三）不予公开 3.危及“三安全一稳定”」总计应为');
    const t303 = only(fs, 'T3-03');
    expect(t303).toHaveLength(1);
    expect(t303[0]).toMatchObject({ severity: 'error', table: '三', row: T3.resultsTotal, column: '商业企业', expected: colTotal + 2, actual: colTotal });
    expect(only(fs, 'T3-01')).toHaveLength(0);
  });

  test('T3-01 on a changed 结转下年度 cell, with the equation in the message', () => {
    const r = consistentReport(12, { version: '2019' });
    const t = r.table3!;
    bump(r, 'table3', T3.carriedOut, '自然人', 1);
    const fs = only(runRules(r), 'T3-01');
    const expected = t[T3.received]['自然人'].value! + t[T3.carriedIn]['自然人'].value! - t[T3.carriedOut]['自然人'].value!;
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ row: T3.resultsTotal, column: '自然人', expected, actual: t[T3.resultsTotal]['自然人'].value });
    expect(fs[0].message).toMatch(/「自然人」列/);
    expect(fs[0].message).toContain('一、本年新收 + 二、上年结转 − 四、结转下年度继续办理');
  });

  test('T4-01 per group', () => {
    const r = consistentReport(13);
    bump(r, 'table4', '复议后起诉', '结果纠正', 3);
    const fs = errors(runRules(r));
    expect(fs).toHaveLength(1);
    const total = r.table4!['复议后起诉']['总计'].value!;
    expect(fs[0]).toMatchObject({ rule: 'T4-01', table: '四', row: '复议后起诉', column: '总计', expected: total + 3, actual: total });
  });
});

describe('blank is not 0', () => {
  test('a blank cell: NUM-01 error at the cell, the equations that need it are not assessable, no sum error', () => {
    const r = consistentReport(21, { version: '2021' });
    r.table3!['（一）予以公开']['总计'] = blankCell('　');
    const fs = runRules(r);
    expect(errors(fs)).toEqual([expect.objectContaining({ rule: 'NUM-01', table: '三', row: '（一）予以公开', column: '总计' })]);
    const t302 = only(fs, 'T3-02');
    expect(t302).toEqual([expect.objectContaining({ severity: 'warning', row: '（一）予以公开', column: '总计', expected: null, actual: null })]);
    expect(t302[0].message).toMatch(/^无法核对/);
    expect(t302[0].message).toContain('「（一）予以公开」总计（空白）');
    // T3-03 for the 总计 column needs the cell too; T3-01 does not.
    expect(only(fs, 'T3-03')).toEqual([expect.objectContaining({ severity: 'warning', column: '总计' })]);
    expect(only(fs, 'T3-01')).toEqual([]);
  });

  test('a dash is blank too, and its text is quoted back', () => {
    const r = consistentReport(22);
    r.table4!['行政复议']['结果纠正'] = blankCell('—');
    const fs = runRules(r);
    const num = only(fs, 'NUM-01');
    expect(num).toHaveLength(1);
    expect(num[0].message).toContain('“—”');
    expect(num[0].message).toContain('填写0');
    expect(only(fs, 'T4-01')).toEqual([expect.objectContaining({ severity: 'warning', row: '行政复议' })]);
  });

  test('a blanked row total that was wrong is still not reported as a sum error', () => {
    const r = consistentReport(23);
    r.table3![T3.received]['总计'] = blankCell('');
    bump(r, 'table3', T3.received, '自然人', 5); // breaks T3-01 (自然人) but T3-02 of that row is not assessable
    const fs = runRules(r);
    expect(only(fs, 'T3-02').every((f) => f.severity === 'warning')).toBe(true);
    expect(only(fs, 'T3-01').filter((f) => f.severity === 'error')).toEqual([expect.objectContaining({ column: '自然人' })]);
  });

  test('missing rows: one not-assessable finding per rule listing the rows, not one per column', () => {
    const r = consistentReport(24, { version: '2019' });
    delete r.table3!['（三）不予公开 1.属于国家秘密'];
    delete r.table3!['（三）不予公开 2.其他法律行政法规禁止公开'];
    const fs = runRules(r);
    const t303 = only(fs, 'T3-03');
    expect(t303).toHaveLength(1);
    expect(t303[0].severity).toBe('warning');
    expect(t303[0].message).toContain('（三）不予公开 1.属于国家秘密');
    expect(t303[0].message).toContain('（三）不予公开 2.其他法律行政法规禁止公开');
    expect(only(fs, 'T3-02')).toHaveLength(1);
    expect(only(fs, 'STR-06').map((f) => f.row)).toEqual(['（三）不予公开 1.属于国家秘密', '（三）不予公开 2.其他法律行政法规禁止公开']);
    expect(only(fs, 'T3-01')).toEqual([]);
  });

  test('an absent table: STR-06 error, the table rule not assessable once', () => {
    const r = consistentReport(25);
    r.table4 = null;
    const fs = runRules(r);
    expect(errors(fs)).toEqual([expect.objectContaining({ rule: 'STR-06', table: '四', row: null })]);
    expect(only(fs, 'T4-01')).toEqual([expect.objectContaining({ severity: 'warning', table: '四' })]);
  });

  test('an absent cell in a present row is not assessable and a STR-06 error', () => {
    const r = consistentReport(26);
    delete r.table3![T3.carriedIn]['科研机构'];
    const fs = runRules(r);
    expect(errors(fs)).toEqual([expect.objectContaining({ rule: 'STR-06', row: T3.carriedIn, column: '科研机构' })]);
    expect(only(fs, 'T3-01')).toEqual([expect.objectContaining({ severity: 'warning', column: '科研机构' })]);
    expect(only(fs, 'T3-01')[0].message).toContain('（缺失）');
  });
});

describe('cross-year equations (XY-01, XY-02)', () => {
  function pair() {
    const previous = consistentReport(31, { version: '2021', year: 2021 });
    const current = consistentReport(32, { version: '2021', year: 2022 });
    // Make them agree: carried in (Y) = carried out (Y−1); 现行有效 (Y) = 现行有效 (Y−1) + 制发 − 废止.
    for (const [c, cell] of Object.entries(previous.table3![T3.carriedOut])) {
      current.table3![T3.carriedIn][c] = numberCell(cell.value!);
    }
    for (const row of ['规章', '行政规范性文件']) {
      const p = previous.table2![row]['现行有效件数'].value!;
      const cur = current.table2![row];
      cur['现行有效件数'] = numberCell(p + cur['本年制发件数'].value! - cur['本年废止件数'].value!);
    }
    return { previous, current };
  }

  test('agreeing years give no XY finding', () => {
    const { previous, current } = pair();
    const fs = evaluateEquations(crossYearEquations('2021', '2021'), { current, previous });
    expect(fs).toEqual([]);
  });

  test('a differing carried-over count is a warning naming the column', () => {
    const { previous, current } = pair();
    const was = previous.table3![T3.carriedOut]['其他'].value!;
    previous.table3![T3.carriedOut]['其他'] = numberCell(was + 4);
    const fs = runRules(current, { previous }).filter((f) => f.rule === 'XY-01');
    expect(fs).toEqual([
      expect.objectContaining({ severity: 'warning', table: '三', row: T3.carriedIn, column: '其他', expected: was + 4, actual: current.table3![T3.carriedIn]['其他'].value }),
    ]);
    expect(fs[0].message).toContain('上年报告「四、结转下年度继续办理」其他');
  });

  test('last year\'s report without table 三: XY-01 not assessable, once', () => {
    const { previous, current } = pair();
    previous.table3 = null;
    const fs = runRules(current, { previous }).filter((f) => f.rule.startsWith('XY-'));
    expect(fs).toEqual([expect.objectContaining({ rule: 'XY-01', severity: 'warning', table: '三', row: null })]);
    expect(fs[0].message).toContain('上年报告');
    expect(fs[0].message).toContain('缺少表三');
  });

  test('XY-02 on 现行有效件数', () => {
    const { previous, current } = pair();
    bump(current, 'table2', '行政规范性文件', '现行有效件数', 1);
    const fs = runRules(current, { previous }).filter((f) => f.rule === 'XY-02');
    expect(fs).toEqual([expect.objectContaining({ severity: 'warning', table: '二', row: '行政规范性文件', column: '现行有效件数' })]);
  });
});
