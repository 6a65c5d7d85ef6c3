/**
 * CycleRepository on one DynamoDB table (TABLE_DEFINITION in shared/resources.ts). Query only, never Scan.
 *
 * pk                              sk                      what
 * CYCLE#{year}                    META                    cycle settings; gsi1pk=CYCLES, gsi1sk={year}
 * CYCLE#{year}                    OFFICE#{officeId}       office: master data, status, version, current
 *                                                         submission; gsi1pk=CYCLE#{year}#STATUS#{status},
 *                                                         gsi1sk={officeId}
 * CYCLE#{year}#OFFICE#{officeId}  SUB#{submissionId}      submission: object, hash, verdict, findings
 * CYCLE#{year}#OFFICE#{officeId}  AUDIT#{at}#{suffix}     audit event (who, what, when, hash)
 * TOKEN#{sha256}                  TOKEN                   bearer token hash → role, year, office
 * CLAIM#{key}                     CLAIM                   once-only actions (receipts, reminders, digests);
 *                                                         expiresAt (TTL) a year after the claim
 * DEDUPE#{sha256(key)}            DEDUPE                  marks an audit event written without transition
 */
import { createHash, randomBytes } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { CLAIM_RETENTION_DAYS, TABLE_DEFINITION } from '../resources';
import type { AuditEvent, Cycle, Office, OfficeStatus, Submission, TokenRecord } from '../cycle/model';
import { compareUploads } from '../cycle/upload-id';
import { VersionConflict, type ClaimResult, type CycleRepository, type OfficeTransition } from '../cycle/ports';

const INDEX = TABLE_DEFINITION.indexes[0].name;

export const keys = {
  cycle: (year: number) => ({ pk: `CYCLE#${year}`, sk: 'META' }),
  office: (year: number, officeId: string) => ({ pk: `CYCLE#${year}`, sk: `OFFICE#${officeId}` }),
  officeStatus: (year: number, status: OfficeStatus) => `CYCLE#${year}#STATUS#${status}`,
  officeScope: (year: number, officeId: string) => `CYCLE#${year}#OFFICE#${officeId}`,
  submission: (year: number, officeId: string, id: string) => ({ pk: keys.officeScope(year, officeId), sk: `SUB#${id}` }),
  token: (hash: string) => ({ pk: `TOKEN#${hash}`, sk: 'TOKEN' }),
  claim: (key: string) => ({ pk: `CLAIM#${key}`, sk: 'CLAIM' }),
  dedupe: (key: string) => ({ pk: `DEDUPE#${createHash('sha256').update(key).digest('hex')}`, sk: 'DEDUPE' }),
};

const KEY_ATTRS = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'entity'];
function strip<T>(item: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) if (!KEY_ATTRS.includes(k)) out[k] = v;
  return out as T;
}

function isConditionFailure(e: unknown): boolean {
  const err = e as { name?: string; CancellationReasons?: { Code?: string }[] };
  if (err?.name === 'ConditionalCheckFailedException') return true;
  return err?.name === 'TransactionCanceledException' && !!err.CancellationReasons?.some((r) => r.Code === 'ConditionalCheckFailed');
}

