/**
 * The table interpreter: the tokens of one table (labels, values, blanks, each with the line it came
 * from) → canonical rows and columns of the national table.
 *
 * A table is read as a stream so that one-cell-per-line copies (the seed), `|`-separated rows, browser
 * copies and real table rows all parse alike: a row label is followed by its values. What real
 * documents do to that stream, and how each is read:
 * - a label wrapped over lines (its numbers on the next line, or the label split by a page break):
 *   the pieces are joined back;
 * - vertical merged labels (三、本年度办理结果) and column headers broken into fragments on lines of their
 *   own: fragments of a known label carry no values and are not rows;
 * - a misspelt label (characters dropped or doubled): matched to the row by similarity and position,
 *   its values kept, one warning naming both labels;
 * - a group row written with values but without its sub-rows: an error, its values kept as the group's
 *   total so that the sums stay checked.
 * Every decision the reader was unsure of is a finding.
 */
import { type Cell, type Finding, type Location, type Table, finding } from '../model';
import type { RowSpec, TableSpec } from '../spec';
import type { LabelHit, LabelIndex } from './labels';
import { labelKey, leadingOrdinal } from './normalize';
import { isValueText, parseCell } from './values';

export interface Token {
  text: string;
  blank: boolean;
  /** Index of the line the token came from. */
  line: number;
}

export interface TableRead {
  table: Table;
  findings: Finding[];
  /** Row label → the line its label (or, for table 四, its values) was read from. */
  rowLines: Map<string, number>;
}

/**
 * A token meant as a value but garbled ("O", "1O", "十二"): digits, letters or several Chinese numerals,
 * nothing else. A single 三 or 、 is a fragment of a vertical label, not a value.
 */
function looksLikeValue(text: string): boolean {
  if (text.length > 12) return false;
  return /^[0-9A-Za-z.,，。+-]*[0-9A-Za-z][0-9A-Za-z.,，。+-]*$/.test(text) || /^[一二三四五六七八九十零〇两百千万]{2,}$/.test(text);
}

const isValueToken = (t: Token) => t.blank || isValueText(t.text);

/** Empty cells around a row (indentation, merged-cell placeholders) are not values when they are extra. */
function trimmed(input: Token[], n: number): Token[] {
  const slots = [...input];
  while (slots.length > n && slots[slots.length - 1].blank) slots.pop();
  while (slots.length > n && slots[0].blank) slots.shift();
  return slots;
}
const trimmedLength = (input: Token[], n: number) => trimmed(input, n).length;

/** A label being read: its pieces as written and the value slots after it. */
interface Pending {
  pieces: Token[];
  slots: Token[];
}

interface Current {
  row: RowSpec;
  /** The label as written (pieces joined), for the warning when it only resembles the canonical one. */
  written: string;
  line: number;
  slots: Token[];
  /** How the written label matched: exact labels need no warning. */
  approximate: boolean;
}

/**
 * Reads one table. `foreign` is the index of the same table in the other format version: its labels
 * are never taken for misspellings of this version's.
 */
export function readTable(
  spec: TableSpec,
  index: LabelIndex,
  tokens: Token[],
  where: (line: number) => Location | undefined,
  foreign?: LabelIndex,
): TableRead {
  const reader = spec.layout === 'sequential' ? new SequentialReader(spec, index, where) : new LabelledReader(spec, index, where, foreign);
  reader.read(tokens);
  return { table: reader.table, findings: reader.findings, rowLines: reader.rowLines };
}

abstract class Reader {
  readonly table: Table = {};
  readonly findings: Finding[] = [];
  readonly rowLines = new Map<string, number>();
  /** The keys of every header text, in order: columns broken over lines are found in it. */
  protected headerKeys = '';
  /** The same, one key per header text. */
  protected readonly headerTexts: string[] = [];
  protected readonly seenColumns = new Set<string>();
  /** Headers that read as the start of a column's: warned about unless the rest follows (checkColumns). */
  private readonly truncatedColumns: { tok: Token; column: string; at: number }[] = [];

  constructor(
    protected readonly spec: TableSpec,
    protected readonly index: LabelIndex,
    protected readonly where: (line: number) => Location | undefined,
  ) {}

  abstract read(tokens: Token[]): void;

  protected report(f: Parameters<typeof finding>[0], line?: number): void {
    const location = line === undefined ? undefined : this.where(line);
    this.findings.push(location ? { ...finding(f), location } : finding(f));
  }

