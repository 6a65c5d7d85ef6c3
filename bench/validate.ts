/**
 * Parse + validate throughput on one core: bytes → readReport (detect, decode, parse) → validateParsed.
 * Corpus: the fixtures (seed + clean reports) and generated reports of both versions, some with blank
 * or changed cells, each encoded UTF-8 / GB18030 / UTF-16LE. Run: npx tsx bench/validate.ts
 * Writes bench/results/validate.md.
 */
import iconv from 'iconv-lite';
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { blankCell, numberCell } from '../shared/report/model';
import { isUnreadable, readReport } from '../shared/report/ingest';
import { validateParsed } from '../shared/report/validate';
import { writeText } from '../shared/report/write-text';
import { consistentReport } from '../test/report/rules-gen';
import { ROOT, isMain, runMain } from './lib';

const TARGET = 1000; // reports/s

export function corpus(): { name: string; bytes: Uint8Array }[] {
  const out: { name: string; bytes: Uint8Array }[] = [];
  for (const f of readdirSync(join(ROOT, 'fixtures')).filter((f) => f.endsWith('.txt'))) {
    out.push({ name: f, bytes: readFileSync(join(ROOT, 'fixtures', f)) });
  }
  for (let seed = 1; seed <= 200; seed++) {
    const r = consistentReport(seed);
    if (seed % 3 === 0) r.table3!['（一）予以公开']['总计'] = blankCell('—');
    if (seed % 5 === 0) r.table4!['行政复议']['结果维持'] = numberCell(r.table4!['行政复议']['结果维持'].value! + 1);
    const text = writeText(r);
    const bytes =
      seed % 4 === 0 ? iconv.encode(text, 'gb18030') : seed % 4 === 1 ? Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')]) : Buffer.from(text);
    out.push({ name: `generated-${seed}`, bytes });
  }
  return out;
}

/** One report: returns [parse ms, validate ms, findings]. */
async function once(bytes: Uint8Array): Promise<[number, number, number]> {
  const t0 = performance.now();
  const parsed = await readReport(bytes, { fileName: 'report.txt' });
  const t1 = performance.now();
  if (isUnreadable(parsed)) throw new Error(parsed.unreadable);
  const n = validateParsed(parsed).findings.length;
  return [t1 - t0, performance.now() - t1, n];
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function main() {
  const files = corpus();
  const rounds = Number(process.env.ROUNDS ?? 15);
  // Warm-up: JIT, caches of the equation generator.
  for (const f of files) await once(f.bytes);
  const times: number[] = [];
  const parseTimes: number[] = [];
  const ruleTimes: number[] = [];
  let findings = 0;
  const start = performance.now();
  for (let r = 0; r < rounds; r++) {
    for (const f of files) {
      const [p, v, n] = await once(f.bytes);
      parseTimes.push(p);
      ruleTimes.push(v);
      times.push(p + v);
      findings += n;
    }
  }
  const elapsed = (performance.now() - start) / 1000;
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const stage = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    return `${Math.round((xs.length * 1000) / sum(xs))} | ${pct(sorted, 50).toFixed(3)} | ${pct(sorted, 99).toFixed(3)}`;
  };
  times.sort((a, b) => a - b);
  const perSec = times.length / elapsed;
  const kb = files.reduce((a, f) => a + f.bytes.length, 0) / files.length / 1024;
  const row = {
    reports: times.length,
    perSec: Math.round(perSec),
    p50: pct(times, 50).toFixed(3),
    p99: pct(times, 99).toFixed(3),
    max: times[times.length - 1].toFixed(3),
  };
  const cpu = cpus()[0]?.model ?? 'unknown';
  const md = `# validate benchmark

\`npx tsx bench/validate.ts\` — parse + validate on one core (one Node process, sequential):
bytes → \`readReport\` (kind detection, decoding, tolerant parser) → \`validateParsed\` (all rules).

- Date: ${new Date().toISOString()}
- Machine: ${cpu}, ${cpus().length} vCPU (shared with other jobs while measured), ${(totalmem() / 2 ** 30).toFixed(1)} GiB
- Node: ${process.version}
- Corpus: ${files.length} text reports (the fixtures incl. the seed; 200 generated reports of both format
  versions, a third with a blank cell, a fifth with a changed cell; UTF-8, GB18030 and UTF-16LE), mean ${kb.toFixed(1)} KiB,
  ${rounds} rounds after one warm-up round; ${findings} findings in total.

| reports | reports/s | p50 ms/report | p99 ms/report | max ms | target |
|---:|---:|---:|---:|---:|---|
| ${row.reports} | ${row.perSec} | ${row.p50} | ${row.p99} | ${row.max} | ≥ ${TARGET} reports/s: ${perSec >= TARGET ? 'met' : 'NOT met'} |

Per stage (reports/s if the stage ran alone, from the summed stage times):

| stage | reports/s | p50 ms | p99 ms |
|---|---:|---:|---:|
| readReport: detect + decode + parse (shared/report/parse, ingest) | ${stage(parseTimes)} |
| validateParsed: all rules + sort (shared/report/rules) | ${stage(ruleTimes)} |

Share of the time: parsing ${Math.round((100 * sum(parseTimes)) / (sum(parseTimes) + sum(ruleTimes)))}%, rules ${Math.round((100 * sum(ruleTimes)) / (sum(parseTimes) + sum(ruleTimes)))}%.
The load average while measuring was ${loadavg()[0].toFixed(1)} on ${cpus().length} vCPUs: figures on an idle machine are higher.
`;
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench/results/validate.md'), md);
  console.log(md);
}

if (isMain('validate')) runMain(main);
