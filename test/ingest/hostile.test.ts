/**
 * Files that are not what they claim, broken, or built to hurt: each ends in a clear Chinese message
 * (or, when some text is still readable, in findings) — never a throw, never a hang.
 */
import fc from 'fast-check';
import { strToU8, zipSync } from 'fflate';
import { readReport, isUnreadable, detectKind } from '../../shared/report/ingest';
import { closePdfWorker } from '../../shared/report/ingest/pdf';
import { runRules } from '../../shared/report/rules';
import { CTX, fixture, pdfkitPdf } from './helpers';

afterAll(() => closePdfWorker());

const CHINESE = /[\u4e00-\u9fff]/;

async function unreadable(bytes: Uint8Array, fileName?: string): Promise<string> {
  const r = await readReport(bytes, { ...CTX, fileName });
  if (!isUnreadable(r)) throw new Error(`expected unreadable, got a report with ${r.findings.length} findings`);
  expect(r.unreadable).toMatch(CHINESE);
  return r.unreadable;
}

/** Either unreadable with a Chinese message, or a report whose problems are findings. */
async function handled(bytes: Uint8Array): Promise<'unreadable' | 'findings'> {
  const r = await readReport(bytes, CTX);
  if (isUnreadable(r)) {
    expect(r.unreadable).toMatch(CHINESE);
    return 'unreadable';
  }
  expect([...r.findings, ...runRules(r.report, CTX)].length).toBeGreaterThan(0);
  return 'findings';
}

/** Sets the declared uncompressed size of `name` in the central directory and the local header. */
function lieAboutSize(zip: Uint8Array, name: string, size: number): Uint8Array {
  const out = new Uint8Array(zip);
  const dv = new DataView(out.buffer);
  const enc = new TextEncoder().encode(name);
  for (let i = 0; i + 46 < out.length; i++) {
    const sig = dv.getUint32(i, true);
    if (sig === 0x02014b50 && dv.getUint16(i + 28, true) === enc.length && enc.every((b, k) => out[i + 46 + k] === b)) dv.setUint32(i + 24, size, true);
    if (sig === 0x04034b50 && dv.getUint16(i + 26, true) === enc.length && enc.every((b, k) => out[i + 30 + k] === b)) dv.setUint32(i + 22, size, true);
  }
  return out;
}

const docxWith = (files: Record<string, Uint8Array>) => zipSync({ '[Content_Types].xml': strToU8('<Types/>'), ...files }, { level: 6 });

describe('not a report file', () => {
  test('an empty file', async () => {
    expect(await unreadable(new Uint8Array(0))).toContain('文件为空');
  });

  test('legacy Word (.doc, OLE2) asks for .docx', async () => {
    const ole = new Uint8Array(4096);
    ole.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    expect(await unreadable(ole, '报告.docx')).toContain('.docx');
  });

  test('RTF, an image, a zip that is not Word', async () => {
    expect(await unreadable(strToU8('{\\rtf1\\ansi 报告}'))).toContain('RTF');
    expect(await unreadable(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]), '报告.pdf')).toContain('图片');
    expect(await unreadable(zipSync({ 'xl/workbook.xml': strToU8('<workbook/>') }))).toContain('不是 Word');
  });

  test('a file above the size limit is refused before anything is read', async () => {
    const big = new Uint8Array(21 * 1024 * 1024);
    big.set(strToU8('%PDF-1.7'));
    expect(await unreadable(big)).toContain('文件过大');
  });

  test('random bytes never throw', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 2048 }), fc.constantFrom('', '%PDF-1.4\n', 'PK\u0003\u0004', '<html>', '{'), async (bytes, prefix) => {
        const data = new Uint8Array([...strToU8(prefix, true), ...bytes]);
        const r = await readReport(data, CTX);
        if (isUnreadable(r)) expect(r.unreadable).toMatch(CHINESE);
        else expect(r.report).toBeDefined();
      }),
      { numRuns: 60, seed: 20211231 },
    );
  });
});

