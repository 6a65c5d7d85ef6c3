/**
 * Seeded generator of hostile upload files, for the fuzz run (bench/fuzz.ts) and its seeded subset in
 * `npm test` (test/fuzz/fuzz.test.ts). Case i of seed s is always the same bytes: a failure is reproduced
 * with `generateCase(s, i)` alone.
 *
 * Families are mutations of the real fixtures (fixtures/**) and synthetic files built to hurt: broken DOCX
 * and PDF, zip bombs, huge tables, deep nesting, wrong encodings, binary junk, enormous numbers, control
 * characters, 10 MB lines, hostile JSON, empty and 1-byte files. Families are scheduled round-robin by
 * weight, so any window of SCHEDULE_LENGTH consecutive cases holds every family.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { deflateSync, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import iconv from 'iconv-lite';

// ---------- PRNG ----------

/** sfc32: small, fast, good enough for fuzzing, and the same on every machine. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream = 0) {
    this.a = 0x9e3779b9 ^ seed;
    this.b = 0x243f6a88 ^ stream;
    this.c = 0xb7e15162 ^ Math.imul(seed, 0x85ebca6b);
    this.d = 1;
    for (let i = 0; i < 15; i++) this.u32();
  }

  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Integer in [min, max], small values far more likely (sizes, counts). */
  logInt(min: number, max: number): number {
    const lo = Math.log(Math.max(1, min));
    const hi = Math.log(Math.max(1, max));
    return Math.min(max, Math.max(min, Math.round(Math.exp(lo + this.next() * (hi - lo)))));
  }

  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 4) {
      const v = this.u32();
      out[i] = v & 0xff;
      if (i + 1 < n) out[i + 1] = (v >>> 8) & 0xff;
      if (i + 2 < n) out[i + 2] = (v >>> 16) & 0xff;
      if (i + 3 < n) out[i + 3] = v >>> 24;
    }
    return out;
  }
}

// ---------- materials ----------

const ROOT = path.join(__dirname, '../..');
const read = (p: string) => new Uint8Array(readFileSync(path.join(ROOT, p)));

interface Materials {
  texts: string[];
  gb18030: Uint8Array;
  html: Uint8Array[];
  docx: Uint8Array[];
  pdf: Uint8Array[];
  json: string[];
  /** word/document.xml of the real DOCX fixture. */
  documentXml: string;
}

let materials: Materials | null = null;

function loadMaterials(): Materials {
  if (materials) return materials;
  const dec = (b: Uint8Array) => new TextDecoder().decode(b);
  const docx = [read('fixtures/formats/report.docx'), read('fixtures/formats/report-t3-error.docx')];
  materials = {
    texts: ['fixtures/jincheng-2020.txt', 'fixtures/clean-2019.txt', 'fixtures/clean-2021.txt', 'fixtures/clean-2021-prev.txt'].map((p) => dec(read(p))),
    gb18030: read('fixtures/formats/report-gb18030.txt'),
    html: [read('fixtures/formats/report.html'), read('fixtures/formats/report-gbk.html'), read('fixtures/formats/report-t3-error.html')],
    docx,
    pdf: [read('fixtures/formats/report.pdf'), read('fixtures/formats/report-t3-error.pdf')],
    json: [dec(read('fixtures/formats/report.json')), dec(read('fixtures/formats/report-t3-error.json'))],
    documentXml: dec(unzipSync(docx[0], { filter: (f) => f.name === 'word/document.xml' })['word/document.xml']),
  };
  return materials;
}

/** Expensive bodies (bombs) built once per process and reused with variations. */
const cache = new Map<string, Uint8Array>();
function cached(key: string, make: () => Uint8Array): Uint8Array {
  let v = cache.get(key);
  if (!v) cache.set(key, (v = make()));
  return v;
}

// ---------- helpers ----------

const enc = (s: string) => new TextEncoder().encode(s);
const latin1 = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function flipBytes(r: Rng, src: Uint8Array, count: number, region?: [number, number]): Uint8Array {
  const out = new Uint8Array(src);
  const [lo, hi] = region ?? [0, src.length - 1];
  for (let i = 0; i < count; i++) {
    const at = r.int(lo, Math.max(lo, hi));
    if (r.chance(0.5)) out[at] ^= 1 << r.int(0, 7);
    else out[at] = r.int(0, 255);
  }
  return out;
}

function cut(r: Rng, src: Uint8Array): Uint8Array {
  return src.slice(0, r.int(0, src.length - 1));
}

/** Byte-level edits: delete, duplicate, insert junk, overwrite a run. */
function spliceBytes(r: Rng, src: Uint8Array, edits: number): Uint8Array {
  let b = src;
  for (let i = 0; i < edits; i++) {
    const at = r.int(0, b.length);
    const len = r.logInt(1, Math.max(1, Math.min(4096, b.length)));
    switch (r.int(0, 3)) {
      case 0:
        b = concat(b.subarray(0, at), b.subarray(Math.min(b.length, at + len)));
        break;
      case 1:
        b = concat(b.subarray(0, at), b.subarray(at, at + len), b.subarray(at));
        break;
      case 2:
        b = concat(b.subarray(0, at), r.bytes(len), b.subarray(at));
        break;
      default: {
        const c = new Uint8Array(b);
        c.set(r.bytes(Math.min(len, c.length - at)), at);
        b = c;
      }
    }
  }
  return b;
}

const CONTROL = ['\u0000', '\u0001', '\u0007', '\u0008', '\u000b', '\u000c', '\u001b', '\u001f', '\u007f', '\u0085', '\u2028', '\u2029', '\u202e', '\u202d', '\u200b', '\u200d', '\ufeff', '\ufffd', '\ufffe', '\uffff', '\r', '\r\r\n', '\t'];

const HOSTILE_NUMBERS = [
  '1e308', '1e309', '-1e309', '1.7976931348623157e308', '9'.repeat(400), '1' + '0'.repeat(308), '1' + '0'.repeat(309), 'NaN', 'Infinity', '-Infinity',
  '∞', '-0', '0x1F', '0b101', '1_000', '1,2,3', '１２３', '１e３', '9007199254740993', '18446744073709551616', '0.' + '0'.repeat(400) + '1', '.5', '5.', '--5',
  '+-1', '1e-400', '٣٤', '१२', '½', '²', '3.14.15', '１,０００', '1,000,000,000,000,000,000,000', '-2147483649', '4294967296', '007', '1e', 'e1', '1/0', 'null', 'undefined', '[object Object]',
];

const CJK_SAMPLES = ['报告', '总体情况', '主动公开', '政府信息', '（七）总计', '一、', '行政复议', '申请', '件', '年度'];