  protected noteHeader(tok: Token, hits: LabelHit[], how: string | null): void {
    const at = this.headerTexts.length;
    this.noteHeaderText(tok.text);
    for (const h of hits) {
      if (h.kind !== 'column') continue;
      this.seenColumns.add(h.column.label);
      if (how === 'truncated') this.truncatedColumns.push({ tok, column: h.column.label, at });
    }
  }

  protected noteHeaderText(text: string): void {
    this.headerKeys += labelKey(text);
    this.headerTexts.push(labelKey(text));
  }

  /** Column headers are checked once the table is read: a header broken over lines is still there. */
  protected checkColumns(): void {
    for (const { tok, column, at } of this.truncatedColumns) {
      // "社会公益" … "组织" on a later header line is the header broken over lines, not a shortened one.
      const written = labelKey(tok.text);
      const rest = labelKey(column).startsWith(written) ? labelKey(column).slice(written.length) : null;
      if (rest && this.headerTexts.slice(at + 1).includes(rest)) continue;
      this.report(
        {
          rule: 'STR-06',
          severity: 'warning',
          table: this.spec.id,
          column,
          message: `表${this.spec.id}的列标题「${tok.text}」与全国统一格式不一致，已按「${column}」读取，请改用规范的列标题。`,
        },
        tok.line,
      );
    }
    const needed = new Set<string>();
    for (const r of this.spec.rows) if (this.table[r.label]) for (const c of r.columns) needed.add(c.label);
    for (const c of needed) {
      if (this.seenColumns.has(c) || isSubsequence(labelKey(c), this.headerKeys)) continue;
      this.report({
        rule: 'STR-06',
        severity: 'error',
        table: this.spec.id,
        column: c,
        message: `表${this.spec.id}缺少列标题「${c}」，请使用国家统一格式的表头。`,
      });
    }
  }
}

/** A row's values come in groups on different lines (not one value per line, as one-cell-per-line copies give them). */
function splitOverLines(slots: Token[]): boolean {
  const perLine = new Map<number, number>();
  for (const s of slots) if (!s.blank) perLine.set(s.line, (perLine.get(s.line) ?? 0) + 1);
  return perLine.size > 1 && [...perLine.values()].some((n) => n > 1);
}

/** The characters of `needle` appear in `haystack` in order (a header split into pieces, other headers between). */
function isSubsequence(needle: string, haystack: string): boolean {
  let i = 0;
  for (let j = 0; j < haystack.length && i < needle.length; j++) if (haystack[j] === needle[i]) i++;
  return i === needle.length;
}

class LabelledReader extends Reader {
  private current: Current | null = null;
  private pending: Pending | null = null;
  private currentIndex = -1;
  private parent: string | null = null;
  private inHeader = true;
  private readonly parents: Set<string>;

  constructor(
    spec: TableSpec,
    index: LabelIndex,
    where: (line: number) => Location | undefined,
    private readonly foreign?: LabelIndex,
  ) {
    super(spec, index, where);
    this.parents = new Set(spec.rows.filter((r) => r.parent).map((r) => r.parent as string));
  }

  read(tokens: Token[]): void {
    for (const tok of tokens) this.take(tok);
    this.resolvePending();
    this.flush();
    this.checkColumns();
  }

  private take(tok: Token): void {
    if (isValueToken(tok)) {
      if (this.pending) this.pending.slots.push(tok);
      else if (this.current) this.current.slots.push(tok);
      return;
    }
    const { hits, how } = this.index.match(tok.text);
    const row = hits.length ? this.pickRow(hits, tok.text) : null;
    if (row) {
      // A truncated label followed by the rest of it ("1.本机关不掌握" / "相关政府信息") is one label.
      this.resolvePending();
      this.startRow(row, tok, how !== 'exact' && how !== 'extended');
      return;
    }
    if (hits.length) {
      this.resolvePending();
      this.noteHeader(tok, hits, how);
      if (this.inHeader) return;
      if (hits.some((h) => h.kind === 'furniture')) {
        // The table's header again, at the top of a page (Word's 重复标题行): its column names ("总计") are
        // columns until the next row label, not rows; the row above may still go on below it — even inside
        // the header's cell, when the PDF draws no rule between the two ("（本列数据…）信息公开申请").
        this.inHeader = true;
        const rest = this.afterFurniture(tok.text);
        const cur = this.current;
        if (rest && cur && this.continues(cur.row, cur.written + rest)) cur.written += rest;
        return;
      }
      this.flush();
      this.current = null;
      return;
    }
    this.unknown(tok);
  }

