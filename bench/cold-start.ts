/**
 * Cold start: every function bundled with esbuild exactly as the stack bundles it (infra/constructs/handler.ts:
 * NodejsFunction → `esbuild --bundle --target=node22 --platform=node --minify --sourcemap
 * --external:@aws-sdk/* --external:unpdf`), then
 * - the bundle's size (index.js; the source map ships too but is only read when an error is printed),
 * - what dominates it (esbuild metafile: bytes in the output per package / project folder),
 * - the cold `require` time in a fresh `node` process (median of N), against `node -e 0` in the same run.
 * `@aws-sdk/*` (external: the Lambda runtime ships it) resolves from the project's node_modules, so the
 * require time includes loading the SDK clients the bundle names, as in Lambda.
 * Writes bench/results/cold-start.md. Run: npx tsx bench/cold-start.ts [--quick] [--label before|after]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { QUICK, ROOT, header, isMain, kb, loadSampler, median, ms, runMain, writeResult } from './lib';

const FUNCTIONS = readdirSync(join(ROOT, 'functions')).filter((f) => {
  try {
    return statSync(join(ROOT, 'functions', f, 'handler.ts')).isFile();
  } catch {
    return false;
  }
});

/** The same options NodejsFunction passes (bundling props in infra/constructs/handler.ts). */
export async function bundleFunction(name: string, outDir: string): Promise<{ file: string; bytes: number; metafile: Metafile }> {
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, 'index.js');
  const result = await build({
    entryPoints: [join(ROOT, 'functions', name, 'handler.ts')],
    bundle: true,
    target: 'node22',
    platform: 'node',
    outfile: file,
    minify: true,
    sourcemap: true,
    external: ['@aws-sdk/*', 'unpdf'],
    logLevel: 'warning',
    metafile: true,
  });
  writeFileSync(join(outDir, 'meta.json'), JSON.stringify(result.metafile));
  return { file, bytes: statSync(file).size, metafile: result.metafile };
}

/** Output bytes per package (node_modules/<pkg>) or project folder (shared/report, …). */
export function dominators(meta: Metafile): Array<{ what: string; bytes: number }> {
  const by = new Map<string, number>();
  for (const out of Object.values(meta.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(out.inputs)) {
      const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
      const what = nm ? nm[1] : input.split('/').slice(0, input.startsWith('shared/') ? 3 : 2).join('/').replace(/\.ts$/, '');
      by.set(what, (by.get(what) ?? 0) + bytesInOutput);
    }
  }
  return [...by.entries()].map(([what, bytes]) => ({ what, bytes })).sort((a, b) => b.bytes - a.bytes);
}

/** Wall time of a fresh node process running `code`, in ms. */
function processMs(code: string, env: NodeJS.ProcessEnv): number {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['-e', code], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const elapsed = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`node -e ${code.slice(0, 80)}: ${r.stderr.toString().slice(0, 500)}`);
  return elapsed;
}

/**
 * The SDK packages a function's typical first invocation loads (its clients are created on first use, see
 * shared/aws/clients.ts), from the resources the stack gives it (infra/constructs/*.ts).
 */
export const FIRST_USE_SDK: Record<string, string[]> = {
  api: ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb'],
  'issue-upload': ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb', '@aws-sdk/client-s3', '@aws-sdk/s3-presigned-post'],
  'process-submission': ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb', '@aws-sdk/client-s3', '@aws-sdk/client-sesv2', '@aws-sdk/client-lambda'],
  archive: ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb', '@aws-sdk/client-s3'],
  reconcile: ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb', '@aws-sdk/client-s3'],
  'send-reminders': ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb', '@aws-sdk/client-sesv2'],
  'ses-events': ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb'],
};

/**
 * The require() inside the process, timed there (excludes Node's own start-up), then the SDK packages the
 * first invocation loads (those the bundle did not load already cost nothing more), in ms.
 */
function requireMs(file: string, sdk: string[], env: NodeJS.ProcessEnv): [number, number] {
  const code =
    `const h=()=>process.hrtime.bigint();let t=h();require(${JSON.stringify(file)});const a=Number(h()-t)/1e6;` +
    `t=h();for(const p of ${JSON.stringify(sdk)})require(p);const b=Number(h()-t)/1e6;process.stdout.write(a+' '+b)`;
  const out = execFileSync(process.execPath, ['-e', code], { env, stdio: ['ignore', 'pipe', 'pipe'], cwd: ROOT });
  const [a, b] = out.toString().split(' ').map(Number);
  return [a, b];
}

