/** What a validation knows beyond the report itself, and helpers shared by the rules. */
import { TABLE_KEYS, type Finding, type Report } from '../model';
import { dataRows, SPECS, versionForYear, type FormatVersion, type TableId } from '../spec';

export interface ValidationContext {
  /** The cycle's report year (STR-02, STR-04). */
  year?: number;
  /** The submitting office (STR-07). */
  office?: string;
  /** Names of the other offices of the cycle: none may appear in this report (STR-07). */
  otherOffices?: string[];
  /** Last year's archived report of the same office (XY-01..03). */
  previous?: Report;
  /** ISO instants: the office's deadline and when the report was received (DL-01). */
  deadline?: string;
  receivedAt?: string;
}

/** The year a report is checked against: its own, else the cycle's. */
export function referenceYear(report: Report, ctx: ValidationContext): number | null {
  return report.year ?? ctx.year ?? null;
}

/**
 * The format spec the tables are checked against: the detected version, else the one the year
 * requires, else the version whose table-三 row labels match best.
 */
export function effectiveVersion(report: Report, ctx: ValidationContext = {}): FormatVersion {
  if (report.formatVersion) return report.formatVersion;
  const y = referenceYear(report, ctx);
  if (y !== null) return versionForYear(y);
  const score = (v: FormatVersion) => {
    let n = 0;
    for (const id of ['二', '三'] as TableId[]) {
      const t = report[TABLE_KEYS[id]];
      if (!t) continue;
      const known = new Set(dataRows(SPECS[v].tables[id]).map((r) => r.label));
      for (const k of Object.keys(t)) if (known.has(k)) n++;
    }
    return n;
  };
  return score('2019') > score('2021') ? '2019' : '2021';
}

/** The narrative sections' text (headings and table cells excluded). */
export function narrative(report: Report): string {
  return report.sections.map((s) => s.text).join('\n');
}

export function sectionText(report: Report, ordinal: number): string | null {
  const s = report.sections.filter((x) => x.ordinal === ordinal);
  return s.length ? s.map((x) => x.text).join('\n') : null;
}

// Which section a finding belongs to, for sorting: rules may say so explicitly.
const sectionHints = new WeakMap<Finding, number>();

export function inSection<T extends Finding>(f: T, ordinal: number): T {
  sectionHints.set(f, ordinal);
  return f;
}

export const TABLE_SECTION: Record<TableId, number> = { 二: 2, 三: 3, 四: 4 };

/** 0 for findings about the whole report (title, year, office, deadline), else 1..6. */
export function sectionOf(f: Finding): number {
  return sectionHints.get(f) ?? (f.table ? TABLE_SECTION[f.table] : 0);
}
