/**
 * Validation of a parsed report: parser findings + rule findings, in document order, and the
 * verdict. The result is exactly the JSON contract of `nianbao validate --json` (design.md).
 */
import { verdictOf, type Finding, type Report, type Verdict } from './model';
import type { ParseResult } from './parse';
import { runRules, sortFindings, type ValidationContext } from './rules';

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

const where = (f: Finding) => `${f.rule}\u0000${f.table ?? ''}\u0000${f.row ?? ''}\u0000${f.column ?? ''}`;

export function validateParsed(parsed: ParseResult, ctx: ValidationContext = {}): ValidationResult {
  const { report } = parsed;
  // The parser reports layout problems it saw; a rule finding at the same place says the same thing.
  const seen = new Set(parsed.findings.map(where));
  const ruleFindings = runRules(report, ctx).filter((f) => !seen.has(where(f)));
  const findings = sortFindings([...parsed.findings, ...ruleFindings], report, ctx);
  return {
    formatVersion: report.formatVersion,
    year: report.year,
    office: report.office,
    verdict: verdictOf(findings),
    findings,
    report,
  };
}
