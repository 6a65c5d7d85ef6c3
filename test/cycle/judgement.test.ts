/**
 * Judgement on findings: an office explains a 提示, the 政务公开办 waives a 提示 or (with a reason) an error;
 * the verdict and the office's status follow; the audit trail and the receipt say who and why. And a file
 * returned and sent again unchanged is recognised by its hash.
 */
import { processSubmission } from '../../shared/cycle/processing';
import { explainFinding, waiveFinding } from '../../shared/cycle/judgement';
import { submissionReceipt } from '../../shared/cycle/pages';
import { publishOffice, returnOffice } from '../../shared/cycle/service';
import { seeded, upload } from './helpers';

const COORDINATOR = { role: 'coordinator' } as const;
const office = (officeId: string) => ({ role: 'office', year: 2026, officeId }) as const;

test('an office explains a 提示; it cannot explain an error away nor explain for another office', async () => {
  const w = await seeded();
  const { submissionId } = (await processSubmission(w.deps, upload(w, 'fagai', 'WARN report'))) as { submissionId: string };
  const ref = { year: 2026, officeId: 'fagai', submissionId, index: 0 };

  const judged = await explainFinding(w.deps, office('fagai'), ref, '第五部分本年度确无新增内容，已如实填写。');
  expect(judged).toMatchObject({ rule: 'TXT-03', explanation: { kind: 'explained', by: 'office:fagai', text: '第五部分本年度确无新增内容，已如实填写。' }, waiver: null });
  const audit = await w.repo.listAudit(2026, 'fagai');
  expect(audit.at(-1)).toMatchObject({ action: 'finding_explained', actor: 'office:fagai', submissionId, detail: '第1项 [TXT-03] 第五部分过短｜说明：第五部分本年度确无新增内容，已如实填写。' });

  await expect(explainFinding(w.deps, office('jincheng'), ref, '说明')).rejects.toThrow(/只能用于本单位/);
  await expect(explainFinding(w.deps, office('fagai'), ref, '  ')).rejects.toThrow('请填写说明');
  await expect(explainFinding(w.deps, office('fagai'), { ...ref, index: 5 }, '说明')).rejects.toThrow('该提交没有第 6 项问题');

  await expect(explainFinding(w.deps, office('fagai'), { ...ref, submissionId: '../x' }, '说明')).rejects.toThrow('提交编号格式不正确');
  // Not yet written for the last time by processing: a judgement now could be overwritten.
  const sub = (await w.repo.getSubmission(2026, 'fagai', submissionId))!;
  await w.repo.updateSubmission({ ...sub, state: 'checked' });
  await expect(explainFinding(w.deps, office('fagai'), ref, '说明')).rejects.toThrow('该提交仍在校验中');
  await w.repo.updateSubmission(sub);

  const bad = (await processSubmission(w.deps, upload(w, 'jincheng', 'BAD report'))) as { submissionId: string };
  await expect(explainFinding(w.deps, office('jincheng'), { ...ref, officeId: 'jincheng', submissionId: bad.submissionId }, '数字没错')).rejects.toThrow(/错误须修改后重新上传/);

  // The receipt shows the explanation beside the finding.
  const receipt = await submissionReceipt(w.deps, office('fagai'), 2026, 'fagai', submissionId);
  expect(receipt.text).toContain('1. [TXT-03] 提示：第五部分过短｜单位说明：第五部分本年度确无新增内容，已如实填写。');
  expect(receipt.html).toContain('<th style="border:1px solid #ccc;padding:4px 6px;background:#f3f3f3">处理</th>');
});

