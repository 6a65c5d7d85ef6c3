/**
 * At-least-once delivery on the in-memory ports (same conditional semantics as DynamoDB; the DynamoDB run
 * of the fault matrix is test/functions/at-least-once-dynamo.test.ts): duplicate, reordered and late S3
 * events, two uploads in the same second, retried reminder runs, and a crash at every single port call of
 * a delivery followed by Lambda's retries and the reconciliation sweep.
 */
import { processSubmission } from '../../shared/cycle/processing';
import { reconcile } from '../../shared/cycle/reconcile';
import { sendReminders } from '../../shared/cycle/reminders';
import { publishOffice, requestUpload } from '../../shared/cycle/service';
import { compareUploads, newUploadId, uploadIdTime } from '../../shared/cycle/upload-id';
import { figure } from '../figures';
import { FaultPlan, deliverLikeAws, faultyDeps } from './faults';
import { seeded, upload, type World } from './helpers';

const YEAR = 2026;
const transitions = async (w: World, officeId: string) =>
  (await w.repo.listAudit(YEAR, officeId)).filter((a) => a.to).map((a) => `${a.from}→${a.to}`);
const receipts = (w: World, submissionId?: string) =>
  w.mailer.sent.filter((m) => m.tags?.kind === 'receipt' && (!submissionId || m.tags.submission === submissionId));

/** Every ordering of a list (k! of them). */
function permutations<T>(xs: T[]): T[][] {
  if (xs.length <= 1) return [xs];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}

describe('upload ids (UUIDv7)', () => {
  test('strictly increasing within a process, even for 10,000 ids in the same millisecond', () => {
    const at = new Date('2027-01-20T02:00:00.123Z');
    const ids = Array.from({ length: 10_000 }, () => newUploadId(at));
    for (let i = 1; i < ids.length; i++) expect(ids[i] > ids[i - 1]).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // The time is in the id (a later millisecond may be borrowed after 4096 ids in one).
    expect(Math.abs(uploadIdTime(ids[0])!.getTime() - at.getTime())).toBeLessThan(10);
  });

  test('order: LastModified first, then the upload id, then the submission id', () => {
    const a = { receivedAt: '2027-01-20T02:00:00.000Z', uploadId: '0190-a', id: 'Z' };
    expect(compareUploads({ ...a, receivedAt: '2027-01-20T02:00:01.000Z', uploadId: '0000' }, a)).toBe(1);
    expect(compareUploads({ ...a, uploadId: '0190-b', id: 'A' }, a)).toBe(1);
    expect(compareUploads({ ...a, uploadId: null, id: 'ZZ' }, a)).toBe(1);
    expect(compareUploads(a, a)).toBe(0);
  });
});

describe('two uploads in the same second: the later ticket wins, whatever the event order', () => {
  const office = { role: 'office', year: YEAR, officeId: 'fagai' } as const;

  test.each(permutations([0, 1, 2]).map((p) => [p.join('')]))('3 uploads stored in one second, events in order %s', async (order) => {
    const w = await seeded();
    const sameSecond = new Date('2027-01-20T02:00:00Z');
    // Tickets issued in this order; the last one is the corrected report.
    const bodies = ['BAD first', 'BAD second', 'OK corrected'];
    const refs = [];
    for (const [i, body] of bodies.entries()) {
      const ticket = await requestUpload(w.deps, office, YEAR, 'fagai', { fileName: `年报${i}.txt` });
      const info = w.incoming.putObject(ticket.key, body, { lastModified: sameSecond, versionId: `v${i}`, fileName: `年报${i}.txt` });
      refs.push({ bucket: 'incoming', key: ticket.key, versionId: info.versionId, eTag: info.etag, sequencer: String(i) });
    }
    const outcomes = [];
    for (const i of order.split('').map(Number)) outcomes[i] = await processSubmission(w.deps, refs[i]);
    const latest = outcomes[2] as { submissionId: string };
    const o = await w.repo.getOffice(YEAR, 'fagai');
    expect(o).toMatchObject({ status: 'ACCEPTED', currentSubmissionId: latest.submissionId });
    const subs = await w.repo.listSubmissions(YEAR, 'fagai');
    // Newest first, in ticket order; the two older ones marked superseded (when their event came late).
    expect(subs.map((s) => s.fileName)).toEqual(['年报2.txt', '年报1.txt', '年报0.txt']);
    expect(receipts(w)).toHaveLength(3);
    // The audit trail is a chain: each transition starts where the previous one ended.
    const path = await transitions(w, 'fagai');
    for (let i = 1; i < path.length; i++) expect(path[i].split('→')[0]).toBe(path[i - 1].split('→')[1]);
    expect(path.at(-1)).toBe('RECEIVED→ACCEPTED');
  });
});

