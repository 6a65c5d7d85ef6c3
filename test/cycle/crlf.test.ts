/**
 * CR/LF (and other line breaks and control characters) in office names and file names (issue 13.3): an office
 * name is refused at import (CSV or JSON); a file name is neutralised; and whatever is already stored never
 * reaches an e-mail subject or header as a line break, nor starts a line of its own in a text body.
 */
import { SESv2Client, type SendEmailCommand, type SendEmailCommandInput } from '@aws-sdk/client-sesv2';
import { SesMailer } from '../../shared/aws/ses-mailer';
import { processSubmission } from '../../shared/cycle/processing';
import { importOffices } from '../../shared/cycle/service';
import { digestEmail, receiptEmail, reminderEmail, returnedEmail, undeliverableEmail } from '../../shared/render/email';
import { oneLine } from '../../shared/common/text';
import { seeded, upload } from './helpers';

const BREAKS = ['\r\n', '\n', '\r', '\u2028', '\u2029', '\u0085', '\u000b', '\u000c', '\u0000'];
const EVIL_NAME = '青峰区教育局\r\nBcc: victim@example.com\r\n\r\n校验结果：通过';
const EVIL_FILE = '年报.txt\r\nSubject: 已通过\n校验结果：通过';
// eslint-disable-next-line no-control-regex -- the control characters are what it looks for
const anyBreak = /[\r\n\u2028\u2029\u0085\u000b\u000c\u0000]/;

describe('office names are refused at import', () => {
  test.each(BREAKS.map((b) => JSON.stringify(b)))('JSON import: a name with %s', async (b) => {
    const w = await seeded();
    const name = `青峰区${JSON.parse(b)}教育局`;
    await expect(importOffices(w.deps, 2026, { offices: [{ id: 'jyj', name, group: 'streets', emails: ['j@example.cn'] }] })).rejects.toThrow(/单位名称不能包含换行或控制字符/);
    expect(await w.repo.getOffice(2026, 'jyj')).toBeNull();
  });

  test('CSV import: a quoted name spanning lines is refused with its line number', async () => {
    const w = await seeded();
    const csv = 'id,name,group,emails\r\njyj,"青峰区教育局\r\nBcc: victim@example.com",streets,j@example.cn\r\n';
    await expect(importOffices(w.deps, 2026, { csv })).rejects.toThrow(/第2行.*单位名称不能包含换行或控制字符/);
    expect(await w.repo.getOffice(2026, 'jyj')).toBeNull();
  });

  test('a group name with a line break is refused too', async () => {
    const w = await seeded();
    const { createCycle } = await import('../../shared/cycle/service');
    await expect(
      createCycle(w.deps, { year: 2027, coordinatorEmails: ['c@example.cn'], groups: [{ id: 'a', name: '街道\r\nBcc: x@example.com', deadline: '2028-01-31' }] }),
    ).rejects.toThrow();
  });
});

describe('file names are neutralised', () => {
  test('oneLine turns every line break and control character into a space, keeps the rest', () => {
    for (const b of BREAKS) expect(oneLine(`a${b}b`)).toMatch(/^a {1,2}b$/);
    expect(oneLine('锦程街道 年报（2026）.docx')).toBe('锦程街道 年报（2026）.docx');
  });

  test('an upload whose file name carries CR/LF: stored and receipted on one line', async () => {
    const w = await seeded();
    await processSubmission(w.deps, upload(w, 'fagai', 'BAD', { fileName: EVIL_FILE }));
    const [sub] = await w.repo.listSubmissions(2026, 'fagai');
    expect(sub.fileName).not.toMatch(anyBreak);
    const mail = w.mailer.sent.at(-1)!;
    expect(mail.subject).not.toMatch(anyBreak);
    expect(mail.text.split('\n').filter((l) => /^(Subject|Bcc):|^校验结果：通过/.test(l))).toEqual([]);
  });
});

describe('e-mails never carry a break from a name or file name', () => {
  const base = { year: 2026, officeName: EVIL_NAME };
  const rendered = [
    receiptEmail({ ...base, submissionId: '2026-X', fileName: EVIL_FILE, sha256: null, size: 1, receivedAt: '2027-01-01T00:00:00Z', deadline: '2027-01-31T00:00:00Z', verdict: 'rejected', findings: [] }),
    reminderEmail({ ...base, deadline: '2027-01-31T00:00:00Z', daysLeft: 3, statusLabel: '未提交' }),
    returnedEmail({ ...base, note: '请修改', submissionId: '2026-X' }),
    undeliverableEmail({ ...base, officeId: 'x', emails: ['a@example.cn'], kind: 'bounce', mailKind: 'receipt', reason: null }),
    digestEmail({
      year: 2026,
      date: '2027-01-20',
      counts: {},
      total: 1,
      remindersSent: 0,
      overdue: [{ name: EVIL_NAME, statusLabel: '未提交', deadline: '2027-01-31T00:00:00Z', daysOverdue: 1 }],
      rejected: [{ name: EVIL_NAME, findings: [], errors: 1 }],
      undeliverable: [{ name: EVIL_NAME, emails: ['a@example.cn'] }],
    }),
  ];
  test.each(rendered.map((m, i) => [i, m] as const))('e-mail %i: subject on one line, no injected line in the text', (_i, m) => {
    expect(m.subject).not.toMatch(anyBreak);
    expect(m.text.split('\n').filter((l) => /^(Subject|Bcc):|^校验结果：通过/.test(l.trim()))).toEqual([]);
  });

  test('the SES adapter sends a one-line subject whatever it is given', async () => {
    const client = new SESv2Client({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const sent: SendEmailCommandInput[] = [];
    client.send = (async (cmd: SendEmailCommand) => {
      sent.push(cmd.input);
      return { MessageId: 'm' };
    }) as never;
    await new SesMailer(client, 'from@example.cn').send({ to: ['a@example.cn'], subject: 'A\r\nBcc: v@example.com', text: 't', html: 'h' });
    expect(sent[0].Content?.Simple?.Subject?.Data).not.toMatch(anyBreak);
  });
});
