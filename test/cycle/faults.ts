/**
 * Fault injection for the at-least-once tests: every port of CycleDeps wrapped so that the Nth call (counted
 * across all ports) throws — before doing its work (the write never happened) or after it (the write
 * happened, the caller never heard back: a crash between two writes).
 */
import type { CycleDeps } from '../../shared/cycle/deps';
import { processSubmission, type ObjectRef } from '../../shared/cycle/processing';
import { reconcile, type ReconcileRun } from '../../shared/cycle/reconcile';

export class InjectedFault extends Error {
  constructor(readonly call: string) {
    super(`injected fault at ${call}`);
    this.name = 'InjectedFault';
  }
}

export type FaultMode = 'before' | 'after';

export class FaultPlan {
  calls = 0;
  /** 1-based index of the call that fails; 0: none. */
  failAt = 0;
  mode: FaultMode = 'before';
  /** The call that failed, once it has. */
  fired: string | null = null;
  trace: string[] = [];

  arm(failAt: number, mode: FaultMode): void {
    this.calls = 0;
    this.failAt = failAt;
    this.mode = mode;
    this.fired = null;
    this.trace = [];
  }

  disarm(): void {
    this.failAt = 0;
  }
}

export function faulty<T extends object>(target: T, name: string, plan: FaultPlan): T {
  return new Proxy(target, {
    get(t, prop, receiver) {
      const value = Reflect.get(t, prop, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        const n = ++plan.calls;
        const call = `${name}.${String(prop)}`;
        plan.trace.push(call);
        const fail = n === plan.failAt;
        if (fail && plan.mode === 'before') {
          plan.fired = call;
          throw new InjectedFault(call);
        }
        const result = await (value as (...a: unknown[]) => unknown).apply(t, args);
        if (fail && plan.mode === 'after') {
          plan.fired = call;
          throw new InjectedFault(call);
        }
        return result;
      };
    },
  });
}

/** The same deps with every port (repository, stores, mailer, archive trigger) behind the plan. */
export function faultyDeps(deps: CycleDeps, plan: FaultPlan): CycleDeps {
  return {
    ...deps,
    repo: faulty(deps.repo, 'repo', plan),
    incoming: faulty(deps.incoming, 'incoming', plan),
    archive: deps.archive ? faulty(deps.archive, 'archive', plan) : undefined,
    mailer: faulty(deps.mailer, 'mailer', plan),
    archiveTrigger: deps.archiveTrigger ? faulty(deps.archiveTrigger, 'archiveTrigger', plan) : undefined,
  };
}

/**
 * How AWS delivers one upload when things go wrong: the S3 event, Lambda's two asynchronous retries about
 * one and two minutes apart, then (if it never succeeded, or left work unfinished) the next morning's
 * reconciliation sweep.
 */
export async function deliverLikeAws(
  clock: { advance(ms: number): void; now(): Date },
  deps: CycleDeps,
  ref: ObjectRef,
  /** Delays before Lambda's two retries: about 1 and 2 minutes in AWS (the local runtime: 200 and 800 ms). */
  retryDelaysMs: number[] = [60_000, 120_000],
): Promise<{ errors: string[]; sweep: ReconcileRun }> {
  const errors: string[] = [];
  for (let attempt = 0; attempt <= retryDelaysMs.length; attempt++) {
    try {
      await processSubmission(deps, ref);
      break;
    } catch (e) {
      errors.push(String(e));
      clock.advance(retryDelaysMs[attempt] ?? 0);
    }
  }
  clock.advance(24 * 3600_000);
  const sweep = await reconcile(deps, clock.now(), { minAgeMs: 0 });
  return { errors, sweep };
}
