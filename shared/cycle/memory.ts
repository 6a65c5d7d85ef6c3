/**
 * In-memory implementations of the ports, with the same semantics as the DynamoDB/S3/SES adapters
 * (conditional writes, create-if-absent, once-only claims). For unit tests and tools that need no AWS.
 */
import { createHash } from 'node:crypto';
import type { AuditEvent, Cycle, Office, OfficeStatus, Submission, TokenRecord } from './model';
import { compareUploads } from './upload-id';
import {
  VersionConflict,
  type ClaimResult,
  type CycleRepository,
  type FileStore,
  type MailMessage,
  type Mailer,
  type OfficeTransition,
  type PresignedPost,
  type PutOptions,
  type StoredObjectInfo,
} from './ports';

const clone = <T>(x: T): T => structuredClone(x);

export class MemoryRepository implements CycleRepository {
  cycles = new Map<number, Cycle>();
  offices = new Map<string, Office>();
  submissions = new Map<string, Submission>();
  audit: AuditEvent[] = [];
  auditKeys = new Set<string>();
  tokens = new Map<string, TokenRecord>();
  claims = new Map<string, { at: number; done: boolean }>();

  private ok(year: number, id: string) {
    return `${year}/${id}`;
  }

  async putCycle(cycle: Cycle) {
    this.cycles.set(cycle.year, clone(cycle));
  }
  async getCycle(year: number) {
    const c = this.cycles.get(year);
    return c ? clone(c) : null;
  }
  async listCycles() {
    return [...this.cycles.values()].map(clone);
  }

  async upsertOfficeData(office: Office) {
    const existing = this.offices.get(this.ok(office.year, office.id));
    this.offices.set(
      this.ok(office.year, office.id),
      existing
        ? { ...existing, name: office.name, group: office.group, emails: [...office.emails], contact: office.contact, phone: office.phone, updatedAt: office.updatedAt }
        : clone(office),
    );
  }
  async getOffice(year: number, officeId: string) {
    const o = this.offices.get(this.ok(year, officeId));
    return o ? clone(o) : null;
  }
  async listOffices(year: number) {
    return [...this.offices.values()].filter((o) => o.year === year).sort((a, b) => a.id.localeCompare(b.id)).map(clone);
  }
  async listOfficesByStatus(year: number, status: OfficeStatus) {
    return (await this.listOffices(year)).filter((o) => o.status === status);
  }
  async transition(t: OfficeTransition) {
    const o = this.offices.get(this.ok(t.year, t.officeId));
    if (!o || o.version !== t.expectedVersion) throw new VersionConflict();
    const next: Office = { ...o, ...t.set, version: o.version + 1, updatedAt: t.audit.at };
    this.offices.set(this.ok(t.year, t.officeId), next);
    this.audit.push(clone(t.audit));
    return clone(next);
  }

  private sk(year: number, officeId: string, id: string) {
    return `${year}/${officeId}/${id}`;
  }
  async createSubmission(s: Submission) {
    const k = this.sk(s.year, s.officeId, s.id);
    const existing = this.submissions.get(k);
    if (existing) return { submission: clone(existing), created: false };
    this.submissions.set(k, clone(s));
    return { submission: clone(s), created: true };
  }
  async getSubmission(year: number, officeId: string, id: string) {
    const s = this.submissions.get(this.sk(year, officeId, id));
    return s ? clone(s) : null;
  }
  async updateSubmission(s: Submission) {
    this.submissions.set(this.sk(s.year, s.officeId, s.id), clone(s));
  }
  async listSubmissions(year: number, officeId: string) {
    return [...this.submissions.values()]
      .filter((s) => s.year === year && s.officeId === officeId)
      .sort((a, b) => compareUploads(b, a))
      .map(clone);
  }

  async appendAudit(event: AuditEvent, dedupeKey?: string) {
    if (dedupeKey) {
      if (this.auditKeys.has(dedupeKey)) return;
      this.auditKeys.add(dedupeKey);
    }
    this.audit.push(clone(event));
  }
  async listAudit(year: number, officeId: string) {
    return this.audit.filter((e) => e.year === year && e.officeId === officeId).map(clone);
  }

