/**
 * Deadlines and reminders. Once a day (09:00 Asia/Shanghai), for every open cycle: Query the offices that
 * still owe a report (by status, never a Scan), send each office the reminder due today — at most one a day,
 * each slot once (a conditional claim per office, deadline and slot) — and send the coordinators one digest.
 *
 * Policy per office group (model.ts ReminderPolicy): reminders `daysBefore` the deadline (default T−14, T−7,
 * T−3, T−1 and the deadline day, 0), overdue notices `daysAfter` it (default: daily for 30 days). Days are
 * Asia/Shanghai calendar days. Cutoff rule: an upload is on time when S3 stored it (LastModified, the
 * submission's receivedAt) at or before the deadline instant; the check may finish later.
 */
import type { CycleDeps } from './deps';
import { CycleError, notFound } from './errors';
import { dashboardUrl, officePageUrl } from './links';
import { undeliverableContacts } from './mail-events';
import { OFFICE_STATUSES, STATUS_LABELS, type Cycle, type Office, type OfficeGroup, type OfficeStatus } from './model';
import { once } from './once';
import type { ReminderJob } from './ports';
import { deadlineOf } from './lookup';
import { calendarDaysBetween, shanghaiDate } from '../common/time';

/** Statuses that get reminders: RECEIVED is being checked right now, so it waits for its verdict. */
export const REMIND_STATUSES: readonly OfficeStatus[] = ['NOT_SUBMITTED', 'REJECTED', 'RETURNED'];

/** A slot whose day was missed (the job did not run) is still sent this many days later, not after. */
export const CATCH_UP_DAYS = 2;

/** A claim not completed within this time belongs to a crashed sender and may be taken over. */
const CLAIM_STALE_MS = 15 * 60_000;
/** A manual reminder is sent once per click, and a click within this long after the last one is refused. */
export const MANUAL_REMINDER_WINDOW_MS = 60_000;
const recentlyReminded = () => new CycleError('conflict', '1分钟内已向该单位发送过提醒，请稍后再试');

/**
 * The slot due on a day `daysLeft` calendar days before the deadline (negative: after it). Before the
 * deadline: the nearest `daysBefore` slot not in the future; after it: the latest `daysAfter` slot reached;
 * either way only if its day is at most CATCH_UP_DAYS ago (a missed run still reminds once, a cycle created
 * late does not get every earlier reminder). null: nothing due.
 */
export function dueSlot(group: Pick<OfficeGroup, 'reminders'>, daysLeft: number): string | null {
  if (daysLeft >= 0) {
    const d = [...group.reminders.daysBefore].sort((a, b) => a - b).find((x) => x >= daysLeft);
    return d === undefined || d - daysLeft > CATCH_UP_DAYS ? null : `before${d}`;
  }
  const late = -daysLeft;
  const a = [...group.reminders.daysAfter].sort((x, y) => y - x).find((x) => x <= late);
  return a === undefined || late - a > CATCH_UP_DAYS ? null : `after${a}`;
}

/** Whether today is itself one of the policy's days (not a catch-up): the coordinators get their digest. */
function isPolicyDay(group: Pick<OfficeGroup, 'reminders'>, daysLeft: number): boolean {
  return daysLeft >= 0 ? group.reminders.daysBefore.includes(daysLeft) : group.reminders.daysAfter.includes(-daysLeft);
}

/** A cycle is open for reminders until the last overdue notice of its latest group (plus catch-up). */
function isOpen(cycle: Cycle, now: Date): boolean {
  return cycle.groups.some((g) => calendarDaysBetween(g.deadline, now) <= Math.max(0, ...g.reminders.daysAfter) + CATCH_UP_DAYS);
}

function groupOf(cycle: Cycle, office: Pick<Office, 'group'>): OfficeGroup {
  return cycle.groups.find((g) => g.id === office.group) ?? cycle.groups[0];
}

/**
 * Overdue: no acceptable report and the deadline has passed. An office whose on-time upload is still being
 * checked is not overdue (the cutoff is the upload, not the verdict).
 */
