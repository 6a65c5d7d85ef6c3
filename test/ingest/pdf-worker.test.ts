/**
 * The PDF worker's shortcuts (pdf-worker-source.ts) must not change what it reads. Above all, it leaves
 * out embedded font programs whose text comes from the font dictionary alone (ToUnicode + Widths),
 * through the install-time patch of PDF.js (patches/unpdf-pdfjs.cjs); it also skips images and, on pages without text, the
 * operator list, replays the operators the text pass lexed instead of lexing a page twice, and copies PDF.js's
 * in-thread messages in JS. These tests hold it to the reference — PDF.js as shipped, every program loaded,
 * every image decoded — which must give the very same pages (text items and ruling lines, to the last
 * digit) on LibreOffice's Type 1 CJK fonts, on Word-like TrueType CID fonts (Identity-H, made here with
 * pdfkit), on CFF CID fonts, on a standard font, on fonts that do need their program, and on pages with
 * images.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { pdfjsPath } from '../../shared/report/ingest/pdf';
import { pagesToLines, type PdfPage } from '../../shared/report/ingest/pdf-layout';
import { PDF_WORKER_SOURCE } from '../../shared/report/ingest/pdf-worker-source';
import { fixture, pdfkitPdf as drawPdf } from './helpers';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS script, run by npm at install
const { MARKER, VERSION, patchFile } = require('../../patches/unpdf-pdfjs.cjs') as { MARKER: string; VERSION: string; patchFile: (file: string) => void };

const pdfkitPdf = (draw: (doc: PDFKit.PDFDocument) => void) => drawPdf({ size: 'A4', compress: true }, draw);

const ROOT = path.join(__dirname, '../..');
const CJK_FONT = path.join(ROOT, 'node_modules/@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf');

interface Stats {
  fontsWithoutProgram: number;
  fontsWithProgram: number;
  pagesWithoutRulings: number;
  pagesReplayed: number;
  messagesCopied: number;
  messagesCloned: number;
}

/** A bare PDF worker (the production code, without pdf.ts's timeout and restart). */
function startWorker(unpatched: boolean, modulePath = pdfjsPath()) {
  const w = new Worker(PDF_WORKER_SOURCE, { eval: true, workerData: { pdfjsPath: modulePath, unpatched }, stdout: true, stderr: true });
  w.stdout.resume();
  w.stderr.resume();
  let nextId = 0;
  const pending = new Map<number, (r: unknown) => void>();
  w.on('message', (m: { id: number; result: unknown }) => pending.get(m.id)?.(m.result));
  const post = <T>(msg: object, transfer: ArrayBuffer[] = []) =>
    new Promise<T>((resolve) => {
      const id = ++nextId;
      pending.set(id, resolve as (r: unknown) => void);
      w.postMessage({ id, ...msg }, transfer);
    });
  return {
    pages: async (bytes: Uint8Array): Promise<PdfPage[]> => {
      const data = new Uint8Array(bytes);
      const r = await post<{ pages?: PdfPage[]; error?: string }>({ data, maxPages: 50, maxItems: 200_000, maxSegments: 200_000 }, [data.buffer]);
      if (!r.pages) throw new Error(`no pages: ${JSON.stringify(r)}`);
      return r.pages;
    },
    stats: () => post<{ stats: Stats }>({ stats: true }).then((r) => r.stats),
    close: () => w.terminate(),
  };
}

/** A report-like page in an embedded TrueType CJK font: Type0 / CIDFontType2, Identity-H, ToUnicode, W. */
const trueTypeCid = () =>
  pdfkitPdf((doc) => {
    doc.font(CJK_FONT).fontSize(18).text('青禾区人民政府办公室2021年政府信息公开工作年度报告', { align: 'center' });
    doc.fontSize(11).text('一、总体情况').text('2021年，青禾区人民政府办公室深入贯彻《中华人民共和国政府信息公开条例》，（一）主动公开 123 件。');
    const rows = [['信息内容', '本年制发件数', '本年废止件数', '现行有效件数'], ['规章', '0', '0', '0'], ['行政规范性文件', '12', '3', '45']];
    rows.forEach((row, i) => {
      row.forEach((cell, j) => {
        const x = 60 + j * 120;
        const y = 200 + i * 24;
        doc.rect(x, y, 120, 24).stroke();
        doc.text(cell, x + 4, y + 6, { width: 112, lineBreak: false });
      });
    });
  });

