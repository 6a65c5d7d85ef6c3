/**
 * What every benchmark shares: percentiles, the machine line, the load average (recorded next to every
 * figure: the machine is shared), the --quick flag, and writing bench/results/<name>.md.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';

/** The repository root: the nearest package.json named nianbao above this file (also from an esbuild bundle). */
function findRoot(from: string): string {
  for (let d = from; d !== dirname(d); d = dirname(d)) {
    const pkg = join(d, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'nianbao') return d;
  }
  return join(from, '..');
}

export const ROOT = findRoot(__dirname);
export const BENCH_DIR = join(ROOT, 'bench');
export const RESULTS_DIR = join(BENCH_DIR, 'results');

/** `--quick` on the command line or BENCH_QUICK=1 (set by bench/run.ts for its children). */
export const QUICK = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';

/** Nearest-rank percentile of an ascending array. */
export function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const median = (xs: number[]) => pct([...xs].sort((a, b) => a - b), 50);
export const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

export interface Summary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export function summarize(xs: number[]): Summary {
  const s = [...xs].sort((a, b) => a - b);
  return { n: s.length, p50: pct(s, 50), p95: pct(s, 95), p99: pct(s, 99), max: s[s.length - 1], mean: sum(s) / Math.max(1, s.length) };
}

/** The 1-minute load average now, e.g. "2.41". */
export const load1 = () => os.loadavg()[0].toFixed(2);
/** All three load averages, e.g. "2.41 3.02 3.10". */
export const loadAll = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

/** Samples the 1-minute load average while a measurement runs; `done()` gives "min–max". */
export function loadSampler(everyMs = 1000): { done(): string } {
  const seen: number[] = [os.loadavg()[0]];
  const timer = setInterval(() => seen.push(os.loadavg()[0]), everyMs);
  timer.unref();
  return {
    done() {
      clearInterval(timer);
      seen.push(os.loadavg()[0]);
      const lo = Math.min(...seen);
      const hi = Math.max(...seen);
      return lo.toFixed(1) === hi.toFixed(1) ? lo.toFixed(1) : `${lo.toFixed(1)}–${hi.toFixed(1)}`;
    },
  };
}

export function machine(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model?.trim() ?? 'unknown CPU'}, ${cpus.length} vCPU, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, ${os.platform()} ${os.arch()}`;
}

/** Header lines every result section starts with. */
export function header(command: string): string {
  return [`- Command: \`${command}\`${QUICK ? ' (quick mode)' : ''}`, `- Date: ${new Date().toISOString()} · ${machine()}`, `- Load average at start: ${loadAll()} (machine shared with other jobs)`].join('\n');
}

export function writeResult(name: string, md: string): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${name}.md`);
  writeFileSync(file, md.endsWith('\n') ? md : md + '\n');
  return file;
}

/** Runs fn `n` times, returns the per-call times in ms. */
export async function timeEach(n: number, fn: (i: number) => unknown | Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    times.push(performance.now() - t);
  }
  return times;
}

export const ms = (x: number, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : '–');
export const kb = (bytes: number) => (bytes / 1024).toFixed(1);

/** Runs main, exits 1 on error with the stack. */
export function runMain(main: () => Promise<unknown>): void {
  main().then(
    // Done: results are written. Do not wait for timers others left behind (the local runtime's
    // /_local/idle keeps a 60 s timer), but let stdout drain first.
    () => setTimeout(() => process.exit(process.exitCode ?? 0), 200).unref(),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}

/**
 * Whether this process was started for the benchmark file `name` (bench/<name>.ts). Not
 * `require.main === module`: inside an esbuild bundle (bench/profile.ts) that is true for every file.
 */
export function isMain(name: string): boolean {
  return new RegExp(`(^|/)${name}\\.ts$`).test(process.argv[1] ?? '');
}
