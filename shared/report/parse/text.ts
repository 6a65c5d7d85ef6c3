/**
 * Plain text → lines of cells. Text copies of reports flatten tables into one cell per line (tabs and
 * full-width spaces, empty lines between rows: the seed), into `|`-separated rows, or into columns
 * aligned with spaces (a copy from a PDF viewer).
 */
import type { ParseOptions, ParseResult } from './document';
import { parseLines } from './document';
import { trimCell } from './normalize';

const PIPE_ROW = /^\s*\||\s\|\s/;
const RULE_ROW = /^[\s|:：\-—=+]+$/;
const ONLY_TABS = /^[\t\r]+$/;
/** A run of two or more spaces between characters; a single space is a word break. */
const COLUMN_GAP = /[ \u00a0\f]{2,}/;

export function textToLines(text: string): string[][] {
  return text.split('\n').map((line) => {
    if (line.includes('|') && RULE_ROW.test(line)) return []; // a markdown/ASCII rule between rows
    let cells: string[];
    if (line.includes('\t')) cells = line.split('\t');
    else if (PIPE_ROW.test(line)) {
      // Outer borders ("| a | b |") are not cells; a trailing "|" without a leading one ends an empty last cell.
      const bordered = /^\s*\|/.test(line);
      cells = (bordered ? line.replace(/^\s*\|/, '').replace(/\|\s*$/, '') : line).split('|');
    }
    else if (COLUMN_GAP.test(line.trim())) {
      // Text laid out in columns (a PDF viewer's copy, `pdftotext -layout`): cells are set apart by runs
      // of spaces, so no cell is empty — a blank cell there is only more space, never read as a value.
      return line.split(COLUMN_GAP).filter((c) => trimCell(c) !== '');
    } else cells = [line];
    // A line of only whitespace is one empty cell (a blank value), except a line of only tabs: a browser
    // copies a cell's paragraph breaks that way. Leading empty cells of a tab-separated line are
    // indentation; in a bordered `| | 0 |` row they are cells.
    const first = cells.findIndex((c) => trimCell(c) !== '');
    if (first < 0) return line.length > 0 && !ONLY_TABS.test(line) ? [''] : [];
    return line.includes('\t') ? cells.slice(first) : cells;
  });
}

export function parseText(text: string, options?: ParseOptions): ParseResult {
  return parseLines(textToLines(text), options);
}
