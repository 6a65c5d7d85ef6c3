/**
 * `npm run bench` — every benchmark, one after the other, each in its own process (a fresh heap and JIT; the
 * cold-start one spawns its own), then bench/README.md assembled from bench/results/*.md.
 * `npm run bench -- --quick`: the same benchmarks with small samples (under 2 minutes; the cycle with 100
 * offices only). `npm run bench -- --only cycle,cold-start`: some of them (README still assembled from all results).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { QUICK, RESULTS_DIR, ROOT, loadAll, machine, runMain } from './lib';

interface Bench {
  name: string;
  file: string;
  /** Result file in bench/results (without .md). */
  result: string;
  args: (quick: boolean) => string[];
  env?: (quick: boolean) => Record<string, string>;
  title: string;
}

/** In README order. */
export const BENCHES: Bench[] = [
  { name: 'validate', file: 'validate.ts', result: 'validate', title: 'Validation throughput (text corpus)', args: () => [], env: (q) => ({ ROUNDS: q ? '2' : '15' }) },
  { name: 'validate-kinds', file: 'validate-kinds.ts', result: 'validate-kinds', title: 'Validation per input kind and size', args: (q) => (q ? ['--quick'] : []) },
  { name: 'ingest', file: 'ingest.ts', result: 'ingest', title: 'Ingest per format', args: (q) => [q ? '12' : '200'] },
  { name: 'render', file: 'render.ts', result: 'render', title: 'Canonical PDF render', args: (q) => [q ? '5' : '40'] },
  { name: 'pdf-vs-chromium', file: 'pdf-vs-chromium.ts', result: 'pdf-vs-chromium', title: 'PDF vs Chromium', args: (q) => (q ? ['--quick'] : []) },
  { name: 'cold-start', file: 'cold-start.ts', result: 'cold-start', title: 'Cold start', args: (q) => (q ? ['--quick'] : []), env: (q) => ({ COLD_N: q ? '3' : '15' }) },
  { name: 'cycle', file: 'cycle.ts', result: 'cycle', title: 'The cycle', args: (q) => (q ? ['--quick'] : []) },
  { name: 'public-record', file: 'public-record.ts', result: 'public-record', title: 'The public record: regenerating a year', args: (q) => (q ? ['--quick'] : []) },
  { name: 'mail-rate', file: 'mail-rate.ts', result: 'mail-rate', title: 'Reminders at the rate SES allows', args: (q) => (q ? ['--quick'] : []) },
];

/** Hand-written sections kept verbatim (before/after records of the fixes), after the measured ones. */
const STATIC_SECTIONS = ['fixes'];

/** A result file as a README section: its headings one level below the README's title. */
function section(md: string): string {
  const text = md.trim();
  return text.startsWith('# ') ? text.replace(/^(#+) /gm, '#$1 ') : text;
}

export function assembleReadme(): string {
  const parts: string[] = [];
  for (const b of BENCHES) {
    const file = join(RESULTS_DIR, `${b.result}.md`);
    parts.push(existsSync(file) ? section(readFileSync(file, 'utf8')) : `## ${b.title}\n\nNot measured yet: \`npm run bench -- --only ${b.name}\`.`);
  }
  for (const s of STATIC_SECTIONS) {
    const file = join(RESULTS_DIR, `${s}.md`);
    if (existsSync(file)) parts.push(section(readFileSync(file, 'utf8')));
  }
  const intro = readFileSync(join(ROOT, 'bench', 'README.intro.md'), 'utf8').trim();
  return `${intro}\n\n${parts.join('\n\n')}\n`;
}

async function main() {
  const onlyArg = process.argv.indexOf('--only');
  const only = onlyArg > 0 ? new Set(process.argv[onlyArg + 1].split(',')) : null;
  const started = performance.now();
  const summary: string[] = [];
  let failed = 0;
  console.log(`nianbao benchmarks${QUICK ? ' (quick)' : ''} — ${machine()} — load ${loadAll()}`);
  for (const b of BENCHES) {
    if (only && !only.has(b.name)) continue;
    const t = performance.now();
    console.log(`\n▶ ${b.name}`);
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'bench', b.file), ...b.args(QUICK)], {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, ...(b.env?.(QUICK) ?? {}), BENCH_QUICK: QUICK ? '1' : '0', POWERTOOLS_LOG_LEVEL: 'ERROR' },
    });
    const s = ((performance.now() - t) / 1000).toFixed(0);
    if (r.status !== 0) failed++;
    summary.push(`${b.name}: ${r.status === 0 ? 'ok' : `FAILED (exit ${r.status ?? r.signal})`} in ${s} s`);
  }
  writeFileSync(join(ROOT, 'bench', 'README.md'), assembleReadme());
  console.log(`\n${summary.join('\n')}\nbench/README.md written; total ${((performance.now() - started) / 1000).toFixed(0)} s`);
  if (failed) process.exitCode = 1;
}

runMain(main);
