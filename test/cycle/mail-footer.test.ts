/**
 * Every e-mail ends with the 政务公开办's name, contact person and phone when the cycle has them: the e-mails
 * the workflow really sends (receipt, manual reminder, daily reminder and digest, return, invitation, bounce
 * notice, published, withdrawn) taken from the in-memory mailer; none when the cycle has no such settings.
 * The return e-mail links to the upload page.
 */
import { recordMailEvent } from '../../shared/cycle/mail-events';
import { inviteOffices } from '../../shared/cycle/invitations';
import { processSubmission } from '../../shared/cycle/processing';
import { sendReminderNow, sendReminders } from '../../shared/cycle/reminders';
import { createCycle, publishOffice, returnOffice, withdrawOffice } from '../../shared/cycle/service';
import { senderLines } from '../../shared/render/email';
import { seeded, upload, type World } from './helpers';

const SENDER = { issuer: '金城区人民政府办公室<政务公开办>', contactPerson: '王五', contactPhone: '0931-8888888' };
const COORDINATOR = { role: 'coordinator' } as const;

/** Every kind of e-mail, sent by the use cases that send them. */
async function sendEveryKind(w: World): Promise<void> {
  await processSubmission(w.deps, upload(w, 'fagai', 'OK report')); // receipt
  await publishOffice(w.deps, 2026, 'fagai'); // published
  await withdrawOffice(w.deps, 2026, 'fagai', '含有个人信息'); // withdrawn
  await processSubmission(w.deps, upload(w, 'fagai', 'OK again'));
  await returnOffice(w.deps, 2026, 'fagai', '请补充第五部分'); // returned
  await sendReminderNow(w.deps, 2026, 'jincheng'); // manual reminder
  w.clock.t = Date.parse('2027-01-19T01:00:00Z'); // 7 days before the streets' deadline, 09:00 Beijing
  await sendReminders(w.deps, w.clock.now(), { year: 2026 }); // reminder + digest
  await inviteOffices(w.deps, COORDINATOR, 2026, { officeIds: ['jincheng'] }); // invitation
  const tagged = w.mailer.sent.find((m) => m.tags?.officeId === 'jincheng')!;
  await recordMailEvent(w.deps, {
    eventType: 'Bounce',
    bounce: { bounceType: 'Permanent', bounceSubType: 'General', bouncedRecipients: [{ emailAddress: tagged.to[0] }] },
    mail: { messageId: 'm-1', destination: tagged.to, tags: { year: ['2026'], officeId: ['jincheng'], kind: [tagged.tags!.kind] } },
  }); // bounce notice to the coordinators
}

test('every e-mail ends with the 政务公开办, contact person and phone', async () => {
  const w = await seeded();
  await createCycle(w.deps, { ...(await w.repo.getCycle(2026))!, ...SENDER });
  await sendEveryKind(w);
  const kinds = new Set(w.mailer.sent.map((m) => (m.tags?.kind ?? '').replace(/^reminder-.*/, 'reminder')));
  expect([...kinds].sort()).toEqual(['digest', 'invitation', 'published', 'receipt', 'reminder', 'returned', 'undeliverable', 'withdrawn']);
  for (const m of w.mailer.sent) {
    expect([m.tags?.kind, m.text.endsWith('\n金城区人民政府办公室<政务公开办>\n联系人：王五　电话：0931-8888888')]).toEqual([m.tags?.kind, true]);
    // Escaped in the HTML, just before its end.
    expect([m.tags?.kind, /金城区人民政府办公室&lt;政务公开办&gt;<br>联系人：王五　电话：0931-8888888<\/p><\/body><\/html>$/.test(m.html)]).toEqual([m.tags?.kind, true]);
  }
  const returned = w.mailer.sent.find((m) => m.tags?.kind === 'returned')!;
  expect(returned.text).toContain('报送页面（上传、查看校验结果和回执）：https://nianbao.example/upload/?year=2026&office=fagai');
  expect(returned.html).toContain('<a href="https://nianbao.example/upload/?year=2026&amp;office=fagai">');
});

test('without the settings the e-mails end as before; a partial setting shows what there is', async () => {
  const w = await seeded();
  await sendEveryKind(w);
  for (const m of w.mailer.sent) expect(m.text.trimEnd().endsWith('请勿直接回复。') || m.text.includes('查看该单位：')).toBe(true);
  expect(w.mailer.sent.some((m) => m.html.includes('联系人：'))).toBe(false);
  expect(senderLines({ contactPhone: '12345' })).toEqual(['电话：12345']);
  expect(senderLines({ issuer: '办公室\n伪造的一行', contactPerson: '' })).toEqual(['办公室 伪造的一行']);
});
