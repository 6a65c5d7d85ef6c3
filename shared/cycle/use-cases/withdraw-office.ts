/**
 * A coordinator withdraws (撤回) an office's published report with a reason (PUBLISHED → RETURNED): the version
 * is marked withdrawn, leaves every public listing (year page, open data, search index, the office's history)
 * when the archive step regenerates them, the office page keeps the notice 「该报告已于…撤回，理由：…」, the audit
 * trail records who and why, and the office gets an e-mail. The office then uploads again, as after a return.
 * The version's files stay where they are (the archive is immutable); nothing links to them any more.
 */
import { CONTROL_CHARACTERS } from '../../common/text';
import { transitionOffice, type Uses } from '../deps';
import { CycleError, invalid } from '../errors';
import { officePageUrl } from '../links';
import { requireCycle, requireOffice } from '../lookup';
import { STATUS_LABELS } from '../model';
import type { CycleStore, OfficeStore, SubmissionStore } from '../ports';
import { officeView, type OfficeView } from './office-status';

export const MAX_WITHDRAWAL_REASON_CHARS = 500;

/** The reason as it will stand on the public page: one line, required, bounded. */
function withdrawalReason(raw: unknown): string {
  const reason = typeof raw === 'string' ? raw.replace(/\s+/g, ' ').trim() : '';
  if (!reason) throw invalid('撤回时请填写撤回理由 reason（将显示在公开页面上）');
  if (reason.length > MAX_WITHDRAWAL_REASON_CHARS) throw invalid(`撤回理由过长（上限 ${MAX_WITHDRAWAL_REASON_CHARS} 字）`);
  if (CONTROL_CHARACTERS.test(reason)) throw invalid('撤回理由不能包含控制字符');
  return reason;
}

export async function withdrawOffice(
  deps: Uses<CycleStore & OfficeStore & SubmissionStore, 'clock' | 'mailer' | 'emails' | 'log' | 'archiveTrigger' | 'publicBaseUrl'>,
  year: number,
  officeId: string,
  rawReason: unknown,
  actor = 'coordinator',
): Promise<OfficeView> {
  const reason = withdrawalReason(rawReason);
  const cycle = await requireCycle(deps, year);
  const before = await requireOffice(deps, year, officeId);
  const publishedId = before.publishedSubmissionId;
  if (before.status !== 'PUBLISHED' || !publishedId) {
    throw new CycleError('conflict', `当前状态为“${STATUS_LABELS[before.status]}”，只有已公开的报告可以撤回`);
  }
  const sub = await deps.repo.getSubmission(year, officeId, publishedId);
  if (!sub) throw new CycleError('conflict', `找不到已公开的提交 ${publishedId}`);
  const at = deps.clock.now().toISOString();
  // The version is marked first: the archive step reads the mark, and a withdrawal that loses a race below
  // takes it back.
  await deps.repo.updateSubmission({ ...sub, withdrawnAt: at, withdrawnReason: reason });
  const { office, changed } = await transitionOffice(deps, year, officeId, (o) =>
    o.status === 'PUBLISHED' && o.publishedSubmissionId === sub.id
      ? {
          set: { status: 'RETURNED', publishedSubmissionId: null, note: `已撤回公开。撤回理由：${reason}` },
          audit: {
            year,
            officeId,
            at,
            actor,
            action: 'withdrawn',
            from: 'PUBLISHED',
            to: 'RETURNED',
            submissionId: sub.id,
            sha256: sub.sha256,
            detail: `撤回第${sub.publishedVersion ?? '?'}版：${reason}`,
          },
        }
      : null,
  );
  if (!changed) {
    await deps.repo.updateSubmission(sub);
    throw new CycleError('conflict', `当前状态为“${STATUS_LABELS[office.status]}”，该报告已不是公开版本，未撤回`);
  }
  const mail = deps.emails.withdrawnEmail({ year, officeName: office.name, submissionId: sub.id, reason, at, uploadUrl: officePageUrl(deps.publicBaseUrl, year, officeId), sender: cycle });
  try {
    await deps.mailer.send({ to: office.emails, ...mail, tags: { year: String(year), officeId, kind: 'withdrawn' } });
  } catch (e) {
    // The withdrawal stands; the office also sees it on its page and in the reminders.
    deps.log?.('warn', 'withdrawal e-mail not sent', { year, officeId, error: (e as Error).message });
  }
  // The archive step regenerates the office page (with the notice), the year page, open data and search index.
  await deps.archiveTrigger?.requestArchive({ year, officeId, submissionId: sub.id });
  return officeView(cycle, office, deps.clock.now());
}
