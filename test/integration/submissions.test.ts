/**
 * The submission flow on the emulators, as an office meets it: a ticket from the API, a multipart
 * POST to S3, the S3 event → process-submission → status, receipt e-mail, archive.
 */
import type { LocalClient } from '../../local/client';
import { CLEAN_2020_OFFICE, SEED_OFFICE, cleanReportFor, defectiveReportFor, fixtureBytes } from '../../local/fixtures';
import { localClient, mailsTo, officeView, setupCycle, sha256, upload } from './helpers';

const YEAR = 2020;
const OFFICES = {
  seed: { id: 'it-jincheng', name: SEED_OFFICE, email: 'it-jincheng@example.gov.cn' },
  clean: { id: 'it-scjgj', name: CLEAN_2020_OFFICE, email: 'it-scjgj@example.gov.cn' },
  resubmit: { id: 'it-rsj', name: '青峰区人力资源和社会保障局', email: 'it-rsj@example.gov.cn' },
};

let c: LocalClient;
let tokens: Record<string, string>;

beforeAll(async () => {
  c = localClient();
  tokens = await setupCycle(c, YEAR, Object.values(OFFICES));
});
afterAll(() => c.destroy());

describe('submissions through the real presigned POST', () => {
  let acceptedKey = '';

  it('accepts a consistent report: ACCEPTED, one receipt with its SHA-256, the original kept', async () => {
    const o = OFFICES.clean;
    const bytes = fixtureBytes('clean-2019.txt');
    const { ticket, posted } = await upload(c, YEAR, o.id, tokens[o.id], bytes, '2020年报.txt');
    expect(posted.status).toBe(204);
    expect(ticket.key.startsWith(`incoming/${YEAR}/${o.id}/`)).toBe(true);
    acceptedKey = ticket.key;
    await c.idle();

    const view = await officeView(c, YEAR, o.id);
    expect(view.office.status).toBe('ACCEPTED');
    expect(view.submissions).toHaveLength(1);
    expect(view.submissions[0]).toMatchObject({ verdict: 'accepted', current: true, sha256: sha256(bytes), size: bytes.length, fileName: '2020年报.txt' });
    const mails = await mailsTo(c, o.email);
    expect(mails).toHaveLength(1);
    expect(mails[0].body.text ?? mails[0].body.html).toContain(sha256(bytes));
    expect(await c.listKeys(c.endpoints.buckets.incoming, ticket.key)).toEqual([ticket.key]);
  });

  it('rejects the seed report: REJECTED, every error finding in the one receipt', async () => {
    const o = OFFICES.seed;
    const { posted } = await upload(c, YEAR, o.id, tokens[o.id], fixtureBytes('jincheng-2020.txt'), '锦程2020.txt');
    expect(posted.status).toBe(204);
    await c.idle();

    const view = await officeView(c, YEAR, o.id);
    expect(view.office.status).toBe('REJECTED');
    const errors = view.submissions[0].findings.filter((f: { severity: string }) => f.severity === 'error');
    expect(errors.length).toBeGreaterThan(1);
    const mails = await mailsTo(c, o.email);
    expect(mails).toHaveLength(1);
    const text = mails[0].body.text ?? mails[0].body.html ?? '';
    for (const rule of new Set(errors.map((f: { rule: string }) => f.rule))) expect(text).toContain(rule);
  });

  it('a duplicated S3 event (3 copies at once) changes nothing: one transition, one e-mail', async () => {
    const o = OFFICES.clean;
    const before = await officeView(c, YEAR, o.id);
    const auditBefore = await c.audit(YEAR, o.id);
    const statsBefore = await c.idle();

    expect(await c.redeliver(acceptedKey, 3)).toBe(202);
    const statsAfter = await c.idle();
    // The copies really ran (and none failed into the dead-letter file).
    expect(statsAfter.lambda.invocations - statsBefore.lambda.invocations).toBeGreaterThanOrEqual(3);
    expect(statsAfter.lambda.deadLetters).toBe(statsBefore.lambda.deadLetters);

    const after = await officeView(c, YEAR, o.id);
    expect(after.office.status).toBe('ACCEPTED');
    expect(after.office.version).toBe(before.office.version);
    expect(after.submissions).toHaveLength(1);
    expect(await c.audit(YEAR, o.id)).toHaveLength(auditBefore.length);
    const transitions = auditBefore.filter((e) => e.to === 'ACCEPTED');
    expect(transitions).toHaveLength(1);
    expect(await mailsTo(c, o.email)).toHaveLength(1);
  });

  it('resubmission after a rejection: REJECTED → RECEIVED → ACCEPTED, two receipts', async () => {
    const o = OFFICES.resubmit;
    const first = await upload(c, YEAR, o.id, tokens[o.id], defectiveReportFor(o.name), '人社局2020.txt');
    expect(first.posted.status).toBe(204);
    await c.idle();
    expect((await officeView(c, YEAR, o.id)).office.status).toBe('REJECTED');

    const second = await upload(c, YEAR, o.id, tokens[o.id], cleanReportFor(o.name), '人社局2020（更正）.txt');
    expect(second.posted.status).toBe(204);
    await c.idle();

    const view = await officeView(c, YEAR, o.id);
    expect(view.office.status).toBe('ACCEPTED');
    expect(view.submissions.map((s: { verdict: string; current: boolean }) => [s.verdict, s.current])).toEqual([
      ['accepted', true],
      ['rejected', false],
    ]);
    const path = (await c.audit(YEAR, o.id)).filter((e) => e.to).map((e) => `${e.from}→${e.to}`);
    expect(path).toEqual(['NOT_SUBMITTED→RECEIVED', 'RECEIVED→REJECTED', 'REJECTED→RECEIVED', 'RECEIVED→ACCEPTED']);
    expect(await mailsTo(c, o.email)).toHaveLength(2);
  });

  it('publishing puts the canonical PDF in the archive, served under /archive', async () => {
    const o = OFFICES.clean;
    await c.ok('POST', `/cycles/${YEAR}/offices/${o.id}/publish`, { token: c.coordinator });
    await c.idle();
    expect((await officeView(c, YEAR, o.id)).office.status).toBe('PUBLISHED');
    const pdfs = (await c.archivedPdfs(YEAR)).filter((k) => k.includes(`/${o.id}/`));
    expect(pdfs).toEqual([`public/${YEAR}/${o.id}/v1/report.pdf`]);
    const res = await fetch(`${c.endpoints.archive}/${YEAR}/${o.id}/v1/report.pdf`);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    const page = await fetch(`${c.endpoints.archive}/${YEAR}/${o.id}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(o.name);
  });

  it('nothing went to the dead-letter file', async () => {
    expect((await c.idle()).lambda.deadLetters).toBe(0);
  });
});
