/**
 * What the dashboard's parts (web/src/setup.ts, offices-import.ts, roster.ts) share with the dashboard
 * itself: the signed-in token, the year shown, the view, and how to reload it and say something.
 */
import type { DashboardView } from '../../shared/cycle/pages';

/** The statuses in the order of the cycle (counts, sorting by 状态). */
export const STATUS_ORDER = ['NOT_SUBMITTED', 'RECEIVED', 'REJECTED', 'RETURNED', 'ACCEPTED', 'PUBLISHED'];
/** Statuses a manual reminder goes to. */
export const REMINDABLE = new Set(['NOT_SUBMITTED', 'REJECTED', 'RETURNED']);

export interface Board {
  readonly token: string;
  readonly year: number | null;
  readonly view: DashboardView | null;
  /** Loads the year's view again (and the office shown). */
  refresh(): Promise<void>;
  /** The status line under the office list. */
  say(message: string, kind?: 'info' | 'ok' | 'error'): void;
}
