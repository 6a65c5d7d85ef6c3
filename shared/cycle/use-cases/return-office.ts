/** A coordinator returns an accepted report with a note (ACCEPTED → RETURNED); the office gets an e-mail. */
import { transitionOffice, type Uses } from '../deps';
import { CycleError, invalid } from '../errors';
import { requireCycle, requireOffice } from '../lookup';
import { STATUS_LABELS } from '../model';
import type { CycleStore, OfficeStore } from '../ports';
import { officeView, type OfficeView } from './office-status';
import { officePageUrl } from '../links';

export async function returnOffice(deps: Uses<CycleStore & OfficeStore, 'clock' | 'mailer' | 'emails' | 'log' | 'publicBaseUrl'>, year: number, officeId: string, note: unknown): Promise<OfficeView> {
  if (typeof note !== 'string' || !note.trim()) throw invalid('退回时请填写退回说明 note');
  if (note.length > 2000) throw invalid('退回说明过长（上限 2000 字）');
  const cycle = await requireCycle(deps, year);
  const before = await requireOffice(deps, year, officeId);
  if (before.status !== 'ACCEPTED') throw new CycleError('conflict', `当前状态为“${STATUS_LABELS[before.status]}”，只有已通过、尚未公开的报告可以退回`);
  const { office, changed } = await transitionOffice(deps, year, officeId, (o) =>
    o.status === 'ACCEPTED'
      ? {
          set: { status: 'RETURNED', note: note.trim() },
          audit: {
            year,
            officeId,
            at: deps.clock.now().toISOString(),
            actor: 'coordinator',
            action: 'returned',
            from: 'ACCEPTED',
            to: 'RETURNED',
            submissionId: o.currentSubmissionId,
            sha256: null,
            detail: note.trim(),
          },
        }
      : null,
  );
  if (changed) {
    const mail = deps.emails.returnedEmail({
      year,
      officeName: office.name,
      note: note.trim(),
      submissionId: office.currentSubmissionId ?? '',
      uploadUrl: officePageUrl(deps.publicBaseUrl, year, officeId),
      sender: cycle,
    });
    await deps.mailer.send({ to: office.emails, ...mail, tags: { year: String(year), officeId, kind: 'returned' } });
  }
  return officeView(cycle, office, deps.clock.now());
}
