/**
 * Text whose line breaks were lost: a site's plain-text export or a copy through a tool that joins lines puts
 * the whole report on one line — "…2020年政府信息公开工作年度报告 根据《条例》…一、总体情况2020年，我区…
 * 二、主动公开政府信息情况 第二十条第（一）项…规章007…". Read as it is, nothing in it is a title or a heading.
 *
 * - `splitRunTogether` finds the numbered section headings inside such a line (in order, each followed by its
 *   key phrase: 一、总体情况, 三、收到和处理…) and puts the title, each heading and each section's text on a
 *   line of its own, so the structure is read as in any other copy.
 * - `runTogetherTable` recognises a table whose cells were run together ("规章007规范性文件7777166"): which
 *   digit belongs to which cell is lost, so the table is not read — the finding says so, never a guess.
 */
import type { FormatSpec, TableId } from '../spec';
import { CHINESE_ORDINALS, dataRows } from '../spec';
import { trimCell } from './normalize';

/** Longer than any heading or title line: only such a line can hold a whole report. */
const MIN_RUN_TOGETHER = 200;
/** How far after "三、" the section's key phrase may start (四、政府信息公开行政复议…: 6 characters). */
const KEY_WITHIN = 12;
/** How far the heading may go on after its key phrase to end at 情况/事项 (…行政复议、行政诉讼情况). */
const HEADING_TAIL = 20;
const ORDINAL = /([一二三四五六1-6])\s*[、.，,．]/g;
/** The title at the start: a year, then up to the first 报告 ("平潭综合实验区2020年政府信息公开工作年度报告"). */
const TITLE = /^\S{0,40}?(?:19|20)\d{2}\s*年度?\S{0,30}?报告/;

/** Where each section heading starts and ends inside one line, in order; fewer than three: not a run-together report. */
function inlineHeadings(text: string, spec: FormatSpec): { start: number; end: number }[] {
  const found: { start: number; end: number }[] = [];
  let after = 0;
  let last = 0;
  for (const m of text.matchAll(ORDINAL)) {
    const ordinal = /\d/.test(m[1]) ? Number(m[1]) : CHINESE_ORDINALS.indexOf(m[1]) + 1;
    if (m.index < after || ordinal <= last) continue;
    const section = spec.sections[ordinal - 1];
    const bodyStart = m.index + m[0].length;
    const window = text.slice(bodyStart, bodyStart + KEY_WITHIN + 8);
    const key = section.keys.map((k) => ({ k, at: window.indexOf(k) })).find(({ at }) => at >= 0 && at <= KEY_WITHIN);
    if (!key) continue;
    const keyStart = bodyStart + key.at;
    const tail = /情况|事项/.exec(text.slice(keyStart, keyStart + key.k.length + HEADING_TAIL));
    const end = tail ? keyStart + tail.index + 2 : keyStart + key.k.length;
    found.push({ start: m.index, end });
    after = end;
    last = ordinal;
  }
  return found.length >= 3 ? found : [];
}

/** One long line holding the report → its title, headings and section texts as lines; any other line as it is. */
export function splitRunTogether(cells: string[], spec: FormatSpec): string[][] {
  const nonEmpty = cells.map(trimCell).filter(Boolean);
  if (nonEmpty.length !== 1 || nonEmpty[0].length < MIN_RUN_TOGETHER) return [cells];
  const text = nonEmpty[0];
  const headings = inlineHeadings(text, spec);
  if (!headings.length) return [cells];
  const pieces: string[] = [];
  const head = text.slice(0, headings[0].start);
  const title = TITLE.exec(head);
  if (title) pieces.push(title[0], head.slice(title[0].length));
  else pieces.push(head);
  headings.forEach((h, i) => pieces.push(text.slice(h.start, h.end), text.slice(h.end, headings[i + 1]?.start ?? text.length)));
  return pieces.map(trimCell).filter(Boolean).map((p) => [p]);
}

const MIN_LABELS = 3;
const MIN_HEADERS = 2;

/**
 * A sample of a table run together inside the text of its section, or null. Run together: two of its
 * column headers and three of its row labels, each followed at once by digits ("规章007"); or, for table 四 (its labels are
 * a header, its values one row), two of its labels and one run of digits as long as its cells
 * ("000000000000000") — no sentence writes a number that long.
 */
export function runTogetherTable(text: string, spec: FormatSpec, table: TableId): string | null {
  const tspec = spec.tables[table];
  const rows = dataRows(tspec);
  // Its column headers are in the text too ("本年制发件数本年废止件数…"): a sentence such as
  // "行政许可2629件，行政处罚1330件" is not a table.
  const headers = new Set(rows.flatMap((r) => r.columns.map((c) => c.label)).filter((l) => text.includes(l)));
  if (headers.size < MIN_HEADERS) return null;
  const present: string[] = [];
  const glued: string[] = [];
  for (const row of rows) {
    const at = text.indexOf(row.text);
    if (at < 0) continue;
    present.push(row.text);
    // As written, spaces and all ("200 000121"): the sample shows the office its own text.
    const digits = /^-?\d[\d. -]*/.exec(text.slice(at + row.text.length));
    if (digits) glued.push(`${row.text}${digits[0].slice(0, 12).trim()}`);
  }
  if (glued.length >= MIN_LABELS) return glued[0];
  if (tspec.layout !== 'sequential' || present.length < 2) return null;
  const cells = rows.reduce((n, r) => n + r.columns.length, 0);
  const run = new RegExp(`\\d{${cells},}`).exec(text);
  return run ? run[0].slice(0, 12) : null;
}
