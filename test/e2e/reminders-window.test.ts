/**
 * A whole reminder window simulated day by day (20 days before the first deadline to 10 days after the
 * last), with offices that never submit, get accepted midway, stay rejected, are returned, are accepted late,
 * or have no deliverable address. Every day's job runs at 09:00 Beijing time, then again (a retried tick),
 * and on some days twice at once (a doubled tick). The e-mails sent must be exactly the expected ones.
 * Once on the in-memory repository and once on DynamoDB Local (the real conditional writes).
 */
import { recordMailEvent } from '../../shared/cycle/mail-events';
import type { CycleRepository, MailMessage } from '../../shared/cycle/ports';
import { processSubmission } from '../../shared/cycle/processing';
import { sendReminders } from '../../shared/cycle/reminders';
import { createCycle, importOffices, returnOffice } from '../../shared/cycle/service';
import { useDynamoLocal } from '../dynamo-local';
import { upload, world, type World } from '../cycle/helpers';

const DEADLINE_A = '2027-01-26'; // group "streets"
const DEADLINE_B = '2027-01-31'; // group "departments"
const FIRST_DAY = '2027-01-06'; // A − 20
const LAST_DAY = '2027-02-10'; // B + 10
const COORD = 'coord@example.cn';

/** 09:00 Beijing time on a date, plus an offset in minutes. */
const at = (date: string, minutes = 0) => new Date(Date.parse(`${date}T09:00:00+08:00`) + minutes * 60_000);
const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const daysFrom = (a: string, b: string) => Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000);

const OFFICES = [
  // id, group, e-mails
  ['never', 'streets', 'never@example.cn'], // never submits
  ['midway', 'streets', 'midway@example.cn'], // accepted on A−5 (08:00, before that day's run)
  ['dead', 'streets', 'dead@example.cn'], // its only address bounced: nothing is sent to it
  ['rejected', 'departments', 'rej@example.cn'], // rejected on B−10, never fixes it
  ['returned', 'departments', 'ret@example.cn'], // accepted B−9, returned B−4
  ['late', 'departments', 'late@example.cn'], // accepted on B+3 (late)
] as const;

/** Status changes, applied at 08:00 Beijing time on their day, before the 09:00 run. */
function events(w: World): [string, () => Promise<unknown>][] {
  const ok = (id: string, body: string) => () => processSubmission(w.deps, upload(w, id, body));
  return [
    [addDays(DEADLINE_A, -5), ok('midway', 'OK')],
    [addDays(DEADLINE_B, -10), ok('rejected', 'BAD')],
    [addDays(DEADLINE_B, -9), ok('returned', 'OK')],
    [addDays(DEADLINE_B, -4), () => returnOffice(w.deps, 2026, 'returned', '第五部分请写明具体改进措施')],
    [addDays(DEADLINE_B, 3), ok('late', 'OK')],
  ];
}

/**
 * The expectation, written from the policy (T−14, −7, −3, −1, 0; then daily for 30 days) and the
 * scripts above: which office gets which slot on which day while it still owes a report.
 */
function expected(): string[] {
  const outstanding: Record<string, (day: string) => boolean> = {
    never: () => true,
    midway: (d) => d < addDays(DEADLINE_A, -5),
    rejected: () => true,
    returned: (d) => d < addDays(DEADLINE_B, -9) || d >= addDays(DEADLINE_B, -4),
    late: (d) => d < addDays(DEADLINE_B, 3),
  };
  const out: string[] = [];
  for (let day = FIRST_DAY; day <= LAST_DAY; day = addDays(day, 1)) {
    for (const [id, group] of OFFICES) {
      if (id === 'dead' || !outstanding[id](day)) continue;
      const left = daysFrom(day, group === 'streets' ? DEADLINE_A : DEADLINE_B);
      if ([14, 7, 3, 1, 0].includes(left)) out.push(`${day} ${id} before${left}`);
      if (left < 0 && -left <= 30) out.push(`${day} ${id} after${-left}`);
    }
  }
  return out.sort();
}

