/**
 * The daily schedule (EventBridge Scheduler, 09:00 Asia/Shanghai) → due reminders, overdue notices, digests.
 * Also invoked with `{ time, dryRun, year }` to evaluate another instant (local rehearsal, `nianbao remind`).
 */
import { depsFromEnv, logger } from '../../shared/aws/deps';
import { count, observed } from '../../shared/aws/observe';
import { sendReminders, type ReminderRun } from '../../shared/cycle/reminders';

export interface ReminderEvent {
  /** The scheduler's scheduled time (ISO): a retried tick evaluates the same day. */
  time?: string;
  dryRun?: boolean;
  year?: number;
}

export const handler = observed(remind, (event) => event.time);

async function remind(event: ReminderEvent): Promise<ReminderRun> {
  const deps = depsFromEnv();
  // Claims make a retried or doubled tick send nothing twice.
  const t = event?.time ? Date.parse(event.time) : NaN;
  const run = await sendReminders(deps, Number.isNaN(t) ? deps.clock.now() : new Date(t), {
    dryRun: event?.dryRun === true,
    year: Number.isInteger(event?.year) ? event.year : undefined,
  });
  logger.info('reminders', { at: run.at, dryRun: run.dryRun, sent: run.sent.length, undeliverable: run.undeliverable.length, digests: run.digests.length });
  // Queued e-mails are counted when mail-sender sends them.
  if (!run.dryRun && !run.queued) {
    count('RemindersSent', run.sent.length);
    count('DigestsSent', run.digests.length);
  }
  if (run.queued) count('RemindersQueued', run.sent.length);
  return run;
}
