/**
 * The headline figures of a report (usually an aggregate), read the same way from both format versions, and
 * their year-on-year comparison with shares: what the coordinator quotes in 一、总体情况. Pure.
 *
 * A figure is null when any cell it needs is blank or absent: blank is not 0, so neither is a change or a
 * share computed from it.
 */
import { TABLE_KEYS, type Report } from '../model';
import { dataRows, SPECS, T3, type FormatVersion, type TableId } from '../spec';

export interface FigureDef {
  key: string;
  /** Chinese label as quoted in a narrative. */
  label: string;
  table: TableId;
  /** Cells whose sum is the figure: [row, column] (rows given by label, or by parent for a group of sub-rows). */
  cells: (version: FormatVersion) => Array<[string, string]>;
  /** The figure whose share this one is (e.g. 予以公开 of 办理结果总计). */
  shareOf?: string;
  /** A stock (state at year end): its sum is a sum of the offices' stocks. */
  stock?: boolean;
}

const total = T3.total;
/** A row, or every sub-row of a parent (（三）不予公开 …), or the 2019 single row. */
function t3Rows(version: FormatVersion, label: string): Array<[string, string]> {
  const rows = dataRows(SPECS[version].tables['三']);
  const own = rows.filter((r) => r.label === label);
  const subs = rows.filter((r) => r.parent === label);
  return [...own, ...subs].map((r) => [r.label, total]);
}
const t3 = (label: string) => (v: FormatVersion) => t3Rows(v, label);

export const HEADLINE_FIGURES: FigureDef[] = [
  { key: 'received', label: '本年新收政府信息公开申请', table: '三', cells: t3(T3.received) },
  { key: 'carriedIn', label: '上年结转政府信息公开申请', table: '三', cells: t3(T3.carriedIn) },
  { key: 'results', label: '本年度办理结果总计', table: '三', cells: t3(T3.resultsTotal) },
  { key: 'disclosed', label: '予以公开', table: '三', cells: t3('（一）予以公开'), shareOf: 'results' },
  { key: 'partly', label: '部分公开', table: '三', cells: t3('（二）部分公开（区分处理的，只计这一情形，不计其他情形）'), shareOf: 'results' },
  { key: 'withheld', label: '不予公开', table: '三', cells: t3('（三）不予公开'), shareOf: 'results' },
  { key: 'unavailable', label: '无法提供', table: '三', cells: t3('（四）无法提供'), shareOf: 'results' },
  { key: 'notHandled', label: '不予处理', table: '三', cells: t3('（五）不予处理'), shareOf: 'results' },
  { key: 'otherHandling', label: '其他处理', table: '三', cells: t3('（六）其他处理'), shareOf: 'results' },
  { key: 'carriedOut', label: '结转下年度继续办理', table: '三', cells: t3(T3.carriedOut) },
  { key: 'reviews', label: '政府信息公开行政复议', table: '四', cells: () => [['行政复议', '总计']] },
  { key: 'reviewsCorrected', label: '行政复议结果纠正', table: '四', cells: () => [['行政复议', '结果纠正']], shareOf: 'reviews' },
  { key: 'lawsuits', label: '政府信息公开行政诉讼', table: '四', cells: () => [['未经复议直接起诉', '总计'], ['复议后起诉', '总计']] },
  {
    key: 'lawsuitsCorrected',
    label: '行政诉讼结果纠正',
    table: '四',
    cells: () => [['未经复议直接起诉', '结果纠正'], ['复议后起诉', '结果纠正']],
    shareOf: 'lawsuits',
  },
];

/** Every cell of table 二 of a version, as figures keyed `二:row:column` (compared by identical labels only). */
export function table2Figures(version: FormatVersion): FigureDef[] {
  return dataRows(SPECS[version].tables['二']).flatMap((row) =>
    row.columns.map((c) => ({
      key: `二:${row.label}:${c.label}`,
      label: `${row.label}${c.label}`,
      table: '二' as const,
      cells: () => [[row.label, c.label] as [string, string]],
      stock: ['现行有效件数', '对外公开总数量', '上一年项目数量'].includes(c.label),
    })),
  );
}

/** The figure's value in a report: the sum of its cells, null when any is blank, invalid or absent. */
export function figureValue(report: Report | null, def: FigureDef): number | null {
  if (!report?.formatVersion) return null;
  const table = report[TABLE_KEYS[def.table]];
  const cells = def.cells(report.formatVersion);
  if (!table || cells.length === 0) return null;
  let sum = 0;
  for (const [row, column] of cells) {
    const cell = table[row]?.[column];
    if (!cell || cell.kind !== 'number' || cell.value === null) return null;
    sum = Number((sum + cell.value).toFixed(6));
  }
  return sum;
}

export interface FigureComparison {
  key: string;
  label: string;
  current: number | null;
  previous: number | null;
  /** current − previous; null when either is unknown. */
  change: number | null;
  /** change / previous (0.25 = +25 %); null when unknown or previous is 0. */
  changeRate: number | null;
  /** Share of its reference figure this year (0..1), e.g. 予以公开 / 办理结果总计. */
  share?: number | null;
  previousShare?: number | null;
  stock?: boolean;
}

const ratio = (a: number | null, b: number | null): number | null => (a === null || b === null || b === 0 ? null : Number((a / b).toFixed(6)));

/**
 * Year on year: the headline figures and every table 二 cell of this year's format, against the previous
 * year's report (an aggregate). `previous` null: the previous values are null.
 */
export function compareYears(current: Report, previous: Report | null): FigureComparison[] {
  const defs = [...HEADLINE_FIGURES, ...(current.formatVersion ? table2Figures(current.formatVersion) : [])];
  const value = (r: Report | null, key: string) => {
    const def = defs.find((d) => d.key === key);
    return def ? figureValue(r, def) : null;
  };
  return defs.map((def) => {
    const cur = figureValue(current, def);
    // Table 二 differs between the formats: compare only a cell with the same row and column labels.
    const prev = figureValue(previous, def);
    const out: FigureComparison = {
      key: def.key,
      label: def.label,
      current: cur,
      previous: prev,
      change: cur === null || prev === null ? null : Number((cur - prev).toFixed(6)),
      changeRate: cur === null || prev === null ? null : ratio(cur - prev, prev),
    };
    if (def.shareOf) {
      out.share = ratio(cur, value(current, def.shareOf));
      out.previousShare = ratio(prev, value(previous, def.shareOf));
    }
    if (def.stock) out.stock = true;
    return out;
  });
}

/** "12.5%" from 0.125; one decimal. */
export function percent(rate: number): string {
  return `${(Math.round(rate * 1000) / 10).toFixed(1)}%`;
}
