/**
 * What the workflow asks the e-mail renderer to write: the facts of each e-mail, and the port through which
 * shared/cycle reaches the renderer (shared/render/email.ts implements it). Here so that the workflow and
 * the renderers share these types without importing each other.
 */
import type { FindingJudgement } from '../common/judged';
import type { Finding, Verdict } from '../report/model';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** Who sends the cycle's e-mails: the 政务公开办's name, contact person and phone (the cycle's settings, each optional). */
export interface Sender {
  issuer?: string | null;
  contactPerson?: string | null;
  contactPhone?: string | null;
}

export interface ReceiptInput {
  year: number;
  officeName: string;
  submissionId: string;
  fileName: string;
  sha256: string | null;
  size: number;
  receivedAt: string;
  deadline: string;
  verdict: Verdict;
  findings: Finding[];
  /** Explanations and waivers of the findings: shown beside them (已豁免, 单位说明). */
  judgements?: FindingJudgement[];
  /** Set when a newer upload had already become the office's current submission. */
  supersededBy?: string | null;
  /** Where the office can look up its status (upload page), when known. */
  statusUrl?: string | null;
  /** The 政务公开办 (the footer of the e-mail). */
  sender?: Sender | null;
}

export interface ReminderInput {
  year: number;
  officeName: string;
  deadline: string;
  /** Calendar days (Asia/Shanghai) until the deadline (≥ 0) or past it (< 0). */
  daysLeft: number;
  statusLabel: string;
  /** The office page, where the office signs in with its token and uploads. */
  uploadUrl?: string | null;
  /** REJECTED: the latest submission's errors, to say what is wrong without opening the page. */
  errors?: number | null;
  /** RETURNED: the coordinator's note. */
  note?: string | null;
  /** Sent by hand from the dashboard rather than by the daily schedule. */
  manual?: boolean;
  /** The 政务公开办 (the footer of the e-mail). */
  sender?: Sender | null;
}

export interface DigestInput {
  year: number;
  /** The Shanghai calendar date of the run, YYYY-MM-DD. */
  date: string;
  /** Status label → number of offices, in display order. */
  counts: Record<string, number>;
  total: number;
  /** Reminders and overdue notices sent by this run. */
  remindersSent: number;
  overdue: { name: string; statusLabel: string; deadline: string; daysOverdue: number }[];
  rejected: { name: string; findings: Finding[]; errors: number }[];
  /** Offices whose contact addresses bounced or complained (SES events). */
  undeliverable?: { name: string; emails: string[] }[];
  dashboardUrl?: string | null;
  /** The 政务公开办 (the footer of the e-mail). */
  sender?: Sender | null;
}

export interface InvitationInput {
  year: number;
  officeName: string;
  deadline: string;
  /** The one-click sign-in link, the token in its fragment (never sent to a server, never in a log). */
  signInUrl: string;
  /** The national format the report follows, e.g. 国办公开办函〔2021〕30号. */
  formatNotice: string;
  maxMegabytes: number;
  /** Where to ask: the 政务公开办's addresses. */
  contacts: string[];
  /** A new link replaces an earlier one. */
  reissued: boolean;
  /** The 政务公开办 (the footer of the e-mail). */
  sender?: Sender | null;
}

export interface UndeliverableInput {
  year: number;
  officeName: string;
  officeId: string;
  emails: string[];
  kind: 'bounce' | 'complaint';
  mailKind: string;
  reason: string | null;
  dashboardUrl?: string | null;
  /** The 政务公开办 (the footer of the e-mail). */
  sender?: Sender | null;
}

export interface ReturnedInput {
  year: number;
  officeName: string;
  note: string;
  submissionId: string;
  /** The office page, where it uploads again. */
  uploadUrl?: string | null;
  sender?: Sender | null;
}

/** The office's report was published (publishOffice). */
export interface PublishedInput {
  year: number;
  officeName: string;
  submissionId: string;
  at: string;
  /** The office's public page. */
  pageUrl?: string | null;
  sender?: Sender | null;
}

/** The office's published report was withdrawn (撤回, withdrawOffice). */
export interface WithdrawnInput {
  year: number;
  officeName: string;
  submissionId: string;
  reason: string;
  at: string;
  uploadUrl?: string | null;
  sender?: Sender | null;
}

/** The e-mails of the cycle, each as subject, plain text and HTML. */
export interface EmailWriter {
  receiptEmail(input: ReceiptInput): RenderedEmail;
  reminderEmail(input: ReminderInput): RenderedEmail;
  digestEmail(input: DigestInput): RenderedEmail;
  undeliverableEmail(input: UndeliverableInput): RenderedEmail;
  returnedEmail(input: ReturnedInput): RenderedEmail;
  invitationEmail(input: InvitationInput): RenderedEmail;
  publishedEmail(input: PublishedInput): RenderedEmail;
  withdrawnEmail(input: WithdrawnInput): RenderedEmail;
}
