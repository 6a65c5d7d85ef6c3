/**
 * The tolerant parser: lines of cells (from text, HTML, DOCX or PDF) → the canonical report + the layout
 * findings only the parser can see. It never throws on bad input; what can be read is kept.
 *
 * A table is read as a stream of tokens (labels, values, blanks) so that one-cell-per-line copies (the seed),
 * `|`-separated rows and real table rows all parse alike: a row label is followed by its values.
 */
import { type Finding, type Location, type Report, type Section, emptyReport, finding } from '../model';
import { isPageFurniture, unifyCjk } from './clean';
import {
  type FormatSpec,
  type FormatVersion,
  type TableId,
  SPECS,
  versionForYear,
} from '../spec';
import { type LabelIndex, labelIndex } from './labels';
import { SPACE, labelKey, trimCell } from './normalize';
import { isValueText } from './values';
import { readTable, type Token } from './table';
import { runTogetherTable, splitRunTogether } from './run-together';

export interface ParseOptions {
  /** The cycle's report year, used when the report itself does not show its format version. */
  year?: number;
  office?: string;
  /** Where each line is in the office's document (default: its line number). */
  where?: (Location | undefined)[];
  /** The title the file itself carries (PDF metadata), used when the body has no title line. */
  documentTitle?: string;
}

/** Where the rows and sections of the report were read from, to locate findings. */
export interface Locations {
  /** table id + NUL + row label → location. */
  rows: Map<string, Location>;
  /** section ordinal → location of its heading. */
  sections: Map<number, Location>;
}

/** A document cut off part-way: the table it ends in, its section and the last row read. */
export interface Incomplete {
  table: TableId;
  section: number;
  lastRow: string | null;
}

export interface ParseResult {
  report: Report;
  findings: Finding[];
  locations?: Locations;
  incomplete?: Incomplete;
  /** Tables present but not read: their cells were run together (run-together.ts). */
  unreadTables?: TableId[];
}

interface Line {
  cells: string[];
  /** Non-empty cells, trimmed, joined by a space. */
  text: string;
  where: Location;
}

// ---------- headings ----------

type Numbering = Section['numbering'];

interface Heading {
  line: number;
  ordinal: number;
  numbering: Numbering;
  written: number | null;
  score: number;
}

const CN = '一二三四五六';
const HEADING =
  /^(?:([一二三四五六])\s*[、.,，．]|([1-6])\s*[、.,，．]|[(（]\s*([一二三四五六])\s*[)）]|[(（]\s*([1-6])\s*[)）]|第([一二三四五六])部分\s*[、:：]?)?\s*(\S.*)$/;
const MAX_HEADING_LENGTH = 60;
/** A cheap filter before the heading regex: every section key contains one of these (simplified or traditional). */
const HEADING_WORDS = /情况|情況|概述|公开|公開|处理|處理|申请|申請|复议|復議|複議|诉讼|訴訟|问题|問題|事项|事項|报告|報告/;

const SECTION_KEYS = SPECS['2021'].sections.map((s) => ({ s, keys: s.keys.map(labelKey), title: labelKey(s.title) }));

function headingCandidates(lines: Line[]): Heading[] {
  const keys = SECTION_KEYS;
  const out: Heading[] = [];
  lines.forEach((line, i) => {
    if (!line.text || line.text.length > MAX_HEADING_LENGTH || !HEADING_WORDS.test(line.text)) return;
    const m = HEADING.exec(line.text.normalize('NFKC'));
    if (!m) return;
    const [, cn, ar, pcn, par, part, rest] = m;
    const numbering: Numbering = cn || part ? 'chinese' : ar ? 'arabic' : pcn || par ? 'parenthesised' : 'none';
    const ordinalText = cn ?? part ?? pcn ?? ar ?? par;
    const written = ordinalText ? (CN.includes(ordinalText) ? CN.indexOf(ordinalText) + 1 : Number(ordinalText)) : null;
    const restKey = labelKey(rest);
    for (const { s, keys: ks, title } of keys) {
      if (!ks.some((k) => restKey.includes(k))) continue;
      if (numbering === 'none' && !(restKey.includes(title) || (rest.length <= 30 && /(情况|事项)$/.test(restKey)))) continue;
      if (numbering === 'none' && line.cells.filter((c) => trimCell(c)).length > 1) continue;
      const match = written === s.ordinal;
      const score =
        numbering === 'chinese' ? (match ? 5 : 2) : numbering === 'arabic' ? (match ? 4 : 0) : numbering === 'parenthesised' ? (match ? 3 : 0) : 1;
      if (score > 0) out.push({ line: i, ordinal: s.ordinal, numbering, written, score });
    }
  });
  return out;
}

