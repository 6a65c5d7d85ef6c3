/**
 * Many uploads at once, through the real presigned POST on the local runtime: 50 from one office, and one
 * each from 30 offices. Afterwards the state must be consistent (the latest upload is current and decides
 * the status), every version kept (a submission per upload, the original in S3), the audit trail complete
 * (a chain of transitions with contiguous version numbers) and exactly one receipt per submission.
 */
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import type { LocalClient } from '../../local/client';
import { cleanReportFor, defectiveReportFor } from '../../local/fixtures';
import { compareUploads } from '../../shared/cycle/upload-id';
import { figure } from '../figures';
import { localClient, officeView, setupCycle, upload } from './helpers';

// The clean fixture is a 2020 report: a cycle of another year would reject it (wrong year).
const YEAR = 2020;
const ONE = { id: 'cc-one', name: '青峰区并发测试局', email: 'cc-one@example.gov.cn' };
const SAME = Array.from({ length: 6 }, (_, i) => ({ id: `cc-s${i}`, name: `青峰区同秒测试局${i}`, email: `cc-s${i}@example.gov.cn` }));
const MANY = Array.from({ length: 30 }, (_, i) => ({ id: `cc-m${String(i).padStart(2, '0')}`, name: `青峰区第${i + 1}测试局`, email: `cc-m${i}@example.gov.cn` }));

let c: LocalClient;
let tokens: Record<string, string>;

beforeAll(async () => {
  c = localClient();
  tokens = await setupCycle(c, YEAR, [ONE, ...SAME, ...MANY]);
});
afterAll(() => c.destroy());

const receiptIds = (mails: Awaited<ReturnType<LocalClient['mails']>>, email: string) =>
  mails.filter((m) => m.destination.to.includes(email)).map((m) => /提交编号 (\d{4}-[0-9A-F]{12})/.exec(m.subject)?.[1] ?? `?${m.subject}`);

