/**
 * The reminder policy: once a day, for every open cycle, Query the offices that still owe a report (by
 * status, never a Scan), send each office the reminder that is due today — at most one, and each slot once
 * (a claim per office, deadline and slot) — and tell the coordinators in one digest.
 */
import { digestEmail, reminderEmail } from '../render/email';
import type { CycleDeps } from './deps';
import { STATUS_LABELS, type Cycle, type Office, type OfficeGroup, type OfficeStatus } from './model';
import { deadlineOf } from './service';
import { calendarDaysBetween, shanghaiDate } from './time';

/** Statuses that get reminders: RECEIVED is being checked right now, so it waits for its verdict. */
const REMIND_STATUSES: OfficeStatus[] = ['NOT_SUBMITTED', 'REJECTED', 'RETURNED'];

/**
 * The slot due on a day `daysLeft` calendar days before the deadline (negative: after it): before the
 * deadline the nearest slot not in the future (so a missed run still reminds once), after it the largest
 * `daysAfter` offset reached. null: nothing due.
 */
export function dueSlot(group: Pick<OfficeGroup, 'reminders'>, daysLeft: number): string | null {
  if (daysLeft >= 0) {
    const d = [...group.reminders.daysBefore].sort((a, b) => a - b).find((x) => x >= daysLeft);
    return d === undefined ? null : `before${d}`;
  }
  const late = -daysLeft;
  const a = [...group.reminders.daysAfter].sort((x, y) => y - x).find((x) => x <= late);
  return a === undefined ? null : `after${a}`;
}

/** A cycle is open for reminders until the last escalation of its latest group. */
function isOpen(cycle: Cycle, now: Date): boolean {
  return cycle.groups.some((g) => calendarDaysBetween(g.deadline, now) <= Math.max(0, ...g.reminders.daysAfter));
}

export interface ReminderRun {
  sent: { year: number; officeId: string; slot: string }[];
  digests: number[];
}

export async function sendReminders(deps: CycleDeps, now: Date = deps.clock.now()): Promise<ReminderRun> {
  const run: ReminderRun = { sent: [], digests: [] };
  const today = shanghaiDate(now);
  for (const cycle of await deps.repo.listCycles()) {
    if (!isOpen(cycle, now)) continue;
    const outstanding: Office[] = [];
    for (const status of REMIND_STATUSES) outstanding.push(...(await deps.repo.listOfficesByStatus(cycle.year, status)));
    let firedToday = false;
    for (const office of outstanding) {
      const group = cycle.groups.find((g) => g.id === office.group) ?? cycle.groups[0];
      const deadline = deadlineOf(cycle, office);
      const daysLeft = calendarDaysBetween(now, deadline);
      const slot = dueSlot(group, daysLeft);
      if (!slot) continue;
      const key = `REMIND#${cycle.year}#${office.id}#${shanghaiDate(deadline)}#${slot}`;
      if ((await deps.repo.claimOnce(key, now, 60_000)) !== 'claimed') continue;
      const mail = reminderEmail({
        year: cycle.year,
        officeName: office.name,
        deadline,
        daysLeft,
        statusLabel: STATUS_LABELS[office.status],
        uploadUrl: deps.publicBaseUrl ? `${deps.publicBaseUrl.replace(/\/$/, '')}/upload/?year=${cycle.year}&office=${office.id}` : null,
      });
      await deps.mailer.send({
        to: office.emails,
        // Overdue notices are escalations: the coordinators see them too.
        cc: daysLeft < 0 ? cycle.coordinatorEmails : undefined,
        ...mail,
        tags: { year: String(cycle.year), officeId: office.id, kind: `reminder-${slot}` },
      });
      await deps.repo.completeClaim(key, now);
      await deps.repo.appendAudit({
        year: cycle.year,
        officeId: office.id,
        at: now.toISOString(),
        actor: 'system',
        action: daysLeft < 0 ? 'overdue_notice' : 'reminder',
        from: null,
        to: null,
        submissionId: null,
        sha256: null,
        detail: slot,
      }, key);
      run.sent.push({ year: cycle.year, officeId: office.id, slot });
      firedToday = true;
    }
    if (!firedToday) continue;
    const digestKey = `DIGEST#${cycle.year}#${today}`;
    if ((await deps.repo.claimOnce(digestKey, now, 60_000)) !== 'claimed') continue;
    const all = await deps.repo.listOffices(cycle.year);
    const counts: Record<string, number> = {};
    for (const o of all) counts[STATUS_LABELS[o.status]] = (counts[STATUS_LABELS[o.status]] ?? 0) + 1;
    const overdue = outstanding
      .filter((o) => Date.parse(deadlineOf(cycle, o)) < now.getTime())
      .map((o) => ({ name: o.name, statusLabel: STATUS_LABELS[o.status], deadline: deadlineOf(cycle, o) }));
    const mail = digestEmail({ year: cycle.year, date: today, counts, overdue, rejected: outstanding.filter((o) => o.status === 'REJECTED').map((o) => ({ name: o.name })) });
    await deps.mailer.send({ to: cycle.coordinatorEmails, ...mail, tags: { year: String(cycle.year), kind: 'digest' } });
    await deps.repo.completeClaim(digestKey, now);
    run.digests.push(cycle.year);
  }
  return run;
}
