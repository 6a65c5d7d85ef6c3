/**
 * Texts drafted from the figures for the 本级 report: 一、总体情况 (coverage, the figures, year on year) and the
 * short notes under the tables. The coordinator edits them; they are written so that our own TXT-01 check
 * (figures quoted in the narrative equal the tables) holds: every quoted figure is the table's total.
 */
import type { TableId } from '../spec';
import type { FormatVersion } from '../spec';
import { percent, type FigureComparison } from './figures';
import type { AggregateResult, IncompleteCell } from './index';

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : String(Number(n.toFixed(6))));

function yoy(f: FigureComparison, unit: string): string {
  if (f.previous === null) return '';
  if (f.change === null) return `（上年${fmt(f.previous)}${unit}）`;
  if (f.change === 0) return `（上年${fmt(f.previous)}${unit}，与上年持平）`;
  const dir = f.change > 0 ? '增加' : '减少';
  const rate = f.changeRate !== null ? `，${f.change > 0 ? '增长' : '下降'}${percent(Math.abs(f.changeRate))}` : '';
  return `（上年${fmt(f.previous)}${unit}，${dir}${fmt(Math.abs(f.change))}${unit}${rate}）`;
}

function share(f: FigureComparison): string {
  if (f.share === null || f.share === undefined) return '';
  const prev = f.previousShare !== null && f.previousShare !== undefined ? `，上年占${percent(f.previousShare)}` : '';
  return `，占办理结果总数的${percent(f.share)}${prev}`;
}

const UNKNOWN = '因部分单位未填写无法汇总';

export function draftOverview(result: AggregateResult, expected: number): string {
  const y = result.year ?? '';
  const name = result.report.office ?? '本级政府';
  const by = new Map(result.yearOnYear.map((f) => [f.key, f]));
  const f = (key: string) => by.get(key)!;
  const paras: string[] = [];

  const notIn = result.missing.map((m) => `${m.office}（${m.reason === 'not_submitted' ? '未提交' : m.reason === 'rejected' ? '未通过' : m.reason === 'returned' ? '退回修改' : m.reason === 'unpublished' ? '尚未公开' : m.reason === 'checking' ? '校验中' : m.reason === 'unreadable' ? '无法读取' : '格式或年度不符'}）`);
  let coverage = `${y}年，${name}认真贯彻落实《中华人民共和国政府信息公开条例》，本报告汇总了${result.included.length}个单位的年度报告`;
  if (expected > result.included.length) coverage += `（应报送${expected}个单位）`;
  coverage += '。';
  if (notIn.length) coverage += `未计入汇总的单位：${notIn.join('、')}。`;
  if (result.excluded.length) coverage += `${result.excluded.map((e) => e.office).join('、')}的报告已包含各组成部门的数据，未与各部门重复相加。`;
  if (result.incomplete.length) coverage += `有${result.incomplete.length}项合计因部分单位未填写而留空，不按0计算。`;
  paras.push(coverage);

  const received = f('received');
  const carriedIn = f('carriedIn');
  const apply: string[] = [];
  apply.push(received.current !== null ? `全年共新收政府信息公开申请${fmt(received.current)}件${yoy(received, '件')}` : `全年新收政府信息公开申请的数量${UNKNOWN}`);
  if (carriedIn.current !== null) apply.push(`上年结转政府信息公开申请${fmt(carriedIn.current)}件`);
  const results: string[] = [];
  for (const key of ['disclosed', 'partly', 'withheld', 'unavailable', 'notHandled', 'otherHandling']) {
    const x = f(key);
    if (x.current !== null) results.push(`${x.label}${fmt(x.current)}件${share(x)}`);
    else results.push(`${x.label}的数量${UNKNOWN}`);
  }
  const carriedOut = f('carriedOut');
  let text = `${apply.join('，')}。办理结果中，${results.join('；')}。`;
  if (carriedOut.current !== null) text += `结转下年度继续办理${fmt(carriedOut.current)}件。`;
  paras.push(text);

  const reviews = f('reviews');
  const lawsuits = f('lawsuits');
  const legal: string[] = [];
  legal.push(reviews.current !== null ? `政府信息公开行政复议${fmt(reviews.current)}件${yoy(reviews, '件')}` : `政府信息公开行政复议的数量${UNKNOWN}`);
  legal.push(lawsuits.current !== null ? `行政诉讼${fmt(lawsuits.current)}件${yoy(lawsuits, '件')}` : `行政诉讼的数量${UNKNOWN}`);
  paras.push(`${legal.join('，')}。`);
  return paras.join('\n');
}

export function stockNote(version: FormatVersion): string {
  return version === '2021'
    ? '注：表中「现行有效件数」为各单位现行有效件数之和（同一文件可能在多个单位重复计数）。'
    : '注：表中「对外公开总数量」「上一年项目数量」为各单位数量之和（同一事项可能在多个单位重复计数）。';
}

export function incompleteNote(incomplete: IncompleteCell[], table: TableId): string {
  const n = incomplete.filter((c) => c.table === table).length;
  return n ? `注：本表有${n}项合计因部分单位未填写而留空（空白不按0计算），明细见汇总说明。` : '';
}

const BASIS_TEXT = { published: '已公开版本', accepted: '已通过、尚未公开的版本', file: '文件' } as const;

/** The 汇总说明 printed after the report: what was counted, what was not and why, sums left blank. */
export function summaryNotes(result: AggregateResult): string[] {
  const lines: string[] = [];
  lines.push(`【纳入汇总的单位】共${result.included.length}个：`);
  result.included.forEach((i, n) => {
    const what = [BASIS_TEXT[i.basis] + (i.version ? ` 第${i.version}版` : ''), i.submissionId ? `提交编号 ${i.submissionId}` : null, i.file ? `文件 ${i.file}` : null];
    lines.push(`${n + 1}. ${i.office}：${what.filter(Boolean).join('，')}`);
  });
  if (result.missing.length) {
    lines.push(`【未计入汇总的单位】共${result.missing.length}个：`);
    result.missing.forEach((m, n) => lines.push(`${n + 1}. ${m.message}`));
  }
  if (result.excluded.length) {
    lines.push('【为避免重复计算未相加的报告】');
    result.excluded.forEach((e, n) => lines.push(`${n + 1}. ${e.message}`));
  }
  if (result.late.length) lines.push(`【逾期报送的单位】${result.late.map((l) => l.office + (l.included ? '（已计入）' : '（未计入）')).join('、')}。`);
  if (result.incomplete.length) {
    lines.push(`【留空的合计】共${result.incomplete.length}项，空白不按0计算：`);
    result.incomplete.forEach((c, n) => lines.push(`${n + 1}. ${c.message}`));
  }
  lines.push(`【存量指标】${stockNote(result.report.formatVersion ?? '2021').replace(/^注：/, '')}`);
  return lines;
}
