/**
 * Findings with their judgements (judgement.ts), as every view shows them: pure, no I/O, so the e-mails,
 * exports and pages use the same words.
 */
import type { Finding, Verdict } from '../report/model';
import type { FindingJudgement, Submission } from './model';

export interface JudgedFinding extends Finding {
  index: number;
  explanation: FindingJudgement | null;
  waiver: FindingJudgement | null;
}

/** Each finding with its latest explanation and waiver. */
export function judgedFindings(sub: Pick<Submission, 'findings' | 'judgements'>): JudgedFinding[] {
  return sub.findings.map((f, index) => {
    const mine = (sub.judgements ?? []).filter((j) => j.index === index && j.rule === f.rule);
    const latest = (kind: FindingJudgement['kind']) => mine.filter((j) => j.kind === kind).at(-1) ?? null;
    return { ...f, index, explanation: latest('explained'), waiver: latest('waived') };
  });
}

/** Rejected while any error is not waived. */
export function effectiveVerdict(sub: Pick<Submission, 'findings' | 'judgements'>): Verdict {
  return judgedFindings(sub).some((f) => f.severity === 'error' && !f.waiver) ? 'rejected' : 'accepted';
}

/** How a judged finding reads in receipts, e-mails and exports, e.g. "已豁免（理由：…）；单位说明：…". */
export function judgementText(f: Pick<JudgedFinding, 'explanation' | 'waiver'>): string {
  const parts: string[] = [];
  if (f.waiver) parts.push(f.waiver.text ? `已豁免（理由：${f.waiver.text}）` : '已豁免');
  if (f.explanation) parts.push(`单位说明：${f.explanation.text}`);
  return parts.join('；');
}
