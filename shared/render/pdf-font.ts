/**
 * The PDF's CJK font as pdfkit sees it, with the expensive parts shared by every document of the process.
 *
 * pdfkit's own EmbeddedFont parses the 10 MB font (fontkit.create) for every document and lays out each
 * text run with OpenType GSUB/GPOS in a cache that dies with the document. Here the parsed font and the
 * layout of runs live once per process (FontCore); each document gets a DocFont holding only what depends
 * on that document: the glyphs it used (its subset), their widths and Unicode mappings. It writes the objects
 * pdfkit's EmbeddedFont writes (Type0 / CIDFontType2, Identity-H, ToUnicode), with our own TrueType subset
 * (ttf-subset.ts) and a compact W array. The output depends only on the document's own content — never on
 * what the process rendered before.
 */
import { createHash } from 'node:crypto';
import PDFDocument from 'pdfkit';
import { fontBytes, fontPath } from './font';
import { TtfSource, TtfSubset } from './ttf-subset';

/** The parts of a fontkit glyph and font this module reads (fontkit ships no types). */
interface FkGlyph {
  id: number;
  advanceWidth: number;
  codePoints: number[];
}
interface FkPosition {
  xAdvance: number;
  yAdvance: number;
  xOffset: number;
  yOffset: number;
  advanceWidth?: number;
}
interface FkRun {
  glyphs: FkGlyph[];
  positions: FkPosition[];
  advanceWidth: number;
}
interface FkSubset {
  includeGlyph(id: number): number;
  encode(): Uint8Array;
  cff?: unknown;
  glyphs: number[];
}
interface FkFont {
  postscriptName: string;
  unitsPerEm: number;
  ascent: number;
  descent: number;
  xHeight: number;
  capHeight: number;
  lineGap: number;
  italicAngle: number;
  bbox: { minX: number; minY: number; maxX: number; maxY: number };
  head: { macStyle: { italic: boolean } };
  post: { isFixedPitch: boolean };
  'OS/2'?: { sFamilyClass: number };
  getGlyph(id: number): FkGlyph;
  layout(text: string, features?: unknown, script?: string): FkRun & { script?: string };
  glyphForCodePoint(cp: number): FkGlyph;
  createSubset(): FkSubset;
}

/** A laid-out run as pdfkit expects it: positions in 1/1000 em, plus the code points each glyph stands for. */
export interface Run {
  glyphs: FkGlyph[];
  positions: FkPosition[];
  advanceWidth: number;
  /** Per glyph, the code points it renders, taken from the run's text (not from fontkit's shared glyph objects). */
  codePoints: number[][];
}

/** Runs kept per process (short ones: single characters, table cells, labels); past this the cache starts over. */
const MAX_CACHED_RUNS = 50_000;
/** Longer runs (lines of a paragraph) are rarely seen twice across reports: they are composed, not cached. */
const MAX_CACHED_LENGTH = 32;
/** The scripts whose runs may be composed piecewise: fontkit lays them out left to right with its default shaper. */
const PLAIN_SCRIPTS = new Set(['hani', 'latn', 'zzzz']);

export class FontCore {
  readonly scale: number;
  readonly name: string;
  readonly ascender: number;
  readonly descender: number;
  readonly xHeight: number;
  readonly capHeight: number;
  readonly lineGap: number;
  readonly notdefWidth: number;
  private readonly runs = new Map<string, Run>();
  /** Non-plain pieces of composed runs, by script and text. */
  private readonly pieces = new Map<string, Run>();
  /** Per code point: its glyph if no OpenType lookup of the font can touch it (see `untouchableGlyphs`), else null. */
  private readonly plain = new Map<number, FkGlyph | null>();
  private readonly scripts = new Map<number, string>();
  private readonly untouchable: (gid: number) => boolean;

