/**
 * A TrueType subset for embedding in a PDF (FontFile2 of a CIDFontType2 with CIDToGIDMap Identity): the
 * glyphs a document used, numbered in order of first use, with only the tables a PDF font program needs
 * (head, hhea, maxp, loca, glyf, hmtx, and the font's cvt/fpgm/prep if it has them).
 *
 * Replaces fontkit's TTFSubset, which decodes every glyph's outline just to see whether it is composite and
 * always writes the long loca format: here glyph bytes are copied straight from the font file (composite
 * glyphs get their component ids renumbered) and loca is short whenever the glyph data allows.
 */

interface Table {
  offset: number;
  length: number;
}

/** The parts of the font file a subset reads, parsed once per process. */
export class TtfSource {
  readonly tables = new Map<string, Table>();
  readonly numGlyphs: number;
  readonly unitsPerEm: number;
  private readonly longLoca: boolean;
  private readonly numberOfHMetrics: number;
  /** Simple glyphs re-encoded on the coarser grid (see `coarseGlyph`), per original glyph id. */
  private readonly coarse = new Map<number, Buffer>();

  constructor(readonly bytes: Buffer) {
    const n = bytes.readUInt16BE(4);
    for (let i = 0; i < n; i++) {
      const rec = 12 + 16 * i;
      this.tables.set(bytes.toString('latin1', rec, rec + 4), { offset: bytes.readUInt32BE(rec + 8), length: bytes.readUInt32BE(rec + 12) });
    }
    for (const tag of ['head', 'hhea', 'maxp', 'loca', 'glyf', 'hmtx']) if (!this.tables.has(tag)) throw new Error(`not a TrueType font: no ${tag} table`);
    this.numGlyphs = bytes.readUInt16BE(this.table('maxp').offset + 4);
    this.longLoca = bytes.readInt16BE(this.table('head').offset + 50) === 1;
    this.numberOfHMetrics = bytes.readUInt16BE(this.table('hhea').offset + 34);
    this.unitsPerEm = bytes.readUInt16BE(this.table('head').offset + 18);
  }

  /**
   * The glyph with every coordinate divided by 2 (rounded), for a font of half the units per em: the same
   * outline within 1/1000 em (0.01 pt at 10.5 pt), in fewer and more compressible bytes (smaller deltas
   * fit the one-byte forms). Cached: a pure function of the glyph.
   */
  coarseGlyph(gid: number): Buffer {
    let out = this.coarse.get(gid);
    if (!out) {
      const g = this.glyph(gid);
      out = g.length >= 12 && g.readInt16BE(0) > 0 ? halveSimpleGlyph(g) : g;
      this.coarse.set(gid, out);
    }
    return out;
  }

  table(tag: string): Table {
    return this.tables.get(tag)!;
  }

  slice(tag: string): Buffer {
    const t = this.table(tag);
    return this.bytes.subarray(t.offset, t.offset + t.length);
  }

  /** The glyph's bytes in glyf (empty for a glyph without outline). */
  glyph(gid: number): Buffer {
    const loca = this.table('loca').offset;
    const [a, b] = this.longLoca
      ? [this.bytes.readUInt32BE(loca + 4 * gid), this.bytes.readUInt32BE(loca + 4 * gid + 4)]
      : [2 * this.bytes.readUInt16BE(loca + 2 * gid), 2 * this.bytes.readUInt16BE(loca + 2 * gid + 2)];
    const glyf = this.table('glyf').offset;
    return this.bytes.subarray(glyf + a, glyf + b);
  }

  /** Advance width and left side bearing (font units). */
  metrics(gid: number): [number, number] {
    const hmtx = this.table('hmtx').offset;
    const n = this.numberOfHMetrics;
    if (gid < n) return [this.bytes.readUInt16BE(hmtx + 4 * gid), this.bytes.readInt16BE(hmtx + 4 * gid + 2)];
    return [this.bytes.readUInt16BE(hmtx + 4 * (n - 1)), this.bytes.readInt16BE(hmtx + 4 * n + 2 * (gid - n))];
  }
}

