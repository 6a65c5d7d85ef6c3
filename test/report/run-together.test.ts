/**
 * Reports whose line breaks were lost (shared/report/parse/run-together.ts): the structure is read from the
 * headings inside the one line, a table whose cells were run together is refused with its own finding, and
 * nothing else is taken for such a table. The real site exports are in fixtures/real (real-documents.test.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseText } from '../../shared/report/parse';
import { splitRunTogether } from '../../shared/report/parse/run-together';
import { SPECS } from '../../shared/report/spec';
import { writeText } from '../../shared/report/write-text';
import { validateParsed } from '../../shared/report/validate';
import { consistentReport } from './rules-gen';

const SPEC = SPECS['2021'];
const seed = readFileSync(join(__dirname, '../../fixtures/jincheng-2020.txt'), 'utf8');
/** What a site's text export makes of a report: every separator (line breaks, the cells' `|` and spaces) dropped. */
const runTogether = (text: string) => text.split('\n').map((l) => l.replace(/[|\s\u3000]+/g, '')).join('');

test('a consistent report run together: title, office, year and the six sections read; the three tables refused, none of their numbers read', () => {
  const report = consistentReport(7, { version: '2021', year: 2023 });
  const result = validateParsed(parseText(runTogether(writeText(report))), { year: 2023 });
  expect(result.report).toMatchObject({ year: 2023, office: report.office, table2: null, table3: null, table4: null });
  expect(result.report.sections.map((s) => s.ordinal)).toEqual([1, 2, 3, 4, 5, 6]);
  const errors = result.findings.filter((f) => f.severity === 'error');
  expect(errors.map((f) => [f.rule, f.table])).toEqual([
    ['STR-06', '二'],
    ['STR-06', '三'],
    ['STR-06', '四'],
  ]);
  for (const f of errors) expect(f.message).toContain('单元格连成了一段文字');
  // "Cannot check: table 三 is missing" would say the table is absent; the finding above says why it is not read.
  expect(result.findings.filter((f) => /^T[34]-/.test(f.rule))).toEqual([]);
});

test('the seed run together: its own defects stay (tables 二 and 四 missing, 4、 5、 as ordinals), its table 三 is refused', () => {
  const result = validateParsed(parseText(runTogether(seed)), { year: 2020 });
  expect(result.report).toMatchObject({ year: 2020, office: '锦程街道办事处', table3: null });
  expect(result.report.sections.map((s) => [s.ordinal, s.numbering])).toEqual([
    [1, 'chinese'],
    [2, 'chinese'],
    [3, 'chinese'],
    [4, 'arabic'],
    [5, 'arabic'],
    [6, 'chinese'],
  ]);
  const errors = result.findings.filter((f) => f.severity === 'error');
  expect(errors.filter((f) => f.message.includes('缺少表')).map((f) => f.table)).toEqual(['二', '四']);
  expect(errors.filter((f) => f.message.includes('单元格连成了一段文字')).map((f) => f.table)).toEqual(['三']);
});

test('figures in a sentence are not a run-together table: no column headers, so the table is missing, not unreadable', () => {
  const prose = '本年度办理行政许可2629件，行政处罚1330件，行政强制54件，新制定规章0件。';
  const result = validateParsed(parseText(`某某局2023年政府信息公开工作年度报告\n一、总体情况\n${prose}\n二、主动公开政府信息情况\n${prose}\n`), { year: 2023 });
  const t2 = result.findings.filter((f) => f.table === '二' && f.severity === 'error');
  expect(t2.map((f) => f.message)).toEqual([expect.stringContaining('缺少表二')]);
});

test('only a long line with three numbered headings in order is split; any other line is left as it is', () => {
  const long = '（一）'.padEnd(300, '文');
  expect(splitRunTogether([`${long}一、总体情况 甲 二、主动公开政府信息情况 乙`], SPEC)).toHaveLength(1);
  expect(splitRunTogether(['一、总体情况 二、主动公开政府信息情况 三、收到和处理政府信息公开申请情况'], SPEC)).toHaveLength(1);
  expect(splitRunTogether([`某局2023年政府信息公开工作年度报告 ${long}一、总体情况${long}二、主动公开政府信息情况 表 三、收到和处理政府信息公开申请情况 表`], SPEC)).toEqual([
    ['某局2023年政府信息公开工作年度报告'],
    [long],
    ['一、总体情况'],
    [long],
    ['二、主动公开政府信息情况'],
    ['表'],
    ['三、收到和处理政府信息公开申请情况'],
    ['表'],
  ]);
  // 三、本年度办理结果 and 四、结转下年度继续办理 are rows of table 三, not sections.
  const rows = `${long}一、总体情况 甲 二、主动公开政府信息情况 乙 三、收到和处理政府信息公开申请情况 三、本年度办理结果 四、结转下年度继续办理 0 四、政府信息公开行政复议、行政诉讼情况 丙`;
  expect(splitRunTogether([rows], SPEC).map((c) => c[0])).toEqual([
    long,
    '一、总体情况',
    '甲',
    '二、主动公开政府信息情况',
    '乙',
    '三、收到和处理政府信息公开申请情况',
    '三、本年度办理结果 四、结转下年度继续办理 0',
    '四、政府信息公开行政复议、行政诉讼情况',
    '丙',
  ]);
});

test('a report with its headings on lines of their own is read as before, even with a long line that names them', () => {
  const clean = readFileSync(join(__dirname, '../../fixtures/clean-2021.txt'), 'utf8');
  const [title, ...rest] = clean.split('\n');
  const named = `本报告分为一、总体情况，二、主动公开政府信息情况，三、收到和处理政府信息公开申请情况，四、政府信息公开行政复议、行政诉讼情况等六个部分。${'本报告所列数据的统计期限自2022年1月1日起至2022年12月31日止。'.repeat(6)}`;
  const before = validateParsed(parseText(clean), { year: 2022 });
  const after = validateParsed(parseText([title, named, ...rest].join('\n')), { year: 2022 });
  expect(named.length).toBeGreaterThan(200);
  expect(after.report.sections.map((s) => [s.heading, s.text])).toEqual(before.report.sections.map((s) => [s.heading, s.text]));
  expect(after.report.table3).toEqual(before.report.table3);
  expect(after.findings.map((f) => f.rule)).toEqual(before.findings.map((f) => f.rule));
});