/** An RGB PNG with a gradient (the size of a seal or a small scan). */
function png(w: number, h: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), body.length + 4);
    return out;
  };
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w * 3; x++) raw[y * (w * 3 + 1) + 1 + x] = (x * 7 + y * 3) & 0xff;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** A CFF CJK font (CIDFontType0C, FontFile3, as Acrobat-made PDFs embed): Debian's fonts-noto-cjk, where installed. */
const CFF_FONT = '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc';
const cffCid = () =>
  pdfkitPdf((doc) => {
    doc.font(CFF_FONT, 'NotoSerifCJKsc-Regular').fontSize(14).text('青禾区人民政府办公室2021年政府信息公开工作年度报告，（一）主动公开 123 件。');
    doc.rect(60, 200, 120, 24).stroke();
    doc.text('规章 12', 64, 206);
  });

/** Text in a standard font (Helvetica, no program embedded): nothing to leave out. */
const standardFont = () => pdfkitPdf((doc) => doc.font('Helvetica').fontSize(12).text('Annual report 2021: 123 items, 45 requests.'));

/** Renames a key in place (same length, so the xref offsets stay right): the font dictionaries lose it. */
function renameKey(bytes: Uint8Array, from: string, to: string): Uint8Array {
  const s = Buffer.from(bytes).toString('latin1');
  expect(s).toContain(from);
  expect(to).toHaveLength(from.length);
  return new Uint8Array(Buffer.from(s.split(from).join(to), 'latin1'));
}

/**
 * The fast worker reads the same as the reference: the same text items, the same ruling lines on every
 * page where it read them, and the same lines of cells. It may leave out a page's ruling lines only
 * where they make no table (the reference reads every page's).
 */
function expectSameReading(fast: PdfPage[], reference: PdfPage[]) {
  expect(fast.map((p) => p.items)).toEqual(reference.map((p) => p.items));
  fast.forEach((p, i) => {
    if (p.segments.length) expect(p.segments).toEqual(reference[i].segments);
  });
  expect(pagesToLines(fast)).toEqual(pagesToLines(reference));
}

const allText = (pages: PdfPage[]) => pages.flatMap((p) => p.items.map((i) => i.str)).join('');

