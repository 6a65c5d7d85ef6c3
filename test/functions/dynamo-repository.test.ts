/**
 * The DynamoDB repository against DynamoDB Local (the same table definition as the stack): conditional
 * transitions, create-if-absent, claims, token rotation, Query by status. Then the whole processing flow on it.
 */
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { CLAIM_RETENTION_DAYS } from '../../shared/resources';
import { VersionConflict } from '../../shared/cycle/ports';
import { processSubmission } from '../../shared/cycle/processing';
import { issueOfficeToken, authenticate } from '../../shared/cycle/service';
import { useDynamoLocal } from '../dynamo-local';
import { seeded, upload } from '../cycle/helpers';

const { freshRepo, client } = useDynamoLocal();

test('the processing flow on DynamoDB Local: statuses, audit, duplicates, out of order, Query by status', async () => {
  const repo = await freshRepo();
  const w = await seeded({ repo });
  expect((await repo.listCycles()).map((c) => c.year)).toEqual([2026]);
  expect((await repo.listOfficesByStatus(2026, 'NOT_SUBMITTED')).map((o) => o.id).sort()).toEqual(['fagai', 'jincheng']);

  const older = upload(w, 'fagai', 'OK', { at: Date.parse('2027-01-20T01:00:00Z') });
  const newer = upload(w, 'fagai', 'BAD', { at: Date.parse('2027-01-20T02:00:00Z') });
  await processSubmission(w.deps, newer);
  await processSubmission(w.deps, older);
  expect(await processSubmission(w.deps, newer)).toMatchObject({ outcome: 'duplicate' });
  const office = await repo.getOffice(2026, 'fagai');
  expect(office).toMatchObject({ status: 'REJECTED', version: 2 });
  expect((await repo.listOfficesByStatus(2026, 'REJECTED')).map((o) => o.id)).toEqual(['fagai']);
  expect((await repo.listOfficesByStatus(2026, 'NOT_SUBMITTED')).map((o) => o.id)).toEqual(['jincheng']);
  expect((await repo.listAudit(2026, 'fagai')).map((a) => a.to)).toEqual(['RECEIVED', 'REJECTED']);
  const subs = await repo.listSubmissions(2026, 'fagai');
  expect(subs.map((s) => [s.verdict, s.supersededBy === office!.currentSubmissionId])).toEqual([
    ['rejected', false],
    ['accepted', true],
  ]);
  expect(subs[0].findings[0]).toMatchObject({ rule: 'T3-01', expected: 10, actual: 9 });
  expect(w.mailer.sent).toHaveLength(2);

  // Re-importing keeps status and version.
  await repo.upsertOfficeData({ ...office!, name: '发改局（新名）', status: 'NOT_SUBMITTED', version: 0 });
  expect(await repo.getOffice(2026, 'fagai')).toMatchObject({ name: '发改局（新名）', status: 'REJECTED', version: 2 });
}, 60_000);

test('a claim is one conditional put: busy and done come back with the refusal; the claim expires (TTL)', async () => {
  const repo = await freshRepo();
  const commands: string[] = [];
  client().middlewareStack.add((next, context) => async (args) => (commands.push(String(context.commandName)), next(args)), { step: 'initialize', name: 'countCommands' });
  const now = new Date();
  try {
    expect(await repo.claimOnce('T', now, 60_000)).toBe('claimed');
    expect(await repo.claimOnce('T', now, 60_000)).toBe('busy');
    expect(commands).toEqual(['PutItemCommand', 'PutItemCommand']);
    await repo.completeClaim('T', now);
    commands.length = 0;
    expect(await repo.claimOnce('T', now, 60_000)).toBe('done');
    expect(commands).toEqual(['PutItemCommand']);
  } finally {
    client().middlewareStack.remove('countCommands');
  }
  const { Item } = await client().send(new GetItemCommand({ TableName: (repo as unknown as { table: string }).table, Key: { pk: { S: 'CLAIM#T' }, sk: { S: 'CLAIM' } } }));
  expect(Number(Item?.expiresAt?.N)).toBe(Math.floor(now.getTime() / 1000) + CLAIM_RETENTION_DAYS * 86_400);
});