async function simulate(repo?: CycleRepository) {
  const w = world(repo ? { repo } : {});
  w.clock.t = at(addDays(FIRST_DAY, -1)).getTime();
  await createCycle(w.deps, {
    year: 2026,
    coordinatorEmails: [COORD],
    groups: [
      { id: 'streets', name: '街道', deadline: DEADLINE_A },
      { id: 'departments', name: '市直部门', deadline: DEADLINE_B },
    ],
  });
  await importOffices(w.deps, 2026, { offices: OFFICES.map(([id, group, email]) => ({ id, name: `单位${id}`, group, emails: [email] })) });
  await recordMailEvent(w.deps, {
    eventType: 'Bounce',
    mail: { messageId: 'm-1', tags: { year: ['2026'], officeId: ['dead'], kind: ['receipt'] } },
    bounce: { bounceType: 'Permanent', bounceSubType: 'NoEmail', bouncedRecipients: [{ emailAddress: 'dead@example.cn' }] },
  });
  w.mailer.sent = [];

  const script = events(w);
  const byDay: { day: string; mails: MailMessage[] }[] = [];
  let undeliverable = 0;
  for (let day = FIRST_DAY, n = 0; day <= LAST_DAY; day = addDays(day, 1), n++) {
    w.clock.t = at(day, -60).getTime();
    for (const [d, fn] of script) if (d === day) await fn();
    const before = w.mailer.sent.length;
    w.clock.t = at(day).getTime();
    const first = await sendReminders(w.deps, at(day));
    undeliverable += first.undeliverable.length;
    // A retried tick the same day, and every third day a doubled one (two at once): nothing more.
    w.clock.t = at(day, 90).getTime();
    const again = await sendReminders(w.deps, at(day));
    expect(again).toMatchObject({ sent: [], undeliverable: [], digests: [] });
    if (n % 3 === 0) {
      const twin = await Promise.all([sendReminders(w.deps, at(day, 120)), sendReminders(w.deps, at(day, 120))]);
      expect(twin.flatMap((r) => [...r.sent, ...r.digests])).toEqual([]);
    }
    byDay.push({ day, mails: w.mailer.sent.slice(before) });
  }
  return { w, byDay, undeliverable };
}

function check({ w, byDay, undeliverable }: Awaited<ReturnType<typeof simulate>>) {
  const reminders = byDay.flatMap(({ day, mails }) => mails.filter((m) => m.tags?.kind?.startsWith('reminder-')).map((m) => `${day} ${m.tags!.officeId} ${m.tags!.kind!.slice(9)}`));
  expect(reminders.sort()).toEqual(expected());
  // No duplicates: every (office, slot) once.
  expect(new Set(reminders.map((r) => r.slice(11))).size).toBe(reminders.length);

  // Spot checks written out by hand.
  const of = (id: string) => reminders.filter((r) => r.includes(` ${id} `));
  expect(of('never')).toHaveLength(5 + 15); // 5 before A, then daily from A+1 (01-27) to 02-10
  expect(of('never').slice(0, 5)).toEqual(['2027-01-12 never before14', '2027-01-19 never before7', '2027-01-23 never before3', '2027-01-25 never before1', '2027-01-26 never before0']);
  expect(of('midway')).toEqual(['2027-01-12 midway before14', '2027-01-19 midway before7']);
  expect(of('late')).toEqual([
    '2027-01-17 late before14',
    '2027-01-24 late before7',
    '2027-01-28 late before3',
    '2027-01-30 late before1',
    '2027-01-31 late before0',
    '2027-02-01 late after1',
    '2027-02-02 late after2',
  ]);
  expect(of('returned')).toEqual(['2027-01-17 returned before14', '2027-01-28 returned before3', '2027-01-30 returned before1', '2027-01-31 returned before0', ...Array.from({ length: 10 }, (_, i) => `${addDays(DEADLINE_B, i + 1)} returned after${i + 1}`)]);
  expect(of('dead')).toEqual([]);
  // "dead" was due on 20 days (5 before + 15 overdue) and recorded as undeliverable each time, once.
  expect(undeliverable).toBe(20);

  // Nothing but reminders and digests went out, and never to a bounced address.
  const all = byDay.flatMap((d) => d.mails);
  expect(all.every((m) => m.tags?.kind === 'digest' || m.tags?.kind?.startsWith('reminder-'))).toBe(true);
  expect(all.some((m) => m.to.includes('dead@example.cn'))).toBe(false);

  // One digest on each day some office had a policy day, none on the others; never two a day.
  const digestDays = byDay.filter((d) => d.mails.some((m) => m.tags?.kind === 'digest')).map((d) => d.day);
  const dailyDigests = byDay.map((d) => d.mails.filter((m) => m.tags?.kind === 'digest').length);
  expect(Math.max(...dailyDigests)).toBe(1);
  // "dead" shares its group's days with "never", so the digest days are exactly the reminder days.
  expect(digestDays).toEqual([...new Set(expected().map((e) => e.slice(0, 10)))].sort());
  expect(digestDays).not.toContain('2027-01-13');

  // The content: the office's own status and page; overdue notice; the digest escalates.
  const mail = (day: string, id: string) => byDay.find((d) => d.day === day)!.mails.find((m) => m.tags?.officeId === id)!;
  const rejectedReminder = mail('2027-01-24', 'rejected');
  expect(rejectedReminder.subject).toBe('【年报提醒】单位rejected 2026年度报告距截止还有 7 天');
  expect(rejectedReminder.text).toContain('目前状态为“未通过”');
  expect(rejectedReminder.text).toContain('最近一次提交未通过校验（1 项错误）');
  expect(rejectedReminder.text).toContain('https://nianbao.example/upload/?year=2026&office=rejected');
  expect(rejectedReminder.text).toContain('以文件上传完成的时间');
  expect(rejectedReminder.html).toContain('<a href="https://nianbao.example/upload/?year=2026&amp;office=rejected">');
  const returned = mail('2027-01-28', 'returned');
  expect(returned.text).toContain('政务公开办退回说明：第五部分请写明具体改进措施');
  const deadlineDay = mail('2027-01-26', 'never');
  expect(deadlineDay.subject).toBe('【年报提醒】单位never 2026年度报告今天截止');
  const overdue = mail('2027-02-03', 'never');
  expect(overdue.subject).toBe('【年报逾期】单位never 2026年度报告已逾期 8 天');
  expect(overdue.cc).toBeUndefined();
  const digest = byDay.find((d) => d.day === '2027-02-03')!.mails.find((m) => m.tags?.kind === 'digest')!;
  expect(digest.to).toEqual([COORD]);
  expect(digest.subject).toBe('【年报进度】2026年度报告 2027-02-03：逾期 4 家，未通过 1 家');
  expect(digest.text).toContain('共 6 家单位：未提交 2，已通过 2，未通过 1，已退回修改 1');
  expect(digest.text).toContain('单位never：已逾期 8 天');
  expect(digest.text).toContain('单位rejected（1 项错误）');
  expect(digest.text).toContain('[T3-01] 错误｜表三，行“（七）总计”，列“总计”：总计不等（应为 10，实为 9）');
  expect(digest.text).toContain('联系邮箱无法送达（请核实后重新导入单位名单）：\n- 单位dead：dead@example.cn');
  expect(digest.text).not.toContain('单位late：');
  return w;
}

