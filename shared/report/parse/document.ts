/**
 * The tolerant parser: lines of cells (from text, HTML, DOCX or PDF) → the canonical report + the layout
 * findings only the parser can see. It never throws on bad input; what can be read is kept.
 *
 * A table is read as a stream of tokens (labels, values, blanks) so that one-cell-per-line copies (the seed),
 * `|`-separated rows and real table rows all parse alike: a row label is followed by its values.
 */
import { type Cell, type Finding, type Report, type Section, type Table, emptyReport, finding } from '../model';
import {
  type FormatSpec,
  type FormatVersion,
  type RowSpec,
  type TableId,
  type TableSpec,
  SPECS,
  versionForYear,
} from '../spec';
import { type LabelHit, type LabelIndex, labelIndex } from './labels';
import { SPACE, labelKey, trimCell } from './normalize';
import { isValueText, parseCell } from './values';

export interface ParseOptions {
  /** The cycle's report year, used when the report itself does not show its format version. */
  year?: number;
  office?: string;
}

export interface ParseResult {
  report: Report;
  findings: Finding[];
}

interface Line {
  cells: string[];
  /** Non-empty cells, trimmed, joined by a space. */
  text: string;
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
function chooseHeadings(candidates: Heading[]): Heading[] {
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

function readTitle(lines: Line[], firstHeading: number): { title: string | null; year: number | null; office: string | null } {
  const head = lines.slice(0, firstHeading < 0 ? Math.min(lines.length, 5) : firstHeading).filter((l) => l.text);
  const i = head.findIndex((l) => /报告/.test(l.text));
  if (i < 0) return { title: head[0]?.text ?? null, year: null, office: null };
  let title = head[i].text.replace(SPACE, '');
  // "锦程街道办事处" on one line, "2020年政府信息公开工作年度报告" on the next.
  if (/^(关于)?(19|20)\d{2}/.test(title) && i > 0 && head[i - 1].text.length <= 30) title = head[i - 1].text.replace(SPACE, '') + title;
  const y = YEAR.exec(title);
  const office =
    title
      .replace(/(19|20)\d{2}\s*年度?/, '')
      .replace(/(政府)?信息公开(工作)?(年度)?报告.*$/, '')
      .replace(/^关于|的$/g, '')
      .trim() || null;
  return { title, year: y ? Number(y[1]) : null, office };
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

interface Token {
  text: string;
  blank: boolean;
}

/** Splits "规章 3 0 12" into a label and its values; keeps "商业 企业" whole. */
function cellTokens(cell: string): Token[] {
  const t = trimCell(cell);
  if (!t) return [{ text: '', blank: true }];
  const parts = t.split(SPACE);
  if (parts.length > 1 && parts.slice(1).every(isValueText)) return parts.map((p) => ({ text: p, blank: false }));
  return [{ text: t, blank: false }];
}

const NARRATIVE = /[。；;！？]/;
const WORDS = /[\u4e00-\u9fff]/g;
const NUMERALS = /[一二三四五六七八九十零〇两百千万]/g;

/** A token meant as a value but garbled: no words in it, only digits, letters or Chinese numerals. */
function looksLikeValue(text: string): boolean {
  const words = (text.match(WORDS) ?? []).length - (text.match(NUMERALS) ?? []).length;
  return words === 0 && text.length <= 12;
}
const MAX_TABLE_CELL = 60;

function isLabel(index: LabelIndex, text: string): boolean {
  return text.length <= MAX_TABLE_CELL && index.lookup(text).length > 0;
}

/** The lines [start, end) of the table inside a region, or null when no label of the table is there. */
function findTableRun(lines: Line[], from: number, to: number, index: LabelIndex): { start: number; end: number } | null {
  let start = -1;
  for (let i = from; i < to && start < 0; i++) {
    if (lines[i].cells.some((c) => isLabel(index, trimCell(c)))) start = i;
  }
  if (start < 0) return null;
  let end = start + 1;
  for (let i = start + 1; i < to; i++) {
    const cells = lines[i].cells.map(trimCell).filter(Boolean);
    const tableLike = cells.every((c) => isValueText(c) || isLabel(index, c) || (c.length <= 25 && !NARRATIVE.test(c)));
    if (!tableLike) break;
    if (cells.length) end = i + 1;
  }
  return { start, end };
}

class TableReader {
  readonly table: Table = {};
  readonly findings: Finding[] = [];
  private readonly seenColumns = new Set<string>();
  private current: RowSpec | null = null;
  private currentIndex = -1;
  private parent: string | null = null;
  private slots: Token[] = [];
  private inHeader = true;
  private fragment = '';
  private readonly parents: Set<string>;

  constructor(
    private readonly spec: TableSpec,
    private readonly index: LabelIndex,
  ) {
    this.parents = new Set(spec.rows.filter((r) => r.parent).map((r) => r.parent as string));
  }

  read(tokens: Token[]): void {
    if (this.spec.layout === 'sequential') return this.readSequential(tokens);
    for (const tok of tokens) this.take(tok);
    this.flush();
    this.checkColumns();
  }

  private take(tok: Token): void {
    if (tok.blank || isValueText(tok.text)) {
      this.endFragment();
      if (this.current) this.slots.push(tok);
      return;
    }
    const hits = this.index.lookup(tok.text);
    if (hits.length === 0) return this.unmatched(tok);
    this.endFragment();
    const row = this.pickRow(hits);
    if (row) return this.startRow(row);
    // A column or furniture label: a header, possibly repeated inside the table (table 二's blocks).
    for (const h of hits) if (h.kind === 'column') this.seenColumns.add(h.column.label);
    if (!this.inHeader) {
      this.flush();
      this.current = null;
    }
  }

  private unmatched(tok: Token): void {
    const text = tok.text;
    // Vertical headers split into single characters by PDF extraction: join them back.
    if (this.inHeader && [...text].length === 1) {
      this.fragment += text;
      return;
    }
    this.endFragment();
    if (this.inHeader) return; // unknown header text (a caption, a unit note)
    if (this.current && looksLikeValue(text)) {
      this.slots.push(tok); // a garbled value ("O", "1O", "十二"): kept, reported as invalid
      return;
    }
    if (this.current && this.slots.length === 0) return; // the rest of a label wrapped over two lines
    this.flush();
    this.current = null;
    this.findings.push(
      finding({
        rule: 'STR-06',
        severity: 'error',
        table: this.spec.id,
        row: text,
        message: `表${this.spec.id}中出现格式中没有的行「${text}」，请按国家统一格式的行名填写。`,
      }),
    );
  }

  private endFragment(): void {
    if (!this.fragment) return;
    for (const h of this.index.lookup(this.fragment)) if (h.kind === 'column') this.seenColumns.add(h.column.label);
    this.fragment = '';
  }

  private pickRow(hits: LabelHit[]): RowSpec | null {
    const rows = hits.flatMap((h) => (h.kind === 'row' ? [h] : []));
    const columnsToo = hits.some((h) => h.kind !== 'row');
    // In the header, a label that is also a column ("总计", "其他") is the column.
    const usable = rows.filter((h) => {
      if (this.inHeader && columnsToo) return false;
      // Short sub-row labels ("3.其他") only count under their own parent.
      return !(h.row.parent && labelKey(h.row.text).length < 3 && h.row.parent !== this.parent);
    });
    if (usable.length === 0) return null;
    const next = usable.filter((h) => h.index > this.currentIndex).sort((a, b) => a.index - b.index)[0];
    return (next ?? usable[0]).row;
  }

  private startRow(row: RowSpec): void {
    this.flush();
    this.inHeader = false;
    this.current = row;
    this.currentIndex = this.spec.rows.indexOf(row);
    this.parent = this.parents.has(row.label) ? row.label : (row.parent ?? null);
  }

  private flush(): void {
    const row = this.current;
    if (!row) return;
    const slots = this.slots;
    this.slots = [];
    const values = slots.filter((s) => !s.blank);
    if (row.header) {
      if (values.length && this.parents.has(row.label)) {
        const subs = this.spec.rows.filter((r) => r.parent === row.label);
        this.findings.push(
          finding({
            rule: 'STR-06',
            severity: 'error',
            table: this.spec.id,
            row: row.label,
            expected: subs.length,
            actual: null,
            message: `「${row.label}」应分${subs.length}个子项逐行填写（${subs.map((s) => s.text).join('、')}），报告中缺少这些子项，却在该行下列出了${values.length}个数值，无法对应到子项。`,
          }),
        );
      }
      return;
    }
    if (this.table[row.label]) {
      this.findings.push(
        finding({
          rule: 'STR-06',
          severity: 'error',
          table: this.spec.id,
          row: row.label,
          message: `表${this.spec.id}的「${row.label}」出现了两次，已采用第一次出现的数值，请删除重复的行。`,
        }),
      );
      return;
    }
    const n = row.columns.length;
    // Empty cells around a row (indentation, merged-cell placeholders) are not values when they are extra.
    while (slots.length > n && slots[slots.length - 1].blank) slots.pop();
    while (slots.length > n && slots[0].blank) slots.shift();
    const cells: Record<string, Cell> = {};
    if (slots.length === n || values.length === 0) {
      row.columns.forEach((c, i) => (cells[c.label] = parseCell(slots[i]?.text ?? '')));
    } else {
      this.findings.push(
        finding({
          rule: 'STR-06',
          severity: 'error',
          table: this.spec.id,
          row: row.label,
          expected: n,
          actual: slots.length,
          message: `表${this.spec.id}「${row.label}」一行有${slots.length}个数值，应为${n}个（${row.columns.map((c) => c.label).join('、')}），无法确定各数值所属的列，请逐列核对。`,
        }),
      );
    }
    this.table[row.label] = cells;
  }

  private checkColumns(): void {
    const needed = new Set<string>();
    for (const r of this.spec.rows) if (this.table[r.label]) for (const c of r.columns) needed.add(c.label);
    for (const c of needed) {
      if (this.seenColumns.has(c)) continue;
      this.findings.push(
        finding({
          rule: 'STR-06',
          severity: 'error',
          table: this.spec.id,
          column: c,
          message: `表${this.spec.id}缺少列标题「${c}」，请使用国家统一格式的表头。`,
        }),
      );
    }
  }

  /** Table 四: one header, then the values of every cell in order. */
  private readSequential(tokens: Token[]): void {
    const slots: Token[] = [];
    for (const tok of tokens) {
      if (tok.blank || isValueText(tok.text)) slots.push(tok);
      else if (this.index.lookup(tok.text).length === 0 && slots.length) slots.push(tok);
    }
    const cells = this.spec.rows.flatMap((r) => r.columns.map((c) => ({ row: r.label, column: c.label })));
    while (slots.length > cells.length && slots[slots.length - 1].blank) slots.pop();
    while (slots.length > cells.length && slots[0].blank) slots.shift();
    for (const r of this.spec.rows) this.table[r.label] = {};
    if (slots.length === cells.length || slots.every((s) => s.blank)) {
      cells.forEach((c, i) => (this.table[c.row][c.column] = parseCell(slots[i]?.text ?? '')));
      return;
    }
    this.findings.push(
      finding({
        rule: 'STR-06',
        severity: 'error',
        table: this.spec.id,
        expected: cells.length,
        actual: slots.length,
        message: `表${this.spec.id}应有${cells.length}个数值（行政复议、未经复议直接起诉、复议后起诉各5项），报告中有${slots.length}个，无法确定各数值所属的格。`,
      }),
    );
  }
}

// ---------- the document ----------

const TABLE_KEY: Record<TableId, 'table2' | 'table3' | 'table4'> = { 二: 'table2', 三: 'table3', 四: 'table4' };

export function parseLines(rawLines: string[][], options: ParseOptions = {}): ParseResult {
  const lines: Line[] = rawLines.map((cells) => ({ cells, text: cells.map(trimCell).filter(Boolean).join(' ') }));
  const report = emptyReport();
  const findings: Finding[] = [];

  const evidence = detectVersion(lines);
  const headings = chooseHeadings(headingCandidates(lines));
  const { title, year, office } = readTitle(lines, headings[0]?.line ?? -1);
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

  // Regions: a section runs from its heading to the next heading.
  const regionOf = (ordinal: number): { from: number; to: number } | null => {
    const i = headings.findIndex((h) => h.ordinal === ordinal);
    if (i < 0) return null;
    return { from: headings[i].line + 1, to: headings[i + 1]?.line ?? lines.length };
  };
  const tableLines = new Set<number>();
  for (const sec of spec.sections) {
    if (!sec.table) continue;
    const tspec = spec.tables[sec.table];
    const index = labelIndex(tspec);
    const region = regionOf(sec.ordinal) ?? { from: 0, to: lines.length };
    const run = findTableRun(lines, region.from, region.to, index);
    if (!run) continue;
    const tokens: Token[] = [];
    for (let i = run.start; i < run.end; i++) {
      tableLines.add(i);
      for (const c of lines[i].cells) tokens.push(...cellTokens(c));
    }
    const reader = new TableReader(tspec, index);
    reader.read(tokens);
    report[TABLE_KEY[sec.table]] = reader.table;
    findings.push(...reader.findings);
  }

  report.sections = headings.map((h, i) => {
    const end = headings[i + 1]?.line ?? lines.length;
    const text: string[] = [];
    for (let j = h.line + 1; j < end; j++) if (!tableLines.has(j) && lines[j].text) text.push(lines[j].text);
    return {
      ordinal: h.ordinal,
      heading: lines[h.line].text,
      numbering: h.numbering,
      writtenOrdinal: h.written !== null && h.written !== h.ordinal ? h.written : null,
      text: text.join('\n'),
    };
  });
  return { report, findings };
}