  /** `source`: the TrueType file, for our own subsetter; null for CFF-based fonts (fontkit subsets those). */
  constructor(
    readonly font: FkFont,
    readonly source: TtfSource | null,
  ) {
    this.scale = 1000 / font.unitsPerEm;
    this.name = font.postscriptName;
    this.ascender = font.ascent * this.scale;
    this.descender = font.descent * this.scale;
    this.xHeight = font.xHeight * this.scale;
    this.capHeight = font.capHeight * this.scale;
    this.lineGap = font.lineGap * this.scale;
    this.notdefWidth = font.getGlyph(0).advanceWidth;
    this.untouchable = untouchableGlyphs(font);
  }

  /** pdfkit's EmbeddedFont.layoutRun (fontkit layout, positions in 1/1000 em), the same result computed faster. */
  run(text: string): Run {
    if (text.length > MAX_CACHED_LENGTH) return this.compose(text);
    const hit = this.runs.get(text);
    if (hit) return hit;
    const run = this.compose(text);
    if (this.runs.size >= MAX_CACHED_RUNS) this.runs.clear();
    this.runs.set(text, run);
    return run;
  }

  /**
   * A run is split into pieces of "plain" characters — glyphs that no GSUB/GPOS lookup of the font covers,
   * names in a class, a ligature or a pair, or marks in GDEF — and the rest. No lookup can change a plain
   * glyph or look through it, so the rest is laid out by fontkit piece by piece (with the script fontkit
   * detects for the whole run) and a plain glyph is just its advance: the same glyphs and positions as
   * fontkit's layout of the whole run, checked against it in test/render/pdf-font.test.ts.
   */
  private compose(text: string): Run {
    const cps = Array.from(text, (ch) => ch.codePointAt(0)!);
    let script = 'zzzz';
    for (const cp of cps) {
      const s = this.scriptOf(cp);
      if (s !== 'zzzz') {
        script = s;
        break;
      }
    }
    if (!PLAIN_SCRIPTS.has(script) || !cps.some((cp) => this.plainGlyph(cp))) return this.fontkitRun(text, cps, undefined);
    const run: Run = { glyphs: [], positions: [], advanceWidth: 0, codePoints: [] };
    let from = 0; // index in cps of the first character not yet laid out
    let offset = 0; // its UTF-16 offset in text
    let at = 0;
    const flush = (to: number, end: number) => {
      if (to > from) {
        const piece = this.piece(text.slice(offset, end), script);
        for (let k = 0; k < piece.glyphs.length; k++) {
          run.glyphs.push(piece.glyphs[k]);
          run.positions.push(piece.positions[k]);
          run.codePoints.push(piece.codePoints[k]);
        }
      }
    };
    for (let i = 0; i < cps.length; i++) {
      const cp = cps[i];
      const width = cp > 0xffff ? 2 : 1;
      const g = this.plainGlyph(cp);
      if (g) {
        flush(i, at);
        const adv = g.advanceWidth * this.scale;
        run.glyphs.push(g);
        run.positions.push({ xAdvance: adv, yAdvance: 0, xOffset: 0, yOffset: 0, advanceWidth: adv });
        run.codePoints.push([cp]);
        from = i + 1;
        offset = at + width;
      }
      at += width;
    }
    flush(cps.length, text.length);
    // Summed in order, as fontkit's GlyphRun.advanceWidth does.
    for (const p of run.positions) run.advanceWidth += p.xAdvance;
    return run;
  }

  /** A non-plain piece, laid out by fontkit with the whole run's script; short pieces are cached. */
  private piece(text: string, script: string): Run {
    const key = `${script}\u0000${text}`;
    const hit = this.pieces.get(key);
    if (hit) return hit;
    const run = this.fontkitRun(text, Array.from(text, (ch) => ch.codePointAt(0)!), script);
    if (text.length <= MAX_CACHED_LENGTH) {
      if (this.pieces.size >= MAX_CACHED_RUNS) this.pieces.clear();
      this.pieces.set(key, run);
    }
    return run;
  }

  private fontkitRun(text: string, cps: number[], script: string | undefined): Run {
    const r = script === undefined ? this.font.layout(text) : this.font.layout(text, undefined, script);
    const positions = r.positions.map((p, i) => ({
      xAdvance: p.xAdvance * this.scale,
      yAdvance: p.yAdvance * this.scale,
      xOffset: p.xOffset * this.scale,
      yOffset: p.yOffset * this.scale,
      advanceWidth: r.glyphs[i].advanceWidth * this.scale,
    }));
    let advanceWidth = 0;
    for (const p of positions) advanceWidth += p.xAdvance;
    return { glyphs: r.glyphs, positions, advanceWidth, codePoints: codePointsOf(cps, r.glyphs) };
  }

