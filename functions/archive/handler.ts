/** Asynchronous invoke { year, officeId, submissionId } → archive/publish that submission and regenerate the public pages. */
import { depsFromEnv, logger } from '../../shared/aws/deps';
import { archiveSubmission, type ArchiveOutcome } from '../../shared/cycle/archive';
import { parseOfficeId } from '../../shared/cycle/service';

export interface ArchiveEvent {
  year: number;
  officeId: string;
  submissionId: string;
}

export async function handler(event: ArchiveEvent): Promise<ArchiveOutcome> {
  const year = Number(event?.year);
  if (!Number.isInteger(year) || typeof event?.submissionId !== 'string' || !/^\d{4}-[0-9A-F]{12}$/.test(event.submissionId)) {
    logger.error('malformed archive event', { event: JSON.stringify(event).slice(0, 500) });
    return { outcome: 'skipped', reason: 'malformed event' };
  }
  const outcome = await archiveSubmission(depsFromEnv(), { year, officeId: parseOfficeId(event.officeId), submissionId: event.submissionId });
  logger.info('archive', { ...event, outcome: outcome.outcome });
  return outcome;
}
