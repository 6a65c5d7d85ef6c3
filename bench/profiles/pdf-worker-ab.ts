/**
 * A/B of the PDF worker on one or more files: `current` (shared/report/ingest/pdf-worker-source.ts as is),
 * `unpatched` (PDF.js as shipped, every font program loaded, web DecompressionStream: the state before
 * fixes.md item 3), `fontface-true` (disableFontFace: true, the option before the first fix), `textonly`
 * (no operator list, i.e. no ruling lines: the floor). Prints wall and CPU ms per file (whole process:
 * the worker and the copy of its result) and a hash of the extracted items and segments (same hash =
 * same output). Run: npx tsx bench/profiles/pdf-worker-ab.ts <variant> [file.pdf ...]  (AB_N=iterations)
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { pdfjsPath } from '../../shared/report/ingest/pdf';
import { PDF_WORKER_SOURCE } from '../../shared/report/ingest/pdf-worker-source';
import { ROOT } from '../lib';

const variant = process.argv[2] ?? 'current';
let src = PDF_WORKER_SOURCE;
if (variant === 'fontface-true') src = src.replace('disableFontFace: false', 'disableFontFace: true');
if (variant === 'textonly') src = src.replace('const rulings = mayHoldTable(items) || workerData.unpatched;', 'const rulings = false;');
const w = new Worker(src, { eval: true, workerData: { pdfjsPath: pdfjsPath(), unpatched: variant === 'unpatched' }, stdout: true, stderr: true });
w.stdout.resume();
w.stderr.resume();
let id = 0;
const pending = new Map<number, (r: any) => void>(); // eslint-disable-line @typescript-eslint/no-explicit-any
w.on('message', (m) => pending.get(m.id)!(m.result));
const post = (msg: object, transfer: ArrayBuffer[] = []) =>
  new Promise<any>((res) => { // eslint-disable-line @typescript-eslint/no-explicit-any
    const i = ++id;
    pending.set(i, res);
    w.postMessage({ id: i, ...msg }, transfer);
  });
const run = (data: Uint8Array) => {
  const c = new Uint8Array(data);
  return post({ data: c, maxPages: 50, maxItems: 200000, maxSegments: 200000 }, [c.buffer]);
};

void (async () => {
  const files = process.argv.length > 3 ? process.argv.slice(3) : [path.join(ROOT, 'fixtures/formats/report.pdf')];
  for (const file of files) {
    const bytes = new Uint8Array(readFileSync(file));
    let r = await run(bytes);
    for (let i = 0; i < 5; i++) r = await run(bytes);
    const n = Number(process.env.AB_N ?? 20);
    const c0 = process.cpuUsage();
    const t = performance.now();
    for (let i = 0; i < n; i++) r = await run(bytes);
    const c = process.cpuUsage(c0);
    const hash = createHash('sha256').update(JSON.stringify(r.pages)).digest('hex').slice(0, 12);
    console.log(`${variant} ${path.basename(file)}: ${((performance.now() - t) / n).toFixed(1)} ms wall, ${((c.user + c.system) / 1000 / n).toFixed(1)} ms CPU per file, output ${hash}`);
  }
  console.log(`worker: ${JSON.stringify((await post({ stats: true })).stats)}`);
  await w.terminate();
})();
