/**
 * What the web pages need beyond the basic views of service.ts: the coordinators' dashboard list (every
 * office with its last submission, finding counts and undeliverable contacts) and the receipt of one
 * submission as a file (the same text as the receipt e-mail), and the tables the system read from the office's
 * latest submission (the office page's 系统读取的表格).
 */
import { mapLimited } from '../common/map-limited';
import type { ReceiptInput, RenderedEmail } from '../contracts/email';
import type { CycleDeps } from './deps';
import { CycleError, invalid, notFound } from './errors';
import { officePageUrl } from './links';
import { undeliverableContacts } from './mail-events';
import type { Cycle, Office, OfficeStatus, Principal, Submission } from './model';
import type { Report } from '../report/model';
import { deadlineOf } from './lookup';
import { requireOfficeOrCoordinator } from './use-cases/authenticate';
import { listOfficeStatuses, type OfficeView, type SubmissionView } from './use-cases/office-status';

export interface LastSubmission {
  id: string;
  fileName: string;
  receivedAt: string;
  /** Uploaded after the deadline instant (the cutoff rule: S3's LastModified). */
  late: boolean;
  state: Submission['state'];
  verdict: Submission['verdict'];
  errors: number;
  warnings: number;
}

export interface DashboardOffice extends OfficeView {
  lastSubmission: LastSubmission | null;
  /** Contact addresses marked undeliverable by SES bounces or complaints. */
  undeliverable: string[];
}

export interface DashboardView {
  cycle: Cycle;
  counts: Record<OfficeStatus, number>;
  offices: DashboardOffice[];
  generatedAt: string;
}

export async function dashboardView(deps: CycleDeps, principal: Principal, year: number): Promise<DashboardView> {
  const { cycle, counts, offices } = await listOfficeStatuses(deps, principal, year);
  const enriched = await mapLimited(offices, 8, async (o): Promise<DashboardOffice> => {
    const [sub, audit] = await Promise.all([
      o.currentSubmissionId ? deps.repo.getSubmission(year, o.officeId, o.currentSubmissionId) : Promise.resolve(null),
      deps.repo.listAudit(year, o.officeId),
    ]);
    const dead = new Set(undeliverableContacts(audit));
    return {
      ...o,
      lastSubmission: sub
        ? {
            id: sub.id,
            fileName: sub.fileName,
            receivedAt: sub.receivedAt,
            late: Date.parse(sub.receivedAt) > Date.parse(o.deadline),
            state: sub.state,
            verdict: sub.verdict,
            errors: sub.findings.filter((f) => f.severity === 'error').length,
            warnings: sub.findings.filter((f) => f.severity === 'warning').length,
          }
        : null,
      undeliverable: o.emails.filter((e) => dead.has(e.toLowerCase())),
    };
  });
  enriched.sort((a, b) => a.group.localeCompare(b.group) || a.officeId.localeCompare(b.officeId));
  return { cycle, counts, offices: enriched, generatedAt: deps.clock.now().toISOString() };
}

export const SUBMISSION_ID_PATTERN = /^[A-Za-z0-9-]{1,80}$/;

/** One submission by its id (checked before the lookup). */
export async function findSubmission(deps: CycleDeps, year: number, officeId: string, submissionId: string): Promise<Submission> {
  if (!SUBMISSION_ID_PATTERN.test(submissionId)) throw invalid('提交编号格式不正确');
  const sub = await deps.repo.getSubmission(year, officeId, submissionId);
  if (!sub) throw notFound(`没有编号为 ${submissionId} 的提交`);
  return sub;
}

/** An office and one of its submissions, for the office itself or the 政务公开办. */
export async function officeSubmission(deps: CycleDeps, principal: Principal, year: number, officeId: string, submissionId: string): Promise<{ office: Office; sub: Submission }> {
  requireOfficeOrCoordinator(principal, year, officeId);
  const office = await deps.repo.getOffice(year, officeId);
  if (!office) throw notFound(`${year}年度没有编号为“${officeId}”的单位`);
  return { office, sub: await findSubmission(deps, year, officeId, submissionId) };
}

/** The receipt of one submission, as sent by e-mail, for download from the office page or the dashboard. */
export async function submissionReceipt(
  deps: CycleDeps,
  principal: Principal,
  year: number,
  officeId: string,
  submissionId: string,
): Promise<RenderedEmail & { fileBase: string }> {
  const { input, fileBase } = await receiptOf(deps, principal, year, officeId, submissionId);
  return { ...deps.emails.receiptEmail(input), fileBase };
}

/** What a submission's receipt says (e-mail, download, PDF), for the office itself or the 政务公开办. */
export async function receiptOf(
  deps: CycleDeps,
  principal: Principal,
  year: number,
  officeId: string,
  submissionId: string,
): Promise<{ input: ReceiptInput; cycle: Cycle; fileBase: string }> {
  const { office, sub } = await officeSubmission(deps, principal, year, officeId, submissionId);
  const cycle = await deps.repo.getCycle(year);
  if (!cycle) throw notFound(`${year}年度尚未创建`);
  if (!sub.verdict) throw new CycleError('conflict', '该提交仍在校验中，校验完成后才有回执');
  const input: ReceiptInput = {
    year,
    officeName: office.name,
    submissionId: sub.id,
    fileName: sub.fileName,
    sha256: sub.sha256,
    size: sub.size,
    receivedAt: sub.receivedAt,
    deadline: deadlineOf(cycle, office),
    verdict: sub.verdict,
    findings: sub.findings,
    judgements: sub.judgements,
    supersededBy: sub.supersededBy,
    statusUrl: officePageUrl(deps.publicBaseUrl, year, officeId),
    sender: cycle,
  };
  return { input, cycle, fileBase: `回执-${office.name}-${sub.id}` };
}

/** Tables 二/三/四 of one submission as the system read them (the canonical JSON stored under parsed/…). */
export interface ReadTables extends Pick<Report, 'formatVersion' | 'year' | 'table2' | 'table3' | 'table4'> {
  submissionId: string;
}

/**
 * The tables read from the submission the office page shows first (the current one, else the newest); null
 * when it was not read (unreadable, still being checked) or its parsed JSON cannot be fetched here. Only the
 * tables go out, not the narrative text. A failed read is logged and leaves the rest of the page working.
 */
export async function latestTables(deps: CycleDeps, year: number, officeId: string, submissions: SubmissionView[]): Promise<ReadTables | null> {
  const shown = submissions.find((s) => s.current) ?? submissions[0];
  if (!shown) return null;
  try {
    const sub = await deps.repo.getSubmission(year, officeId, shown.id);
    if (!sub?.parsedKey) return null;
    // Where process-submission stores it (processing.ts, parsedStore): the archive bucket, else incoming.
    const obj = await (deps.archive ?? deps.incoming).get(sub.parsedKey);
    if (!obj) return null;
    const r = JSON.parse(Buffer.from(obj.bytes).toString('utf8')) as Partial<Report>;
    return {
      submissionId: sub.id,
      formatVersion: r.formatVersion ?? null,
      year: r.year ?? null,
      table2: r.table2 ?? null,
      table3: r.table3 ?? null,
      table4: r.table4 ?? null,
    };
  } catch (e) {
    deps.log?.('warn', 'parsed report not available for the tables view', { year, officeId, submissionId: shown.id, error: (e as Error).message });
    return null;
  }
}