describe('duplicate, reordered and late S3 events', () => {
  test('five copies of one event, one after another and five at once: one transition each way, one receipt', async () => {
    const w = await seeded();
    const ref = upload(w, 'fagai', 'OK');
    for (let i = 0; i < 5; i++) await processSubmission(w.deps, { ...ref });
    await Promise.all(Array.from({ length: 5 }, () => processSubmission(w.deps, { ...ref, sequencer: 'other-sequencer' })));
    expect(await transitions(w, 'fagai')).toEqual(['NOT_SUBMITTED→RECEIVED', 'RECEIVED→ACCEPTED']);
    expect(receipts(w)).toHaveLength(1);
    expect(await w.repo.listSubmissions(YEAR, 'fagai')).toHaveLength(1);
    expect(w.archived).toHaveLength(1);
  });

  test.each(permutations([0, 1, 2]).map((p) => [p.join('')]))('uploads a minute apart, events in order %s: the newest wins', async (order) => {
    const w = await seeded();
    const base = Date.parse('2027-01-20T01:00:00Z');
    const refs = ['BAD v1', 'OK v2', 'BAD v3'].map((body, i) => upload(w, 'fagai', body, { at: base + i * 60_000 }));
    const ids: string[] = [];
    for (const i of order.split('').map(Number)) ids[i] = ((await processSubmission(w.deps, refs[i])) as { submissionId: string }).submissionId;
    const o = await w.repo.getOffice(YEAR, 'fagai');
    expect(o).toMatchObject({ status: 'REJECTED', currentSubmissionId: ids[2] });
    expect(receipts(w)).toHaveLength(3);
    for (const id of ids) expect(receipts(w, id)).toHaveLength(1);
    // An accepted report that was already superseded when checked is neither current nor archived.
    expect(w.archived).toEqual(order.indexOf('1') < order.indexOf('2') ? [{ year: YEAR, officeId: 'fagai', submissionId: ids[1] }] : []);
    const subs = await w.repo.listSubmissions(YEAR, 'fagai');
    expect(subs.every((s) => s.state === 'done')).toBe(true);
  });

  test('a late event for an older upload after the newer one was published: recorded, receipted, status untouched', async () => {
    const w = await seeded();
    const older = upload(w, 'fagai', 'BAD old', { at: Date.parse('2027-01-20T01:00:00Z') });
    const newer = upload(w, 'fagai', 'OK new', { at: Date.parse('2027-01-20T01:05:00Z') });
    const n = (await processSubmission(w.deps, newer)) as { submissionId: string };
    await publishOffice(w.deps, YEAR, 'fagai');
    const before = await w.repo.getOffice(YEAR, 'fagai');
    w.clock.advance(3 * 3600_000); // the event for the older upload arrives hours later
    const o = await processSubmission(w.deps, older);
    expect(o).toMatchObject({ outcome: 'processed', verdict: 'rejected', current: false, status: 'PUBLISHED' });
    expect(await w.repo.getOffice(YEAR, 'fagai')).toEqual(before);
    const old = await w.repo.getSubmission(YEAR, 'fagai', (o as { submissionId: string }).submissionId);
    expect(old).toMatchObject({ state: 'done', supersededBy: n.submissionId, verdict: 'rejected' });
    expect(receipts(w)).toHaveLength(2);
    expect(receipts(w)[1].text).toContain('已有更新的提交');
    expect(await transitions(w, 'fagai')).toEqual(['NOT_SUBMITTED→RECEIVED', 'RECEIVED→ACCEPTED', 'ACCEPTED→PUBLISHED']);
  });
});