  /** The OpenType script tag fontkit gives a run made of this one character ('zzzz': none of its own). */
  private scriptOf(cp: number): string {
    let s = this.scripts.get(cp);
    if (s === undefined) {
      s = this.font.layout(String.fromCodePoint(cp)).script ?? 'zzzz';
      this.scripts.set(cp, s);
    }
    return s;
  }

  private plainGlyph(cp: number): FkGlyph | null {
    let g = this.plain.get(cp);
    if (g === undefined) {
      g = null;
      // CJK and beyond only (no controls, spaces, default ignorables or variation selectors).
      if (cp >= 0x2e80 && cp !== 0x3164 && cp !== 0xffa0 && !(cp >= 0xfe00 && cp <= 0xfe0f) && !(cp >= 0xfff0 && cp <= 0xffff) && cp < 0xe0000) {
        const glyph = this.font.glyphForCodePoint(cp);
        if (glyph.id !== 0 && this.untouchable(glyph.id)) g = glyph;
      }
      this.plain.set(cp, g);
    }
    return g;
  }

  /**
   * pdfkit's EmbeddedFont.layout: the text split after spaces and tabs, each piece laid out on its own.
   * With `onlyWidth` only the advance is summed.
   */
  layout(text: string, onlyWidth: boolean): { glyphs: FkGlyph[]; positions: FkPosition[]; codePoints: number[][]; advanceWidth: number } {
    const glyphs: FkGlyph[] = [];
    const positions: FkPosition[] = [];
    const codePoints: number[][] = [];
    let advanceWidth = 0;
    let last = 0;
    for (let i = 0; i <= text.length; i++) {
      const c = text.charCodeAt(i);
      if ((i === text.length && last < i) || c === 32 || c === 9) {
        const r = this.run(text.slice(last, i + 1));
        if (!onlyWidth) {
          for (let k = 0; k < r.glyphs.length; k++) {
            glyphs.push(r.glyphs[k]);
            positions.push(r.positions[k]);
            codePoints.push(r.codePoints[k]);
          }
        }
        advanceWidth += r.advanceWidth;
        last = i + 1;
      }
    }
    return { glyphs, positions, codePoints, advanceWidth };
  }
}

/**
 * The glyphs no OpenType lookup can change or look at: not in any Coverage or ClassDef range, ligature,
 * pair or substitution list of GSUB/GPOS (all features, not only fontkit's defaults), nor in GDEF. Sound only
 * if no lookup matches "any other glyph" — contextual lookups and class-0 kerning — so with such lookups the
 * answer is "none" (every run then goes through fontkit whole).
 */
