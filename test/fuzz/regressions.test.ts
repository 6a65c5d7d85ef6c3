/**
 * Bugs the fuzz run found (bench/fuzz.ts, docs/RELIABILITY.md "Bad input"), one test each.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { strToU8 } from 'fflate';
import { marshall } from '@aws-sdk/util-dynamodb';
import { readReport, isUnreadable, INGEST_LIMITS } from '../../shared/report/ingest';
import { closePdfWorker, pdfToLines } from '../../shared/report/ingest/pdf';
import { MAX_HTML_DEPTH, MAX_HTML_ELEMENTS } from '../../shared/report/ingest/html';
import { parseCell } from '../../shared/report/parse/values';
import { validateParsed, MAX_FINDINGS, MAX_MESSAGE_CHARS, LIMIT_RULE } from '../../shared/report/validate';

afterAll(() => closePdfWorker());

const ROOT = path.join(__dirname, '../..');
const file = (p: string) => new Uint8Array(readFileSync(path.join(ROOT, p)));
const CTX = { year: 2021, office: '青禾区人民政府办公室' };
const CHINESE = /[\u4e00-\u9fff]/;

async function read(bytes: Uint8Array) {
  return readReport(bytes, CTX);
}

describe('PDF worker', () => {
  test('a PDF on which PDF.js leaves a promise unhandled is read, not reported as a crashed parser', async () => {
    // Fuzz case: report-t3-error.pdf with randomised xref offsets. PDF.js repairs the xref but leaves an
    // XRefEntryException unhandled, which used to kill the worker thread.
    const r = await pdfToLines(file('test/fuzz/cases/pdf-unhandled-rejection.pdf'));
    expect(r).toHaveProperty('lines');
  });

  test('a worker killed on a timeout does not fail the next file given to its successor', async () => {
    const pdf = file('fixtures/formats/report.pdf');
    const first = await pdfToLines(pdf, { ...INGEST_LIMITS, pdfTimeoutMs: 1 });
    expect(first).toHaveProperty('unreadable');
    // The killed worker's exit event arrives while this job runs in the new worker.
    const second = await pdfToLines(pdf);
    expect(second).toHaveProperty('lines');
  });
});

describe('enormous numbers', () => {
  test('a number beyond 2^53 is an invalid cell, not Infinity or an inexact count', () => {
    expect(parseCell('9'.repeat(400))).toMatchObject({ kind: 'invalid', value: null });
    expect(parseCell('1' + '0'.repeat(308))).toMatchObject({ kind: 'invalid', value: null });
    expect(parseCell('9007199254740993')).toMatchObject({ kind: 'invalid' });
    expect(parseCell('9007199254740991')).toMatchObject({ kind: 'number', value: 9007199254740991 });
    expect(parseCell('9'.repeat(400)).problem).toContain('数值过大');
    // The quoted raw text is clipped.
    expect(parseCell('9'.repeat(400)).problem!.length).toBeLessThan(80);
  });

  test('no message of a report with 400-digit and 1e308-sized cells says Infinity', async () => {
    const text = new TextDecoder().decode(file('fixtures/clean-2021.txt'));
    let k = 0;
    const hostile = text.replace(/(?<=\| )\d{1,3}(?= \||$)/gm, () => (k++ % 2 ? '9'.repeat(400) : '1' + '0'.repeat(308)));
    expect(k).toBeGreaterThan(10);
    const r = await read(strToU8(hostile));
    if (isUnreadable(r)) throw new Error(r.unreadable);
    const v = validateParsed(r, CTX);
    expect(v.verdict).toBe('rejected');
    expect(v.findings.some((f) => f.message.includes('数值过大'))).toBe(true);
    for (const f of v.findings) expect(f.message).not.toMatch(/Infinity|NaN/);
  });

  test('a 400-digit figure in the narrative gives no Infinity finding (DynamoDB refuses to store one)', async () => {
    const r = await read(file('fixtures/clean-2021.txt'));
    if (isUnreadable(r)) throw new Error(r.unreadable);
    const sections = r.report.sections.map((s, i) => (i === 0 ? { ...s, text: `${s.text}上年结转${'9'.repeat(400)}件，予以公开${'9'.repeat(30)}件。` } : s));
    const v = validateParsed({ ...r, report: { ...r.report, sections } }, CTX);
    for (const f of v.findings) {
      expect([f.expected, f.actual].every((x) => x === null || Number.isFinite(x))).toBe(true);
      expect(f.message).not.toContain('Infinity');
    }
    expect(() => marshall({ findings: v.findings }, { removeUndefinedValues: true })).not.toThrow();
  });

  test('JSON cell values beyond 2^53 are refused with the cell path', async () => {
    const report = JSON.parse(new TextDecoder().decode(file('fixtures/formats/report.json')));
    report.table3['（七）总计']['总计'] = { raw: '1e308', kind: 'number', value: 1e308 };
    const r = await read(strToU8(JSON.stringify(report)));
    expect(isUnreadable(r) && r.unreadable).toContain('“（七）总计”.“总计”：数值过大');
  });
});

describe('bounded findings', () => {
  test('thousands of findings are cut to a bounded list whose verdict is unchanged', async () => {
    const report = JSON.parse(new TextDecoder().decode(file('fixtures/formats/report.json')));
    for (let i = 0; i < 5000; i++) report.table3[`行${i}`] = { 总计: { raw: String(i), kind: 'number', value: i } };
    const r = await read(strToU8(JSON.stringify(report)));
    if (isUnreadable(r)) throw new Error(r.unreadable);
    const v = validateParsed(r, CTX);
    expect(v.findings).toHaveLength(MAX_FINDINGS);
    const last = v.findings[MAX_FINDINGS - 1];
    expect(last.rule).toBe(LIMIT_RULE);
    expect(last.message).toMatch(/另有 \d+ 项问题未逐条列出/);
    expect(v.verdict).toBe('rejected');
    // Small enough for one DynamoDB item.
    expect(Buffer.byteLength(JSON.stringify(v.findings))).toBeLessThan(350 * 1024);
  });

  test('a megabyte-long cell is not quoted in full', async () => {
    const text = new TextDecoder().decode(file('fixtures/clean-2021.txt')).replace(/(\t)(\d+)(\t)/, `$1${'十'.repeat(1_000_000)}$3`);
    const r = await read(strToU8(text));
    if (isUnreadable(r)) throw new Error(r.unreadable);
    const v = validateParsed(r, CTX);
    expect(v.findings.length).toBeGreaterThan(0);
    for (const f of v.findings) expect(f.message.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS + 1);
  });

  test('JSON keys a megabyte long are clipped in the refusal message', async () => {
    const report = JSON.parse(new TextDecoder().decode(file('fixtures/formats/report.json')));
    report.table3['（七）总计'] = { ['键'.repeat(1_000_000)]: { raw: '1', kind: 'number', value: null } };
    const r = await read(strToU8(JSON.stringify(report)));
    expect(isUnreadable(r)).toBe(true);
    expect((r as { unreadable: string }).unreadable.length).toBeLessThan(5000);
  });
});

describe('deeply nested HTML', () => {
  const report = new TextDecoder().decode(file('fixtures/formats/report.html')).replace(/^[\s\S]*?<body[^>]*>|<\/body>[\s\S]*$/g, '');
  const nested = (depth: number, inner: string) => strToU8(`<html><head><meta charset="utf-8"></head><body>${'<div>'.repeat(depth)}${inner}${'</div>'.repeat(depth)}</body></html>`);

  test('10,000 levels: refused with a Chinese message, not a stack overflow', async () => {
    const r = await read(nested(10_000, report));
    expect(isUnreadable(r)).toBe(true);
    const msg = (r as { unreadable: string }).unreadable;
    expect(msg).toContain('嵌套');
    expect(msg).not.toMatch(/Maximum call stack|读取失败/);
  });

  test('200,000 levels (htmlparser2 alone is quadratic there): refused all the same', async () => {
    const r = await read(nested(200_000, 'x'));
    expect(isUnreadable(r) && r.unreadable).toContain('嵌套');
  });

  test('two million <br> (7.6 MB) are refused before they become a DOM of two million nodes', async () => {
    const r = await read(strToU8(`<html><body><p>报告</p>${'<br>'.repeat(2_000_000)}</body></html>`));
    expect(isUnreadable(r) && r.unreadable).toContain(`标签超过 ${MAX_HTML_ELEMENTS} 个`);
  });

  test('just under the limit, the report inside is read', async () => {
    // The report's own tables add a few levels below the divs.
    const r = await read(nested(MAX_HTML_DEPTH - 20, report));
    if (isUnreadable(r)) throw new Error(r.unreadable);
    expect(r.report.table3).not.toBeNull();
    expect(r.report.year).toBe(2021);
  });
});

describe('plain text far beyond a report', () => {
  test('10 MB of tabs on one line is refused before it is split into ten million cells', async () => {
    const r = await read(strToU8('报告' + '\t'.repeat(10 * 1024 * 1024)));
    expect(isUnreadable(r) && r.unreadable).toContain('过长');
  });

  test('millions of short lines are refused like an extracted file with too many lines', async () => {
    const r = await read(strToU8('一、总体情况\n' + '1\n'.repeat(2_000_000)));
    expect(isUnreadable(r) && r.unreadable).toContain('过长');
    const docs = await read(strToU8('1\n'.repeat(INGEST_LIMITS.maxLines - 10)));
    expect(isUnreadable(docs)).toBe(false);
  });

  test('messages of these refusals are Chinese', async () => {
    const r = await read(strToU8('|'.repeat(300_000)));
    expect(isUnreadable(r) && r.unreadable).toMatch(CHINESE);
  });
});
