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
  { label: 'HTML (UTF-8)', file: 'report.html' },
  { label: 'HTML (GBK)', file: 'report-gbk.html' },
  { label: 'Text (GB18030)', file: 'report-gb18030.txt' },
  { label: 'JSON', file: 'report.json' },
];

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function main() {
  const iterations = Number(process.argv[2] ?? 200);
  const rows: string[] = [];
  const results: { label: string; p50: number; p99: number; wallRate: number; cpuMs: number; cpuRate: number; target?: number }[] = [];
  for (const f of FORMATS) {
    const bytes = new Uint8Array(readFileSync(path.join(FIXTURES, f.file)));
    const n = f.label === 'PDF' ? Math.max(20, Math.floor(iterations / 4)) : iterations;
    // Warm-up: JIT, the PDF worker's start and PDF.js load are not per-report costs.
    for (let i = 0; i < 10; i++) {
      const r = await readReport(bytes, { year: 2021 });
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

- PDF misses its target. Profiling (\`node --cpu-prof\`) puts the time in PDF.js itself: parsing and
  converting the embedded CJK font programs (LibreOffice embeds Noto CJK as Type 1; \`parseCharString\`,
  \`compileGlyphImpl\`, \`convert\`) and structured-cloning inside its in-process fake worker. Text
  extraction alone costs the same as text + operator list (fonts are loaded once per document), so
  reading the ruling lines is nearly free. Measured in-process without our worker: ~80 ms CPU for the
  3-page fixture on a quieter machine. Tried and rejected: renaming \`/FontFile*\` so PDF.js skips the
  font programs (2.5× faster, but Chinese text of fonts with a built-in encoding is lost).
  A Word/WPS PDF with TrueType subsets is expected to be cheaper; a report is read once per upload,
  so ~5 PDFs/s per core is still far more than the load of an annual cycle.
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
