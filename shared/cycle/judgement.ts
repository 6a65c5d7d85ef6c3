/**
 * Judgement on findings. An office explains a 提示 (说明: "the figure is right, because …"); the 政务公开办
 * waives a 提示, or — with a reason — an error, for one submission. Findings themselves never change (they are
 * what the checker said); the judgements lie beside them, the verdict counts only errors not waived, and the
 * audit trail records who judged what and why. And an office that sends back, byte for byte, the file that was
 * returned to it is told so (FILE-03), instead of having it checked and accepted again.
 */
import { finding, type Finding, type Verdict } from '../report/model';
import { effectiveVerdict, judgedFindings, type Judged } from '../common/judged';
import { CONTROL_CHARACTERS } from '../common/text';
import { FILE_RULES } from './checker';
import { transitionOffice, type CycleDeps } from './deps';
import { CycleError, invalid } from './errors';
import type { FindingJudgement, Principal, Submission } from './model';
import { findSubmission } from './pages';
import { requireOfficeOrCoordinator } from './service';

export const MAX_JUDGEMENT_CHARS = 1000;

function cleanText(raw: unknown, what: string, required: boolean): string {
  const text = typeof raw === 'string' ? raw.replace(/\r\n?/g, '\n').trim() : '';
  if (required && !text) throw invalid(`请填写${what}`);
  if (text.length > MAX_JUDGEMENT_CHARS) throw invalid(`${what}过长（上限 ${MAX_JUDGEMENT_CHARS} 字）`);
  // Line breaks are kept (an explanation may have several); other control characters are not text.
  if (CONTROL_CHARACTERS.test(text.replace(/\n/g, ' '))) throw invalid(`${what}不能包含控制字符`);
  return text;
}

async function loadFinding(deps: CycleDeps, year: number, officeId: string, submissionId: string, index: unknown): Promise<{ sub: Submission; f: Finding; index: number }> {
  const sub = await findSubmission(deps, year, officeId, submissionId);
  // 'done': processing has written the submission for the last time, so a judgement is not overwritten.
  if (sub.state !== 'done' || !sub.verdict) throw new CycleError('conflict', '该提交仍在校验中，校验完成后才能处理其中的问题');
  const i = typeof index === 'number' ? index : typeof index === 'string' && /^\d+$/.test(index) ? Number(index) : NaN;
  const f = Number.isInteger(i) ? sub.findings[i] : undefined;
  if (!f) throw invalid(`该提交没有第 ${Number.isInteger(i) ? i + 1 : '?'} 项问题`);
  return { sub, f, index: i };
}

function judged(sub: Submission, j: FindingJudgement): Submission {
  const judgements = [...(sub.judgements ?? []), j];
  return { ...sub, judgements, verdict: effectiveVerdict({ findings: sub.findings, judgements }) };
}

/**
 * The office (or the 政务公开办 for it) explains a 提示 of one of its submissions. An error is not explained
 * away: it is corrected, or waived by the 政务公开办.
 */
export async function explainFinding(
  deps: CycleDeps,
  principal: Principal,
  ref: { year: number; officeId: string; submissionId: string; index: unknown },
  rawText: unknown,
): Promise<Judged<Finding>> {
  requireOfficeOrCoordinator(principal, ref.year, ref.officeId);
  const text = cleanText(rawText, '说明', true);
  const { sub, f, index } = await loadFinding(deps, ref.year, ref.officeId, ref.submissionId, ref.index);
  if (f.severity !== 'warning') throw new CycleError('conflict', '错误须修改后重新上传，不能以说明代替；如确属特殊情况，请联系政务公开办');
  const by = principal.role === 'office' ? `office:${ref.officeId}` : 'coordinator';
  const at = deps.clock.now().toISOString();
  const next = judged(sub, { index, rule: f.rule, kind: 'explained', text, by, at });
  await deps.repo.updateSubmission(next);
  await deps.repo.appendAudit({
    year: ref.year,
    officeId: ref.officeId,
    at,
    actor: by,
    action: 'finding_explained',
    from: null,
    to: null,
    submissionId: sub.id,
    sha256: sub.sha256,
    detail: `第${index + 1}项 [${f.rule}] ${f.message}｜说明：${text}`,
  });
  return judgedFindings(next)[index];
}