/** The best heading per section (ties: the earliest), in document order. */
function chooseHeadings(all: Heading[]): Heading[] {
  // A document that numbers its sections 一、二、… uses （一）（二）… for subheadings inside them
  // (（三）依申请公开情况 inside 总体情况): those are never sections.
  const chinese = new Set(all.filter((c) => c.numbering === 'chinese').map((c) => c.ordinal)).size;
  const candidates = chinese >= 3 ? all.filter((c) => c.numbering !== 'parenthesised') : all;
  const best = new Map<number, Heading>();
  for (const c of candidates) {
    const b = best.get(c.ordinal);
    if (!b || c.score > b.score) best.set(c.ordinal, c);
  }
  // One line heads one section at most.
  const byLine = new Map<number, Heading>();
  for (const h of best.values()) {
    const other = byLine.get(h.line);
    if (!other || h.score > other.score) byLine.set(h.line, h);
  }
  return [...byLine.values()].sort((a, b) => a.line - b.line);
}

// ---------- title, year, office, period ----------

const YEAR = /((?:19|20)\d{2})\s*年/;
const MAX_TITLE = 80;
/** What a web page puts before a title: a breadcrumb ("当前位置：首页 > … >"), a field name ("名称："). */
const TITLE_PREFIX =
  /^(?:(?:当前位置|您的位置|所在位置|您现在的位置)\s*[:：].*[>»›＞]\s*|.*首页\s*[>»›＞](?:.*[>»›＞])?\s*|(?:当前位置|您的位置|所在位置|名\s*称|标\s*题|题\s*名|文件名称|信息名称)\s*[:：]\s*)/;

function titleScore(text: string): number {
  return (/报告$/.test(text) ? 2 : 0) + (YEAR.test(text) ? 1 : 0) + (/信息公开/.test(text) ? 1 : 0);
}

/**
 * The report's title among the lines before the first section (a web page's menus, breadcrumb and
 * metadata fields come first): the line that best reads as "…年政府信息公开工作年度报告", its office
 * on the line above when split. The file's own title (PDF metadata) when the body has none.
 */
interface TitleRead {
  title: string | null;
  year: number | null;
  office: string | null;
  /** The line the title ends on (-1: not in the body). */
  line: number;
}

