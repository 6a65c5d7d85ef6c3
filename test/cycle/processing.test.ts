import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { defaultChecker } from '../../shared/cycle/checker';
import { RECEIPT_STALE_MS, processSubmission, submissionIdFor } from '../../shared/cycle/processing';
import { getOfficeStatus, publishOffice } from '../../shared/cycle/service';
import { UPLOAD_LIMITS } from '../../shared/resources';
import { seeded, upload } from './helpers';

const coordinator = { role: 'coordinator' } as const;

describe('processSubmission', () => {
  test('an accepted upload: RECEIVED → ACCEPTED, audit trail, one receipt, archive requested', async () => {
    const w = await seeded();
    const ref = upload(w, 'fagai', 'OK report', { fileName: '发改局2026年报.txt' });
    const out = await processSubmission(w.deps, ref);
    expect(out).toMatchObject({ outcome: 'processed', verdict: 'accepted', status: 'ACCEPTED', current: true });
    const office = await w.repo.getOffice(2026, 'fagai');
    expect(office).toMatchObject({ status: 'ACCEPTED', version: 2, currentSubmissionId: (out as { submissionId: string }).submissionId });
    const audit = await w.repo.listAudit(2026, 'fagai');
    expect(audit.map((a) => `${a.from}→${a.to}`)).toEqual(['NOT_SUBMITTED→RECEIVED', 'RECEIVED→ACCEPTED']);
    expect(audit[1].sha256).toBe(createHash('sha256').update('OK report').digest('hex'));
    expect(w.mailer.sent).toHaveLength(1);
    expect(w.mailer.sent[0].to).toEqual(['fg@example.cn']);
    expect(w.mailer.sent[0].subject).toContain('通过');
    expect(w.mailer.sent[0].text).toContain('发改局2026年报.txt');
    expect(w.archived).toEqual([{ year: 2026, officeId: 'fagai', submissionId: (out as { submissionId: string }).submissionId }]);
    const sub = (await w.repo.listSubmissions(2026, 'fagai'))[0];
    expect(sub.parsedKey).toMatch(/^parsed\/2026\/fagai\/2026-[0-9A-F]{12}\.json$/);
    expect(await w.archive.head(sub.parsedKey!)).not.toBeNull();
  });

  test('the office list for STR-07 is read once per few minutes, not once per upload (a cycle stays linear)', async () => {
    const w = await seeded();
    const seen: string[][] = [];
    const checker = w.deps.checker;
    w.deps.checker = async (input) => (seen.push(input.context.otherOffices ?? []), checker(input));
    const list = jest.spyOn(w.repo, 'listOffices');
    for (const id of ['fagai', 'jincheng', 'fagai']) await processSubmission(w.deps, upload(w, id, 'OK report'));
    expect(list).toHaveBeenCalledTimes(1);
    expect(seen[0]).toContain('锦程街道办事处');
    expect(seen[1]).not.toContain('锦程街道办事处');
    w.clock.advance(6 * 60_000);
    await processSubmission(w.deps, upload(w, 'jincheng', 'OK report'));
    expect(list).toHaveBeenCalledTimes(2);
  });

  test('a rejected upload lists every finding in the receipt and archives nothing', async () => {
    const w = await seeded();
    const out = await processSubmission(w.deps, upload(w, 'jincheng', 'BAD report'));
    expect(out).toMatchObject({ verdict: 'rejected', status: 'REJECTED' });
    expect(w.mailer.sent[0].text).toMatch(/T3-01.*表三.*行“（七）总计”.*列“总计”.*总计不等（应为 10，实为 9）/);
    expect(w.archived).toEqual([]);
  });

  test('a duplicate delivery changes nothing and sends no second e-mail', async () => {
    const w = await seeded();
    const ref = upload(w, 'fagai', 'OK');
    await processSubmission(w.deps, ref);
    const before = await w.repo.getOffice(2026, 'fagai');
    const again = await processSubmission(w.deps, { ...ref });
    expect(again.outcome).toBe('duplicate');
    expect(await w.repo.getOffice(2026, 'fagai')).toEqual(before);
    expect(w.mailer.sent).toHaveLength(1);
    expect(await w.repo.listAudit(2026, 'fagai')).toHaveLength(2);
  });

  test('concurrent duplicate deliveries send one receipt', async () => {
    const w = await seeded();
    const ref = upload(w, 'fagai', 'OK');
    await Promise.all([processSubmission(w.deps, ref), processSubmission(w.deps, { ...ref }), processSubmission(w.deps, { ...ref })]);
    expect(w.mailer.sent).toHaveLength(1);
    const audit = await w.repo.listAudit(2026, 'fagai');
    expect(audit.map((a) => a.to)).toEqual(['RECEIVED', 'ACCEPTED']);
  });

  test('out of order: the newer upload wins even when its event arrives first', async () => {
    const w = await seeded();
    const older = upload(w, 'fagai', 'OK first version', { at: Date.parse('2027-01-20T01:00:00Z') });
    const newer = upload(w, 'fagai', 'BAD second version', { at: Date.parse('2027-01-20T03:00:00Z') });
    const n = await processSubmission(w.deps, newer);
    const o = await processSubmission(w.deps, older);
    const office = await w.repo.getOffice(2026, 'fagai');
    expect(office?.status).toBe('REJECTED');
    expect(office?.currentSubmissionId).toBe((n as { submissionId: string }).submissionId);
    expect(o).toMatchObject({ verdict: 'accepted', current: false });
    // The older one is recorded, marked superseded, receipted with that note, and not archived.
    const olderSub = await w.repo.getSubmission(2026, 'fagai', (o as { submissionId: string }).submissionId);
    expect(olderSub?.supersededBy).toBe(office?.currentSubmissionId);
    expect(w.mailer.sent).toHaveLength(2);
    expect(w.mailer.sent[1].text).toContain('已有更新的提交');
    expect(w.archived).toEqual([]);
  });

  test('in order: a resubmission after rejection moves REJECTED → RECEIVED → ACCEPTED', async () => {
    const w = await seeded();
    await processSubmission(w.deps, upload(w, 'fagai', 'BAD'));
    w.clock.advance(60_000);
    await processSubmission(w.deps, upload(w, 'fagai', 'OK'));
    const audit = await w.repo.listAudit(2026, 'fagai');
    expect(audit.map((a) => a.to)).toEqual(['RECEIVED', 'REJECTED', 'RECEIVED', 'ACCEPTED']);
    const view = await getOfficeStatus(w.deps, coordinator, 2026, 'fagai');
    expect(view.submissions.map((s) => [s.verdict, s.current])).toEqual([
      ['accepted', true],
      ['rejected', false],
    ]);
  });

  test('a failed send is re-runnable: the claim is released, the retry sends the receipt once and finishes', async () => {
    const w = await seeded();
    const ref = upload(w, 'fagai', 'OK');
    w.mailer.failNext = 1;
    await expect(processSubmission(w.deps, ref)).rejects.toThrow('mail service unavailable');
    expect((await w.repo.getOffice(2026, 'fagai'))?.status).toBe('ACCEPTED');
    // The send failed, so its claim was given back: Lambda's retry sends at once.
    const out = await processSubmission(w.deps, ref);
    expect(out.outcome).toBe('processed');
    expect(w.mailer.sent).toHaveLength(1);
    expect(await processSubmission(w.deps, ref)).toMatchObject({ outcome: 'duplicate' });
    expect((await w.repo.listAudit(2026, 'fagai')).length).toBe(2);
  });

  test('a sender that died holding the receipt claim: others wait, the claim is taken over once stale', async () => {
    const w = await seeded();
    const ref = upload(w, 'fagai', 'OK');
    const id = submissionIdFor(ref, 2026);
    // A delivery claimed the receipt and died before sending (no release happens on a crash).
    expect(await w.repo.claimOnce(`RECEIPT#${id}`, w.clock.now(), RECEIPT_STALE_MS)).toBe('claimed');
    expect(await processSubmission(w.deps, ref)).toMatchObject({ outcome: 'duplicate' });
    expect(w.mailer.sent).toHaveLength(0);
    expect((await w.repo.getSubmission(2026, 'fagai', id))?.state).not.toBe('done');
    w.clock.advance(RECEIPT_STALE_MS + 1000);
    expect(await processSubmission(w.deps, ref)).toMatchObject({ outcome: 'processed' });
    expect(w.mailer.sent).toHaveLength(1);
    expect((await w.repo.getSubmission(2026, 'fagai', id))?.state).toBe('done');
  });

  test('a file over the limit is REJECTED 文件过大 without being read', async () => {
    let read = false;
    const w = await seeded({ checker: async () => ((read = true), { unreadable: 'x' }) });
    const ref = upload(w, 'fagai', 'x');
    // s3 stored more than the policy allows (e.g. a policy from an older limit): the processor checks again.
    w.incoming.objects.get(ref.key)!.info.size = UPLOAD_LIMITS.maxBytes + 1;
    const out = await processSubmission(w.deps, ref);
    expect(out).toMatchObject({ verdict: 'rejected', status: 'REJECTED' });
    expect(read).toBe(false);
    const sub = (await w.repo.listSubmissions(2026, 'fagai'))[0];
    expect(sub.findings[0]).toMatchObject({ rule: 'FILE-02', severity: 'error' });
    expect(sub.findings[0].message).toContain('文件过大');
  });

  test('an unreadable file is REJECTED with the reader’s Chinese message (real reader)', async () => {
    const w = await seeded({ checker: defaultChecker });
    const ref = upload(w, 'fagai', '', { ext: '.docx' });
    // A PNG renamed to .docx.
    w.incoming.putObject(ref.key, new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]), { versionId: ref.versionId! });
    const out = await processSubmission(w.deps, ref);
    expect(out).toMatchObject({ verdict: 'rejected' });
    const sub = (await w.repo.listSubmissions(2026, 'fagai'))[0];
    expect(sub.findings).toHaveLength(1);
    expect(sub.findings[0].rule).toBe('FILE-01');
    expect(sub.findings[0].message).toMatch(/图片/);
    expect(w.mailer.sent[0].text).toContain('未通过');
  });

  test('the seed report goes through the real reader and rules and is rejected with located findings', async () => {
    const w = await seeded({ checker: defaultChecker });
    const seed = readFileSync(join(__dirname, '../../fixtures/jincheng-2020.txt'));
    const ref = upload(w, 'jincheng', '');
    w.incoming.putObject(ref.key, new Uint8Array(seed), { versionId: ref.versionId!, lastModified: new Date(Date.parse('2027-01-27T01:00:00Z')) });
    const out = await processSubmission(w.deps, ref);
    expect(out).toMatchObject({ verdict: 'rejected', status: 'REJECTED' });
    const sub = (await w.repo.listSubmissions(2026, 'jincheng'))[0];
    expect(sub.sha256).toBe(createHash('sha256').update(seed).digest('hex'));
    const rules = new Set(sub.findings.map((f) => f.rule));
    // A 2020 report handed in for the 2026 cycle: wrong year, and late (deadline 2027-01-26 for streets).
    expect(rules.has('STR-02')).toBe(true);
    expect(rules.has('DL-01')).toBe(true);
    expect(sub.findings.some((f) => f.table === '三' && f.severity === 'error')).toBe(true);
    expect(w.mailer.sent[0].html).not.toMatch(/<script/i);
  });

  test('an amendment after publication: PUBLISHED → RECEIVED → ACCEPTED, the published pointer stays', async () => {
    const w = await seeded();
    const first = await processSubmission(w.deps, upload(w, 'fagai', 'OK v1'));
    await publishOffice(w.deps, 2026, 'fagai');
    w.clock.advance(3600_000);
    await processSubmission(w.deps, upload(w, 'fagai', 'OK v2'));
    const office = await w.repo.getOffice(2026, 'fagai');
    expect(office?.status).toBe('ACCEPTED');
    expect(office?.publishedSubmissionId).toBe((first as { submissionId: string }).submissionId);
    const audit = await w.repo.listAudit(2026, 'fagai');
    expect(audit.map((a) => a.action)).toEqual(['received', 'accepted', 'published', 'amendment_received', 'accepted']);
  });

  test('objects outside the server-chosen layout are ignored, never attributed to an office', async () => {
    const w = await seeded();
    for (const key of ['incoming/2026/../fagai/x.txt', 'incoming/2026/FAGAI/00000000-0000-4000-8000-000000000000.txt', 'other/file.txt']) {
      expect(await processSubmission(w.deps, { bucket: 'incoming', key, sequencer: '1' })).toMatchObject({ outcome: 'ignored' });
    }
    expect(w.mailer.sent).toHaveLength(0);
  });

  test('submission ids are stable per object version and differ between versions', () => {
    const a = submissionIdFor({ bucket: 'b', key: 'k', versionId: 'v1', sequencer: 'A' }, 2026);
    expect(submissionIdFor({ bucket: 'b', key: 'k', versionId: 'v1', sequencer: 'B' }, 2026)).toBe(a);
    expect(submissionIdFor({ bucket: 'b', key: 'k', versionId: 'v2' }, 2026)).not.toBe(a);
    expect(submissionIdFor({ bucket: 'b', key: 'k', sequencer: 'A' }, 2026)).not.toBe(submissionIdFor({ bucket: 'b', key: 'k', sequencer: 'B' }, 2026));
    expect(a).toMatch(/^2026-[0-9A-F]{12}$/);
  });
});
