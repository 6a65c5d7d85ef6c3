/**
 * The daily schedule (EventBridge Scheduler, 09:00 Asia/Shanghai) → due reminders, overdue notices, digests.
 * Also invoked with `{ time, dryRun, year }` to evaluate another instant (local rehearsal, `nianbao remind`).
 */
import { depsFromEnv, logger } from '../../shared/aws/deps';
import { sendReminders, type ReminderRun } from '../../shared/cycle/reminders';

export interface ReminderEvent {
  /** The scheduler's scheduled time (ISO): a retried tick evaluates the same day. */
  time?: string;
  dryRun?: boolean;
  year?: number;
}

export async function handler(event: ReminderEvent): Promise<ReminderRun> {
  const deps = depsFromEnv();
  // Claims make a retried or doubled tick send nothing twice.
  const t = event?.time ? Date.parse(event.time) : NaN;
  const run = await sendReminders(deps, Number.isNaN(t) ? deps.clock.now() : new Date(t), {
    dryRun: event?.dryRun === true,
    year: Number.isInteger(event?.year) ? event.year : undefined,
  });
  logger.info('reminders', { at: run.at, dryRun: run.dryRun, sent: run.sent.length, undeliverable: run.undeliverable.length, digests: run.digests.length });
  return run;
}