export function isOverdue(office: Pick<Office, 'status' | 'currentReceivedAt'>, deadline: string, now: Date): boolean {
  if (office.status === 'ACCEPTED' || office.status === 'PUBLISHED') return false;
  if (now.getTime() <= Date.parse(deadline)) return false;
  return !(office.status === 'RECEIVED' && office.currentReceivedAt !== null && Date.parse(office.currentReceivedAt) <= Date.parse(deadline));
}

export interface ReminderItem {
  year: number;
  officeId: string;
  slot: string;
}

export interface ReminderRun {
  /** The instant the run evaluated (the schedule's time, or a simulated one). */
  at: string;
  /** Its Asia/Shanghai calendar date. */
  date: string;
  dryRun: boolean;
  /**
   * true: the e-mails were queued (deps.reminderQueue), to be sent at the configured rate within minutes;
   * `sent` lists what was queued, and an office found undeliverable at sending time is recorded then.
   */
  queued: boolean;
  /** Reminders and overdue notices sent (queued: queued; dry run: that would be sent). */
  sent: ReminderItem[];
  /** Due, but every contact address of the office is marked undeliverable: recorded, listed in the digest. */
  undeliverable: ReminderItem[];
  /** Years whose coordinators got (queued: will get; dry run: would get) a digest. */
  digests: number[];
}

export interface ReminderOptions {
  /** Only this cycle (the API's per-cycle route); default: every open cycle. */
  year?: number;
  /** Work out what is due without sending or recording anything. */
  dryRun?: boolean;
}

/** Audit detail of a scheduled reminder. */
const reminderDetail = (slot: string, deadlineDate: string, to: string[]) => `${slot}｜截止 ${deadlineDate}｜${to.length ? `收件人 ${to.join('、')}` : '无可送达的邮箱'}`;

const reminderKey = (year: number, officeId: string, deadlineDate: string, slot: string) => `REMIND#${year}#${officeId}#${deadlineDate}#${slot}`;
const digestKey = (year: number, date: string) => `DIGEST#${year}#${date}`;

/** The office's addresses not marked undeliverable (bounces, complaints). */
async function deliverable(deps: CycleDeps, office: Office): Promise<string[]> {
  const dead = new Set(undeliverableContacts(await deps.repo.listAudit(office.year, office.id)));
  return office.emails.filter((e) => !dead.has(e.toLowerCase()));
}

async function officeMailFacts(deps: CycleDeps, office: Office): Promise<{ errors: number | null; note: string | null }> {
  let errors: number | null = null;
  if (office.status === 'REJECTED' && office.currentSubmissionId) {
    const sub = await deps.repo.getSubmission(office.year, office.id, office.currentSubmissionId);
    errors = sub ? sub.findings.filter((f) => f.severity === 'error').length : null;
  }
  return { errors, note: office.status === 'RETURNED' ? office.note : null };
}

/**
 * The daily run: works out what is due and hands each e-mail to deps.reminderQueue (sent at the configured
 * rate by the mail-sender function, which calls deliverReminderJob) or, without a queue, delivers it here.
 * Either way each reminder and digest is sent under its claim, so repeated or doubled runs send nothing twice.
 */
