/**
 * The code of the PDF worker thread, as a string (`new Worker(src, { eval: true })`): no extra file to
 * ship next to a bundled Lambda, only `unpdf` in node_modules. It runs PDF.js on untrusted bytes in
 * its own thread and heap, so a hostile PDF can be stopped (timeout, memory cap) without taking the
 * process down; it also keeps PDF.js's ESM-only build out of CommonJS callers (jest's VM included).
 *
 * It returns raw geometry only: text items and ruling segments, in top-down page coordinates (pt).
 * Rebuilding rows and cells happens in pdf-layout.ts, in typed, tested code.
 *
 * Speed (bench/results/fixes.md item 3). The PDF.js that unpdf bundles is patched at install
 * (patches/unpdf-pdfjs.cjs); the patches stay inert until this worker installs its hook
 * `__nianbaoPdfFont`, so `unpatched: true` runs PDF.js exactly as shipped:
 *  - font programs. Most of PDF.js's time on an office PDF went into the embedded font programs (Type 1
 *    → CFF conversion, TrueType repair), which only drawing needs. Text needs the char code → Unicode
 *    map and the widths; when the font dictionary has a ToUnicode CMap and complete Widths (or W for
 *    CID fonts), the program adds nothing to either, and the hook builds the Font without it
 *    (`textNeedsNoProgram`). Such a Font also skips PDF.js's rule for Type 1 fonts *without* a file,
 *    which turns codes the standard encoding does not name into spaces: that rule is why deleting
 *    /FontFile from the bytes lost characters (LibreOffice numbers the glyphs of its CJK subsets from
 *    1, so codes 1–31 — the whole title 青禾区人民政府办公室 — became spaces).
 *    The programs are not inflated up front either: only a program the text needs is read.
 *  - Such a Font builds no glyph map and puts no glyphs into the operator list (read for its ruling
 *    lines only).
 *  - TextState#clone and EvalState#clone no longer make each saved state the prototype of its copy.
 *  - readToUnicode visits only the codes a ToUnicode CMap maps, not every code up to the highest.
 *  - LoopbackPort (PDF.js's two sides talking inside this thread) copies plain messages in JS
 *    (`copyMessage`) instead of through structuredClone.
 * Streams are inflated with one synchronous zlib call instead of a web DecompressionStream each, and
 * the operator list (a second full pass over the content stream) is read only on pages whose text may
 * sit in a table (`mayHoldTable`).
 * test/ingest/pdf-worker.test.ts checks that the text and the lines read are identical to unpatched
 * PDF.js's, which reads every page's operator list.
 */
