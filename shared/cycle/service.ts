/**
 * Use cases of the coordinator and the offices: cycles, offices, tokens, authentication, upload requests,
 * status views, publishing and the dry-run. Processing of uploads is in ./processing.ts.
 */
import { INCOMING_PREFIX, UPLOAD_LIMITS } from '../resources';
import type { Finding, Verdict } from '../report/model';
import type { ValidationResult } from '../report/validate';
import { returnedEmail } from '../render/email';
import type { CycleDeps } from './deps';
import { transitionOffice } from './deps';
import { CycleError, invalid, notFound, zodMessage } from './errors';
import {
  CycleInputSchema,
  OFFICE_ID_PATTERN,
  OfficeInputSchema,
  STATUS_LABELS,
  YEAR_PATTERN,
  type Cycle,
  type CycleInput,
  type Office,
  type OfficeInput,
  type OfficeStatus,
  type Principal,
  type Submission,
} from './model';
import { parseOfficesCsv } from './offices-csv';
import type { PresignedPost } from './ports';
import { generateToken, hashToken, looksLikeToken, tokenMatches } from './tokens';
import { newUploadId } from './upload-id';

// ---- path parameters ----

export function parseYear(raw: string | undefined): number {
  if (!raw || !YEAR_PATTERN.test(raw)) throw invalid('年度应为四位数字，如 2026');
  const y = Number(raw);
  if (y < 2000 || y > 2100) throw invalid('年度应在 2000–2100 之间');
  return y;
}

export function parseOfficeId(raw: string | undefined): string {
  if (!raw || !OFFICE_ID_PATTERN.test(raw)) throw invalid('机构编号只能由小写字母、数字和连字符组成（1–64个字符）');
  return raw;
}

// ---- cycles ----

export async function createCycle(deps: CycleDeps, input: CycleInput): Promise<{ cycle: Cycle; created: boolean }> {
  const parsed = CycleInputSchema.safeParse(input);
  if (!parsed.success) throw invalid(`年度设置有误：${zodMessage(parsed.error)}`);
  const ids = parsed.data.groups.map((g) => g.id);
  if (new Set(ids).size !== ids.length) throw invalid('分组编号重复');
  const existing = await deps.repo.getCycle(parsed.data.year);
  const cycle: Cycle = { ...parsed.data, createdAt: existing?.createdAt ?? deps.clock.now().toISOString() };
  await deps.repo.putCycle(cycle);
  return { cycle, created: !existing };
}

async function requireCycle(deps: CycleDeps, year: number): Promise<Cycle> {
  const cycle = await deps.repo.getCycle(year);
  if (!cycle) throw notFound(`${year}年度尚未创建`);
  return cycle;
}

async function requireOffice(deps: CycleDeps, year: number, officeId: string): Promise<Office> {
  const office = await deps.repo.getOffice(year, officeId);
  if (!office) throw notFound(`${year}年度没有编号为“${officeId}”的机构`);
  return office;
}

export function deadlineOf(cycle: Cycle, office: Pick<Office, 'group'>): string {
  const group = cycle.groups.find((g) => g.id === office.group);
  // Unknown group (cycle edited after import): the latest deadline of the cycle is the fair reading.
  return group?.deadline ?? cycle.groups.map((g) => g.deadline).sort().at(-1)!;
}

// ---- offices ----

/**
 * Creates new offices and updates name/group/e-mails of existing ones (status and history stay). Offices
 * missing from the list are left alone. The group may be given by id or by name.
 */
