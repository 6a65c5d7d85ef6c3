/**
 * The crash-at-every-call matrix of test/cycle/at-least-once.test.ts on the real DynamoDB repository
 * (DynamoDB Local, the stack's table definition): conditional transitions, create-if-absent submissions and
 * claims are what make a re-delivery harmless, not in-memory state.
 */
import { DynamoRepository } from '../../shared/aws/dynamo-repository';
import { processSubmission } from '../../shared/cycle/processing';
import { useDynamoLocal } from '../dynamo-local';
import { figure } from '../figures';
import { FaultPlan, deliverLikeAws, faultyDeps } from '../cycle/faults';
import { seeded, upload } from '../cycle/helpers';

const { freshRepo } = useDynamoLocal();

async function scene() {
  const w = await seeded({ repo: await freshRepo('faults') });
  // seeded() built its own memory repo; the deps point at DynamoDB.
  return { w, repo: w.deps.repo as DynamoRepository, ref: upload(w, 'fagai', 'OK report') };
}

test('a crash at every call of a delivery (before/after it), then Lambda’s retries: one transition each, one receipt', async () => {
  const plan = new FaultPlan();
  const probe = await scene();
  plan.arm(0, 'before');
  await processSubmission(faultyDeps(probe.w.deps, plan), probe.ref);
  const calls = plan.calls;
  expect(calls).toBeGreaterThan(12);

  const windows: string[] = [];
  for (let i = 1; i <= calls; i++) {
    for (const mode of ['before', 'after'] as const) {
      const { w, repo, ref } = await scene();
      plan.arm(i, mode);
      const { sweep } = await deliverLikeAws(w.clock, faultyDeps(w.deps, plan), ref);
      const where = `${mode} #${i} ${plan.fired}`;
      expect([where, sweep.failed]).toEqual([where, []]);
      const path = (await repo.listAudit(2026, 'fagai')).filter((a) => a.to).map((a) => `${a.from}→${a.to}`);
      expect([where, path]).toEqual([where, ['NOT_SUBMITTED→RECEIVED', 'RECEIVED→ACCEPTED']]);
      expect([where, (await repo.getOffice(2026, 'fagai'))?.version]).toEqual([where, 2]);
      const subs = await repo.listSubmissions(2026, 'fagai');
      expect([where, subs.map((s) => s.state)]).toEqual([where, ['done']]);
      const r = w.mailer.sent.filter((m) => m.tags?.kind === 'receipt').length;
      if (r !== 1) windows.push(`${where}: ${r}`);
    }
  }
  figure('delivery-fault-matrix-dynamodb', { calls, scenarios: calls * 2, windows });
  // Only "the mail service took it, the caller never heard back" sends twice.
  expect(windows).toHaveLength(1);
  expect(windows[0]).toMatch(/^after #\d+ mailer\.send: 2$/);
}, 120_000);
