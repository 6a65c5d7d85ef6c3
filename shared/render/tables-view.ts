/**
 * Tables 二, 三 and 四 as the system read them: canonical rows × canonical columns of the report's format
 * (shared/report/spec.ts), every cell as read — numbers by value, blanks as 空, invalid cells as written with
 * ✗, rows and cells not found as 缺失 — so that a person sees a misreading at a glance.
 *
 * `tablesView` is the data; `tablesAsText` lays it out for a terminal (CJK characters are two columns wide);
 * `tablesAsHtml` for a page or an e-mail, every text escaped. Zod-free and pure: the browser pages build
 * their DOM from `tablesView`.
 */
import type { Cell, Report } from '../report/model';
import { SPECS, versionForYear, type FormatVersion, type RowSpec, type TableId } from '../report/spec';
import { formatNumber } from '../common/text';
import { escapeHtml } from './format';

export type ViewCellKind = 'number' | 'blank' | 'invalid' | 'missing';

export interface ViewCell {
  kind: ViewCellKind;
  /** What the cell shows: the number read, 空, ✗ + the text as written, or 缺失. */
  text: string;
  /** Why an invalid cell is invalid (Chinese), when the reader said. */
  problem?: string;
}

export interface ViewRow {
  /** The row's text in the national format ("（一）予以公开", a sub-row "1.属于国家秘密"). */
  text: string;
  /** The canonical label (the key in the report's table). */
  label: string;
  /** 1 for a sub-row under its header row. */
  depth: 0 | 1;
  /** A header row of the format: no cells of its own. */
  header: boolean;
  /** The table was found but this row was not. */
  missing: boolean;
  cells: ViewCell[];
}

/** Rows that share one header: a block of table 二 (第二十条第（一）项 …), or a whole table. */
export interface ViewGroup {
  heading: string | null;
  /** Header of the label column ("信息内容" in table 二). */
  corner: string;
  columns: string[];
  rows: ViewRow[];
}

export interface TableView {
  id: TableId;
  title: string;
  /** false: the report has no such table (its groups still list the canonical rows, all 缺失). */
  found: boolean;
  groups: ViewGroup[];
}

export interface TablesView {
  formatVersion: FormatVersion;
  /** The report's format was not recognised: the rows are those of the format its year should use. */
  assumed: boolean;
  tables: TableView[];
}

export type TablesInput = Pick<Report, 'formatVersion' | 'year' | 'table2' | 'table3' | 'table4'>;

export const MARKS = { blank: '空', invalid: '✗', missing: '缺失' } as const;

export const LEGEND = `${MARKS.blank} = 空白未填；${MARKS.invalid} = 无法识别为数字（按原文显示）；${MARKS.missing} = 报告中未找到`;

const TABLE_KEYS = { 二: 'table2', 三: 'table3', 四: 'table4' } as const;

/** Control characters and invisible direction/width marks from a file: never sent to a terminal or page as they are. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

export function safeText(s: string): string {
  return s.replace(UNSAFE, '\ufffd');
}

function viewCell(cell: Cell | undefined): ViewCell {
  if (!cell) return { kind: 'missing', text: MARKS.missing };
  if (cell.kind === 'blank') return { kind: 'blank', text: MARKS.blank };
  if (cell.kind === 'number' && cell.value !== null) return { kind: 'number', text: formatNumber(cell.value) };
  const raw = safeText(cell.raw.replace(/[\s\u3000]+/g, ' ').trim());
  return { kind: 'invalid', text: `${MARKS.invalid}${raw}`, ...(cell.problem ? { problem: cell.problem } : {}) };
}

export function tablesView(report: TablesInput): TablesView {
  const assumed = !report.formatVersion;
  const formatVersion: FormatVersion = report.formatVersion ?? (report.year ? versionForYear(report.year) : '2021');
  const spec = SPECS[formatVersion];
  const tables = (['二', '三', '四'] as const).map((id): TableView => {
    const ts = spec.tables[id];
    const table = report[TABLE_KEYS[id]];
    const groups: ViewGroup[] = [];
    const corner = id === '二' ? '信息内容' : '';
    let group: ViewGroup | null = null;
    for (const r of ts.rows) {
      const columns = r.columns.map((c) => c.label);
      // Header rows belong to the group around them; a new block or another set of columns starts a group.
      const same = group && (r.header || (group.heading === (r.block ?? null) && (group.columns.length === 0 || group.columns.join('\u0001') === columns.join('\u0001'))));
      if (!group || !same) {
        group = { heading: r.block ?? null, corner, columns, rows: [] };
        groups.push(group);
      } else if (group.columns.length === 0) group.columns = columns;
      group.rows.push(viewRow(r, table));
    }
    return { id, title: ts.title, found: table !== null && table !== undefined, groups };
  });
  return { formatVersion, assumed, tables };
}

function viewRow(r: RowSpec, table: Report['table2']): ViewRow {
  const cells = table?.[r.label];
  return {
    text: r.text,
    label: r.label,
    depth: r.parent ? 1 : 0,
    header: !!r.header,
    missing: !r.header && !cells,
    cells: r.columns.map((c) => viewCell(cells?.[c.label])),
  };
}

// ---- text (terminal) ----

/** Columns a string takes in a terminal: East Asian wide and full-width characters take two. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x20 || (c >= 0x7f && c < 0xa0) || (c >= 0x300 && c < 0x370) || (c >= 0x200b && c <= 0x200f)) continue;
    w += isWide(c) ? 2 : 1;
  }
  return w;
}

function isWide(c: number): boolean {
  return (
    (c >= 0x1100 && c <= 0x115f) ||
    (c >= 0x2e80 && c <= 0x303e) ||
    (c >= 0x3041 && c <= 0x33ff) ||
    (c >= 0x3400 && c <= 0x4dbf) ||
    (c >= 0x4e00 && c <= 0x9fff) ||
    (c >= 0xa000 && c <= 0xa4cf) ||
    (c >= 0xac00 && c <= 0xd7a3) ||
    (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0xfe30 && c <= 0xfe4f) ||
    (c >= 0xff00 && c <= 0xff60) ||
    (c >= 0xffe0 && c <= 0xffe6) ||
    (c >= 0x20000 && c <= 0x3fffd)
  );
}

function padEnd(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - displayWidth(s)));
}

function padStart(s: string, width: number): string {
  return ' '.repeat(Math.max(0, width - displayWidth(s))) + s;
}

/** Cut to `width` columns, ending with … when cut. */
function fit(s: string, width: number): string {
  if (displayWidth(s) <= width) return s;
  let out = '';
  for (const ch of s) {
    if (displayWidth(out + ch) > width - 1) break;
    out += ch;
  }
  return `${out}…`;
}