function readTitle(lines: Line[], firstHeading: number, documentTitle?: string): TitleRead {
  const head = lines
    .slice(0, firstHeading < 0 ? Math.min(lines.length, 5) : firstHeading)
    .map((l, at) => ({ ...l, at }))
    .filter((l) => l.text);
  let best: { i: number; text: string; score: number } | null = null;
  head.forEach((l, i) => {
    for (const cell of l.cells.length > 1 ? [...l.cells, l.text] : [l.text]) {
      const text = trimCell(cell).replace(TITLE_PREFIX, '').replace(SPACE, '');
      if (!/报告/.test(text) || text.length > MAX_TITLE) continue;
      const score = titleScore(text) + (l.cells.length === 1 ? 1 : 0);
      if (!best || score > best.score) best = { i, text, score };
    }
  });
  let title: string | null;
  let line = -1;
  if (best) {
    const { i, text } = best as { i: number; text: string };
    title = text;
    line = head[i].at;
    // "锦程街道办事处" on one line, "2020年政府信息公开工作年度报告" on the next.
    const above = head[i - 1]?.text.replace(SPACE, '');
    // A title wrapped part-way ("…2022 年政府信息公开工" / "作年度报告") reads better joined.
    const wrapped = above && above.length <= 40 && !/[。；]/.test(above) && titleScore(above + title) > titleScore(title);
    if (wrapped || (/^(关于)?(19|20)\d{2}/.test(title) && above && above.length <= 30 && !/[:：>]/.test(above))) title = above + title;
  } else if (documentTitle && /报告/.test(documentTitle) && documentTitle.length <= MAX_TITLE) {
    title = documentTitle.replace(SPACE, '');
  } else {
    return { title: head[0]?.text ?? null, year: null, office: null, line: -1 };
  }
  const y = YEAR.exec(title);
  const office =
    title
      .replace(/(19|20)\d{2}\s*年度?/, '')
      .replace(/(政府)?信息公开(工作)?(年度)?报告.*$/, '')
      .replace(/^关于|的$/g, '')
      .trim() || null;
  return { title, year: y ? Number(y[1]) : null, office, line };
}

