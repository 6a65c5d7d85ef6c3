/**
 * Exactly once, as far as a database and a mail server allow: claim, do, complete; release on failure; a
 * stale claim may be taken over. The one protocol behind every e-mail that must go out once (receipts,
 * reminders, digests, notices of undeliverable contacts), on the repository's claims (CycleRepository.claimOnce).
 *
 * An e-mail cannot be sent atomically with a database write, so the window for a duplicate is kept to a
 * crash between the send and the write that completes the claim:
 * - a failed action gives the claim back at once, so the retry (Lambda's, the scheduler's) does it at once;
 * - a worker that died holding the claim is taken over once the claim is older than `staleAfterMs`;
 * - the writes after a successful action are retried in place: if the invocation failed instead, its
 *   retry would send the e-mail a second time.
 */
import type { Uses } from './deps';
import type { ClaimStore } from './ports';

export interface OnceStep<T> {
  /** The action's identity, e.g. `RECEIPT#{submissionId}`. */
  key: string;
  /** A claim not completed within this long belongs to a worker that died: it is taken over. */
  staleAfterMs: number;
  /** The action (the send). If it throws, the claim is released and the error rethrown. */
  run: () => Promise<T>;
  /** Writes that must follow a successful run (its audit entry), before the claim is completed. */
  record?: (value: T) => Promise<unknown>;
}

/** ran: this call did it; done: it was done before; busy: another worker holds a fresh claim. */
export type OnceOutcome<T> = { status: 'ran'; value: T } | { status: 'done' | 'busy' };

export async function once<T>(deps: Uses<ClaimStore, 'clock' | 'log' | 'count'>, step: OnceStep<T>): Promise<OnceOutcome<T>> {
  const claimedAt = deps.clock.now();
  const claim = await deps.repo.claimOnce(step.key, claimedAt, step.staleAfterMs);
  if (claim === 'busy') deps.count?.('ClaimBusy');
  if (claim !== 'claimed') return { status: claim };
  let value: T;
  try {
    value = await step.run();
  } catch (e) {
    await deps.repo.releaseClaim(step.key, claimedAt).catch((r) => deps.log?.('warn', 'could not release a claim', { key: step.key, error: String(r) }));
    throw e;
  }
  const { record } = step;
  if (record) await retryWrite(() => record(value));
  await retryWrite(() => deps.repo.completeClaim(step.key, deps.clock.now()));
  return { status: 'ran', value };
}

/** A write that must follow a successful action: a transient failure is retried here, with backoff. */
export async function retryWrite<T>(write: () => Promise<T>, attempts = 4): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await write();
    } catch (e) {
      if (i >= attempts) throw e;
      await new Promise((r) => setTimeout(r, 50 * 2 ** (i - 1)));
    }
  }
}
