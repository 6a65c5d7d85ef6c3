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
  officeId?: string;
  /** The published version the figures are from. */
  version?: number;
}

/** The published 本级 report (the coordinator's aggregate), shown beside the offices, never added to the totals. */
export interface OpenDataAggregateInput {
  version: number;
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
  officeId?: string;
  version?: number;
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
  /** The latest published 本级 report: its figures as published (office = the government's name). */
  aggregate?: OpenDataOffice & { version: number };
}

const statusOf = (cell: Cell | undefined): CellStatus => (cell ? cell.kind : 'missing');

/** Decimal-safe sum (收费金额 in 万元): round away binary noise. */
const add = (a: number, b: number) => Number((a + b).toFixed(6));

function cellsOf(report: Report, year: number): { formatVersion: FormatVersion; cells: OpenDataCell[] } {
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
      }
    }
  }
  return { formatVersion: spec.version, cells };
}

export function openData(year: number, inputs: OpenDataInput[], aggregate?: OpenDataAggregateInput | null): OpenData {
  const offices: OpenDataOffice[] = [];
  const totals = new Map<string, OpenDataTotal>();
  for (const { office, report, officeId, version } of inputs) {
    const { formatVersion, cells } = cellsOf(report, year);
    for (const c of cells) {
      const key = `${c.table}\u0000${c.row}\u0000${c.column}`;
      let t = totals.get(key);
      if (!t) {
        t = { table: c.table, block: c.block, row: c.row, column: c.column, sum: 0, offices: { number: 0, blank: 0, invalid: 0, missing: 0 } };
        totals.set(key, t);
      }
      t.offices[c.status] += 1;
      if (c.value !== null) t.sum = add(t.sum, c.value);
    }
    offices.push({ office, ...(officeId ? { officeId } : {}), ...(version ? { version } : {}), formatVersion, cells });
  }
  const data: OpenData = { $schema: OPEN_DATA_SCHEMA_ID, year, offices, totals: [...totals.values()] };
  if (aggregate) data.aggregate = { office: aggregate.report.office ?? '本级政府', version: aggregate.version, ...cellsOf(aggregate.report, year) };
  return data;
}

export function openDataJson(year: number, inputs: OpenDataInput[], aggregate?: OpenDataAggregateInput | null): string {
  return openDataJsonOf(openData(year, inputs, aggregate));
}

export function openDataJsonOf(data: OpenData): string {
  return `${JSON.stringify(data, null, 1)}\n`;
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
export const RECORD_AGGREGATE = '本级汇总报告';

/** A text field for Excel: quoted when needed, and a leading = + - @ neutralised (formula injection). */
export function csvText(s: string): string {
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
const num = (n: number | null) => (n === null ? '' : formatNumber(n));

/** UTF-8 with BOM and CRLF, so Excel opens the Chinese text correctly by double-click. */
export function openDataCsv(year: number, inputs: OpenDataInput[], aggregate?: OpenDataAggregateInput | null): string {
  const data = openData(year, inputs, aggregate);
  const lines: string[] = [CSV_HEADER.join(',')];
  const cellRows = (record: string, office: string, formatVersion: string, cells: OpenDataCell[]) => {
    for (const c of cells) {
      lines.push(
        [
          csvText(record),
          String(year),
          csvText(office),
          formatVersion,
          `表${c.table}`,
          csvText(c.block ?? ''),
          csvText(c.row),
          csvText(c.column),
          num(c.value),
          csvText(c.raw),
          CELL_STATUS_LABELS[c.status],
          '',
          '',
          '',
          '',
        ].join(','),
      );
    }
  };
  for (const o of data.offices) cellRows(RECORD_OFFICE, o.office, o.formatVersion, o.cells);
  for (const t of data.totals) {
    lines.push(
      [
        csvText(RECORD_TOTAL),
        String(year),
        csvText(`全部单位（${data.offices.length}个）`),
        '',
        `表${t.table}`,
        csvText(t.block ?? ''),
        csvText(t.row),
        csvText(t.column),
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
  // The published 本级 report last, as published (a blank sum stays blank); filter it out before pivoting.
  if (data.aggregate) cellRows(RECORD_AGGREGATE, `${data.aggregate.office}（第${data.aggregate.version}版）`, data.aggregate.formatVersion, data.aggregate.cells);
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
