/**
 * Open data for a year: every table figure of every office, long format (one row per office × cell, so a
 * 主管部门 can filter and pivot in Excel), plus totals across offices per cell. Blank, invalid and missing
 * cells are never summed; they are counted. Pure functions over { office, report }[].
 */
import type { Cell, Report } from '../report/model';
import { TABLE_KEYS } from '../report/model';
import { dataRows, type FormatVersion, type TableId } from '../report/spec';
import { formatNumber } from '../common/text';
import { formatOf } from './layout';

export const OPEN_DATA_SCHEMA_ID = 'https://nianbao.cn/schema/open-data/v1.json';

export interface OpenDataInput {
  office: string;
  report: Report;
}

export type CellStatus = 'number' | 'blank' | 'invalid' | 'missing';

export interface OpenDataCell {
  table: TableId;
  /** 第二十条 block (table 二) or null. */
  block: string | null;
  row: string;
  column: string;
  value: number | null;
  raw: string;
  status: CellStatus;
}

export interface OpenDataOffice {
  office: string;
  formatVersion: FormatVersion;
  cells: OpenDataCell[];
}

export interface OpenDataTotal {
  table: TableId;
  block: string | null;
  row: string;
  column: string;
  /** Sum over offices with a number in this cell. */
  sum: number;
  offices: { number: number; blank: number; invalid: number; missing: number };
}

export interface OpenData {
  $schema: typeof OPEN_DATA_SCHEMA_ID;
  year: number;
  offices: OpenDataOffice[];
  totals: OpenDataTotal[];
}

const statusOf = (cell: Cell | undefined): CellStatus => (cell ? cell.kind : 'missing');

/** Decimal-safe sum (收费金额 in 万元): round away binary noise. */
const add = (a: number, b: number) => Number((a + b).toFixed(6));

export function openData(year: number, inputs: OpenDataInput[]): OpenData {
  const offices: OpenDataOffice[] = [];
  const totals = new Map<string, OpenDataTotal>();
  for (const { office, report } of inputs) {
    const spec = formatOf({ formatVersion: report.formatVersion, year: report.year ?? year });
    const cells: OpenDataCell[] = [];
    for (const id of ['二', '三', '四'] as const) {
      const table = report[TABLE_KEYS[id]];
      for (const row of dataRows(spec.tables[id])) {
        for (const col of row.columns) {
          const cell = table?.[row.label]?.[col.label];
          const status = statusOf(cell);
          const value = status === 'number' ? (cell?.value ?? null) : null;
          cells.push({ table: id, block: row.block ?? null, row: row.label, column: col.label, value, raw: cell?.raw.trim() ?? '', status });
          const key = `${id}\u0000${row.label}\u0000${col.label}`;
          let t = totals.get(key);
          if (!t) {
            t = { table: id, block: row.block ?? null, row: row.label, column: col.label, sum: 0, offices: { number: 0, blank: 0, invalid: 0, missing: 0 } };
            totals.set(key, t);
          }
          t.offices[status] += 1;
          if (value !== null) t.sum = add(t.sum, value);
        }
      }
    }
    offices.push({ office, formatVersion: spec.version, cells });
  }
  return { $schema: OPEN_DATA_SCHEMA_ID, year, offices, totals: [...totals.values()] };
}

export function openDataJson(year: number, inputs: OpenDataInput[]): string {
  return `${JSON.stringify(openData(year, inputs), null, 1)}\n`;
}

export const CSV_HEADER = [
  '记录类型',
  '年度',
  '单位',
  '格式版本',
  '表',
  '分项',
  '行',
  '列',
  '数值',
  '原文',
  '单元格状态',
  '有数值单位数',
  '空白单位数',
  '无效单位数',
  '缺失单位数',
] as const;

const CELL_STATUS_LABELS: Record<CellStatus, string> = { number: '数值', blank: '空白', invalid: '无效', missing: '缺失' };
export const RECORD_OFFICE = '单位数据';
export const RECORD_TOTAL = '全部单位合计';

/** A text field for Excel: quoted when needed, and a leading = + - @ neutralised (formula injection). */
function text(s: string): string {
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
const num = (n: number | null) => (n === null ? '' : formatNumber(n));

/** UTF-8 with BOM and CRLF, so Excel opens the Chinese text correctly by double-click. */
export function openDataCsv(year: number, inputs: OpenDataInput[]): string {
  const data = openData(year, inputs);
  const lines: string[] = [CSV_HEADER.join(',')];
  for (const o of data.offices) {
    for (const c of o.cells) {
      lines.push(
        [
          text(RECORD_OFFICE),
          String(year),
          text(o.office),
          o.formatVersion,
          `表${c.table}`,
          text(c.block ?? ''),
          text(c.row),
          text(c.column),
          num(c.value),
          text(c.raw),
          CELL_STATUS_LABELS[c.status],
          '',
          '',
          '',
          '',
        ].join(','),
      );
    }
  }
  for (const t of data.totals) {
    lines.push(
      [
        text(RECORD_TOTAL),
        String(year),
        text(`全部单位（${data.offices.length}个）`),
        '',
        `表${t.table}`,
        text(t.block ?? ''),
        text(t.row),
        text(t.column),
        num(t.sum),
        '',
        '',
        String(t.offices.number),
        String(t.offices.blank),
        String(t.offices.invalid),
        String(t.offices.missing),
      ].join(','),
    );
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
