/**
 * The exactly-once helper (shared/cycle/once.ts) on the in-memory repository: claim, do, complete; release
 * on failure; a stale claim may be taken over. (The same protocol on DynamoDB Local:
 * test/functions/dynamo-repository.test.ts; every use of it under crashes: test/cycle/at-least-once.test.ts.)
 */
import { once } from '../../shared/cycle/once';
import { world } from './helpers';

const STALE = 30_000;

function counter() {
  const calls: number[] = [];
  return { calls, run: async () => (calls.push(calls.length + 1), calls.length) };
}

test('claim taken: runs once, records, completes; the next call finds it done and does nothing', async () => {
  const { deps, repo } = world();
  const action = counter();
  const recorded: number[] = [];
  expect(await once(deps, { key: 'K', staleAfterMs: STALE, run: action.run, record: async (v) => void recorded.push(v) })).toEqual({ status: 'ran', value: 1 });
  expect(recorded).toEqual([1]);
  expect(repo.claims.get('K')).toMatchObject({ done: true });
  expect(await once(deps, { key: 'K', staleAfterMs: STALE, run: action.run })).toEqual({ status: 'done' });
  expect(action.calls).toEqual([1]);
});

test('claim busy: while another worker holds a fresh claim, nothing runs', async () => {
  const { deps, clock } = world();
  await deps.repo.claimOnce('K', clock.now(), STALE); // a worker that is sending right now
  const action = counter();
  clock.advance(STALE - 1);
  expect(await once(deps, { key: 'K', staleAfterMs: STALE, run: action.run })).toEqual({ status: 'busy' });
  expect(action.calls).toEqual([]);
});

test('stale claim taken over: a worker that died holding it does not block the action for ever', async () => {
  const { deps, clock } = world();
  await deps.repo.claimOnce('K', clock.now(), STALE); // claimed, then the worker died: never completed
  clock.advance(STALE + 1);
  const action = counter();
  expect(await once(deps, { key: 'K', staleAfterMs: STALE, run: action.run })).toEqual({ status: 'ran', value: 1 });
  expect(await once(deps, { key: 'K', staleAfterMs: STALE, run: action.run })).toEqual({ status: 'done' });
  expect(action.calls).toEqual([1]);
});

test('failure releases: the error reaches the caller, nothing is recorded, and the retry runs at once', async () => {
  const { deps, repo } = world();
  const recorded: unknown[] = [];
  const failing = once(deps, { key: 'K', staleAfterMs: STALE, run: async () => Promise.reject(new Error('SES throttled')), record: async (v) => void recorded.push(v) });
  await expect(failing).rejects.toThrow('SES throttled');
  expect(recorded).toEqual([]);
  expect(repo.claims.has('K')).toBe(false);
  // No waiting for the claim to go stale: the same clock, the retry runs.
  expect(await once(deps, { key: 'K', staleAfterMs: STALE, run: async () => 'sent' })).toEqual({ status: 'ran', value: 'sent' });
});

test('the writes after a successful run are retried in place, not by running the action again', async () => {
  const { deps, repo } = world();
  const complete = repo.completeClaim.bind(repo);
  let failures = 2;
  repo.completeClaim = async (key: string) => (failures-- > 0 ? Promise.reject(new Error('throttled')) : complete(key));
  const action = counter();
  expect(await once(deps, { key: 'K', staleAfterMs: STALE, run: action.run })).toEqual({ status: 'ran', value: 1 });
  expect(action.calls).toEqual([1]);
  expect(repo.claims.get('K')).toMatchObject({ done: true });
});
