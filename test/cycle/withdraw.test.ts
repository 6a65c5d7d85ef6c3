/**
 * Withdrawal (撤回) through the real archive step on in-memory ports: a published report is withdrawn with a
 * reason; the audit trail says who and why; the office is told by e-mail (with the 政务公开办's footer) and may
 * upload again; the version leaves the year page, the open data, the search index and the office's history,
 * while its page keeps the notice; a later publication is a new version without the withdrawn one.
 */
import { archiveSubmission } from '../../shared/publishing/archive';
import { processSubmission } from '../../shared/cycle/processing';
import { createCycle, publishOffice, withdrawOffice } from '../../shared/cycle/service';
import { sitePaths } from '../../shared/common/site';
import { seeded, upload, type World } from './helpers';

const REASON = '报告附件中含有不应公开的个人信息，请删除后重新报送';

async function archiveAll(w: World): Promise<void> {
  for (const ref of w.archived.splice(0)) await archiveSubmission(w.deps, ref);
}

const page = (w: World, key: string) => {
  const obj = w.archive.objects.get(`public/${key}`);
  return obj ? Buffer.from(obj.bytes).toString('utf8') : null;
};

async function publishedWorld(): Promise<World & { submissionId: string }> {
  const w = await seeded();
  const cycle = (await w.repo.getCycle(2026))!;
  await createCycle(w.deps, { ...cycle, issuer: '金城区人民政府办公室', contactPerson: '王五', contactPhone: '0931-8888888' });
  const { submissionId } = (await processSubmission(w.deps, upload(w, 'fagai', 'OK report'))) as { submissionId: string };
  await publishOffice(w.deps, 2026, 'fagai');
  await archiveAll(w);
  return { ...w, submissionId };
}

test('publishing tells the office by e-mail, with the public page and the 政务公开办 at the end', async () => {
  const w = await publishedWorld();
  const mail = w.mailer.sent.find((m) => m.tags?.kind === 'published')!;
  expect(mail.to).toEqual(['fg@example.cn']);
  expect(mail.subject).toBe('【年报公开】发展和改革局 2026年度报告已公开');
  expect(mail.text).toContain(`提交编号 ${w.submissionId}`);
  expect(mail.text).toContain('公开页面：https://nianbao.example/2026/fagai/index.html');
  expect(mail.text.endsWith('金城区人民政府办公室\n联系人：王五　电话：0931-8888888')).toBe(true);
  expect(mail.html).toContain('<a href="https://nianbao.example/2026/fagai/index.html">');
  // Publishing again (nothing changes) sends nothing more.
  await publishOffice(w.deps, 2026, 'fagai');
  expect(w.mailer.sent.filter((m) => m.tags?.kind === 'published')).toHaveLength(1);
});

test('a withdrawal needs a reason and a published report', async () => {
  const w = await publishedWorld();
  await expect(withdrawOffice(w.deps, 2026, 'fagai', '  ')).rejects.toThrow('撤回时请填写撤回理由');
  await expect(withdrawOffice(w.deps, 2026, 'fagai', 'x'.repeat(501))).rejects.toThrow('撤回理由过长');
  await expect(withdrawOffice(w.deps, 2026, 'jincheng', REASON)).rejects.toThrow('当前状态为“未提交”，只有已公开的报告可以撤回');
  expect((await w.repo.getOffice(2026, 'fagai'))!.status).toBe('PUBLISHED');
});

