import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { finding, type Finding } from '../../shared/report/model';
import { parseText } from '../../shared/report/parse';
import { runRules } from '../../shared/report/rules';
import { bigramSimilarity, comparableText } from '../../shared/report/rules/cross-year';
import { validateParsed } from '../../shared/report/validate';
import { clone, consistentReport } from './rules-gen';

const only = (fs: Finding[], rule: string) => fs.filter((f) => f.rule === rule);
const fixture = (name: string) => readFileSync(join(__dirname, '../../fixtures', name), 'utf8');

describe('TXT-01 figures quoted in the narrative', () => {
  test('a wrong 收到申请 figure names the table cell, the table value and the quoted one', () => {
    const r = consistentReport(1, { version: '2021' });
    const received = r.table3!['一、本年新收政府信息公开申请数量']['总计'].value!;
    r.sections[0].text = r.sections[0].text.replace(`收到政府信息公开申请${received}件`, `收到政府信息公开申请${received + 7}件`);
    const fs = only(runRules(r), 'TXT-01');
    expect(fs).toEqual([
      expect.objectContaining({ severity: 'warning', table: '三', row: '一、本年新收政府信息公开申请数量', column: '总计', expected: received, actual: received + 7 }),
    ]);
  });

  test('行政诉讼 is compared with both 行政诉讼 groups; 行政复议 with its group', () => {
    const r = consistentReport(2);
    r.sections[3].text = '本年度发生行政复议99件，行政诉讼98件。';
    const fs = only(runRules(r), 'TXT-01');
    expect(fs.map((f) => [f.table, f.row, f.actual])).toEqual([
      ['四', null, 98],
      ['四', '行政复议', 99],
    ]);
    const t4 = r.table4!;
    expect(fs[0].expected).toBe(t4['未经复议直接起诉']['总计'].value! + t4['复议后起诉']['总计'].value!);
  });

  test('figures in another unit or without a match are ignored; blank cells are not compared', () => {
    const r = consistentReport(3);
    r.sections[0].text += '回应群众关切问题137个，主动公开信息386条，办理人大代表建议18件，受理投诉举报申请77件。';
    expect(only(runRules(r), 'TXT-01')).toEqual([]);
    r.table3!['一、本年新收政府信息公开申请数量']['总计'] = { raw: '', kind: 'blank', value: null };
    r.table3!['一、本年新收政府信息公开申请数量']['自然人'] = { raw: '', kind: 'blank', value: null };
    r.sections[0].text += '共收到政府信息公开申请999件。';
    expect(only(runRules(r), 'TXT-01')).toEqual([]);
  });

  test('a blank 总计 is compared through the sum of its row', () => {
    const r = consistentReport(4, { version: '2021' });
    const row = r.table3!['一、本年新收政府信息公开申请数量'];
    const received = row['总计'].value!;
    row['总计'] = { raw: '', kind: 'blank', value: null };
    r.sections[0].text += `共收到政府信息公开申请${received + 1}件。`;
    expect(only(runRules(r), 'TXT-01')).toEqual([expect.objectContaining({ expected: received, actual: received + 1 })]);
  });

  test.each([
    ['予以公开和部分公开', ['（一）予以公开', '（二）部分公开（区分处理的，只计这一情形，不计其他情形）']],
    ['不予公开', ['（三）不予公开']],
    ['无法提供', ['（四）无法提供']],
    ['不予处理', ['（五）不予处理']],
    ['办结', ['（七）总计']],
  ])('「%s N件」 is compared with its rows (a group with the sum of its sub-rows)', (phrase, rows) => {
    const r = consistentReport(5, { version: '2021' });
    const t3 = r.table3!;
    const total = (label: string): number =>
      t3[label] ? t3[label]['总计'].value! : Object.entries(t3).filter(([k]) => k.startsWith(`${label} `)).reduce((a, [, c]) => a + c['总计'].value!, 0);
    const expected = rows.reduce((a, l) => a + total(l), 0);
    r.sections[0].text += `其中${phrase}${expected}件。`;
    expect(only(runRules(r), 'TXT-01')).toEqual([]);
    r.sections[0].text += `其中${phrase}${expected + 3}件。`;
    expect(only(runRules(r), 'TXT-01')).toEqual([expect.objectContaining({ expected, actual: expected + 3, message: expect.stringContaining(`${phrase}${expected + 3}件`) })]);
  });
});

describe('TXT-02 / TXT-03 substance', () => {
  test('总体情况 with only the preamble', () => {
    const r = consistentReport(4);
    r.sections[0].text = '本报告根据《中华人民共和国政府信息公开条例》要求编制。如对本报告有任何疑问，请与本机关联系。';
    expect(only(runRules(r), 'TXT-02')).toEqual([expect.objectContaining({ severity: 'warning' })]);
    r.sections[0].text = '';
    expect(only(runRules(r), 'TXT-02')[0].message).toContain('没有内容');
  });

  test('五 empty, only 无, or without improvements', () => {
    const r = consistentReport(5);
    for (const text of ['', '无', '无。', '　无　']) {
      r.sections[4].text = text;
      expect(only(runRules(r), 'TXT-03')).toHaveLength(1);
    }
    r.sections[4].text = '本年度政府信息公开工作存在的问题是信息更新不及时，部分栏目内容较少，群众知晓度不高。';
    expect(only(runRules(r), 'TXT-03')[0].message).toContain('改进');
    r.sections[4].text += '下一步将加强栏目维护，及时更新内容。';
    expect(only(runRules(r), 'TXT-03')).toEqual([]);
  });

  test('the seed: 五 has substance, 总体情况 too', () => {
    const fs = validateParsed(parseText(fixture('jincheng-2020.txt'))).findings;
    expect(only(fs, 'TXT-02')).toEqual([]);
    expect(only(fs, 'TXT-03')).toEqual([]);
  });
});

