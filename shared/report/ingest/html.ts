/**
 * HTML → lines of cells. Government pages as published: reports laid out in <p>/<div>, tables with
 * rowspan/colspan, &nbsp; for empty cells, <br> inside cells, whole pages wrapped in layout tables,
 * GBK pages declared by <meta charset> or http-equiv. Also the target of Word's "save as web page".
 *
 * A merged cell appears once, in the first row it covers (the way text copies flatten tables): the
 * parser reads a row as its label followed by its values, so a repeated or padded cell would shift
 * the values.
 */
import type { Location } from '../model';
import { Parser } from 'htmlparser2';
import { DomHandler, type ChildNode, type Document, type Element } from 'domhandler';
import { decodeAs, decodeText } from '../parse/decode';
import type { Extracted } from './types';

const SKIP = new Set(['script', 'style', 'noscript', 'template', 'head', 'title', 'iframe', 'object', 'embed', 'svg', 'math', 'select', 'button', 'textarea', 'input', 'option', 'map', 'canvas', 'audio', 'video', 'xml']);

const BLOCK = new Set([
  'p', 'div', 'section', 'article', 'header', 'footer', 'main', 'aside', 'nav', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'blockquote', 'pre', 'address', 'figure', 'figcaption', 'hr', 'center', 'form',
  'fieldset', 'legend', 'body', 'html', 'caption', 'tr', 'td', 'th', 'thead', 'tbody', 'tfoot', 'table',
]);

/** A cell holding this much text is a page layout cell, not a data cell. */
const LAYOUT_CELL_CHARS = 400;

const CJK = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]/;

/** Join pieces of one logical text: no space between Chinese characters (a label wrapped over lines). */
export function smartJoin(pieces: string[]): string {
  let out = '';
  for (const p of pieces) {
    if (!p) continue;
    if (out && !(CJK.test(out[out.length - 1]) && CJK.test(p[0]))) out += ' ';
    out += p;
  }
  return out;
}

/** HTML whitespace rules, except that a source line break between Chinese characters is no space. */
function collapse(s: string): string {
  return s
    .replace(/([\u2e80-\u9fff\uff00-\uffef\u3000-\u303f])[ \t\f]*[\r\n][ \t\r\n\f]*(?=[\u2e80-\u9fff\uff00-\uffef\u3000-\u303f])/g, '$1')
    .replace(/[ \t\r\n\f]+/g, ' ')
    .replace(/^[\s\u00a0\u3000\u200b\ufeff]+|[\s\u00a0\u3000\u200b\ufeff]+$/g, '');
}

const isElement = (n: ChildNode): n is Element => n.type === 'tag' || n.type === 'script' || n.type === 'style';

function elementChildren(el: Element, names: Set<string>): Element[] {
  return el.children.filter((c): c is Element => isElement(c) && names.has(c.name));
}

const SECTION_TAGS = new Set(['thead', 'tbody', 'tfoot']);
const TR = new Set(['tr']);
const CELL = new Set(['td', 'th']);

/** Rows of this table only (not of nested tables), in document order. */
function tableRows(table: Element): Element[] {
  const rows: Element[] = [];
  for (const c of table.children) {
    if (!isElement(c)) continue;
    if (c.name === 'tr') rows.push(c);
    else if (SECTION_TAGS.has(c.name)) rows.push(...elementChildren(c, TR));
  }
  return rows;
}

function containsTable(el: Element): boolean {
  for (const c of el.children) if (isElement(c) && (c.name === 'table' || containsTable(c))) return true;
  return false;
}

function textLength(el: Element): number {
  let n = 0;
  for (const c of el.children) {
    if (c.type === 'text') n += c.data.trim().length;
    else if (isElement(c) && !SKIP.has(c.name)) n += textLength(c);
    if (n > LAYOUT_CELL_CHARS) return n;
  }
  return n;
}

/** The text of a data cell: its paragraphs and <br> pieces joined as one label or value. */
function cellText(cell: Element): string {
  const pieces: string[] = [];
  let buf = '';
  const flush = () => {
    const t = collapse(buf);
    if (t) pieces.push(t);
    buf = '';
  };
  const walk = (n: ChildNode) => {
    if (n.type === 'text') buf += n.data;
    else if (isElement(n)) {
      if (SKIP.has(n.name)) return;
      if (n.name === 'br') return flush();
      const block = BLOCK.has(n.name);
      if (block) flush();
      n.children.forEach(walk);
      if (block) flush();
    }
  };
  cell.children.forEach(walk);
  flush();
  return smartJoin(pieces);
}

class LineWriter {
  readonly lines: string[][] = [];
  /** Each line's place on the page: a table (counted from the top) and its row, or a paragraph. */
  readonly where: Location[] = [];
  private buf = '';
  private paragraphs = 0;
  tables = 0;

  text(s: string) {
    this.buf += s;
  }

  flush() {
    const t = collapse(this.buf);
    if (t) {
      this.lines.push([t]);
      this.where.push({ paragraph: ++this.paragraphs });
    }
    this.buf = '';
  }

  row(cells: string[], row: number) {
    this.flush();
    if (cells.some((c) => c !== '')) {
      this.lines.push(cells);
      this.where.push({ table: this.tables, row });
    }
  }
}