test('the withdrawn version leaves every listing, the office page keeps the notice, the office uploads again', async () => {
  const w = await publishedWorld();
  expect(page(w, sitePaths.yearIndex(2026))).toContain('发展和改革局');
  expect(page(w, sitePaths.openDataJson(2026))).toContain('fagai');
  expect(page(w, sitePaths.searchIndex())).toContain('fagai');
  expect(page(w, sitePaths.officeHistory('fagai'))).toContain('2026年度');

  w.clock.advance(3 * 86_400_000); // 2027-01-23 10:00 Beijing
  const view = await withdrawOffice(w.deps, 2026, 'fagai', `${REASON}\n`);
  expect(view).toMatchObject({ status: 'RETURNED', publishedSubmissionId: null, note: `已撤回公开。撤回理由：${REASON}` });
  expect((await w.repo.getSubmission(2026, 'fagai', w.submissionId))).toMatchObject({ withdrawnAt: '2027-01-23T02:00:00.000Z', withdrawnReason: REASON, publishedVersion: 1 });
  expect((await w.repo.listAudit(2026, 'fagai')).at(-1)).toMatchObject({
    action: 'withdrawn',
    actor: 'coordinator',
    from: 'PUBLISHED',
    to: 'RETURNED',
    submissionId: w.submissionId,
    detail: `撤回第1版：${REASON}`,
  });
  const mail = w.mailer.sent.at(-1)!;
  expect(mail).toMatchObject({ to: ['fg@example.cn'], subject: '【年报撤回】发展和改革局 2026年度报告已撤回公开', tags: { kind: 'withdrawn' } });
  expect(mail.text).toContain(`撤回理由：${REASON}`);
  expect(mail.text).toContain('报送页面（上传、查看校验结果和回执）：https://nianbao.example/upload/?year=2026&office=fagai');
  expect(mail.text.endsWith('联系人：王五　电话：0931-8888888')).toBe(true);
  expect(w.archived).toEqual([{ year: 2026, officeId: 'fagai', submissionId: w.submissionId }]);
  // Not twice.
  await expect(withdrawOffice(w.deps, 2026, 'fagai', REASON)).rejects.toThrow('只有已公开的报告可以撤回');

  await archiveAll(w);
  const officePage = page(w, sitePaths.officePage(2026, 'fagai'))!;
  expect(officePage).toContain(`该报告（第 1 版）已于2027年1月23日撤回，理由：${REASON}`);
  expect(officePage).not.toContain('report.pdf');
  expect(page(w, sitePaths.yearIndex(2026))).not.toContain('发展和改革局');
  expect(page(w, sitePaths.openDataJson(2026))).not.toContain('fagai');
  expect(page(w, sitePaths.openDataCsv(2026))).not.toContain('fagai');
  expect(page(w, sitePaths.searchIndex())).not.toContain('fagai');
  expect(page(w, sitePaths.officeHistory('fagai'))).not.toContain('2026年度');

  // The office uploads again; published, it is version 2, and version 1 is in no listing.
  const again = (await processSubmission(w.deps, upload(w, 'fagai', 'OK report, corrected'))) as { submissionId: string };
  expect((await w.repo.getOffice(2026, 'fagai'))!.status).toBe('ACCEPTED');
  await publishOffice(w.deps, 2026, 'fagai');
  await archiveAll(w);
  expect((await w.repo.getSubmission(2026, 'fagai', again.submissionId))!.publishedVersion).toBe(2);
  const republished = page(w, sitePaths.officePage(2026, 'fagai'))!;
  expect(republished).toContain(again.submissionId);
  expect(republished).not.toContain(w.submissionId);
  expect(republished).not.toContain('撤回');
  expect(page(w, sitePaths.yearIndex(2026))).toContain('发展和改革局');
});

test('a withdrawal that loses the race to a new upload takes its mark back', async () => {
  const w = await publishedWorld();
  // The office's amendment arrives between the check and the transition.
  const get = w.repo.getOffice.bind(w.repo);
  let calls = 0;
  w.repo.getOffice = async (year, id) => {
    const o = await get(year, id);
    if (o && ++calls === 2) {
      await processSubmission(w.deps, upload(w, 'fagai', 'BAD amendment'));
      return get(year, id);
    }
    return o;
  };
  await expect(withdrawOffice(w.deps, 2026, 'fagai', REASON)).rejects.toThrow('该报告已不是公开版本，未撤回');
  expect((await w.repo.getSubmission(2026, 'fagai', w.submissionId))!.withdrawnAt).toBeUndefined();
});
