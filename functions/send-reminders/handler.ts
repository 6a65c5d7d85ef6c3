/** The daily schedule (EventBridge Scheduler, 09:00 Asia/Shanghai) → due reminders, overdue notices, digests. */
import { depsFromEnv, logger } from '../../shared/aws/deps';
import { sendReminders, type ReminderRun } from '../../shared/cycle/reminders';

export async function handler(event: { time?: string }): Promise<ReminderRun> {
  const deps = depsFromEnv();
  // The scheduler's time makes a retried tick evaluate the same day; claims make it send nothing twice.
  const t = event?.time ? Date.parse(event.time) : NaN;
  const run = await sendReminders(deps, Number.isNaN(t) ? deps.clock.now() : new Date(t));
  logger.info('reminders', { sent: run.sent.length, digests: run.digests.length });
  return run;
}