function walkBlock(n: ChildNode, w: LineWriter): void {
  if (n.type === 'text') return w.text(n.data);
  if (!isElement(n) || SKIP.has(n.name)) return;
  if (n.name === 'br') return w.flush();
  if (n.name === 'table') return writeTable(n, w);
  const block = BLOCK.has(n.name);
  if (block) w.flush();
  for (const c of n.children) walkBlock(c, w);
  if (block) w.flush();
}

function writeTable(table: Element, w: LineWriter): void {
  w.flush();
  const rows = tableRows(table);
  const cellsOf = (tr: Element) => elementChildren(tr, CELL);
  // Old CMS pages put the whole page in a table; its cells are containers, not data.
  const layout = rows.some((tr) => cellsOf(tr).some((td) => containsTable(td) || textLength(td) > LAYOUT_CELL_CHARS));
  for (const c of elementChildren(table, new Set(['caption']))) walkBlock(c, w);
  if (!layout) w.tables++;
  rows.forEach((tr, i) => {
    if (layout) {
      for (const td of cellsOf(tr)) walkBlock(td, w);
      w.flush();
    } else {
      w.row(cellsOf(tr).map(cellText), i + 1);
    }
  });
}

const GB = new Set(['gb2312', 'gbk', 'x-gbk', 'gb18030', 'gb_2312-80', 'chinese', 'csgb2312', 'euc-cn', 'cp936', 'windows-936']);

/** The charset a page declares in <meta charset> or <meta http-equiv="Content-Type" content="…charset=…">. */
export function declaredCharset(bytes: Uint8Array): string | null {
  let head = '';
  const n = Math.min(bytes.length, 8192);
  for (let i = 0; i < n; i++) head += String.fromCharCode(bytes[i]);
  for (const m of head.matchAll(/<meta\b[^>]*>/gi)) {
    const cs = /charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)/i.exec(m[0]);
    if (cs) return cs[1].toLowerCase();
  }
  const xml = /<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)/i.exec(head);
  return xml ? xml[1].toLowerCase() : null;
}

/** Whether Node's decoders know this charset label (WHATWG names: big5, shift_jis, windows-1252, …). */
function encodingExists(label: string): boolean {
  try {
    new TextDecoder(label);
    return true;
  } catch {
    return false;
  }
}

export function decodeHtml(bytes: Uint8Array): { text: string } | { error: string } {
  const hasBom = (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) || (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  const declared = hasBom ? null : declaredCharset(bytes);
  if (declared && GB.has(declared)) return { text: decodeAs(bytes, 'gb18030') };
  if (declared && declared !== 'utf-8' && declared !== 'utf8' && encodingExists(declared)) {
    return { text: decodeAs(bytes, declared) };
  }
  // UTF-8 declared or nothing declared: the sniffer also catches pages that declare UTF-8 but are GBK.
  const d = decodeText(bytes);
  return 'error' in d ? { error: d.error } : { text: d.text };
}

/**
 * Element nesting deeper than this is refused. Real pages (Word's "save as web page", CMS layout
 * tables) nest a few dozen levels; 10k levels overflow the recursive walks below, and htmlparser2
 * itself turns quadratic far before that.
 */
export const MAX_HTML_DEPTH = 500;
/**
 * Elements in one page. A report saved by Word as a web page has some tens of thousands; two million
 * <br> (7.6 MB) took 600 MB and 3.5 s to hold as a DOM before any line cap could apply.
 */
export const MAX_HTML_ELEMENTS = 300_000;

class Refused extends Error {}

const TOO_DEEP = `网页结构异常：标签嵌套超过 ${MAX_HTML_DEPTH} 层，不像一份年度报告网页。请从 Word 或 WPS 重新“另存为”网页（.html），或直接提交 Word（.docx）文件。`;
const TOO_MANY = `网页结构异常：标签超过 ${MAX_HTML_ELEMENTS} 个，不像一份年度报告网页。请只提交年度报告本身，或直接提交 Word（.docx）文件。`;

/** Builds the DOM, giving up as soon as it nests deeper than MAX_HTML_DEPTH or grows past MAX_HTML_ELEMENTS. */
class LimitedHandler extends DomHandler {
  private elements = 0;

  override onopentag(name: string, attribs: Record<string, string>): void {
    super.onopentag(name, attribs);
    // tagStack holds the root document too.
    if (this.tagStack.length > MAX_HTML_DEPTH + 1) throw new Refused(TOO_DEEP);
    if (++this.elements > MAX_HTML_ELEMENTS) throw new Refused(TOO_MANY);
  }
}

function parseHtml(html: string): Document | Refused {
  const options = { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true };
  const handler = new LimitedHandler();
  try {
    new Parser(handler, options).end(html);
  } catch (e) {
    if (e instanceof Refused) return e;
    throw e;
  }
  return handler.root;
}

export function htmlToLines(bytes: Uint8Array): Extracted {
  const decoded = decodeHtml(bytes);
  if ('error' in decoded) return { unreadable: decoded.error };
  const doc = parseHtml(decoded.text);
  if (doc instanceof Refused) return { unreadable: doc.message };
  const w = writeDocument(doc);
  return { lines: w.lines, where: w.where };
}

/** Lines of cells, or null when the page is refused (too deep, too many elements). */
export function htmlStringToLines(html: string): string[][] | null {
  const doc = parseHtml(html);
  return doc instanceof Refused ? null : writeDocument(doc).lines;
}

function writeDocument(doc: Document): LineWriter {
  const w = new LineWriter();
  for (const c of doc.children) walkBlock(c, w);
  w.flush();
  return w;
}