test('conditional writes: a stale version loses, a claim is taken once, tokens rotate', async () => {
  const repo = await freshRepo();
  const w = await seeded({ repo });
  const o = (await repo.getOffice(2026, 'jincheng'))!;
  const audit = { year: 2026, officeId: 'jincheng', at: new Date().toISOString(), actor: 'test', action: 'x', from: null, to: null, submissionId: null, sha256: null, detail: null };
  await repo.transition({ year: 2026, officeId: 'jincheng', expectedVersion: o.version, set: { status: 'RECEIVED' }, audit });
  await expect(repo.transition({ year: 2026, officeId: 'jincheng', expectedVersion: o.version, set: { status: 'RECEIVED' }, audit })).rejects.toBeInstanceOf(
    VersionConflict,
  );
  expect((await repo.listAudit(2026, 'jincheng')).length).toBe(1);

  const now = new Date();
  expect(await repo.claimOnce('K', now, 60_000)).toBe('claimed');
  expect(await repo.claimOnce('K', now, 60_000)).toBe('busy');
  expect(await repo.claimOnce('K', new Date(now.getTime() + 61_000), 60_000)).toBe('claimed');
  await repo.completeClaim('K', now);
  expect(await repo.claimOnce('K', new Date(now.getTime() + 999_000), 60_000)).toBe('done');

  await repo.appendAudit(audit, 'D1');
  await repo.appendAudit(audit, 'D1');
  expect((await repo.listAudit(2026, 'jincheng')).length).toBe(2);

  const { token: t1 } = await issueOfficeToken(w.deps, 2026, 'jincheng');
  expect(await authenticate(w.deps, `Bearer ${t1}`)).toEqual({ role: 'office', year: 2026, officeId: 'jincheng' });
  const { token: t2 } = await issueOfficeToken(w.deps, 2026, 'jincheng');
  await expect(authenticate(w.deps, `Bearer ${t1}`)).rejects.toThrow('访问令牌');
  expect(await authenticate(w.deps, `Bearer ${t2}`)).toMatchObject({ officeId: 'jincheng' });
}, 60_000);

test('office contact and phone, invited-at and signed-in-at, and judgements on a submission persist', async () => {
  const repo = await freshRepo();
  const w = await seeded({ repo });
  const o = (await repo.getOffice(2026, 'fagai'))!;
  await repo.upsertOfficeData({ ...o, contact: '王芳', phone: '0931-1234567' });
  await repo.setOfficeAccess(2026, 'fagai', { invitedAt: '2027-01-20T02:00:00.000Z', signedInAt: null });
  expect(await repo.getOffice(2026, 'fagai')).toMatchObject({ contact: '王芳', phone: '0931-1234567', invitedAt: '2027-01-20T02:00:00.000Z', signedInAt: null, status: 'NOT_SUBMITTED' });
  await repo.setOfficeAccess(2026, 'fagai', { signedInAt: '2027-01-20T03:00:00.000Z' });
  expect(await repo.getOffice(2026, 'fagai')).toMatchObject({ invitedAt: '2027-01-20T02:00:00.000Z', signedInAt: '2027-01-20T03:00:00.000Z' });
  await expect(repo.setOfficeAccess(2026, 'nope', { signedInAt: 'x' })).rejects.toThrow();

  const { submissionId } = (await processSubmission(w.deps, upload(w, 'fagai', 'WARN'))) as { submissionId: string };
  const sub = (await repo.getSubmission(2026, 'fagai', submissionId))!;
  const judgements = [{ index: 0, rule: 'TXT-03', kind: 'explained' as const, text: '说明', by: 'office:fagai', at: '2027-01-20T04:00:00.000Z' }];
  await repo.updateSubmission({ ...sub, judgements });
  expect((await repo.getSubmission(2026, 'fagai', submissionId))?.judgements).toEqual(judgements);
}, 60_000);