export async function importOffices(
  deps: CycleDeps,
  year: number,
  input: { csv: string | Uint8Array } | { offices: OfficeInput[] },
): Promise<{ created: string[]; updated: string[] }> {
  const cycle = await requireCycle(deps, year);
  const groupIds = new Map<string, string>();
  for (const g of cycle.groups) {
    groupIds.set(g.id, g.id);
    groupIds.set(g.name, g.id);
  }
  let offices: OfficeInput[];
  if ('csv' in input) {
    const r = parseOfficesCsv(input.csv, [...groupIds.keys()]);
    if (r.errors.length) throw invalid(`机构名单有 ${r.errors.length} 处错误：\n${r.errors.join('\n')}`);
    offices = r.offices;
  } else {
    if (!Array.isArray(input.offices)) throw invalid('offices 应为数组');
    const errors: string[] = [];
    offices = [];
    input.offices.forEach((o, i) => {
      const p = OfficeInputSchema.safeParse(o);
      if (!p.success) errors.push(`第${i + 1}个机构：${zodMessage(p.error)}`);
      else if (!groupIds.has(p.data.group)) errors.push(`第${i + 1}个机构：分组“${p.data.group}”不在本年度设置的分组中`);
      else offices.push(p.data);
    });
    const ids = offices.map((o) => o.id);
    const dup = ids.find((id, i) => ids.indexOf(id) !== i);
    if (dup) errors.push(`机构编号“${dup}”重复`);
    if (errors.length) throw invalid(`机构名单有 ${errors.length} 处错误：\n${errors.join('\n')}`);
  }
  if (offices.length === 0) throw invalid('机构名单为空');
  const created: string[] = [];
  const updated: string[] = [];
  const now = deps.clock.now().toISOString();
  for (const o of offices) {
    const existing = await deps.repo.getOffice(year, o.id);
    const office: Office = existing
      ? { ...existing, ...o, group: groupIds.get(o.group)!, updatedAt: now }
      : {
          ...o,
          group: groupIds.get(o.group)!,
          year,
          status: 'NOT_SUBMITTED',
          version: 0,
          currentSubmissionId: null,
          currentReceivedAt: null,
          publishedSubmissionId: null,
          tokenHash: null,
          note: null,
          updatedAt: now,
        };
    await deps.repo.upsertOfficeData(office);
    (existing ? updated : created).push(o.id);
  }
  return { created, updated };
}

// ---- tokens and authentication ----

/** A fresh token for the office; the previous one stops working. The token is returned once, never stored. */
export async function issueOfficeToken(deps: CycleDeps, year: number, officeId: string): Promise<{ token: string }> {
  const office = await requireOffice(deps, year, officeId);
  const token = generateToken();
  const hash = hashToken(token);
  const now = deps.clock.now().toISOString();
  await deps.repo.putOfficeToken({ hash, role: 'office', year, officeId, createdAt: now }, office.tokenHash);
  await deps.repo.appendAudit({
    year,
    officeId,
    at: now,
    actor: 'coordinator',
    action: 'token_issued',
    from: null,
    to: null,
    submissionId: null,
    sha256: null,
    detail: office.tokenHash ? '已更换访问令牌，旧令牌失效' : '已签发访问令牌',
  });
  return { token };
}

/** A coordinator token kept in the table (bootstrap for the local runtime; the env hash is the usual way). */
export async function issueCoordinatorToken(deps: CycleDeps): Promise<{ token: string }> {
  const token = generateToken();
  await deps.repo.putToken({ hash: hashToken(token), role: 'coordinator', year: null, officeId: null, createdAt: deps.clock.now().toISOString() });
  return { token };
}

const UNAUTHENTICATED = '缺少或无效的访问令牌（请在请求头 Authorization 中提供 Bearer 令牌）';

export async function authenticate(deps: CycleDeps, authorization: string | undefined | null): Promise<Principal> {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!m || !looksLikeToken(m[1])) throw new CycleError('unauthenticated', UNAUTHENTICATED);
  const token = m[1];
  if (deps.coordinatorTokenSha256 && tokenMatches(token, deps.coordinatorTokenSha256)) return { role: 'coordinator' };
  const record = await deps.repo.getToken(hashToken(token));
  if (record?.role === 'coordinator') return { role: 'coordinator' };
  if (record?.role === 'office' && record.year !== null && record.officeId) {
    // The office record names its one valid token: a rotated token fails here even if its item lingered.
    const office = await deps.repo.getOffice(record.year, record.officeId);
    if (office?.tokenHash && tokenMatches(token, office.tokenHash)) return { role: 'office', year: record.year, officeId: record.officeId };
  }
  throw new CycleError('unauthenticated', UNAUTHENTICATED);
}

