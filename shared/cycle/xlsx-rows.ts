/**
 * Reads the first worksheet of an .xlsx (Excel, WPS) as rows of text: shared strings, inline strings, numbers,
 * booleans and the cached values of formulas. Nothing else (styles, dates as dates, merged cells) is needed for
 * an office list. fflate (already a dependency) unzips; the XML is read with a few anchored patterns. exceljs
 * would add ~1.2 MB to the API's bundle (docs/coordinator-workflow.md, measured) for this one read; tests
 * write their workbooks with exceljs, so the reader is checked against another implementation.
 */
import { unzipSync } from 'fflate';

export interface SheetRow {
  /** 1-based row number as Excel shows it. */
  line: number;
  cells: string[];
}

/** A ZIP file starts with "PK\3\4": an .xlsx (or another Office Open XML file). */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return bytes.length > 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** Larger parts are refused before they are inflated (a zip bomb; an office list is a few KB). */
const MAX_PART_BYTES = 32 * 1024 * 1024;

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
function xmlDecode(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|lt|gt|amp|quot|apos);/gi, (m, e: string) => {
    if (e[0] !== '#') return ENTITIES[e.toLowerCase()] ?? m;
    const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}

/** The text of <t> elements, leaving out phonetic runs (<rPh>, Japanese readings). Tags may carry a prefix (x:t). */
function runsText(xml: string): string {
  const body = xml.replace(/<(\w+:)?rPh\b[\s\S]*?<\/(\w+:)?rPh>/g, '');
  let text = '';
  for (const m of body.matchAll(/<(?:\w+:)?t(?:\s[^>]*)?(?<!\/)>([\s\S]*?)<\/(?:\w+:)?t>/g)) text += xmlDecode(m[1]);
  return text;
}

function attr(attrs: string, name: string): string | undefined {
  return new RegExp(`(?:^|\\s)${name}="([^"]*)"`).exec(attrs)?.[1];
}

/** "C7" → column index 2 (0-based). */
function columnIndex(ref: string): number {
  const letters = /^[A-Z]+/i.exec(ref)?.[0].toUpperCase() ?? '';
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/** Which part holds the first sheet: workbook.xml's first <sheet> through its relationship. */
function firstSheetPath(files: Record<string, Uint8Array>, names: string[]): string | null {
  const text = (name: string) => (files[name] ? new TextDecoder().decode(files[name]) : '');
  const sheet = /<(?:\w+:)?sheet\b([^>]*)\/?>/.exec(text('xl/workbook.xml'));
  const rid = sheet ? /\br:id="([^"]+)"|\bid="([^"]+)"/.exec(sheet[1]) : null;
  const id = rid?.[1] ?? rid?.[2];
  if (id) {
    for (const m of text('xl/_rels/workbook.xml.rels').matchAll(/<Relationship\b([^>]*)\/?>/g)) {
      if (attr(m[1], 'Id') !== id) continue;
      const target = attr(m[1], 'Target') ?? '';
      const path = target.startsWith('/') ? target.slice(1) : `xl/${target}`;
      if (names.includes(path)) return path;
    }
  }
  return names.filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n)).sort()[0] ?? null;
}

const INDEX_PARTS = ['xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/sharedStrings.xml'];

/** The first worksheet's rows (empty rows left out), or an error in Chinese. */
export function readXlsxRows(bytes: Uint8Array): { rows: SheetRow[] } | { error: string } {
  // Two passes over the archive: the index parts, then the one sheet they name (any part name a tool chose).
  const names: string[] = [];
  let files: Record<string, Uint8Array>;
  let sheetPath: string | null;
  try {
    files = unzipSync(bytes, {
      filter: (f) => (names.push(f.name), f.originalSize <= MAX_PART_BYTES && INDEX_PARTS.includes(f.name)),
    });
    sheetPath = firstSheetPath(files, names);
    if (sheetPath) Object.assign(files, unzipSync(bytes, { filter: (f) => f.name === sheetPath && f.originalSize <= MAX_PART_BYTES }));
  } catch {
    return { error: '无法打开该 Excel 文件（文件可能已损坏）。请在 Excel 或 WPS 中另存为 .xlsx 后重试' };
  }
  if (!sheetPath || !files[sheetPath]) return { error: '该文件不是 Excel 工作簿（.xlsx），或其中没有工作表。旧版 .xls 请另存为 .xlsx 或 CSV' };
  const decoder = new TextDecoder();
  const shared = files['xl/sharedStrings.xml']
    ? [...decoder.decode(files['xl/sharedStrings.xml']).matchAll(/<(?:\w+:)?si\b[^>]*\/>|<(?:\w+:)?si\b[^>]*>([\s\S]*?)<\/(?:\w+:)?si>/g)].map((m) => runsText(m[1] ?? ''))
    : [];
  const rows: SheetRow[] = [];
  const sheet = decoder.decode(files[sheetPath]);
  let fallbackLine = 0;
  for (const rm of sheet.matchAll(/<(?:\w+:)?row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:\w+:)?row>)/g)) {
    const line = Number(attr(rm[1], 'r')) || fallbackLine + 1;
    fallbackLine = line;
    const cells: string[] = [];
    let next = 0;
    for (const cm of (rm[2] ?? '').matchAll(/<(?:\w+:)?c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:\w+:)?c>)/g)) {
      const ref = attr(cm[1], 'r');
      const col = ref ? columnIndex(ref) : next;
      next = col + 1;
      const inner = cm[2] ?? '';
      const type = attr(cm[1], 't');
      const v = /<(?:\w+:)?v>([\s\S]*?)<\/(?:\w+:)?v>/.exec(inner)?.[1];
      let value = '';
      if (type === 'inlineStr') value = runsText(inner);
      else if (type === 's') value = v === undefined ? '' : (shared[Number(v)] ?? '');
      else if (type === 'b') value = v === '1' ? 'TRUE' : v === '0' ? 'FALSE' : '';
      else if (v !== undefined) value = xmlDecode(v);
      // A long number (a phone) comes as 13800000000 or 1.38E10: as digits, not in exponent form.
      if ((type === undefined || type === 'n') && /^-?\d+(\.\d+)?E[+-]?\d+$/i.test(value)) value = Number(value).toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 });
      if (col >= 0 && col < 1000) cells[col] = value;
    }
    const filled = Array.from(cells, (c) => c ?? '');
    if (filled.some((c) => c.trim() !== '')) rows.push({ line, cells: filled });
  }
  return { rows };
}