test('the 政务公开办 waives an error with a reason: the verdict is recomputed, the office moves to ACCEPTED, archived; audit and receipt say so', async () => {
  const w = await seeded();
  const { submissionId } = (await processSubmission(w.deps, upload(w, 'jincheng', 'BAD report'))) as { submissionId: string };
  expect((await w.repo.getOffice(2026, 'jincheng'))?.status).toBe('REJECTED');
  const ref = { year: 2026, officeId: 'jincheng', submissionId, index: 0 };

  await expect(waiveFinding(w.deps, office('jincheng'), ref, '理由')).rejects.toThrow('只有政务公开办（管理员）可以豁免问题');
  await expect(waiveFinding(w.deps, COORDINATOR, ref, '')).rejects.toThrow('请填写豁免理由');

  const r = await waiveFinding(w.deps, COORDINATOR, ref, '总计按上级口径另行统计，经核实无误');
  expect(r).toMatchObject({ verdict: 'accepted', status: 'ACCEPTED', finding: { rule: 'T3-01', waiver: { by: 'coordinator', text: '总计按上级口径另行统计，经核实无误' } } });
  const sub = await w.repo.getSubmission(2026, 'jincheng', submissionId);
  expect(sub).toMatchObject({ verdict: 'accepted', findings: [{ rule: 'T3-01', severity: 'error' }] }); // the finding itself stays
  expect(w.archived).toEqual([{ year: 2026, officeId: 'jincheng', submissionId }]);
  expect((await w.repo.listAudit(2026, 'jincheng')).at(-1)).toMatchObject({
    action: 'finding_waived',
    actor: 'coordinator',
    from: 'REJECTED',
    to: 'ACCEPTED',
    detail: '第1项错误 [T3-01] 总计不等｜理由：总计按上级口径另行统计，经核实无误',
  });
  const receipt = await submissionReceipt(w.deps, COORDINATOR, 2026, 'jincheng', submissionId);
  expect(receipt.subject).toContain('：通过');
  expect(receipt.text).toContain('下一步：报告已通过：1 项错误已由政务公开办豁免（理由见下）。');
  expect(receipt.text).toContain('总计不等（应为 10，实为 9）｜已豁免（理由：总计按上级口径另行统计，经核实无误）');
  await publishOffice(w.deps, 2026, 'jincheng');
  expect((await w.repo.getOffice(2026, 'jincheng'))?.status).toBe('PUBLISHED');
});

test('a 提示 may be waived without a reason; the status does not move; an unreadable file cannot be waived', async () => {
  const w = await seeded();
  const { submissionId } = (await processSubmission(w.deps, upload(w, 'fagai', 'WARN report'))) as { submissionId: string };
  const r = await waiveFinding(w.deps, COORDINATOR, { year: 2026, officeId: 'fagai', submissionId, index: 0 }, undefined);
  expect(r).toMatchObject({ verdict: 'accepted', status: 'ACCEPTED', finding: { waiver: { text: '' } } });
  expect((await w.repo.listAudit(2026, 'fagai')).at(-1)).toMatchObject({ action: 'finding_waived', from: null, to: null, detail: '第1项提示 [TXT-03] 第五部分过短｜未填理由' });

  const un = (await processSubmission(w.deps, upload(w, 'jincheng', 'UNREADABLE'))) as { submissionId: string };
  await expect(waiveFinding(w.deps, COORDINATOR, { year: 2026, officeId: 'jincheng', submissionId: un.submissionId, index: 0 }, '算了')).rejects.toThrow(/不能豁免/);
});

test('a returned file sent again byte for byte is recognised (FILE-03) and rejected with the return note; a changed file is checked as usual', async () => {
  const w = await seeded();
  const first = (await processSubmission(w.deps, upload(w, 'fagai', 'OK report v1', { fileName: '年报.docx' }))) as { submissionId: string };
  await returnOffice(w.deps, 2026, 'fagai', '第五部分请写明改进措施');

  w.clock.advance(60_000);
  const same = (await processSubmission(w.deps, upload(w, 'fagai', 'OK report v1'))) as { submissionId: string; verdict: string; status: string };
  expect(same).toMatchObject({ verdict: 'rejected', status: 'REJECTED' });
  const sub = await w.repo.getSubmission(2026, 'fagai', same.submissionId);
  expect(sub?.findings.map((f) => f.rule)).toEqual(['FILE-03']);
  expect(sub?.findings[0].message).toBe(
    `本次上传的文件与已退回的提交 ${first.submissionId}（年报.docx）完全相同（SHA-256 一致），退回意见尚未处理：第五部分请写明改进措施。请按退回意见修改后重新上传`,
  );
  const receipt = w.mailer.sent.at(-1)!;
  expect(receipt.subject).toContain('未通过');
  expect(receipt.text).toContain('[FILE-03] 错误：本次上传的文件与已退回的提交');

  w.clock.advance(60_000);
  expect(await processSubmission(w.deps, upload(w, 'fagai', 'OK report v2'))).toMatchObject({ verdict: 'accepted', status: 'ACCEPTED' });
});
