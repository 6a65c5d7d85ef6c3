/** An office's status with its submissions, and every office's for the coordinator. */
import type { Finding, Verdict } from '../../report/model';
import type { Uses } from '../deps';
import { deadlineOf, requireCycle, requireOffice } from '../lookup';
import { STATUS_LABELS, type Cycle, type FindingJudgement, type Office, type OfficeStatus, type Principal, type Submission } from '../model';
import type { AuditLog, CycleStore, OfficeStore, SubmissionStore } from '../ports';
import { requireCoordinator, requireOfficeOrCoordinator } from './authenticate';

export interface SubmissionView {
  id: string;
  fileName: string;
  size: number;
  sha256: string | null;
  receivedAt: string;
  late: boolean;
  state: Submission['state'];
  verdict: Verdict | null;
  formatVersion: '2019' | '2021' | null;
  findings: Finding[];
  supersededBy: string | null;
  current: boolean;
  /** Explanations (说明) and waivers (豁免) of its findings, by the finding's index. */
  judgements: FindingJudgement[];
  /** The public version number it got when published; withdrawnAt/withdrawnReason when that version was withdrawn (撤回). */
  publishedVersion: number | null;
  withdrawnAt: string | null;
  withdrawnReason: string | null;
}

export interface OfficeView {
  year: number;
  officeId: string;
  name: string;
  group: string;
  emails: string[];
  contact: string | null;
  phone: string | null;
  status: OfficeStatus;
  statusLabel: string;
  version: number;
  deadline: string;
  overdue: boolean;
  note: string | null;
  currentSubmissionId: string | null;
  publishedSubmissionId: string | null;
  hasToken: boolean;
  invitedAt: string | null;
  signedInAt: string | null;
  updatedAt: string;
}

export function officeView(cycle: Cycle, office: Office, now: Date): OfficeView {
  const deadline = deadlineOf(cycle, office);
  const done = office.status === 'ACCEPTED' || office.status === 'PUBLISHED';
  return {
    year: office.year,
    officeId: office.id,
    name: office.name,
    group: office.group,
    emails: office.emails,
    contact: office.contact || null,
    phone: office.phone || null,
    status: office.status,
    statusLabel: STATUS_LABELS[office.status],
    version: office.version,
    deadline,
    overdue: !done && now.getTime() > Date.parse(deadline) && !(office.currentReceivedAt && Date.parse(office.currentReceivedAt) <= Date.parse(deadline) && office.status === 'RECEIVED'),
    note: office.note,
    currentSubmissionId: office.currentSubmissionId,
    publishedSubmissionId: office.publishedSubmissionId,
    hasToken: office.tokenHash !== null,
    invitedAt: office.invitedAt ?? null,
    signedInAt: office.signedInAt ?? null,
    updatedAt: office.updatedAt,
  };
}

export async function getOfficeStatus(
  deps: Uses<CycleStore & OfficeStore & SubmissionStore & AuditLog, 'clock'>,
  principal: Principal,
  year: number,
  officeId: string,
): Promise<{ office: OfficeView; submissions: SubmissionView[]; audit?: unknown[] }> {
  requireOfficeOrCoordinator(principal, year, officeId);
  const cycle = await requireCycle(deps, year);
  const office = await requireOffice(deps, year, officeId);
  const deadline = deadlineOf(cycle, office);
  const subs = await deps.repo.listSubmissions(year, officeId);
  const submissions = subs.map<SubmissionView>((s) => ({
    id: s.id,
    fileName: s.fileName,
    size: s.size,
    sha256: s.sha256,
    receivedAt: s.receivedAt,
    late: Date.parse(s.receivedAt) > Date.parse(deadline),
    state: s.state,
    verdict: s.verdict,
    formatVersion: s.formatVersion,
    findings: s.findings,
    supersededBy: s.supersededBy,
    current: s.id === office.currentSubmissionId,
    judgements: s.judgements ?? [],
    publishedVersion: s.publishedVersion ?? null,
    withdrawnAt: s.withdrawnAt ?? null,
    withdrawnReason: s.withdrawnReason ?? null,
  }));
  const view = { office: officeView(cycle, office, deps.clock.now()), submissions };
  if (principal.role === 'coordinator') return { ...view, audit: await deps.repo.listAudit(year, officeId) };
  return view;
}

export async function listOfficeStatuses(
  deps: Uses<CycleStore & OfficeStore, 'clock'>,
  principal: Principal,
  year: number,
): Promise<{ cycle: Cycle; counts: Record<OfficeStatus, number>; offices: OfficeView[] }> {
  requireCoordinator(principal);
  const cycle = await requireCycle(deps, year);
  const offices = await deps.repo.listOffices(year);
  const now = deps.clock.now();
  const counts = { NOT_SUBMITTED: 0, RECEIVED: 0, ACCEPTED: 0, REJECTED: 0, PUBLISHED: 0, RETURNED: 0 };
  for (const o of offices) counts[o.status]++;
  return { cycle, counts, offices: offices.map((o) => officeView(cycle, o, now)) };
}