const GAP = '  ';

/**
 * The tables as aligned text: one block per table, the label column first (long labels cut at
 * `labelWidth` columns), then one right-aligned column per canonical column.
 */
export function tablesAsText(report: TablesInput, options: { labelWidth?: number; indent?: string } = {}): string {
  const view = tablesView(report);
  const maxLabel = options.labelWidth ?? 34;
  const indent = options.indent ?? '  ';
  const lines: string[] = [];
  const version = `${view.formatVersion}年格式${view.assumed ? '（未识别格式，按年度推定）' : ''}`;
  for (const t of view.tables) {
    if (lines.length) lines.push('');
    lines.push(`表${t.id} ${t.title}（${version}）${t.found ? '' : `：${MARKS.missing}，报告中未找到表${t.id}`}`);
    if (!t.found) continue;
    const label = (r: ViewRow) => fit(`${r.depth ? '  ' : ''}${r.text}`, maxLabel);
    const labelWidth = Math.max(...t.groups.flatMap((g) => [displayWidth(g.corner), ...g.rows.map((r) => displayWidth(label(r)))]));
    for (const g of t.groups) {
      if (g.heading) lines.push(`${indent}${g.heading}`);
      const widths = g.columns.map((c, i) => Math.max(displayWidth(c), ...g.rows.filter((r) => !r.header).map((r) => displayWidth(r.cells[i].text))));
      lines.push(`${indent}${[padEnd(g.corner, labelWidth), ...g.columns.map((c, i) => padStart(c, widths[i]))].join(GAP)}`.trimEnd());
      for (const r of g.rows) {
        if (r.header) {
          lines.push(`${indent}${label(r)}`);
          continue;
        }
        const cells = r.cells.map((c, i) => (c.kind === 'invalid' ? padEnd(c.text, widths[i]) : padStart(c.text, widths[i])));
        lines.push(`${indent}${[padEnd(label(r), labelWidth), ...cells].join(GAP)}${r.missing ? `  ← 未找到此行` : ''}`.trimEnd());
      }
    }
  }
  lines.push('', `${indent}${LEGEND}`);
  return lines.join('\n');
}

// ---- HTML ----

/** The tables as HTML (no styles of its own; classes for a page's CSS). Every text is escaped. */
export function tablesAsHtml(report: TablesInput): string {
  const view = tablesView(report);
  const version = `${view.formatVersion}年格式${view.assumed ? '（未识别格式，按年度推定）' : ''}`;
  const parts: string[] = ['<div class="tables-view">'];
  for (const t of view.tables) {
    parts.push(`<section class="table-view" data-table="${escapeHtml(t.id)}">`);
    parts.push(`<h4>${escapeHtml(`表${t.id} ${t.title}（${version}）`)}</h4>`);
    if (!t.found) {
      parts.push(`<p class="cell-missing">${escapeHtml(`${MARKS.missing}：报告中未找到表${t.id}`)}</p></section>`);
      continue;
    }
    parts.push('<table class="read-table">');
    for (const g of t.groups) {
      const span = g.columns.length + 1;
      parts.push('<tbody>');
      if (g.heading) parts.push(`<tr class="block"><th colspan="${span}">${escapeHtml(g.heading)}</th></tr>`);
      parts.push(`<tr><th>${escapeHtml(g.corner)}</th>${g.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr>`);
      for (const r of g.rows) {
        const cls = [r.depth ? 'sub' : '', r.header ? 'header' : '', r.missing ? 'row-missing' : ''].filter(Boolean).join(' ');
        const head = `<th scope="row"${cls ? ` class="${cls}"` : ''}>${escapeHtml(r.text)}${r.missing ? `<span class="mark">（${MARKS.missing}）</span>` : ''}</th>`;
        if (r.header) {
          parts.push(`<tr><th scope="row" colspan="${span}" class="${cls}">${escapeHtml(r.text)}</th></tr>`);
          continue;
        }
        const cells = r.cells.map((c) => `<td class="cell-${c.kind}"${c.problem ? ` title="${escapeHtml(c.problem)}"` : ''}>${escapeHtml(c.text)}</td>`);
        parts.push(`<tr${r.missing ? ' class="row-missing"' : ''}>${head}${cells.join('')}</tr>`);
      }
      parts.push('</tbody>');
    }
    parts.push('</table></section>');
  }
  parts.push(`<p class="legend">${escapeHtml(LEGEND)}</p></div>`);
  return parts.join('');
}
