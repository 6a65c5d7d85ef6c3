/**
 * The PDF font shared by the documents of a process (shared/render/pdf-font.ts) and its TrueType subsetter
 * (shared/render/ttf-subset.ts): same layout as fontkit, output independent of what the process rendered
 * before, one subset per document with only that document's glyphs, every character extractable.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync, inflateSync } from 'node:zlib';
import PDFDocument from 'pdfkit';
import { renderPdf } from '../../shared/render/pdf';
import { isUnreadable, readReport } from '../../shared/report/ingest';
import { fontCore, widthArray } from '../../shared/render/pdf-font';
import { fontBytes } from '../../shared/render/font';
import { TtfSource, TtfSubset } from '../../shared/render/ttf-subset';
import { buildReport, pdftotext, squash, tmp, writeTmp } from './helpers';

const ROOT = join(__dirname, '..', '..');
const FIXTURES = join(ROOT, 'fixtures');
const dir = tmp();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 1,000 distinct ideographs in lines of 50 (as bench/render.ts's stress report). */
const IDEOGRAPHS = Array.from({ length: 1000 }, (_, i) => String.fromCodePoint(0x4e00 + ((i * 13) % 6000)));

/** The embedded font program of a pdfkit PDF (FontFile2), inflated. */
function fontProgram(pdf: Buffer): Buffer {
  const s = pdf.toString('latin1');
  const ref = /\/FontFile2 (\d+) 0 R/.exec(s)![1];
  const at = s.indexOf(`\n${ref} 0 obj`);
  const start = s.indexOf('stream\n', at) + 'stream\n'.length;
  const length = Number(/\/Length (\d+)/.exec(s.slice(at, start))![1]);
  return inflateSync(pdf.subarray(start, start + length));
}

describe('FontCore: runs laid out piecewise equal fontkit laying out the whole run', () => {
  const core = fontCore();
  const texts: string[] = [];
  for (const name of ['clean-2021.txt', 'clean-2019.txt', 'jincheng-2020.txt']) {
    for (const line of readFileSync(join(FIXTURES, name), 'utf8').split(/\r?\n/)) {
      if (!line) continue;
      texts.push(line);
      for (let i = 0; i < line.length; i += 37) texts.push(line.slice(i, i + 37));
    }
  }
  texts.push(
    'SHA-256 abab12cd 接收于2022年1月20日17:30',
    '第 1 页 / 共 5 页',
    '“引号”（括号）、。，《条例》〔2021〕30号',
    'AVA To fi ffi 年度报告Office 365',
    '⼀一⼆二', // Kangxi radicals share glyphs with the ideographs
    '𠀀𪚥龘 emoji 😀 e\u0301 ️',
    IDEOGRAPHS.slice(0, 300).join(''),
  );

  it('gives the glyphs, positions and width of fontkit', () => {
    const font = core.font;
    let composed = 0;
    for (const text of texts) {
      const ours = core.run(text);
      const theirs = font.layout(text);
      const got = { text, ids: ours.glyphs.map((g) => g.id), pos: ours.positions.map((p) => [p.xAdvance, p.yAdvance, p.xOffset, p.yOffset]), w: ours.advanceWidth };
      const want = {
        text,
        ids: theirs.glyphs.map((g) => g.id),
        pos: theirs.positions.map((p) => [p.xAdvance * core.scale, p.yAdvance * core.scale, p.xOffset * core.scale, p.yOffset * core.scale]),
        w: theirs.advanceWidth * core.scale,
      };
      expect(got).toEqual(want);
      composed++;
    }
    expect(composed).toBeGreaterThan(100);
  });

  it('takes the code points from the text, not from fontkit glyph objects another run created', () => {
    // ⼀ (U+2F00) and 一 (U+4E00) share one glyph: each run must map it to its own character.
    const a = core.run('⼀');
    const b = core.run('一');
    expect(a.glyphs[0].id).toBe(b.glyphs[0].id);
    expect(a.codePoints).toEqual([[0x2f00]]);
    expect(b.codePoints).toEqual([[0x4e00]]);
  });
});

