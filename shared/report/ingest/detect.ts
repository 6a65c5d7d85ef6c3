/**
 * What kind of file this is, from its content only. The file name is never trusted: offices rename
 * .doc to .docx, save HTML as .doc, or upload "报告.pdf.txt".
 */
import { readCentralDirectory } from './zip';

export type InputKind =
  | 'pdf'
  | 'docx'
  | 'zip' // a zip that is not a Word document (xlsx, odt, a folder…)
  | 'ole2' // legacy .doc/.xls/.wps, or an Office file protected by a password
  | 'rtf'
  | 'image'
  | 'json'
  | 'html'
  | 'text'
  | 'empty';

const startsWith = (b: Uint8Array, sig: number[], at = 0) => sig.every((x, i) => b[at + i] === x);

/** Index of the first byte that is not a BOM or ASCII whitespace (UTF-8 view). */
function firstSignificant(b: Uint8Array): number {
  let i = startsWith(b, [0xef, 0xbb, 0xbf]) ? 3 : 0;
  while (i < b.length && (b[i] === 0x20 || b[i] === 0x09 || b[i] === 0x0a || b[i] === 0x0d || b[i] === 0x0c)) i++;
  return i;
}

/** ASCII view of the first n bytes (HTML tags and JSON punctuation are ASCII in every encoding we accept but UTF-16). */
function asciiHead(b: Uint8Array, from: number, n: number): string {
  // One byte, one character; only the ASCII part is looked at (windows-1252 is what "latin1" decodes as).
  return LATIN1.decode(b.subarray(from, Math.min(b.length, from + n)));
}
const LATIN1 = new TextDecoder('latin1');

/** UTF-16 text (Word's "save as Unicode text") hides its first character behind a BOM or NUL bytes. */
function utf16Head(b: Uint8Array, n: number): string | null {
  let le: boolean;
  let i = 0;
  if (startsWith(b, [0xff, 0xfe])) [le, i] = [true, 2];
  else if (startsWith(b, [0xfe, 0xff])) [le, i] = [false, 2];
  else if (b.length >= 4 && b[1] === 0 && b[3] === 0 && b[0] !== 0) le = true;
  else if (b.length >= 4 && b[0] === 0 && b[2] === 0 && b[1] !== 0) le = false;
  else return null;
  let s = '';
  for (; i + 1 < b.length && s.length < n; i += 2) s += String.fromCharCode(le ? b[i] | (b[i + 1] << 8) : (b[i] << 8) | b[i + 1]);
  return s;
}

const HTML_START = /^<(?:!doctype\s+html|html|head|body|meta|table|\?xml[^>]*>\s*<(?:!doctype\s+html|html)|!--|div|p[\s>]|title|style|script|section|article|span|font|center|h[1-6])/i;

function textKind(head: string): 'json' | 'html' | 'rtf' | null {
  const s = head.replace(/^[\ufeff\s]+/, '');
  if (s.startsWith('{\\rtf')) return 'rtf';
  // A JSON object opens with a key or closes at once; `{{ title }}` is a web template's text, read as text.
  if (/^\{\s*(?:"|\}|$)/.test(s)) return 'json';
  if (HTML_START.test(s)) return 'html';
  return null;
}

export function detectKind(bytes: Uint8Array): InputKind {
  if (bytes.length === 0) return 'empty';
  // %PDF- may follow a few bytes of junk (the spec allows it within the first 1024 bytes).
  if (asciiHead(bytes, 0, 1024).includes('%PDF-')) return 'pdf';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) {
    const has = zipHasEntry(bytes, 'word/document.xml');
    // A truncated zip has no central directory: fall back to the local headers' names.
    if (has === null) return asciiHead(bytes, 0, Math.min(bytes.length, 1 << 20)).includes('word/') ? 'docx' : 'zip';
    return has ? 'docx' : 'zip';
  }
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'ole2';
  if (
    startsWith(bytes, [0x89, 0x50, 0x4e, 0x47]) || // PNG
    startsWith(bytes, [0xff, 0xd8, 0xff]) || // JPEG
    startsWith(bytes, [0x47, 0x49, 0x46, 0x38]) || // GIF
    startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || // TIFF
    startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])
  ) {
    return 'image';
  }
  const u16 = utf16Head(bytes, 512);
  const byHead = textKind(u16 ?? asciiHead(bytes, firstSignificant(bytes), 512));
  if (byHead) return byHead;
  // Leading whitespace may be full-width or a long comment; look a little further for markup.
  if (/<(?:html|table)[\s>]/i.test(asciiHead(bytes, 0, 4096)) && /<\/(?:td|p|div|html|table)>/i.test(asciiHead(bytes, 0, 65536))) return 'html';
  return 'text';
}

/** Name list from the central directory only: nothing is inflated to decide the kind. */
export function zipHasEntry(bytes: Uint8Array, name: string): boolean | null {
  try {
    return readCentralDirectory(bytes).some((e) => e.name === name);
  } catch {
    return null;
  }
}
