/**
 * Limits for untrusted input files, as data. A report is a few pages: anything far beyond these is
 * either a mistake or an attack (zip bomb, page bomb), and is refused with a message, never processed.
 */
import { UPLOAD_LIMITS } from '../../resources';

export const INGEST_LIMITS = {
  /** Largest file accepted at all (same as the upload policy). */
  maxFileBytes: UPLOAD_LIMITS.maxBytes,
  /** Total bytes a DOCX may inflate to (all entries we read together). */
  maxDecompressedBytes: 50 * 1024 * 1024,
  /** Entries in a DOCX zip's central directory. Real reports have 10–40. */
  maxZipEntries: 2000,
  /** Declared uncompressed/compressed ratio of one entry above which the zip is refused. */
  maxCompressionRatio: 200,
  /** Entries smaller than this are exempt from the ratio check (tiny XML compresses very well). */
  ratioExemptBytes: 1024 * 1024,
  /** Pages read from a PDF. */
  maxPdfPages: 50,
  /** Text items over the whole PDF (a page bomb with millions of glyph runs). */
  maxPdfTextItems: 200_000,
  /** Lines of cells handed to the parser. */
  maxLines: 20_000,
  /** Cells over all lines (a real report has a few thousand; 10 MB of tabs would be millions). */
  maxCells: 200_000,
  /** Wall time for one PDF extraction before it is abandoned, in ms. */
  pdfTimeoutMs: 20_000,
} as const;

export type IngestLimits = { [K in keyof typeof INGEST_LIMITS]: number };