export const PDF_WORKER_SOURCE = String.raw`
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { pathToFileURL } = require('node:url');

// Node 20 lacks ArrayBuffer#transferToFixedLength, which PDF.js 5 uses for font data.
if (!ArrayBuffer.prototype.transferToFixedLength) {
  ArrayBuffer.prototype.transferToFixedLength = function (n) {
    const len = n === undefined ? this.byteLength : n;
    const b = new ArrayBuffer(len);
    new Uint8Array(b).set(new Uint8Array(this, 0, Math.min(len, this.byteLength)));
    return b;
  };
}
if (typeof globalThis.DOMMatrix === 'undefined') {
  // PDF.js only needs the constructor to exist for text extraction.
  globalThis.DOMMatrix = class DOMMatrix {
    constructor(m) { const a = Array.isArray(m) && m.length === 6 ? m : [1, 0, 0, 1, 0, 0]; [this.a, this.b, this.c, this.d, this.e, this.f] = a; }
  };
}

// PDF.js inflates streams through the web DecompressionStream when there is one: in Node that is a
// stream pipeline over async zlib per PDF stream (~16 per report), which cost ~1/4 of the worker's time.
// This stand-in serves the same use (write the bytes, close, iterate the output) with one zlib call;
// if zlib throws (corrupt data), PDF.js falls back to its own inflate as it does for a failed stream.
if (typeof globalThis.DecompressionStream === 'function' && !workerData.unpatched) {
  const zlib = require('node:zlib');
  const WebDecompressionStream = globalThis.DecompressionStream;
  const inflate = { deflate: zlib.inflateSync, 'deflate-raw': zlib.inflateRawSync, brotli: zlib.brotliDecompressSync };
  globalThis.DecompressionStream = function DecompressionStream(format) {
    if (!inflate[format]) return new WebDecompressionStream(format);
    let input = null;
    const writer = { ready: Promise.resolve(), write(chunk) { input = chunk; return Promise.resolve(); }, close() { return Promise.resolve(); } };
    const readable = {
      async *[Symbol.asyncIterator]() {
        await null;
        // Bounded output: past it zlib throws, and PDF.js falls back to its own inflate (as for a
        // failed web stream), which the job's timeout stops.
        const out = inflate[format](input, { maxOutputLength: 256 * 1024 * 1024 });
        yield new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
      },
    };
    return { readable, writable: { getWriter: () => writer } };
  };
}

// PDF.js leaves some internal promises unhandled on corrupt files (e.g. a bad xref entry it then
// recovers from); Node's default would kill the thread and every job in it. The job's own promise
// still reports real failures.
process.on('unhandledRejection', () => {});

// ---- the hook of patches/unpdf-pdfjs.cjs (see the file comment) ----
const stats = { fontsWithoutProgram: 0, fontsWithProgram: 0, pagesWithoutRulings: 0, pagesReplayed: 0, messagesCopied: 0, messagesCloned: 0 };

/** True when the font's text (Unicode and advance) comes from its dictionary alone. */
function textNeedsNoProgram(props) {
  if (!props.hasIncludedToUnicodeMap || props.isType3Font) return false;
  if (props.composite) return true; // CID widths come from W/DW, never from the program
  // A simple font's program supplies the widths of codes that /Widths leaves out.
  const widths = props.widths;
  if (!widths || !Number.isInteger(props.firstChar) || !Number.isInteger(props.lastChar)) return false;
  for (let c = props.firstChar; c <= props.lastChar; c++) if (typeof widths[c] !== 'number') return false;
  return true;
}

if (!workerData.unpatched) {
  globalThis.__nianbaoPdfFont = function (Font, name, file, props, options) {
    if (!file || !textNeedsNoProgram(props)) {
      if (!file) return new Font(name, file, props, options);
      stats.fontsWithProgram++;
      // An empty program counts as none, as PDF.js decides when it fetches the file (the patch defers it).
      return new Font(name, file.isEmpty ? null : file, props, options);
    }
    props.nianbaoNoProgram = true;
    const font = new Font(name, null, props, options);
    font.nianbaoNoProgram = true;
    stats.fontsWithoutProgram++;
    return font;
  };
}

/**
 * PDF.js runs its two sides (API and "worker") in this one thread, and its LoopbackPort passed every message
 * between them through structuredClone: ≈90 chunks of text items and operator-list arguments per report,
 * ~10% of the time. They are plain data (objects, arrays, numbers, strings, typed arrays), which a copy in
 * JS makes several times faster with the same values. Anything else — a Map, an Error, a class instance, a
 * typed array over part of a buffer, an object nested deeper than any PDF.js message — sends the whole
 * message through structuredClone as before. A typed array whose buffer is in the transfer list is handed
 * over as it is: a real transfer detaches it, so the sender never uses it again.
 */
const NOT_PLAIN = Symbol('not plain data');
let transferred = null; // the buffers of the message being copied that its sender transfers
const isPlainValue = (x) => typeof x !== 'object' && typeof x !== 'function' && typeof x !== 'symbol';
function copyValue(v, depth) {
  if (v === null || isPlainValue(v)) return v;
  if (typeof v !== 'object' || depth > 64) throw NOT_PLAIN; // a function or a symbol: structuredClone's own error
  if (Array.isArray(v)) {
    const n = v.length;
    if (n > 65536) throw NOT_PLAIN;
    const out = new Array(n);
    for (let i = 0; i < n; i++) {
      const x = v[i];
      if (x !== undefined || i in v) out[i] = isPlainValue(x) ? x : copyValue(x, depth + 1); // holes stay holes
    }
    return out;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto === Object.prototype || proto === null) {
    const out = {};
    for (const k in v) {
      const x = v[k];
      out[k] = isPlainValue(x) ? x : copyValue(x, depth + 1);
    }
    return out;
  }
  if (ArrayBuffer.isView(v) && !(v instanceof DataView) && v.byteOffset === 0 && v.byteLength === v.buffer.byteLength) {
    return transferred && transferred.has(v.buffer) ? v : v.slice();
  }
  throw NOT_PLAIN;
}
function copyMessage(message, options) {
  transferred = options && options.transfer && options.transfer.length ? new Set(options.transfer) : null;
  try {
    const out = copyValue(message, 0);
    stats.messagesCopied++;
    return out;
  } catch (e) {
    if (e !== NOT_PLAIN) throw e;
    stats.messagesCloned++;
    return structuredClone(message, options);
  } finally {
    transferred = null;
  }
}
if (!workerData.unpatched) globalThis.__nianbaoPdfCopy = copyMessage;

/**
 * The operator list is a second pass over a page's content stream, and lexing it (numbers, names, strings)
 * was a third of that pass. The text pass has already lexed every operator of the page: its preprocessor
 * records them, and the operator-list pass of the same page replays the record instead of lexing again —
 * the same operators with the same arguments, so the same operator list. extract() arms one preprocessor
 * at a time, and the first one PDF.js makes after that is the page's own (a form's is made later, inside
 * it). Only a record of a stream read to its end is replayed.
 */
let armedPreprocessor = null; // { record: [] } or { replay: record }, taken by the next preprocessor
function replayer(record, preprocessor) {
  let next = 0;
  return (operation) => {
    if (next >= record.length) return false;
    const fn = record[next];
    const args = record[next + 1];
    next += 2;
    preprocessor.preprocessCommand(fn, args); // q, Q and cm act on this pass's own graphics state
    operation.fn = fn;
    operation.args = args;
    return true;
  };
}
if (!workerData.unpatched) {
  globalThis.__nianbaoPdfOps = function (preprocessor) {
    const armed = armedPreprocessor;
    armedPreprocessor = null;
    if (armed && armed.record) preprocessor.nianbaoRecord = armed.record;
    if (armed && armed.replay) preprocessor.nianbaoReplay = replayer(armed.replay, preprocessor);
    return preprocessor;
  };
}

/** The page's operator list; its content stream is not lexed again when the text pass recorded it whole. */
async function operatorList(page, record) {
  armedPreprocessor = record.complete ? { replay: record } : null;
  if (armedPreprocessor) stats.pagesReplayed++;
  try {
    return await page.getOperatorList();
  } finally {
    armedPreprocessor = null;
  }
}

const pdfjsReady = import(pathToFileURL(workerData.pdfjsPath).href);

const mul = (m, n) => [
  m[0] * n[0] + m[2] * n[1], m[1] * n[0] + m[3] * n[1],
  m[0] * n[2] + m[2] * n[3], m[1] * n[2] + m[3] * n[3],
  m[0] * n[4] + m[2] * n[5] + m[4], m[1] * n[4] + m[3] * n[5] + m[5],
];
const apply = (m, x, y) => [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];

function segmentsOf(opList, OPS, view, maxSegments) {
  const out = [];
  const stack = [];
  let ctm = [1, 0, 0, 1, 0, 0];
  const { fnArray, argsArray } = opList;
  const push = (x0, y0, x1, y1) => { if (out.length < maxSegments) out.push([x0, y0, x1, y1]); };
  for (let i = 0; i < fnArray.length; i++) {
    const fn = fnArray[i];
    const args = argsArray[i];
    if (fn === OPS.save) stack.push(ctm);
    else if (fn === OPS.restore) ctm = stack.pop() || [1, 0, 0, 1, 0, 0];
    else if (fn === OPS.transform) ctm = mul(ctm, args);
    else if (fn === OPS.paintFormXObjectBegin) { stack.push(ctm); if (Array.isArray(args[0]) || ArrayBuffer.isView(args[0])) ctm = mul(ctm, Array.from(args[0])); }
    else if (fn === OPS.paintFormXObjectEnd) ctm = stack.pop() || [1, 0, 0, 1, 0, 0];
    else if (fn === OPS.constructPath) {
      const paint = args[0];
      const data = args[1] && args[1][0];
      if (!data || paint === OPS.endPath) continue;
      const stroke = paint === OPS.stroke || paint === OPS.closeStroke || paint === OPS.fillStroke || paint === OPS.eoFillStroke || paint === OPS.closeFillStroke || paint === OPS.closeEOFillStroke;
      const fill = paint === OPS.fill || paint === OPS.eoFill || paint === OPS.fillStroke || paint === OPS.eoFillStroke || paint === OPS.closeFillStroke || paint === OPS.closeEOFillStroke;
      const m = mul(view, ctm);
      // Subpaths as point lists (DrawOPS: 0 moveTo, 1 lineTo, 2 curveTo, 3 quadraticCurveTo, 4 closePath).
      const subpaths = [];
      let cur = null;
      for (let k = 0; k < data.length; ) {
        const op = data[k];
        if (op === 0) { cur = [apply(m, data[k + 1], data[k + 2])]; subpaths.push(cur); k += 3; }
        else if (op === 1) { if (cur) cur.push(apply(m, data[k + 1], data[k + 2])); k += 3; }
        else if (op === 2) { cur = null; k += 7; }
        else if (op === 3) { cur = null; k += 5; }
        else if (op === 4) { if (cur && cur.length) cur.push(cur[0]); k += 1; }
        else break;
      }
      for (const pts of subpaths) {
        if (stroke) {
          for (let k = 1; k < pts.length; k++) push(pts[k - 1][0], pts[k - 1][1], pts[k][0], pts[k][1]);
        } else if (fill && pts.length >= 4) {
          // Word and many PDF printers draw borders as thin filled rectangles.
          let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
          for (const [x, y] of pts) { x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y); }
          const w = x1 - x0, h = y1 - y0;
          if (h <= 2.5 && w > h) push(x0, (y0 + y1) / 2, x1, (y0 + y1) / 2);
          else if (w <= 2.5 && h > w) push((x0 + x1) / 2, y0, (x0 + x1) / 2, y1);
          else if (w > 2.5 && h > 2.5 && pts.length <= 6) {
            // A filled cell background: its edges are cell edges.
            push(x0, y0, x1, y0); push(x0, y1, x1, y1); push(x0, y0, x0, y1); push(x1, y0, x1, y1);
          }
        }
      }
    }
  }
  return out;
}

/**
 * Whether a page's text may sit in a table: some line has a gap wider than a character between two
 * pieces of text (cells side by side), a piece holds cells PDF.js merged, or text is rotated (a
 * vertical header). Running prose has
 * neither: its pieces touch, however the line is justified. Erring towards true only costs time; a
 * page judged wrongly as prose would lose its table's grid, so the test is loose.
 */
function mayHoldTable(items) {
  if (items.some((it) => it.vertical)) return true;
  const sorted = items.slice().sort((a, b) => a.y - b.y || a.x - b.x);
  for (let i = 0; i < sorted.length; ) {
    let j = i + 1;
    while (j < sorted.length && Math.abs(sorted[j].y - sorted[i].y) < 0.5 * sorted[i].size) j++;
    const line = sorted.slice(i, j).sort((a, b) => a.x - b.x);
    let end = -Infinity;
    for (const it of line) {
      if (!it.str.trim()) continue; // PDF.js's own spaces fill gaps; they are not text
      if (it.x - end > 1.2 * it.size && end !== -Infinity) return true;
      // Cells merged into one item by PDF.js: a wide space inside, or two numbers side by side ("1 0 11").
      if (/\S\s{2,}\S|(?:^|\s)\d[\d.,]*\s+\d[\d.,]*(?=\s|$)/.test(it.str)) return true;
      end = Math.max(end, it.x + it.w);
    }
    i = j;
  }
  return false;
}

async function extract(job) {
  const pdfjs = await pdfjsReady;
  const task = pdfjs.getDocument({
    data: job.data,
    isEvalSupported: false,
    // false: the worker then sends fonts as data instead of compiling every glyph's outline into a path
    // for the operator list (only text and ruling lines are read here): ~15% less CPU per PDF, same output.
    disableFontFace: false,
    useSystemFonts: false,
    useWorkerFetch: false,
    // Images are never looked at: 0 makes the operator list drop every image before decoding it (a
    // full-page scan or a seal cost ~150 ms each to decode). Text extraction does not decode images.
    maxImageSize: workerData.unpatched ? -1 : 0,
    stopAtErrors: false,
    verbosity: 0,
  });
  let doc;
  try {
    doc = await task.promise;
  } catch (e) {
    return { error: (e && e.name) || 'Error', message: String((e && e.message) || e) };
  }
  try {
    const numPages = doc.numPages;
    if (numPages > job.maxPages) return { tooManyPages: numPages };
    const pages = [];
    let itemCount = 0;
    for (let p = 1; p <= numPages; p++) {
      const page = await doc.getPage(p);
      const viewport = page.getViewport({ scale: 1 });
      const view = viewport.transform;
      const record = [];
      armedPreprocessor = workerData.unpatched ? null : { record };
      const tc = await page.getTextContent({ disableNormalization: false }).finally(() => {
        armedPreprocessor = null;
      });
      const items = [];
      for (const it of tc.items) {
        if (typeof it.str !== 'string' || it.str === '') continue;
        const t = mul(view, it.transform);
        const size = Math.hypot(t[2], t[3]) || Math.hypot(t[0], t[1]) || 1;
        const dirX = Math.hypot(t[0], t[1]) ? t[0] / Math.hypot(t[0], t[1]) : 1;
        const dirY = Math.hypot(t[0], t[1]) ? t[1] / Math.hypot(t[0], t[1]) : 0;
        const scale = Math.hypot(view[0], view[1]) || 1;
        const w = (it.width || 0) * scale;
        items.push({ str: it.str, x: t[4], y: t[5], w, size, vertical: Math.abs(dirY) > Math.abs(dirX), eol: !!it.hasEOL });
      }
      itemCount += items.length;
      if (itemCount > job.maxItems) return { tooManyItems: itemCount };
      // Ruling lines only serve to place text into table cells; reading them is a second full pass over
      // the page's content stream. A page of running prose (most of a report) or a scan needs none.
      const rulings = mayHoldTable(items) || workerData.unpatched;
      if (!rulings) stats.pagesWithoutRulings++;
      const segments = rulings ? segmentsOf(await operatorList(page, record), pdfjs.OPS, view, job.maxSegments) : [];
      pages.push({ width: viewport.width, height: viewport.height, items, segments });
      page.cleanup();
    }
    // The document's own title (WPS and Word write it): used when the body has no title line.
    const meta = await doc.getMetadata().catch(() => null);
    const title = meta && meta.info && typeof meta.info.Title === 'string' ? meta.info.Title : undefined;
    return { pages, title };
  } finally {
    await doc.destroy();
  }
}

parentPort.on('message', async (job) => {
  let result;
  if (job.stats) {
    await pdfjsReady.catch(() => {});
    parentPort.postMessage({ id: job.id, result: { stats: { ...stats } } });
    return;
  }
  try {
    result = await extract(job);
  } catch (e) {
    result = { error: (e && e.name) || 'Error', message: String((e && e.message) || e) };
  }
  parentPort.postMessage({ id: job.id, result });
});
`;
