/**
 * The reporting cycle: cycles, offices, submissions, audit events and the status machine, as data.
 * Pure TypeScript (zod for input validation); persistence is behind the ports in ./ports.ts.
 */
// Schemas are z.lazy (built on first parse), as in report/model.ts.
import * as z from 'zod/mini';
import '../zod-locale';
import type { Finding, Verdict } from '../report/model';
import type { OfficeStatus } from '../common/status';
import { CONTROL_CHARACTERS } from '../common/text';
import type { FindingJudgement } from '../common/judged';

export type { FindingJudgement };

// ---- identifiers ----

/** Office ids are slugs: they become parts of S3 keys and DynamoDB keys, so nothing else is allowed. */
export const OFFICE_ID_PATTERN = /^[a-z0-9-]{1,64}$/;
export const YEAR_PATTERN = /^\d{4}$/;

export const OfficeIdSchema = z.lazy(() => z.string().check(z.regex(OFFICE_ID_PATTERN, '单位编号只能由小写字母、数字和连字符组成（1–64个字符）')));
export const YearSchema = z.lazy(() => z.number().check(z.int(), z.gte(2000, '年度应为2000–2100之间的四位数字'), z.lte(2100, '年度应为2000–2100之间的四位数字')));
const EmailSchema = z.lazy(() => z.string().check(z.trim(), z.regex(/^[^\s@<>"',;]+@[^\s@<>"',;]+\.[^\s@<>"',;]+$/, '电子邮箱格式不正确')));

/**
 * An ISO instant with an explicit offset, e.g. "2027-01-31T23:59:59+08:00". A bare date "2027-01-31" is
 * accepted and means the end of that day in Asia/Shanghai, the way deadline notices are written.
 */