describe('PDF font programs: left out only where text does not need them', () => {
  const fast = startWorker(false);
  const reference = startWorker(true);
  afterAll(async () => {
    await fast.close();
    await reference.close();
  });

  test('the installed PDF.js is patched, and the patch acts only through the worker\'s hook', async () => {
    expect(readFileSync(pdfjsPath(), 'utf8').endsWith(`${MARKER}\n`)).toBe(true);
    await fast.pages(fixture('report.pdf'));
    await reference.pages(fixture('report.pdf'));
    const stats = await fast.stats();
    expect(stats.fontsWithoutProgram).toBeGreaterThan(0);
    // PDF.js's in-thread messages are copied in JS, except the few that are not plain data.
    expect(stats.messagesCopied).toBeGreaterThan(10 * stats.messagesCloned);
    expect(await reference.stats()).toEqual({ fontsWithoutProgram: 0, fontsWithProgram: 0, pagesWithoutRulings: 0, pagesReplayed: 0, messagesCopied: 0, messagesCloned: 0 });
  });

  test.each([
    ['LibreOffice, Type 1 CJK subsets with ToUnicode', () => fixture('report.pdf')],
    ['LibreOffice, the copy with a changed cell', () => fixture('report-t3-error.pdf')],
    ['a damaged xref that PDF.js repairs', () => new Uint8Array(readFileSync(path.join(ROOT, 'test/fuzz/cases/pdf-unhandled-rejection.pdf')))],
    ['TrueType CID font, Identity-H (as Word and WPS embed fonts)', trueTypeCid],
  ])('%s: same pages as with every program, and the programs were left out', async (_name, make) => {
    const bytes = await make();
    const before = await fast.stats();
    const pages = await fast.pages(bytes);
    const after = await fast.stats();
    expectSameReading(pages, await reference.pages(bytes));
    expect(after.fontsWithoutProgram).toBeGreaterThan(before.fontsWithoutProgram);
    expect(after.fontsWithProgram).toBe(before.fontsWithProgram);
    expect(allText(pages)).toMatch(/青禾区人民政府办公室.*年/);
  });

  const FIXTURE_PDFS = ['fixtures/real/huaian-shi-2024-wps.pdf', 'fixtures/realistic/docx-merged-2023.pdf', 'fixtures/realistic/template-filled-2022.pdf'];
  test.each(FIXTURE_PDFS)('%s (real WPS and LibreOffice PDFs): same reading; prose pages read without their operator list', async (file) => {
    const bytes = new Uint8Array(readFileSync(path.join(ROOT, file)));
    const before = await fast.stats();
    const pages = await fast.pages(bytes);
    const after = await fast.stats();
    expectSameReading(pages, await reference.pages(bytes));
    expect(after.fontsWithProgram).toBe(before.fontsWithProgram);
    // Every page whose lines make a table was read with them.
    expect(pages.filter((p) => p.segments.length).length).toBeGreaterThan(0);
    if (file.includes('huaian')) expect(after.pagesWithoutRulings - before.pagesWithoutRulings).toBeGreaterThanOrEqual(3);
    // Every operator list read was replayed from the text pass's record of the page, not lexed again.
    const read = pages.length - (after.pagesWithoutRulings - before.pagesWithoutRulings);
    expect(after.pagesReplayed - before.pagesReplayed).toBe(read);
  });

  test('a page of prose under a rule skips its operator list; a ruled table on the next page does not', async () => {
    const bytes = await pdfkitPdf((doc) => {
      doc.font(CJK_FONT).fontSize(12);
      doc.moveTo(60, 50).lineTo(535, 50).stroke();
      doc.text('（二）依申请公开情况。2024 年，全市共受理政府信息公开申请 3119 件，答复 3050 件（含上年度结转申请 34 件），均在法定期限内予以答复。'.repeat(4), 60, 80, { width: 475, align: 'justify' });
      doc.addPage().fontSize(11);
      [['信息内容', '本年制发件数', '本年废止件数'], ['规章', '1', '']].forEach((row, i) =>
        row.forEach((cell, j) => {
          doc.rect(60 + j * 150, 200 + i * 24, 150, 24).stroke();
          doc.text(cell, 64 + j * 150, 206 + i * 24, { width: 142, lineBreak: false });
        }),
      );
    });
    const before = await fast.stats();
    const pages = await fast.pages(bytes);
    expect((await fast.stats()).pagesWithoutRulings - before.pagesWithoutRulings).toBe(1);
    expect(pages[0].segments).toEqual([]);
    expect(pages[1].segments.length).toBeGreaterThanOrEqual(4);
    expectSameReading(pages, await reference.pages(bytes));
    expect(pagesToLines(pages).lines).toContainEqual(['规章', '1', '']);
  });

  test('a ruled table whose row PDF.js reads as one run ("规章 1 0 11") keeps its ruling lines', async () => {
    const bytes = await pdfkitPdf((doc) => {
      doc.font(CJK_FONT).fontSize(11);
      for (let j = 0; j < 4; j++) doc.rect(60 + j * 40, 200, 40, 24).stroke();
      doc.text('规章 1 0 11', 64, 206, { lineBreak: false });
    });
    const before = await fast.stats();
    const pages = await fast.pages(bytes);
    expect((await fast.stats()).pagesWithoutRulings).toBe(before.pagesWithoutRulings);
    expect(pages[0].segments.length).toBeGreaterThanOrEqual(4);
  });

  (existsSync(CFF_FONT) ? test : test.skip)('CFF CID font (FontFile3), if fonts-noto-cjk is installed: same pages, program left out', async () => {
    const bytes = await cffCid();
    const before = await fast.stats();
    const pages = await fast.pages(bytes);
    expect((await fast.stats()).fontsWithoutProgram).toBeGreaterThan(before.fontsWithoutProgram);
    expectSameReading(pages, await reference.pages(bytes));
    expect(allText(pages)).toContain('青禾区人民政府办公室');
  });

  test('the title that deleting /FontFile used to lose is read', async () => {
    const pages = await fast.pages(fixture('report.pdf'));
    expect(allText(pages.slice(0, 1))).toContain('青禾区人民政府办公室');
  });

  test.each([
    ['no ToUnicode: the text comes from the program', () => renameKey(fixture('report.pdf'), '/ToUnicode', '/ToUnicodX')],
    ['no Widths: the widths come from the program', () => renameKey(fixture('report.pdf'), '/Widths', '/Widthx')],
  ])('%s: the program is loaded, same pages', async (_name, make) => {
    const bytes = make();
    const before = await fast.stats();
    const pages = await fast.pages(bytes);
    const after = await fast.stats();
    expectSameReading(pages, await reference.pages(bytes));
    expect(after.fontsWithProgram).toBeGreaterThan(before.fontsWithProgram);
    expect(pages.some((p) => p.items.length > 0)).toBe(true);
  });

  test('a standard font without a program reads the same', async () => {
    const bytes = await standardFont();
    const pages = await fast.pages(bytes);
    expectSameReading(pages, await reference.pages(bytes));
    expect(allText(pages)).toContain('Annual report 2021');
  });
});

