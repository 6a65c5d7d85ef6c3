/** How rules name tables, rows and cells in Chinese messages. */
import type { TableId } from '../spec';

export const tableName = (t: TableId): string => `表${t}`;

/** A row label short enough for a message (drops the long note of （二）部分公开). */
export function rowName(label: string): string {
  return label.replace(/（区分处理的[^）]*）/, '');
}

export function cellName(r: { row: string; column: string }): string {
  return `「${rowName(r.row)}」${r.column}`;
}
