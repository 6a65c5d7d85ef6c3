/** Everything the use cases need, injected: adapters in AWS and locally, fakes in tests. */
import type { EmailWriter } from '../contracts/email';
import type { ReportChecker } from './checker';
import type { ArchiveTrigger, Clock, Counter, CycleRepository, FileStore, Mailer, OfficeStore, ReminderQueue } from './ports';
import { VersionConflict } from './ports';
import { canTransition, type Office, type OfficeStatus } from './model';
import type { OfficeTransition } from './ports';

export interface CycleDeps {
  repo: CycleRepository;
  /** Uploads (incoming/…) and parsed JSON (parsed/…). */
  incoming: FileStore;
  /** Immutable archive of accepted/published reports; optional where nothing is archived (API). */
  archive?: FileStore;
  mailer: Mailer;
  /** Writes the e-mails' texts (shared/render/email.ts): the workflow decides what to say, not how it looks. */
  emails: EmailWriter;
  clock: Clock;
  checker: ReportChecker;
  archiveTrigger?: ArchiveTrigger;
  /**
   * Where the daily reminder run puts its e-mails, to be sent at the rate SES allows (functions/mail-sender).
   * Absent (tests on in-memory ports): the run sends them itself, one after another.
   */
  reminderQueue?: ReminderQueue;
  /** Hex SHA-256 of the coordinator token (from env); table tokens with role coordinator also count. */
  coordinatorTokenSha256?: string | null;
  /** Base URL of the public site / upload page, for links in e-mails. */
  publicBaseUrl?: string | null;
  /**
   * Length of the slots in which the year-level public pages are regenerated at most once (archive.ts,
   * refreshYearPages; default 5 s). 0: at once after every archive step (tests with a fake clock).
   */
  pagesSlotMs?: number;
  log?: (level: 'info' | 'warn' | 'error', message: string, data?: Record<string, unknown>) => void;
  /** Counts what happened (metrics in AWS); absent in tests. */
  count?: Counter;
}

/**
 * What a use case needs: the repository ports it uses and the other dependencies by name, e.g.
 * `Uses<CycleStore & OfficeStore, 'clock'>`. The whole CycleDeps fits any of them.
 */
export type Uses<Repo, K extends keyof CycleDeps = never> = { repo: Repo } & Pick<CycleDeps, K>;

export type TransitionPlan = Omit<OfficeTransition, 'year' | 'officeId' | 'expectedVersion'> & {
  set: OfficeTransition['set'] & { status: OfficeStatus };
};

/**
 * Read the office, decide, write conditionally on its version; on a lost race read again and decide again.
 * `decide` returns null when nothing is to be done (already done, or not applicable any more), which is
 * what makes re-runs and duplicate events harmless. Lost races back off with jitter: 50 uploads of one
 * office at once all contend for the same item.
 */
export async function transitionOffice(
  deps: Uses<OfficeStore, 'log'>,
  year: number,
  officeId: string,
  decide: (office: Office) => TransitionPlan | null,
  attempts = 25,
): Promise<{ office: Office; changed: boolean }> {
  for (let i = 0; i < attempts; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, Math.random() * Math.min(400, 10 * 2 ** Math.min(i, 6))));
    const office = await deps.repo.getOffice(year, officeId);
    if (!office) throw new Error(`office ${year}/${officeId} not found`);
    const plan = decide(office);
    if (!plan) return { office, changed: false };
    if (!canTransition(office.status, plan.set.status)) {
      deps.log?.('warn', 'transition not allowed', { year, officeId, from: office.status, to: plan.set.status });
      return { office, changed: false };
    }
    try {
      const updated = await deps.repo.transition({ year, officeId, expectedVersion: office.version, ...plan });
      return { office: updated, changed: true };
    } catch (e) {
      if (e instanceof VersionConflict) continue;
      throw e;
    }
  }
  throw new Error(`office ${year}/${officeId}: too many concurrent transitions`);
}
