/**
 * A client of the running local system, used by the demo and the integration tests: it talks
 * HTTP to the API exactly as the web pages and offices do (Bearer tokens, presigned POST
 * uploads) and reads state back from the emulators themselves (DynamoDB, S3, SES).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- JSON from the API and items from the emulators, read by tests that know their shape */
import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { PUBLIC_PREFIX, TABLE_DEFINITION } from '../shared/resources';
import { keys } from '../shared/aws/dynamo-repository';
import type { Endpoints } from './runtime';
import { sentMails, type SentMail } from './ses';
import type { QueueStats } from './sqs';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface UploadTicket {
  url: string;
  fields: Record<string, string>;
  key: string;
  /** Time-ordered (UUIDv7): the later ticket wins over an upload stored in the same second. */
  uploadId?: string;
  contentType?: string;
  maxBytes?: number;
  expiresAt?: string;
}

export function readEndpoints(file: string): Endpoints {
  return JSON.parse(readFileSync(file, 'utf8')) as Endpoints;
}

export const STATUSES = ['NOT_SUBMITTED', 'RECEIVED', 'ACCEPTED', 'REJECTED', 'PUBLISHED', 'RETURNED'] as const;

export class LocalClient {
  readonly dynamo: DynamoDBDocumentClient;
  readonly s3: S3Client;