function randomUnicode(r: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) {
    const k = r.int(0, 9);
    if (k < 3) s += String.fromCharCode(r.int(0x4e00, 0x9fa5));
    else if (k < 5) s += String.fromCharCode(r.int(0x20, 0x7e));
    else if (k < 6) s += r.pick(CONTROL);
    else if (k < 7) s += String.fromCodePoint(r.int(0x10000, 0x10ffff));
    else if (k < 8) s += String.fromCharCode(r.int(0xd800, 0xdfff)); // lone surrogate
    else s += r.pick(CJK_SAMPLES);
  }
  return s;
}

/** Replaces up to `count` of the numbers standing alone in a cell with a hostile one. */
function replaceNumbers(r: Rng, text: string, count: number): string {
  return text.replace(/(^|[\t|\s])(\d{1,6})(?=$|[\t|\s])/gm, (all, pre: string) => (count > 0 && r.chance(0.3) ? (count--, pre + r.pick(HOSTILE_NUMBERS)) : all));
}

// ---------- DOCX ----------

const CONTENT_TYPES = strToU8(
  '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
);

const W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function docxOf(documentXml: string | Uint8Array, extra: Zippable = {}, level: 0 | 6 = 6): Uint8Array {
  const doc = typeof documentXml === 'string' ? strToU8(documentXml) : documentXml;
  return zipSync({ '[Content_Types].xml': CONTENT_TYPES, 'word/document.xml': doc, ...extra }, { level });
}

/** Text → document.xml: lines with tabs become table rows, others paragraphs. */
function textToDocumentXml(text: string): string {
  const body: string[] = [];
  let rows: string[] = [];
  const flushTable = () => {
    if (rows.length) body.push(`<w:tbl>${rows.join('')}</w:tbl>`);
    rows = [];
  };
  for (const line of text.split('\n')) {
    if (line.includes('\t')) {
      rows.push(`<w:tr>${line.split('\t').map((c) => `<w:tc><w:p><w:r><w:t xml:space="preserve">${xmlEscape(c)}</w:t></w:r></w:p></w:tc>`).join('')}</w:tr>`);
    } else {
      flushTable();
      body.push(`<w:p><w:r><w:t xml:space="preserve">${xmlEscape(line)}</w:t></w:r></w:p>`);
    }
  }
  flushTable();
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ${W_NS}><w:body>${body.join('')}</w:body></w:document>`;
}

const wrapBody = (inner: string) => `<?xml version="1.0" encoding="UTF-8"?><w:document ${W_NS}><w:body>${inner}</w:body></w:document>`;

/** Finds the offsets of every zip record with the given signature. */
function records(zip: Uint8Array, sig: number): number[] {
  const out: number[] = [];
  const dv = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  for (let i = 0; i + 4 <= zip.length; i++) if (dv.getUint32(i, true) === sig) out.push(i);
  return out;
}

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const EOCD = 0x06054b50;

function setU32(b: Uint8Array, at: number, v: number) {
  new DataView(b.buffer, b.byteOffset, b.byteLength).setUint32(at, v >>> 0, true);
}
function setU16(b: Uint8Array, at: number, v: number) {
  new DataView(b.buffer, b.byteOffset, b.byteLength).setUint16(at, v & 0xffff, true);
}

/** A zip whose central directory lists `copies` entries that all point at one local header (overlap bomb). */
function overlapBomb(inner: Uint8Array, copies: number): Uint8Array {
  const zip = zipSync({ 'word/document.xml': inner }, { level: 9 });
  const central = records(zip, CENTRAL)[0];
  const eocd = records(zip, EOCD)[0];
  const entry = zip.subarray(central, eocd);
  const head = zip.subarray(0, central);
  const dir = new Uint8Array(entry.length * copies);
  for (let i = 0; i < copies; i++) dir.set(entry, i * entry.length);
  const end = new Uint8Array(zip.subarray(eocd));
  setU16(end, 8, copies);
  setU16(end, 10, copies);
  setU32(end, 12, dir.length);
  setU32(end, 16, head.length);
  return concat(head, dir, end);
}

// ---------- PDF ----------

/** Writes a PDF from object bodies (object n is bodies[n-1]) with a correct xref table. */
function buildPdf(bodies: (string | Uint8Array)[], trailerExtra = '', header = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n'): Uint8Array {
  const parts: Uint8Array[] = [latin1(header)];
  let offset = parts[0].length;
  const offsets: number[] = [];
  bodies.forEach((b, i) => {
    offsets.push(offset);
    const body = typeof b === 'string' ? latin1(b) : b;
    const p = concat(latin1(`${i + 1} 0 obj\n`), body, latin1('\nendobj\n'));
    parts.push(p);
    offset += p.length;
  });
  const xref = ['xref', `0 ${bodies.length + 1}`, '0000000000 65535 f ', ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n `)].join('\n');
  parts.push(latin1(`${xref}\ntrailer\n<< /Size ${bodies.length + 1} /Root 1 0 R ${trailerExtra}>>\nstartxref\n${offset}\n%%EOF\n`));
  return concat(...parts);
}

function streamObj(data: Uint8Array, dict = '', lengthOverride?: string): Uint8Array {
  return concat(latin1(`<< /Length ${lengthOverride ?? data.length} ${dict}>>\nstream\n`), data, latin1('\nendstream'));
}

/** A one-page PDF (Helvetica) with the given content stream. */
function onePagePdf(content: Uint8Array, contentDict = '', lengthOverride?: string): Uint8Array {
  return buildPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    streamObj(content, contentDict, lengthOverride),
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ]);
}

const pdfString = (s: string) => `(${s.replace(/[\\()]/g, (c) => `\\${c}`).replace(/[^\x20-\x7e]/g, '?')})`;

function textOps(lines: string[], x = 50, y0 = 800, lead = 14): string {
  return `BT /F1 10 Tf ${lines.map((l, i) => `1 0 0 1 ${x} ${y0 - i * lead} Tm ${pdfString(l)} Tj`).join(' ')} ET`;
}

const PDF_OPERATORS = ['BT', 'ET', 'Tj', 'TJ', 'Tf', 'Td', 'TD', 'Tm', "'", '"', 'cm', 'q', 'Q', 're', 'f', 'S', 'm', 'l', 'c', 'h', 'W', 'n', 'Do', 'BI', 'ID', 'EI', 'gs', 'sh', 'BDC', 'EMC', 'd0', 'd1', 'Tz', 'TL', 'Tc', 'Tw', 'rg', 'RG', 'k', 'cs', 'scn'];
const PDF_OPERANDS = ['0', '1', '-1', '1e308', '99999999999999999999', 'NaN', '-0.0', '/F1', '/Nope', '(x)', '<414243>', '<', '[', ']', '<<', '>>', '(', ')', '[(a) -200 (b)]', '3.4e38', '-3.4e38', '()'];

