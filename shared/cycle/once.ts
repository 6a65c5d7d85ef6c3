/**
 * Helpers for once-only actions (receipts, reminders, digests) guarded by a claim (CycleRepository.claimOnce):
 * an e-mail cannot be sent atomically with a database write, so the code around the send keeps the window
 * for a duplicate as small as it can.
 */
import type { CycleDeps } from './deps';

/**
 * A write that must follow a successful send (completing the claim, the audit entry). A transient failure
 * is retried here: if the invocation failed instead, its retry would send the e-mail a second time.
 */
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

/**
 * Sends under a claim taken at `claimedAt`. If the send fails, the claim is given back so the next attempt
 * (Lambda's or the scheduler's retry) can send at once instead of waiting for the claim to go stale.
 */
export async function sendClaimed<T>(deps: Pick<CycleDeps, 'repo' | 'log'>, key: string, claimedAt: Date, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (e) {
    await deps.repo.releaseClaim(key, claimedAt).catch((r) => deps.log?.('warn', 'could not release a claim', { key, error: String(r) }));
    throw e;
  }
}