export function requireCoordinator(p: Principal): void {
  if (p.role !== 'coordinator') throw new CycleError('forbidden', '此操作仅限协调人');
}

export function requireOfficeOrCoordinator(p: Principal, year: number, officeId: string): void {
  if (p.role === 'coordinator') return;
  if (p.year !== year || p.officeId !== officeId) throw new CycleError('forbidden', '此访问令牌只能用于本单位本年度的报告');
}

// ---- uploads ----

export const UPLOAD_TYPES: Record<string, string> = {
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.pdf': 'application/pdf',
  '.txt': 'text/plain',
  '.html': 'text/html',
  '.htm': 'text/html',
  '.json': 'application/json',
};

/**
 * incoming/{year}/{officeId}/{uploadId}{ext}: every part chosen or validated by the server. The upload id
 * is a UUIDv7 (time-ordered: see upload-id.ts); any UUID-shaped id is accepted.
 */
export const INCOMING_KEY = /^incoming\/(\d{4})\/([a-z0-9-]{1,64})\/([0-9a-f-]{36})(\.[a-z0-9]{1,5})?$/;

export function parseIncomingKey(key: string): { year: number; officeId: string; uploadId: string; ext: string } | null {
  const m = INCOMING_KEY.exec(key);
  return m ? { year: Number(m[1]), officeId: m[2], uploadId: m[3], ext: m[4] ?? '' } : null;
}

export interface UploadTicket extends PresignedPost {
  key: string;
  /** The time-ordered id in the key: a later ticket wins over an upload stored in the same second. */
  uploadId: string;
  maxBytes: number;
  contentType: string;
}

export async function requestUpload(
  deps: CycleDeps,
  principal: Principal,
  year: number,
  officeId: string,
  request: { fileName?: unknown },
): Promise<UploadTicket> {
  requireOfficeOrCoordinator(principal, year, officeId);
  const fileName = typeof request.fileName === 'string' ? request.fileName.trim() : '';
  if (!fileName || fileName.length > 200) throw invalid('请提供文件名 fileName（如 “2026年报.docx”）');
  const ext = (/\.[A-Za-z0-9]{1,5}$/.exec(fileName)?.[0] ?? '').toLowerCase();
  const contentType = UPLOAD_TYPES[ext];
  if (!contentType) {
    throw invalid(`不支持的文件类型“${ext || '无扩展名'}”。请提交 Word（.docx）、PDF、网页（.html）、纯文本（.txt）或 JSON 格式的报告`);
  }
  await requireCycle(deps, year);
  await requireOffice(deps, year, officeId);
  const uploadId = newUploadId(deps.clock.now());
  const key = `${INCOMING_PREFIX}${year}/${officeId}/${uploadId}${ext}`;
  const post = await deps.incoming.presignPost({
    key,
    contentType,
    minBytes: 1,
    maxBytes: UPLOAD_LIMITS.maxBytes,
    expiresSeconds: Math.min(UPLOAD_LIMITS.expirySeconds, 900),
    fileName,
  });
  return { ...post, key, uploadId, maxBytes: UPLOAD_LIMITS.maxBytes, contentType };
}

// ---- views ----

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

function officeView(cycle: Cycle, office: Office, now: Date): OfficeView {
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
  deps: CycleDeps,
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
  }));
  const view = { office: officeView(cycle, office, deps.clock.now()), submissions };
  if (principal.role === 'coordinator') return { ...view, audit: await deps.repo.listAudit(year, officeId) };
  return view;
}

