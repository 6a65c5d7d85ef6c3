/**
 * The daily reconciliation sweep (EventBridge Scheduler, 08:30 Asia/Shanghai, before the reminders) →
 * every uploaded object without a recorded outcome is processed now. Also invoked on demand with
 * `{ year?, minAgeSeconds? }` (locally: POST /_local/reconcile).
 * Throws when an object failed again, so the failure is visible (retries, dead-letter queue, alarms);
 * everything else it did stays done.
 */
import type { Context } from 'aws-lambda';
import { count, observed } from '../../shared/aws/observe';
import { depsFromEnv, logger } from '../../shared/aws/deps';
import { defaultChecker } from '../../shared/cycle/checker';
import { reconcile, type ReconcileRun } from '../../shared/cycle/reconcile';

export interface ReconcileEvent {
  /** The scheduler's scheduled time (ISO), for the logs; object ages are measured against the real clock. */
  time?: string;
  year?: number;
  /** Objects younger than this are left to their S3 event (default 600). */
  minAgeSeconds?: number;
}

/** Time kept free at the end of an invocation: one upload's processing (the processor's own timeout). */
const RESERVE_MS = 2.5 * 60_000;

export const handler = observed(sweep, (event) => event.time);

async function sweep(event: ReconcileEvent, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<ReconcileRun> {
  const deps = depsFromEnv(defaultChecker);
  const now = deps.clock.now();
  const minAge = Number(event?.minAgeSeconds);
  const run = await reconcile(deps, now, {
    year: Number.isInteger(event?.year) ? event.year : undefined,
    minAgeMs: Number.isFinite(minAge) && minAge >= 0 ? minAge * 1000 : undefined,
    keepGoing: context?.getRemainingTimeInMillis ? () => context.getRemainingTimeInMillis() > RESERVE_MS : undefined,
  });
  logger.info('reconciliation', {
    scheduled: event?.time,
    years: run.years,
    objects: run.objects,
    recorded: run.recorded,
    processed: run.processed.length,
    failed: run.failed.length,
    deferred: run.deferred,
    archivesRequested: run.archives.length,
  });
  count('SweepFixed', run.processed.length + run.archives.length);
  count('SweepFailed', run.failed.length);
  if (run.failed.length) {
    const e = new Error(`reconciliation: ${run.failed.length} upload(s) failed again: ${run.failed.map((f) => `${f.key} (${f.error})`).join('; ').slice(0, 2000)}`);
    e.name = 'ReconciliationIncomplete';
    throw e;
  }
  return run;
}
