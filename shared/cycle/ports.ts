/**
 * Ports: what the cycle domain needs from the outside world. Implemented by shared/aws (DynamoDB, S3,
 * SES, Lambda) and by in-memory fakes (./memory.ts) for tests.
 */
import type { AuditEvent, Cycle, Office, OfficeStatus, Submission, TokenRecord } from './model';

/** A transition lost the race: the office's version changed since it was read. */
export class VersionConflict extends Error {
  constructor() {
    super('version conflict');
    this.name = 'VersionConflict';
  }
}

export interface OfficeTransition {
  year: number;
  officeId: string;
  /** The office's version as read; the write fails with VersionConflict if it moved. */
  expectedVersion: number;
  /** Fields to set besides status/version/updatedAt. */
  set: Partial<Pick<Office, 'status' | 'currentSubmissionId' | 'currentReceivedAt' | 'currentUploadId' | 'publishedSubmissionId' | 'note'>>;
  /** Appended in the same atomic write. */
  audit: AuditEvent;
}

/** Outcome of a once-only claim (reminders, receipts): see claimOnce. */
/** claimed: go ahead; done: someone completed it; busy: someone claimed it recently and has not completed yet. */
export type ClaimResult = 'claimed' | 'done' | 'busy';

/** The cycles: settings that change once a year. */
export interface CycleStore {
  putCycle(cycle: Cycle): Promise<void>;
  getCycle(year: number): Promise<Cycle | null>;
  listCycles(): Promise<Cycle[]>;
}

/** The offices of a cycle: master data, and the status that moves only by transition. */
export interface OfficeStore {
  /** Creates or updates the office's master data (name, group, e-mails); never touches status/version. */
  upsertOfficeData(office: Office): Promise<void>;
  getOffice(year: number, officeId: string): Promise<Office | null>;
  listOffices(year: number): Promise<Office[]>;
  /** Offices of a cycle in one status (a Query on the byStatus index). */
  listOfficesByStatus(year: number, status: OfficeStatus): Promise<Office[]>;
  /** Conditional on expectedVersion; sets version+1; appends the audit event atomically. */
  transition(t: OfficeTransition): Promise<Office>;
}

/** The submissions of an office: one per uploaded object version. */
export interface SubmissionStore {
  /** Creates the submission if absent; returns the stored one either way (created=false: it existed). */
  createSubmission(s: Submission): Promise<{ submission: Submission; created: boolean }>;
  getSubmission(year: number, officeId: string, id: string): Promise<Submission | null>;
  updateSubmission(s: Submission): Promise<void>;
  /** Newest first by receivedAt. */
  listSubmissions(year: number, officeId: string): Promise<Submission[]>;
}

/** The audit trail of an office (transitions append theirs through OfficeStore.transition). */
export interface AuditLog {
  /** Appends an audit event unless one with the same dedupe key exists (for events without a transition). */
  appendAudit(event: AuditEvent, dedupeKey?: string): Promise<void>;
  listAudit(year: number, officeId: string): Promise<AuditEvent[]>;
}

/** Bearer tokens, by the SHA-256 of the token (the token itself is never stored). */
export interface TokenStore {
  /** Replaces the office's token: stores the new hash, deletes the old one. */
  putOfficeToken(record: TokenRecord & { year: number; officeId: string }, previousHash: string | null): Promise<void>;
  putToken(record: TokenRecord): Promise<void>;
  /** Sets when the office was invited / first signed in (invitations.ts); other fields stay. */
  setOfficeAccess(year: number, officeId: string, fields: Partial<Pick<Office, 'invitedAt' | 'signedInAt'>>): Promise<void>;
  getToken(hash: string): Promise<TokenRecord | null>;
}

/** Claims of once-only actions (./once.ts is the protocol on top of them). */
export interface ClaimStore {
  /**
   * Claims a once-only action (e.g. "receipt for submission X", "reminder 3 days before for office Y").
   * 'done' / 'busy' if someone already claimed it, unless the claim is older than staleAfterMs and was never
   * completed (a crashed sender), in which case it is taken over.
   */
  claimOnce(key: string, now: Date, staleAfterMs: number): Promise<ClaimResult>;
  completeClaim(key: string, now: Date): Promise<void>;
  /**
   * Gives up a claim taken at `claimedAt` that was not completed (the action failed), so a retry may take it
   * at once instead of waiting for it to go stale. No effect if it was completed or taken over meanwhile.
   */
  releaseClaim(key: string, claimedAt: Date): Promise<void>;
  /** Whether anyone has claimed the action (done or under way): what a dry run would skip. */
  isClaimed(key: string): Promise<boolean>;
}