describe('broken DOCX', () => {
  test('a truncated DOCX (upload cut in half)', async () => {
    const docx = fixture('report.docx');
    const cut = docx.slice(0, Math.floor(docx.length / 2));
    expect(detectKind(cut)).toBe('docx');
    expect(await unreadable(cut)).toContain('损坏');
  });

  test('flipped bytes anywhere in a DOCX never throw', async () => {
    const docx = fixture('report.docx');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(docx.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), async (flips) => {
        const d = new Uint8Array(docx);
        for (const [at, v] of flips) d[at] = v;
        const r = await readReport(d, CTX);
        if (isUnreadable(r)) expect(r.unreadable).toMatch(CHINESE);
      }),
      { numRuns: 40, seed: 7 },
    );
  });

  test('a DOCX without word/document.xml is not taken for Word', async () => {
    expect(await unreadable(docxWith({ 'word/styles.xml': strToU8('<w:styles/>') }))).toContain('不是 Word');
  });

  test('zip bomb, honest sizes: refused from the central directory, nothing inflated', async () => {
    const bomb = docxWith({ 'word/document.xml': new Uint8Array(8 * 1024 * 1024) });
    expect(bomb.length).toBeLessThan(100_000);
    expect(await unreadable(bomb)).toContain('安全');
  });

  test('zip bomb that lies about its size: inflation stops at the declared size', async () => {
    const honest = docxWith({ 'word/document.xml': new Uint8Array(8 * 1024 * 1024) });
    const liar = lieAboutSize(honest, 'word/document.xml', 4000);
    expect(await unreadable(liar)).toContain('安全');
  });

  test('zip bomb by entry count', async () => {
    const files: Record<string, Uint8Array> = { 'word/document.xml': strToU8('<w:document/>') };
    for (let i = 0; i < 2500; i++) files[`word/media/x${i}.bin`] = new Uint8Array(1);
    expect(await unreadable(docxWith(files))).toContain('安全');
  });
});

describe('PDF without usable text', () => {
  test('a scanned PDF (no text layer) asks for a text PDF or the Word file', async () => {
    const scan = await pdfkitPdf({ size: 'A4' }, (doc) => {
      doc.rect(50, 50, 400, 600).fill('#888');
    });
    const msg = await unreadable(scan);
    expect(msg).toContain('扫描件');
    expect(msg).toContain('.docx');
  });

  test('an encrypted PDF asks to remove the password', async () => {
    const locked = await pdfkitPdf({ userPassword: 'nianbao', ownerPassword: 'owner' }, (doc) => {
      doc.text('2021 annual report, encrypted');
    });
    expect(await unreadable(locked)).toContain('密码');
  });

  test('a PDF with more pages than a report is refused', async () => {
    const many = await pdfkitPdf({ autoFirstPage: false }, (doc) => {
      for (let i = 0; i < 60; i++) doc.addPage().text(`page ${i + 1}`);
    });
    expect(await unreadable(many)).toContain('页');
  });

  test('a truncated PDF ends in a message or in findings', async () => {
    const pdf = fixture('report.pdf');
    for (const share of [0.1, 0.5, 0.9]) {
      expect(['unreadable', 'findings']).toContain(await handled(pdf.slice(0, Math.floor(pdf.length * share))));
    }
  });

  test('bytes after a PDF header that are not a PDF', async () => {
    expect(await unreadable(strToU8('%PDF-1.7\nnot really a pdf at all\n%%EOF'))).toContain('PDF');
  });
});

describe('JSON that is not the canonical model', () => {
  test('broken JSON', async () => {
    expect(await unreadable(strToU8('{"title": "报告",'))).toContain('JSON 文件无法解析');
  });

  test('schema problems are listed with their paths, in Chinese', async () => {
    const report = JSON.parse(new TextDecoder().decode(fixture('report.json')));
    report.year = '2021';
    report.table3['（七）总计']['总计'] = { raw: '27', kind: 'number' };
    delete report.sections;
    const msg = await unreadable(strToU8(JSON.stringify(report)));
    expect(msg).toContain('year');
    expect(msg).toContain('sections');
    expect(msg).toContain('table3（表三）.“（七）总计”.“总计”');
    expect(msg).toMatch(/共 3 处问题/);
  });

  test('a cell whose kind and value disagree', async () => {
    const report = JSON.parse(new TextDecoder().decode(fixture('report.json')));
    report.table3['（七）总计']['总计'] = { raw: '27', kind: 'number', value: null };
    expect(await unreadable(strToU8(JSON.stringify(report)))).toContain('“（七）总计”.“总计”');
  });
});
