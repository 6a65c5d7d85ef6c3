/**
 * The report check the cycle runs on every upload (and the dry-run): read the file → canonical report →
 * rules with the cycle's context → verdict. A port (ReportChecker) so the domain tests can drive the
 * workflow with a fake; the default implementation is the real reader and rule engine.
 */
import { finding, type Finding, type Report, type Verdict } from '../report/model';
import { readReport } from '../report/ingest';
import { validateParsed, type ValidationContext } from '../report/validate';

export type CheckResult =
  | { unreadable: string }
  | { report: Report; findings: Finding[]; verdict: Verdict };

export interface CheckInput {
  bytes: Uint8Array;
  fileName?: string;
  context: ValidationContext;
}

export type ReportChecker = (input: CheckInput) => Promise<CheckResult>;

/** Rule id of the findings the workflow itself produces (not in the report-format catalog). */
export const FILE_RULES = { unreadable: 'FILE-01', tooLarge: 'FILE-02', sameAsReturned: 'FILE-03' } as const;

export function unreadableFinding(message: string): Finding {
  return finding({ rule: FILE_RULES.unreadable, severity: 'error', message });
}

export const defaultChecker: ReportChecker = async ({ bytes, fileName, context }) => {
  const read = await readReport(bytes, { fileName, year: context.year, office: context.office });
  if ('unreadable' in read) return { unreadable: read.unreadable };
  // Parser findings + rule findings in document order: the same result as `nianbao validate`.
  const { findings, verdict } = validateParsed(read, context);
  return { report: read.report, findings, verdict };
};
