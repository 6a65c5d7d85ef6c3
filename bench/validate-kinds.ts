/**
 * Validation per input kind and report size, one core: bytes → readReport (detect, extract, decode,
 * parse) → validateParsed (all rules), one report at a time in one process.
 * Inputs: the format fixtures (fixtures/formats: one 2021 report as a government web page, converted by
 * LibreOffice to Word, PDF and GB18030 text; the JSON model), grown the way real reports grow:
 * - narrative ×10 / ×100: every narrative paragraph repeated in place (text, HTML, DOCX, JSON; the PDF is
 *   LibreOffice's print of the grown DOCX, cached in bench/.cache/scaled/; ×100 would exceed the 50-page
 *   limit, so PDF stops at ×10),
 * - table rows ×10: every table row repeated (HTML, DOCX; LibreOffice's text export puts each cell on its own
 *   line, and the JSON model cannot repeat a row).
 * Writes bench/results/validate-kinds.md. Run: npx tsx bench/validate-kinds.ts [--quick]
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { isUnreadable, readReport } from '../shared/report/ingest';
import { validateParsed } from '../shared/report/validate';
import type { Report } from '../shared/report/model';
import { QUICK, ROOT, header, isMain, kb, loadSampler, ms, runMain, summarize, writeResult } from './lib';

const FORMATS = join(ROOT, 'fixtures', 'formats');
const CACHE = join(ROOT, 'bench', '.cache', 'scaled');
const CTX = { year: 2021, office: '青禾区人民政府办公室' };

type Kind = 'text' | 'JSON' | 'HTML' | 'DOCX' | 'PDF';
interface Input {
  kind: Kind;
  size: string;
  bytes: Uint8Array;
  note?: string;
}

const fixture = (name: string) => new Uint8Array(readFileSync(join(FORMATS, name)));

/** Repeats every match of `re` in `s` k times in place. */
const repeat = (s: string, re: RegExp, k: number) => s.replace(re, (m) => m.repeat(k));

// ---- growing each kind ----

function textGrown(k: number): Uint8Array {
  const text = new TextDecoder('gb18030').decode(fixture('report-gb18030.txt'));
  const lines = text.split(/\r?\n/);
  // Narrative: the long lines (LibreOffice's text export has one table cell per line, all short).
  const out = lines.flatMap((l) => (l.length > 40 ? Array(k).fill(l) : [l]));
  return new TextEncoder().encode(out.join('\n'));
}

function htmlGrown(k: number, what: 'narrative' | 'rows'): Uint8Array {
  const html = new TextDecoder().decode(fixture('report.html'));
  const grown = what === 'narrative' ? repeat(html, /<p style="text-indent:2em">[\s\S]*?<\/p>\n?/g, k) : repeat(html, /<tr>(?:(?!<tr>)[\s\S])*?<\/tr>\n?/g, k);
  return new TextEncoder().encode(grown);
}

/** Top-level body paragraphs with narrative text (outside tables), or table rows, repeated k times. */
function docxXmlGrown(xml: string, k: number, what: 'narrative' | 'rows'): string {
  if (what === 'rows') return repeat(xml, /<w:tr[ >](?:(?!<w:tr[ >])[\s\S])*?<\/w:tr>/g, k);
  let out = '';
  let depth = 0;
  let i = 0;
  const re = /<w:tbl>|<\/w:tbl>|<w:p[ >][\s\S]*?<\/w:p>/g;
  for (let m = re.exec(xml); m; m = re.exec(xml)) {
    out += xml.slice(i, m.index);
    i = m.index + m[0].length;
    if (m[0] === '<w:tbl>') depth++;
    else if (m[0] === '</w:tbl>') depth--;
    const text = m[0].startsWith('<w:p') ? m[0].replace(/<[^>]+>/g, '') : '';
    out += depth === 0 && text.length > 40 ? m[0].repeat(k) : m[0];
  }
  return out + xml.slice(i);
}

function docxGrown(k: number, what: 'narrative' | 'rows'): Uint8Array {
  const files = unzipSync(fixture('report.docx'));
  files['word/document.xml'] = strToU8(docxXmlGrown(strFromU8(files['word/document.xml']), k, what));
  return zipSync(files, { level: 6 });
}

function jsonGrown(k: number): Uint8Array {
  const r = JSON.parse(new TextDecoder().decode(fixture('report.json'))) as Report;
  r.sections = r.sections.map((s) => ({ ...s, text: s.text.split('\n').flatMap((p) => Array(k).fill(p)).join('\n') }));
  return new TextEncoder().encode(JSON.stringify(r));
}