const PERIOD = /((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日(?:起)?(?:至|到|—|-)((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日/;

function readPeriod(text: string): Report['period'] {
  const m = PERIOD.exec(text.replace(SPACE, ''));
  if (!m) return null;
  const d = (y: string, mo: string, da: string) => `${y}-${mo.padStart(2, '0')}-${da.padStart(2, '0')}`;
  return { from: d(m[1], m[2], m[3]), to: d(m[4], m[5], m[6]) };
}

// ---------- format version ----------

function keysOf(spec: FormatSpec): Set<string> {
  const keys = new Set<string>();
  for (const t of [spec.tables['二'], spec.tables['三']]) {
    for (const r of t.rows) {
      for (const l of [r.text, ...(r.aliases ?? [])]) keys.add(labelKey(l));
      for (const c of r.columns) for (const l of [c.label, ...(c.aliases ?? [])]) keys.add(labelKey(l));
    }
    for (const f of t.furniture) keys.add(labelKey(f));
  }
  return keys;
}

const VERSION_KEYS: Record<FormatVersion, Set<string>> = (() => {
  const k19 = keysOf(SPECS['2019']);
  const k21 = keysOf(SPECS['2021']);
  return {
    '2019': new Set([...k19].filter((k) => !k21.has(k))),
    '2021': new Set([...k21].filter((k) => !k19.has(k))),
  };
})();

interface VersionEvidence {
  version: FormatVersion | null;
  labels: Record<FormatVersion, string[]>;
}

function detectVersion(lines: Line[]): VersionEvidence {
  const labels: Record<FormatVersion, string[]> = { '2019': [], '2021': [] };
  for (const line of lines) {
    for (const cell of line.cells) {
      const t = trimCell(cell);
      if (!t || t.length > 60) continue;
      const k = labelKey(t);
      for (const v of ['2019', '2021'] as const) if (VERSION_KEYS[v].has(k) && !labels[v].includes(t)) labels[v].push(t);
    }
  }
  const a = labels['2019'].length;
  const b = labels['2021'].length;
  return { version: a > b ? '2019' : b > a ? '2021' : null, labels };
}

// ---------- tables ----------

/** Splits "规章 3 0 12" into a label and its values; keeps "商业 企业" whole. */
/** Where a numbered row label ("2.其他法律行政法规", "（一）予以公开") starts after a space. */
const SUB_ROW_START = /[ \u00a0\u3000]+(?=\d{1,2}\s*[.、．](?!\d)|[（(][一二三四五六七八九十]{1,2}[）)])/;
/** Where a group label ("（五）不予处理") starts inside a piece of text. */
const GROUP_START = /(?<=\S)(?=[（(][一二三四五六七八九十])/;
/** Only the opening of a group label's numbering ("（五"): labels are keyed without it. */
const GROUP_OPENING = /^[（(][一二三四五六七八九十]{1,2}[）)]?$/;

function cellTokens(cell: string, line: number, index: LabelIndex): Token[] {
  const t = trimCell(cell);
  if (!t) return [{ text: '', blank: true, line }];
  // A piece of a vertical group label one space before a sub-row label ("）不 2.其他法律行政法规", as a
  // copy laid out in columns sets narrow columns): two cells.
  // The pieces before it may hold the end of a wrapped label and the start of a group label ("不明确（五").
  const parts0 = t.split(SUB_ROW_START);
  const pieces = [...parts0.slice(0, -1).flatMap((p) => p.split(GROUP_START)), parts0[parts0.length - 1]];
  if (pieces.length > 1 && pieces.slice(0, -1).every((p) => index.isFragment(p) || GROUP_OPENING.test(p))) return pieces.flatMap((p) => cellTokens(p, line, index));
  const parts = t.split(SPACE);
  if (parts.length > 1 && parts.slice(1).every(isValueText)) return parts.map((p) => ({ text: p, blank: false, line }));
  return [{ text: t, blank: false, line }];
}

const NARRATIVE = /[。；;！？]/;
const MAX_TABLE_CELL = 60;

function isLabel(index: LabelIndex, text: string): boolean {
  return text.length <= MAX_TABLE_CELL && index.lookup(text).length > 0;
}

/** A cell of a table: values ("2 1 1 0 4 …"), a label, a short header, or header words broken apart ("结 果 结果 其他"). */
function isTableCell(index: LabelIndex, c: string): boolean {
  if (NARRATIVE.test(c)) return isLabel(index, c);
  if (c.length <= 25 || isLabel(index, c)) return true;
  const parts = c.split(SPACE);
  return parts.every((p) => isValueText(p)) || parts.every((p) => p.length <= 8);
}

/** Table 四 starts at one of its own group labels, not at 总计/其他 that table 三 shares. */
const OPENING_LABELS: Partial<Record<TableId, RegExp>> = { 四: /行政复议|行政诉讼|复议后起诉|未经复议/ };

/** Text laid out in columns (a PDF viewer's copy, `pdftotext -layout`) keeps each cell apart by a run of spaces. */
const COLUMN_GAP = /[ \u00a0]{2,}|\u3000+/;
const columnsOf = (cell: string) => cell.split(COLUMN_GAP);

/** The lines [start, end) of the table inside a region, or null when no label of the table is there. */
function findTableRun(lines: Line[], from: number, to: number, index: LabelIndex, opening?: RegExp): { start: number; end: number } | null {
  let start = -1;
  for (let i = from; i < to && start < 0; i++) {
    if (lines[i].cells.some((c) => isLabel(index, trimCell(c)) && (!opening || opening.test(c)))) start = i;
  }
  if (start < 0) return null;
  let end = start + 1;
  for (let i = start + 1; i < to; i++) {
    const cells = lines[i].cells.flatMap(columnsOf).map(trimCell).filter(Boolean);
    const tableLike = cells.every((c) => isTableCell(index, c));
    if (!tableLike) break;
    if (cells.length) end = i + 1;
  }
  return { start, end };
}

// ---------- the document ----------

function cleanLines(rawLines: string[][], where: (Location | undefined)[], splitRunTogetherLines: boolean): Line[] {
  const lines: Line[] = [];
  rawLines.forEach((raw, i) => {
    const unified = raw.map(unifyCjk);
    for (const cells of splitRunTogetherLines ? splitRunTogether(unified, SPECS['2021']) : [unified]) {
      const text = cells.map(trimCell).filter(Boolean).join(' ');
      if (cells.length === 1 && isPageFurniture(text)) continue;
      lines.push({ cells, text, where: where[i] ?? { line: i + 1 } });
    }
  });
  return lines;
}

const TABLE_KEY: Record<TableId, 'table2' | 'table3' | 'table4'> = { 二: 'table2', 三: 'table3', 四: 'table4' };

export function parseLines(rawLines: string[][], options: ParseOptions = {}): ParseResult {
  // Stage 1: unified characters, page furniture dropped (clean.ts); a document whose headings are not on
  // lines of their own may be a report run together on one line: split at its headings (run-together.ts).
  let lines = cleanLines(rawLines, options.where ?? [], false);
  if (new Set(headingCandidates(lines).map((h) => h.ordinal)).size < 3) {
    const split = cleanLines(rawLines, options.where ?? [], true);
    if (split.length > lines.length) lines = split;
  }
  const at = (line: number): Location | undefined => lines[line]?.where;
  const report = emptyReport();
  const findings: Finding[] = [];
  const locations: Locations = { rows: new Map(), sections: new Map() };

  // Stage 2: structure: headings, title, period, format version.
  const evidence = detectVersion(lines);
  const headings = chooseHeadings(headingCandidates(lines));
  const firstHeading = headings[0]?.line ?? -1;
  const { title, year, office, line: titleLine } = readTitle(lines, firstHeading, options.documentTitle);
  report.title = title;
  report.year = year;
  report.office = office;
  report.period = readPeriod(lines.map((l) => l.text).join('\n'));

  const fallbackYear = year ?? options.year;
  report.formatVersion = evidence.version ?? (fallbackYear ? versionForYear(fallbackYear) : null);
  const spec = SPECS[report.formatVersion ?? '2021'];
  if (evidence.labels['2019'].length && evidence.labels['2021'].length) {
    findings.push(
      finding({
        rule: 'STR-04',
        severity: 'error',
        message: `报告混用了两个版本的格式：2019年版标签（${evidence.labels['2019'].join('、')}）与2021年版标签（${evidence.labels['2021'].join('、')}）同时出现，请统一使用${report.formatVersion}年版格式。`,
      }),
    );
  }

  // Stage 3: tables, each read inside its section (a section runs from its heading to the next one).
  // A table whose heading is missing is looked for between the sections around it, never in another table.
  const tableLines = new Set<number>();
  const unreadTables: TableId[] = [];
  let searchFrom = 0;
  let lastTable: { id: TableId; ordinal: number; end: number; lastRow: string | null } | null = null;
  for (const sec of spec.sections) {
    if (!sec.table) continue;
    const tspec = spec.tables[sec.table];
    const index = labelIndex(tspec);
    const i = headings.findIndex((h) => h.ordinal === sec.ordinal);
    const next = headings.find((h) => h.ordinal > sec.ordinal && h.line >= searchFrom);
    const region = i >= 0 ? { from: headings[i].line + 1, to: headings[i + 1]?.line ?? lines.length } : { from: searchFrom, to: next?.line ?? lines.length };
    const run = findTableRun(lines, region.from, region.to, index, OPENING_LABELS[sec.table]);
    if (!run) {
      const unreadable = runTogetherIn(lines, region, spec, sec.table);
      if (unreadable) {
        findings.push(unreadable);
        unreadTables.push(sec.table);
      }
      continue;
    }
    searchFrom = run.end;
    const tokens: Token[] = [];
    for (let l = run.start; l < run.end; l++) {
      tableLines.add(l);
      for (const c of lines[l].cells) tokens.push(...cellTokens(c, l, index));
    }
    const foreign = labelIndex(SPECS[spec.version === '2019' ? '2021' : '2019'].tables[sec.table]);
    const read = readTable(tspec, index, tokens, at, foreign);
    report[TABLE_KEY[sec.table]] = read.table;
    findings.push(...read.findings);
    for (const [row, l] of read.rowLines) {
      const loc = at(l);
      if (loc) locations.rows.set(`${sec.table}\u0000${row}`, loc);
    }
    const rowsRead = tspec.rows.filter((r) => read.table[r.label]);
    lastTable = { id: sec.table, ordinal: sec.ordinal, end: run.end, lastRow: rowsRead[rowsRead.length - 1]?.label ?? null };
  }

  // Stage 4: the narrative: the preamble before 一、总体情况, and each section's text.
  const preamble: string[] = [];
  for (let j = titleLine + 1; j < (firstHeading < 0 ? 0 : firstHeading); j++) {
    if (!tableLines.has(j) && lines[j].text) preamble.push(lines[j].text);
  }
  report.preamble = preamble.join('\n');
  report.sections = headings.map((h, i) => {
    const end = headings[i + 1]?.line ?? lines.length;
    const text: string[] = [];
    for (let j = h.line + 1; j < end; j++) if (!tableLines.has(j) && lines[j].text) text.push(lines[j].text);
    const loc = at(h.line);
    if (loc && !locations.sections.has(h.ordinal)) locations.sections.set(h.ordinal, loc);
    return {
      ordinal: h.ordinal,
      heading: lines[h.line].text,
      numbering: h.numbering,
      writtenOrdinal: h.written !== null && h.written !== h.ordinal ? h.written : null,
      text: text.join('\n'),
    };
  });

  // Stage 5: a document that ends inside a table and lacks every later section was cut off.
  const incomplete = cutOff(lines, headings, lastTable, spec);
  if (incomplete) findings.push(incomplete.finding);
  return { report, findings, locations, incomplete: incomplete?.cut, ...(unreadTables.length && { unreadTables }) };
}

/** A table whose cells were run together in its section's text: not read, and said so (never a guess). */
function runTogetherIn(lines: Line[], region: { from: number; to: number }, spec: FormatSpec, table: TableId): Finding | null {
  for (let i = region.from; i < region.to; i++) {
    const sample = runTogetherTable(lines[i].text, spec, table);
    if (!sample) continue;
    return finding({
      rule: 'STR-06',
      severity: 'error',
      table,
      location: lines[i].where,
      message: `表${table}「${spec.tables[table].title}」的单元格连成了一段文字（如「${sample}」），各格之间没有分隔，无法确定每个数字属于哪一格，因此未读取该表。请上传原始的Word、PDF或网页文件，或让表格的每个单元格另起一行。`,
    });
  }
  return null;
}

/** Where a document that stops part-way stops: the table it ends in and the last row read. */
function cutOff(
  lines: Line[],
  headings: Heading[],
  last: { id: TableId; ordinal: number; end: number; lastRow: string | null } | null,
  spec: FormatSpec,
): { finding: Finding; cut: Incomplete } | null {
  if (!last) return null;
  const laterHeading = headings.some((h) => h.ordinal > last.ordinal);
  const textAfter = lines.slice(last.end).some((l) => l.text);
  if (laterHeading || textAfter) return null;
  const rows = spec.tables[last.id].rows;
  const lastIndex = last.lastRow ? rows.findIndex((r) => r.label === last.lastRow) : -1;
  const finalRow = rows[rows.length - 1];
  const tableComplete = lastIndex === rows.length - 1 || (last.id === '四' && last.lastRow === finalRow.label);
  if (tableComplete && last.ordinal >= 4) {
    // Table 四 read in full and nothing after it: sections 五 and 六 are missing (STR-01 says so).
    return null;
  }
  const after = last.lastRow ? `表${last.id}「${last.lastRow.replace(/（区分处理的[^）]*）/, '')}」行` : `表${last.id}`;
  const missing = [
    ...(tableComplete ? [] : [`表${last.id}其余各行`]),
    ...spec.sections.filter((s) => s.ordinal > last.ordinal).map((s) => `${CN[s.ordinal - 1]}、${s.title}`),
  ];
  return {
    finding: finding({
      rule: 'STR-01',
      severity: 'error',
      location: lines[last.end - 1]?.where,
      message: `报告不完整：${after}之后的内容缺失（${missing.join('、')}），可能缺页或网页未完整保存，请提交完整的报告。`,
    }),
    cut: { table: last.id, section: last.ordinal, lastRow: last.lastRow },
  };
}
