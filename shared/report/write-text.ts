/**
 * Report → text, in the layout real published reports have when copied as text: the title, the six
 * headings 一、…六、, each section's narrative, and tables as ` | `-separated rows with the national
 * labels (header rows, block headings of table 二, the parent label in the first cell of its first
 * sub-row, table 四 as three header rows and one row of 15 values). Cells are written as their raw
 * text, so blank and invalid cells survive a round trip through the parser.
 */
import { TABLE_KEYS, type Report, type Table } from './model';
import { CHINESE_ORDINALS, SPECS, T4_COLUMNS, T4_GROUPS, versionForYear, type FormatVersion, type TableSpec } from './spec';

const SEP = ' | ';
/** A bordered row: a leading empty cell ("| | 0 |") stays a cell, never read as indentation. */
const tableRow = (cells: string[]) => `| ${cells.join(SEP)} |`;

function cellsOf(table: Table, row: string, columns: string[]): string[] {
  return columns.map((c) => table[row]?.[c]?.raw ?? '');
}

function table2(spec: TableSpec, table: Table): string[] {
  const lines: string[] = [];
  let block: string | undefined;
  let header = '';
  for (const row of spec.rows) {
    if (row.header) continue;
    const columns = row.columns.map((c) => c.label);
    const h = tableRow(['信息内容', ...columns]);
    if (row.block !== block) {
      block = row.block;
      lines.push(block ?? '');
      header = '';
    }
    if (h !== header) {
      lines.push(h);
      header = h;
    }
    lines.push(tableRow([row.text, ...cellsOf(table, row.label, columns)]));
  }
  return lines;
}

function table3(spec: TableSpec, table: Table): string[] {
  const columns = ['自然人', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他', '总计'];
  const lines = [
    tableRow([spec.furniture[0], '申请人情况']),
    tableRow(['自然人', '法人或其他组织', '总计']),
    tableRow(['商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他']),
  ];
  let pending: string[] = [];
  for (const row of spec.rows) {
    if (row.header) {
      pending.push(row.text);
      continue;
    }
    lines.push(tableRow([...pending, row.text, ...cellsOf(table, row.label, columns)]));
    pending = [];
  }
  return lines;
}

function table4(table: Table): string[] {
  const cols = T4_COLUMNS.map((c) => c.label);
  return [
    tableRow(['行政复议', '行政诉讼']),
    tableRow([...cols, '未经复议直接起诉', '复议后起诉']),
    tableRow([...cols, ...cols]),
    tableRow(T4_GROUPS.flatMap((g) => cellsOf(table, g, cols))),
  ];
}

export function writeText(report: Report): string {
  const version: FormatVersion = report.formatVersion ?? versionForYear(report.year ?? 2021);
  const spec = SPECS[version];
  const title = report.title ?? `${report.office ?? ''}${report.year ?? ''}年政府信息公开工作年度报告`;
  const out: string[] = [title, ''];
  for (const s of spec.sections) {
    const found = report.sections.filter((x) => x.ordinal === s.ordinal);
    out.push(found[0]?.heading.trim() || `${CHINESE_ORDINALS[s.ordinal - 1]}、${s.title}`);
    for (const f of found) if (f.text.trim()) out.push(f.text.trim());
    if (s.table) {
      const table = report[TABLE_KEYS[s.table]];
      if (table) {
        const t = spec.tables[s.table];
        out.push('', ...(s.table === '二' ? table2(t, table) : s.table === '三' ? table3(t, table) : table4(table)), '');
      }
    }
  }
  return `${out.join('\n')}\n`;
}