export function untouchableGlyphs(font: FkFont): (gid: number) => boolean {
  const touched = new Set<number>();
  const add = (a: number, b: number) => {
    for (let g = a; g <= b; g++) touched.add(g);
  };
  const arr = (v: unknown): unknown[] | null => {
    const x = v && typeof (v as { toArray?: unknown }).toArray === 'function' ? (v as { toArray(): unknown[] }).toArray() : v;
    return Array.isArray(x) ? x : null;
  };
  const walk = (o: unknown, depth: number): void => {
    if (!o || typeof o !== 'object' || depth > 24) return;
    const list = arr(o);
    if (list) {
      for (const x of list) walk(x, depth + 1);
      return;
    }
    const r = o as Record<string, unknown>;
    for (const key of ['rangeRecords', 'classRangeRecord']) for (const x of arr(r[key]) ?? []) add((x as { start: number }).start, (x as { end: number }).end);
    if (typeof r.startGlyph === 'number' && arr(r.classValueArray)) add(r.startGlyph, r.startGlyph + arr(r.classValueArray)!.length - 1);
    for (const key of ['glyphs', 'components', 'substitute', 'substitutes', 'alternates', 'input', 'backtrack', 'lookahead'])
      for (const g of arr(r[key]) ?? []) if (typeof g === 'number') touched.add(g);
    for (const key of ['glyph', 'secondGlyph']) if (typeof r[key] === 'number') touched.add(r[key] as number);
    for (const key of Object.keys(r)) if (key !== 'parent' && typeof r[key] === 'object') walk(r[key], depth + 1);
  };
  const f = font as unknown as Record<string, { lookupList?: { toArray(): Array<{ lookupType: number; subTables: unknown[] }> } } | undefined>;
  for (const table of ['GSUB', 'GPOS'] as const) {
    const lookups = f[table]?.lookupList?.toArray() ?? [];
    for (const l of lookups) {
      for (const st of arr(l.subTables) ?? []) {
        const ext = (st as { extension?: Record<string, unknown>; lookupType?: number }).extension;
        const sub = (ext ?? st) as Record<string, unknown>;
        const type = ext ? (st as { lookupType: number }).lookupType : l.lookupType;
        const contextual = table === 'GSUB' ? type === 5 || type === 6 || type === 8 : type === 7 || type === 8;
        if (contextual) return () => false;
        if (table === 'GPOS' && type === 2 && sub.version === 2) {
          // Class 0 of the second glyph is "every glyph not in a class": a non-zero value there touches all glyphs.
          for (const row of arr(sub.classRecords) ?? []) {
            const first = (arr(row) ?? [])[0] as { value1?: Record<string, unknown>; value2?: Record<string, unknown> } | undefined;
            const nonZero = (v?: Record<string, unknown>) => !!v && Object.values(v).some((x) => x !== 0 && x != null);
            if (nonZero(first?.value1) || nonZero(first?.value2)) return () => false;
          }
        }
      }
      walk(l, 0);
    }
  }
  walk(f.GDEF, 0);
  return (gid) => !touched.has(gid);
}

/**
 * The code points of each glyph. fontkit caches one glyph object per glyph id with the code points of the
 * first string that produced it — in a shared font that would be another document's text (e.g. a Kangxi
 * radical and the ideograph share a glyph). A run with one glyph per code point maps them one to one; only
 * runs changed by ligatures or decompositions fall back to fontkit's value.
 */
function codePointsOf(cps: number[], glyphs: FkGlyph[]): number[][] {
  return cps.length === glyphs.length ? cps.map((cp) => [cp]) : glyphs.map((g) => g.codePoints);
}

let core: { path: string; core: FontCore } | null = null;

/** The process's parsed font (the file is read and parsed on first use, as pdfkit would parse it). */
export function fontCore(): FontCore {
  const bytes = fontBytes();
  const path = fontPath();
  if (core?.path === path) return core.core;
  // Parsed through pdfkit so that it is the fontkit pdfkit itself uses (no direct dependency on fontkit).
  const probe = new PDFDocument({ font: bytes as unknown as string, autoFirstPage: false }) as unknown as { _font: { font: FkFont } };
  const parsed = probe._font.font as FkFont & { directory: { tables: Record<string, unknown> } };
  core = { path, core: new FontCore(parsed, parsed.directory.tables.glyf ? new TtfSource(bytes) : null) };
  return core.core;
}

const toHex = (n: number) => `0000${n.toString(16)}`.slice(-4);

interface PdfRef {
  data: Record<string, unknown>;
  end(chunk?: Uint8Array | string): void;
  write(chunk: Uint8Array | string): void;
}
interface PdfDoc {
  ref(data?: Record<string, unknown>): PdfRef;
  subset?: number;
}

/**
 * One document's use of the font: the interface pdfkit's text code calls on `doc._font` (encode,
 * widthOfString, lineHeight, metrics, ref/finalize), writing the same objects as pdfkit's EmbeddedFont.
 */
export class DocFont {
  readonly name: string;
  readonly ascender: number;
  readonly descender: number;
  readonly xHeight: number;
  readonly capHeight: number;
  readonly lineGap: number;
  readonly bbox: FkFont['bbox'];
  private readonly subset: FkSubset;
  private readonly unicode: number[][] = [[0]];
  private readonly widths: number[];
  private dictionary: PdfRef | null = null;
  private embedded = false;

