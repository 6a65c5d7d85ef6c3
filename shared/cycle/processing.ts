/**
 * processSubmission: one uploaded object → a submission with its verdict, the office's status, the audit
 * trail and the receipt e-mail.
 *
 * S3 delivers events at least once and in any order, and Lambda may die between any two writes. So:
 * - the submission id derives from the object version (versionId, else ETag, else the event sequencer), so
 *   every delivery of one upload, and the reconciliation sweep, name the same submission;
 * - the submission item is created with attribute_not_exists, then advanced through states
 *   received → checked → done; a delivery that finds `done` changes nothing and sends nothing;
 * - office transitions are conditional on its version and decided from stored data, so re-running a step
 *   that already happened decides "nothing to do";
 * - "latest wins" compares S3's LastModified (receivedAt), then the ticket's time-ordered upload id, never
 *   the event arrival order;
 * - the receipt is claimed once per submission id before it is sent (released if the send fails).
 *
 * One function per step, in this order: recordSubmission, makeCurrent, checkOnce, applyVerdict,
 * sendReceiptOnce, requestArchive; then the submission is `done`. Each decides from stored data whether it
 * still has work to do (test/cycle/processing-steps.test.ts crashes after each).
 */
import { officePageUrl } from './links';
import { createHash } from 'node:crypto';
import { finding, type Finding, type Report, type Verdict } from '../report/model';
import { UPLOAD_LIMITS } from '../resources';
import { oneLine } from '../common/text';
import { FILE_RULES, unreadableFinding } from './checker';
import { markSameAsReturned } from './judgement';
import { transitionOffice, type CycleDeps } from './deps';
import type { Cycle, Office, Submission } from './model';
import { parseIncomingKey } from './incoming-key';
import { deadlineOf } from './lookup';
import { sha256Hex } from './tokens';
import { compareUploads } from './upload-id';
import { once, type OnceOutcome } from './once';

export interface ObjectRef {
  bucket: string;
  /** Decoded key (S3 event keys are URL-encoded: decode before calling). */
  key: string;
  versionId?: string | null;
  sequencer?: string | null;
  eTag?: string | null;
}

export type ProcessOutcome =
  | { outcome: 'ignored'; reason: string; key: string }
  | { outcome: 'duplicate'; submissionId: string; year: number; officeId: string }
  | {
      outcome: 'processed';
      submissionId: string;
      year: number;
      officeId: string;
      verdict: 'accepted' | 'rejected';
      status: Office['status'];
      current: boolean;
    };

/**
 * Stable per uploaded object version: "2026-3F9AC21B77D0". The identity is the object version when the
 * bucket is versioned (as in AWS), else its ETag, else the event's sequencer: what an S3 event and a
 * HEAD of the object both tell, so a delivered event and the reconciliation sweep name the same submission.
 */
