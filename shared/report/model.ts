/**
 * The canonical report model. The same JSON is the `.json` input format, the archived record and
 * what the renderers read. Versioned by `$schema`.
 */
// zod/mini: the classic API with every locale was most of each Lambda bundle (cold start). Every schema is
// z.lazy, built on its first parse: building them all at load cost ~7 ms CPU in every cold start, mostly
// in functions that never parse input (bench/README.md "Cold start").
import * as z from 'zod/mini';
import '../zod-locale';
import type { Location } from '../common/location';

export const REPORT_SCHEMA_ID = 'https://nianbao.cn/schema/report/v1.json';

/**
 * One table cell: the raw text as written and what it means.
 * `blank` is not 0: a blank cell makes the checks that need it not assessable.
 */
export const CellSchema = z.lazy(() =>
  z.object({
    raw: z.string(),
    kind: z.enum(['number', 'blank', 'invalid']),
    value: z.nullable(z.number()),
    /** Why the cell is invalid (in Chinese), when kind is `invalid`. */
    problem: z.optional(z.string()),
  }),
);
export type Cell = z.infer<typeof CellSchema>;

/** row label → column label → cell. A missing row or cell means it was not found in the report. */
export const TableSchema = z.lazy(() => z.record(z.string(), z.record(z.string(), CellSchema)));
export type Table = z.infer<typeof TableSchema>;

export const NumberingSchema = z.lazy(() => z.enum(['chinese', 'arabic', 'parenthesised', 'none']));
export type Numbering = z.infer<typeof NumberingSchema>;

export const SectionSchema = z.lazy(() =>
  z.object({
    /** 1..6, the section of the national format this heading was matched to. */
    ordinal: z.number().check(z.int(), z.gte(1), z.lte(6)),
    /** The heading as written. */
    heading: z.string(),
    /** How the heading was numbered (一、 is the standard; 4、 or （四） are accepted with a warning). */
    numbering: NumberingSchema,
    /** The ordinal written in the heading, when it differs from its position. */
    writtenOrdinal: z.optional(z.nullable(z.number().check(z.int()))),
    /** The narrative text of the section (table cells excluded). */
    text: z.string(),
  }),
);
export type Section = z.infer<typeof SectionSchema>;

export const ReportSchema = z.lazy(() =>
  z.object({
    $schema: z.literal(REPORT_SCHEMA_ID),
    title: z.nullable(z.string()),
    year: z.nullable(z.number().check(z.int(), z.gte(2000), z.lte(2100))),
    office: z.nullable(z.string()),
    formatVersion: z.nullable(z.enum(['2019', '2021'])),
    /** The statistical period if stated, e.g. { from: '2021-01-01', to: '2021-12-31' }. */
    period: z.nullable(z.object({ from: z.string(), to: z.string() })),
    /** The text before 一、总体情况 (legal basis, period, contact), when the report has one. */
    preamble: z.optional(z.string()),
    /** Sections in document order, as found. */
    sections: z.array(SectionSchema),
    /** null: the table is absent from the report. */
    table2: z.nullable(TableSchema),
    table3: z.nullable(TableSchema),
    table4: z.nullable(TableSchema),
  }),
);
export type Report = z.infer<typeof ReportSchema>;

export type TableKey = 'table2' | 'table3' | 'table4';
export const TABLE_KEYS = { 二: 'table2', 三: 'table3', 四: 'table4' } as const satisfies Record<string, TableKey>;

export function emptyReport(): Report {
  return {
    $schema: REPORT_SCHEMA_ID,
    title: null,
    year: null,
    office: null,
    formatVersion: null,
    period: null,
    sections: [],
    table2: null,
    table3: null,
    table4: null,
  };
}

export const numberCell = (value: number, raw = String(value)): Cell => ({ raw, kind: 'number', value });
export const blankCell = (raw = ''): Cell => ({ raw, kind: 'blank', value: null });

// ---- findings ----

export const SeveritySchema = z.lazy(() => z.enum(['error', 'warning']));
export type Severity = z.infer<typeof SeveritySchema>;

/**
 * Where something is in the document the office sent (1-based): a PDF page and its line, a text line, a
 * DOCX/HTML paragraph, or a table with its row and cell. Only the fields that apply are present.
 */
export type { Location };

/** Where a finding is in the document; its text is `locationText` (shared/common/location.ts). */
export const LocationSchema: z.ZodMiniType<Location> = z.lazy(() =>
  z.object({
    page: z.optional(z.number()),
    line: z.optional(z.number()),
    paragraph: z.optional(z.number()),
    table: z.optional(z.number()),
    row: z.optional(z.number()),
    cell: z.optional(z.number()),
  }),
);

export const FindingSchema = z.lazy(() =>
  z.object({
    rule: z.string(),
    severity: SeveritySchema,
    table: z.nullable(z.enum(['二', '三', '四'])),
    row: z.nullable(z.string()),
    column: z.nullable(z.string()),
    expected: z.nullable(z.number()),
    actual: z.nullable(z.number()),
    message: z.string(),
    /** Where the finding is in the office's document, when the reader knows. */
    location: z.optional(LocationSchema),
  }),
);
export type Finding = z.infer<typeof FindingSchema>;

/** A finding with defaults for the fields a rule does not use. */
export function finding(f: Pick<Finding, 'rule' | 'severity' | 'message'> & Partial<Finding>): Finding {
  return { table: null, row: null, column: null, expected: null, actual: null, ...f };
}

export type Verdict = 'accepted' | 'rejected';

export function verdictOf(findings: Finding[]): Verdict {
  return findings.some((f) => f.severity === 'error') ? 'rejected' : 'accepted';
}