  constructor(
    private readonly document: PdfDoc,
    private readonly core: FontCore,
    readonly id: string,
  ) {
    this.name = core.name;
    this.ascender = core.ascender;
    this.descender = core.descender;
    this.xHeight = core.xHeight;
    this.capHeight = core.capHeight;
    this.lineGap = core.lineGap;
    this.bbox = core.font.bbox;
    this.subset = core.source ? new TtfSubset(core.source) : core.font.createSubset();
    this.widths = [core.notdefWidth];
  }

  encode(text: string, features?: unknown): [string[], FkPosition[]] {
    if (features) throw new Error('OpenType features are not supported by the shared PDF font');
    const { glyphs, positions, codePoints } = this.core.layout(text, false);
    const res: string[] = [];
    for (let i = 0; i < glyphs.length; i++) {
      const glyph = glyphs[i];
      const gid = this.subset.includeGlyph(glyph.id);
      res.push(toHex(gid));
      if (this.widths[gid] == null) this.widths[gid] = glyph.advanceWidth * this.core.scale;
      if (this.unicode[gid] == null) this.unicode[gid] = codePoints[i];
    }
    return [res, positions];
  }

  widthOfString(text: string, size: number, features?: unknown): number {
    if (features) throw new Error('OpenType features are not supported by the shared PDF font');
    return (this.core.layout(text, true).advanceWidth * size) / 1000;
  }

  lineHeight(size: number, includeGap = false): number {
    const gap = includeGap ? this.lineGap : 0;
    return ((this.ascender + gap - this.descender) / 1000) * size;
  }

  ref(): PdfRef {
    return (this.dictionary ??= this.document.ref());
  }

  finalize(): void {
    if (this.embedded || this.dictionary == null) return;
    this.embed();
    this.embedded = true;
  }

  private embed(): void {
    const font = this.core.font;
    const scale = this.core.scale;
    const isCFF = this.subset.cff != null;
    const fontFile = this.document.ref();
    if (isCFF) fontFile.data.Subtype = 'CIDFontType0C';
    fontFile.end(this.subset.encode());
    const familyClass = ((font['OS/2'] != null ? font['OS/2'].sFamilyClass : undefined) || 0) >> 8;
    let flags = 0;
    if (font.post.isFixedPitch) flags |= 1 << 0;
    if (1 <= familyClass && familyClass <= 7) flags |= 1 << 1;
    flags |= 1 << 2;
    if (familyClass === 10) flags |= 1 << 3;
    if (font.head.macStyle.italic) flags |= 1 << 6;
    // The subset tag (six capitals) names this glyph set, as PDF asks of subset fonts; deterministic.
    const digest = createHash('sha256').update(this.subset.glyphs.join(',')).digest();
    const tag = Array.from(digest.subarray(0, 6), (b) => String.fromCharCode(65 + (b % 26))).join('');
    const name = tag + '+' + font.postscriptName?.replaceAll(' ', '_');
    const { bbox } = font;
    const descriptor = this.document.ref({
      Type: 'FontDescriptor',
      FontName: name,
      Flags: flags,
      FontBBox: [bbox.minX * scale, bbox.minY * scale, bbox.maxX * scale, bbox.maxY * scale],
      ItalicAngle: font.italicAngle,
      Ascent: this.ascender,
      Descent: this.descender,
      CapHeight: (font.capHeight || font.ascent) * scale,
      XHeight: (font.xHeight || 0) * scale,
      StemV: 0,
    });
    if (isCFF) descriptor.data.FontFile3 = fontFile;
    else descriptor.data.FontFile2 = fontFile;
    descriptor.end();
    const descendantFontData: Record<string, unknown> = {
      Type: 'Font',
      Subtype: 'CIDFontType0',
      BaseFont: name,
      CIDSystemInfo: { Registry: new String('Adobe'), Ordering: new String('Identity'), Supplement: 0 },
      FontDescriptor: descriptor,
      DW: DEFAULT_WIDTH,
      W: widthArray(this.widths),
    };
    if (!isCFF) {
      descendantFontData.Subtype = 'CIDFontType2';
      descendantFontData.CIDToGIDMap = 'Identity';
    }
    const descendantFont = this.document.ref(descendantFontData);
    descendantFont.end();
    this.ref().data = {
      Type: 'Font',
      Subtype: 'Type0',
      BaseFont: name,
      Encoding: 'Identity-H',
      DescendantFonts: [descendantFont],
      ToUnicode: this.toUnicodeCmap(),
    };
    this.ref().end();
  }