describe('XY-03 copied narrative', () => {
  test('last year\'s text with new figures is flagged; a rewritten report is not', () => {
    const current = parseText(fixture('clean-2021.txt')).report;
    const previous = parseText(fixture('clean-2021-prev.txt')).report;
    expect(bigramSimilarity(comparableText(current), comparableText(previous))).toBeLessThan(0.5);
    expect(only(runRules(current, { previous }), 'XY-03')).toEqual([]);

    const copy = clone(previous);
    copy.year = 2022;
    copy.sections = previous.sections.map((s) => ({ ...s, text: s.text.replace(/2021/g, '2022').replace(/\d+件/g, '9件') }));
    const fs = only(runRules(copy, { previous }), 'XY-03');
    expect(fs).toEqual([expect.objectContaining({ severity: 'warning' })]);
    expect(fs[0].message).toMatch(/相似度(9\d|100)%/);
  });

  test('bigram similarity', () => {
    expect(bigramSimilarity('政府信息公开工作', '政府信息公开工作')).toBe(1);
    expect(bigramSimilarity('政府信息公开', '住房城乡建设')).toBe(0);
    expect(bigramSimilarity('政府信息公开工作年度报告', '政府信息公开工作报告')).toBeGreaterThan(0.7);
  });
});

describe('validateParsed', () => {
  test('the JSON contract: fields, verdict, parser findings first-class, no duplicate of a parser finding', () => {
    const parsed = parseText(fixture('clean-2021.txt'));
    const extra = finding({ rule: 'STR-06', severity: 'error', table: '四', message: '解析器：表四版式无法识别。' });
    const noTable4 = { report: { ...parsed.report, table4: null }, findings: [extra] };
    const v = validateParsed(noTable4, { year: 2022, office: '青峰区住房和城乡建设局' });
    expect(Object.keys(v).sort()).toEqual(['findings', 'formatVersion', 'office', 'report', 'verdict', 'year']);
    expect(v).toMatchObject({ formatVersion: '2021', year: 2022, office: '青峰区住房和城乡建设局', verdict: 'rejected' });
    // The parser's STR-06 for table 四 stands for the rule's.
    expect(v.findings.filter((f) => f.rule === 'STR-06' && f.table === '四')).toEqual([extra]);
    expect(v.findings.filter((f) => f.rule === 'T4-01')).toHaveLength(1);
    for (const f of v.findings) expect(Object.keys(f).sort()).toEqual(['actual', 'column', 'expected', 'message', 'row', 'rule', 'severity', 'table']);
  });

  test('findings sorted by section, then row and column, errors first within a cell', () => {
    const r = consistentReport(6, { version: '2021', year: 2022 });
    r.sections[4] = { ...r.sections[4], heading: '5、存在的主要问题及改进情况', numbering: 'arabic' };
    r.table4!['行政复议']['总计'] = { raw: 'x', kind: 'invalid', value: null, problem: 'x' };
    r.table3!['（七）总计']['自然人'] = { raw: '', kind: 'blank', value: null };
    r.table2!['行政处罚']['本年处理决定数量'] = { raw: '', kind: 'blank', value: null };
    const v = validateParsed({ report: r, findings: [] }, { year: 2021, deadline: '2022-01-31T00:00:00+08:00', receivedAt: '2022-02-03T00:00:00+08:00' });
    const order = v.findings.map((f) => `${f.rule}:${f.table ?? '-'}:${f.row ?? '-'}:${f.column ?? '-'}:${f.severity[0]}`);
    expect(order).toEqual([
      'STR-02:-:-:-:e',
      'DL-01:-:-:-:w',
      'NUM-01:二:行政处罚:本年处理决定数量:e',
      'NUM-01:三:（七）总计:自然人:e',
      'T3-01:三:（七）总计:自然人:w',
      'T3-03:三:（七）总计:自然人:w',
      'T3-02:三:（七）总计:总计:w',
      'NUM-02:四:行政复议:总计:e',
      'T4-01:四:行政复议:总计:w',
      'STR-01:-:-:-:w',
    ]);
  });
});

describe('TXT-02 总体情况 of boilerplate only', () => {
  test.each([
    '本报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况等六部分组成。本报告所列数据统计期限自2022年1月1日至2022年12月31日。如对本报告有疑问，请联系本局办公室（电话：0531-1234567，地址：人民路1号，邮编：250000）。',
    '根据《中华人民共和国政府信息公开条例》规定，编制本报告。联系电话：0531-7654321。',
  ])('「%s」 is noticed', (text) => {
    const r = consistentReport(6, { version: '2021' });
    r.sections[0].text = text;
    expect(only(runRules(r), 'TXT-02')).toEqual([expect.objectContaining({ severity: 'warning' })]);
  });
});
