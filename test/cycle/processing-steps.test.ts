/**
 * The crash windows of processSubmission by name: one per guarantee of its header (processing.ts), each
 * ended by the port call that makes it durable. A crash right after that call, then Lambda's retries and
 * the sweep (faults.ts): the delivery ends as if nothing had happened — one transition each way, one
 * receipt, the archive requested, the submission done. (test/cycle/at-least-once.test.ts crashes at every
 * call, before and after; this names the windows that matter.)
 */
import { processSubmission } from '../../shared/cycle/processing';
import { FaultPlan, deliverLikeAws, faultyDeps } from './faults';
import { seeded, upload } from './helpers';

/** Each step of processSubmission, and the port call (its nth occurrence in a delivery) that completes it. */
const STEPS: Array<[step: string, call: string, nth: number]> = [
  ['record the submission', 'repo.createSubmission', 1],
  ['make it current', 'repo.transition', 1],
  ['check', 'repo.updateSubmission', 1],
  ['apply the verdict', 'repo.transition', 2],
  ['send the receipt once', 'repo.completeClaim', 1],
  ['request the archive', 'archiveTrigger.requestArchive', 1],
];

async function scene() {
  const w = await seeded();
  return { w, ref: upload(w, 'fagai', 'OK') };
}

test('the steps happen in the order of the header, each once in a clean delivery', async () => {
  const { w, ref } = await scene();
  const plan = new FaultPlan();
  await processSubmission(faultyDeps(w.deps, plan), ref);
  const positions = STEPS.map(([, call, nth]) => plan.trace.map((c, i) => (c === call ? i : -1)).filter((i) => i >= 0)[nth - 1]);
  expect(positions.every((p) => p !== undefined)).toBe(true);
  expect([...positions].sort((a, b) => a - b)).toEqual(positions);
});

test.each(STEPS)('a crash right after "%s" (%s #%d): the retry finishes the delivery, one receipt', async (_step, call, nth) => {
  const plan = new FaultPlan();
  const probe = await scene();
  await processSubmission(faultyDeps(probe.w.deps, plan), probe.ref);
  const index = plan.trace.map((c, i) => (c === call ? i + 1 : 0)).filter(Boolean)[nth - 1];
  const { w, ref } = await scene();
  plan.arm(index, 'after');
  const { errors, sweep } = await deliverLikeAws(w.clock, faultyDeps(w.deps, plan), ref);
  expect(plan.fired).toBe(call);
  // The attempt failed, or the fault was absorbed (the claim's completion is retried in place).
  expect(errors.length).toBe(call === 'repo.completeClaim' ? 0 : 1);
  expect(sweep.failed).toEqual([]);
  expect((await w.repo.listAudit(2026, 'fagai')).filter((a) => a.to).map((a) => `${a.from}→${a.to}`)).toEqual(['NOT_SUBMITTED→RECEIVED', 'RECEIVED→ACCEPTED']);
  expect(w.mailer.sent.filter((m) => m.tags?.kind === 'receipt')).toHaveLength(1);
  expect(w.archived.length).toBeGreaterThan(0);
  expect((await w.repo.listSubmissions(2026, 'fagai')).map((s) => s.state)).toEqual(['done']);
});
