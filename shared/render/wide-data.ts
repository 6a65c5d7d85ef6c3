/**
 * Every year of the public record as one sheet: one row per office and year, a column per canonical cell of
 * tables 二/三/四 (the union of the 2019 and 2021 formats, a cell of the other format left empty), and a data
 * dictionary saying what each column means, its unit and its canonical label. CSV (UTF-8 with BOM, CRLF) and
 * .xlsx (xlsx.ts: the rows, then the dictionary and notes as sheets). Built from the years' open data
 * (open-data.ts), so it shows exactly what the open data shows: published versions only.
 */
import { dataRows, FORMAT_VERSIONS, SPECS, type FormatVersion, type TableId } from '../report/spec';
import { formatNumber } from '../common/text';
import { csvText, RECORD_AGGREGATE, RECORD_OFFICE, type OpenData, type OpenDataCell } from './open-data';
import { writeXlsx, type XlsxValue } from './xlsx';

export interface WideColumn {
  header: string;
  table: TableId;
  block: string | null;
  row: string;
  column: string;
  /** Under which header group the column sits (申请人情况 → 法人或其他组织 …). */
  group: string | null;
  unit: string;
  formats: FormatVersion[];
  meaning: string;
}

const TABLE_TITLES: Record<TableId, string> = { 二: SPECS['2021'].tables['二'].title, 三: SPECS['2021'].tables['三'].title, 四: SPECS['2021'].tables['四'].title };

function unitOf(table: TableId, column: string): string {
  if (/金额/.test(column)) return '万元';
  if (table === '二' && /项目数量|增\/减/.test(column)) return '项';
  return '件';
}

function meaningOf(table: TableId, row: string, column: string, group: string | null): string {
  if (table === '三') return `申请人为“${group ? `${group}·` : ''}${column}”的政府信息公开申请中，“${row}”的数量`;
  if (table === '四') return `政府信息公开${row === '行政复议' ? '行政复议' : `行政诉讼（${row}）`}中“${column}”的数量`;
  const stock = ['现行有效件数', '对外公开总数量', '上一年项目数量'].includes(column) ? '（存量，为年末或上年数字）' : '';
  return `主动公开“${row}”的“${column}”${stock}`;
}

/** The columns of the cells, 2021 format first, then the cells only the 2019 format has. */
export const WIDE_COLUMNS: WideColumn[] = (() => {
  const byKey = new Map<string, WideColumn>();
  for (const version of [...FORMAT_VERSIONS].reverse()) {
    for (const table of ['二', '三', '四'] as const) {
      for (const row of dataRows(SPECS[version].tables[table])) {
        for (const col of row.columns) {
          const key = `${table}|${row.label}|${col.label}`;
          const known = byKey.get(key);
          if (known) {
            known.formats.push(version);
            continue;
          }
          const group = col.group ?? null;
          byKey.set(key, {
            header: `表${table}｜${row.label}｜${group ? `${group}·` : ''}${col.label}`,
            table,
            block: row.block ?? null,
            row: row.label,
            column: col.label,
            group,
            unit: unitOf(table, col.label),
            formats: [version],
            meaning: meaningOf(table, row.label, col.label, group),
          });
        }
      }
    }
  }
  return [...byKey.values()];
})();

/** The columns before the cells: what each row is. */
export const WIDE_LEAD: Array<{ header: string; meaning: string }> = [
  { header: '记录类型', meaning: `“${RECORD_OFFICE}”为一个单位已公开的年度报告；“${RECORD_AGGREGATE}”为本级政府已公开的汇总报告（已含各单位数字，汇总时勿重复相加）` },
  { header: '年度', meaning: '报告年度' },
  { header: '单位编号', meaning: '单位在系统中的编号，历年不变，可用于跨年度对照' },
  { header: '单位', meaning: '单位名称（当年）' },
  { header: '格式版本', meaning: '2019：国办公开办函〔2019〕60号格式；2021：国办公开办函〔2021〕30号格式' },
  { header: '公开版本', meaning: '本行数字所依据的公开版本（第n版；更正后为最新版本）' },
];