function randomContent(r: Rng, ops: number): string {
  const out: string[] = [];
  for (let i = 0; i < ops; i++) {
    const n = r.int(0, 6);
    for (let k = 0; k < n; k++) out.push(r.pick(PDF_OPERANDS));
    out.push(r.pick(PDF_OPERATORS));
  }
  return out.join(' ');
}

// ---------- HTML ----------

const NEST_TAGS = ['div', 'table', 'td', 'tr', 'span', 'p', 'b', 'font', 'li', 'ul', 'section', 'blockquote', 'center', 'a', 'tbody'];

function deepHtml(tag: string, depth: number, closed: boolean, inner: string): string {
  const open = tag === 'table' ? '<table><tr><td>' : `<${tag}>`;
  const close = tag === 'table' ? '</td></tr></table>' : `</${tag}>`;
  return `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>${open.repeat(depth)}${inner}${closed ? close.repeat(depth) : ''}</body></html>`;
}

function tableHtml(r: Rng, rows: number, cols: number): string {
  const label = () => r.pick(['（一）本年新收政府信息公开申请数量', '1. 予以公开', '（七）总计', '规章', '行政许可', '结果维持', r.pick(CJK_SAMPLES)]);
  const span = () => (r.chance(0.05) ? ` rowspan="${r.pick(['2', '0', '-1', '99999', '4294967296', 'x'])}" colspan="${r.pick(['2', '1000', '65535', '-5', ''])}"` : '');
  const out: string[] = ['<table border="1">'];
  for (let i = 0; i < rows; i++) {
    out.push(`<tr><td${span()}>${label()}</td>`);
    for (let c = 1; c < cols; c++) out.push(`<td${span()}>${r.chance(0.1) ? r.pick(HOSTILE_NUMBERS) : r.int(0, 999)}</td>`);
    out.push('</tr>');
  }
  out.push('</table>');
  return out.join('');
}

// ---------- JSON ----------

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path to a value in the JSON, as key lists. */
function paths(v: Json, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v && typeof v === 'object') for (const k of Object.keys(v)) paths(v[k], [...at, k], out);
  return out;
}

function setAt(root: Json, at: (string | number)[], value: Json): Json {
  if (at.length === 0) return value;
  let o = root as Record<string | number, Json>;
  for (const k of at.slice(0, -1)) {
    // An earlier replacement may have removed this path.
    if (!o || typeof o !== 'object') return root;
    o = o[k] as Record<string | number, Json>;
  }
  if (o && typeof o === 'object') o[at[at.length - 1]] = value;
  return root;
}

const WRONG_VALUES: Json[] = [null, true, false, 0, -1, 1.5, 1e308, '', '12', '二十', 'null', [], [1, 2], {}, { raw: '1' }, { kind: 'number', value: '1', raw: 1 }, 'x'.repeat(10000)];
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', '__lookupGetter__'];

// ---------- families ----------

interface Made {
  /** What exactly was done, for the report and for reproducing a failure. */
  detail: string;
  /** The extension the office gave the file (never trusted; sometimes a lie). */
  ext: string;
  bytes: Uint8Array;
}

interface Family {
  name: string;
  /** Which kind of file it attacks (for grouping the figures). */
  group: 'tiny' | 'junk' | 'text' | 'encoding' | 'html' | 'docx' | 'zip bomb' | 'pdf' | 'json';
  weight: number;
  make: (r: Rng, m: Materials) => Made;
}

const LIE_EXT = ['.docx', '.pdf', '.txt', '.html', '.json', '.doc', ''];

