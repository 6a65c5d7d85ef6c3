import { archiveSubmission } from '../../shared/publishing/archive';
import { recordMailEvent } from '../../shared/cycle/mail-events';
import { processSubmission } from '../../shared/cycle/processing';
import { dueSlot, sendReminders } from '../../shared/cycle/reminders';
import { publishOffice, returnOffice } from '../../shared/cycle/service';
import { receiptEmail } from '../../shared/render/email';
import { finding } from '../../shared/report/model';
import { seeded, upload } from './helpers';

describe('reminders', () => {
  const group = { reminders: { daysBefore: [7, 3, 1], daysAfter: [1, 3] } };
  test('the slot due on a day (a missed slot is caught up for 2 days, not longer)', () => {
    expect(dueSlot(group, 10)).toBeNull();
    expect(dueSlot(group, 7)).toBe('before7');
    expect(dueSlot(group, 5)).toBe('before7');
    expect(dueSlot(group, 4)).toBeNull();
    expect(dueSlot(group, 3)).toBe('before3');
    expect(dueSlot(group, 0)).toBe('before1');
    expect(dueSlot(group, -1)).toBe('after1');
    expect(dueSlot(group, -2)).toBe('after1');
    expect(dueSlot(group, -5)).toBe('after3');
    expect(dueSlot(group, -9)).toBeNull();
    const late = { reminders: { daysBefore: [14, 7], daysAfter: [1] } };
    expect(dueSlot(late, 10)).toBeNull();
  });

  test('each due reminder goes out once; accepted offices get none; overdue notices go to the office, the digest escalates', async () => {
    const w = await seeded();
    // 2027-01-23 09:00 Shanghai: streets (deadline 01-26) are 3 days out, departments (01-31, default policy) 8 days out.
    const day1 = new Date('2027-01-23T01:00:00Z');
    const run1 = await sendReminders(w.deps, day1);
    expect(run1.sent).toEqual([{ year: 2026, officeId: 'jincheng', slot: 'before3' }]);
    expect(run1.digests).toEqual([2026]);
    expect(w.mailer.sent.map((m) => m.to)).toEqual([['jc@example.cn', 'jc2@example.cn'], ['coord@example.cn']]);
    expect(w.mailer.sent[0].subject).toContain('距截止还有 3 天');
    expect(w.mailer.sent[0].text).toContain('https://nianbao.example/upload/?year=2026&office=jincheng');
    // The same day again (a retried tick): nothing.
    expect(await sendReminders(w.deps, new Date('2027-01-23T05:00:00Z'))).toMatchObject({ sent: [], digests: [] });

    // fagai gets accepted, jincheng stays silent past its deadline.
    w.clock.t = Date.parse('2027-01-24T01:00:00Z');
    await processSubmission(w.deps, upload(w, 'fagai', 'OK'));
    w.mailer.sent = [];
    const run2 = await sendReminders(w.deps, new Date('2027-01-27T01:00:00Z'));
    expect(run2.sent).toEqual([{ year: 2026, officeId: 'jincheng', slot: 'after1' }]);
    expect(w.mailer.sent[0].cc).toBeUndefined();
    expect(w.mailer.sent[0].subject).toContain('已逾期 1 天');
    expect(w.mailer.sent[1].to).toEqual(['coord@example.cn']);
    expect(w.mailer.sent[1].text).toContain('锦程街道办事处：已逾期 1 天');
    expect((await w.repo.listAudit(2026, 'jincheng')).map((a) => a.action)).toEqual(['reminder', 'overdue_notice']);
    // Long after every escalation the cycle is closed.
    expect((await sendReminders(w.deps, new Date('2027-03-20T01:00:00Z'))).sent).toEqual([]);
  });
});