export async function sendReminders(deps: CycleDeps, now: Date = deps.clock.now(), options: ReminderOptions = {}): Promise<ReminderRun> {
  const dryRun = options.dryRun === true;
  const queue = dryRun ? undefined : deps.reminderQueue;
  const today = shanghaiDate(now);
  const run: ReminderRun = { at: now.toISOString(), date: today, dryRun, queued: !!queue, sent: [], undeliverable: [], digests: [] };
  let cycles = await deps.repo.listCycles();
  if (options.year !== undefined) cycles = cycles.filter((c) => c.year === options.year);
  for (const cycle of cycles.sort((a, b) => a.year - b.year)) {
    if (!isOpen(cycle, now)) continue;
    const outstanding: Office[] = [];
    for (const status of REMIND_STATUSES) outstanding.push(...(await deps.repo.listOfficesByStatus(cycle.year, status)));
    outstanding.sort((a, b) => a.id.localeCompare(b.id));
    let digestDue = false;
    let handled = 0;
    const candidates: Array<{ item: ReminderItem; office: Office; key: string }> = [];
    for (const office of outstanding) {
      const group = groupOf(cycle, office);
      const deadline = deadlineOf(cycle, office);
      const daysLeft = calendarDaysBetween(now, deadline);
      // The deadline passed earlier today: the deadline-day reminder is moot, tomorrow is overdue day 1.
      if (daysLeft === 0 && now.getTime() > Date.parse(deadline)) continue;
      const slot = dueSlot(group, daysLeft);
      if (!slot) continue;
      if (isPolicyDay(group, daysLeft)) digestDue = true;
      const item = { year: cycle.year, officeId: office.id, slot };
      if (dryRun || queue) {
        candidates.push({ item, office, key: reminderKey(cycle.year, office.id, shanghaiDate(deadline), slot) });
        continue;
      }
      const outcome = await deliverReminder(deps, cycle, office, slot, now);
      if (outcome === 'skipped') continue;
      (outcome === 'sent' ? run.sent : run.undeliverable).push(item);
      handled++;
      digestDue = true;
    }
    // Queued or dry run: those not claimed yet (sent, or being sent), 25 lookups at a time. Queued but not yet
    // claimed is queued again; the claim at sending time keeps it to one e-mail.
    const jobs: ReminderJob[] = [];
    for (let i = 0; i < candidates.length; i += 25) {
      const chunk = candidates.slice(i, i + 25);
      const due = await Promise.all(
        chunk.map(async ({ office, key }) => ((await deps.repo.isClaimed(key)) ? null : queue ? 'queued' : (await deliverable(deps, office)).length ? 'sent' : 'undeliverable')),
      );
      due.forEach((d, j) => {
        if (!d) return;
        const { item } = chunk[j];
        if (d === 'queued') jobs.push({ kind: 'reminder', ...item, at: run.at });
        (d === 'undeliverable' ? run.undeliverable : run.sent).push(item);
        handled++;
        digestDue = true;
      });
    }
    if (!digestDue) continue;
    const digest: ReminderJob = { kind: 'digest', year: cycle.year, at: run.at, remindersSent: handled };
    if (dryRun || queue) {
      const digestClaimed = await deps.repo.isClaimed(digestKey(cycle.year, today));
      if (queue) await queue.enqueue(digestClaimed ? jobs : [...jobs, digest]);
      if (!digestClaimed) run.digests.push(cycle.year);
      continue;
    }
    if ((await deliverDigest(deps, cycle, digest)) === 'sent') run.digests.push(cycle.year);
  }
  return run;
}
/**
 * One reminder: claimed, sent, recorded. 'skipped': someone else has it (sent, or being sent). A failed send
 * gives the claim back (the retry sends at once); the writes after a successful one are retried in place,
 * since a failed delivery would be retried and send it again.
 */
async function deliverReminder(deps: CycleDeps, cycle: Cycle, office: Office, slot: string, at: Date): Promise<'sent' | 'undeliverable' | 'skipped'> {
  const deadline = deadlineOf(cycle, office);
  const deadlineDate = shanghaiDate(deadline);
  const daysLeft = calendarDaysBetween(at, deadline);
  const key = reminderKey(cycle.year, office.id, deadlineDate, slot);
  const to = await deliverable(deps, office);
  // A failed send (MailThrottled included) gives the claim back: the job's next delivery sends at once.
  const reminded = await once(deps, {
    key,
    staleAfterMs: CLAIM_STALE_MS,
    run: async () => {
      if (!to.length) return;
      const facts = await officeMailFacts(deps, office);
      const mail = deps.emails.reminderEmail({
        year: cycle.year,
        officeName: office.name,
        deadline,
        daysLeft,
        statusLabel: STATUS_LABELS[office.status],
        uploadUrl: officePageUrl(deps.publicBaseUrl, cycle.year, office.id),
        sender: cycle,
        ...facts,
      });
      await deps.mailer.send({ to, ...mail, tags: { year: String(cycle.year), officeId: office.id, kind: `reminder-${slot}` } });
    },
    record: () =>
      deps.repo.appendAudit(
        {
          year: cycle.year,
          officeId: office.id,
          at: at.toISOString(),
          actor: 'system',
          action: !to.length ? 'reminder_undeliverable' : daysLeft < 0 ? 'overdue_notice' : 'reminder',
          from: null,
          to: null,
          submissionId: null,
          sha256: null,
          detail: reminderDetail(slot, deadlineDate, to),
        },
        key,
      ),
  });
  if (reminded.status !== 'ran') return 'skipped';
  return to.length ? 'sent' : 'undeliverable';
}

