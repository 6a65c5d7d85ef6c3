/**
 * The queued reminder path (issue 13, e-mail at the rate SES allows) on the in-memory ports: the daily run
 * queues jobs instead of sending; deliverReminderJob (what mail-sender runs per message) sends each under
 * its claim. SQS delivers at least once and the run may be repeated, so duplicates must send nothing twice;
 * SES throttling must give the claim back, so the message's next delivery sends it.
 */
import { MailThrottled, type ReminderJob } from '../../shared/cycle/ports';
import { deliverReminderJob, sendReminders } from '../../shared/cycle/reminders';
import { seeded, upload } from './helpers';
import { processSubmission } from '../../shared/cycle/processing';

// 2027-01-24 09:00 Shanghai: departments (deadline 01-31) are at T−7, streets (01-26) in T−3's catch-up.
const at = new Date('2027-01-24T01:00:00Z');

async function queuedWorld() {
  const queued: ReminderJob[] = [];
  const w = await seeded({ reminderQueue: { enqueue: async (jobs) => void queued.push(...jobs) } });
  w.clock.t = at.getTime();
  return { w, queued, kinds: () => w.mailer.sent.map((m) => m.tags?.kind).sort() };
}

test('the run queues one job per due reminder and the digest, and sends nothing itself', async () => {
  const { w, queued } = await queuedWorld();
  const run = await sendReminders(w.deps, at);
  expect(run.queued).toBe(true);
  expect(run.sent.map((s) => s.officeId).sort()).toEqual(['fagai', 'jincheng']);
  expect(run.digests).toEqual([2026]);
  expect(queued.map((j) => (j.kind === 'reminder' ? `${j.officeId}:${j.slot}` : 'digest')).sort()).toEqual(['digest', 'fagai:before7', 'jincheng:before3']);
  expect(w.mailer.sent).toHaveLength(0);
  expect(queued.find((j) => j.kind === 'digest')).toMatchObject({ remindersSent: 2, at: at.toISOString() });
});

test('every job delivered twice (SQS at least once), and the run repeated: each e-mail once', async () => {
  const { w, queued, kinds } = await queuedWorld();
  await sendReminders(w.deps, at);
  const jobs = [...queued];
  await Promise.all([...jobs, ...jobs].map((j) => deliverReminderJob(w.deps, j)));
  expect(kinds()).toEqual(['digest', 'reminder-before3', 'reminder-before7']);
  // Everything is claimed now: a repeated run queues nothing.
  queued.length = 0;
  const again = await sendReminders(w.deps, at);
  expect(again.sent).toEqual([]);
  expect(again.digests).toEqual([]);
  expect(queued).toEqual([]);
  for (const j of jobs) expect(await deliverReminderJob(w.deps, j)).toBe('skipped');
  expect(w.mailer.sent).toHaveLength(3);
});

test('SES throttling is "later": the claim is given back and the next delivery sends it, once', async () => {
  const { w, queued, kinds } = await queuedWorld();
  await sendReminders(w.deps, at);
  const send = w.mailer.send.bind(w.mailer);
  let refuse = 2;
  w.deps.mailer = {
    send: async (m) => {
      if (refuse-- > 0) throw new MailThrottled('Maximum sending rate exceeded.');
      return send(m);
    },
  };
  const first = await Promise.allSettled(queued.map((j) => deliverReminderJob(w.deps, j)));
  const throttled = first.filter((r) => r.status === 'rejected');
  expect(throttled).toHaveLength(2);
  for (const r of throttled) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(MailThrottled);
  // The queue brings the throttled messages back (here: all of them, as SQS may).
  await Promise.all(queued.map((j) => deliverReminderJob(w.deps, j)));
  expect(kinds()).toEqual(['digest', 'reminder-before3', 'reminder-before7']);
  const audit = (await w.repo.listAudit(2026, 'fagai')).filter((a) => a.action === 'reminder');
  expect(audit).toHaveLength(1);
});

test('an office that uploaded after the run but before its reminder went out is not reminded', async () => {
  const { w, queued, kinds } = await queuedWorld();
  await sendReminders(w.deps, at);
  await processSubmission(w.deps, upload(w, 'fagai', 'OK'));
  expect((await w.repo.getOffice(2026, 'fagai'))?.status).not.toBe('NOT_SUBMITTED');
  const outcomes = await Promise.all(queued.map((j) => deliverReminderJob(w.deps, j)));
  expect(outcomes.filter((o) => o === 'skipped')).toHaveLength(1);
  expect(kinds().filter((k) => k?.startsWith('reminder'))).toEqual(['reminder-before3']);
});
