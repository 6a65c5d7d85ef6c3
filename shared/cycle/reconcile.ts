/**
 * The reconciliation sweep: nothing uploaded is ever lost, even when its S3 event is (an outage longer than
 * Lambda's retries, an event parked in the dead-letter queue, a receipt whose sender died).
 *
 * For each cycle it lists the objects under incoming/{year}/ (S3 ListObjectsV2) and compares them with the
 * recorded submissions (one Query per office that has objects). An object without a `done` submission is
 * processed exactly as its S3 event would have been: processSubmission with the object's version (or ETag),
 * so the sweep and a late event name the same submission and whichever comes second changes nothing.
 * Objects younger than `minAgeMs` are left to their event, which is normally still being handled.
 *
 * It also finishes archive steps that failed for good (issue 13.4): every PUBLISHED office and every
 * ACCEPTED one of an auto-publishing cycle (one Query per status on the byStatus index, never a Scan) whose
 * published version has no version number yet, or whose public files (PDF, JSON, office page) are missing,
 * gets its archive step requested again. The archive step is idempotent: it writes only what is missing.
 */
import { INCOMING_PREFIX, PUBLIC_PREFIX } from '../resources';
import { sitePaths } from '../common/site';
import type { CycleDeps } from './deps';
import type { Submission } from './model';
import type { StoredObjectInfo } from './ports';
import { processSubmission, type ProcessOutcome } from './processing';
import { parseIncomingKey } from './incoming-key';

export interface ReconcileOptions {
  /** Only this cycle; default every cycle. */
  year?: number;
  /** Objects stored less than this long ago are left to their S3 event (default 10 minutes). */
  minAgeMs?: number;
  /** Objects processed at once (default 4). */
  concurrency?: number;
  /** Checked before each object: false stops the sweep early (a Lambda close to its timeout). */
  keepGoing?: () => boolean;
}

export interface ReconcileRun {
  at: string;
  years: number[];
  /** Objects listed under incoming/{year}/ of the swept cycles. */
  objects: number;
  /** Objects whose submission is recorded as done: nothing to do. */
  recorded: number;
  /** Objects too recent to sweep (their event is probably in flight). */
  young: number;
  /** Keys outside the server-chosen layout (never attributed to an office). */
  foreign: number;
  /** Objects the sweep processed, with what processing said. */
  processed: Array<{ key: string } & ProcessOutcome>;
  /** Objects whose processing failed again (the next sweep retries them). */
  failed: Array<{ key: string; error: string }>;
  /** Objects left for the next sweep because keepGoing() said stop. */
  deferred: number;
  /** Published (or auto-publishing accepted) submissions whose archive was incomplete: archive requested again. */
  archives: Array<{ year: number; officeId: string; submissionId: string; missing: string[] }>;
}

export const RECONCILE_MIN_AGE_MS = 10 * 60_000;