  private toUnicodeCmap(): PdfRef {
    const cmap = this.document.ref();
    const entries: string[] = [];
    for (const codePoints of this.unicode) {
      const encoded: string[] = [];
      for (let value of codePoints) {
        if (value > 0xffff) {
          value -= 0x10000;
          encoded.push(toHex(((value >>> 10) & 0x3ff) | 0xd800));
          value = 0xdc00 | (value & 0x3ff);
        }
        encoded.push(toHex(value));
      }
      entries.push(`<${encoded.join(' ')}>`);
    }
    const chunkSize = 256;
    const ranges: string[] = [];
    for (let start = 0; start < entries.length; start += chunkSize) {
      const end = Math.min(start + chunkSize, entries.length);
      ranges.push(`<${toHex(start)}> <${toHex(end - 1)}> [${entries.slice(start, end).join(' ')}]`);
    }
    cmap.end(`\
/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo <<
  /Registry (Adobe)
  /Ordering (UCS)
  /Supplement 0
>> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000><ffff>
endcodespacerange
1 beginbfrange
${ranges.join('\n')}
endbfrange
endcmap
CMapName currentdict /CMap defineresource pop
end
end\
`);
    return cmap;
  }
}

/** Width of the glyphs W leaves out: full-width CJK (and the PDF default). */
const DEFAULT_WIDTH = 1000;

/**
 * The W array of a CID font, compact: glyphs of the default width are left out, three or more consecutive
 * CIDs of one width become `first last width`, the rest `first [w1 w2 …]`.
 */
export function widthArray(widths: number[]): Array<number | number[]> {
  const out: Array<number | number[]> = [];
  const runEnd = (i: number) => {
    let j = i;
    while (j + 1 < widths.length && widths[j + 1] === widths[i]) j++;
    return j;
  };
  let i = 0;
  while (i < widths.length) {
    if (widths[i] === DEFAULT_WIDTH) {
      i++;
      continue;
    }
    const j = runEnd(i);
    if (j - i >= 2) {
      out.push(i, j, widths[i]);
      i = j + 1;
      continue;
    }
    const start = i;
    const list: number[] = [];
    while (i < widths.length && widths[i] !== DEFAULT_WIDTH && runEnd(i) - i < 2) list.push(widths[i++]);
    out.push(start, list);
  }
  return out;
}

/** Makes the shared font the document's current font (what `new PDFDocument({ font })` would have done). */
export function useSharedFont(doc: PDFKit.PDFDocument): void {
  const d = doc as unknown as { _font: DocFont; _fontFamilies: Record<string, DocFont>; _fontCount: number };
  const font = new DocFont(doc as unknown as PdfDoc, fontCore(), `F${++d._fontCount}`);
  d._font = font;
  d._fontFamilies[font.name] = font;
}

/**
 * An A4 document in the shared font, as every official PDF here is made, and the promise of its bytes
 * (resolved when the caller ends the document).
 */
export function officialDocument(
  margins: { top: number; bottom: number; left: number; right: number },
  info: PDFKit.DocumentInfo,
): { doc: PDFKit.PDFDocument; bytes: Promise<Buffer> } {
  const doc = new PDFDocument({
    size: 'A4',
    margins,
    bufferPages: true,
    // No default font (pdfkit would load its Helvetica AFM file): the shared CJK font is installed below.
    font: null as unknown as string,
    lang: 'zh-CN',
    displayTitle: true,
    info: { Creator: 'nianbao', Producer: 'nianbao', ...info },
  });
  useSharedFont(doc);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const bytes = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  return { doc, bytes };
}
