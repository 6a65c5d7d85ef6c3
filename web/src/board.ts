/**
 * What the dashboard's parts (web/src/setup.ts, offices-import.ts, roster.ts) share with the dashboard
 * itself: the signed-in token, the year shown, the view, and how to reload it and say something.
 */
import type { DashboardView } from '../../shared/cycle/pages';

export interface Board {
  readonly token: string;
  readonly year: number | null;
  readonly view: DashboardView | null;
  /** Loads the year's view again (and the office shown). */
  refresh(): Promise<void>;
  /** The status line under the office list. */
  say(message: string, kind?: 'info' | 'ok' | 'error'): void;
}
