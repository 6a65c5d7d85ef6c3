/**
 * Validation of a parsed report: parser findings + rule findings, in document order, and the
 * verdict. The result is exactly the JSON contract of `nianbao validate --json` (docs/validation.md).
 */
import { finding, TABLE_KEYS, verdictOf, type Finding, type Report, type Verdict } from './model';
import type { Incomplete, Locations, ParseResult } from './parse';
import { runRules, sortFindings, type ValidationContext } from './rules';
import { sectionOf } from './rules/context';
import { SPECS, type TableId } from './spec';

export type { ValidationContext } from './rules';

/** What the parser returns: the report and the layout problems it saw. */
export type ParsedReport = ParseResult;

export interface ValidationResult {
  formatVersion: '2019' | '2021' | null;
  year: number | null;
  office: string | null;
  verdict: Verdict;
  findings: Finding[];
  report: Report;
}

/**
 * A hostile or garbled file can yield thousands of findings, or quote a megabyte-long cell. The findings
 * are stored in one DynamoDB item (400 KB) and listed in the receipt, so both are bounded here.
 */
export const MAX_FINDINGS = 200;
export const MAX_MESSAGE_CHARS = 1000;
export const LIMIT_RULE = 'LIMIT-01';

function bounded(findings: Finding[]): Finding[] {
  const clipped = findings.map((f) => (f.message.length > MAX_MESSAGE_CHARS ? { ...f, message: `${f.message.slice(0, MAX_MESSAGE_CHARS)}…` } : f));
  if (clipped.length <= MAX_FINDINGS) return clipped;
  const kept = clipped.slice(0, MAX_FINDINGS - 1);
  const rest = clipped.slice(MAX_FINDINGS - 1);
  const errors = rest.filter((f) => f.severity === 'error').length;
  // The summary carries the most severe omitted finding's severity, so the verdict does not change.
  kept.push(
    finding({
      rule: LIMIT_RULE,
      severity: errors > 0 ? 'error' : 'warning',
      message: `另有 ${rest.length} 项问题未逐条列出（其中错误 ${errors} 项）。问题过多，文件可能不是按全国统一格式填写的年度报告，请核对后重新提交。`,
    }),
  );
  return kept;
}

const where = (f: Finding) => `${f.rule}\u0000${f.table ?? ''}\u0000${f.row ?? ''}\u0000${f.column ?? ''}`;

/** A finding without a location gets the one of its row, else of its section's heading. */
function locate(f: Finding, locations: Locations | undefined): Finding {
  if (f.location || !locations) return f;
  const loc = (f.table && f.row && locations.rows.get(`${f.table}\u0000${f.row}`)) || locations.sections.get(sectionOf(f));
  return loc ? { ...f, location: loc } : f;
}

const SECTION_OF_TABLE: Record<TableId, number> = { 二: 2, 三: 3, 四: 4 };

/**
 * A document cut off part-way gets one finding from the parser; what is merely absent after the cut
 * (later sections and tables, the rest of the table's rows, the sums that need them) is not reported
 * again cell by cell.
 */
function afterCut(f: Finding, cut: Incomplete, report: Report): boolean {
  const section = f.table ? SECTION_OF_TABLE[f.table] : sectionOf(f);
  if (section > cut.section) return true;
  if (f.table !== cut.table) return false;
  if (f.rule === 'STR-06') {
    const rows = SPECS[report.formatVersion ?? '2021'].tables[cut.table].rows.map((r) => r.label);
    const absent = f.row !== null && !report[TABLE_KEYS[cut.table]]?.[f.row];
    return absent && f.column === null && rows.indexOf(f.row!) > rows.indexOf(cut.lastRow ?? '');
  }
  // "无法核对…（N个等式）：表三缺少…行": sums that need the rows after the cut.
  return unassessable(f);
}

/** "无法核对…": a sum or carry-over the rules could not check for want of a table or row. */
const unassessable = (f: Finding) => f.severity === 'warning' && f.column === null && /^(T3|T4|XY)-/.test(f.rule);

export function validateParsed(parsed: ParseResult, ctx: ValidationContext = {}): ValidationResult {
  const { report, incomplete, unreadTables = [] } = parsed;
  // The parser reports layout problems it saw; a rule finding at the same place says the same thing, and
  // so does "cannot check" about a table the parser said it could not read.
  const seen = new Set(parsed.findings.map(where));
  const unread = (f: Finding) => f.table !== null && unreadTables.includes(f.table) && unassessable(f);
  const ruleFindings = runRules(report, ctx).filter((f) => !seen.has(where(f)) && !unread(f) && !(incomplete && afterCut(f, incomplete, report)));
  const findings = bounded(sortFindings([...parsed.findings, ...ruleFindings], report, ctx).map((f) => locate(f, parsed.locations)));
  return {
    formatVersion: report.formatVersion,
    year: report.year,
    office: report.office,
    verdict: verdictOf(findings),
    findings,
    report,
  };
}