// Composite glyph component flags (OpenType glyf table).
const ARG_1_AND_2_ARE_WORDS = 0x0001;
const WE_HAVE_A_SCALE = 0x0008;
const MORE_COMPONENTS = 0x0020;
const WE_HAVE_AN_X_AND_Y_SCALE = 0x0040;
const WE_HAVE_A_TWO_BY_TWO = 0x0080;

export class TtfSubset {
  /** Original glyph ids in subset order; index = new glyph id (= CID). Glyph 0 (.notdef) always first. */
  readonly glyphs: number[] = [0];
  private readonly mapping = new Map<number, number>([[0, 0]]);

  /**
   * `halve`: write the outlines on a grid of half the font's units per em (TtfSource.coarseGlyph) — only
   * for fonts of 1000 or more units per em, so the error stays within 1/1000 em. Lossy, so off by default
   * and off in the canonical PDF (an official record keeps the font's exact outlines); it made the font
   * program about a tenth smaller (bench/results/fixes.md, item 4).
   */
  constructor(
    private readonly source: TtfSource,
    private readonly halve = false,
  ) {
    if (halve && source.unitsPerEm < 1000) this.halve = false;
  }

  /** The subset's glyph id for an original glyph id, adding it on first use. */
  includeGlyph(gid: number): number {
    let id = this.mapping.get(gid);
    if (id === undefined) {
      id = this.glyphs.length;
      this.glyphs.push(gid);
      this.mapping.set(gid, id);
    }
    return id;
  }

  encode(): Buffer {
    const src = this.source;
    const parts: Buffer[] = [];
    const offsets: number[] = [];
    let size = 0;
    // The list grows while composite glyphs add their components.
    for (let i = 0; i < this.glyphs.length; i++) {
      let g = this.halve ? src.coarseGlyph(this.glyphs[i]) : src.glyph(this.glyphs[i]);
      if (g.length >= 10 && g.readInt16BE(0) < 0) g = this.renumberComponents(g);
      offsets.push(size);
      parts.push(g);
      size += g.length;
      // Even offsets, so that the short loca format (offset / 2) can be used.
      if (g.length % 2) {
        parts.push(Buffer.alloc(1));
        size += 1;
      }
    }
    offsets.push(size);
    const n = this.glyphs.length;
    const short = size / 2 <= 0xffff;
    const loca = Buffer.alloc(short ? 2 * (n + 1) : 4 * (n + 1));
    offsets.forEach((o, i) => (short ? loca.writeUInt16BE(o / 2, 2 * i) : loca.writeUInt32BE(o, 4 * i)));
    const hmtx = Buffer.alloc(4 * n);
    this.glyphs.forEach((gid, i) => {
      const [adv, lsb] = src.metrics(gid);
      const g = this.halve ? src.coarseGlyph(gid) : null;
      hmtx.writeUInt16BE(this.halve ? half(adv) : adv, 4 * i);
      // With outlines, the left side bearing is the glyph's xMin (on the halved grid: the halved glyph's).
      hmtx.writeInt16BE(!this.halve ? lsb : g && g.length >= 10 && g.readInt16BE(0) > 0 ? g.readInt16BE(2) : half(lsb), 4 * i + 2);
    });
    const head = Buffer.from(src.slice('head'));
    head.writeUInt32BE(0, 8); // checkSumAdjustment, set below
    head.writeInt16BE(short ? 0 : 1, 50);
    const hhea = Buffer.from(src.slice('hhea'));
    hhea.writeUInt16BE(n, 34);
    if (this.halve) {
      head.writeUInt16BE(src.unitsPerEm / 2, 18);
      for (let o = 36; o <= 42; o += 2) head.writeInt16BE(half(head.readInt16BE(o)), o); // font bbox
      for (const o of [4, 6, 8, 12, 14, 16]) hhea.writeInt16BE(half(hhea.readInt16BE(o)), o); // ascender … xMaxExtent
      hhea.writeUInt16BE(half(hhea.readUInt16BE(10)), 10); // advanceWidthMax
    }
    const maxp = Buffer.from(src.slice('maxp'));
    maxp.writeUInt16BE(n, 4);
    const tables: Array<[string, Buffer]> = [
      ['glyf', Buffer.concat(parts, size)],
      ['head', head],
      ['hhea', hhea],
      ['hmtx', hmtx],
      ['loca', loca],
      ['maxp', maxp],
    ];
    for (const tag of ['cvt ', 'fpgm', 'prep']) if (src.tables.has(tag)) tables.push([tag, src.slice(tag)]);
    tables.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const { font, sum } = sfnt(tables);
    font.writeUInt32BE((0xb1b0afba - sum) >>> 0, tableOffset(font, 'head') + 8);
    return font;
  }