  /** Text that is no label of the table: the rest of a wrapped label, a fragment, a misspelt label or a stray row. */
  private unknown(tok: Token): void {
    const cur = this.current;
    if (this.inHeader) {
      // The end of the row above, carried over the page break and a repeated header.
      if (cur && this.continues(cur.row, cur.written + tok.text)) cur.written += tok.text;
      else this.noteHeaderText(tok.text);
      return;
    }
    if (cur && !this.pending && looksLikeValue(tok.text)) {
      cur.slots.push(tok); // a garbled value ("O", "1O", "十二"): kept, reported as invalid
      return;
    }
    if (cur && cur.slots.length === 0 && !this.pending) {
      // The rest of a label wrapped over lines ("（二）部分公开（区分处理的，" / "只计这一情形，不计其他情形）").
      const joined = cur.written + tok.text;
      // A shortened label that the piece does not continue, while the piece is part of another label:
      // a fragment of a vertical group label between the lines of this one ("2、申请人逾期未按收费通知要" /
      // "他处理" / "求缴纳费用…" in a copy laid out in columns). It is nothing to read.
      if (cur.approximate && !cur.row.header && this.index.isFragment(tok.text) && !this.continues(cur.row, joined)) return;
      if (!cur.row.header || this.index.isFragment(joined)) {
        cur.written = joined;
        return;
      }
    }
    if (this.pending && this.pending.slots.length === 0) {
      this.pending.pieces.push(tok);
      // Pieces that join into a known label ("（四）无" + "法提供") are that label.
      const joined = this.pending.pieces.map((p) => p.text).join('');
      const { hits } = this.index.match(joined);
      const row = hits.length ? this.pickRow(hits, joined) : null;
      if (row) {
        const first = this.pending.pieces[0];
        this.pending = null;
        this.startRow(row, { ...first, text: joined }, false);
      }
      return;
    }
    this.resolvePending();
    this.pending = { pieces: [tok], slots: [] };
  }

  /** What an unknown label turned out to be, now that its values (if any) are known. */
  private resolvePending(): void {
    const p = this.pending;
    if (!p) return;
    this.pending = null;
    const written = p.pieces.map((t) => t.text).join('');
    const line = p.pieces[0].line;
    const hasValues = p.slots.some((s) => !s.blank);
    // Each piece may be a fragment of a different label: a vertical group label's piece beside the end of the
    // row's own label, both carried over a page break ("年度办理结果" / "的，只计这一情形，不计其他情形）").
    const allFragments = this.index.isFragment(written) || p.pieces.every((piece) => this.index.isFragment(piece.text));
    if (p.slots.length === 0 || (!hasValues && allFragments)) {
      // Fragments of a vertical label or a header broken over lines, a caption: no values, nothing to read.
      const cur = this.current;
      if (cur && p.slots.length > 0) cur.slots.push(...p.slots);
      // The end of the current row's label, carried over a page break or wrapped below its values, maybe
      // beside a piece of a vertical group label ("政府信息" next to "）无").
      for (const piece of p.pieces) if (cur?.approximate && this.continues(cur.row, cur.written + piece.text)) cur.written += piece.text;
      return;
    }
    const similar = this.foreign?.lookup(written).some((h) => h.kind === 'row')
      ? null // a row of the other format version (2019 vs 2021): reported as such, not read as a misspelling
      : this.index.similarRow(written, this.currentIndex, (r) => !!this.table[r.label] || r === this.current?.row);
    if (similar) {
      this.flush();
      this.begin(similar, written, line, true);
      this.current!.slots = p.slots;
      return;
    }
    this.flush();
    this.current = null;
    this.report(
      {
        rule: 'STR-06',
        severity: 'error',
        table: this.spec.id,
        row: written,
        message: `表${this.spec.id}中出现格式中没有的行「${written}」，请按国家统一格式的行名填写。`,
      },
      line,
    );
  }