/** Transitions form a chain and carry versions 1..n, each once (the audit item's sort key ends in #v{n}). */
async function expectCompleteAudit(officeId: string, version: number) {
  const audit = (await c.audit(YEAR, officeId)).filter((e) => e.to);
  const versions = audit.map((e) => Number(/#v(\d+)$/.exec(e.sk)?.[1])).sort((a, b) => a - b);
  expect(versions).toEqual(Array.from({ length: version }, (_, i) => i + 1));
  const byVersion = [...audit].sort((a, b) => Number(/#v(\d+)$/.exec(a.sk)![1]) - Number(/#v(\d+)$/.exec(b.sk)![1]));
  expect(byVersion[0].from).toBe('NOT_SUBMITTED');
  for (let i = 1; i < byVersion.length; i++) expect(byVersion[i].from).toBe(byVersion[i - 1].to);
  return byVersion;
}

const lastModified = async (key: string) =>
  (await c.s3.send(new HeadObjectCommand({ Bucket: c.endpoints.buckets.incoming, Key: key }))).LastModified!.toISOString();

describe('two uploads stored in the same second (S3 LastModified has one-second resolution)', () => {
  it.each([
    ['in ticket order', false],
    ['the earlier ticket stored (and its event sent) last', true],
  ])('%s: the later ticket wins', async (_name, reversed) => {
    // Uploads a person makes are seconds apart; here both must land in one second, so start early in a
    // second and try again with the next office on the rare run that straddles a boundary.
    for (const o of SAME.slice(reversed ? 3 : 0, reversed ? 6 : 3)) {
      const first = (await c.requestUpload(YEAR, o.id, tokens[o.id], '初稿.txt')).body;
      const second = (await c.requestUpload(YEAR, o.id, tokens[o.id], '更正稿.txt')).body;
      expect(second.uploadId! > first.uploadId!).toBe(true);
      const [bad, good] = [defectiveReportFor(o.name), cleanReportFor(o.name)];
      await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 5));
      if (reversed) {
        expect((await c.postUpload(second, good, '更正稿.txt')).status).toBe(204);
        expect((await c.postUpload(first, bad, '初稿.txt')).status).toBe(204);
      } else {
        expect((await c.postUpload(first, bad, '初稿.txt')).status).toBe(204);
        expect((await c.postUpload(second, good, '更正稿.txt')).status).toBe(204);
      }
      await c.idle();
      if ((await lastModified(first.key)) !== (await lastModified(second.key))) continue; // straddled a second
      const view = await officeView(c, YEAR, o.id);
      expect(view.office.status).toBe('ACCEPTED');
      expect(view.submissions.map((s: { fileName: string; current: boolean }) => [s.fileName, s.current])).toEqual([
        ['更正稿.txt', true],
        ['初稿.txt', false],
      ]);
      figure('same-second', { case: _name, lastModified: await lastModified(first.key), attempts: SAME.indexOf(o) % 3 + 1 });
      return;
    }
    throw new Error('three attempts straddled a second boundary');
  });
});

describe('concurrent uploads through the presigned POST', () => {
  it('50 uploads from one office at once: the latest is current, all 50 kept, audit complete, 50 receipts', async () => {
    const N = 50;
    const t0 = Date.now();
    const before = await c.idle();
    // Every other upload is defective: the winner's verdict must be the office's status.
    const bodies = Array.from({ length: N }, (_, i) => (i % 2 ? cleanReportFor(ONE.name) : defectiveReportFor(ONE.name)));
    const results = await Promise.all(bodies.map((b, i) => upload(c, YEAR, ONE.id, tokens[ONE.id], b, `并发-${i}.txt`)));
    expect(results.map((r) => r.posted.status)).toEqual(Array(N).fill(204));
    const after = await c.idle();
    expect(after.lambda.deadLetters).toBe(before.lambda.deadLetters);

    // Every original is in S3, under its own server-chosen key.
    const keys = await c.listKeys(c.endpoints.buckets.incoming, `incoming/${YEAR}/${ONE.id}/`);
    expect(keys.sort()).toEqual(results.map((r) => r.ticket.key).sort());

    // The newest by S3's LastModified, then by the (time-ordered) upload id of the ticket.
    const stored = await Promise.all(
      results.map(async (r, i) => {
        const head = await c.s3.send(new HeadObjectCommand({ Bucket: c.endpoints.buckets.incoming, Key: r.ticket.key }));
        return { i, receivedAt: head.LastModified!.toISOString(), uploadId: r.ticket.uploadId!, id: r.ticket.key };
      }),
    );
    const newest = stored.reduce((a, b) => (compareUploads(a, b) >= 0 ? a : b));

    const view = await officeView(c, YEAR, ONE.id);
    expect(view.submissions).toHaveLength(N);
    expect(view.submissions.every((s: { state: string }) => s.state === 'done')).toBe(true);
    const current = view.submissions.filter((s: { current: boolean }) => s.current);
    expect(current).toHaveLength(1);
    expect(current[0].fileName).toBe(`并发-${newest.i}.txt`);
    expect(view.office.status).toBe(newest.i % 2 ? 'ACCEPTED' : 'REJECTED');
    expect(view.office.currentSubmissionId).toBe(current[0].id);
    expect(view.submissions.every((s: { verdict: string | null }) => s.verdict === 'accepted' || s.verdict === 'rejected')).toBe(true);

    const audit = await expectCompleteAudit(ONE.id, view.office.version);
    expect(audit.at(-1)!.submissionId).toBe(current[0].id);
    expect(audit.filter((e) => e.action === 'received' || e.action === 'amendment_received').length).toBeLessThanOrEqual(N);

    const ids = receiptIds(await c.mails(), ONE.email);
    expect(ids).toHaveLength(N);
    expect(new Set(ids)).toEqual(new Set(view.submissions.map((s: { id: string }) => s.id)));
    figure('concurrency-one-office', {
      uploads: N,
      objects: keys.length,
      submissions: view.submissions.length,
      receipts: ids.length,
      transitions: audit.length,
      distinctSeconds: new Set(stored.map((x) => x.receivedAt)).size,
      inWinnersSecond: stored.filter((x) => x.receivedAt === newest.receivedAt).length,
      status: view.office.status,
      failedInvocations: after.lambda.failures - before.lambda.failures,
      retries: after.lambda.retries - before.lambda.retries,
      deadLetters: after.lambda.deadLetters - before.lambda.deadLetters,
      wallMs: Date.now() - t0,
    });
  });

  it('30 offices upload at once: each ends in its own correct state with one receipt', async () => {
    const t0 = Date.now();
    const before = await c.idle();
    const results = await Promise.all(
      MANY.map((o, i) => upload(c, YEAR, o.id, tokens[o.id], i % 3 === 0 ? defectiveReportFor(o.name) : cleanReportFor(o.name), `${o.id}.txt`)),
    );
    expect(results.map((r) => r.posted.status)).toEqual(Array(MANY.length).fill(204));
    const after = await c.idle();
    expect(after.lambda.deadLetters).toBe(before.lambda.deadLetters);

    const mails = await c.mails();
    const offices = Object.fromEntries((await c.offices(YEAR)).map((o) => [o.id, o]));
    for (const [i, o] of MANY.entries()) {
      expect([o.id, offices[o.id].status, offices[o.id].version]).toEqual([o.id, i % 3 === 0 ? 'REJECTED' : 'ACCEPTED', 2]);
      const ids = receiptIds(mails, o.email);
      expect([o.id, ids]).toEqual([o.id, [offices[o.id].currentSubmissionId]]);
      await expectCompleteAudit(o.id, 2);
    }
    // The byStatus index agrees with the items (what the reminders Query).
    const counts = await c.statusCounts(YEAR);
    expect(counts.REJECTED ?? 0).toBeGreaterThanOrEqual(10);
    figure('concurrency-many-offices', {
      offices: MANY.length,
      accepted: MANY.filter((o) => offices[o.id].status === 'ACCEPTED').length,
      rejected: MANY.filter((o) => offices[o.id].status === 'REJECTED').length,
      receipts: MANY.reduce((n, o) => n + receiptIds(mails, o.email).length, 0),
      failedInvocations: after.lambda.failures - before.lambda.failures,
      deadLetters: after.lambda.deadLetters - before.lambda.deadLetters,
      wallMs: Date.now() - t0,
    });
  });
});