export const DeadlineSchema = z.lazy(() =>
  z.pipe(
    z.string().check(z.trim()),
    z.transform((s: string, ctx) => {
      const iso = /^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T23:59:59+08:00` : s;
      const ok = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(iso) && !Number.isNaN(Date.parse(iso));
      if (!ok) {
        // mini's transform context has no addIssue(): push the issue the way classic's addIssue did.
        ctx.issues.push({ code: 'custom', message: `截止时间"${s}"格式不正确，应为如 2027-01-31 或 2027-01-31T23:59:59+08:00`, input: s });
        return z.NEVER;
      }
      return new Date(Date.parse(iso)).toISOString();
    }),
  ),
);

// ---- cycle ----

/** T−14, T−7, T−3, T−1 and the deadline day itself (0). */
export const DEFAULT_DAYS_BEFORE = [14, 7, 3, 1, 0];
/** Overdue: a notice every day for 30 days after the deadline (the coordinators' digest escalates). */
export const DEFAULT_DAYS_AFTER = Array.from({ length: 30 }, (_, i) => i + 1);

export const ReminderPolicySchema = z.lazy(() =>
  z.object({
    /** Days before the deadline on which a reminder is due (Asia/Shanghai calendar days; 0 = the deadline day). */
    daysBefore: z._default(z.array(z.number().check(z.int(), z.gte(0), z.lte(90))), DEFAULT_DAYS_BEFORE),
    /** Days after the deadline on which an overdue notice goes out (the coordinators' digest lists the office). */
    daysAfter: z._default(z.array(z.number().check(z.int(), z.gte(1), z.lte(90))), DEFAULT_DAYS_AFTER),
  }),
);
export type ReminderPolicy = z.infer<typeof ReminderPolicySchema>;

export const OfficeGroupSchema = z.lazy(() =>
  z.object({
    /** Group id, e.g. "departments", "streets". */
    id: z.string().check(z.regex(/^[a-z0-9-]{1,32}$/, '分组编号只能由小写字母、数字和连字符组成')),
    name: z.string().check(z.trim(), z.minLength(1), z.maxLength(100), z.refine((s) => !CONTROL_CHARACTERS.test(s), '分组名称不能包含换行或控制字符')),
    /** Stored as a UTC ISO instant; shown in Asia/Shanghai. */
    deadline: DeadlineSchema,
    reminders: z._default(ReminderPolicySchema, { daysBefore: DEFAULT_DAYS_BEFORE, daysAfter: DEFAULT_DAYS_AFTER }),
  }),
);
export type OfficeGroup = z.infer<typeof OfficeGroupSchema>;

export const CycleInputSchema = z.lazy(() =>
  z.object({
    year: YearSchema,
    groups: z.array(OfficeGroupSchema).check(z.minLength(1, '至少需要一个分组')),
    coordinatorEmails: z.array(EmailSchema).check(z.minLength(1, '至少需要一个政务公开办（管理员）的电子邮箱')),
    /** Accepted reports are published without a coordinator's click. */
    autoPublish: z._default(z.boolean(), false),
    /** The public year index also lists the offices that have published nothing yet (names only). */
    listUnpublished: z._default(z.boolean(), false),
    /** The 政务公开办's own name, contact person and phone: every e-mail carries them; the 落款 of its documents. */
    issuer: z.optional(z.string().check(z.trim(), z.maxLength(60, '政务公开办名称过长'), z.refine((s) => !CONTROL_CHARACTERS.test(s), '政务公开办名称不能包含换行或控制字符'))),
    contactPerson: z.optional(z.string().check(z.trim(), z.maxLength(50, '联系人过长'), z.refine((s) => !CONTROL_CHARACTERS.test(s), '联系人不能包含换行或控制字符'))),
    contactPhone: z.optional(z.string().check(z.trim(), z.maxLength(50, '电话过长'), z.refine((s) => !CONTROL_CHARACTERS.test(s), '电话不能包含换行或控制字符'))),
  }),
);
export type CycleInput = z.input<typeof CycleInputSchema>;

export interface Cycle {
  year: number;
  groups: OfficeGroup[];
  coordinatorEmails: string[];
  autoPublish: boolean;
  /** Absent on cycles stored before the setting existed: off. */
  listUnpublished?: boolean;
  /** The 政务公开办's name (落款), contact person and phone; absent on cycles stored before the settings existed. */
  issuer?: string;
  contactPerson?: string;
  contactPhone?: string;
  createdAt: string;
}

// ---- office ----

export const OfficeInputSchema = z.lazy(() =>
  z.object({
    id: OfficeIdSchema,
    // A name goes into e-mail subjects and lines: no line breaks or control characters (issue 13.3).
    name: z.string().check(
      z.trim(),
      z.minLength(1, '单位名称不能为空'),
      z.maxLength(100, '单位名称过长'),
      z.refine((s) => !CONTROL_CHARACTERS.test(s), '单位名称不能包含换行或控制字符'),
    ),
    group: z.string().check(z.trim(), z.minLength(1, '分组不能为空')),
    emails: z.array(EmailSchema).check(z.minLength(1, '至少需要一个电子邮箱')),
    /** The office's contact person and phone, from the list (shown to the coordinator, in the exports). */
    contact: z.optional(z.string().check(z.trim(), z.maxLength(50, '联系人过长'), z.refine((s) => !CONTROL_CHARACTERS.test(s), '联系人不能包含换行或控制字符'))),
    phone: z.optional(z.string().check(z.trim(), z.maxLength(50, '电话过长'), z.refine((s) => !CONTROL_CHARACTERS.test(s), '电话不能包含换行或控制字符'))),
  }),
);
export type OfficeInput = z.infer<typeof OfficeInputSchema>;

export { OFFICE_STATUSES, STATUS_LABELS, type OfficeStatus } from '../common/status';

/**
 * Allowed transitions, as data. RECEIVED → RECEIVED: a newer upload arrived while an older one was being
 * checked (the newer one becomes the office's current submission). ACCEPTED → RECEIVED: an accepted but not
 * yet published report is replaced by a new upload. PUBLISHED → RECEIVED: an amendment (the published
 * version stays public). ACCEPTED → RETURNED: the coordinator sends it back with a note. PUBLISHED → RETURNED:
 * the coordinator withdraws (撤回) the published version with a reason; it leaves the public listing and the
 * office uploads again (use-cases/withdraw-office.ts).
 */
export const TRANSITIONS: Record<OfficeStatus, readonly OfficeStatus[]> = {
  NOT_SUBMITTED: ['RECEIVED'],
  RECEIVED: ['ACCEPTED', 'REJECTED', 'RECEIVED'],
  ACCEPTED: ['PUBLISHED', 'RETURNED', 'RECEIVED'],
  // REJECTED → ACCEPTED: the coordinator waived the errors that rejected it (judgement.ts).
  REJECTED: ['RECEIVED', 'ACCEPTED'],
  PUBLISHED: ['RECEIVED', 'RETURNED'],
  RETURNED: ['RECEIVED'],
};

export function canTransition(from: OfficeStatus, to: OfficeStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Statuses in which an office still owes the coordinator an acceptable report (reminders go to these). */
export const OUTSTANDING_STATUSES: readonly OfficeStatus[] = ['NOT_SUBMITTED', 'REJECTED', 'RETURNED', 'RECEIVED'];

export interface Office extends OfficeInput {
  year: number;
  status: OfficeStatus;
  /** Incremented by every transition; transitions are conditional on it. */
  version: number;
  /** The office's current submission: the one with the latest receivedAt (not the latest event). */
  currentSubmissionId: string | null;
  currentReceivedAt: string | null;
  /** The current submission's upload id (the time-ordered tie-break when LastModified is equal). */
  currentUploadId?: string | null;
  /** The submission that is public; null before the first publication and after a withdrawal (撤回). */
  publishedSubmissionId: string | null;
  /** SHA-256 (hex) of the office's bearer token; null before a token was issued. */
  tokenHash: string | null;
  /** The coordinator's note when the report was returned. */
  note: string | null;
  /** When the office was last sent an invitation (its sign-in link); absent: never invited. */
  invitedAt?: string | null;
  /** When the office first signed in with its current token; reset when a new one is issued. */
  signedInAt?: string | null;
  updatedAt: string;
}

// ---- submissions ----

export type SubmissionState = 'received' | 'checked' | 'done';

export interface Submission {
  id: string;
  year: number;
  officeId: string;
  /** Where the original lies (incoming bucket). */
  key: string;
  versionId: string | null;
  etag: string | null;
  /** When S3 stored the object: the authoritative receipt time (deadlines, "latest wins"). */
  receivedAt: string;
  /** The server-chosen upload id in the key (a UUIDv7: when the ticket was issued); "latest wins" tie-break. */
  uploadId?: string | null;
  size: number;
  /** Hex SHA-256 of the original bytes; null until read (or when the file was too large to read). */
  sha256: string | null;
  fileName: string;
  state: SubmissionState;
  verdict: Verdict | null;
  findings: Finding[];
  formatVersion: '2019' | '2021' | null;
  /** Key of the canonical JSON in the incoming bucket (parsed/…); null when unreadable. */
  parsedKey: string | null;
  /** Set when an older upload's event arrived after a newer upload had become current. */
  supersededBy: string | null;
  /** When the verdict was reached. */
  checkedAt?: string | null;
  /** 1, 2, … when this submission became a public version (a correction is a new version). */
  publishedVersion?: number | null;
  publishedAt?: string | null;
  /** Set when the 政务公开办 withdrew (撤回) this published version: when, and why (use-cases/withdraw-office.ts). */
  withdrawnAt?: string | null;
  withdrawnReason?: string | null;
  /** Offices' explanations of warnings and coordinators' waivers (judgement.ts); absent: none. */
  judgements?: FindingJudgement[];
}

// ---- audit ----

export interface AuditEvent {
  year: number;
  officeId: string;
  at: string;
  /** 'office:<id>', 'coordinator', 'system'. */
  actor: string;
  action: string;
  from: OfficeStatus | null;
  to: OfficeStatus | null;
  submissionId: string | null;
  sha256: string | null;
  detail: string | null;
  /** Addresses this event marks undeliverable (a permanent bounce or a complaint). */
  undeliverable?: string[];
}

// ---- tokens ----

export type TokenRole = 'office' | 'coordinator';

export interface TokenRecord {
  hash: string;
  role: TokenRole;
  year: number | null;
  officeId: string | null;
  createdAt: string;
}

export type Principal = { role: 'coordinator' } | { role: 'office'; year: number; officeId: string };