/** The coordinators' digest of a run (job.at), once per cycle and day. */
async function deliverDigest(deps: CycleDeps, cycle: Cycle, job: Extract<ReminderJob, { kind: 'digest' }>): Promise<'sent' | 'skipped'> {
  const now = new Date(job.at);
  const digest = await once(deps, {
    key: digestKey(cycle.year, shanghaiDate(now)),
    staleAfterMs: CLAIM_STALE_MS,
    run: async () => {
      const outstanding: Office[] = [];
      for (const status of REMIND_STATUSES) outstanding.push(...(await deps.repo.listOfficesByStatus(cycle.year, status)));
      const mail = deps.emails.digestEmail({ ...(await digestInput(deps, cycle, now, outstanding, job.remindersSent)), sender: cycle });
      await deps.mailer.send({ to: cycle.coordinatorEmails, ...mail, tags: { year: String(cycle.year), kind: 'digest' } });
    },
  });
  return digest.status === 'ran' ? 'sent' : 'skipped';
}

/**
 * A queued job of the daily run, delivered by the mail sender (functions/mail-sender) at the configured
 * rate, possibly minutes after the run. The office is read again: one that has since uploaded (or been
 * accepted) is not reminded. A MailThrottled error from the mailer means "later": the claim is given back.
 */
export async function deliverReminderJob(deps: CycleDeps, job: ReminderJob): Promise<'sent' | 'undeliverable' | 'skipped'> {
  const cycle = await deps.repo.getCycle(job.year);
  if (!cycle) return 'skipped';
  if (job.kind === 'digest') return deliverDigest(deps, cycle, job);
  const office = await deps.repo.getOffice(job.year, job.officeId);
  if (!office || !REMIND_STATUSES.includes(office.status)) return 'skipped';
  return deliverReminder(deps, cycle, office, job.slot, new Date(job.at));
}

/** Counts by status, the overdue list, rejected offices with their top findings, undeliverable contacts. */
async function digestInput(deps: CycleDeps, cycle: Cycle, now: Date, outstanding: Office[], remindersSent: number) {
  const all = await deps.repo.listOffices(cycle.year);
  const counts: Record<string, number> = {};
  for (const s of OFFICE_STATUSES) counts[STATUS_LABELS[s]] = all.filter((o) => o.status === s).length;
  const overdue = all
    .filter((o) => isOverdue(o, deadlineOf(cycle, o), now))
    .map((o) => ({
      name: o.name,
      statusLabel: STATUS_LABELS[o.status],
      deadline: deadlineOf(cycle, o),
      daysOverdue: Math.max(1, calendarDaysBetween(deadlineOf(cycle, o), now)),
    }))
    .sort((a, b) => b.daysOverdue - a.daysOverdue || a.name.localeCompare(b.name, 'zh'));
  const rejected = [];
  for (const o of all.filter((x) => x.status === 'REJECTED')) {
    const sub = o.currentSubmissionId ? await deps.repo.getSubmission(cycle.year, o.id, o.currentSubmissionId) : null;
    const errors = (sub?.findings ?? []).filter((f) => f.severity === 'error');
    rejected.push({ name: o.name, errors: errors.length, findings: errors.slice(0, 3) });
  }
  const undeliverable = [];
  for (const o of outstanding) {
    const dead = new Set(undeliverableContacts(await deps.repo.listAudit(cycle.year, o.id)));
    const emails = o.emails.filter((e) => dead.has(e.toLowerCase()));
    if (emails.length) undeliverable.push({ name: o.name, emails });
  }
  return {
    year: cycle.year,
    date: shanghaiDate(now),
    counts,
    total: all.length,
    remindersSent,
    overdue,
    rejected,
    undeliverable,
    dashboardUrl: dashboardUrl(deps.publicBaseUrl, cycle.year),
  };
}