  /** What follows a header text of the table (its 勾稽关系 note, 申请人情况 …) in the same cell, if anything. */
  private afterFurniture(text: string): string {
    for (const f of this.spec.furniture) {
      const key = labelKey(f);
      for (let k = f.length; k < text.length; k++) if (labelKey(text.slice(0, k)) === key) return text.slice(k);
    }
    return '';
  }

  /** The text still reads as (the start of) this row's label. */
  private continues(row: RowSpec, text: string): boolean {
    return this.index.match(text).hits.some((h) => h.kind === 'row' && h.row === row);
  }

  private pickRow(hits: LabelHit[], written: string): RowSpec | null {
    const rows = hits.flatMap((h) => (h.kind === 'row' ? [h] : []));
    const columnsToo = hits.some((h) => h.kind !== 'row');
    // In the header, a label that is also a column ("总计", "其他") is the column — unless it carries a row's
    // ordinal ("3.其他", "（七）总计" right under a header repeated at the top of a page).
    const usable = rows.filter((h) => {
      if (this.inHeader && columnsToo && leadingOrdinal(written) === null) return false;
      // Short sub-row labels ("3.其他") only count under their own parent.
      return !(h.row.parent && labelKey(h.row.text).length < 3 && h.row.parent !== this.parent);
    });
    if (usable.length === 0) return null;
    const next = usable.filter((h) => h.index > this.currentIndex).sort((a, b) => a.index - b.index)[0];
    return (next ?? usable[0]).row;
  }

  private startRow(row: RowSpec, tok: Token, approximate: boolean): void {
    this.flush();
    this.begin(row, tok.text, tok.line, approximate);
  }

  private begin(row: RowSpec, written: string, line: number, approximate: boolean): void {
    this.inHeader = false;
    this.current = { row, written, line, slots: [], approximate };
    this.currentIndex = this.spec.rows.indexOf(row);
    this.parent = this.parents.has(row.label) ? row.label : (row.parent ?? null);
  }

  private flush(): void {
    const cur = this.current;
    if (!cur) return;
    this.current = null;
    const { row, slots, line } = cur;
    const values = slots.filter((s) => !s.blank);
    if (cur.approximate && !row.header) {
      const { how } = this.index.match(cur.written);
      if (how !== 'exact' && how !== 'extended') {
        this.report(
          {
            rule: 'STR-06',
            severity: 'warning',
            table: this.spec.id,
            row: row.label,
            message: `表${this.spec.id}的行名「${cur.written}」与全国统一格式不一致，已按「${row.text}」读取该行数值，请改用规范的行名。`,
          },
          line,
        );
      }
    }
    if (row.header) {
      if (values.length && this.parents.has(row.label)) this.groupWithValues(row, slots, line);
      return;
    }
    if (this.table[row.label]) {
      this.report(
        {
          rule: 'STR-06',
          severity: 'error',
          table: this.spec.id,
          row: row.label,
          message: `表${this.spec.id}的「${row.label}」出现了两次，已采用第一次出现的数值，请删除重复的行。`,
        },
        line,
      );
      return;
    }
    this.rowLines.set(row.label, line);
    this.table[row.label] = this.cells(row.label, row.columns.map((c) => c.label), slots, line);
  }

  /**
   * A group row ((六)其他处理) written with values but without its sub-rows: the values are the group's
   * total. They are kept under the group's label, so the sums that need the group still check.
   */
  private groupWithValues(row: RowSpec, slots: Token[], line: number): void {
    const subs = this.spec.rows.filter((r) => r.parent === row.label);
    const columns = subs[0].columns.map((c) => c.label);
    const values = slots.filter((s) => !s.blank);
    const asTotal = trimmedLength(slots, columns.length) === columns.length;
    const what = asTotal
      ? `报告中只有合计一行。该行数值已作为「${row.label}」的合计参与核对，请补填各子项。`
      : `报告中缺少这些子项，却在该行下列出了${values.length}个数值，无法对应到子项。`;
    this.report(
      {
        rule: 'STR-06',
        severity: 'error',
        table: this.spec.id,
        row: row.label,
        expected: subs.length,
        actual: null,
        message: `「${row.label}」应分${subs.length}个子项逐行填写（${subs.map((s) => s.text).join('、')}），${what}`,
      },
      line,
    );
    if (!asTotal || subs.some((s) => this.table[s.label]) || this.table[row.label]) return;
    this.rowLines.set(row.label, line);
    this.table[row.label] = this.cells(row.label, columns, slots, line);
  }