export const WIDE_NOTES = [
  '每行为一个单位一个年度已公开的年度报告（最新公开版本），每列为国家格式表二、表三、表四中的一个栏目。',
  '空白：报告中该栏为空白，或该年度的格式没有此栏（空白不等于0）。文字：报告中该栏填写的内容不是数字，照录原文。',
  '两种格式共有的栏目合为一列；只在一种格式中有的栏目，另一种格式的年度为空白。',
  '存量栏目（现行有效件数、对外公开总数量、上一年项目数量）在本级汇总报告中为各单位存量之和。',
];

type Value = XlsxValue;

export interface WideRow {
  record: string;
  year: number;
  officeId: string;
  office: string;
  formatVersion: FormatVersion;
  version: number | null;
  values: Value[];
}

const COLUMN_INDEX = new Map(WIDE_COLUMNS.map((c, i) => [`${c.table}|${c.row}|${c.column}`, i]));

function valuesOf(cells: OpenDataCell[]): Value[] {
  const values: Value[] = WIDE_COLUMNS.map(() => null);
  for (const c of cells) {
    const i = COLUMN_INDEX.get(`${c.table}|${c.row}|${c.column}`);
    if (i === undefined) continue;
    values[i] = c.status === 'number' ? c.value : c.status === 'invalid' ? c.raw : null;
  }
  return values;
}

/** The rows of some years' open data, years in order, each year's offices as in its open data, its 本级 report last. */
export function wideRows(years: OpenData[]): WideRow[] {
  return [...years]
    .sort((a, b) => a.year - b.year)
    .flatMap((d) => [
      ...d.offices.map((o) => ({
        record: RECORD_OFFICE,
        year: d.year,
        officeId: o.officeId ?? '',
        office: o.office,
        formatVersion: o.formatVersion,
        version: o.version ?? null,
        values: valuesOf(o.cells),
      })),
      ...(d.aggregate
        ? [{ record: RECORD_AGGREGATE, year: d.year, officeId: '', office: d.aggregate.office, formatVersion: d.aggregate.formatVersion, version: d.aggregate.version, values: valuesOf(d.aggregate.cells) }]
        : []),
    ]);
}

const field = (v: Value): string => (v === null ? '' : typeof v === 'number' ? formatNumber(v) : csvText(v));

const csv = (lines: Value[][]) => `\uFEFF${lines.map((l) => l.map(field).join(',')).join('\r\n')}\r\n`;

const lead = (r: WideRow): Value[] => [r.record, r.year, r.officeId, r.office, r.formatVersion, r.version];

export function wideCsv(rows: WideRow[]): string {
  return csv([[...WIDE_LEAD.map((l) => l.header), ...WIDE_COLUMNS.map((c) => c.header)], ...rows.map((r) => [...lead(r), ...r.values])]);
}

const DICTIONARY_HEADER = ['列名', '含义', '单位', '表', '分项', '行（国家格式标签）', '列（国家格式标签）', '适用格式'];

function dictionaryLines(): Value[][] {
  return [
    DICTIONARY_HEADER,
    ...WIDE_LEAD.map((l) => [l.header, l.meaning, '', '', '', '', '', '']),
    ...WIDE_COLUMNS.map((c) => [
      c.header,
      c.meaning,
      c.unit,
      `表${c.table}（${TABLE_TITLES[c.table]}）`,
      c.block ?? '',
      c.row,
      `${c.group ? `${c.group}·` : ''}${c.column}`,
      [...c.formats].sort().join('、'),
    ]),
  ];
}

export function dictionaryCsv(): string {
  return csv(dictionaryLines());
}

/** The same rows as an Excel workbook: 数据 (header and office frozen), 数据字典, 说明. */
export function wideXlsx(rows: WideRow[]): Uint8Array {
  return writeXlsx([
    {
      name: '数据',
      header: true,
      freeze: { columns: 4, rows: 1 },
      widths: [12, 8, 14, 28, 8, 8, ...WIDE_COLUMNS.map(() => 14)],
      rows: [[...WIDE_LEAD.map((l) => l.header), ...WIDE_COLUMNS.map((c) => c.header)], ...rows.map((r) => [...lead(r), ...r.values])],
    },
    { name: '数据字典', header: true, freeze: { columns: 1, rows: 1 }, widths: [40, 60, 6, 34, 20, 40, 30, 10], rows: dictionaryLines() },
    { name: '说明', widths: [120], rows: WIDE_NOTES.map((n) => [n]) },
  ]);
}