describe('one parsed font for the whole process, one subset per document', () => {
  const many = buildReport({ seed: 5 });
  many.sections[0].text = Array.from({ length: 20 }, (_, i) => IDEOGRAPHS.slice(i * 50, i * 50 + 50).join('')).join('\n');
  const small = buildReport({ seed: 9, office: '临川区档案馆' });

  it('renders a document byte for byte as a fresh process does, whatever was rendered before', async () => {
    await renderPdf(many, {});
    const inProcess = await renderPdf(small, { submissionId: 's-1' });
    const script = writeTmp(
      dir,
      'fresh.ts',
      `import { writeFileSync } from 'node:fs';
import { renderPdf } from ${JSON.stringify(join(ROOT, 'shared', 'render', 'pdf'))};
import { buildReport } from ${JSON.stringify(join(ROOT, 'test', 'render', 'helpers'))};
void renderPdf(buildReport({ seed: 9, office: '临川区档案馆' }), { submissionId: 's-1' }).then((b) => writeFileSync(process.argv[2], b));
`,
    );
    const out = join(dir, 'fresh.pdf');
    const r = spawnSync(process.execPath, [require.resolve('tsx/cli'), script, out], { cwd: ROOT, encoding: 'utf8', timeout: 120000 });
    expect(r.stderr).toBe('');
    expect(readFileSync(out).equals(inProcess)).toBe(true);
  });

  it("embeds only the document's own glyphs", async () => {
    const big = await renderPdf(many, {});
    const alone = await renderPdf(small, {});
    const afterBig = await renderPdf(small, {});
    const glyphs = (pdf: Buffer) => new TtfSource(fontProgram(pdf)).numGlyphs;
    expect(glyphs(big)).toBeGreaterThan(1000);
    expect(glyphs(afterBig)).toBe(glyphs(alone));
    // .notdef + at most the distinct characters the small report prints
    expect(glyphs(alone)).toBeLessThan(600);
    expect(fontProgram(afterBig).equals(fontProgram(alone))).toBe(true);
  });

  it('embeds a subset whose every character extracts (pdffonts, pdftotext)', async () => {
    const file = writeTmp(dir, 'many.pdf', await renderPdf(many, {}));
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' }).trim().split('\n').slice(2);
    expect(fonts).toHaveLength(1);
    expect(fonts[0]).toMatch(/^[A-Z]{6}\+NotoSansSC-Regular\s+CID TrueType\s+Identity-H\s+yes yes yes/);
    const text = squash(pdftotext(file, '-raw'));
    expect(IDEOGRAPHS.filter((c) => !text.includes(c))).toEqual([]);
  });

  it('names different glyph sets with different subset tags, the same set with the same tag', async () => {
    const tag = (pdf: Buffer) => /\/BaseFont \/([A-Z]{6})\+/.exec(pdf.toString('latin1'))![1];
    const a = await renderPdf(small, {});
    expect(tag(a)).not.toBe(tag(await renderPdf(many, {})));
    expect(tag(a)).toBe(tag(await renderPdf(small, {})));
  });
});

describe('size', () => {
  // The 100 KB goal went with the lossy 1/500 em grid (issue 14.7: an official record keeps the font's exact
  // outlines): this long report is 105 KB with exact outlines. The bound now guards against regressions.
  it('keeps a long report (every fixture narrative in one report) within 110 KB, every character extractable', async () => {
    const read = async (name: string) => {
      const r = await readReport(readFileSync(join(FIXTURES, name)));
      if (isUnreadable(r)) throw new Error(r.unreadable);
      return r.report;
    };
    const clean = await read('clean-2021.txt');
    const texts = (await Promise.all(['jincheng-2020.txt', 'clean-2021.txt', 'clean-2019.txt'].map(read))).flatMap((r) => r.sections.map((s) => s.text));
    const long = structuredClone(clean);
    long.sections = long.sections.map((s, i) => ({ ...s, text: [s.text, ...texts.slice(i * 3, i * 3 + 3)].join('\n') }));
    const distinct = new Set(long.sections.flatMap((s) => Array.from(s.text.replace(/\s/g, ''))));
    expect(distinct.size).toBeGreaterThan(450);
    const pdf = await renderPdf(long, { submissionId: 'sub-1', sha256: 'ab'.repeat(32), receivedAt: '2022-01-20T09:30:00Z' });
    expect(pdf.length).toBeLessThanOrEqual(110 * 1024);
    const text = squash(pdftotext(writeTmp(dir, 'long.pdf', pdf), '-raw'));
    expect([...distinct].filter((c) => !text.includes(c))).toEqual([]);
  });
});

