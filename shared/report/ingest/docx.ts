/**
 * DOCX → lines of cells, read straight from word/document.xml (mammoth gives the same lines but is
 * ~10× slower; test/ingest keeps it as an oracle). Body paragraphs become one-cell lines, table rows
 * become lines of their cells. A merged cell appears once: gridSpan is one cell, a vMerge
 * continuation is left out. Several paragraphs in one cell are joined into one text.
 * Tracked deletions, field codes and the fallback copy of drawings are not text of the report.
 */
import type { Location } from '../model';
import { INGEST_LIMITS, type IngestLimits } from './limits';
import { smartJoin } from './html';
import type { Extracted } from './types';
import { readZipEntries, ZipError } from './zip';

const DOCUMENT = 'word/document.xml';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeXml(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (all, e: string) => {
    if (e[0] !== '#') return ENTITIES[e] ?? all;
    const code = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return Number.isFinite(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : all;
  });
}

/** Elements whose whole subtree is not report text. */
const SKIP = new Set(['w:del', 'w:moveFrom', 'w:delText', 'w:instrText', 'w:delInstrText', 'mc:Fallback', 'w:rPr', 'w:pPr', 'w:tblPr', 'w:trPr', 'w:sectPr', 'w:tblGrid', 'w:footnoteReference', 'w:commentReference']);

interface CellState {
  pieces: string[];
  continuation: boolean;
}

interface RowState {
  cells: string[];
}

interface TableState {
  rows: string[][];
  /** The 1-based row number (in the Word table) of each of `rows`. */
  rowNumbers: number[];
  rowCount: number;
  row: RowState | null;
  cell: CellState | null;
}

