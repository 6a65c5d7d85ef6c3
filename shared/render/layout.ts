/**
 * Tables 二/三/四 in the national layout, as a grid of cells with row and column spans. Driven by
 * shared/report/spec.ts; the PDF and the HTML renderers both draw this grid, so they cannot disagree.
 */
import type { Report, Table } from '../report/model';
import { TABLE_KEYS } from '../report/model';
import { SPECS, T3, dataRows, versionForYear, type ColumnSpec, type FormatSpec, type FormatVersion, type RowSpec, type TableId } from '../report/spec';
import { cellText } from './format';

export type GridRole = 'note' | 'head' | 'block' | 'label' | 'value';

export interface GridCell {
  text: string;
  /** Top-left position in the grid (0-based). */
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
  role: GridRole;
  /** For value cells: the canonical row and column the figure belongs to. */
  ref?: { row: string; column: string };
}

export interface TableGrid {
  id: TableId;
  title: string;
  /** Relative column widths. */
  widths: number[];
  rowCount: number;
  /** Leading grid rows that form the column header (repeated after a page break). */
  headerRows: number;
  /** Cells ordered by row, then column. */
  cells: GridCell[];
  /** Body row ranges [from, to) that must stay on one page (a parent row with its sub-rows, a 二 block). */
  groups: Array<{ from: number; to: number }>;
  /** The report has no such table: the grid shows the national layout with empty cells. */
  absent: boolean;
}

/** The format version a report is drawn in: its own, else the one its year requires, else 2021. */
export function formatOf(report: Pick<Report, 'formatVersion' | 'year'>): FormatSpec {
  const version: FormatVersion = report.formatVersion ?? (report.year ? versionForYear(report.year) : '2021');
  return SPECS[version];
}

export function tableGrid(spec: FormatSpec, id: TableId, table: Table | null): TableGrid {
  switch (id) {
    case '二':
      return grid2(spec, table);
    case '三':
      return grid3(spec, table);
    case '四':
      return grid4(spec, table);
  }
}

export function reportGrids(report: Report): TableGrid[] {
  const spec = formatOf(report);
  return (['二', '三', '四'] as const).map((id) => tableGrid(spec, id, report[TABLE_KEYS[id]]));
}

class Builder {
  cells: GridCell[] = [];
  groups: Array<{ from: number; to: number }> = [];
  constructor(private table: Table | null) {}
  add(row: number, col: number, text: string, role: GridRole, rowSpan = 1, colSpan = 1): void {
    this.cells.push({ text, row, col, rowSpan, colSpan, role });
  }
  value(row: number, col: number, rowLabel: string, column: ColumnSpec, colSpan = 1): void {
    const cell = this.table?.[rowLabel]?.[column.label];
    this.cells.push({ text: cellText(cell), row, col, rowSpan: 1, colSpan, role: 'value', ref: { row: rowLabel, column: column.label } });
  }
  done(id: TableId, spec: FormatSpec, widths: number[], rowCount: number, headerRows: number): TableGrid {
    this.cells.sort((a, b) => a.row - b.row || a.col - b.col);
    return { id, title: spec.tables[id].title, widths, rowCount, headerRows, cells: this.cells, groups: this.groups, absent: this.table === null };
  }
}

