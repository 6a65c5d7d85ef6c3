/**
 * A/B of the PDF worker's PDF.js options on one file: `current` (shared/report/ingest/pdf-worker-source.ts
 * as is), `fontface-true` (disableFontFace: true, the option before the fix), `textonly` (no operator list,
 * i.e. no ruling lines: the floor). Prints wall and CPU ms per file and a hash of the extracted items and
 * segments (same hash = same output). Run: npx tsx bench/profiles/pdf-worker-ab.ts <variant> [file.pdf]
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { PDF_WORKER_SOURCE } from '../../shared/report/ingest/pdf-worker-source';
import { ROOT } from '../lib';

const variant = process.argv[2] ?? 'current';
let src = PDF_WORKER_SOURCE;
if (variant === 'fontface-true') src = src.replace('disableFontFace: false', 'disableFontFace: true');
if (variant === 'textonly') src = src.replace(/const ops = await page\.getOperatorList\(\);\s*const segments = segmentsOf\([^;]*\);/, 'const segments = [];');
const w = new Worker(src, { eval: true, workerData: { pdfjsPath: path.join(path.dirname(require.resolve('unpdf')), 'pdfjs.mjs') }, stdout: true, stderr: true });
w.stdout.resume();
w.stderr.resume();
let id = 0;
const pending = new Map<number, (r: any) => void>(); // eslint-disable-line @typescript-eslint/no-explicit-any
w.on('message', (m) => pending.get(m.id)!(m.result));
const run = (data: Uint8Array) =>
  new Promise<any>((res) => { // eslint-disable-line @typescript-eslint/no-explicit-any
    const i = ++id;
    pending.set(i, res);
    const c = new Uint8Array(data);
    w.postMessage({ id: i, data: c, maxPages: 50, maxItems: 200000, maxSegments: 200000 }, [c.buffer]);
  });

void (async () => {
  const bytes = new Uint8Array(readFileSync(process.argv[3] ?? path.join(ROOT, 'fixtures/formats/report.pdf')));
  let r = await run(bytes);
  r = await run(bytes);
  const n = Number(process.env.AB_N ?? 10);
  const c0 = process.cpuUsage();
  const t = performance.now();
  for (let i = 0; i < n; i++) r = await run(bytes);
  const c = process.cpuUsage(c0);
  const pages = r.pages as Array<{ items: Array<{ str: string }>; segments: unknown[] }>;
  const hash = createHash('sha256').update(JSON.stringify(pages)).digest('hex').slice(0, 12);
  console.log(`${variant}: ${((performance.now() - t) / n).toFixed(0)} ms wall, ${((c.user + c.system) / 1000 / n).toFixed(0)} ms CPU per file, output ${hash}`);
  await w.terminate();
})();
