/**
 * A zip reader for untrusted uploads. The central directory is checked before anything is inflated
 * (entry count, declared sizes, compression ratio), and inflation itself is capped: a zip bomb that
 * lies about its sizes is stopped when the real output passes the declared size or the budget.
 */
import { INGEST_LIMITS, type IngestLimits } from './limits';

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
  flags: number;
}

export class ZipError extends Error {
  constructor(
    /** Chinese, for the person who uploaded the file. */
    readonly userMessage: string,
  ) {
    super(userMessage);
  }
}

const CORRUPT = 'Word 文件已损坏或不完整（可能上传中断），无法读取。请在 Word 或 WPS 中打开确认无误后重新“另存为” .docx 再提交。';
const BOMB = '文件结构异常（解压后的内容远大于正常的年度报告），出于安全考虑已拒绝读取。请在 Word 或 WPS 中重新“另存为” .docx 后提交。';

const UTF8 = new TextDecoder();
const u16 = (b: Uint8Array, o: number) => b[o] | (b[o + 1] << 8);
const u32 = (b: Uint8Array, o: number) => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16)) + b[o + 3] * 0x1000000;

/** Reads and checks the central directory; nothing is decompressed. */
export function readCentralDirectory(bytes: Uint8Array, limits: IngestLimits = INGEST_LIMITS): ZipEntry[] {
  // End of central directory: 22 bytes + a comment of at most 65535 bytes, at the end of the file.
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (bytes[i] === 0x50 && bytes[i + 1] === 0x4b && bytes[i + 2] === 0x05 && bytes[i + 3] === 0x06) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipError(CORRUPT);
  const count = u16(bytes, eocd + 10);
  const cdSize = u32(bytes, eocd + 12);
  const cdOffset = u32(bytes, eocd + 16);
  // Zip64 markers: a report is never that large.
  if (count === 0xffff || cdOffset === 0xffffffff) throw new ZipError(BOMB);
  if (count > limits.maxZipEntries) throw new ZipError(BOMB);
  if (cdOffset + cdSize > eocd) throw new ZipError(CORRUPT);

  const entries: ZipEntry[] = [];
  let declaredTotal = 0;
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > eocd || u32(bytes, p) !== 0x02014b50) throw new ZipError(CORRUPT);
    const flags = u16(bytes, p + 8);
    const method = u16(bytes, p + 10);
    const compressedSize = u32(bytes, p + 20);
    const uncompressedSize = u32(bytes, p + 24);
    const nameLen = u16(bytes, p + 28);
    const extraLen = u16(bytes, p + 30);
    const commentLen = u16(bytes, p + 32);
    const localHeaderOffset = u32(bytes, p + 42);
    const name = UTF8.decode(bytes.subarray(p + 46, p + 46 + nameLen));
    if (compressedSize === 0xffffffff || uncompressedSize === 0xffffffff) throw new ZipError(BOMB);
    declaredTotal += uncompressedSize;
    if (declaredTotal > limits.maxDecompressedBytes) throw new ZipError(BOMB);
    if (uncompressedSize > limits.ratioExemptBytes && uncompressedSize > Math.max(1, compressedSize) * limits.maxCompressionRatio) {
      throw new ZipError(BOMB);
    }
    entries.push({ name, method, compressedSize, uncompressedSize, localHeaderOffset, flags });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** Inflates one entry, never producing more than its declared size (nor more than `budget`). */
export function readEntry(bytes: Uint8Array, entry: ZipEntry, budget: number): Uint8Array {
  if (entry.flags & 0x1) {
    throw new ZipError('Word 文件设有密码（已加密），无法读取。请取消密码后重新“另存为” .docx 再提交。');
  }
  const h = entry.localHeaderOffset;
  if (h + 30 > bytes.length || u32(bytes, h) !== 0x04034b50) throw new ZipError(CORRUPT);
  const start = h + 30 + u16(bytes, h + 26) + u16(bytes, h + 28);
  const end = start + entry.compressedSize;
  if (end > bytes.length) throw new ZipError(CORRUPT);
  const data = bytes.subarray(start, end);
  const cap = Math.min(entry.uncompressedSize, budget);
  if (entry.uncompressedSize > budget) throw new ZipError(BOMB);
  if (entry.method === 0) {
    if (data.length !== entry.uncompressedSize) throw new ZipError(CORRUPT);
    return data;
  }
  if (entry.method !== 8) throw new ZipError(CORRUPT);

  const out = new Uint8Array(cap);
  let written = 0;
  let overflow = false;
  let done = false;
  // fflate is loaded with the first Word file: its tables cost ~10 ms at start-up otherwise.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Inflate } = require('./inflate') as typeof import('./inflate');
  const inflater = new Inflate((chunk, final) => {
    if (written + chunk.length > cap) {
      overflow = true;
      return;
    }
    out.set(chunk, written);
    written += chunk.length;
    if (final) done = true;
  });
  // Small input steps bound how much one step can produce (deflate expands at most ~1032×).
  const STEP = 4096;
  try {
    for (let i = 0; i < data.length && !overflow; i += STEP) {
      inflater.push(data.subarray(i, Math.min(data.length, i + STEP)), i + STEP >= data.length);
    }
  } catch {
    throw new ZipError(CORRUPT);
  }
  if (overflow) throw new ZipError(BOMB);
  if (!done || written !== entry.uncompressedSize) throw new ZipError(CORRUPT);
  return out;
}

/** The named entries, inflated within the total budget of the limits. */
export function readZipEntries(bytes: Uint8Array, names: string[], limits: IngestLimits = INGEST_LIMITS): Map<string, Uint8Array> {
  const entries = readCentralDirectory(bytes, limits);
  const out = new Map<string, Uint8Array>();
  let budget = limits.maxDecompressedBytes;
  for (const name of names) {
    const e = entries.find((x) => x.name === name);
    if (!e) continue;
    const data = readEntry(bytes, e, budget);
    budget -= data.length;
    out.set(name, data);
  }
  return out;
}