export const FAMILIES: Family[] = [
  // --- empty and tiny ---
  { name: 'empty', group: 'tiny', weight: 1, make: (r) => ({ detail: '0 bytes', ext: r.pick(LIE_EXT), bytes: new Uint8Array(0) }) },
  {
    name: 'tiny',
    group: 'tiny',
    weight: 2,
    make: (r) => {
      const n = r.pick([1, 1, 1, 2, 3]);
      const b = r.chance(0.3) ? latin1(r.pick(['%', 'P', '<', '{', '\uffef', '\xff\xfe', '\xef\xbb\xbf', '%PDF-', 'PK\x03\x04', '{"', '<html>']).slice(0, n + 4)) : r.bytes(n);
      return { detail: `${b.length} byte(s): ${Buffer.from(b).toString('hex')}`, ext: r.pick(LIE_EXT), bytes: b };
    },
  },

  // --- binary junk ---
  {
    name: 'junk-random',
    group: 'junk',
    weight: 3,
    make: (r) => {
      const n = r.logInt(4, 2 * 1024 * 1024);
      return { detail: `${n} random bytes`, ext: r.pick(LIE_EXT), bytes: r.bytes(n) };
    },
  },
  {
    name: 'junk-magic',
    group: 'junk',
    weight: 3,
    make: (r) => {
      const magic = r.pick([
        '%PDF-1.7\n', 'PK\x03\x04', 'PK\x05\x06', '\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1', '\x89PNG\r\n\x1a\n', '\xff\xd8\xff', 'GIF89a', '{\\rtf1', '<html>', '<!DOCTYPE html>', '{', '[',
        '\xef\xbb\xbf', '\xff\xfe', '\xfe\xff', '\x1f\x8b\x08', '7z\xbc\xaf\x27\x1c', 'Rar!\x1a\x07', '%!PS-Adobe-3.0', '<?xml version="1.0"?>', 'MZ', '\x7fELF', 'II*\x00',
      ]);
      const n = r.logInt(1, 256 * 1024);
      return { detail: `magic ${JSON.stringify(magic)} + ${n} random bytes`, ext: r.pick(LIE_EXT), bytes: concat(latin1(magic), r.bytes(n)) };
    },
  },
  {
    name: 'junk-pattern',
    group: 'junk',
    weight: 1,
    make: (r) => {
      const unit = r.bytes(r.int(1, 8));
      const n = r.logInt(16, 4 * 1024 * 1024);
      const b = new Uint8Array(n);
      for (let i = 0; i < n; i++) b[i] = unit[i % unit.length];
      return { detail: `pattern ${Buffer.from(unit).toString('hex')} × ${n} bytes`, ext: r.pick(LIE_EXT), bytes: b };
    },
  },

  // --- text ---
  {
    name: 'text-mutate',
    group: 'text',
    weight: 4,
    make: (r, m) => {
      let t = r.pick(m.texts);
      const edits = r.int(1, 20);
      for (let i = 0; i < edits; i++) {
        const at = r.int(0, t.length);
        const len = r.logInt(1, 500);
        const k = r.int(0, 4);
        if (k === 0) t = t.slice(0, at) + t.slice(at + len);
        else if (k === 1) t = t.slice(0, at) + t.slice(at, at + len).repeat(r.int(2, 50)) + t.slice(at);
        else if (k === 2) t = t.slice(0, at) + randomUnicode(r, r.int(1, 50)) + t.slice(at);
        else if (k === 3) {
          const lines = t.split('\n');
          const a = r.int(0, lines.length - 1);
          const b = r.int(0, lines.length - 1);
          [lines[a], lines[b]] = [lines[b], lines[a]];
          t = lines.join('\n');
        } else t = t.slice(0, at) + r.pick(['\t', '|', ' | ', '\n\n\n', '　', '一、', '（七）总计']) + t.slice(at);
      }
      return { detail: `${edits} text edits`, ext: '.txt', bytes: enc(t) };
    },
  },
  {
    name: 'text-control',
    group: 'text',
    weight: 3,
    make: (r, m) => {
      const rate = r.pick([0.001, 0.005, 0.02, 0.2]);
      let out = '';
      for (const ch of r.pick(m.texts)) out += (r.chance(rate) ? r.pick(CONTROL) : '') + ch;
      return { detail: `control characters at rate ${rate}`, ext: '.txt', bytes: enc(out) };
    },
  },
  {
    name: 'text-numbers',
    group: 'text',
    weight: 4,
    make: (r, m) => {
      const n = r.int(1, 60);
      return { detail: `up to ${n} numbers replaced by hostile numbers`, ext: '.txt', bytes: enc(replaceNumbers(r, r.pick(m.texts), n)) };
    },
  },
  {
    name: 'text-long-line',
    group: 'text',
    weight: 1,
    make: (r) => {
      const unit = r.pick(['报告', '9', '\t', '|', ' ', '1\t', '1|', '一、总体情况', 'a', '（七）总计\t', '　', '&', '<td>']);
      const mb = r.pick([1, 5, 10, 10, 19]);
      const body = unit.repeat(Math.ceil((mb * 1024 * 1024) / Buffer.byteLength(unit)));
      return { detail: `one ${mb} MB line of ${JSON.stringify(unit)}`, ext: '.txt', bytes: enc(body) };
    },
  },
  {
    name: 'text-many-lines',
    group: 'text',
    weight: 1,
    make: (r, m) => {
      const unit = r.pick(['\n', '\r', '\r\n', '1\n', '报\n', '\t\n', '|\n', '一、总体情况\n']);
      const n = r.logInt(10_000, 10_000_000);
      const head = r.chance(0.5) ? r.pick(m.texts) : '';
      return { detail: `${JSON.stringify(unit)} × ${n}`, ext: '.txt', bytes: enc(head + unit.repeat(n)) };
    },
  },
  {
    name: 'text-huge-table',
    group: 'text',
    weight: 2,
    make: (r, m) => {
      const lines = r.pick(m.texts).split('\n');
      const rows = lines.filter((l) => /\d/.test(l) && l.length < 80);
      const n = r.logInt(1_000, 60_000);
      const extra: string[] = [];
      for (let i = 0; i < n; i++) extra.push(r.pick(rows));
      const at = r.int(0, lines.length);
      return { detail: `${n} table rows inserted`, ext: '.txt', bytes: enc([...lines.slice(0, at), ...extra, ...lines.slice(at)].join('\n')) };
    },
  },

  // --- encodings ---
  {
    name: 'encoding',
    group: 'encoding',
    weight: 4,
    make: (r, m) => {
      const text = r.pick(m.texts);
      const gbk = iconv.encode(text, 'gb18030');
      const variant = r.int(0, 11);
      const b = (x: Buffer | Uint8Array) => new Uint8Array(x);
      switch (variant) {
        case 0:
          return { detail: 'GB18030 bytes behind a UTF-8 BOM', ext: '.txt', bytes: concat(latin1('\xef\xbb\xbf'), b(gbk)) };
        case 1:
          return { detail: 'UTF-16LE without BOM', ext: '.txt', bytes: b(iconv.encode(text, 'utf-16le')) };
        case 2:
          return { detail: 'UTF-16BE without BOM', ext: '.txt', bytes: b(iconv.encode(text, 'utf-16be')) };
        case 3: {
          const u = b(iconv.encode(text, 'utf-16le'));
          return { detail: 'UTF-16LE with BOM, odd length (cut in a character)', ext: '.txt', bytes: concat(latin1('\xff\xfe'), u.subarray(0, u.length - 1 - 2 * r.int(0, 10))) };
        }
        case 4: {
          const lines = text.split('\n');
          const mixed = lines.map((l) => (r.chance(0.5) ? b(iconv.encode(l + '\n', 'gb18030')) : enc(l + '\n')));
          return { detail: 'lines alternately UTF-8 and GB18030', ext: '.txt', bytes: concat(...mixed) };
        }
        case 5:
          return { detail: 'UTF-32LE', ext: '.txt', bytes: b(Buffer.from(Array.from(text).flatMap((c) => { const cp = c.codePointAt(0)!; return [cp & 255, (cp >> 8) & 255, (cp >> 16) & 255, 0]; }))) };
        case 6:
          return { detail: 'Big5', ext: '.txt', bytes: b(iconv.encode(text, 'big5')) };
        case 7:
          return { detail: 'Shift_JIS', ext: '.txt', bytes: b(iconv.encode(text, 'shift_jis')) };
        case 8:
          return { detail: 'UTF-8 read as latin1 and saved again as UTF-8 (mojibake)', ext: '.txt', bytes: enc(Buffer.from(text, 'utf8').toString('latin1')) };
        case 9:
          return { detail: 'UTF-16BE with a UTF-16LE BOM', ext: '.txt', bytes: concat(latin1('\xff\xfe'), b(iconv.encode(text, 'utf-16be'))) };
        case 10:
          return { detail: 'GB18030 fixture with flipped bytes', ext: '.txt', bytes: flipBytes(r, m.gb18030, r.int(1, 50)) };
        default:
          return { detail: 'GB18030 with invalid multi-byte sequences', ext: '.txt', bytes: spliceBytes(r, b(gbk), r.int(1, 10)) };
      }
    },
  },

  // --- HTML ---
  {
    name: 'html-mutate',
    group: 'html',
    weight: 3,
    make: (r, m) => {
      const src = r.pick(m.html);
      const k = r.int(0, 3);
      if (k === 0) return { detail: 'HTML cut at a random offset', ext: '.html', bytes: cut(r, src) };
      if (k === 1) return { detail: 'HTML with random byte edits', ext: '.html', bytes: spliceBytes(r, src, r.int(1, 10)) };
      let s = Buffer.from(src).toString('latin1');
      const n = r.int(1, 30);
      for (let i = 0; i < n; i++) {
        const at = r.int(0, s.length);
        s = s.slice(0, at) + r.pick(['<', '>', '</td>', '<td>', '<tr>', '</table>', '<table>', '<!--', '<script>', '<![CDATA[', '&#x110000;', '&#99999999999;', '&nbsp;', '<br>', '"', "'", '<td rowspan=99999 colspan=65535>']) + s.slice(at + r.int(0, 5));
      }
      return { detail: `${n} tag edits`, ext: '.html', bytes: latin1(s) };
    },
  },
  {
    name: 'html-deep',
    group: 'html',
    weight: 2,
    make: (r, m) => {
      const tag = r.pick(NEST_TAGS);
      const depth = r.pick([200, 1000, 5000, 10_000, 10_000, 50_000, 200_000]);
      const closed = r.chance(0.5);
      const inner = r.chance(0.5) ? Buffer.from(r.pick(m.html)).toString('utf8').replace(/^[\s\S]*?<body[^>]*>|<\/body>[\s\S]*$/g, '') : '一、总体情况';
      return { detail: `<${tag}> nested ${depth} levels, ${closed ? 'closed' : 'unclosed'}`, ext: '.html', bytes: enc(deepHtml(tag, depth, closed, inner)) };
    },
  },
  {
    name: 'html-huge-table',
    group: 'html',
    weight: 2,
    make: (r, m) => {
      const rows = r.logInt(1_000, 80_000);
      const cols = r.int(1, 12);
      const page = Buffer.from(m.html[0]).toString('utf8');
      const at = page.indexOf('</body>');
      return { detail: `${rows} × ${cols} table in the page`, ext: '.html', bytes: enc(page.slice(0, at) + tableHtml(r, rows, cols) + page.slice(at)) };
    },
  },
  {
    name: 'html-encoding',
    group: 'html',
    weight: 2,
    make: (r, m) => {
      const utf8 = Buffer.from(m.html[0]).toString('utf8');
      const gbkPage = Buffer.from(m.html[1]);
      const k = r.int(0, 5);
      if (k === 0) return { detail: 'GBK page declared UTF-8', ext: '.html', bytes: new Uint8Array(Buffer.from(gbkPage.toString('latin1').replace(/charset=["']?[\w-]+/gi, 'charset=utf-8'), 'latin1')) };
      if (k === 1) return { detail: 'UTF-8 page declared GBK', ext: '.html', bytes: enc(utf8.replace(/<head>/i, '<head><meta charset="gbk">').replace(/charset=["']?utf-8/gi, 'charset=gbk')) };
      const cs = r.pick(['utf-7', 'x-user-defined', 'utf-32', 'unicode', 'ucs-2', 'binary', 'base64', 'utf-16', 'iso-2022-jp', 'hz-gb-2312', 'x'.repeat(5000), 'ebcdic-cp-us', 'cp037', 'koi8-r']);
      if (k <= 3) return { detail: `UTF-8 page declared ${cs.slice(0, 20)}`, ext: '.html', bytes: enc(utf8.replace(/<head>/i, `<head><meta charset="${cs}">`)) };
      if (k === 4) return { detail: 'UTF-16LE page without BOM', ext: '.html', bytes: new Uint8Array(iconv.encode(utf8, 'utf-16le')) };
      return { detail: 'many conflicting meta charsets', ext: '.html', bytes: enc(utf8.replace(/<head>/i, '<head>' + '<meta charset="gbk"><meta http-equiv="Content-Type" content="text/html; charset=big5">'.repeat(r.int(1, 500)))) };
    },
  },
  {
    name: 'html-entities',
    group: 'html',
    weight: 1,
    make: (r) => {
      const k = r.int(0, 5);
      const n = r.logInt(1_000, 2_000_000);
      const body =
        k === 0 ? '&nbsp;'.repeat(n)
        : k === 1 ? '&#x110000;&#99999999999;&#0;&#xD800;'.repeat(Math.ceil(n / 4))
        : k === 2 ? `<div title="${'x'.repeat(n * 4)}">一、总体情况</div>`
        : k === 3 ? `<script>${'x'.repeat(n)}` // unclosed script: the rest of the page is script
        : k === 4 ? `<!--${'-'.repeat(n)}` // unclosed comment
        : '<br>'.repeat(n);
      return { detail: `entities/markup variant ${k}, n=${n}`, ext: '.html', bytes: enc(`<html><body><p>报告</p>${body}</body></html>`) };
    },
  },

  // --- DOCX ---
  {
    name: 'docx-bitflip',
    group: 'docx',
    weight: 4,
    make: (r, m) => {
      const src = r.pick(m.docx);
      const n = r.logInt(1, 64);
      return { detail: `${n} byte flips`, ext: '.docx', bytes: flipBytes(r, src, n) };
    },
  },
  {
    name: 'docx-truncate',
    group: 'docx',
    weight: 3,
    make: (r, m) => {
      const src = r.pick(m.docx);
      const b = r.chance(0.3) ? concat(cut(r, src), r.bytes(r.int(0, 64))) : cut(r, src);
      return { detail: `cut to ${b.length} of ${src.length} bytes`, ext: '.docx', bytes: b };
    },
  },
  {
    name: 'docx-bad-xml',
    group: 'docx',
    weight: 4,
    make: (r, m) => {
      const xml = m.documentXml;
      const k = r.int(0, 11);
      let doc: string | Uint8Array;
      let detail: string;
      switch (k) {
        case 0:
          doc = xml.slice(0, r.int(0, xml.length));
          detail = 'document.xml cut';
          break;
        case 1:
          doc = r.bytes(r.logInt(1, 100_000));
          detail = 'document.xml of random bytes';
          break;
        case 2:
          doc = new Uint8Array(iconv.encode(xml, 'gb18030'));
          detail = 'document.xml in GB18030 (not UTF-8)';
          break;
        case 3:
          doc = `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "报告报告报告报告"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;">]>${wrapBody('<w:p><w:r><w:t>&d;&d;&d;&d;</w:t></w:r></w:p>')}`;
          detail = 'entity expansion (billion laughs)';
          break;
        case 4: {
          const d = r.pick([1000, 10_000, 100_000]);
          doc = wrapBody('<w:tbl><w:tr><w:tc>'.repeat(d) + '<w:p><w:r><w:t>报告</w:t></w:r></w:p>' + (r.chance(0.5) ? '</w:tc></w:tr></w:tbl>'.repeat(d) : ''));
          detail = `tables nested ${d} deep`;
          break;
        }
        case 5: {
          const rows = r.logInt(1_000, 60_000);
          const row = '<w:tr><w:tc><w:p><w:r><w:t>（七）总计</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc></w:tr>';
          doc = wrapBody(`<w:tbl>${row.repeat(rows)}</w:tbl>`);
          detail = `table of ${rows} rows`;
          break;
        }
        case 6: {
          const mb = r.pick([1, 5, 10]);
          const unit = r.pick(['报告', '<w:tab/>', '1', '<w:br/>', '&amp;']);
          doc = wrapBody(`<w:p><w:r><w:t>${unit.repeat(Math.ceil((mb << 20) / unit.length))}</w:t></w:r></w:p>`);
          detail = `${mb} MB run of ${unit}`;
          break;
        }
        case 7: {
          let s = xml;
          const n = r.int(1, 40);
          for (let i = 0; i < n; i++) {
            const at = r.int(0, s.length);
            s = s.slice(0, at) + r.pick(['<', '>', '</w:tc>', '<w:tc>', '</w:tbl>', '<w:tbl>', '<w:tr>', '<![CDATA[', '&#x110000;', '&#99999999999;', '<w:vMerge/>', '<w:del>', '"', '<w:t>', '</w:p>']) + s.slice(at + r.int(0, 8));
          }
          doc = s;
          detail = `${n} XML edits`;
          break;
        }
        case 8:
          doc = replaceNumbers(r, xml.replace(/<w:t([^>]*)>(\d+)<\/w:t>/g, (_a, at: string, d: string) => `<w:t${at}>\t${d}\t</w:t>`), 40);
          detail = 'hostile numbers in cells';
          break;
        case 9:
          doc = xml.replace(/<w:t([^>]*)>/g, (a) => (r.chance(0.05) ? a + r.pick(CONTROL) : a));
          detail = 'control characters in runs';
          break;
        case 10:
          doc = wrapBody('');
          detail = 'empty body';
          break;
        default:
          doc = `<html><body>${'<p>not word</p>'.repeat(r.int(1, 1000))}</body></html>`;
          detail = 'HTML inside a DOCX';
      }
      return { detail, ext: '.docx', bytes: docxOf(doc) };
    },
  },
  {
    name: 'docx-missing-part',
    group: 'docx',
    weight: 1,
    make: (r, m) => {
      const k = r.int(0, 3);
      const body = strToU8(m.documentXml);
      if (k === 0) return { detail: 'no word/document.xml', ext: '.docx', bytes: zipSync({ '[Content_Types].xml': CONTENT_TYPES, 'word/styles.xml': strToU8('<w:styles/>') }) };
      if (k === 1) return { detail: 'Word/Document.xml (wrong case)', ext: '.docx', bytes: zipSync({ '[Content_Types].xml': CONTENT_TYPES, 'Word/Document.xml': body }) };
      if (k === 2) return { detail: 'word/document.xml is a directory entry', ext: '.docx', bytes: zipSync({ 'word/document.xml/': {}, 'word/x.xml': body } as Zippable) };
      return { detail: 'only [Content_Types].xml', ext: '.docx', bytes: zipSync({ '[Content_Types].xml': CONTENT_TYPES }) };
    },
  },
  {
    name: 'docx-synthetic',
    group: 'docx',
    weight: 2,
    make: (r, m) => {
      const text = replaceNumbers(r, r.pick(m.texts), r.int(0, 10));
      return { detail: 'text fixture as a real DOCX, some numbers replaced', ext: '.docx', bytes: docxOf(textToDocumentXml(text)) };
    },
  },
  {
    name: 'docx-zip-structure',
    group: 'docx',
    weight: 3,
    make: (r, m) => {
      const src = new Uint8Array(r.pick(m.docx));
      const centrals = records(src, CENTRAL);
      const locals = records(src, LOCAL);
      const eocd = records(src, EOCD).pop()!;
      const c = r.pick(centrals);
      const l = r.pick(locals);
      const k = r.int(0, 11);
      const details = [
        'compression method 99 (AES) in the central directory', 'encrypted flag set', 'local header offset beyond the file', 'compressed size beyond the file', 'stored method with deflated data',
        'entry count 0xffff (zip64 marker)', 'central directory offset beyond the file', 'name length overflows the directory', 'local header name length huge', 'EOCD comment length lies',
        'two EOCD records', 'uncompressed size 0',
      ];
      switch (k) {
        case 0: setU16(src, c + 10, 99); break;
        case 1: setU16(src, c + 8, 1); break;
        case 2: setU32(src, c + 42, 0x7ffffff0); break;
        case 3: setU32(src, c + 20, 0x7ffffff0); break;
        case 4: setU16(src, c + 10, 0); setU16(src, l + 8, 0); break;
        case 5: setU16(src, eocd + 8, 0xffff); setU16(src, eocd + 10, 0xffff); break;
        case 6: setU32(src, eocd + 16, 0xfffffff0); break;
        case 7: setU16(src, c + 28, 0xffff); break;
        case 8: setU16(src, l + 26, 0xffff); break;
        case 9: setU16(src, eocd + 20, 0xffff); break;
        case 10: return { detail: details[k], ext: '.docx', bytes: concat(src, src.subarray(eocd)) };
        default: for (const x of centrals) setU32(src, x + 24, 0);
      }
      return { detail: details[k], ext: '.docx', bytes: src };
    },
  },

  // --- zip bombs ---
  {
    name: 'bomb-ratio',
    group: 'zip bomb',
    weight: 1,
    make: (r) => {
      const mb = r.pick([2, 8, 45, 60]);
      const fill = r.pick(['zeros', 'xml']);
      const bytes = cached(`ratio-${mb}-${fill}`, () => {
        const big = fill === 'zeros' ? new Uint8Array(mb << 20) : strToU8(wrapBody('<w:p><w:r><w:t>报告</w:t></w:r></w:p>'.repeat(Math.ceil((mb << 20) / 40))));
        return docxOf(big);
      });
      return { detail: `honest sizes, ${mb} MB of ${fill}, ${bytes.length} bytes compressed`, ext: '.docx', bytes };
    },
  },
  {
    name: 'bomb-lying-size',
    group: 'zip bomb',
    weight: 1,
    make: (r) => {
      const mb = r.pick([8, 45, 60]);
      const honest = cached(`ratio-${mb}-zeros`, () => docxOf(new Uint8Array(mb << 20)));
      const lie = r.pick([0, 1, 4000, 500_000, 50 * 1024 * 1024]);
      const out = new Uint8Array(honest);
      for (const c of records(out, CENTRAL)) setU32(out, c + 24, lie);
      for (const l of records(out, LOCAL)) setU32(out, l + 22, lie);
      if (r.chance(0.5)) for (const c of records(out, CENTRAL)) setU32(out, c + 20, Math.max(1, Math.floor(lie / 100)));
      return { detail: `${mb} MB inflated, declared ${lie} bytes`, ext: '.docx', bytes: out };
    },
  },
  {
    name: 'bomb-entries',
    group: 'zip bomb',
    weight: 1,
    make: (r) => {
      const n = r.pick([1_999, 2_001, 10_000, 65_534]);
      const bytes = cached(`entries-${n}`, () => {
        const files: Zippable = { 'word/document.xml': strToU8(wrapBody('<w:p><w:r><w:t>报告</w:t></w:r></w:p>')) };
        for (let i = 0; i < n; i++) files[`word/media/${i}.bin`] = new Uint8Array(0);
        return zipSync(files, { level: 0 });
      });
      return { detail: `${n} entries`, ext: '.docx', bytes };
    },
  },
  {
    name: 'bomb-nested',
    group: 'zip bomb',
    weight: 1,
    make: (r, m) => {
      const levels = r.int(1, 6);
      let inner = cached('ratio-8-zeros', () => docxOf(new Uint8Array(8 << 20)));
      for (let i = 0; i < levels; i++) inner = zipSync({ [`layer${i}.zip`]: inner }, { level: 0 });
      const k = r.int(0, 2);
      if (k === 0) return { detail: `a zip of zips, ${levels} levels`, ext: '.docx', bytes: inner };
      if (k === 1) return { detail: `document.xml is itself a zip, ${levels} levels`, ext: '.docx', bytes: docxOf(inner) };
      return { detail: `a real DOCX with a ${levels}-level nested zip attached`, ext: '.docx', bytes: zipSync({ ...unzipAll(m.docx[0]), 'word/embeddings/x.zip': inner }) };
    },
  },
  {
    name: 'bomb-overlap',
    group: 'zip bomb',
    weight: 1,
    make: (r) => {
      const copies = r.pick([2, 100, 1999, 5000, 65_535]);
      const size = r.pick([1 << 20, 10 << 20]);
      const bytes = cached(`overlap-${copies}-${size}`, () => overlapBomb(new Uint8Array(size), copies));
      return { detail: `${copies} directory entries over one ${size >> 20} MB local file`, ext: '.docx', bytes };
    },
  },

  // --- PDF ---
  {
    name: 'pdf-truncate',
    group: 'pdf',
    weight: 3,
    make: (r, m) => {
      const src = r.pick(m.pdf);
      const b = cut(r, src);
      return { detail: `cut to ${b.length} of ${src.length} bytes`, ext: '.pdf', bytes: r.chance(0.3) ? concat(b, latin1('\n%%EOF\n')) : b };
    },
  },
  {
    name: 'pdf-bitflip',
    group: 'pdf',
    weight: 3,
    make: (r, m) => {
      const src = r.pick(m.pdf);
      const n = r.logInt(1, 200);
      return r.chance(0.5)
        ? { detail: `${n} byte flips`, ext: '.pdf', bytes: flipBytes(r, src, n) }
        : { detail: `${Math.ceil(n / 20)} byte splices`, ext: '.pdf', bytes: spliceBytes(r, src, Math.ceil(n / 20)) };
    },
  },
  {
    name: 'pdf-xref',
    group: 'pdf',
    weight: 2,
    make: (r, m) => {
      const s = Buffer.from(r.pick(m.pdf)).toString('latin1');
      const k = r.int(0, 5);
      let out: string;
      let detail: string;
      if (k === 0) { out = s.replace(/startxref\s+\d+/g, `startxref\n${r.pick(['0', '999999999', '-1', '1e308', 'abc'])}`); detail = 'startxref points nowhere'; }
      else if (k === 1) { out = s.replace(/\d{10} \d{5} n/g, (x) => (r.chance(0.3) ? `${String(r.int(0, 9_999_999_999)).padStart(10, '0')} 00000 n` : x)); detail = 'xref offsets randomised'; }
      else if (k === 2) { out = s.replace(/xref[\s\S]*?trailer/g, 'trailer'); detail = 'xref table removed'; }
      else if (k === 3) { out = s.replace(/\/Size \d+/g, '/Size 2147483647'); detail = 'trailer /Size 2^31-1'; }
      else if (k === 4) { out = s.replace(/trailer\s*<</g, `trailer\n<< /Prev ${s.lastIndexOf('startxref')}`); detail = '/Prev loops'; }
      else { out = s.replace(/\/Length \d+/g, () => `/Length ${r.pick(['0', '999999999', '-5', '1 0 R', '99 0 R'])}`); detail = 'stream /Length lies'; }
      return { detail, ext: '.pdf', bytes: latin1(out) };
    },
  },
  {
    name: 'pdf-synthetic',
    group: 'pdf',
    weight: 3,
    make: (r, m) => {
      const k = r.int(0, 11);
      const lines = r.pick(m.texts).split('\n').slice(0, 60);
      switch (k) {
        case 0:
          return { detail: 'random content stream', ext: '.pdf', bytes: onePagePdf(latin1(randomContent(r, r.logInt(1, 20_000)))) };
        case 1:
          return { detail: 'random bytes as a FlateDecode stream', ext: '.pdf', bytes: onePagePdf(r.bytes(r.logInt(1, 100_000)), '/Filter /FlateDecode') };
        case 2:
          return { detail: 'valid deflate of random content', ext: '.pdf', bytes: onePagePdf(deflateSync(latin1(randomContent(r, 5000))), '/Filter /FlateDecode') };
        case 3:
          return {
            detail: 'page tree loop (Kids point back to the root)',
            ext: '.pdf',
            bytes: buildPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>', '<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 3 0 R] /Count 1 >>']),
          };
        case 4: {
          const count = r.pick([0, -1, 100_000, 2147483647]);
          return { detail: `/Count ${count} lies`, ext: '.pdf', bytes: buildPdf(['<< /Type /Catalog /Pages 2 0 R >>', `<< /Type /Pages /Kids [3 0 R] /Count ${count} >>`, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>']) };
        }
        case 5: {
          const d = r.pick([1000, 10_000, 100_000]);
          return { detail: `array nested ${d} deep`, ext: '.pdf', bytes: buildPdf([`<< /Type /Catalog /Pages 2 0 R /X ${'['.repeat(d)}${']'.repeat(d)} >>`, '<< /Type /Pages /Kids [] /Count 0 >>']) };
        }
        case 6: {
          const d = r.pick([1000, 10_000]);
          return { detail: `dictionary nested ${d} deep`, ext: '.pdf', bytes: buildPdf([`<< /Type /Catalog /Pages 2 0 R /X ${'<< /A '.repeat(d)}1${' >>'.repeat(d)} >>`, '<< /Type /Pages /Kids [] /Count 0 >>']) };
        }
        case 7:
          return { detail: 'ASCII text of a fixture with hostile numbers', ext: '.pdf', bytes: onePagePdf(latin1(textOps(lines.map((l) => replaceNumbers(r, l, 3))))) };
        case 8: {
          const n = r.pick([10_000, 60_000, 250_000]);
          return { detail: `${n} Tj on one page`, ext: '.pdf', bytes: onePagePdf(latin1(`BT /F1 1 Tf ${'(1) Tj 0 1 Td '.repeat(n)}ET`)) };
        }
        case 9: {
          const n = r.pick([51, 300, 3000]);
          const bodies: string[] = ['<< /Type /Catalog /Pages 2 0 R >>', `<< /Type /Pages /Kids [${Array.from({ length: n }, (_, i) => `${i + 3} 0 R`).join(' ')}] /Count ${n} >>`];
          for (let i = 0; i < n; i++) bodies.push('<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>');
          return { detail: `${n} empty pages`, ext: '.pdf', bytes: buildPdf(bodies) };
        }
        case 10:
          return { detail: 'object references itself as its stream length', ext: '.pdf', bytes: buildPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /Contents 4 0 R /MediaBox [0 0 1e308 1e308] >>', streamObj(latin1('BT ET'), '', '4 0 R')]) };
        default:
          return { detail: 'huge and NaN numbers in text matrices', ext: '.pdf', bytes: onePagePdf(latin1(`BT /F1 1e308 Tf 1e308 0 0 1e308 NaN -1e308 Tm (1234567890 report) Tj 1 0 0 1 50 700 Tm ${pdfString(lines[0] ?? 'x')} Tj ET`)) };
      }
    },
  },

  // --- JSON ---
  {
    name: 'json-proto',
    group: 'json',
    weight: 2,
    make: (r, m) => {
      let s = r.pick(m.json);
      const n = r.int(1, 5);
      for (let i = 0; i < n; i++) {
        const key = r.pick(PROTO_KEYS);
        const payload = r.pick([`{"polluted": "yes"}`, `{"prototype": {"polluted": "yes"}}`, '"x"', '1', 'null', `{"raw":"1","kind":"number","value":1}`]);
        const k = r.int(0, 3);
        if (k === 0) s = s.replace(/^\s*\{/, `{"${key}": ${payload},`);
        else if (k === 1) s = s.replace(/"table3":\s*\{/, `"table3": {"${key}": ${payload},`);
        else if (k === 2) s = s.replace(/"（七）总计":\s*\{/, `"（七）总计": {"${key}": ${payload},`);
        else s = s.replace(/"（七）总计"/, `"${key}"`);
      }
      return { detail: `${n} prototype-pollution keys`, ext: '.json', bytes: enc(s) };
    },
  },
  {
    name: 'json-wrong-types',
    group: 'json',
    weight: 3,
    make: (r, m) => {
      const root = JSON.parse(r.pick(m.json)) as Json;
      const all = paths(root);
      const n = r.int(1, 8);
      let v = root;
      for (let i = 0; i < n; i++) v = setAt(v, r.pick(all), r.pick(WRONG_VALUES));
      return { detail: `${n} values replaced by wrong types`, ext: '.json', bytes: enc(JSON.stringify(v)) };
    },
  },
  {
    name: 'json-numbers',
    group: 'json',
    weight: 2,
    make: (r, m) => {
      const numeric = ['1e308', '1e309', '-1e309', '9'.repeat(400), '-0', '1e-400', '0.1e-5', '9007199254740993', '1.5', '-3'];
      const s = r.pick(m.json).replace(/"value":\s*(\d+)/g, (a) => (r.chance(0.2) ? `"value": ${r.pick(numeric)}` : a));
      return { detail: 'cell values replaced by hostile number literals', ext: '.json', bytes: enc(r.chance(0.2) ? s.replace(/"value": \d+/, '"value": NaN') : s) };
    },
  },
  {
    name: 'json-deep',
    group: 'json',
    weight: 1,
    make: (r) => {
      const d = r.pick([1000, 10_000, 100_000, 1_000_000]);
      const k = r.int(0, 2);
      const s = k === 0 ? '['.repeat(d) + ']'.repeat(d) : k === 1 ? '{"a":'.repeat(d) + '1' + '}'.repeat(d) : `{"table3": ${'{"x":'.repeat(d)}1${'}'.repeat(d)}}`;
      return { detail: `${k === 0 ? 'arrays' : 'objects'} nested ${d} deep`, ext: '.json', bytes: enc(s) };
    },
  },
  {
    name: 'json-huge',
    group: 'json',
    weight: 1,
    make: (r, m) => {
      const root = JSON.parse(r.pick(m.json)) as Record<string, Json>;
      const k = r.int(0, 2);
      if (k === 0) {
        const rows = r.logInt(1000, 100_000);
        const t = (root.table3 ?? {}) as Record<string, Json>;
        for (let i = 0; i < rows; i++) t[`行${i}`] = { 总计: { raw: String(i), kind: 'number', value: i } };
        root.table3 = t;
        return { detail: `${rows} extra rows in table3`, ext: '.json', bytes: enc(JSON.stringify(root)) };
      }
      if (k === 1) {
        root.title = '报'.repeat(r.pick([1 << 20, 6 << 20]));
        return { detail: 'multi-MB title', ext: '.json', bytes: enc(JSON.stringify(root)) };
      }
      const sections = root.sections as Json[];
      const n = r.logInt(1000, 200_000);
      for (let i = 0; i < n; i++) sections.push({ ordinal: 1, heading: '一、总体情况', numbering: 'chinese', text: 'x' });
      return { detail: `${n} extra sections`, ext: '.json', bytes: enc(JSON.stringify(root)) };
    },
  },
];

function unzipAll(zip: Uint8Array): Zippable {
  return unzipSync(zip);
}

/** Family index per slot: each family `weight` times, interleaved. */
const SCHEDULE: number[] = (() => {
  const out: number[] = [];
  const max = Math.max(...FAMILIES.map((f) => f.weight));
  for (let round = 0; round < max; round++) FAMILIES.forEach((f, i) => round < f.weight && out.push(i));
  return out;
})();

export const SCHEDULE_LENGTH = SCHEDULE.length;

export interface FuzzCase {
  seed: number;
  index: number;
  family: string;
  group: Family['group'];
  detail: string;
  /** What the office named the file (the extension may lie). */
  fileName: string;
  /** Extension used in the object key, as the upload ticket would have chosen it. */
  ext: string;
  bytes: Uint8Array;
}

export function generateCase(seed: number, index: number): FuzzCase {
  const family = FAMILIES[SCHEDULE[index % SCHEDULE.length]];
  const r = new Rng(seed, index);
  const made = family.make(r, loadMaterials());
  const ext = /^\.[a-z0-9]{1,5}$/.test(made.ext) ? made.ext : '.txt';
  return { seed, index, family: family.name, group: family.group, detail: made.detail, fileName: `fuzz-${index}${made.ext}`, ext, bytes: made.bytes };
}
