/**
 * Profiles a benchmark scenario: bundles it with esbuild (not minified, so frames keep their names and
 * files), runs it under `node --cpu-prof`, and prints the functions with the most self time and the
 * packages/files they belong to. Run: npx tsx bench/profile.ts bench/profiles/<scenario>.ts [top]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build } from 'esbuild';
import { ROOT, runMain } from './lib';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

export function topSelf(profileFile: string, top = 25): string {
  const p = JSON.parse(readFileSync(profileFile, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const byFn = new Map<string, number>();
  const byFile = new Map<string, number>();
  let total = 0;
  for (const n of p.nodes) {
    const t = (self.get(n.id) ?? 0) / 1000;
    total += t;
    const file = n.callFrame.url.replace(/^file:\/\//, '').replace(ROOT + '/', '') || '(native)';
    const fn = `${n.callFrame.functionName || '(anonymous)'} ${file}:${n.callFrame.lineNumber + 1}`;
    byFn.set(fn, (byFn.get(fn) ?? 0) + t);
    byFile.set(file, (byFile.get(file) ?? 0) + t);
  }
  const fmt = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, v]) => `${v.toFixed(0).padStart(7)} ms ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`)
      .join('\n');
  return `total ${total.toFixed(0)} ms\n-- self time by function --\n${fmt(byFn)}\n-- self time by file --\n${fmt(byFile)}`;
}

async function main() {
  const entry = process.argv[2];
  if (!entry) throw new Error('usage: npx tsx bench/profile.ts <scenario.ts> [top]');
  const out = join(ROOT, 'bench', '.cache', 'profile');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const bundle = join(out, basename(entry).replace(/\.ts$/, '.js'));
  // Bundled into the repo's tree so packages left external (unpdf for the PDF worker, the SDK) still resolve.
  await build({ entryPoints: [entry], bundle: true, platform: 'node', target: 'node20', outfile: bundle, external: ['@aws-sdk/*', 'unpdf', 'playwright-core'], logLevel: 'warning', keepNames: true });
  execFileSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', out, bundle, ...process.argv.slice(4)], { stdio: 'inherit' });
  for (const f of readdirSync(out).filter((f) => f.endsWith('.cpuprofile'))) {
    console.log(`\n== ${f}\n${topSelf(join(out, f), Number(process.argv[3] ?? 25))}`);
  }
}

if (require.main === module) runMain(main);