  private renumberComponents(glyph: Buffer): Buffer {
    const g = Buffer.from(glyph);
    let p = 10;
    for (;;) {
      const flags = g.readUInt16BE(p);
      g.writeUInt16BE(this.includeGlyph(g.readUInt16BE(p + 2)), p + 2);
      p += 4 + (flags & ARG_1_AND_2_ARE_WORDS ? 4 : 2);
      if (flags & WE_HAVE_A_SCALE) p += 2;
      else if (flags & WE_HAVE_AN_X_AND_Y_SCALE) p += 4;
      else if (flags & WE_HAVE_A_TWO_BY_TWO) p += 8;
      if (!(flags & MORE_COMPONENTS)) return g;
    }
  }
}

const half = (v: number) => Math.round(v / 2);

// Simple glyph point flags (OpenType glyf table).
const ON_CURVE = 0x01;
const X_SHORT = 0x02;
const Y_SHORT = 0x04;
const REPEAT = 0x08;
const X_SAME_OR_POSITIVE = 0x10;
const Y_SAME_OR_POSITIVE = 0x20;
const OVERLAP_SIMPLE = 0x40;

/** A simple glyph with its coordinates halved and rounded, bounding box recomputed, re-encoded compactly. */
export function halveSimpleGlyph(g: Buffer): Buffer {
  const contours = g.readInt16BE(0);
  let p = 10;
  const endPts: number[] = [];
  for (let i = 0; i < contours; i++, p += 2) endPts.push(g.readUInt16BE(p));
  const instructions = g.subarray(p + 2, p + 2 + g.readUInt16BE(p));
  p += 2 + instructions.length;
  const count = endPts[contours - 1] + 1;
  const flags = new Uint8Array(count);
  for (let i = 0; i < count; ) {
    const f = g[p++];
    flags[i++] = f;
    if (f & REPEAT) for (let r = g[p++]; r > 0; r--) flags[i++] = f;
  }
  const read = (short: number, same: number) => {
    const out = new Int32Array(count);
    let v = 0;
    for (let i = 0; i < count; i++) {
      const f = flags[i];
      if (f & short) v += f & same ? g[p++] : -g[p++];
      else if (!(f & same)) {
        v += g.readInt16BE(p);
        p += 2;
      }
      out[i] = v;
    }
    return out;
  };
  const xs = read(X_SHORT, X_SAME_OR_POSITIVE).map(half);
  const ys = read(Y_SHORT, Y_SAME_OR_POSITIVE).map(half);

  const outFlags: number[] = [];
  const xBytes: number[] = [];
  const yBytes: number[] = [];
  const delta = (d: number, bytes: number[], short: number, same: number): number => {
    if (d === 0) return same;
    if (d > -256 && d < 256) {
      bytes.push(Math.abs(d));
      return short | (d > 0 ? same : 0);
    }
    bytes.push((d >> 8) & 0xff, d & 0xff);
    return 0;
  };
  for (let i = 0; i < count; i++) {
    let f = (flags[i] & ON_CURVE) | (i === 0 ? flags[0] & OVERLAP_SIMPLE : 0);
    f |= delta(xs[i] - (i ? xs[i - 1] : 0), xBytes, X_SHORT, X_SAME_OR_POSITIVE);
    f |= delta(ys[i] - (i ? ys[i - 1] : 0), yBytes, Y_SHORT, Y_SAME_OR_POSITIVE);
    outFlags.push(f);
  }
  const packed: number[] = [];
  for (let i = 0; i < count; ) {
    let j = i;
    while (j + 1 < count && outFlags[j + 1] === outFlags[i] && j - i < 255) j++;
    if (j > i) packed.push(outFlags[i] | REPEAT, j - i);
    else packed.push(outFlags[i]);
    i = j + 1;
  }
  const size = 10 + 2 * contours + 2 + instructions.length + packed.length + xBytes.length + yBytes.length;
  const out = Buffer.alloc(size);
  out.writeInt16BE(contours, 0);
  out.writeInt16BE(Math.min(...xs), 2);
  out.writeInt16BE(Math.min(...ys), 4);
  out.writeInt16BE(Math.max(...xs), 6);
  out.writeInt16BE(Math.max(...ys), 8);
  let o = 10;
  for (const e of endPts) o = out.writeUInt16BE(e, o);
  o = out.writeUInt16BE(instructions.length, o);
  o += instructions.copy(out, o);
  for (const b of [...packed, ...xBytes, ...yBytes]) out[o++] = b;
  return out;
}

