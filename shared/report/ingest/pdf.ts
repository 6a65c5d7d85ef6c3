/**
 * PDF (text layer) → lines of cells. PDF.js (via unpdf's serverless build, no network, no CDN) runs
 * in one long-lived worker thread: it is started on first use, reused for every file, killed and
 * restarted when a file takes too long, and given its own memory cap. The worker returns text items
 * and ruling lines; pdf-layout.ts rebuilds rows and cells. It skips the embedded font programs that
 * text does not need (the bulk of PDF.js's time on office PDFs): see pdf-worker-source.ts.
 *
 * Bundling note: `unpdf` must stay a real node_modules dependency (esbuild `nodeModules`/external),
 * because the worker loads its PDF.js build from disk.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { INGEST_LIMITS, type IngestLimits } from './limits';
import { pagesToLines, textCharCount, type PdfPage } from './pdf-layout';
import { PDF_WORKER_SOURCE } from './pdf-worker-source';
import type { Extracted } from './types';

type WorkerResult =
  | { pages: PdfPage[]; title?: string }
  | { tooManyPages: number }
  | { tooManyItems: number }
  | { error: string; message: string };

interface Pending {
  resolve: (r: WorkerResult | { timeout: true } | { crashed: string }) => void;
  timer: NodeJS.Timeout;
  /** The worker running the job: when it dies, only its own jobs fail. */
  worker: Worker;
}

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, Pending>();

/** PDF.js as bundled by unpdf: the worker loads it from here (patched in memory, see pdf-worker-source.ts). */
export function pdfjsPath(): string {
  return path.join(path.dirname(require.resolve('unpdf')), 'pdfjs.mjs');
}

function failAll(w: Worker, why: string) {
  for (const [id, p] of pending) {
    if (p.worker !== w) continue;
    clearTimeout(p.timer);
    p.resolve({ crashed: why });
    pending.delete(id);
  }
}

function getWorker(): Worker {
  if (worker) return worker;
  const w = new Worker(PDF_WORKER_SOURCE, {
    eval: true,
    workerData: { pdfjsPath: pdfjsPath() },
    resourceLimits: { maxOldGenerationSizeMb: 512 },
    stdout: true,
    stderr: true,
  });
  // PDF.js writes warnings for odd fonts; they are not ours to print.
  w.stdout.resume();
  w.stderr.resume();
  w.on('message', (msg: { id: number; result: WorkerResult }) => {
    const p = pending.get(msg.id);
    if (!p) return;
    clearTimeout(p.timer);
    pending.delete(msg.id);
    p.resolve(msg.result);
    if (pending.size === 0) w.unref();
  });
  w.on('error', (e) => {
    if (worker === w) worker = null;
    failAll(w, e.message);
  });
  w.on('exit', (code) => {
    if (worker === w) worker = null;
    failAll(w, `exit ${code}`);
  });
  worker = w;
  return w;
}

/** Stops the worker (tests, graceful shutdown). The next PDF starts a new one. */
export async function closePdfWorker(): Promise<void> {
  const w = worker;
  worker = null;
  if (w) await w.terminate();
}

function runInWorker(data: Uint8Array, limits: IngestLimits): Promise<WorkerResult | { timeout: true } | { crashed: string }> {
  const w = getWorker();
  const id = nextId++;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      pending.delete(id);
      resolve({ timeout: true });
      // The worker may be stuck in a loop on this file: replace it.
      if (worker === w) worker = null;
      void w.terminate();
    }, limits.pdfTimeoutMs);
    pending.set(id, { resolve, timer, worker: w });
    // Keep the process alive while a job runs; idle, the worker must not hold the process open.
    w.ref();
    const copy = new Uint8Array(data); // transferred to the worker, the caller keeps its bytes
    w.postMessage(
      { id, data: copy, maxPages: limits.maxPdfPages, maxItems: limits.maxPdfTextItems, maxSegments: 200_000 },
      [copy.buffer],
    );
  });
}

const ASK = '请提交带文字层的 PDF（由 Word/WPS “另存为 PDF”生成），或直接提交 Word（.docx）文件。';

export async function pdfToLines(bytes: Uint8Array, limits: IngestLimits = INGEST_LIMITS): Promise<Extracted> {
  const r = await runInWorker(bytes, limits);
  if ('timeout' in r) return { unreadable: `PDF 文件解析超时（超过 ${Math.round(limits.pdfTimeoutMs / 1000)} 秒），文件可能异常。${ASK}` };
  if ('crashed' in r) return { unreadable: `PDF 文件无法解析（解析过程异常终止），文件可能已损坏或结构异常。${ASK}` };
  if ('tooManyPages' in r) {
    return { unreadable: `PDF 文件共 ${r.tooManyPages} 页，超过上限 ${limits.maxPdfPages} 页，不像一份年度报告。请只提交年度报告本身。` };
  }
  if ('tooManyItems' in r) return { unreadable: `PDF 文件中的文字片段过多（${r.tooManyItems} 个），文件结构异常。${ASK}` };
  if ('error' in r) {
    if (r.error === 'PasswordException') {
      return { unreadable: `PDF 文件设有打开密码（已加密），无法读取。请取消密码后重新导出，${ASK}` };
    }
    // PDF.js's own message is English and technical: the person needs what to do, not why.
    return { unreadable: `PDF 文件已损坏或不完整（可能上传中断），无法读取。${ASK}` };
  }
  if (textCharCount(r.pages) < 20) {
    return { unreadable: `PDF 文件中没有可读取的文字（可能是扫描件或图片），无法核对其中的数字。${ASK}` };
  }
  return { ...pagesToLines(r.pages), documentTitle: r.title?.trim() || undefined };
}