describe('TtfSubset', () => {
  const source = new TtfSource(fontBytes());
  const gidOf = (ch: string) => fontCore().font.layout(ch).glyphs[0].id;

  it('writes a valid sfnt: table checksums, whole-font checksum, glyph count, short loca, advances', () => {
    const s = new TtfSubset(source);
    const chars = ['年', '报', 'A', '1'];
    const ids = chars.map((c) => s.includeGlyph(gidOf(c)));
    expect(ids).toEqual([1, 2, 3, 4]);
    expect(s.includeGlyph(gidOf('年'))).toBe(1);
    const font = s.encode();
    const sub = new TtfSource(font);
    expect(sub.numGlyphs).toBe(5);
    expect(font.readUInt32BE(0)).toBe(0x00010000);
    expect(font.readInt16BE(sub.table('head').offset + 50)).toBe(0); // short loca
    // whole file sums to 0xB1B0AFBA (the head checksum adjustment is right)
    let sum = 0;
    for (let i = 0; i < font.length; i += 4) sum = (sum + font.readUInt32BE(i)) >>> 0;
    expect(sum).toBe(0xb1b0afba);
    chars.forEach((c, i) => {
      // the original bytes, plus one pad byte when their length is odd
      const orig = source.glyph(gidOf(c));
      expect(orig.length).toBeGreaterThan(10);
      expect(sub.glyph(i + 1).subarray(0, orig.length).equals(orig)).toBe(true);
      expect(sub.glyph(i + 1).length - orig.length).toBe(orig.length % 2);
      expect(sub.metrics(i + 1)).toEqual(source.metrics(gidOf(c)));
    });
    expect([...sub.tables.keys()].sort()).toEqual(['glyf', 'head', 'hhea', 'hmtx', 'loca', 'maxp', 'prep']);
  });
});

describe('TtfSubset on the halved grid', () => {
  const source = new TtfSource(fontBytes());
  const core = fontCore();
  /** fontkit's parse of a font file, through pdfkit (the project does not depend on fontkit directly). */
  const parse = (bytes: Buffer) =>
    (new PDFDocument({ font: bytes as unknown as string, autoFirstPage: false }) as unknown as { _font: { font: ParsedFont } })._font.font;
  type ParsedFont = { unitsPerEm: number; getGlyph(id: number): { path: { commands: Array<{ command: string; args: number[] }> }; advanceWidth: number } };

  it('keeps every outline within 1/1000 em: same drawing commands, each coordinate within one unit of 1000', () => {
    const text = '政府信息公开工作年度报告，申请（一）予以公开。SHA-256 ab 第1页／共5页龘𠀀';
    const s = new TtfSubset(source, true);
    const gids = [...new Set(core.run(text).glyphs.map((g) => g.id))];
    const ids = gids.map((g) => s.includeGlyph(g));
    const half = parse(s.encode());
    expect(half.unitsPerEm).toBe(500);
    let coords = 0;
    gids.forEach((gid, i) => {
      const want = core.font.getGlyph(gid) as unknown as ReturnType<ParsedFont['getGlyph']>;
      const got = half.getGlyph(ids[i]);
      expect(got.path.commands.map((c) => c.command)).toEqual(want.path.commands.map((c) => c.command));
      got.path.commands.forEach((c, k) =>
        c.args.forEach((v, j) => {
          expect(Math.abs(2 * v - want.path.commands[k].args[j])).toBeLessThanOrEqual(1);
          coords++;
        }),
      );
      expect(Math.abs(2 * got.advanceWidth - want.advanceWidth)).toBeLessThanOrEqual(1);
    });
    expect(coords).toBeGreaterThan(1000);
  });

  it('is smaller than the exact subset', () => {
    const exact = new TtfSubset(source);
    const halved = new TtfSubset(source, true);
    for (const g of core.run('政府信息公开工作年度报告本机关依法办理申请按时答复').glyphs) {
      exact.includeGlyph(g.id);
      halved.includeGlyph(g.id);
    }
    expect(deflateSync(halved.encode()).length).toBeLessThan(0.95 * deflateSync(exact.encode()).length);
  });
});

describe('widthArray', () => {
  it('leaves out full-width glyphs and writes runs of one width as ranges', () => {
    expect(widthArray([1000, 1000, 555, 555, 555, 1000, 224, 600, 1000, 300])).toEqual([2, 4, 555, 6, [224, 600], 9, [300]]);
    expect(widthArray([500, 500, 1000])).toEqual([0, [500, 500]]);
    expect(widthArray([1000])).toEqual([]);
  });
});