describe('archive', () => {
  test('auto-publish: version 1 written once under public/, pages regenerated; a re-run writes no version file', async () => {
    const w = await seeded({}, true);
    const out = await processSubmission(w.deps, upload(w, 'fagai', 'OK report', { fileName: '年报.txt' }));
    const ref = w.archived[0];
    expect(ref.submissionId).toBe((out as { submissionId: string }).submissionId);
    const a = await archiveSubmission(w.deps, ref);
    expect(a).toMatchObject({ outcome: 'archived', status: 'PUBLISHED', version: 1 });
    const keys = [...w.archive.objects.keys()].filter((k) => k.startsWith('public/')).sort();
    expect(keys).toEqual(
      [
        'public/2026/fagai/index.html',
        'public/2026/fagai/v1/original.txt',
        'public/2026/fagai/v1/report.json',
        'public/2026/fagai/v1/report.pdf',
        'public/2026/index.html',
        'public/data/2026.csv',
        'public/data/2026.json',
        'public/data/2026-totals.json',
        'public/data/2026-rows.json',
        'public/data/all-years.csv',
        'public/data/all-years.xlsx',
        'public/data/dictionary.csv',
        'public/data/offices.json',
        'public/index.html',
        'public/offices/fagai/index.html',
        'public/offices/index.html',
      ].sort(),
    );
    expect(Buffer.from(w.archive.objects.get('public/2026/fagai/v1/report.pdf')!.bytes.subarray(0, 5)).toString()).toBe('%PDF-');
    const again = await archiveSubmission(w.deps, ref);
    expect(again).toMatchObject({ version: 1 });
    expect((again as { written: string[] }).written.filter((k) => k.includes('/v1/'))).toEqual([]);
    // Nothing changed: the totals and the spreadsheet of every year are not rewritten.
    expect((again as { written: string[] }).written.filter((k) => /totals|rows|all-years|dictionary/.test(k))).toEqual([]);
    expect((await w.repo.getOffice(2026, 'fagai'))?.status).toBe('PUBLISHED');
    // The office is told once, with the page the step wrote.
    const told = w.mailer.sent.filter((m) => m.tags?.kind === 'published');
    expect(told.map((m) => m.to)).toEqual([['fg@example.cn']]);
    expect(told[0].text).toContain('/2026/fagai/');
  });

  test('an original uploaded as a web page is archived as a download: neutral type, attachment (issue 13.1)', async () => {
    const w = await seeded({}, true);
    await processSubmission(w.deps, upload(w, 'fagai', 'OK <script>alert(sessionStorage)</script>', { fileName: '年报.html', ext: '.html' }));
    await archiveSubmission(w.deps, w.archived[0]);
    const original = w.archive.objects.get('public/2026/fagai/v1/original.html')!;
    expect(original.info.contentType).toBe('application/octet-stream');
    expect(original.info.contentDisposition).toBe('attachment; filename="original.html"');
    // The pages the system wrote stay pages.
    expect(w.archive.objects.get('public/2026/fagai/index.html')!.info.contentType).toBe('text/html; charset=utf-8');
  });

  test('the public record shows published versions only (issue 13.2)', async () => {
    const w = await seeded();
    // fagai: published v1, then an amendment that is rejected. jincheng: accepted, not published.
    await processSubmission(w.deps, upload(w, 'fagai', 'OK first'));
    await publishOffice(w.deps, 2026, 'fagai');
    await archiveSubmission(w.deps, w.archived.at(-1)!);
    w.clock.advance(60_000);
    await processSubmission(w.deps, upload(w, 'jincheng', 'OK waiting'));
    await archiveSubmission(w.deps, w.archived.at(-1)!);
    w.clock.advance(60_000);
    await processSubmission(w.deps, upload(w, 'fagai', 'BAD amendment'));
    expect((await w.repo.getOffice(2026, 'fagai'))?.status).toBe('REJECTED');
    expect((await w.repo.getOffice(2026, 'jincheng'))?.status).toBe('ACCEPTED');
    await archiveSubmission(w.deps, w.archived.at(-1)!);
    const text = (key: string) => Buffer.from(w.archive.objects.get(key)!.bytes).toString('utf8');

    const year = text('public/2026/index.html');
    expect(year).toContain('发展和改革局');
    expect(year).toContain('已公开');
    expect(year).not.toMatch(/未通过|已通过|待公开|锦程街道办事处/);
    // No public page for the accepted-but-unpublished office; fagai's page shows v1 as published.
    expect(w.archive.objects.has('public/2026/jincheng/index.html')).toBe(false);
    expect(text('public/2026/fagai/index.html')).not.toContain('未通过');
    expect(JSON.parse(text('public/data/2026.json')).offices.map((o: { office: string }) => o.office)).toEqual(['发展和改革局']);

    // The coordinator turns on the list of offices that have not published yet: names only.
    const cycle = (await w.repo.getCycle(2026))!;
    await w.repo.putCycle({ ...cycle, listUnpublished: true });
    await archiveSubmission(w.deps, w.archived.at(-1)!);
    const listed = text('public/2026/index.html');
    expect(listed).toContain('尚未公开报告的单位（1 个）');
    expect(listed).toContain('<li>锦程街道办事处</li>');
    expect(listed).not.toMatch(/未通过|已通过/);
  });

  test('without auto-publish an accepted report stays private until the coordinator publishes', async () => {
    const w = await seeded();
    await processSubmission(w.deps, upload(w, 'fagai', 'OK'));
    const a = await archiveSubmission(w.deps, w.archived[0]);
    expect(a).toMatchObject({ status: 'ACCEPTED', version: null });
    expect([...w.archive.objects.keys()].some((k) => k.includes('/v1/'))).toBe(false);
    await publishOffice(w.deps, 2026, 'fagai');
    expect(await archiveSubmission(w.deps, w.archived[1])).toMatchObject({ status: 'PUBLISHED', version: 1 });
  });

  test('return with a note: ACCEPTED → RETURNED, the office is told why', async () => {
    const w = await seeded();
    await processSubmission(w.deps, upload(w, 'fagai', 'OK'));
    await expect(returnOffice(w.deps, 2026, 'fagai', '')).rejects.toThrow('退回说明');
    const v = await returnOffice(w.deps, 2026, 'fagai', '第五部分请具体说明<改进措施>');
    expect(v.status).toBe('RETURNED');
    const mail = w.mailer.sent.at(-1)!;
    expect(mail.text).toContain('第五部分请具体说明<改进措施>');
    expect(mail.html).toContain('&lt;改进措施&gt;');
    await expect(publishOffice(w.deps, 2026, 'fagai')).rejects.toThrow('只有已通过的报告可以公开');
  });
});

