/**
 * readReport: any file an office really sends → the canonical report.
 *
 * Every kind is reduced to lines of cells (string[][]: a paragraph is a one-cell line, a table row
 * is one line of its cells) and goes through the one tolerant parser, so a PDF, a DOCX and a web
 * page of the same report give the same model and the same findings. JSON is the model itself.
 * The kind comes from the content, never from the file name.
 */
import { decodeText, parseLines, textToLines, type ParseResult } from '../parse';
import { detectKind, type InputKind } from './detect';
import { readJsonReport } from './json';
import { INGEST_LIMITS } from './limits';
import type { Extracted } from './types';

export type { Extracted } from './types';

export { detectKind, type InputKind } from './detect';
export { INGEST_LIMITS } from './limits';

// The readers of HTML (htmlparser2), DOCX (zip + XML) and PDF (worker) load when a file of that kind
// arrives, not with the function: most uploads are one kind, and cold starts pay only for text/JSON.
/* eslint-disable @typescript-eslint/no-require-imports */
const readers = {
  html: (): typeof import('./html') => require('./html'),
  docx: (): typeof import('./docx') => require('./docx'),
  pdf: (): typeof import('./pdf') => require('./pdf'),
};
/* eslint-enable @typescript-eslint/no-require-imports */

export interface ReadOptions {
  /** Only for messages: the kind is always detected from the content. */
  fileName?: string;
  year?: number;
  office?: string;
}

export type Unreadable = { unreadable: string; kind?: InputKind };
export type ReadResult = ParseResult | Unreadable;

export function isUnreadable(r: ReadResult): r is Unreadable {
  return 'unreadable' in r;
}

const ASK_FOR_GOOD_FILE = '请提交 Word（.docx）、带文字层的 PDF、网页（.html）或纯文本（.txt）格式的报告。';

const MESSAGES: Partial<Record<InputKind, string>> = {
  empty: `文件为空（0 字节），可能上传中断。${ASK_FOR_GOOD_FILE}`,
  ole2: '这是旧版 Word/Excel/WPS 格式（.doc/.xls/.wps）或设有打开密码的 Office 文件，无法读取。请在 Word 或 WPS 中取消密码，并“另存为” Word 文档（.docx）后重新提交。',
  rtf: '这是 RTF 格式文件，无法读取。请在 Word 或 WPS 中“另存为” Word 文档（.docx）后重新提交。',
  image: `这是图片文件，其中的文字和数字无法读取。${ASK_FOR_GOOD_FILE}`,
  zip: '这是压缩包（或 Excel、OpenDocument 等文件），不是 Word 文档，无法读取。请直接提交报告本身：Word 文档（.docx）、带文字层的 PDF、网页或纯文本。',
};

function tooLarge(bytes: Uint8Array): string | null {
  if (bytes.length <= INGEST_LIMITS.maxFileBytes) return null;
  const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
  return `文件过大（${mb(bytes.length)} MB，上限 ${mb(INGEST_LIMITS.maxFileBytes)} MB）。年度报告通常不超过 1 MB，请删除其中的图片或扫描页后重新提交。`;
}

/** Text that decodes "fine" but is really binary (random bytes, an unknown format). */
function looksBinary(text: string): boolean {
  const sample = text.slice(0, 20000);
  if (sample.length === 0) return false;
  let bad = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) || c === 0xfffd || (c >= 0xe000 && c <= 0xf8ff)) bad++;
  }
  return bad / sample.length > 0.02;
}

function capLines(lines: string[][]): string[][] | null {
  if (lines.length > INGEST_LIMITS.maxLines) return null;
  let cells = 0;
  for (const l of lines) if ((cells += l.length) > INGEST_LIMITS.maxCells) return null;
  return lines;
}

/**
 * Upper bounds of the lines and cells plain text splits into, counted before splitting: 10 MB of
 * newlines or tabs would otherwise be millions of lines or cells in memory before any cap applies.
 */
function textTooLong(text: string): boolean {
  let lines = 1;
  let separators = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) lines++;
    else if (c === 0x09 || c === 0x7c) separators++;
  }
  return lines > INGEST_LIMITS.maxLines || lines + separators > INGEST_LIMITS.maxCells;
}

const TOO_LONG = `文件内容过长（超过 ${INGEST_LIMITS.maxLines} 行或 ${INGEST_LIMITS.maxCells} 个表格单元格），不像一份年度报告。请只提交年度报告本身。`;

export async function readReport(bytes: Uint8Array, options: ReadOptions = {}): Promise<ReadResult> {
  const parseOptions = { year: options.year, office: options.office };
  let kind: InputKind = 'text';
  try {
    const big = tooLarge(bytes);
    if (big) return { unreadable: big };
    kind = detectKind(bytes);
    const fixed = MESSAGES[kind];
    if (fixed) return { unreadable: fixed, kind };

    let extracted: Extracted;
    switch (kind) {
      case 'json': {
        const decoded = decodeText(bytes);
        if ('error' in decoded) return { unreadable: decoded.error, kind };
        const r = readJsonReport(decoded.text);
        if ('unreadable' in r) return { unreadable: r.unreadable, kind };
        return { report: r.report, findings: [] };
      }
      case 'text': {
        const decoded = decodeText(bytes);
        if ('error' in decoded) return { unreadable: decoded.error, kind };
        if (looksBinary(decoded.text)) {
          return { unreadable: `无法识别文件格式（内容不是文字，也不是 Word、PDF 或网页文件）。${ASK_FOR_GOOD_FILE}`, kind };
        }
        if (!decoded.text.trim()) return { unreadable: `文件中没有文字内容。${ASK_FOR_GOOD_FILE}`, kind };
        // Text gets the same caps as what the extractors return.
        const lines = textTooLong(decoded.text) ? null : capLines(textToLines(decoded.text));
        if (!lines) return { unreadable: TOO_LONG, kind };
        return parseLines(lines, parseOptions);
      }
      case 'html':
        extracted = readers.html().htmlToLines(bytes);
        break;
      case 'docx':
        extracted = await readers.docx().docxToLines(bytes);
        break;
      case 'pdf':
        extracted = await readers.pdf().pdfToLines(bytes);
        break;
      default:
        return { unreadable: `无法识别文件格式。${ASK_FOR_GOOD_FILE}`, kind };
    }
    if ('unreadable' in extracted) return { unreadable: extracted.unreadable, kind };
    const lines = capLines(extracted.lines);
    if (!lines) return { unreadable: TOO_LONG, kind };
    if (!lines.some((l) => l.some((c) => c.trim()))) return { unreadable: `文件中没有读到文字内容。${ASK_FOR_GOOD_FILE}`, kind };
    return parseLines(lines, { ...parseOptions, where: extracted.where, documentTitle: extracted.documentTitle });
  } catch (e) {
    // Extractors are written not to throw; this is the last guard so one odd file never crashes a batch.
    const why = e instanceof Error ? e.message : String(e);
    return { unreadable: `文件读取失败，可能已损坏（${why.slice(0, 200)}）。请重新导出后再提交，或改为提交其他格式：${ASK_FOR_GOOD_FILE}`, kind };
  }
}