function checksum(b: Buffer): number {
  let sum = 0;
  const whole = b.length & ~3;
  const view = new DataView(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < whole; i += 4) sum = (sum + view.getUint32(i)) >>> 0;
  if (whole < b.length) {
    const tail = Buffer.alloc(4);
    b.copy(tail, 0, whole);
    sum = (sum + tail.readUInt32BE(0)) >>> 0;
  }
  return sum;
}

/**
 * An sfnt file (version 1.0, TrueType outlines) of the given tables, in tag order, 4-byte aligned, and the
 * checksum of the whole file (directory + tables: zero padding adds nothing).
 */
function sfnt(tables: Array<[string, Buffer]>): { font: Buffer; sum: number } {
  const n = tables.length;
  let entrySelector = 0;
  while (1 << (entrySelector + 1) <= n) entrySelector++;
  const searchRange = 16 << entrySelector;
  const dirSize = 12 + 16 * n;
  const total = tables.reduce((s, [, t]) => s + ((t.length + 3) & ~3), dirSize);
  const out = Buffer.alloc(total);
  out.writeUInt32BE(0x00010000, 0);
  out.writeUInt16BE(n, 4);
  out.writeUInt16BE(searchRange, 6);
  out.writeUInt16BE(entrySelector, 8);
  out.writeUInt16BE(n * 16 - searchRange, 10);
  let offset = dirSize;
  let sum = 0;
  tables.forEach(([tag, data], i) => {
    const rec = 12 + 16 * i;
    const c = checksum(data);
    sum = (sum + c) >>> 0;
    out.write(tag, rec, 'latin1');
    out.writeUInt32BE(c, rec + 4);
    out.writeUInt32BE(offset, rec + 8);
    out.writeUInt32BE(data.length, rec + 12);
    data.copy(out, offset);
    offset += (data.length + 3) & ~3;
  });
  return { font: out, sum: (sum + checksum(out.subarray(0, dirSize))) >>> 0 };
}

function tableOffset(font: Buffer, tag: string): number {
  const n = font.readUInt16BE(4);
  for (let i = 0; i < n; i++) if (font.toString('latin1', 12 + 16 * i, 16 + 16 * i) === tag) return font.readUInt32BE(12 + 16 * i + 8);
  throw new Error(`no ${tag} table`);
}