/**
 * Every store in one: what the adapters implement (one DynamoDB table, one set of in-memory maps) and what
 * the long workflows (processing, archive, reminders, the sweep) use. A use case that needs less names only
 * the ports it uses (see Uses in ./deps.ts).
 */
export interface CycleRepository extends CycleStore, OfficeStore, SubmissionStore, AuditLog, TokenStore, ClaimStore {}

export interface StoredObjectInfo {
  key: string;
  size: number;
  etag: string | null;
  versionId: string | null;
  lastModified: Date;
  contentType: string | null;
  /** The uploader's original file name, when the upload carried it. */
  fileName: string | null;
  /** The object's stored Content-Disposition, when it has one (an archived original: attachment). */
  contentDisposition?: string | null;
}

export interface PutOptions {
  /** Stored on the object and sent with it (S3 Content-Disposition), e.g. `attachment` for an office's original. */
  contentDisposition?: string;
}

export interface PresignedPost {
  url: string;
  fields: Record<string, string>;
  expiresAt: string;
}

export interface FileStore {
  /** The bucket's name (part of the identity of an uploaded object: see submissionIdFor). */
  readonly bucket: string;
  /** Every object under a prefix (latest versions), in key order: what the reconciliation sweep compares. */
  list(prefix: string): Promise<StoredObjectInfo[]>;
  head(key: string, versionId?: string | null): Promise<StoredObjectInfo | null>;
  get(key: string, versionId?: string | null): Promise<{ info: StoredObjectInfo; bytes: Uint8Array } | null>;
  put(key: string, body: Uint8Array | string, contentType: string, options?: PutOptions): Promise<void>;
  /** A browser form upload to exactly this key, size-limited by the policy. */
  presignPost(input: {
    key: string;
    contentType: string;
    minBytes: number;
    maxBytes: number;
    expiresSeconds: number;
    /** The office's file name, kept as object metadata (for the receipt). */
    fileName?: string;
  }): Promise<PresignedPost>;
}

export interface MailMessage {
  to: string[];
  cc?: string[];
  subject: string;
  text: string;
  html: string;
  /** Become SES message tags, so bounces can be traced back to an office. */
  tags?: Record<string, string>;
}

export interface Mailer {
  /** Throws MailThrottled when the mail service refuses for its sending rate or quota. */
  send(message: MailMessage): Promise<{ messageId: string }>;
}

/** The mail service refused for its sending rate or daily quota (SES throttling): send later, nothing is lost. */
export class MailThrottled extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MailThrottled';
  }
}

/** An e-mail of the daily reminder run, to be delivered later (reminders.ts deliverReminderJob). */
export type ReminderJob =
  | { kind: 'reminder'; year: number; officeId: string; slot: string; /** The run's instant. */ at: string }
  | { kind: 'digest'; year: number; at: string; remindersSent: number };

/** Where the daily run puts its e-mails: SQS in AWS, drained at the configured rate (functions/mail-sender). */
export interface ReminderQueue {
  enqueue(jobs: ReminderJob[]): Promise<void>;
}

/** Asks for an accepted/published submission to be archived (asynchronously in AWS). */
export interface ArchiveTrigger {
  requestArchive(ref: { year: number; officeId: string; submissionId: string }): Promise<void>;
  /** Asks for the year's 本级 report to be published in the public record (the archive function writes public/). */
  requestAggregate?(ref: { year: number; includeAccepted?: boolean; name?: string; umbrella?: string[] }): Promise<void>;
}

/**
 * What happened, counted: CloudWatch metrics in AWS (shared/aws/observe.ts), where the alarms are built.
 * - SubmissionAccepted / SubmissionRejected: verdicts; DuplicateDelivery: a delivery that found the work done;
 * - ReceiptSent, RemindersSent, DigestsSent: e-mails that went out; MailUndeliverable: contacts marked so;
 * - ClaimBusy: a once-only action found another worker holding its claim;
 * - SweepFixed: uploads the reconciliation sweep processed and archive steps it requested again;
 *   SweepFailed: uploads that failed again;
 * - Failed: an invocation that threw (per function: the `service` dimension; archive failures are those of
 *   nianbao-archive).
 */
export type Metric =
  | 'SubmissionAccepted'
  | 'SubmissionRejected'
  | 'DuplicateDelivery'
  | 'ReceiptSent'
  | 'RemindersSent'
  | 'RemindersQueued'
  | 'MailThrottled'
  | 'DigestsSent'
  | 'MailUndeliverable'
  | 'ClaimBusy'
  | 'SweepFixed'
  | 'SweepFailed'
  | 'Failed';

export type Counter = (metric: Metric, n?: number) => void;

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