  private cells(label: string, columns: string[], input: Token[], line: number): Record<string, Cell> {
    const n = columns.length;
    const slots = trimmed(input, n);
    const values = slots.filter((s) => !s.blank);
    const cells: Record<string, Cell> = {};
    if (input.length === 0) {
      // Not even an empty cell after the label: its values are elsewhere in the reading order (text
      // extracted column by column) or were never there. Blank or not, it cannot be told: say so.
      this.report(
        {
          rule: 'STR-06',
          severity: 'error',
          table: this.spec.id,
          row: label,
          message: `表${this.spec.id}「${label}」一行之后没有读到数值或空格，无法确定该行各列的数值（文件中的表格可能被逐列导出）。请逐列核对，或提交原始的 Word/PDF 文件。`,
        },
        line,
      );
    } else if (splitOverLines(slots)) {
      // "… 2" at the end of the label's line and "2 0 0 0 0 0" on the next (a copy laid out in columns
      // sets a cell's number on the line where it is vertically centred): the order is not the columns'.
      this.report(
        {
          rule: 'STR-06',
          severity: 'error',
          table: this.spec.id,
          row: label,
          message: `表${this.spec.id}「${label}」一行的数值分在几行，无法确定各数值所属的列。请逐列核对，或提交原始的 Word/PDF 文件。`,
        },
        line,
      );
    } else if (slots.length === n || values.length === 0) {
      columns.forEach((c, i) => (cells[c] = parseCell(slots[i]?.text ?? '')));
    } else {
      this.report(
        {
          rule: 'STR-06',
          severity: 'error',
          table: this.spec.id,
          row: label,
          expected: n,
          actual: slots.length,
          message: `表${this.spec.id}「${label}」一行有${slots.length}个数值，应为${n}个（${columns.join('、')}），无法确定各数值所属的列，请逐列核对。`,
        },
        line,
      );
    }
    return cells;
  }
}

/**
 * Table 四: a header of group and column labels, then the 15 values in order. Only the lines made of
 * values and blanks after the header are read: the empty cells of a header line (`行政复议 | | | | |
 * 行政诉讼`) are not value slots, and the blanks of the value line are cells, never dropped.
 */
class SequentialReader extends Reader {
  read(tokens: Token[]): void {
    const lines = new Map<number, Token[]>();
    for (const t of tokens) {
      const list = lines.get(t.line) ?? [];
      list.push(t);
      lines.set(t.line, list);
      if (!isValueToken(t)) {
        const { hits, how } = this.index.match(t.text);
        this.noteHeader(t, hits, how);
      }
    }
    let lastLabelLine = -1;
    for (const [n, toks] of lines) if (toks.some((t) => !isValueToken(t) && !looksLikeValue(t.text))) lastLabelLine = n;
    const valueLines = [...lines].filter(([n]) => n > lastLabelLine).map(([, toks]) => toks);
    // Whole lines of blanks at either end (spacing between the header and the values) are not cells.
    while (valueLines.length && valueLines[0].every((t) => t.blank)) valueLines.shift();
    while (valueLines.length && valueLines[valueLines.length - 1].every((t) => t.blank)) valueLines.pop();
    let slots = valueLines.flat();
    const cells = this.spec.rows.flatMap((r) => r.columns.map((c) => ({ row: r.label, column: c.label })));
    // A value row with trailing empty cells beyond the 15 (a wider grid): only blanks at its end may go.
    if (slots.length > cells.length && slots.slice(cells.length).every((t) => t.blank)) slots = slots.slice(0, cells.length);
    const line = slots[0]?.line;
    for (const r of this.spec.rows) {
      this.table[r.label] = {};
      if (line !== undefined) this.rowLines.set(r.label, line);
    }
    if (slots.length === cells.length || slots.every((s) => s.blank)) {
      cells.forEach((c, i) => (this.table[c.row][c.column] = parseCell(slots[i]?.text ?? '')));
    } else {
      this.report(
        {
          rule: 'STR-06',
          severity: 'error',
          table: this.spec.id,
          expected: cells.length,
          actual: slots.length,
          message: `表${this.spec.id}应有${cells.length}个数值（行政复议、未经复议直接起诉、复议后起诉各5项），报告中有${slots.length}个，无法确定各数值所属的格。`,
        },
        line,
      );
    }
    this.checkColumns();
  }
}