/** Table 三: 3 label columns (top row, parent row, sub-row) + 7 value columns under a 3-row header. */
function grid3(spec: FormatSpec, table: Table | null): TableGrid {
  const t = spec.tables['三'];
  const columns = dataRows(t)[0].columns;
  const b = new Builder(table);
  const [note, applicant, legal] = t.furniture;
  // header
  b.add(0, 0, note, 'note', 3, 3);
  b.add(0, 3, applicant, 'head', 1, columns.length);
  let col = 3;
  for (let i = 0; i < columns.length; ) {
    const group = columns[i].group;
    if (!group) {
      b.add(1, col, columns[i].label, 'head', 2, 1);
      i += 1;
      col += 1;
      continue;
    }
    let n = 0;
    while (i + n < columns.length && columns[i + n].group === group) n += 1;
    b.add(1, col, group === legal ? legal : group, 'head', 1, n);
    for (let k = 0; k < n; k++) b.add(2, col + k, columns[i + k].label, 'head');
    i += n;
    col += n;
  }
  // body
  const rows = t.rows;
  const resultsAt = rows.findIndex((r) => r.label === T3.results);
  const carriedOutAt = rows.findIndex((r) => r.label === T3.carriedOut);
  const inResults = (i: number) => resultsAt >= 0 && i > resultsAt && (carriedOutAt < 0 || i < carriedOutAt);
  let g = 3;
  const firstResult = g + dataRows({ ...t, rows: rows.slice(0, resultsAt + 1) }).length;
  const resultCount = rows.filter((r, i) => inResults(i) && !r.header).length;
  const parentStart = new Map<string, number>();
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (r.header) continue;
    if (g === firstResult && resultCount > 0) b.add(g, 0, rows[resultsAt].text, 'label', resultCount, 1);
    if (r.parent) {
      if (!parentStart.has(r.parent)) {
        const n = rows.filter((x) => x.parent === r.parent).length;
        parentStart.set(r.parent, g);
        b.add(g, 1, r.parent, 'label', n, 1);
        b.groups.push({ from: g, to: g + n });
      }
      b.add(g, 2, r.text, 'label');
    } else if (inResults(i)) {
      b.add(g, 1, r.text, 'label', 1, 2);
    } else {
      b.add(g, 0, r.text, 'label', 1, 3);
    }
    r.columns.forEach((c, k) => b.value(g, 3 + k, r.label, c));
    g += 1;
  }
  return b.done('三', spec, [34, 60, 150, ...columns.map(() => 36)], g, 3);
}

/** Table 四: one row of 15 figures under 行政复议 | 行政诉讼 → 未经复议直接起诉 / 复议后起诉. */
function grid4(spec: FormatSpec, table: Table | null): TableGrid {
  const t = spec.tables['四'];
  const rows = dataRows(t);
  const b = new Builder(table);
  const litigation = t.furniture.find((f) => f === '行政诉讼') ?? '行政诉讼';
  let col = 0;
  rows.forEach((r: RowSpec, i: number) => {
    const n = r.columns.length;
    if (i === 0) {
      b.add(0, col, r.text, 'head', 2, n);
    } else {
      if (i === 1) b.add(0, col, litigation, 'head', 1, rows.slice(1).reduce((s, x) => s + x.columns.length, 0));
      b.add(1, col, r.text, 'head', 1, n);
    }
    r.columns.forEach((c, k) => {
      b.add(2, col + k, c.label, 'head');
      b.value(3, col + k, r.label, c);
    });
    col += n;
  });
  return b.done('四', spec, Array.from({ length: col }, () => 1), 4, 3);
}

/** Table 二: per 第二十条 block a heading row, a 信息内容 header row, then its rows; 3 value slots wide. */
function grid2(spec: FormatSpec, table: Table | null): TableGrid {
  const t = spec.tables['二'];
  const rows = dataRows(t);
  const slots = Math.max(...rows.map((r) => r.columns.length));
  const b = new Builder(table);
  const spans = (n: number) => Array.from({ length: n }, (_, k) => (k === n - 1 ? slots - (n - 1) : 1));
  const contentLabel = t.furniture.find((f) => f === '信息内容') ?? '信息内容';
  let g = 0;
  for (let i = 0; i < rows.length; ) {
    const block = rows[i].block ?? '';
    const members: RowSpec[] = [];
    while (i < rows.length && (rows[i].block ?? '') === block) members.push(rows[i++]);
    const from = g;
    b.add(g++, 0, block, 'block', 1, slots + 1);
    const sp = spans(members[0].columns.length);
    b.add(g, 0, contentLabel, 'head');
    let col = 1;
    members[0].columns.forEach((c, k) => {
      b.add(g, col, c.label, 'head', 1, sp[k]);
      col += sp[k];
    });
    g += 1;
    for (const r of members) {
      b.add(g, 0, r.text, 'label');
      col = 1;
      r.columns.forEach((c, k) => {
        b.value(g, col, r.label, c, sp[k]);
        col += sp[k];
      });
      g += 1;
    }
    b.groups.push({ from, to: g });
  }
  return b.done('二', spec, [40, ...Array.from({ length: slots }, () => 20)], g, 0);
}
