/**
 * The routes that let the 政务公开办 set a cycle up without a terminal (issue 15), through the api function's
 * router on in-memory ports: the office list as a file (a GBK CSV and an .xlsx, previewed then applied),
 * invitations and the sign-in they lead to, the exports as attachments, the manual reminder's 60-second
 * window across a minute boundary, and validation messages that name fields in Chinese.
 */
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { hashToken } from '../../shared/cycle/tokens';
import { seeded } from '../cycle/helpers';
import { apiEvent as event, COORDINATOR, routed as raw, routedJson as call } from './api-events';




const coordinator = (method: string, path: string, options: { body?: string | Buffer; type?: string } = {}) => event(method, path, { token: COORDINATOR, ...options });

const world = () => seeded({ coordinatorTokenSha256: hashToken(COORDINATOR) });

async function xlsx(rows: (string | number)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('名单');
  rows.forEach((r) => ws.addRow(r));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('the office list as a file', () => {
  test('a GBK CSV as octet-stream: the preview writes nothing; applying creates the offices with ids from their names', async () => {
    const w = await world();
    const gbk = iconv.encode('单位名称,分组,电子邮箱\r\n审计局,市直部门,sj@example.cn\r\n锦程街道办事处,街道,jc@example.cn；new@example.cn\r\n', 'gbk');
    const preview = await call(w, coordinator('POST', '/cycles/2026/offices/preview', { body: gbk, type: 'application/octet-stream' }));
    expect(preview.status).toBe(200);
    expect(preview.body.rows.map((r: { line: number; statusLabel: string; id: string }) => [r.line, r.statusLabel, r.id])).toEqual([
      [2, '新增', 'shenjiju'],
      [3, '更新', 'jincheng'],
    ]);
    expect(preview.body.canApply).toBe(true);
    expect(await w.repo.getOffice(2026, 'shenjiju')).toBeNull();

    const applied = await call(w, coordinator('POST', '/cycles/2026/offices', { body: gbk, type: 'application/octet-stream' }));
    expect(applied.status).toBe(200);
    expect(applied.body).toMatchObject({ created: ['shenjiju'], updated: ['jincheng'] });
    expect(await w.repo.getOffice(2026, 'shenjiju')).toMatchObject({ name: '审计局', group: 'departments', emails: ['sj@example.cn'] });
    expect((await w.repo.getOffice(2026, 'jincheng'))?.emails).toEqual(['jc@example.cn', 'new@example.cn']);
  });

  test('an .xlsx as JSON { contentBase64 }; a list with an error row is refused whole with the row named', async () => {
    const w = await world();
    const good = await xlsx([
      ['单位名称', '分组', '邮箱'],
      ['财政局', '市直部门', 'cz@example.cn'],
    ]);
    const ok = await call(w, coordinator('POST', '/cycles/2026/offices', { type: 'application/json', body: JSON.stringify({ contentBase64: good.toString('base64'), fileName: '名单.xlsx' }) }));
    expect(ok.body).toMatchObject({ created: ['caizhengju'], updated: [] });

    const bad = await xlsx([
      ['单位名称', '分组', '邮箱'],
      ['卫健委', '市直部门', 'wj@example.cn'],
      ['农业农村局', '农口', 'ny@example.cn'],
    ]);
    const refused = await call(w, coordinator('POST', '/cycles/2026/offices', { body: bad, type: 'application/octet-stream' }));
    expect(refused.status).toBe(400);
    expect(refused.body.error).toContain('第3行');
    expect(refused.body.error).toContain('分组“农口”不在本年度设置的分组中');
    expect(await w.repo.getOffice(2026, 'weijianwei')).toBeNull();
  });

  test('a GBK file sent as text has lost its bytes: refused with how to send it', async () => {
    const w = await world();
    const mangled = iconv.decode(iconv.encode('单位名称,电子邮箱\n审计局,sj@example.cn\n', 'gbk'), 'utf8');
    const r = await call(w, coordinator('POST', '/cycles/2026/offices', { body: mangled, type: 'text/csv' }));
    expect(r.status).toBe(400);
    expect(r.body.error).toContain('application/octet-stream');
  });
});

describe('invitations and sign-in', () => {
  test('every office gets a link with its token in the fragment; GET /me with it records the first sign-in', async () => {
    const w = await world();
    const r = await call(w, coordinator('POST', '/cycles/2026/invitations', { body: '{}', type: 'application/json' }));
    expect(r.status).toBe(200);
    expect(r.body.invited.map((o: { officeId: string }) => o.officeId).sort()).toEqual(['fagai', 'jincheng']);
    expect(r.body.failed).toEqual([]);
    const mail = w.mailer.sent.find((m) => m.to.includes('fg@example.cn'))!;
    const link = /https:\/\/nianbao\.example\/upload\/\?year=2026&office=fagai#token=([A-Za-z0-9_%-]+)/.exec(mail.text)!;
    expect(link).not.toBeNull();
    expect((await w.repo.getOffice(2026, 'fagai'))?.signedInAt).toBeNull();

    w.clock.advance(60_000);
    const me = await call(w, event('GET', '/me', { token: decodeURIComponent(link[1]) }));
    expect(me.body).toMatchObject({ role: 'office', year: 2026, officeId: 'fagai' });
    expect((await w.repo.getOffice(2026, 'fagai'))?.signedInAt).toBe(new Date(w.clock.t).toISOString());
    expect((await w.repo.getOffice(2026, 'jincheng'))?.signedInAt).toBeNull();

    // Inviting one office again: only it gets a new link, and the old one stops working.
    const again = await call(w, coordinator('POST', '/cycles/2026/invitations', { body: JSON.stringify({ officeIds: ['fagai'] }), type: 'application/json' }));
    expect(again.body.invited.map((o: { officeId: string }) => o.officeId)).toEqual(['fagai']);
    expect((await call(w, event('GET', '/me', { token: decodeURIComponent(link[1]) }))).status).toBe(401);
  });

  test('an office cannot invite, and is told who can', async () => {
    const w = await world();
    await call(w, coordinator('POST', '/cycles/2026/invitations', { body: '{}', type: 'application/json' }));
    const token = decodeURIComponent(/#token=([^\s"<]+)/.exec(w.mailer.sent.find((m) => m.to.includes('fg@example.cn'))!.text)![1]);
    const r = await call(w, event('POST', '/cycles/2026/invitations', { token, body: '{}', type: 'application/json' }));
    expect(r).toEqual({ status: 403, body: { error: '此操作仅限政务公开办（管理员）' } });
  });
});

describe('exports', () => {
  test('the status list is an .xlsx attachment with a Chinese file name; its cells are the offices', async () => {
    const w = await world();
    const r = await raw(w, coordinator('GET', '/cycles/2026/exports/status.xlsx'));
    expect(r.statusCode).toBe(200);
    expect(r.isBase64Encoded).toBe(true);
    expect(r.headers?.['content-disposition']).toBe(`attachment; filename="status-2026.xlsx"; filename*=UTF-8''${encodeURIComponent('2026年度报送情况.xlsx')}`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(String(r.body), 'base64') as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('报送情况')!;
    expect(sheet.getRow(1).getCell(1).value).toBe('单位名称');
    const names = [2, 3].map((i) => sheet.getRow(i).getCell(1).value);
    expect(names.sort()).toEqual(['发展和改革局', '锦程街道办事处'].sort());
  });

  test('the 通报 is a PDF attachment', async () => {
    const w = await world();
    const r = await raw(w, coordinator('GET', '/cycles/2026/exports/status-report.pdf'));
    expect(r.statusCode).toBe(200);
    expect(r.headers?.['content-type']).toBe('application/pdf');
    expect(String(r.headers?.['content-disposition'])).toContain(encodeURIComponent('2026年度报送情况通报.pdf'));
    expect(Buffer.from(String(r.body), 'base64').subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });
});

describe('the manual reminder', () => {
  test('a second click within 60 s is refused even across a minute boundary; after 60 s it sends again', async () => {
    const w = await world();
    const remind = () => call(w, coordinator('POST', '/cycles/2026/offices/fagai/remind'));
    const reminders = () => w.mailer.sent.filter((m) => m.tags?.kind === 'reminder-manual').length;
    w.clock.t = Date.parse('2027-01-20T02:00:59.500Z');
    expect((await remind()).status).toBe(200);
    w.clock.t = Date.parse('2027-01-20T02:01:01.000Z'); // 1.5 s later, in the next calendar minute
    expect(await remind()).toEqual({ status: 409, body: { error: '1分钟内已向该单位发送过提醒，请稍后再试' } });
    w.clock.t = Date.parse('2027-01-20T02:01:59.000Z'); // 59.5 s after the click
    expect((await remind()).status).toBe(409);
    expect(reminders()).toBe(1);
    w.clock.t = Date.parse('2027-01-20T02:01:59.600Z'); // 60.1 s after it
    expect((await remind()).status).toBe(200);
    expect(reminders()).toBe(2);
  });

  test('two clicks at the same moment send one mail', async () => {
    const w = await world();
    const results = await Promise.all([1, 2].map(() => call(w, coordinator('POST', '/cycles/2026/offices/fagai/remind'))));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(w.mailer.sent.filter((m) => m.tags?.kind === 'reminder-manual')).toHaveLength(1);
  });
});

describe('cycle settings', () => {
  test('a wrong field is named in words, never by its schema path', async () => {
    const w = await world();
    const r = await call(
      w,
      coordinator('POST', '/cycles', {
        type: 'application/json',
        body: JSON.stringify({
          year: 2027,
          coordinatorEmails: ['ok@example.cn', 'not-an-address'],
          groups: [
            { id: 'a', name: '市直部门', deadline: '2028-01-31' },
            { id: 'b', name: '街道', deadline: '明年一月' },
          ],
        }),
      }),
    );
    expect(r.status).toBe(400);
    expect(r.body.error).toContain('第2个分组的截止时间：');
    expect(r.body.error).toContain('第2个政务公开办邮箱：电子邮箱格式不正确');
    expect(r.body.error).not.toMatch(/groups|coordinatorEmails|\.\d/);
  });
});
