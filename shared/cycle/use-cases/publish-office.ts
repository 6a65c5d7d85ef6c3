/** A coordinator publishes an accepted report (ACCEPTED → PUBLISHED), asks for its archive and tells the office by e-mail. */
import { publicOfficePageUrl } from '../links';
import { transitionOffice, type CycleDeps, type Uses } from '../deps';
import { CycleError } from '../errors';
import { requireCycle, requireOffice } from '../lookup';
import { STATUS_LABELS, type Cycle, type Office } from '../model';
import type { CycleStore, OfficeStore, SubmissionStore } from '../ports';
import { officeView, type OfficeView } from './office-status';

export async function publishOffice(deps: Uses<CycleStore & OfficeStore & SubmissionStore, 'clock' | 'archiveTrigger' | 'log' | 'mailer' | 'emails' | 'publicBaseUrl'>, year: number, officeId: string, actor = 'coordinator'): Promise<OfficeView> {
  const cycle = await requireCycle(deps, year);
  const before = await requireOffice(deps, year, officeId);
  if (before.status === 'PUBLISHED' && before.publishedSubmissionId === before.currentSubmissionId) return officeView(cycle, before, deps.clock.now());
  if (before.status !== 'ACCEPTED') throw new CycleError('conflict', `当前状态为“${STATUS_LABELS[before.status]}”，只有已通过的报告可以公开`);
  const sub = before.currentSubmissionId ? await deps.repo.getSubmission(year, officeId, before.currentSubmissionId) : null;
  const { office, changed } = await transitionOffice(deps, year, officeId, (o) =>
    o.status === 'ACCEPTED' && o.currentSubmissionId
      ? {
          set: { status: 'PUBLISHED', publishedSubmissionId: o.currentSubmissionId, note: null },
          audit: {
            year,
            officeId,
            at: deps.clock.now().toISOString(),
            actor,
            action: o.publishedSubmissionId ? 'published_amendment' : 'published',
            from: o.status,
            to: 'PUBLISHED',
            submissionId: o.currentSubmissionId,
            sha256: sub?.sha256 ?? null,
            detail: o.publishedSubmissionId ? `更正：替换已公开的提交 ${o.publishedSubmissionId}` : null,
          },
        }
      : null,
  );
  if (office.status === 'PUBLISHED' && office.publishedSubmissionId) {
    await deps.archiveTrigger?.requestArchive({ year, officeId, submissionId: office.publishedSubmissionId });
  }
  if (changed) await tellPublished(deps, cycle, office);
  return officeView(cycle, office, deps.clock.now());
}

/** The publication e-mail to the office, once its status has just become PUBLISHED (by hand or autoPublish). */
export async function tellPublished(deps: Pick<CycleDeps, 'log' | 'mailer' | 'emails' | 'publicBaseUrl'>, cycle: Cycle, office: Office): Promise<void> {
  const { year, id: officeId } = office;
  if (!office.publishedSubmissionId) return;
  const mail = deps.emails.publishedEmail({ year, officeName: office.name, submissionId: office.publishedSubmissionId, at: office.updatedAt, pageUrl: publicOfficePageUrl(deps.publicBaseUrl, year, officeId), sender: cycle });
  try {
    await deps.mailer.send({ to: office.emails, ...mail, tags: { year: String(year), officeId, kind: 'published' } });
  } catch (e) {
    // Published all the same: the office sees it on its page.
    deps.log?.('warn', 'publication e-mail not sent', { year, officeId, error: (e as Error).message });
  }
}