const normEtag = (e: string | null | undefined) => (e ? e.replace(/"/g, '').toLowerCase() : '');

/** Whether the object (its latest version) already has a finished submission. */
function isRecorded(obj: StoredObjectInfo, subs: Submission[]): boolean {
  const etag = normEtag(obj.etag);
  return subs.some((s) => s.key === obj.key && s.state === 'done' && (!etag || !s.etag || normEtag(s.etag) === etag));
}

export async function reconcile(deps: CycleDeps, now: Date = deps.clock.now(), options: ReconcileOptions = {}): Promise<ReconcileRun> {
  const log = deps.log ?? (() => undefined);
  const minAgeMs = options.minAgeMs ?? RECONCILE_MIN_AGE_MS;
  const keepGoing = options.keepGoing ?? (() => true);
  const run: ReconcileRun = { at: now.toISOString(), years: [], objects: 0, recorded: 0, young: 0, foreign: 0, processed: [], failed: [], deferred: 0, archives: [] };

  const cycles =
    options.year !== undefined ? [await deps.repo.getCycle(options.year)].filter((c) => c !== null) : await deps.repo.listCycles();
  for (const cycle of cycles.sort((a, b) => a.year - b.year)) {
    run.years.push(cycle.year);
    const objects = await deps.incoming.list(`${INCOMING_PREFIX}${cycle.year}/`);
    run.objects += objects.length;
    const subsOf = new Map<string, Promise<Submission[]>>();
    const todo: StoredObjectInfo[] = [];
    for (const obj of objects) {
      const parsed = parseIncomingKey(obj.key);
      if (!parsed || parsed.year !== cycle.year) {
        run.foreign++;
        continue;
      }
      if (now.getTime() - obj.lastModified.getTime() < minAgeMs) {
        run.young++;
        continue;
      }
      if (!subsOf.has(parsed.officeId)) subsOf.set(parsed.officeId, deps.repo.listSubmissions(cycle.year, parsed.officeId));
      if (isRecorded(obj, await subsOf.get(parsed.officeId)!)) run.recorded++;
      else todo.push(obj);
    }

    // A small pool: each object is an independent, idempotent unit of work.
    let next = 0;
    const worker = async () => {
      while (next < todo.length) {
        if (!keepGoing()) {
          run.deferred += todo.length - next;
          next = todo.length;
          return;
        }
        const obj = todo[next++];
        try {
          // The version the event would carry (versioned bucket) and its ETag: the same submission id.
          const info = await deps.incoming.head(obj.key);
          if (!info) continue; // deleted since the listing
          const outcome = await processSubmission(deps, { bucket: deps.incoming.bucket, key: obj.key, versionId: info.versionId, eTag: info.etag ?? obj.etag });
          run.processed.push({ key: obj.key, ...outcome });
          log('info', 'reconciled an upload without a recorded outcome', { key: obj.key, ...outcome });
        } catch (e) {
          const error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
          run.failed.push({ key: obj.key, error });
          log('error', 'reconciliation failed for an upload', { key: obj.key, error });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));

    if (keepGoing()) await finishArchives(deps, cycle, now, minAgeMs, run);
  }
  return run;
}

/** What is missing of a published submission's public record ([] = complete). */
async function missingPublicFiles(deps: CycleDeps, sub: Submission): Promise<string[]> {
  if (!sub.publishedVersion) return ['version'];
  const store = deps.archive;
  if (!store) return [];
  const keys = [sitePaths.pdf(sub.year, sub.officeId, sub.publishedVersion), sitePaths.officePage(sub.year, sub.officeId)];
  if (sub.parsedKey) keys.push(sitePaths.json(sub.year, sub.officeId, sub.publishedVersion));
  const missing: string[] = [];
  for (const key of keys) if (!(await store.head(`${PUBLIC_PREFIX}${key}`))) missing.push(`${PUBLIC_PREFIX}${key}`);
  return missing;
}

async function finishArchives(deps: CycleDeps, cycle: { year: number; autoPublish: boolean }, now: Date, minAgeMs: number, run: ReconcileRun): Promise<void> {
  const log = deps.log ?? (() => undefined);
  if (!deps.archiveTrigger) return;
  const trigger = deps.archiveTrigger;
  const offices = [
    ...(await deps.repo.listOfficesByStatus(cycle.year, 'PUBLISHED')),
    // Accepted in an auto-publishing cycle: its archive step should have published it.
    ...(cycle.autoPublish ? await deps.repo.listOfficesByStatus(cycle.year, 'ACCEPTED') : []),
  ];
  for (const office of offices) {
    // A step that is probably still running (the office changed moments ago) is left to itself.
    if (office.updatedAt && now.getTime() - Date.parse(office.updatedAt) < minAgeMs) continue;
    const submissionId = office.status === 'PUBLISHED' ? office.publishedSubmissionId : office.currentSubmissionId;
    if (!submissionId) continue;
    try {
      const sub = await deps.repo.getSubmission(cycle.year, office.id, submissionId);
      if (!sub || sub.verdict !== 'accepted') continue;
      const missing = office.status === 'ACCEPTED' ? ['publication'] : await missingPublicFiles(deps, sub);
      if (!missing.length) continue;
      await trigger.requestArchive({ year: cycle.year, officeId: office.id, submissionId });
      run.archives.push({ year: cycle.year, officeId: office.id, submissionId, missing });
      log('warn', 'archive incomplete: archive step requested again', { year: cycle.year, officeId: office.id, submissionId, missing });
    } catch (e) {
      const error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      run.failed.push({ key: `archive/${cycle.year}/${office.id}/${submissionId}`, error });
      log('error', 'reconciliation of an archive failed', { year: cycle.year, officeId: office.id, error });
    }
  }
}