  async putOfficeToken(record: TokenRecord & { year: number; officeId: string }, previousHash: string | null) {
    if (previousHash) this.tokens.delete(previousHash);
    this.tokens.set(record.hash, clone(record));
    const o = this.offices.get(this.ok(record.year, record.officeId));
    if (o) o.tokenHash = record.hash;
  }
  async setOfficeAccess(year: number, officeId: string, fields: Partial<Pick<Office, 'invitedAt' | 'signedInAt'>>) {
    const o = this.offices.get(this.ok(year, officeId));
    if (o) Object.assign(o, clone(fields));
  }
  async putToken(record: TokenRecord) {
    this.tokens.set(record.hash, clone(record));
  }
  async getToken(hash: string) {
    const t = this.tokens.get(hash);
    return t ? clone(t) : null;
  }

  async claimOnce(key: string, now: Date, staleAfterMs: number): Promise<ClaimResult> {
    const c = this.claims.get(key);
    if (c?.done) return 'done';
    if (c && now.getTime() - c.at < staleAfterMs) return 'busy';
    this.claims.set(key, { at: now.getTime(), done: false });
    return 'claimed';
  }
  async isClaimed(key: string) {
    return this.claims.has(key);
  }
  async completeClaim(key: string) {
    const c = this.claims.get(key);
    if (c) c.done = true;
  }
  async releaseClaim(key: string, claimedAt: Date) {
    const c = this.claims.get(key);
    if (c && !c.done && c.at === claimedAt.getTime()) this.claims.delete(key);
  }
}

interface MemoryObject {
  bytes: Uint8Array;
  info: StoredObjectInfo;
}

export class MemoryFileStore implements FileStore {
  objects = new Map<string, MemoryObject>();
  posts: Parameters<FileStore['presignPost']>[0][] = [];

  constructor(
    private readonly clock: { now(): Date } = { now: () => new Date() },
    readonly bucket = 'memory',
  ) {}

  /** What an upload through a presigned POST leaves behind. */
  putObject(key: string, body: Uint8Array | string, options: { lastModified?: Date; fileName?: string; versionId?: string } = {}): StoredObjectInfo {
    const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
    const info: StoredObjectInfo = {
      key,
      size: bytes.length,
      etag: `"${createHash('md5').update(bytes).digest('hex')}"`,
      versionId: options.versionId ?? null,
      lastModified: options.lastModified ?? this.clock.now(),
      contentType: null,
      fileName: options.fileName ?? null,
    };
    this.objects.set(key, { bytes, info });
    return info;
  }

  async list(prefix: string) {
    return [...this.objects.values()]
      .filter((o) => o.info.key.startsWith(prefix))
      .sort((a, b) => (a.info.key < b.info.key ? -1 : 1))
      .map((o) => ({ ...o.info, fileName: null, contentType: null }));
  }
  async head(key: string) {
    const o = this.objects.get(key);
    return o ? { ...o.info } : null;
  }
  async get(key: string) {
    const o = this.objects.get(key);
    return o ? { info: { ...o.info }, bytes: o.bytes } : null;
  }
  async put(key: string, body: Uint8Array | string, contentType: string, options: PutOptions = {}) {
    this.putObject(key, body);
    this.objects.get(key)!.info.contentType = contentType;
    if (options.contentDisposition) this.objects.get(key)!.info.contentDisposition = options.contentDisposition;
  }
  async presignPost(input: Parameters<FileStore['presignPost']>[0]): Promise<PresignedPost> {
    this.posts.push(input);
    return {
      url: `https://${this.bucket}.example/`,
      fields: { key: input.key, 'Content-Type': input.contentType },
      expiresAt: new Date(this.clock.now().getTime() + input.expiresSeconds * 1000).toISOString(),
    };
  }
}

export class MemoryMailer implements Mailer {
  sent: MailMessage[] = [];
  failNext = 0;
  async send(message: MailMessage) {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('mail service unavailable');
    }
    this.sent.push(structuredClone(message));
    return { messageId: `m-${this.sent.length}` };
  }
}