export function submissionIdFor(ref: ObjectRef, year: number): string {
  const etag = ref.eTag ? ref.eTag.replace(/"/g, '').toLowerCase() : '';
  const version = ref.versionId && ref.versionId !== 'null' ? `v:${ref.versionId}` : etag ? `e:${etag}` : `s:${ref.sequencer ?? ''}`;
  const hex = createHash('sha256').update(`${ref.bucket}/${ref.key}#${version}`).digest('hex');
  return `${year}-${hex.slice(0, 12).toUpperCase()}`;
}

/**
 * a is newer than b: later S3 LastModified; within the same second the later upload ticket (UUIDv7 upload
 * id); then the submission id (arbitrary but the same everywhere). See compareUploads.
 */
export function isNewer(
  a: { receivedAt: string; id: string; uploadId?: string | null },
  b: { receivedAt: string | null; id: string | null; uploadId?: string | null },
): boolean {
  if (!b.receivedAt || !b.id) return true;
  return compareUploads(a, { receivedAt: b.receivedAt, id: b.id, uploadId: b.uploadId }) > 0;
}

/**
 * A receipt claim not completed within this time belongs to a sender that died (not one that failed: a
 * failed send releases its claim at once). Lambda's first async retry comes about a minute later.
 */
export const RECEIPT_STALE_MS = 30_000;

export async function processSubmission(deps: CycleDeps, ref: ObjectRef): Promise<ProcessOutcome> {
  const log = deps.log ?? (() => undefined);
  const parsedKey = parseIncomingKey(ref.key);
  if (!parsedKey) {
    // Keys are chosen by the server; anything else was not uploaded through a ticket.
    log('warn', 'ignoring object outside the incoming layout', { key: ref.key });
    return { outcome: 'ignored', reason: 'key outside incoming/{year}/{officeId}/{uuid}{ext}', key: ref.key };
  }
  const { year, officeId } = parsedKey;
  const id = submissionIdFor(ref, year);
  const duplicate: ProcessOutcome = { outcome: 'duplicate', submissionId: id, year, officeId };

  const stored = await deps.repo.getSubmission(year, officeId, id);
  if (stored?.state === 'done') return duplicate;
  const cycle = await deps.repo.getCycle(year);
  const office = await deps.repo.getOffice(year, officeId);
  if (!cycle || !office) {
    log('warn', 'upload for an unknown cycle or office', { key: ref.key, year, officeId });
    return { outcome: 'ignored', reason: 'unknown cycle or office', key: ref.key };
  }
  const upload: Upload = { ref, id, ...parsedKey, officeName: office.name, deadline: deadlineOf(cycle, office), sender: cycle };

  const received = stored ?? (await recordSubmission(deps, upload));
  if (!received) return { outcome: 'ignored', reason: 'object not found', key: ref.key };
  if (received.state === 'done') return duplicate;
  await makeCurrent(deps, upload, received);
  const checked = await checkOnce(deps, upload, received);
  const { submission, office: after, current } = await applyVerdict(deps, checked);
  if ((await sendReceiptOnce(deps, upload, submission, after)) === 'busy') {
    // Another delivery is sending it right now (or died doing so: its own retry, or the reconciliation
    // sweep, finishes the job once the claim is stale). This submission stays not `done` until then.
    return duplicate;
  }
  if (current) await requestArchive(deps, submission, after);
  await deps.repo.updateSubmission({ ...submission, state: 'done' });
  return { outcome: 'processed', submissionId: id, year, officeId, verdict: submission.verdict, status: after.status, current };
}

/** What one delivery knows about its upload before anything is stored. */
interface Upload {
  ref: ObjectRef;
  /** The submission id (submissionIdFor). */
  id: string;
  year: number;
  officeId: string;
  uploadId: string;
  ext: string;
  officeName: string;
  deadline: string;
  /** The 政务公开办 that sends the receipt (the footer of the e-mail). */
  sender: Pick<Cycle, 'issuer' | 'contactPerson' | 'contactPhone'>;
}

/** A submission with its verdict: checked, or further. */
type Checked = Submission & { verdict: Verdict };

/**
 * 1. Record the submission: it exists as soon as we know the object, received when S3 stored it. Created
 * if absent, so concurrent deliveries agree on one item. Null if the object is gone.
 */
async function recordSubmission(deps: CycleDeps, upload: Upload): Promise<Submission | null> {
  const { ref } = upload;
  const info = await deps.incoming.head(ref.key, ref.versionId);
  if (!info) {
    deps.log?.('warn', 'object vanished before processing', { key: ref.key, versionId: ref.versionId });
    return null;
  }
  const fresh: Submission = {
    id: upload.id,
    year: upload.year,
    officeId: upload.officeId,
    key: ref.key,
    versionId: info.versionId ?? ref.versionId ?? null,
    etag: info.etag ?? ref.eTag ?? null,
    receivedAt: info.lastModified.toISOString(),
    uploadId: upload.uploadId,
    size: info.size,
    sha256: null,
    // The uploader's name, on one line: it goes into e-mail subjects, lines and headers (issue 13.3).
    fileName: oneLine(info.fileName ?? `报告${upload.ext}`),
    state: 'received',
    verdict: null,
    findings: [],
    formatVersion: null,
    parsedKey: null,
    supersededBy: null,
  };
  return (await deps.repo.createSubmission(fresh)).submission;
}

/** 2. Make it current: the office's current submission, and the office RECEIVED, if it is the newest. */
async function makeCurrent(deps: CycleDeps, upload: Upload, sub: Submission): Promise<void> {
  const { year, officeId, id } = sub;
  const uploadId = sub.uploadId ?? upload.uploadId;
  await transitionOffice(deps, year, officeId, (o) =>
    o.currentSubmissionId === id || !isNewer({ ...sub, uploadId }, { receivedAt: o.currentReceivedAt, id: o.currentSubmissionId, uploadId: o.currentUploadId })
      ? null
      : {
          set: { status: 'RECEIVED', currentSubmissionId: id, currentReceivedAt: sub.receivedAt, currentUploadId: uploadId, note: null },
          audit: {
            year,
            officeId,
            at: deps.clock.now().toISOString(),
            actor: `office:${officeId}`,
            action: o.status === 'PUBLISHED' ? 'amendment_received' : 'received',
            from: o.status,
            to: 'RECEIVED',
            submissionId: id,
            sha256: null,
            detail: sub.fileName,
          },
        },
  );
}

/** 3. Check the file, unless a delivery before did (pure: re-running gives the same result). */
async function checkOnce(deps: CycleDeps, upload: Upload, sub: Submission): Promise<Checked> {
  if (sub.state === 'received') {
    const { year, officeId } = upload;
    const checked = await check(deps, sub, {
      year,
      office: upload.officeName,
      otherOffices: (await officeNames(deps, year)).filter((o) => o.id !== officeId).map((o) => o.name),
      deadline: upload.deadline,
      receivedAt: sub.receivedAt,
      previous: (await previousReport(deps, year - 1, officeId)) ?? undefined,
    });
    // A file identical to one that was returned is told so (FILE-03), not accepted again.
    const marked = await markSameAsReturned(deps, checked);
    await deps.repo.updateSubmission(marked);
    if (!marked.verdict) throw new Error(`submission ${marked.id} is ${marked.state} without a verdict`);
    return { ...marked, verdict: marked.verdict };
  }
  if (!sub.verdict) throw new Error(`submission ${sub.id} is ${sub.state} without a verdict`);
  return { ...sub, verdict: sub.verdict };
}

/**
 * 4. Apply the verdict: RECEIVED → ACCEPTED | REJECTED, if this submission is still the office's current
 * one; one that is not any more is marked superseded by the one that is.
 */
async function applyVerdict(deps: CycleDeps, sub: Checked): Promise<{ submission: Checked; office: Office; current: boolean }> {
  const { year, officeId, id, verdict } = sub;
  const to = verdict === 'accepted' ? 'ACCEPTED' : 'REJECTED';
  const count = (severity: string) => sub.findings.filter((f) => f.severity === severity).length;
  const { office } = await transitionOffice(deps, year, officeId, (o) =>
    o.currentSubmissionId !== id || o.status !== 'RECEIVED'
      ? null
      : {
          set: { status: to },
          audit: { year, officeId, at: deps.clock.now().toISOString(), actor: 'system', action: verdict, from: 'RECEIVED', to, submissionId: id, sha256: sub.sha256, detail: `${count('error')} 项错误，${count('warning')} 项提示` },
        },
  );
  const current = office.currentSubmissionId === id;
  if (current || sub.supersededBy || !office.currentSubmissionId) return { submission: sub, office, current };
  const superseded = { ...sub, supersededBy: office.currentSubmissionId };
  await deps.repo.updateSubmission(superseded);
  return { submission: superseded, office, current };
}

/** 5. Send the receipt once per submission (once.ts); 'busy' while another delivery holds the claim. */
async function sendReceiptOnce(deps: CycleDeps, upload: Upload, sub: Checked, office: Office): Promise<OnceOutcome<unknown>['status']> {
  const { year, officeId, id } = sub;
  const mail = deps.emails.receiptEmail({
    year,
    officeName: office.name,
    submissionId: id,
    fileName: sub.fileName,
    sha256: sub.sha256,
    size: sub.size,
    receivedAt: sub.receivedAt,
    deadline: upload.deadline,
    verdict: sub.verdict,
    findings: sub.findings,
    supersededBy: sub.supersededBy,
    statusUrl: officePageUrl(deps.publicBaseUrl, year, officeId),
    sender: upload.sender,
  });
  const sent = await once(deps, {
    key: `RECEIPT#${id}`,
    staleAfterMs: RECEIPT_STALE_MS,
    run: () => deps.mailer.send({ to: office.emails, ...mail, tags: { year: String(year), officeId, kind: 'receipt', submission: id } }),
  });
  if (sent.status === 'ran') deps.count?.('ReceiptSent');
  return sent.status;
}

/** 6. Request the archive of an accepted, current submission (idempotent on the other side too). */
async function requestArchive(deps: CycleDeps, sub: Checked, office: Office): Promise<void> {
  if (sub.verdict !== 'accepted' || (office.status !== 'ACCEPTED' && office.status !== 'PUBLISHED')) return;
  await deps.archiveTrigger?.requestArchive({ year: sub.year, officeId: sub.officeId, submissionId: sub.id });
}

async function check(deps: CycleDeps, submission: Submission, context: Parameters<CycleDeps['checker']>[0]['context']): Promise<Checked> {
  const reject = (f: Finding, sha256: string | null): Checked => ({
    ...submission,
    sha256,
    state: 'checked',
    verdict: 'rejected',
    findings: [f],
    checkedAt: deps.clock.now().toISOString(),
  });
  const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
  if (submission.size > UPLOAD_LIMITS.maxBytes) {
    return reject(
      finding({ rule: FILE_RULES.tooLarge, severity: 'error', message: `文件过大（${mb(submission.size)} MB，上限 ${mb(UPLOAD_LIMITS.maxBytes)} MB）。请删除其中的图片或扫描页后重新提交。` }),
      null,
    );
  }
  const obj = await deps.incoming.get(submission.key, submission.versionId);
  if (!obj) return reject(unreadableFinding('文件已不存在，无法读取，请重新上传。'), null);
  const sha256 = sha256Hex(obj.bytes);
  const result = await deps.checker({ bytes: obj.bytes, fileName: submission.fileName, context });
  if ('unreadable' in result) return reject(unreadableFinding(result.unreadable), sha256);
  const parsedKey = `parsed/${submission.year}/${submission.officeId}/${submission.id}.json`;
  await parsedStore(deps).put(parsedKey, JSON.stringify(result.report), 'application/json');
  return {
    ...submission,
    sha256,
    state: 'checked',
    verdict: result.verdict,
    findings: result.findings,
    formatVersion: result.report.formatVersion,
    parsedKey,
    checkedAt: deps.clock.now().toISOString(),
  };
}

/** Canonical JSON lives in the archive bucket (private part, outside public/); the incoming bucket if none. */
export function parsedStore(deps: CycleDeps) {
  return deps.archive ?? deps.incoming;
}

/**
 * Last year's published report of the same office (for the XY rules); null when there is none. A failing
 * read throws (the delivery is retried): a transient error must not silently change the verdict. Only an
 * unreadable stored JSON is skipped, with a warning.
 */
/** Office lists change rarely; reading the whole list on every upload made a cycle quadratic. */
const OFFICE_NAMES_TTL_MS = 5 * 60_000;
const officeNamesCache = new WeakMap<object, Map<number, { at: number; names: Promise<{ id: string; name: string }[]> }>>();

/** Every office's id and name (for STR-07's "another office named"), cached per repository for a few minutes. */
function officeNames(deps: CycleDeps, year: number): Promise<{ id: string; name: string }[]> {
  let byYear = officeNamesCache.get(deps.repo);
  if (!byYear) officeNamesCache.set(deps.repo, (byYear = new Map()));
  const now = deps.clock.now().getTime();
  const hit = byYear.get(year);
  if (hit && now - hit.at < OFFICE_NAMES_TTL_MS) return hit.names;
  const names = deps.repo.listOffices(year).then((list) => list.map((o) => ({ id: o.id, name: o.name })));
  byYear.set(year, { at: now, names });
  // A failed read is not cached.
  names.catch(() => byYear!.delete(year));
  return names;
}

export async function previousReport(deps: CycleDeps, year: number, officeId: string): Promise<Report | null> {
  const office = await deps.repo.getOffice(year, officeId);
  if (!office?.publishedSubmissionId) return null;
  const sub = await deps.repo.getSubmission(year, officeId, office.publishedSubmissionId);
  if (!sub?.parsedKey) return null;
  const obj = await parsedStore(deps).get(sub.parsedKey);
  if (!obj) return null;
  try {
    return JSON.parse(Buffer.from(obj.bytes).toString('utf8')) as Report;
  } catch (e) {
    deps.log?.('warn', 'previous report unreadable', { year, officeId, error: String(e) });
    return null;
  }
}