export async function listOfficeStatuses(
  deps: CycleDeps,
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

// ---- coordinator decisions ----

export async function publishOffice(deps: CycleDeps, year: number, officeId: string, actor = 'coordinator'): Promise<OfficeView> {
  const cycle = await requireCycle(deps, year);
  const before = await requireOffice(deps, year, officeId);
  if (before.status === 'PUBLISHED' && before.publishedSubmissionId === before.currentSubmissionId) return officeView(cycle, before, deps.clock.now());
  if (before.status !== 'ACCEPTED') throw new CycleError('conflict', `当前状态为“${STATUS_LABELS[before.status]}”，只有已通过的报告可以公开`);
  const sub = before.currentSubmissionId ? await deps.repo.getSubmission(year, officeId, before.currentSubmissionId) : null;
  const { office } = await transitionOffice(deps, year, officeId, (o) =>
    o.status === 'ACCEPTED' && o.currentSubmissionId
      ? {
          set: { status: 'PUBLISHED', publishedSubmissionId: o.currentSubmissionId, note: null },
          audit: {
            year,
            officeId,
            at: deps.clock.now().toISOString(),
            actor,
            action: o.publishedSubmissionId ? 'published_amendment' : 'published',
            from: o.status,
            to: 'PUBLISHED',
            submissionId: o.currentSubmissionId,
            sha256: sub?.sha256 ?? null,
            detail: o.publishedSubmissionId ? `更正：替换已公开的提交 ${o.publishedSubmissionId}` : null,
          },
        }
      : null,
  );
  if (office.status === 'PUBLISHED' && office.publishedSubmissionId) {
    await deps.archiveTrigger?.requestArchive({ year, officeId, submissionId: office.publishedSubmissionId });
  }
  return officeView(cycle, office, deps.clock.now());
}

export async function returnOffice(deps: CycleDeps, year: number, officeId: string, note: unknown): Promise<OfficeView> {
  if (typeof note !== 'string' || !note.trim()) throw invalid('退回时请填写退回说明 note');
  if (note.length > 2000) throw invalid('退回说明过长（上限 2000 字）');
  const cycle = await requireCycle(deps, year);
  const before = await requireOffice(deps, year, officeId);
  if (before.status !== 'ACCEPTED') throw new CycleError('conflict', `当前状态为“${STATUS_LABELS[before.status]}”，只有已通过、尚未公开的报告可以退回`);
  const { office, changed } = await transitionOffice(deps, year, officeId, (o) =>
    o.status === 'ACCEPTED'
      ? {
          set: { status: 'RETURNED', note: note.trim() },
          audit: {
            year,
            officeId,
            at: deps.clock.now().toISOString(),
            actor: 'coordinator',
            action: 'returned',
            from: 'ACCEPTED',
            to: 'RETURNED',
            submissionId: o.currentSubmissionId,
            sha256: null,
            detail: note.trim(),
          },
        }
      : null,
  );
  if (changed) {
    const mail = returnedEmail({ year, officeName: office.name, note: note.trim(), submissionId: office.currentSubmissionId ?? '' });
    await deps.mailer.send({ to: office.emails, ...mail, tags: { year: String(year), officeId, kind: 'returned' } });
  }
  return officeView(cycle, office, deps.clock.now());
}

// ---- dry run ----

/** The same check as a real upload, without any write: a test filing. */
export async function dryRun(
  deps: Pick<CycleDeps, 'checker'>,
  bytes: Uint8Array,
  options: { year?: number; office?: string; fileName?: string } = {},
): Promise<ValidationResult> {
  if (bytes.length === 0) throw invalid('请求体为空：请提交报告文件内容');
  if (bytes.length > UPLOAD_LIMITS.maxBytes) throw new CycleError('too_large', `文件过大（上限 ${UPLOAD_LIMITS.maxBytes / 1024 / 1024} MB）`);
  const r = await deps.checker({ bytes, fileName: options.fileName, context: { year: options.year, office: options.office } });
  if ('unreadable' in r) throw new CycleError('invalid', r.unreadable);
  return {
    formatVersion: r.report.formatVersion,
    year: r.report.year,
    office: r.report.office,
    verdict: r.verdict,
    findings: r.findings,
    report: r.report,
  };
}