test('in memory: the whole window, day by day, retried and doubled runs: exactly the expected e-mails', async () => {
  const { w, ...rest } = await simulate();
  check({ w, ...rest });
  // The audit trail has each reminder once, with its slot and recipients.
  const audit = await w.repo.listAudit(2026, 'late');
  expect(audit.filter((a) => a.action === 'reminder').map((a) => a.detail)).toEqual([
    'before14｜截止 2027-01-31｜收件人 late@example.cn',
    'before7｜截止 2027-01-31｜收件人 late@example.cn',
    'before3｜截止 2027-01-31｜收件人 late@example.cn',
    'before1｜截止 2027-01-31｜收件人 late@example.cn',
    'before0｜截止 2027-01-31｜收件人 late@example.cn',
  ]);
  expect(audit.filter((a) => a.action === 'overdue_notice')).toHaveLength(2);
});

test('a dry run lists what is due and sends and records nothing; the real run then sends exactly that', async () => {
  const w = world();
  w.clock.t = at('2027-01-01').getTime();
  await createCycle(w.deps, { year: 2026, coordinatorEmails: [COORD], groups: [{ id: 'streets', name: '街道', deadline: DEADLINE_A }] });
  await importOffices(w.deps, 2026, { offices: [{ id: 'a', name: '甲', group: 'streets', emails: ['a@example.cn'] }, { id: 'b', name: '乙', group: 'streets', emails: ['b@example.cn'] }] });
  const day = addDays(DEADLINE_A, -3);
  const dry = await sendReminders(w.deps, at(day), { dryRun: true });
  expect(dry).toMatchObject({ dryRun: true, date: day, sent: [{ officeId: 'a', slot: 'before3' }, { officeId: 'b', slot: 'before3' }], digests: [2026] });
  expect(w.mailer.sent).toEqual([]);
  expect(w.repo.claims.size).toBe(0);
  const real = await sendReminders(w.deps, at(day));
  expect(real.sent).toEqual(dry.sent);
  expect(w.mailer.sent.map((m) => m.to[0])).toEqual(['a@example.cn', 'b@example.cn', COORD]);
  // Afterwards the dry run knows they were sent.
  expect((await sendReminders(w.deps, at(day, 30), { dryRun: true })).sent).toEqual([]);
});

describe('on DynamoDB Local', () => {
  const { freshRepo } = useDynamoLocal();

  test('the same window on the real conditional writes: exactly the expected e-mails', async () => {
    const repo = await freshRepo('reminders');
    check(await simulate(repo));
    // Offices were found through the status index (Query), never a Scan: the status partitions hold them.
    expect((await repo.listOfficesByStatus(2026, 'REJECTED')).map((o) => o.id)).toEqual(['rejected']);
  }, 180_000);
});