/** A PDF written object by object (content the drawing libraries do not make: forms, inline images, bad operators). */
function handPdf(objects: string[]): Uint8Array {
  let out = '%PDF-1.7\n';
  const offsets = objects.map((body, i) => {
    const at = out.length;
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
    return at;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(out, 'latin1'));
}
const stream = (content: string, dict = '') => `<< ${dict} /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`;

describe('operator lists replayed from the text pass', () => {
  const fast = startWorker(false);
  const reference = startWorker(true);
  afterAll(async () => {
    await fast.close();
    await reference.close();
  });

  /** One page of a table's text and rules drawn through two content streams, transforms, a form used twice and an inline image. */
  const tricky = (extra = '') =>
    handPdf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents [4 0 R 5 0 R] /Resources << /Font << /F1 6 0 R >> /XObject << /Fm1 7 0 R >> >> >>',
      stream('q 1 0 0 1 50 50 cm 0.5 w 0 0 m 400 0 l S 0 20 m 400 20 l S Q\nBT /F1 11 Tf 60 700 Td (Rules 1 2 3) Tj 0 -14 Td [(Cells) -3000 (4)] TJ ET'),
      stream(`q 0.5 0 0 0.5 100 100 cm /Fm1 Do Q /Fm1 Do\nq 10 0 0 10 300 300 cm BI /W 2 /H 2 /CS /G /BPC 8 ID \x00\xff\xff\x00 EI Q\n10 10 100 50 re f 60 400 200 0.8 re f ${extra}`),
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
      stream('0 0 m 100 0 l 100 100 l S q 2 0 0 2 0 0 cm 0 50 m 50 50 l S Q BT /F1 10 Tf 5 5 Td (in form 1  2) Tj ET', '/Type /XObject /Subtype /Form /BBox [0 0 300 300] /Matrix [1 0 0 1 10.3 20.7] /Resources << /Font << /F1 6 0 R >> >>'),
    ]);

  test('forms, transforms, several content streams and an inline image: same pages, the operator list replayed', async () => {
    const bytes = tricky();
    const before = await fast.stats();
    const pages = await fast.pages(bytes);
    expect((await fast.stats()).pagesReplayed - before.pagesReplayed).toBe(1);
    expectSameReading(pages, await reference.pages(bytes));
    // The page's two rules, three in each use of the form, a filled box's four edges and a thin filled bar.
    expect(pages[0].segments).toHaveLength(2 + 2 * 3 + 4 + 1);
    expect(allText(pages)).toContain('in form');
  });

  test('a content stream the text pass could not read to its end is lexed again, with the same result', async () => {
    const bytes = tricky(Array.from({ length: 40 }, (_, i) => i).join(' ') + ' m 5 5 l S');
    const before = await fast.stats();
    const pages = await fast.pages(bytes);
    expect((await fast.stats()).pagesReplayed).toBe(before.pagesReplayed);
    expect(pages[0].segments.length).toBeGreaterThan(0); // the operator list was read, up to the bad operator
    expectSameReading(pages, await reference.pages(bytes));
  });
});

describe('images', () => {
  const fast = startWorker(false);
  const reference = startWorker(true);
  afterAll(async () => {
    await fast.close();
    await reference.close();
  });

  test('a page with a picture and a ruled table, and a page that is only a picture (a scan): same pages', async () => {
    const picture = png(400, 300);
    const bytes = await pdfkitPdf((doc) => {
      doc.image(picture, 300, 40, { width: 200 });
      doc.font(CJK_FONT).fontSize(12).text('青禾区人民政府办公室 公章', 60, 60);
      doc.rect(60, 200, 120, 24).rect(180, 200, 120, 24).stroke();
      doc.text('规章', 64, 206).text('12', 184, 206);
      doc.addPage().image(picture, 0, 0, { width: 595, height: 842 });
    });
    const pages = await fast.pages(bytes);
    expectSameReading(pages, await reference.pages(bytes));
    expect(pages[0].segments.length).toBeGreaterThanOrEqual(4);
    expect(allText(pages)).toContain('青禾区人民政府办公室');
    expect(pages[1].items).toEqual([]);
  });
});

describe('the patch and the pin', () => {
  test('written for the unpdf that package.json pins exactly and that is installed', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const installed = JSON.parse(readFileSync(path.join(path.dirname(pdfjsPath()), '..', 'package.json'), 'utf8'));
    expect([pkg.dependencies.unpdf, installed.version]).toEqual([VERSION, VERSION]);
    expect(pkg.dependencies.pdfkit).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pkg.scripts.postinstall).toBe('node patches/unpdf-pdfjs.cjs');
  });

  test('a PDF.js the patterns do not match fails the install and is left as it was', () => {
    // The installed module without its marker: its patterns are already replaced, so none matches.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'nianbao-pdfjs-'));
    try {
      const copy = path.join(dir, 'pdfjs.mjs');
      const src = readFileSync(pdfjsPath(), 'utf8').replace(`${MARKER}\n`, '');
      writeFileSync(copy, src);
      expect(() => patchFile(copy)).toThrow(/matches 0 times, not once/);
      expect(readFileSync(copy, 'utf8')).toBe(src);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
