/**
 * Invitations: every office gets a new token inside a one-click link (fragment only), the deadline and what to
 * upload; the link signs in; a new invitation kills the old link; invited-at and signed-in-at are recorded
 * and shown; the token is in no audit entry and no log line.
 */
import ExcelJS from 'exceljs';
import { inviteOffices, recordSignIn } from '../../shared/cycle/invitations';
import { statusListFile } from '../../shared/publishing/exports';
import { authenticate, listOfficeStatuses } from '../../shared/cycle/service';
import { seeded } from './helpers';

const COORDINATOR = { role: 'coordinator' } as const;
const tokenIn = (text: string, officeId: string) => new RegExp(`https://nianbao\\.example/upload/\\?year=2026&office=${officeId}#token=([A-Za-z0-9_-]{43})`).exec(text)?.[1];

test('invite all: one mail per office with its sign-in link, deadline and what to upload; the link signs in; recorded and shown', async () => {
  const logs: string[] = [];
  const w = await seeded({ log: (level, message, data) => void logs.push(`${level} ${message} ${JSON.stringify(data)}`) });
  const r = await inviteOffices(w.deps, COORDINATOR, 2026);
  expect(r).toEqual({
    invited: [
      { officeId: 'fagai', name: '发展和改革局', sentTo: ['fg@example.cn'] },
      { officeId: 'jincheng', name: '锦程街道办事处', sentTo: ['jc@example.cn', 'jc2@example.cn'] },
    ],
    failed: [],
  });
  const mail = w.mailer.sent.find((m) => m.to.includes('jc@example.cn'))!;
  expect(mail.subject).toBe('【年报报送】锦程街道办事处 2026年度政府信息公开工作年度报告报送邀请');
  expect(mail.text).toContain('请于 2027年1月26日 23:59:59（北京时间） 前上传贵单位2026年政府信息公开工作年度报告。');
  expect(mail.text).toContain('表二至表四按国办公开办函〔2021〕30号的格式填写');
  expect(mail.text).toContain('如有疑问或链接失效，请联系政务公开办：coord@example.cn。');
  expect(mail.text).not.toContain('之前发送的登录链接已失效');
  const token = tokenIn(mail.text, 'jincheng')!;
  expect(mail.html).toContain(`#token=${token}"`);
  expect(mail.text).not.toMatch(/[?&]token=/); // never in the query

  expect(await authenticate(w.deps, `Bearer ${token}`)).toEqual({ role: 'office', year: 2026, officeId: 'jincheng' });
  const before = (await listOfficeStatuses(w.deps, COORDINATOR, 2026)).offices.find((o) => o.officeId === 'jincheng')!;
  expect(before).toMatchObject({ hasToken: true, invitedAt: '2027-01-20T02:00:00.000Z', signedInAt: null });

  w.clock.advance(3600_000);
  await recordSignIn(w.deps, { role: 'office', year: 2026, officeId: 'jincheng' });
  w.clock.advance(3600_000);
  await recordSignIn(w.deps, { role: 'office', year: 2026, officeId: 'jincheng' }); // the first one counts
  await recordSignIn(w.deps, COORDINATOR); // no office: nothing
  expect((await w.repo.getOffice(2026, 'jincheng'))?.signedInAt).toBe('2027-01-20T03:00:00.000Z');

  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await statusListFile(w.deps, COORDINATOR, 2026)).body as unknown as ArrayBuffer);
  const ws = wb.getWorksheet('报送情况')!;
  const header = (ws.getRow(1).values as string[]).slice(1);
  const row = (ws.getRow(3).values as string[]).slice(1);
  expect(row[1]).toBe('jincheng');
  expect([row[header.indexOf('邀请时间（北京时间）')], row[header.indexOf('首次登录时间（北京时间）')]]).toEqual(['2027-01-20 10:00', '2027-01-20 11:00']);

  const audit = await w.repo.listAudit(2026, 'jincheng');
  expect(audit.at(-1)).toMatchObject({ action: 'invited', actor: 'coordinator', detail: '已发送报送邀请（登录链接）至 jc@example.cn、jc2@example.cn' });
  expect(JSON.stringify(audit) + logs.join('\n')).not.toContain(token);
});

test('re-invite one office: the old link dies, the new one works, signed-in is reset; unknown ids are refused', async () => {
  const w = await seeded();
  await inviteOffices(w.deps, COORDINATOR, 2026);
  const old = tokenIn(w.mailer.sent.at(-1)!.text, 'jincheng')!;
  await recordSignIn(w.deps, { role: 'office', year: 2026, officeId: 'jincheng' });

  const r = await inviteOffices(w.deps, COORDINATOR, 2026, { officeIds: ['jincheng'] });
  expect(r.invited.map((o) => o.officeId)).toEqual(['jincheng']);
  const mail = w.mailer.sent.at(-1)!;
  expect(mail.subject).toContain('（新登录链接）');
  expect(mail.text).toContain('之前发送的登录链接已失效。');
  const fresh = tokenIn(mail.text, 'jincheng')!;
  await expect(authenticate(w.deps, `Bearer ${old}`)).rejects.toThrow(/无效的访问令牌/);
  expect(await authenticate(w.deps, `Bearer ${fresh}`)).toMatchObject({ officeId: 'jincheng' });
  expect((await w.repo.getOffice(2026, 'jincheng'))?.signedInAt).toBeNull();
  expect((await w.repo.listAudit(2026, 'jincheng')).at(-1)?.detail).toContain('之前的登录链接已失效');

  await expect(inviteOffices(w.deps, COORDINATOR, 2026, { officeIds: ['nope'] })).rejects.toThrow('2026年度没有编号为“nope”的单位');
  await expect(inviteOffices(w.deps, COORDINATOR, 2026, { officeIds: 'fagai' })).rejects.toThrow('officeIds 应为单位编号的数组');
  await expect(inviteOffices(w.deps, { role: 'office', year: 2026, officeId: 'fagai' }, 2026)).rejects.toThrow(/仅限/);
});

test('a mail that cannot be sent is reported per office; the others go out', async () => {
  const w = await seeded();
  const send = w.mailer.send.bind(w.mailer);
  w.mailer.send = async (m) => {
    if (m.to.includes('fg@example.cn')) throw new Error('SES throttled');
    return send(m);
  };
  const r = await inviteOffices(w.deps, COORDINATOR, 2026);
  expect(r.failed).toEqual([{ officeId: 'fagai', name: '发展和改革局', error: '邀请邮件发送失败，请稍后重新发送' }]);
  expect(r.invited.map((o) => o.officeId)).toEqual(['jincheng']);
  expect((await w.repo.listAudit(2026, 'fagai')).at(-1)).toMatchObject({ action: 'invitation_failed' });
});
