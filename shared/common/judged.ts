/**
 * Findings with their judgements (shared/cycle/judgement.ts), as every view shows them: the e-mails, the
 * exports and the pages use the same words. A leaf like the rest of shared/common: the finding is taken by
 * the fields it needs, so the browser pages can import this too.
 */

/**
 * A judgement on one finding of one submission: the office's explanation (说明) of a 提示, or the
 * coordinator's waiver (豁免) of a 提示 or, with a reason, of an error. The verdict then counts only errors
 * not waived.
 */
export interface FindingJudgement {
  /** Position in the submission's findings (fixed once it is checked); `rule` guards against a mismatch. */
  index: number;
  rule: string;
  kind: 'explained' | 'waived';
  /** The explanation, or the reason for the waiver ('' for a warning waived without one). */
  text: string;
  /** 'office:<id>' or 'coordinator', as in the audit trail. */
  by: string;
  at: string;
}

interface FindingLike {
  rule: string;
  severity: 'error' | 'warning';
}

export type Judged<F extends FindingLike> = F & {
  index: number;
  explanation: FindingJudgement | null;
  waiver: FindingJudgement | null;
};

/** Each finding with its latest explanation and waiver. */
export function judgedFindings<F extends FindingLike>(sub: { findings: F[]; judgements?: FindingJudgement[] | null }): Judged<F>[] {
  return sub.findings.map((f, index) => {
    const mine = (sub.judgements ?? []).filter((j) => j.index === index && j.rule === f.rule);
    const latest = (kind: FindingJudgement['kind']) => mine.filter((j) => j.kind === kind).at(-1) ?? null;
    return { ...f, index, explanation: latest('explained'), waiver: latest('waived') };
  });
}

/** Rejected while any error is not waived. */
export function effectiveVerdict(sub: { findings: FindingLike[]; judgements?: FindingJudgement[] | null }): 'accepted' | 'rejected' {
  return judgedFindings(sub).some((f) => f.severity === 'error' && !f.waiver) ? 'rejected' : 'accepted';
}

/** How a judged finding reads in receipts, e-mails and exports, e.g. "已豁免（理由：…）；单位说明：…". */
export function judgementText(f: { explanation: FindingJudgement | null; waiver: FindingJudgement | null }): string {
  const parts: string[] = [];
  if (f.waiver) parts.push(f.waiver.text ? `已豁免（理由：${f.waiver.text}）` : '已豁免');
  if (f.explanation) parts.push(`单位说明：${f.explanation.text}`);
  return parts.join('；');
}