describe('retried reminder runs', () => {
  // 2027-01-24 09:00 Shanghai: departments (deadline 01-31) are at T−7, streets (01-26) in T−3's catch-up.
  const at = new Date('2027-01-24T01:00:00Z');
  const kinds = (w: World) => w.mailer.sent.map((m) => m.tags?.kind).sort();

  test('the same tick three times, then three at once: two reminders and one digest in all', async () => {
    const w = await seeded();
    w.clock.t = at.getTime();
    const first = await sendReminders(w.deps, at);
    expect(first.sent.map((s) => s.officeId).sort()).toEqual(['fagai', 'jincheng']);
    await sendReminders(w.deps, at);
    await sendReminders(w.deps, at);
    await Promise.all([sendReminders(w.deps, at), sendReminders(w.deps, at), sendReminders(w.deps, at)]);
    expect(kinds(w)).toEqual(['digest', 'reminder-before3', 'reminder-before7']);
    const audit = [...(await w.repo.listAudit(YEAR, 'fagai')), ...(await w.repo.listAudit(YEAR, 'jincheng'))].filter((a) => a.action === 'reminder');
    expect(audit).toHaveLength(2);
  });

  test('a crash at any call of the run, then the scheduler’s retries: each reminder and the digest once', async () => {
    const clean = await seeded();
    clean.clock.t = at.getTime();
    const plan = new FaultPlan();
    await sendReminders(faultyDeps(clean.deps, plan), at);
    const calls = plan.calls;
    expect(calls).toBeGreaterThan(10);
    const duplicates: string[] = [];
    for (let n = 1; n <= calls; n++) {
      for (const mode of ['before', 'after'] as const) {
        const w = await seeded();
        w.clock.t = at.getTime();
        const deps = faultyDeps(w.deps, plan);
        plan.arm(n, mode);
        // EventBridge Scheduler retries the target (here: up to 3 times, 20 minutes apart).
        for (let attempt = 0; attempt < 4; attempt++) {
          try {
            await sendReminders(deps, at);
            break;
          } catch {
            w.clock.advance(20 * 60_000);
          }
        }
        expect(plan.fired).not.toBeNull();
        const got = kinds(w);
        if (got.join() !== 'digest,reminder-before3,reminder-before7') duplicates.push(`${mode} ${plan.fired}: ${got.join()}`);
      }
    }
    figure('reminder-fault-matrix', { calls, scenarios: calls * 2, duplicates });
    // The only window: the mail service accepted a message but the caller never heard back (a crash or a
    // timeout after SES took it) — an e-mail cannot be sent atomically with a database write.
    for (const d of duplicates) expect(d).toMatch(/^after mailer\.send: /);
    expect(duplicates.length).toBeLessThanOrEqual(3);
  });
});

