/**
 * Ingest benchmark: end-to-end readReport (detect → extract → parseLines) per input format, one file
 * at a time (one core; the PDF worker thread runs while the caller waits). Writes
 * bench/results/ingest.md. Run: npx tsx bench/ingest.ts [iterations]
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readReport, isUnreadable } from '../shared/report/ingest';
import { closePdfWorker } from '../shared/report/ingest/pdf';
import { ROOT } from './lib';

const FIXTURES = path.join(ROOT, 'fixtures/formats');
const FORMATS: { label: string; file: string; target?: number }[] = [
  { label: 'DOCX', file: 'report.docx', target: 100 },
  { label: 'PDF', file: 'report.pdf', target: 20 },
  // A real report as its office published it: WPS-made, 6 pages (fixtures/real/README.md).
  { label: 'PDF (real, WPS)', file: '../real/huaian-shi-2024-wps.pdf', target: 20 },
  { label: 'HTML (UTF-8)', file: 'report.html' },
  { label: 'HTML (GBK)', file: 'report-gbk.html' },
  { label: 'Text (GB18030)', file: 'report-gb18030.txt' },
  { label: 'JSON', file: 'report.json' },
];

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function main() {
  const iterations = Number(process.argv[2] ?? 200);
  // Optional format labels (e.g. PDF): measure those only, print, do not write the results file.
  const only = process.argv.slice(3);
  const rows: string[] = [];
  const results: { label: string; p50: number; p99: number; wallRate: number; cpuMs: number; cpuRate: number; target?: number }[] = [];
  for (const f of FORMATS.filter((f) => only.length === 0 || only.includes(f.label))) {
    const bytes = new Uint8Array(readFileSync(path.join(FIXTURES, f.file)));
    const n = f.label.startsWith('PDF') ? Math.max(20, Math.floor(iterations / 4)) : iterations;
    // Warm-up: JIT, the PDF worker's start and PDF.js load are not per-report costs.
    for (let i = 0; i < 10; i++) {
      const r = await readReport(bytes, { year: 2024 });
      if (isUnreadable(r)) throw new Error(`${f.file}: ${r.unreadable}`);
    }
    const times: number[] = [];
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      await readReport(bytes, { year: 2021 });
      times.push(performance.now() - t);
    }
    const wall = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000 / n;
    times.sort((a, b) => a - b);
    results.push({ label: f.label, p50: pct(times, 50), p99: pct(times, 99), wallRate: (n * 1000) / wall, cpuMs, cpuRate: 1000 / cpuMs, target: f.target });
    console.log(`${f.label}: p50 ${pct(times, 50).toFixed(1)} ms, p99 ${pct(times, 99).toFixed(1)} ms, ${((n * 1000) / wall).toFixed(1)} reports/s wall, ${cpuMs.toFixed(1)} ms CPU/report`);
  }
  await closePdfWorker();
  if (only.length) return;

  const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  for (const r of results) {
    const verdict = r.target === undefined ? '' : r.wallRate >= r.target ? `≥ ${r.target} ✔` : r.cpuRate >= r.target ? `≥ ${r.target} by CPU time only` : `< ${r.target} ✘`;
    rows.push(`| ${r.label} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.wallRate.toFixed(1)} | ${r.cpuMs.toFixed(1)} | ${r.cpuRate.toFixed(1)} | ${verdict} |`);
  }
  const md = `# Ingest benchmark

\`npx tsx bench/ingest.ts ${iterations}\` — end-to-end \`readReport\` (detect kind → extract lines → \`parseLines\`) of the
fixture report (fixtures/formats, 3 pages, tables 二/三/四), one file at a time. Wall time is affected by other
processes on the machine; CPU time (user + system of the whole process, the PDF worker thread included) is not.

- Date: ${new Date().toISOString()} · Node ${process.version} · ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}
- Load average during the run: ${load} (the machine is shared; wall-clock rates are lower bounds)

| format | p50 ms | p99 ms | reports/s (wall) | CPU ms/report | reports/s (CPU) | target |
|---|---|---|---|---|---|---|
${rows.join('\n')}

## Notes

- PDF: the worker (shared/report/ingest/pdf-worker-source.ts) runs PDF.js with changes that leave
  the extracted items and ruling lines identical (test/ingest/pdf-worker.test.ts compares them with
  PDF.js as shipped): embedded font programs are not loaded when the font dictionary already gives the
  text (ToUnicode + Widths, or W for CID fonts) — they were most of the time (Type 1 → CFF conversion of
  LibreOffice's CJK subsets); TextState#clone no longer turns each saved text state into a V8 prototype
  object; streams are inflated with one zlib call instead of a web DecompressionStream each. Images are
  dropped before decoding (\`maxImageSize: 0\`). Since 2026-12-05 the programs are not even inflated, fonts
  read without one build no glyph map and put no glyphs into the operator list, and the operator list (the
  second pass over a page's content stream, read for the ruling lines of tables) is read only on pages whose
  text may sit in a table: 3 of the real WPS report's 6 pages skip it (91 → 72 ms CPU per report).
  Later the same day (issue 12): a ToUnicode CMap is copied by the codes it maps, not by every code up to
  the highest (~1.5 ms per WPS font); PDF.js's in-thread messages are copied in JS instead of through
  structuredClone; the operator list replays the operators the text pass already lexed instead of lexing
  the page again; EvalState#clone no longer chains prototypes (its V8 maps kept PDF.js's loops
  recompiling). This command, before → after, alternated in the same minutes (load 1.6–2.2): real WPS PDF
  68–83 → 44–49 ms CPU, 17–18 → 27–29 reports/s wall; generated PDF ~31 → 27–33 ms CPU. The real PDF
  measured alone (the first PDF in a fresh process, \`npx tsx bench/ingest.ts 200 "PDF (real, WPS)"\`)
  costs more, 61–74 ms CPU (before: 88–107): about a third of the process's CPU is V8 compiling PDF.js's
  loops and collecting garbage on its background threads, which the generated PDF's run warms up here.
  Before all this: 120 ms p50, 172.6 ms CPU per report (8.2/s). What remains is PDF.js's own text pass
  (glyph mapping, text items, font loading), the operator list on the 3 table pages, GC, TurboFan
  recompiling PDF.js's per-page closures, and ~5 ms on the main thread (parseLines ~4 ms, layout ~1 ms).
  A/B of the worker alone: \`npx tsx bench/profiles/pdf-worker-ab.ts current|unpatched [file.pdf ...]\`;
  profile: \`npx tsx bench/profile.ts bench/profiles/ingest-pdf-real.ts\`.
- DOCX is read straight from word/document.xml with a flat tokenizer; mammoth gives the same lines
  at ~85 ms per report (kept as the test oracle only).
`;
  mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(path.join(ROOT, 'bench/results/ingest.md'), md);
  console.log(md);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
