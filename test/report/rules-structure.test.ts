import { blankCell, numberCell, type Cell, type Finding } from '../../shared/report/model';
import { CATALOG, RULE_IDS, runRules } from '../../shared/report/rules';
import { clone, consistentReport } from './rules-gen';

const only = (fs: Finding[], rule: string) => fs.filter((f) => f.rule === rule);
const invalid = (raw: string): Cell => ({ raw, kind: 'invalid', value: null, problem: `「${raw}」不是数字` });

describe('catalog', () => {
  test('every rule id of docs/report-format.md with its severity and a Chinese title', () => {
    const expected: Record<string, 'error' | 'warning'> = {
      'STR-01': 'error', 'STR-02': 'error', 'STR-03': 'warning', 'STR-04': 'error', 'STR-05': 'warning', 'STR-06': 'error', 'STR-07': 'error',
      'NUM-01': 'error', 'NUM-02': 'error', 'T3-01': 'error', 'T3-02': 'error', 'T3-03': 'error', 'T4-01': 'error',
      'XY-01': 'warning', 'XY-02': 'warning', 'XY-03': 'warning', 'TXT-01': 'warning', 'TXT-02': 'warning', 'TXT-03': 'warning',
      'DL-01': 'warning', 'PUB-01': 'error',
    };
    expect([...RULE_IDS].sort()).toEqual(Object.keys(expected).sort());
    for (const id of RULE_IDS) {
      expect(CATALOG[id].severity).toBe(expected[id]);
      expect(CATALOG[id].title).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(RULE_IDS.filter((id) => !CATALOG[id].implemented)).toEqual(['PUB-01']);
  });
});

describe('STR-01 sections', () => {
  test('arabic or parenthesised ordinals are warnings', () => {
    const r = consistentReport(1);
    r.sections[3] = { ...r.sections[3], heading: '4、 政府信息公开行政复议、行政诉讼情况', numbering: 'arabic' };
    r.sections[4] = { ...r.sections[4], heading: '（五）存在的主要问题及改进情况', numbering: 'parenthesised' };
    const fs = only(runRules(r), 'STR-01');
    expect(fs.map((f) => f.severity)).toEqual(['warning', 'warning']);
    expect(fs[0].message).toContain('「4、 政府信息公开行政复议、行政诉讼情况」');
    expect(fs[0].message).toContain('四、政府信息公开行政复议、行政诉讼情况');
  });

  test('a missing section and sections out of order are errors', () => {
    const r = consistentReport(2);
    r.sections = [r.sections[0], r.sections[2], r.sections[1], r.sections[3], r.sections[5]];
    const fs = only(runRules(r), 'STR-01');
    expect(fs.every((f) => f.severity === 'error')).toBe(true);
    expect(fs.some((f) => f.message.includes('缺少第五部分'))).toBe(true);
    expect(fs.some((f) => f.message.includes('顺序错误') && f.message.includes('二、主动公开'))).toBe(true);
  });
});

describe('STR-02 year', () => {
  test('report year differs from the cycle year', () => {
    const r = consistentReport(3, { year: 2021, version: '2021' });
    const fs = only(runRules(r, { year: 2022 }), 'STR-02');
    expect(fs).toEqual([expect.objectContaining({ severity: 'error', expected: 2022, actual: 2021 })]);
  });

  test('总体情况 opening with another year, a period of another year, an unknown year', () => {
    const r = consistentReport(4, { year: 2022, version: '2021' });
    r.sections[0].text = r.sections[0].text.replace(/^2022年，/, '2021年，');
    r.period = { from: '2021-01-01', to: '2021-12-31' };
    const fs = only(runRules(r), 'STR-02');
    expect(fs).toHaveLength(2);
    expect(fs.map((f) => f.actual)).toEqual([2021, 2021]);
    expect(fs.some((f) => f.message.includes('「2021年，」'))).toBe(true);
    const unknown = clone(r);
    unknown.year = null;
    expect(only(runRules(unknown), 'STR-02')[0].message).toContain('未能识别报告年度');
  });

  test('STR-03: a partial-year period is a warning', () => {
    const r = consistentReport(5, { year: 2022, version: '2021' });
    r.period = { from: '2022-01-01', to: '2022-11-30' };
    expect(only(runRules(r), 'STR-03')).toEqual([expect.objectContaining({ severity: 'warning' })]);
    r.period = { from: '2022-01-01', to: '2022-12-31' };
    expect(only(runRules(r), 'STR-03')).toEqual([]);
  });
});

describe('STR-04 / STR-05 format version', () => {
  test('2019 tables in a 2022 report', () => {
    const r = consistentReport(6, { version: '2019', year: 2022 });
    const fs = runRules(r);
    expect(only(fs, 'STR-04')[0]).toMatchObject({ severity: 'error' });
    expect(only(fs, 'STR-04')[0].message).toContain('2021年格式');
  });

  test('mixing: a 2019-only row in a 2021 table is an error; 政府集中采购 only a STR-05 warning', () => {
    const r = consistentReport(7, { version: '2021', year: 2022 });
    r.table2!['规范性文件'] = { 本年新制作数量: numberCell(1) };
    r.table2!['政府集中采购'] = { 采购项目数量: numberCell(3), 采购总金额: numberCell(120000, '120000元') };
    const fs = runRules(r);
    expect(only(fs, 'STR-04')).toEqual([expect.objectContaining({ severity: 'error', table: '二', row: '规范性文件' })]);
    expect(only(fs, 'STR-05')).toEqual([expect.objectContaining({ severity: 'warning', table: '二', row: '政府集中采购' })]);
    expect(only(fs, 'STR-06')).toEqual([]);
  });

  test('citing the trial format in a 2021+ report', () => {
    const r = consistentReport(8, { version: '2021', year: 2021 });
    r.sections[0].text = `本报告根据《中华人民共和国政府信息公开工作年度报告格式（试行）》编制。${r.sections[0].text}`;
    expect(only(runRules(r), 'STR-05')).toEqual([expect.objectContaining({ severity: 'warning' })]);
    const old = consistentReport(8, { version: '2019', year: 2020 });
    old.sections[0].text = `本报告根据格式（试行）编制。${old.sections[0].text}`;
    expect(only(runRules(old), 'STR-05')).toEqual([]);
  });
});

describe('STR-06 tables against the spec', () => {
  test('unknown rows and columns, header rows with data', () => {
    const r = consistentReport(9, { version: '2021' });
    r.table3!['（八）合计'] = { 自然人: numberCell(1) };
    r.table3!['（三）不予公开'] = { 自然人: numberCell(0) };
    r.table4!['行政复议']['驳回'] = numberCell(0);
    const fs = only(runRules(r), 'STR-06');
    expect(fs.map((f) => [f.table, f.row, f.column])).toEqual([
      ['三', '（三）不予公开', null],
      ['三', '（八）合计', null],
      ['四', '行政复议', '驳回'],
    ]);
    expect(fs.every((f) => f.severity === 'error')).toBe(true);
  });
});

describe('STR-06 missing rows', () => {
  test('a group without any of its sub-rows is one finding at the parent; a single missing sub-row is named', () => {
    const r = consistentReport(2, { version: '2021' });
    for (const row of Object.keys(r.table3!)) if (row.startsWith('（四）无法提供 ')) delete r.table3![row];
    delete r.table3!['（五）不予处理 2.重复申请'];
    const fs = only(runRules(r), 'STR-06');
    expect(fs.map((f) => f.row)).toEqual(['（四）无法提供', '（五）不予处理 2.重复申请']);
    expect(fs[0].message).toContain('3个子项行');
    expect(fs[0].message).toContain('1.本机关不掌握相关政府信息');
  });
});

describe('STR-07 office', () => {
  test('another office submitting, another office named in the text', () => {
    const r = consistentReport(10, { office: '青峰区教育局' });
    expect(only(runRules(r, { office: '青峰区教育局' }), 'STR-07')).toEqual([]);
    expect(only(runRules(r, { office: '青峰区卫生健康委员会' }), 'STR-07')).toEqual([expect.objectContaining({ severity: 'error' })]);
    r.sections[4].text += '青峰区卫生健康委员会将进一步加强培训。';
    const fs = only(runRules(r, { office: '青峰区教育局', otherOffices: ['青峰区卫生健康委员会', '青峰区教育局', '白石街道办事处'] }), 'STR-07');
    expect(fs).toHaveLength(1);
    expect(fs[0].message).toContain('「青峰区卫生健康委员会」');
  });

  test('a longer official name containing the submitting office is accepted', () => {
    const r = consistentReport(10, { office: '长春汽车经济技术开发区锦程街道办事处' });
    expect(only(runRules(r, { office: '锦程街道办事处' }), 'STR-07')).toEqual([]);
  });
});

describe('NUM-02 values fit their column', () => {
  test('negative counts, fractional counts, invalid text; 本年增/减 may be negative', () => {
    const r = consistentReport(11, { version: '2019', year: 2020 });
    r.table2!['行政许可']['本年增/减'] = numberCell(-4);
    r.table2!['行政处罚']['处理决定数量'] = numberCell(2.5);
    r.table2!['政府集中采购']['采购总金额'] = numberCell(-10);
    r.table4!['复议后起诉']['尚未审结'] = invalid('若干');
    const fs = only(runRules(r), 'NUM-02');
    expect(fs.map((f) => [f.row, f.column])).toEqual([
      ['行政处罚', '处理决定数量'],
      ['政府集中采购', '采购总金额'],
      ['复议后起诉', '尚未审结'],
    ]);
    expect(fs[2].message).toContain('若干');
  });

  test('NUM-01 for every blank cell, at its row and column', () => {
    const r = consistentReport(12, { version: '2021' });
    r.table2!['行政许可']['本年处理决定数量'] = blankCell('/');
    r.table3!['（二）部分公开（区分处理的，只计这一情形，不计其他情形）']['其他'] = blankCell('');
    const fs = only(runRules(r), 'NUM-01');
    expect(fs.map((f) => [f.table, f.row, f.column, f.severity])).toEqual([
      ['二', '行政许可', '本年处理决定数量', 'error'],
      ['三', '（二）部分公开（区分处理的，只计这一情形，不计其他情形）', '其他', 'error'],
    ]);
  });
});

describe('DL-01 deadline', () => {
  test('late compares instants and shows both in Asia/Shanghai', () => {
    const r = consistentReport(13);
    const deadline = '2023-01-31T23:59:59+08:00';
    // 16:00Z is midnight in Shanghai: one second late.
    const fs = only(runRules(r, { deadline, receivedAt: '2023-01-31T16:00:00Z' }), 'DL-01');
    expect(fs).toEqual([expect.objectContaining({ severity: 'warning' })]);
    expect(fs[0].message).toContain('2023年2月1日 00:00:00');
    expect(fs[0].message).toContain('2023年1月31日 23:59:59');
    expect(only(runRules(r, { deadline, receivedAt: '2023-01-31T15:59:59Z' }), 'DL-01')).toEqual([]);
    expect(only(runRules(r, { deadline }), 'DL-01')).toEqual([]);
  });
});

describe('STR-07 short forms and tricks', () => {
  test.each([
    ['锦程街道', '长春汽开区锦程街道办事处'],
    ['青峰区人民政府', '某市青峰区人民政府'],
    ['某某镇', '某县某某镇人民政府'],
  ])('the official short form 「%s」 of 「%s」 is accepted', (written, office) => {
    const r = consistentReport(12, { office: written });
    expect(only(runRules(r, { office }), 'STR-07')).toEqual([]);
  });
  test.each(['国务院办公厅（代发）青峰区甲局', '局', '青峰区乙局'])('「%s」 is not 青峰区甲局', (written) => {
    const r = consistentReport(13, { office: written });
    expect(only(runRules(r, { office: '青峰区甲局' }), 'STR-07')).toEqual([expect.objectContaining({ severity: 'error' })]);
  });
});