describe('a crash between any two writes of a delivery', () => {
  /** One clean delivery of the corrected report after a rejected one, to count the calls. */
  async function scene(withEarlierRejection: boolean) {
    const w = await seeded();
    if (withEarlierRejection) {
      await processSubmission(w.deps, upload(w, 'fagai', 'BAD first', { at: w.clock.t - 3600_000 }));
      w.mailer.sent.length = 0;
    }
    const ref = upload(w, 'fagai', 'OK corrected');
    return { w, ref };
  }

  test.each([
    ['first upload', 'AWS', false, [60_000, 120_000]],
    ['a correction after a rejection', 'AWS', true, [60_000, 120_000]],
    ['first upload', 'local', false, [200, 800]],
    ['a correction after a rejection', 'local', true, [200, 800]],
  ])('%s, %s retry delays: a crash at every call N (before/after it), then retries + the sweep: one transition each, one receipt', async (_name, where0, earlier, delays) => {
    const plan = new FaultPlan();
    const probe = await scene(earlier);
    plan.arm(0, 'before');
    await processSubmission(faultyDeps(probe.w.deps, plan), probe.ref);
    const calls = plan.calls;
    expect(calls).toBeGreaterThan(12);
    const expectedPath = earlier
      ? ['NOT_SUBMITTED→RECEIVED', 'RECEIVED→REJECTED', 'REJECTED→RECEIVED', 'RECEIVED→ACCEPTED']
      : ['NOT_SUBMITTED→RECEIVED', 'RECEIVED→ACCEPTED'];
    const windows: string[] = [];
    let recoveredBySweep = 0;
    for (let n = 1; n <= calls; n++) {
      for (const mode of ['before', 'after'] as const) {
        const { w, ref } = await scene(earlier);
        const deps = faultyDeps(w.deps, plan);
        plan.arm(n, mode);
        const { errors, sweep } = await deliverLikeAws(w.clock, deps, ref, delays as number[]);
        const where = `${mode} #${n} ${plan.fired}`;
        expect([where, plan.fired]).not.toEqual([where, null]);
        // The fault failed the attempt, or was absorbed (a retried write, an optional read).
        expect([where, errors.length <= 1]).toEqual([where, true]);
        if (sweep.processed.length) recoveredBySweep++;
        expect([where, sweep.failed]).toEqual([where, []]);
        expect([where, await transitions(w, 'fagai')]).toEqual([where, expectedPath]);
        const o = await w.repo.getOffice(YEAR, 'fagai');
        expect([where, o?.status, o?.version]).toEqual([where, 'ACCEPTED', expectedPath.length]);
        const subs = await w.repo.listSubmissions(YEAR, 'fagai');
        expect([where, subs.length, subs.every((s) => s.state === 'done')]).toEqual([where, earlier ? 2 : 1, true]);
        expect([where, w.archived.length > 0]).toEqual([where, true]);
        const r = receipts(w).length;
        if (r !== 1) windows.push(`${where}: ${r} receipts`);
      }
    }
    // Exactly one receipt everywhere except where the mailer accepted the message and the caller never
    // heard back (the at-least-once window of e-mail); never zero.
    figure('delivery-fault-matrix', { scene: _name, retries: where0, calls, scenarios: calls * 2, windows, recoveredBySweep });
    expect(windows).toHaveLength(1);
    expect(windows[0]).toMatch(/^after #\d+ mailer\.send: 2 receipts$/);
    if (where0 === 'AWS') {
      // Lambda's retries come after the receipt claim went stale: they alone finish every delivery.
      expect(recoveredBySweep).toBe(0);
    } else {
      // Retries within the claim's lifetime find it held by the crashed attempt and stop; the sweep finishes.
      expect(recoveredBySweep).toBeGreaterThan(0);
    }
  });

  test('the sweep does nothing for uploads that are fully recorded, and waits for recent ones', async () => {
    const w = await seeded();
    await processSubmission(w.deps, upload(w, 'fagai', 'OK', { at: w.clock.t - 3600_000 }));
    const recent = upload(w, 'jincheng', 'OK', { at: w.clock.t });
    const run = await reconcile(w.deps, w.clock.now());
    expect(run).toMatchObject({ years: [YEAR], objects: 2, recorded: 1, young: 1, processed: [], failed: [] });
    w.clock.advance(11 * 60_000);
    const later = await reconcile(w.deps, w.clock.now());
    expect(later.processed).toEqual([expect.objectContaining({ key: recent.key, outcome: 'processed', verdict: 'accepted' })]);
    expect(receipts(w)).toHaveLength(2);
    expect((await reconcile(w.deps, w.clock.now())).processed).toEqual([]);
  });

  test('objects outside the layout are counted, never processed', async () => {
    const w = await seeded();
    w.incoming.putObject('incoming/2026/fagai/../../etc/passwd', 'x');
    w.incoming.putObject('incoming/2026/FAGAI/x.txt', 'x');
    const run = await reconcile(w.deps, new Date(w.clock.t + 3600_000));
    expect(run).toMatchObject({ objects: 2, foreign: 2, processed: [] });
  });
});