  constructor(readonly endpoints: Endpoints) {
    const common = { region: endpoints.region, credentials: endpoints.credentials };
    this.dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({ ...common, endpoint: endpoints.dynamodb }));
    this.s3 = new S3Client({ ...common, endpoint: endpoints.s3, forcePathStyle: true });
  }

  /** Authorization for the local-only admin endpoints (/_local/…). */
  get admin(): Record<string, string> {
    return { authorization: `Bearer ${this.endpoints.adminSecret}` };
  }

  get coordinator(): string {
    return this.endpoints.coordinatorToken;
  }

  async api<T = any>(method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    const res = await fetch(`${this.endpoints.api}${path}`, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  /** A file as the request body, byte for byte (application/octet-stream), as the dashboard's import sends a list. */
  async postFile<T = any>(path: string, token: string, bytes: Uint8Array): Promise<T> {
    const res = await fetch(`${this.endpoints.api}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
      body: bytes as Uint8Array<ArrayBuffer>,
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`POST ${path} → HTTP ${res.status}: ${text}`);
    return JSON.parse(text) as T;
  }

  /** Like api(), but throws with the server's message unless the status is 2xx. */
  async ok<T = any>(method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<T> {
    const r = await this.api<T>(method, path, options);
    if (r.status < 200 || r.status > 299) throw new Error(`${method} ${path} → HTTP ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body;
  }

  async requestUpload(year: number, officeId: string, token: string, fileName: string): Promise<ApiResponse<UploadTicket>> {
    return this.api<UploadTicket>('POST', `/cycles/${year}/offices/${officeId}/uploads`, { token, body: { fileName } });
  }

  /** The browser's form POST: every ticket field, then the file (S3 ignores fields after it). */
  async postUpload(ticket: UploadTicket, bytes: Uint8Array, fileName: string): Promise<{ status: number; text: string }> {
    const form = new FormData();
    for (const [k, v] of Object.entries(ticket.fields)) form.append(k, v);
    const type = ticket.fields['Content-Type'] ?? ticket.contentType ?? 'application/octet-stream';
    form.append('file', new Blob([bytes as Uint8Array<ArrayBuffer>], { type }), fileName);
    const res = await fetch(ticket.url, { method: 'POST', body: form });
    return { status: res.status, text: await res.text() };
  }

  /** Waits (up to a minute) until every asynchronous invocation (processing, retries, archiving) has finished and the reminder queue is empty. */
  async idle(): Promise<{
    lambda: { invocations: number; failures: number; retries: number; deadLetters: number; inflight: number };
    s3Events: number;
    mail: { queued: number; queue: QueueStats; ses: { accepted: number; throttled: number; peakPerSecond: number } };
  }> {
    const res = await fetch(`${this.endpoints.api}/_local/idle`, { headers: this.admin });
    return (await res.json()) as never;
  }

  async redeliver(key: string, copies = 1): Promise<number> {
    const res = await fetch(`${this.endpoints.api}/_local/s3/redeliver`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...this.admin },
      body: JSON.stringify({ key, copies }),
    });
    return res.status;
  }

  /** The reconciliation sweep, now (`minAgeSeconds` 0: every object, however recent). */
  async reconcile(options: { year?: number; minAgeSeconds?: number } = {}): Promise<{ status: number; body: any }> {
    return this.local('POST', '/_local/reconcile', options);
  }

  /** What the asynchronous invocations parked after their retries. */
  async deadLetters(): Promise<Array<{ function: string; attempts: number; errors: string[]; event: any }>> {
    return (await this.local('GET', '/_local/dead-letters')).body.deadLetters;
  }

  /** Invokes every dead-lettered event again (like redriving the queue). */
  async replayDeadLetters(): Promise<number> {
    return (await this.local('POST', '/_local/dead-letters/replay', {})).body.replayed;
  }

  /** Local-only admin calls (/_local/…): JSON in, JSON out. */
  async local(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const res = await fetch(`${this.endpoints.api}${path}`, {
      method,
      headers: body === undefined ? this.admin : { 'content-type': 'application/json', ...this.admin },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }

  async tick(time?: string): Promise<any> {
    const res = await fetch(`${this.endpoints.api}/_local/tick`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...this.admin },
      body: JSON.stringify(time ? { time } : {}),
    });
    if (!res.ok) throw new Error(`tick: HTTP ${res.status} ${await res.text()}`);
    return res.json();
  }

  mails(): Promise<SentMail[]> {
    return sentMails(this.endpoints.ses);
  }

  /** Offices per status, from the byStatus index (a Query per status, as the reminders do). */
  async statusCounts(year: number): Promise<Record<string, number>> {
    const index = TABLE_DEFINITION.indexes[0];
    const counts: Record<string, number> = {};
    for (const status of STATUSES) {
      let n = 0;
      let start: Record<string, unknown> | undefined;
      do {
        const r = await this.dynamo.send(
          new QueryCommand({
            TableName: this.endpoints.table,
            IndexName: index.name,
            KeyConditionExpression: '#pk = :pk',
            ExpressionAttributeNames: { '#pk': index.partitionKey },
            ExpressionAttributeValues: { ':pk': `CYCLE#${year}#STATUS#${status}` },
            Select: 'COUNT',
            ExclusiveStartKey: start,
          }),
        );
        n += r.Count ?? 0;
        start = r.LastEvaluatedKey;
      } while (start);
      if (n) counts[status] = n;
    }
    return counts;
  }

  private async queryAll(input: { pk: string; skPrefix: string }): Promise<Record<string, any>[]> {
    const items: Record<string, any>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const r = await this.dynamo.send(
        new QueryCommand({
          TableName: this.endpoints.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
          ExpressionAttributeValues: { ':pk': input.pk, ':sk': input.skPrefix },
          ExclusiveStartKey: start,
        }),
      );
      items.push(...(r.Items ?? []));
      start = r.LastEvaluatedKey;
    } while (start);
    return items;
  }

  /** The office items of a cycle, straight from the table. */
  offices(year: number): Promise<Record<string, any>[]> {
    return this.queryAll({ pk: keys.cycle(year).pk, skPrefix: 'OFFICE#' });
  }

  /** An office's audit trail, oldest first, straight from the table. */
  audit(year: number, officeId: string): Promise<Record<string, any>[]> {
    return this.queryAll({ pk: keys.officeScope(year, officeId), skPrefix: 'AUDIT#' });
  }

  /** Published report PDFs in the archive bucket for a year (one per published version). */
  async archivedPdfs(year: number): Promise<string[]> {
    return (await this.listKeys(this.endpoints.buckets.archive, `${PUBLIC_PREFIX}${year}/`)).filter((k) => /\/v\d+\/report\.pdf$/.test(k));
  }

  /** Every item of the table (diagnostics and tests only: the system itself never scans). */
  async scanAll(): Promise<Record<string, any>[]> {
    const items: Record<string, any>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const r = await this.dynamo.send(new ScanCommand({ TableName: this.endpoints.table, ExclusiveStartKey: start }));
      items.push(...(r.Items ?? []));
      start = r.LastEvaluatedKey;
    } while (start);
    return items;
  }

  async listKeys(bucket: string, prefix = ''): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const r = await this.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
      keys.push(...(r.Contents ?? []).map((o) => o.Key!));
      token = r.IsTruncated ? r.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }

  destroy(): void {
    this.dynamo.destroy();
    this.s3.destroy();
  }
}