/**
 * "Send a reminder now" from the dashboard: to an office that still owes a report, whatever the day. Clicks
 * within 60 seconds of the last manual reminder send nothing more (409), across calendar minutes too.
 */
export async function sendReminderNow(deps: CycleDeps, year: number, officeId: string): Promise<{ sent: boolean; to: string[]; undeliverable: string[] }> {
  const cycle = await deps.repo.getCycle(year);
  if (!cycle) throw notFound(`${year}年度尚未创建`);
  const office = await deps.repo.getOffice(year, officeId);
  if (!office) throw notFound(`${year}年度没有编号为“${officeId}”的单位`);
  if (!REMIND_STATUSES.includes(office.status)) {
    throw new CycleError('conflict', `当前状态为“${STATUS_LABELS[office.status]}”，无需提醒（只提醒未提交、未通过或已退回的单位）`);
  }
  const now = deps.clock.now();
  const audit = await deps.repo.listAudit(year, officeId);
  const dead = new Set(undeliverableContacts(audit));
  const to = office.emails.filter((e) => !dead.has(e.toLowerCase()));
  const undeliverable = office.emails.filter((e) => dead.has(e.toLowerCase()));
  if (!to.length) throw new CycleError('conflict', `该单位的联系邮箱均无法送达（${undeliverable.join('、')}），请先核实并重新导入单位名单`);
  // A second click within a minute of the last manual reminder sends nothing, whatever the calendar minute.
  // The claim is keyed by that last reminder, so two clicks at the same moment (both seeing the same last
  // one) still send one mail: the second finds the claim taken.
  const last = audit.filter((e) => e.action === 'reminder_manual').reduce<string | null>((max, e) => (max === null || e.at > max ? e.at : max), null);
  if (last !== null && now.getTime() - Date.parse(last) < MANUAL_REMINDER_WINDOW_MS) throw recentlyReminded();
  const key = `REMIND#${year}#${officeId}#manual#after#${last ?? 'none'}`;
  const deadline = deadlineOf(cycle, office);
  const sent = await once(deps, {
    key,
    staleAfterMs: CLAIM_STALE_MS,
    run: async () => {
      const mail = deps.emails.reminderEmail({
        year,
        officeName: office.name,
        deadline,
        daysLeft: calendarDaysBetween(now, deadline),
        statusLabel: STATUS_LABELS[office.status],
        uploadUrl: officePageUrl(deps.publicBaseUrl, year, officeId),
        manual: true,
        sender: cycle,
        ...(await officeMailFacts(deps, office)),
      });
      await deps.mailer.send({ to, ...mail, tags: { year: String(year), officeId, kind: 'reminder-manual' } });
    },
    record: () =>
      deps.repo.appendAudit(
        {
          year,
          officeId,
          at: now.toISOString(),
          actor: 'coordinator',
          action: 'reminder_manual',
          from: null,
          to: null,
          submissionId: null,
          sha256: null,
          detail: `政务公开办手动发送提醒｜收件人 ${to.join('、')}`,
        },
        key,
      ),
  });
  if (sent.status !== 'ran') throw recentlyReminded();
  return { sent: true, to, undeliverable };
}

/**
 * The instant a run evaluates, from user input: an ISO instant with an offset, or a bare date meaning
 * 09:00 Asia/Shanghai that day (when the schedule fires). Missing: now.
 */
export function parseRunAt(raw: unknown, now: Date): Date {
  if (raw === undefined || raw === null || raw === '') return now;
  if (typeof raw !== 'string') throw new CycleError('invalid', 'at 应为时间字符串，如 2027-01-20T09:00:00+08:00 或 2027-01-20');
  const s = raw.trim();
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T09:00:00+08:00` : s;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(iso) || Number.isNaN(Date.parse(iso))) {
    throw new CycleError('invalid', `时间“${s.slice(0, 40)}”格式不正确，应为如 2027-01-20T09:00:00+08:00 或 2027-01-20（当天 9 时）`);
  }
  return new Date(Date.parse(iso));
}