/** Lines of cells; `where`, when given, receives each line's place: its table and row, or its paragraph. */
export function documentXmlToLines(xml: string, where?: Location[]): string[][] {
  const lines: string[][] = [];
  let paragraphCount = 0;
  let tableCount = 0;
  const tables: TableState[] = [];
  /** Paragraph text buffers: a text box puts paragraphs inside a paragraph. */
  const paragraphs: string[] = [];
  let skipDepth = 0;
  let inText = false;

  const currentCell = (): CellState | null => {
    for (let i = tables.length - 1; i >= 0; i--) if (tables[i].cell) return tables[i].cell;
    return null;
  };

  const emitBodyText = (text: string) => {
    paragraphCount++;
    // A body paragraph laid out with tabs is a table row typed by hand.
    for (const part of text.split('\n')) {
      const cells = part.split('\t').map((c) => c.replace(/[ \u00a0]+/g, ' ').trim());
      const first = cells.findIndex((c) => c !== '');
      if (first >= 0) {
        lines.push(cells.slice(first));
        where?.push({ paragraph: paragraphCount });
      }
    }
  };

  const finishParagraph = (text: string) => {
    const cell = currentCell();
    if (cell) {
      for (const part of text.split('\n')) {
        const t = part.replace(/[\t \u00a0]+/g, ' ').trim();
        if (t) cell.pieces.push(t);
      }
    } else emitBodyText(text);
  };

  const append = (s: string) => {
    if (paragraphs.length) paragraphs[paragraphs.length - 1] += s;
    else {
      // Text outside any paragraph (malformed but seen): treat as its own paragraph.
      finishParagraph(s);
    }
  };

  const onopentag = (name: string, attrs: Record<string, string>) => {
    if (skipDepth) {
      skipDepth++;
      return;
    }
    if (SKIP.has(name)) {
      // Properties are skipped except the one that matters: vMerge on a cell's tcPr (handled below).
      skipDepth = 1;
      return;
    }
    switch (name) {
      case 'w:p':
        paragraphs.push('');
        break;
      case 'w:t':
        inText = true;
        break;
      case 'w:tab':
        append('\t');
        break;
      case 'w:br':
      case 'w:cr':
        if (attrs['w:type'] !== 'page' && attrs['w:type'] !== 'column') append('\n');
        break;
      case 'w:noBreakHyphen':
        append('-');
        break;
      case 'w:tbl':
        tables.push({ rows: [], rowNumbers: [], rowCount: 0, row: null, cell: null });
        break;
      case 'w:tr': {
        const t = tables[tables.length - 1];
        if (t) t.row = { cells: [] };
        break;
      }
      case 'w:tc': {
        const t = tables[tables.length - 1];
        if (t) t.cell = { pieces: [], continuation: false };
        break;
      }
      case 'w:vMerge': {
        const t = tables[tables.length - 1];
        // <w:vMerge/> or w:val="continue": the cell above covers this one.
        if (t?.cell && attrs['w:val'] !== 'restart') t.cell.continuation = true;
        break;
      }
    }
  };
  const onclosetag = (name: string) => {
    if (skipDepth) {
      skipDepth--;
      return;
    }
    switch (name) {
      case 'w:t':
        inText = false;
        break;
      case 'w:p': {
        const text = paragraphs.pop() ?? '';
        finishParagraph(text);
        break;
      }
      case 'w:tc': {
        const t = tables[tables.length - 1];
        if (t?.cell && t.row) {
          if (!t.cell.continuation) t.row.cells.push(smartJoin(t.cell.pieces));
        }
        if (t) t.cell = null;
        break;
      }
      case 'w:tr': {
        const t = tables[tables.length - 1];
        if (t) t.rowCount++;
        if (t?.row && t.row.cells.some((c) => c !== '')) {
          t.rows.push(t.row.cells);
          t.rowNumbers.push(t.rowCount);
        }
        if (t) t.row = null;
        break;
      }
      case 'w:tbl': {
        const t = tables.pop();
        if (!t) break;
        const outer = currentCell();
        if (outer) {
          // A table nested in a cell: its text belongs to the outer cell.
          for (const r of t.rows) outer.pieces.push(...r.filter((c) => c !== ''));
        } else {
          tableCount++;
          lines.push(...t.rows);
          for (const row of t.rowNumbers) where?.push({ table: tableCount, row });
        }
        break;
      }
    }
  };
  // A flat tokenizer is ~3× faster than a general XML parser here, and document.xml is machine-written.
  const TOKEN = /<(\/?)([A-Za-z_][\w:.-]*)((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>|<!\[CDATA\[([\s\S]*?)\]\]>|<[!?][\s\S]*?>|([^<]+)/g;
  const ATTR = /([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
  for (let m = TOKEN.exec(xml); m; m = TOKEN.exec(xml)) {
    if (m[2]) {
      if (m[1]) onclosetag(m[2]);
      else {
        const attrs: Record<string, string> = {};
        if (m[3] && (m[2] === 'w:br' || m[2] === 'w:vMerge')) for (const a of m[3].matchAll(ATTR)) attrs[a[1]] = decodeXml(a[2] ?? a[3]);
        onopentag(m[2], attrs);
        if (m[4]) onclosetag(m[2]);
      }
    } else if (m[5] !== undefined) {
      if (!skipDepth && inText) append(m[5]);
    } else if (m[6] !== undefined) {
      if (!skipDepth && inText) append(decodeXml(m[6]));
    }
  }
  return lines;
}

export async function docxToLines(bytes: Uint8Array, limits: IngestLimits = INGEST_LIMITS): Promise<Extracted> {
  let xml: Uint8Array | undefined;
  try {
    xml = readZipEntries(bytes, [DOCUMENT], limits).get(DOCUMENT);
  } catch (e) {
    if (e instanceof ZipError) return { unreadable: e.userMessage };
    throw e;
  }
  if (!xml) return { unreadable: 'Word 文件中缺少正文（word/document.xml），文件可能已损坏。请重新“另存为” .docx 后提交。' };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(xml);
  } catch {
    return { unreadable: 'Word 文件正文编码错误，文件可能已损坏。请重新“另存为” .docx 后提交。' };
  }
  const where: Location[] = [];
  return { lines: documentXmlToLines(text, where), where };
}