describe('mail events', () => {
  test('a bounce lands in the office audit trail once', async () => {
    const w = await seeded();
    const msg = {
      eventType: 'Bounce',
      mail: { messageId: 'abc', destination: ['fg@example.cn'], tags: { year: ['2026'], officeId: ['fagai'], kind: ['receipt'] } },
      bounce: { bounceType: 'Permanent', bounceSubType: 'General', bouncedRecipients: [{ emailAddress: 'fg@example.cn' }] },
    };
    expect(await recordMailEvent(w.deps, msg)).toMatchObject({ outcome: 'recorded', action: 'mail_bounced', undeliverable: ['fg@example.cn'], coordinatorsNotified: true });
    expect(await recordMailEvent(w.deps, msg)).toMatchObject({ coordinatorsNotified: false });
    expect(w.mailer.sent.map((m) => [m.to, m.subject])).toEqual([[['coord@example.cn'], '【年报退信】发展和改革局 的联系邮箱无法送达']]);
    const audit = await w.repo.listAudit(2026, 'fagai');
    expect(audit).toHaveLength(1);
    expect(audit[0].detail).toContain('fg@example.cn');
    expect(await recordMailEvent(w.deps, { eventType: 'Delivery', mail: msg.mail })).toMatchObject({ outcome: 'ignored' });
    expect(await recordMailEvent(w.deps, { eventType: 'Bounce', mail: { tags: { officeId: ['../x'], year: ['2026'] } } })).toMatchObject({ outcome: 'ignored' });
  });
});

describe('receipt e-mail', () => {
  test('facts, every finding, next step; everything escaped in HTML', () => {
    const m = receiptEmail({
      year: 2026,
      officeName: '<script>alert(1)</script>局',
      submissionId: '2026-ABCDEF012345',
      fileName: 'a"b<c>.docx',
      sha256: 'f'.repeat(64),
      size: 1234,
      receivedAt: '2027-01-27T01:02:03Z',
      deadline: '2027-01-26T15:59:59Z',
      verdict: 'rejected',
      findings: [
        finding({ rule: 'T3-01', severity: 'error', table: '三', row: '（七）总计', column: '自然人', expected: 12, actual: 11, message: '一+二 应等于 （七）+四 <b>' }),
        finding({ rule: 'TXT-03', severity: 'warning', message: '第五部分只写了“无”' }),
      ],
    });
    expect(m.subject).toBe('【年报回执】<script>alert(1)</script>局 2026年度报告：未通过（提交编号 2026-ABCDEF012345）');
    expect(m.text).toContain('提交编号：2026-ABCDEF012345');
    expect(m.text).toContain(`SHA-256：${'f'.repeat(64)}`);
    expect(m.text).toContain('收到时间：2027年1月27日 09:02:03（北京时间）');
    expect(m.text).toContain('本次提交已逾期');
    expect(m.text).toContain('1. [T3-01] 错误｜表三，行“（七）总计”，列“自然人”：一+二 应等于 （七）+四 <b>（应为 12，实为 11）');
    expect(m.text).toContain('2. [TXT-03] 提示：第五部分只写了“无”');
    expect(m.text).toContain('下一步：报告未通过校验（1 项错误）');
    expect(m.html).not.toContain('<script>');
    expect(m.html).not.toContain('<b>');
    expect(m.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;局');
    expect(m.html).toContain('a&quot;b&lt;c&gt;.docx');
    expect(m.html).toContain('<td style="border:1px solid #ccc;padding:4px 6px;vertical-align:top">12</td>');
  });
});
