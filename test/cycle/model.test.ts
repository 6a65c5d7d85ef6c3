import { canTransition, CycleInputSchema, OFFICE_STATUSES, TRANSITIONS } from '../../shared/cycle/model';
import { parseOfficesCsv } from '../../shared/cycle/offices-csv';
import { generateToken, hashToken, tokenMatches } from '../../shared/cycle/tokens';
import { calendarDaysBetween, formatShanghai, shanghaiDate } from '../../shared/common/time';

describe('status machine', () => {
  test('the transitions of docs/architecture.md and only those', () => {
    const allowed = OFFICE_STATUSES.flatMap((from) => OFFICE_STATUSES.filter((to) => canTransition(from, to)).map((to) => `${from}→${to}`));
    expect(allowed.sort()).toEqual(
      [
        'NOT_SUBMITTED→RECEIVED',
        'RECEIVED→ACCEPTED',
        'RECEIVED→REJECTED',
        'RECEIVED→RECEIVED',
        'REJECTED→RECEIVED',
        'REJECTED→ACCEPTED',
        'ACCEPTED→PUBLISHED',
        'ACCEPTED→RETURNED',
        'ACCEPTED→RECEIVED',
        'PUBLISHED→RECEIVED',
        'PUBLISHED→RETURNED', // 撤回 (use-cases/withdraw-office.ts)
        'RETURNED→RECEIVED',
      ].sort(),
    );
    expect(canTransition('NOT_SUBMITTED', 'ACCEPTED')).toBe(false);
    expect(canTransition('REJECTED', 'PUBLISHED')).toBe(false);
    expect(canTransition('PUBLISHED', 'ACCEPTED')).toBe(false);
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...OFFICE_STATUSES].sort());
  });
});

describe('cycle settings', () => {
  test('deadlines are instants in Asia/Shanghai; a bare date means the end of that day', () => {
    const c = CycleInputSchema.parse({
      year: 2026,
      coordinatorEmails: ['a@example.cn'],
      groups: [
        { id: 'a', name: 'A', deadline: '2027-01-31T23:59:59+08:00' },
        { id: 'b', name: 'B', deadline: '2027-01-26' },
      ],
    });
    expect(c.groups[0].deadline).toBe('2027-01-31T15:59:59.000Z');
    expect(c.groups[1].deadline).toBe('2027-01-26T15:59:59.000Z');
    expect(c.groups[1].reminders).toEqual({ daysBefore: [14, 7, 3, 1, 0], daysAfter: Array.from({ length: 30 }, (_, i) => i + 1) });
    expect(c.autoPublish).toBe(false);
  });

  test('bad settings are refused with Chinese messages', () => {
    const r = CycleInputSchema.safeParse({ year: 26, coordinatorEmails: ['nope'], groups: [{ id: 'a', name: 'A', deadline: '1月31日' }] });
    expect(r.success).toBe(false);
    const messages = r.error!.issues.map((i) => i.message).join('|');
    expect(messages).toContain('年度应为');
    expect(messages).toContain('电子邮箱格式不正确');
    expect(messages).toContain('截止时间"1月31日"格式不正确');
  });

  test('Shanghai calendar', () => {
    expect(shanghaiDate('2027-01-31T16:30:00Z')).toBe('2027-02-01');
    expect(formatShanghai('2027-01-31T15:59:59Z')).toBe('2027年1月31日 23:59:59（北京时间）');
    expect(calendarDaysBetween('2027-01-24T17:00:00Z', '2027-01-26T15:59:59Z')).toBe(1);
  });
});

describe('offices CSV', () => {
  test('reads quoted fields, ;-separated e-mails, a BOM and CRLF', () => {
    const csv = '\uFEFFid,name,group,emails\r\njincheng,"锦程街道办事处, 汽开区",streets,a@x.cn; b@x.cn\r\n\r\nfagai,发展和改革局,departments,c@x.cn\r\n';
    const r = parseOfficesCsv(csv);
    expect(r.errors).toEqual([]);
    expect(r.offices).toEqual([
      { id: 'jincheng', name: '锦程街道办事处, 汽开区', group: 'streets', emails: ['a@x.cn', 'b@x.cn'] },
      { id: 'fagai', name: '发展和改革局', group: 'departments', emails: ['c@x.cn'] },
    ]);
  });

  test('reads GBK bytes as Excel on Chinese Windows saves them', () => {
    // "id,name,group,emails\nab,政务,g,a@x.cn" with 政务 in GBK (D5FE CEF1).
    const bytes = new Uint8Array([...Buffer.from('id,name,group,emails\nab,'), 0xd5, 0xfe, 0xce, 0xf1, ...Buffer.from(',g,a@x.cn\n')]);
    expect(parseOfficesCsv(bytes).offices[0].name).toBe('政务');
  });

  test('every bad line is reported with its line number, in Chinese', () => {
    const csv = [
      'id,name,group,emails',
      'Bad_ID,某局,departments,a@x.cn',
      'ok,某局,departments',
      'ok2,,departments,a@x.cn',
      'ok3,某局,nogroup,a@x.cn',
      'ok4,某局,departments,not-an-email',
      'ok5,某局,departments,a@x.cn',
      'ok5,另一局,departments,b@x.cn',
      '../etc,某局,departments,a@x.cn',
    ].join('\n');
    const r = parseOfficesCsv(csv, ['departments']);
    expect(r.offices.map((o) => o.id)).toEqual(['ok5']);
    expect(r.errors).toHaveLength(7);
    expect(r.errors[0]).toMatch(/^第2行：单位编号：/);
    expect(r.errors[1]).toBe('第3行：应有4列（id,name,group,emails），实有3列');
    expect(r.errors[2]).toMatch(/^第4行：单位名称：单位名称不能为空/);
    expect(r.errors[3]).toMatch(/^第5行：分组"nogroup"不在本年度设置的分组中/);
    expect(r.errors[4]).toMatch(/^第6行：电子邮箱：电子邮箱格式不正确/);
    expect(r.errors[5]).toBe('第8行：单位编号"ok5"与第7行重复');
    expect(r.errors[6]).toMatch(/^第9行：单位编号/);
  });

  test('a wrong header is one clear error', () => {
    expect(parseOfficesCsv('编号,名称\n1,2').errors).toEqual(['第1行：表头应为 id,name,group,emails，实为 编号,名称']);
    expect(parseOfficesCsv('').errors[0]).toContain('文件为空');
  });
});

describe('tokens', () => {
  test('32 random bytes base64url; only the hash is needed to verify', () => {
    const t = generateToken();
    expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(generateToken()).not.toBe(t);
    const h = hashToken(t);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(tokenMatches(t, h)).toBe(true);
    expect(tokenMatches(t, h.toUpperCase())).toBe(true);
    expect(tokenMatches(`${t}x`, h)).toBe(false);
    expect(tokenMatches(t, 'not-a-hash')).toBe(false);
  });
});
