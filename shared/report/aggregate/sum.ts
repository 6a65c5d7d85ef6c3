/**
 * The cell-by-cell sum of tables 二, 三 and 四 over several reports of one format version. Pure.
 *
 * Blank is not 0: a cell that is blank, invalid or absent in any office's report makes the sum of that cell
 * incomplete. The summed cell then stays blank in the model (never a number we did not see), and the
 * incomplete list names the offices whose cell was missing and the part that could be added up.
 */
import { blankCell, numberCell, TABLE_KEYS, type Cell, type Report, type Table } from '../model';
import { dataRows, SPECS, type FormatVersion, type TableId } from '../spec';
import { formatNumber } from '../../common/text';

export const TABLE_IDS: readonly TableId[] = ['二', '三', '四'];

/**
 * Stock columns: a state at the year's end, not a flow of the year. Their sum is the sum of the offices'
 * stocks (a document valid in two offices' lists is counted twice), and is labelled so wherever it is shown.
 */
export const STOCK_COLUMNS: readonly string[] = ['现行有效件数', '对外公开总数量', '上一年项目数量'];

export const isStockColumn = (column: string): boolean => STOCK_COLUMNS.includes(column);

/** One office's report going into the sum. */
export interface SumInput {
  office: string;
  report: Report;
}

export interface IncompleteCell {
  table: TableId;
  row: string;
  column: string;
  /** Offices whose cell is blank (or holds text that is no number). */
  blank: string[];
  /** Offices whose report has no such table, row or cell at all. */
  absent: string[];
  /** The sum over the offices that did give a number: known to be a lower bound only, never put in the cell. */
  partialSum: number;
  /** How many offices gave a number. */
  counted: number;
}

export interface SumResult {
  version: FormatVersion;
  table2: Table;
  table3: Table;
  table4: Table;
  incomplete: IncompleteCell[];
}

/** Adds decimals without binary noise (0.1 + 0.2 = 0.3): amounts are written with at most 6 decimals. */
const add = (a: number, b: number): number => Number((a + b).toFixed(6));

function cellOf(report: Report, table: TableId, row: string, column: string): Cell | undefined {
  return report[TABLE_KEYS[table]]?.[row]?.[column];
}

/** Sums every cell of the national tables of `version` over `inputs` (the caller has checked the versions). */
export function sumTables(inputs: SumInput[], version: FormatVersion): SumResult {
  const spec = SPECS[version];
  const out: SumResult = { version, table2: {}, table3: {}, table4: {}, incomplete: [] };
  for (const id of TABLE_IDS) {
    const target = out[TABLE_KEYS[id]];
    for (const row of dataRows(spec.tables[id])) {
      target[row.label] = {};
      for (const column of row.columns) {
        let sum = 0;
        let counted = 0;
        const blank: string[] = [];
        const absent: string[] = [];
        for (const input of inputs) {
          const cell = cellOf(input.report, id, row.label, column.label);
          if (!cell) absent.push(input.office);
          else if (cell.kind !== 'number' || cell.value === null || !Number.isFinite(cell.value)) blank.push(input.office);
          else {
            sum = add(sum, cell.value);
            counted += 1;
          }
        }
        if (blank.length || absent.length || inputs.length === 0) {
          target[row.label][column.label] = blankCell();
          if (inputs.length) out.incomplete.push({ table: id, row: row.label, column: column.label, blank, absent, partialSum: sum, counted });
        } else {
          target[row.label][column.label] = numberCell(sum, formatNumber(sum));
        }
      }
    }
  }
  return out;
}
