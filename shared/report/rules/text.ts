/** TXT-01 (figures in the narrative match the tables), TXT-02, TXT-03 (sections have substance). */
import { finding, TABLE_KEYS, type Finding, type Report } from '../model';
import { SPECS, T3, T3_COLUMNS } from '../spec';
import { inSection, sectionText } from './context';
import type { CellRef } from './equations';
import { cellName, tableName } from './labels';

/**
 * A figure the narrative states and the table cells it must equal (their sum when several).
 * Patterns match within one clause; the captured group is the figure.
 */
export interface QuotePattern {
  what: string;
  pattern: RegExp;
  cells: CellRef[];
}

const c3 = (row: string): CellRef => ({ table: '三', row, column: T3.total });
const c4 = (row: string): CellRef => ({ table: '四', row, column: '总计' });
const CLAUSE = '[^。；;，,\\n]';
const PARTIAL = '（二）部分公开（区分处理的，只计这一情形，不计其他情形）';
/** 予以公开和部分公开 / 予以公开及部分公开: the two results quoted as one figure. */
const BOTH = '予以公开(?:和|及|与|、)部分公开';

/**
 * The figures a reviewer compares with table 三 and 四. A row that is a group (（三）不予公开) stands for
 * the sum of its sub-rows.
 */
export const QUOTE_PATTERNS: QuotePattern[] = [
  {
    what: '本年新收申请',
    // Not 行政复议/诉讼 applications, complaints or deputies' proposals received.
    pattern: new RegExp(`(?:收到|新收|受理|接收|接到)(?:(?!复议|诉讼|举报|投诉|建议|提案)${CLAUSE}){0,16}?申请${CLAUSE}{0,4}?(\\d+)\\s*(?:件|个|份)`, 'g'),
    cells: [c3(T3.received)],
  },
  { what: '上年结转申请', pattern: new RegExp(`上一?年度?结转${CLAUSE}{0,12}?(\\d+)\\s*件`, 'g'), cells: [c3(T3.carriedIn)] },
  {
    what: '结转下年度继续办理',
    pattern: new RegExp(`(?:结转|顺延)(?:至|到)?下一?年度?(?:继续办理|答复)?${CLAUSE}{0,6}?(\\d+)\\s*件|(\\d+)\\s*件${CLAUSE}{0,4}?(?:结转|顺延)(?:至|到)?下一?年度`, 'g'),
    cells: [c3(T3.carriedOut)],
  },
  { what: '办结（答复）', pattern: /(?:办结|答复|办理完毕)(?:申请)?(?:共|合计)?\s*(\d+)\s*件/g, cells: [c3(T3.resultsTotal)] },
  { what: '予以公开和部分公开', pattern: new RegExp(`${BOTH}(?:的|共|合计)?\\s*(\\d+)\\s*件`, 'g'), cells: [c3('（一）予以公开'), c3(PARTIAL)] },
  { what: '予以公开', pattern: /(?<!不)予以公开(?!(?:和|及|与|、)部分公开)(?:的|共)?\s*(\d+)\s*件/g, cells: [c3('（一）予以公开')] },
  { what: '部分公开', pattern: new RegExp(`(?<!${BOTH.slice(0, -4)})部分公开(?:的|共)?\\s*(\\d+)\\s*件`, 'g'), cells: [c3(PARTIAL)] },
  { what: '不予公开', pattern: /不予公开(?:的|共)?\s*(\d+)\s*件/g, cells: [c3('（三）不予公开')] },
  { what: '无法提供', pattern: /无法提供(?:的|共)?\s*(\d+)\s*件/g, cells: [c3('（四）无法提供')] },
  { what: '不予处理', pattern: /不予处理(?:的|共)?\s*(\d+)\s*件/g, cells: [c3('（五）不予处理')] },
  { what: '其他处理', pattern: /其他处理(?:的|共)?\s*(\d+)\s*件/g, cells: [c3('（六）其他处理')] },
  { what: '行政复议', pattern: /行政复议(?:案件|申请)?(?:共|合计)?\s*(\d+)\s*(?:件|起)/g, cells: [c4('行政复议')] },
  {
    what: '行政诉讼',
    pattern: /行政诉讼(?:案件)?(?:共|合计)?\s*(\d+)\s*(?:件|起)/g,
    cells: [c4('未经复议直接起诉'), c4('复议后起诉')],
  },
];

const T3_PARTS = T3_COLUMNS.filter((c) => c.label !== T3.total).map((c) => c.label);

/**
 * A cell's value for comparison: the 总计 of a row, or the sum of its applicant columns when 总计 is
 * blank; for a group row, the sum over its sub-rows (or its own row, written as one). Null: not comparable.
 */
function cellValue(report: Report, r: CellRef): number | null {
  const table = report[TABLE_KEYS[r.table]];
  const row = table?.[r.row];
  if (row) {
    const cell = row[r.column];
    if (cell?.kind === 'number') return cell.value;
    if (r.table !== '三' || r.column !== T3.total) return null;
    const parts = T3_PARTS.map((c) => row[c]);
    return parts.every((c) => c?.kind === 'number') ? parts.reduce((a, c) => a + (c!.value ?? 0), 0) : null;
  }
  const subs = table ? SPECS[report.formatVersion ?? '2021'].tables[r.table].rows.filter((x) => x.parent === r.row) : [];
  if (!subs.length) return null;
  const values = subs.map((x) => cellValue(report, { ...r, row: x.label }));
  return values.every((v) => v !== null) ? (values as number[]).reduce((a, b) => a + b, 0) : null;
}