/**
 * The 政务公开办 waives a finding of one submission: a 提示 with or without a reason, an error only with one.
 * When that leaves the office's current, rejected submission without errors, the office moves to ACCEPTED
 * (and the report is archived, as an accepted upload would be).
 */
export async function waiveFinding(
  deps: CycleDeps,
  principal: Principal,
  ref: { year: number; officeId: string; submissionId: string; index: unknown },
  rawReason: unknown,
): Promise<{ finding: Judged<Finding>; verdict: Verdict; status: string }> {
  if (principal.role !== 'coordinator') throw new CycleError('forbidden', '只有政务公开办（管理员）可以豁免问题');
  const { sub, f, index } = await loadFinding(deps, ref.year, ref.officeId, ref.submissionId, ref.index);
  if (f.rule === FILE_RULES.unreadable || f.rule === FILE_RULES.tooLarge) throw new CycleError('conflict', '文件无法读取或过大，没有可审核的内容，不能豁免；请单位重新上传');
  const reason = cleanText(rawReason, '豁免理由', f.severity === 'error');
  const at = deps.clock.now().toISOString();
  const next = judged(sub, { index, rule: f.rule, kind: 'waived', text: reason, by: 'coordinator', at });
  await deps.repo.updateSubmission(next);
  const detail = `第${index + 1}项${f.severity === 'error' ? '错误' : '提示'} [${f.rule}] ${f.message}｜${reason ? `理由：${reason}` : '未填理由'}`;
  const audit = { year: ref.year, officeId: ref.officeId, at, actor: 'coordinator', submissionId: sub.id, sha256: sub.sha256, detail };
  const { office, changed } = await transitionOffice(deps, ref.year, ref.officeId, (o) =>
    o.status === 'REJECTED' && o.currentSubmissionId === sub.id && next.verdict === 'accepted'
      ? { set: { status: 'ACCEPTED' }, audit: { ...audit, action: 'finding_waived', from: 'REJECTED', to: 'ACCEPTED' } }
      : null,
  );
  if (changed) await deps.archiveTrigger?.requestArchive({ year: ref.year, officeId: ref.officeId, submissionId: sub.id });
  else await deps.repo.appendAudit({ ...audit, action: 'finding_waived', from: null, to: null });
  return { finding: judgedFindings(next)[index], verdict: next.verdict!, status: office.status };
}

/**
 * FILE-03: the submission is byte for byte (SHA-256) a file that was returned to the office. Called once the
 * submission is checked; returns it with the error added, or unchanged.
 */
export async function markSameAsReturned(deps: CycleDeps, sub: Submission): Promise<Submission> {
  if (!sub.sha256 || sub.findings.some((f) => f.rule === FILE_RULES.sameAsReturned)) return sub;
  const returned = (await deps.repo.listAudit(sub.year, sub.officeId)).filter((e) => e.action === 'returned' && e.submissionId && e.submissionId !== sub.id);
  for (const event of returned.reverse()) {
    const earlier = await deps.repo.getSubmission(sub.year, sub.officeId, event.submissionId!);
    if (earlier?.sha256 !== sub.sha256) continue;
    const f = finding({
      rule: FILE_RULES.sameAsReturned,
      severity: 'error',
      message: `本次上传的文件与已退回的提交 ${earlier.id}（${earlier.fileName}）完全相同（SHA-256 一致），退回意见尚未处理：${event.detail ?? ''}。请按退回意见修改后重新上传`,
    });
    const findings = [f, ...sub.findings];
    // Judgements point at positions: shift them past the new first finding.
    const judgements = sub.judgements?.map((j) => ({ ...j, index: j.index + 1 }));
    return { ...sub, findings, judgements, verdict: 'rejected' };
  }
  return sub;
}
