/**
 * Bearer tokens: only hashes are stored, and hashes are compared in constant time (crypto.timingSafeEqual
 * over the two 32-byte digests), for the coordinator's token and the office's.
 */
jest.mock('node:crypto', () => {
  const actual = jest.requireActual('node:crypto');
  return { ...actual, timingSafeEqual: jest.fn(actual.timingSafeEqual) };
});
import { timingSafeEqual } from 'node:crypto';
import { authenticate, issueOfficeToken } from '../../shared/cycle/service';
import { hashToken, tokenMatches } from '../../shared/cycle/tokens';
import { seeded } from './helpers';

const spy = timingSafeEqual as unknown as jest.Mock;
const COORDINATOR = 'coordinator-token-0123456789abcdefghijklmnop';

beforeEach(() => spy.mockClear());

test('the coordinator’s and an office’s token are checked with timingSafeEqual over SHA-256 digests', async () => {
  const w = await seeded({ coordinatorTokenSha256: hashToken(COORDINATOR) });
  expect(await authenticate(w.deps, `Bearer ${COORDINATOR}`)).toEqual({ role: 'coordinator' });
  expect(spy).toHaveBeenCalled();
  for (const [a, b] of spy.mock.calls) expect([a.length, b.length]).toEqual([32, 32]);

  const { token } = await issueOfficeToken(w.deps, 2026, 'fagai');
  spy.mockClear();
  expect(await authenticate(w.deps, `Bearer ${token}`)).toEqual({ role: 'office', year: 2026, officeId: 'fagai' });
  // Against the coordinator's hash (no match) and then the office's stored hash (match): both constant time.
  expect(spy).toHaveBeenCalledTimes(2);
  for (const [a, b] of spy.mock.calls) expect([a.length, b.length]).toEqual([32, 32]);

  // Stored: the hash only, as the key and on the office.
  expect(JSON.stringify([...w.repo.tokens.entries()])).not.toContain(token);
  expect(JSON.stringify([...w.repo.offices.values()])).not.toContain(token);
  expect((await w.repo.getOffice(2026, 'fagai'))?.tokenHash).toBe(hashToken(token));
});

test('a wrong token that shares a long prefix with the right one is refused, by the same comparison', async () => {
  const w = await seeded({ coordinatorTokenSha256: hashToken(COORDINATOR) });
  const { token } = await issueOfficeToken(w.deps, 2026, 'fagai');
  const near = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
  spy.mockClear();
  await expect(authenticate(w.deps, `Bearer ${near}`)).rejects.toMatchObject({ kind: 'unauthenticated' });
  expect(tokenMatches(near, hashToken(token))).toBe(false);
  expect(tokenMatches(token, 'not-a-hash')).toBe(false);
  for (const junk of ['', 'Bearer', 'Bearer a b', `Basic ${token}`, `Bearer ${'x'.repeat(500)}`, 'Bearer 令牌令牌令牌令牌令牌令牌令牌令牌']) {
    await expect(authenticate(w.deps, junk)).rejects.toMatchObject({ kind: 'unauthenticated' });
  }
});