/** The sentence a figure was quoted in (for the message). */
function sentenceAt(text: string, index: number): string {
  const start = Math.max(text.lastIndexOf('。', index), text.lastIndexOf('\n', index)) + 1;
  const stops = ['。', '\n'].map((c) => text.indexOf(c, index)).filter((i) => i >= 0);
  const end = stops.length ? Math.min(...stops) + 1 : text.length;
  const s = text.slice(start, end).trim();
  return s.length > 80 ? `…${text.slice(Math.max(start, index - 30), Math.min(end, index + 40)).trim()}…` : s;
}

export function txt01(report: Report): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const section of report.sections) {
    for (const q of QUOTE_PATTERNS) {
      for (const m of section.text.matchAll(q.pattern)) {
        const quoted = Number(m[1] ?? m[2]);
        // "9999…" (hundreds of digits) is no count: Infinity would reach the message and the stored finding.
        if (!Number.isSafeInteger(quoted)) continue;
        const values = q.cells.map((c) => cellValue(report, c));
        // A blank or absent cell cannot be compared (NUM-01/STR-06 report it).
        if (values.some((v) => v === null)) continue;
        const inTable = (values as number[]).reduce((a, b) => a + b, 0);
        const key = `${q.what}:${quoted}`;
        if (quoted === inTable || seen.has(key)) continue;
        seen.add(key);
        const single = q.cells.length === 1 ? q.cells[0] : null;
        const where = q.cells.map((c) => `${tableName(c.table)}${cellName(c)}`).join(' + ');
        out.push(
          inSection(
            finding({
              rule: 'TXT-01',
              severity: 'warning',
              table: q.cells[0].table,
              row: single?.row ?? null,
              column: single?.column ?? null,
              expected: inTable,
              actual: quoted,
              message: `正文「${sentenceAt(section.text, m.index ?? 0)}」称${q.what}${quoted}件，但${where}为${inTable}，请核对正文与表格。`,
            }),
            section.ordinal,
          ),
        );
      }
    }
  }
  return out;
}

/** Boilerplate that opens many reports and says nothing about the year's work. */
const PREAMBLE = [
  /本(?:年度)?报告/,
  /特向社会公[布开]/,
  /如对本?报告有(?:任何)?疑问/,
  /电子版可(?:在|从)/,
  /根据《中华人民共和国政府信息公开条例》[^。]{0,40}(?:编制|要求|规定)[^。]{0,20}报告/,
  // Contact lines and the statistical period: "联系电话：…", "地址：…邮编：…", "统计期限自…".
  /(?:联系)?(?:电话|地址|邮编|邮政编码|电子邮箱|传真)\s*[:：]/,
  /统计(?:期限|期间|时限)/,
  /(?:由|分为)[^。]{0,20}(?:总体情况|[一二三四五六七八]个?部分)[^。]{0,60}组成/,
];

const cjkLength = (s: string) => (s.match(/[\u4e00-\u9fff]/g) ?? []).length;

export function txt02(report: Report): Finding[] {
  const text = sectionText(report, 1);
  if (text === null) return []; // STR-01 reports the missing section
  const sentences = text.split(/(?<=[。！？!?\n])/);
  const substance = sentences.filter((s) => !PREAMBLE.some((p) => p.test(s))).join('');
  if (cjkLength(substance) >= 40) return [];
  return [
    inSection(
      finding({
        rule: 'TXT-02',
        severity: 'warning',
        message: text.trim()
          ? '「一、总体情况」只有套话，没有说明本年度政府信息公开工作的实际情况（主动公开、依申请公开、政府信息管理、平台建设、监督保障等）。'
          : '「一、总体情况」没有内容，应概述本年度政府信息公开工作情况。',
      }),
      1,
    ),
  ];
}

const EMPTY_ANSWER = /^(?:无|没有|暂无|无问题|不存在)[。.！!]?$/;
const PROBLEM_WORDS = /问题|不足|有待|不够|欠缺|差距|薄弱|不及时|不到位|不完善|不全面|短板/;
const IMPROVE_WORDS = /改进|加强|提升|提高|完善|进一步|整改|强化|将|下一步|推进|规范/;

export function txt03(report: Report): Finding[] {
  const text = sectionText(report, 5);
  if (text === null) return [];
  const t = text.replace(/[\s\u3000]/g, '');
  let problem: string | null = null;
  if (!t) problem = '没有内容';
  else if (EMPTY_ANSWER.test(t) || cjkLength(t) < 15) problem = `只写了「${t}」`;
  else if (!PROBLEM_WORDS.test(t)) problem = '没有说明存在的问题';
  else if (!IMPROVE_WORDS.test(t)) problem = '没有说明改进措施';
  if (!problem) return [];
  return [
    inSection(
      finding({
        rule: 'TXT-03',
        severity: 'warning',
        message: `「五、存在的主要问题及改进情况」${problem}：应如实说明工作中存在的主要问题和相应的改进情况。`,
      }),
      5,
    ),
  ];
}