export class DynamoRepository implements CycleRepository {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly table: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  private async queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const r = await this.doc.send(new QueryCommand({ ...input, TableName: this.table, ExclusiveStartKey }));
      items.push(...((r.Items ?? []) as Record<string, unknown>[]));
      ExclusiveStartKey = r.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  }

  private async get(key: { pk: string; sk: string }): Promise<Record<string, unknown> | null> {
    const r = await this.doc.send(new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }));
    return (r.Item as Record<string, unknown>) ?? null;
  }

  // ---- cycles ----

  async putCycle(cycle: Cycle) {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...keys.cycle(cycle.year), entity: 'cycle', gsi1pk: 'CYCLES', gsi1sk: String(cycle.year), ...cycle },
      }),
    );
  }
  async getCycle(year: number) {
    const item = await this.get(keys.cycle(year));
    return item ? strip<Cycle>(item) : null;
  }
  async listCycles() {
    const items = await this.queryAll({
      IndexName: INDEX,
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': 'CYCLES' },
    });
    // The index is eventually consistent and projects all attributes: good enough for a list.
    return items.map((i) => strip<Cycle>(i));
  }

  // ---- offices ----

  async upsertOfficeData(office: Office) {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.office(office.year, office.id),
        UpdateExpression:
          'SET #entity = :entity, #id = :id, #year = :year, #name = :name, #group = :group, emails = :emails, contact = :contact, phone = :phone, updatedAt = :now, ' +
          '#status = if_not_exists(#status, :status), version = if_not_exists(version, :zero), ' +
          'gsi1pk = if_not_exists(gsi1pk, :gsi1pk), gsi1sk = :id, ' +
          'currentSubmissionId = if_not_exists(currentSubmissionId, :null), currentReceivedAt = if_not_exists(currentReceivedAt, :null), ' +
          'publishedSubmissionId = if_not_exists(publishedSubmissionId, :null), tokenHash = if_not_exists(tokenHash, :null), note = if_not_exists(note, :null)',
        ExpressionAttributeNames: { '#entity': 'entity', '#id': 'id', '#year': 'year', '#name': 'name', '#group': 'group', '#status': 'status' },
        ExpressionAttributeValues: {
          ':entity': 'office',
          ':id': office.id,
          ':year': office.year,
          ':name': office.name,
          ':group': office.group,
          ':emails': office.emails,
          ':contact': office.contact ?? null,
          ':phone': office.phone ?? null,
          ':now': office.updatedAt,
          ':status': office.status,
          ':zero': office.version,
          ':gsi1pk': keys.officeStatus(office.year, office.status),
          ':null': null,
        },
      }),
    );
  }
  async getOffice(year: number, officeId: string) {
    const item = await this.get(keys.office(year, officeId));
    return item ? strip<Office>(item) : null;
  }
  async listOffices(year: number) {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': `CYCLE#${year}`, ':sk': 'OFFICE#' },
      ConsistentRead: true,
    });
    return items.map((i) => strip<Office>(i));
  }
  async listOfficesByStatus(year: number, status: OfficeStatus) {
    const items = await this.queryAll({
      IndexName: INDEX,
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': keys.officeStatus(year, status) },
    });
    // The index lags the table a little: keep only items really in that status.
    return items.map((i) => strip<Office>(i)).filter((o) => o.status === status);
  }
  async transition(t: OfficeTransition) {
    const set: Record<string, unknown> = { ...t.set, version: t.expectedVersion + 1, updatedAt: t.audit.at };
    if (t.set.status) set.gsi1pk = keys.officeStatus(t.year, t.set.status);
    const names: Record<string, string> = { '#v': 'version' };
    const values: Record<string, unknown> = { ':expected': t.expectedVersion };
    const parts = Object.entries(set).map(([k, v], i) => {
      names[`#f${i}`] = k;
      values[`:f${i}`] = v ?? null;
      return `#f${i} = :f${i}`;
    });
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: keys.office(t.year, t.officeId),
                UpdateExpression: `SET ${parts.join(', ')}`,
                ConditionExpression: '#v = :expected',
                ExpressionAttributeNames: names,
                ExpressionAttributeValues: values,
              },
            },
            { Put: { TableName: this.table, Item: this.auditItem(t.audit, `v${t.expectedVersion + 1}`) } },
          ],
        }),
      );
    } catch (e) {
      if (isConditionFailure(e)) throw new VersionConflict();
      throw e;
    }
    const office = await this.getOffice(t.year, t.officeId);
    if (!office) throw new Error('office vanished after transition');
    return office;
  }

  // ---- submissions ----

  async createSubmission(s: Submission) {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.submission(s.year, s.officeId, s.id), entity: 'submission', ...s },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { submission: s, created: true };
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
      const existing = await this.getSubmission(s.year, s.officeId, s.id);
      if (!existing) throw e;
      return { submission: existing, created: false };
    }
  }
  async getSubmission(year: number, officeId: string, id: string) {
    const item = await this.get(keys.submission(year, officeId, id));
    return item ? strip<Submission>(item) : null;
  }
  async updateSubmission(s: Submission) {
    await this.doc.send(new PutCommand({ TableName: this.table, Item: { ...keys.submission(s.year, s.officeId, s.id), entity: 'submission', ...s } }));
  }
  async listSubmissions(year: number, officeId: string) {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': keys.officeScope(year, officeId), ':sk': 'SUB#' },
      ConsistentRead: true,
    });
    return items
      .map((i) => strip<Submission>(i))
      .sort((a, b) => compareUploads(b, a));
  }

  // ---- audit ----

  private auditItem(e: AuditEvent, suffix: string) {
    return { pk: keys.officeScope(e.year, e.officeId), sk: `AUDIT#${e.at}#${suffix}`, entity: 'audit', ...e };
  }
  async appendAudit(event: AuditEvent, dedupeKey?: string) {
    const item = this.auditItem(event, randomBytes(6).toString('hex'));
    if (!dedupeKey) {
      await this.doc.send(new PutCommand({ TableName: this.table, Item: item }));
      return;
    }
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.table, Item: { ...keys.dedupe(dedupeKey), entity: 'dedupe', at: event.at }, ConditionExpression: 'attribute_not_exists(pk)' } },
            { Put: { TableName: this.table, Item: item } },
          ],
        }),
      );
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
    }
  }
  async listAudit(year: number, officeId: string) {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': keys.officeScope(year, officeId), ':sk': 'AUDIT#' },
    });
    return items.map((i) => strip<AuditEvent>(i));
  }

  // ---- tokens ----

  async putOfficeToken(record: TokenRecord & { year: number; officeId: string }, previousHash: string | null) {
    await this.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: this.table, Item: { ...keys.token(record.hash), entity: 'token', ...record } } },
          {
            Update: {
              TableName: this.table,
              Key: keys.office(record.year, record.officeId),
              UpdateExpression: 'SET tokenHash = :h',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeValues: { ':h': record.hash },
            },
          },
          ...(previousHash && previousHash !== record.hash ? [{ Delete: { TableName: this.table, Key: keys.token(previousHash) } }] : []),
        ],
      }),
    );
  }
  async setOfficeAccess(year: number, officeId: string, fields: Partial<Pick<Office, 'invitedAt' | 'signedInAt'>>) {
    const entries = Object.entries(fields);
    if (!entries.length) return;
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.office(year, officeId),
        UpdateExpression: `SET ${entries.map(([k]) => `${k} = :${k}`).join(', ')}`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: Object.fromEntries(entries.map(([k, v]) => [`:${k}`, v ?? null])),
      }),
    );
  }
  async putToken(record: TokenRecord) {
    await this.doc.send(new PutCommand({ TableName: this.table, Item: { ...keys.token(record.hash), entity: 'token', ...record } }));
  }
  async getToken(hash: string) {
    const item = await this.get(keys.token(hash));
    return item ? strip<TokenRecord>(item) : null;
  }

  // ---- once-only claims ----

  async claimOnce(key: string, now: Date, staleAfterMs: number): Promise<ClaimResult> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.claim(key), entity: 'claim', claimedAt: now.getTime(), done: false, [TABLE_DEFINITION.timeToLive]: Math.floor(now.getTime() / 1000) + CLAIM_RETENTION_DAYS * 86_400 },
          ConditionExpression: 'attribute_not_exists(pk) OR (done = :false AND claimedAt < :stale)',
          ExpressionAttributeValues: { ':false': false, ':stale': now.getTime() - staleAfterMs },
          // The claim that stood in the way comes back with the refusal: no second read to tell done from busy.
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'claimed';
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
      // The refusal's item is in the low-level format (the document client does not convert errors).
      return (e as { Item?: { done?: { BOOL?: boolean } } }).Item?.done?.BOOL ? 'done' : 'busy';
    }
  }
  async completeClaim(key: string, now: Date) {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.claim(key),
        UpdateExpression: 'SET done = :true, doneAt = :at',
        ExpressionAttributeValues: { ':true': true, ':at': now.getTime() },
      }),
    );
  }
  async isClaimed(key: string) {
    return (await this.get(keys.claim(key))) !== null;
  }
  async releaseClaim(key: string, claimedAt: Date) {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.table,
          Key: keys.claim(key),
          // Only our own, unfinished claim: not one completed or taken over by another delivery meanwhile.
          ConditionExpression: 'claimedAt = :at AND done = :false',
          ExpressionAttributeValues: { ':at': claimedAt.getTime(), ':false': false },
        }),
      );
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
    }
  }
}
