/** Asynchronous invoke { year, officeId, submissionId } → archive/publish that submission and regenerate the public pages. */
import { depsFromEnv, logger } from '../../shared/aws/deps';
import { observed } from '../../shared/aws/observe';
import { archiveSubmission, type ArchiveOutcome } from '../../shared/publishing/archive';
import { parseOfficeId, parseYear } from '../../shared/cycle/service';
/* eslint-disable @typescript-eslint/no-require-imports */

export interface ArchiveEvent {
  year: number;
  officeId: string;
  submissionId: string;
}

/** { aggregate: { year, includeAccepted?, name?, umbrella? } }: publish the year's 本级 report. */
export interface AggregateEvent {
  aggregate: { year: number; includeAccepted?: boolean; name?: string; umbrella?: string[] };
}

export const handler = observed(
  async (event: ArchiveEvent | AggregateEvent): Promise<ArchiveOutcome | { outcome: 'aggregate'; version: number; created: boolean }> => {
    if (event && typeof event === 'object' && 'aggregate' in event) return aggregate(event.aggregate);
    return archive(event as ArchiveEvent);
  },
  // The submission the step archives (what process-submission and the sweep logged when they asked for it).
  (event) => ('submissionId' in event && typeof event.submissionId === 'string' ? event.submissionId : null),
);

async function aggregate(a: AggregateEvent['aggregate']): Promise<{ outcome: 'aggregate'; version: number; created: boolean }> {
  const year = parseYear(String(a?.year));
  const umbrella = Array.isArray(a.umbrella) ? a.umbrella.map((id) => parseOfficeId(String(id))) : [];
  const name = typeof a.name === 'string' ? a.name.slice(0, 60) : undefined;
  const { publishAggregate } = require('../../shared/publishing/aggregate') as typeof import('../../shared/publishing/aggregate');
  const r = await publishAggregate(depsFromEnv(), year, { includeAccepted: a.includeAccepted === true, name, umbrella });
  logger.info('aggregate published', { year, version: r.version, created: r.created });
  return { outcome: 'aggregate', version: r.version, created: r.created };
}

async function archive(event: ArchiveEvent): Promise<ArchiveOutcome> {
  const year = Number(event?.year);
  if (!Number.isInteger(year) || typeof event?.submissionId !== 'string' || !/^\d{4}-[0-9A-F]{12}$/.test(event.submissionId)) {
    logger.error('malformed archive event', { event: JSON.stringify(event).slice(0, 500) });
    return { outcome: 'skipped', reason: 'malformed event' };
  }
  const outcome = await archiveSubmission(depsFromEnv(), { year, officeId: parseOfficeId(event.officeId), submissionId: event.submissionId });
  logger.info('archive', { ...event, outcome: outcome.outcome });
  return outcome;
}
