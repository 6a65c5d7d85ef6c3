/**
 * E-mail at the rate SES allows, nothing lost (issue 13): 2,000 offices owe a report on a reminder day. The
 * daily run (send-reminders, as the scheduler invokes it) queues one message per reminder and the digest
 * into the local SQS queue; mail-sender consumes it (2 at once, batches of 10, partial batch failures) and
 * sends at 150 e-mails/s in all into an SES that refuses more than 200 SendEmails a second. Midway SES
 * refuses everything for 3 s ("Maximum sending rate exceeded", as when other senders use up the account's
 * rate): whatever the emulators' speed on a busy machine, throttling happens. Throttled sends must come back
 * later, never be dropped or doubled: one reminder per office, one digest.
 * On a runtime of its own (the SES rate limit and the senders' rate are start options).
 */
import type { LocalClient } from '../../local/client';
import { figure } from '../figures';
import { startOwnRuntime } from './helpers';

const YEAR = 2020;
const N = 2000;
const SES_LIMIT = 200;
const SEND_RATE = 150;

let own: Awaited<ReturnType<typeof startOwnRuntime>>;
let c: LocalClient;

beforeAll(async () => {
  own = await startOwnRuntime({ args: ['--ses-max-per-second', String(SES_LIMIT), '--mail-rate', String(SEND_RATE)] });
  c = own.client;
}, 120_000);
afterAll(async () => {
  const survivors = await own?.stop();
  expect(survivors).toEqual([]);
}, 60_000);

const email = (i: number) => `mr-${i}@example.gov.cn`;

test(`${N} pending offices under SES throttling: every reminder sent exactly once, none lost`, async () => {
  // Deadline in 3 Shanghai days: the T−3 reminder is due for every office today.
  const deadline = new Date(Date.now() + 8 * 3600_000 + 3 * 86400_000).toISOString().slice(0, 10);
  await c.ok('POST', '/cycles', {
    token: c.coordinator,
    body: { year: YEAR, groups: [{ id: 'all', name: '全部单位', deadline }], coordinatorEmails: ['coordinator-mr@example.gov.cn'] },
  });
  const offices = Array.from({ length: N }, (_, i) => ({ id: `mr${String(i).padStart(4, '0')}`, name: `青峰区限速测试单位${i}`, group: 'all', emails: [email(i)] }));
  for (let i = 0; i < N; i += 500) await c.ok('POST', `/cycles/${YEAR}/offices`, { token: c.coordinator, body: { offices: offices.slice(i, i + 500) } });

  const t0 = Date.now();
  const run = await c.tick();
  const queuedMs = Date.now() - t0;
  expect(run).toMatchObject({ queued: true, digests: [YEAR] });
  expect(run.sent).toHaveLength(N);

  // Midway, SES refuses every send for 3 seconds.
  for (let s = await c.local('GET', '/_local/state'); s.body.mail.ses.accepted < N / 5; s = await c.local('GET', '/_local/state')) {
    await new Promise((r) => setTimeout(r, 200));
  }
  expect((await c.local('POST', '/_local/faults/ses/throttle', { seconds: 3 })).status).toBe(200);

  let state = await c.idle();
  while (state.mail.queued > 0 || state.lambda.inflight > 0) state = await c.idle();
  const drainedMs = Date.now() - t0;

  const mails = await c.mails();
  const perOffice = new Map<string, number>();
  for (const m of mails) for (const to of m.destination.to) perOffice.set(to, (perOffice.get(to) ?? 0) + 1);
  const counts = offices.map((_, i) => perOffice.get(email(i)) ?? 0);
  expect(counts.filter((n) => n === 0)).toHaveLength(0); // none lost
  expect(counts.filter((n) => n > 1)).toHaveLength(0); // none twice
  expect(perOffice.get('coordinator-mr@example.gov.cn')).toBe(1);
  expect(mails).toHaveLength(N + 1);

  // Throttling happened, and what SES refused went back to the queue rather than anywhere else.
  expect(state.mail.ses.throttled).toBeGreaterThan(0);
  expect(state.mail.queue.delayed).toBeGreaterThan(0);
  expect(state.mail.queue.deadLettered).toBe(0);
  expect(state.lambda.deadLetters).toBe(0);
  // SES accepted exactly the e-mails in the mailbox: every refused send was retried, none doubled.
  expect(state.mail.ses.accepted).toBe(N + 1);

  // The audit trail records each reminder once (a sample: one office in 100).
  for (let i = 0; i < N; i += 100) {
    expect((await c.audit(YEAR, offices[i].id)).filter((e) => e.action === 'reminder')).toHaveLength(1);
  }

  // The same tick again: everything is claimed, nothing is queued or sent.
  const again = await c.tick();
  expect(again.sent).toHaveLength(0);
  expect(again.digests).toEqual([]);
  await c.idle();
  expect(await c.mails()).toHaveLength(N + 1);

  figure('mail-rate', {
    offices: N,
    sesLimitPerSecond: SES_LIMIT,
    sendRatePerSecond: SEND_RATE,
    queuedMs,
    drainedMs,
    sesAccepted: state.mail.ses.accepted,
    sesThrottled: state.mail.ses.throttled,
    returnedToQueue: state.mail.queue.delayed,
    received: state.mail.queue.received,
    deadLettered: state.mail.queue.deadLettered,
  });
}, 300_000);