export interface ColdRow {
  name: string;
  bytes: number;
  requireMs: number;
  /** The SDK packages of the first invocation, loaded after the bundle. */
  firstUseMs: number;
  processMs: number;
  top: Array<{ what: string; bytes: number }>;
}

export async function measure(label: string, n: number): Promise<{ rows: ColdRow[]; emptyMs: number; load: string }> {
  const outRoot = join(ROOT, 'bench', '.cache', 'bundles', label);
  rmSync(outRoot, { recursive: true, force: true });
  const bundles = [];
  for (const name of FUNCTIONS) bundles.push({ name, ...(await bundleFunction(name, join(outRoot, name))) });
  // The Lambda environment of the stack (handler.ts): service name set, source maps shipped but not enabled.
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    AWS_REGION: 'us-east-1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    POWERTOOLS_SERVICE_NAME: 'nianbao-bench',
  };
  const sampler = loadSampler();
  const empty: number[] = [];
  const req = new Map<string, number[]>();
  const first = new Map<string, number[]>();
  const proc = new Map<string, number[]>();
  // Interleaved rounds: a load spike from another job hits every column alike.
  for (let i = 0; i < n; i++) {
    empty.push(processMs('0', env));
    for (const b of bundles) {
      proc.set(b.name, [...(proc.get(b.name) ?? []), processMs(`require(${JSON.stringify(b.file)})`, env)]);
      const [a, f] = requireMs(b.file, FIRST_USE_SDK[b.name] ?? [], env);
      req.set(b.name, [...(req.get(b.name) ?? []), a]);
      first.set(b.name, [...(first.get(b.name) ?? []), f]);
    }
  }
  const rows = bundles.map((b) => ({ name: b.name, bytes: b.bytes, requireMs: median(req.get(b.name)!), firstUseMs: median(first.get(b.name)!), processMs: median(proc.get(b.name)!), top: dominators(b.metafile).slice(0, 5) }));
  return { rows, emptyMs: median(empty), load: sampler.done() };
}

export function table(rows: ColdRow[], emptyMs: number, load: string): string {
  const lines = [
    `\`node -e 0\` (the empty process): **${ms(emptyMs)} ms** median · load average during the run ${load}`,
    '',
    '| function | bundle KB | require ms (in process) | process ms (node + require) | × empty process | targets | + SDK at first invocation ms | biggest parts of the bundle (KB) |',
    '|---|---:|---:|---:|---:|---|---:|---|',
  ];
  for (const r of rows) {
    const ratio = r.processMs / emptyMs;
    const size = r.name === 'process-submission' ? (r.bytes <= 500 * 1024 ? 'size ≤ 500 KB ✔' : 'size > 500 KB ✘') : '';
    const targets = [size, ratio <= 2 ? 'load ≤ 2× ✔' : 'load > 2× ✘'].filter(Boolean).join(', ');
    lines.push(`| ${r.name} | ${kb(r.bytes)} | ${ms(r.requireMs)} | ${ms(r.processMs)} | ${ratio.toFixed(2)} | ${targets} | ${ms(r.firstUseMs)} | ${r.top.map((t) => `${t.what} ${kb(t.bytes)}`).join(', ')} |`);
  }
  return lines.join('\n');
}

async function main() {
  const labelArg = process.argv.indexOf('--label');
  const label = labelArg > 0 ? process.argv[labelArg + 1] : 'current';
  const n = Number(process.env.COLD_N ?? (QUICK ? 5 : 15));
  const started = header(`npx tsx bench/cold-start.ts${QUICK ? ' --quick' : ''}`);
  const { rows, emptyMs, load } = await measure(label, n);
  const body = table(rows, emptyMs, load);
  console.log(body);
  if (label !== 'current') {
    // A labelled run (e.g. before a change) is kept verbatim for the before/after record.
    writeResult(`cold-start-${label}`, body);
    return;
  }
  const md = `## Cold start

${started}
- Bundles built with the stack's esbuild options (\`bench/.cache/bundles/\`), ${n} fresh \`node\` processes per
  function (median), interleaved with \`node -e 0\`; the environment the stack sets (source maps shipped, not enabled).
  "require ms" is timed inside the process; "process ms" is the whole process (start + require + exit).
  The functions create their SDK clients on first use: "+ SDK at first invocation" is the time to load the
  SDK packages a typical first invocation needs (listed in \`FIRST_USE_SDK\`), measured in the same process
  after the bundle — part of the first request's latency, not of the init phase.

${body}
`;
  writeResult('cold-start', md);
  console.log(relative(ROOT, join(ROOT, 'bench/results/cold-start.md')));
}

if (isMain('cold-start')) runMain(main);