/** The grown DOCX printed to PDF by LibreOffice, as an office would; cached by the DOCX's hash. */
function pdfOf(docx: Uint8Array, label: string): Uint8Array | null {
  const hash = createHash('sha256').update(docx).digest('hex').slice(0, 16);
  const pdf = join(CACHE, `report-${label}-${hash}.pdf`);
  if (existsSync(pdf)) return new Uint8Array(readFileSync(pdf));
  try {
    const work = join(CACHE, `work-${hash}`);
    mkdirSync(work, { recursive: true });
    const src = join(work, `report-${label}-${hash}.docx`);
    writeFileSync(src, docx);
    execFileSync('soffice', [`-env:UserInstallation=file://${join(CACHE, 'lo-profile')}`, '--headless', '--convert-to', 'pdf:writer_pdf_Export', '--outdir', work, src], { stdio: 'ignore', timeout: 180_000 });
    copyFileSync(join(work, `report-${label}-${hash}.pdf`), pdf);
    rmSync(work, { recursive: true, force: true });
    return new Uint8Array(readFileSync(pdf));
  } catch (e) {
    console.error(`soffice could not print ${label}: ${String(e)}`);
    return null;
  }
}

function inputs(): Input[] {
  mkdirSync(CACHE, { recursive: true });
  const out: Input[] = [];
  for (const [size, k] of [['×1', 1], ['narrative ×10', 10], ['narrative ×100', 100]] as const) {
    out.push({ kind: 'text', size, bytes: k === 1 ? fixture('report-gb18030.txt') : textGrown(k), note: 'GB18030' });
    out.push({ kind: 'JSON', size, bytes: k === 1 ? fixture('report.json') : jsonGrown(k) });
    out.push({ kind: 'HTML', size, bytes: k === 1 ? fixture('report.html') : htmlGrown(k, 'narrative') });
    const docx = k === 1 ? fixture('report.docx') : docxGrown(k, 'narrative');
    out.push({ kind: 'DOCX', size, bytes: docx });
    if (k === 1) out.push({ kind: 'PDF', size, bytes: fixture('report.pdf'), note: 'LibreOffice' });
    if (k === 10) {
      const pdf = pdfOf(docx, 'narrative-x10');
      if (pdf) out.push({ kind: 'PDF', size, bytes: pdf, note: 'LibreOffice' });
    }
  }
  out.push({ kind: 'HTML', size: 'table rows ×10', bytes: htmlGrown(10, 'rows') });
  out.push({ kind: 'DOCX', size: 'table rows ×10', bytes: docxGrown(10, 'rows') });
  return out;
}

async function once(bytes: Uint8Array): Promise<{ findings: number; errors: number }> {
  const read = await readReport(bytes, CTX);
  if (isUnreadable(read)) throw new Error(read.unreadable);
  const v = validateParsed(read, CTX);
  return { findings: v.findings.length, errors: v.findings.filter((f) => f.severity === 'error').length };
}

async function main() {
  const started = header(`npx tsx bench/validate-kinds.ts${QUICK ? ' --quick' : ''}`);
  const budgetMs = QUICK ? 500 : 5000;
  const rows: string[] = [];
  const list = inputs();
  for (const input of list) {
    // Warm-up: JIT, the PDF worker and PDF.js load (once per process, not per report).
    let result = await once(input.bytes);
    for (let i = 0; i < 2; i++) result = await once(input.bytes);
    const sampler = loadSampler(500);
    const times: number[] = [];
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    while (times.length < 5 || (performance.now() - t0 < budgetMs && times.length < 2000)) {
      const t = performance.now();
      await once(input.bytes);
      times.push(performance.now() - t);
    }
    const wall = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const s = summarize(times);
    const cpuMs = (cpu.user + cpu.system) / 1000 / times.length;
    rows.push(
      `| ${input.kind}${input.note ? ` (${input.note})` : ''} | ${input.size} | ${kb(input.bytes.length)} | ${times.length} | ${((times.length * 1000) / wall).toFixed(0)} | ${ms(s.p50, 2)} | ${ms(s.p99, 2)} | ${ms(cpuMs, 2)} | ${result.findings} (${result.errors} errors) | ${sampler.done()} |`,
    );
    console.log(rows[rows.length - 1]);
  }
  await (await import('../shared/report/ingest/pdf')).closePdfWorker();
  const md = `## Validation per input kind and report size (one core)

${started}
- \`readReport\` (detect kind → extract → decode → tolerant parser) + \`validateParsed\` (all rules) of one
  file at a time in one Node process, after 3 warm-up runs; each row runs for ${budgetMs / 1000} s (at least 5 reports).
  reports/s is wall-clock on one core (the PDF worker thread runs while the caller waits); CPU ms is user +
  system time of the whole process per report (not disturbed by other jobs' load, unlike wall time).
- Sizes: the fixture report (3 pages, 9 narrative paragraphs, tables 二/三/四) as is; every narrative
  paragraph repeated ×10 / ×100; every table row repeated ×10 (duplicate rows are findings, not errors of
  the benchmark). PDF ×100 would exceed the 50-page limit (refused with a message), so PDF stops at ×10.

| kind | size | KB | reports | reports/s | p50 ms | p99 ms | CPU ms/report | findings | load avg |
|---|---|---:|---:|---:|---:|---:|---:|---|---|
${rows.join('\n')}
`;
  writeResult('validate-kinds', md);
  console.log(md);
}

if (isMain('validate-kinds')) runMain(main);
