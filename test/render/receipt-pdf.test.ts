/**
 * The receipt as a PDF and the 落款 of the canonical PDF, read back with pdftotext: the receipt's facts, its
 * findings with their 说明 and 豁免, then the 政务公开办's name (the cycle's issuer) and the date; the canonical
 * PDF ends with the office's name and the day the report was received (Beijing time).
 */
import { rmSync } from 'node:fs';
import { explainFinding, waiveFinding } from '../../shared/cycle/judgement';
import { processSubmission } from '../../shared/cycle/processing';
import { receiptPdfFile } from '../../shared/publishing/review';
import { createCycle } from '../../shared/cycle/service';
import { renderPdf } from '../../shared/render/pdf';
import { seeded, upload } from '../cycle/helpers';
import { buildReport, pdfPages, pdftotext, squash, tmp, writeTmp } from './helpers';

const dir = tmp();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('the receipt PDF: facts, findings with their judgements, 落款 and date', async () => {
  const w = await seeded();
  await createCycle(w.deps, { ...(await w.repo.getCycle(2026))!, issuer: '金城区人民政府办公室' });
  const { submissionId } = (await processSubmission(w.deps, upload(w, 'fagai', 'WARN report', { fileName: '发改局年报.docx' }))) as { submissionId: string };
  const ref = { year: 2026, officeId: 'fagai', submissionId, index: 0 };
  await explainFinding(w.deps, { role: 'office', year: 2026, officeId: 'fagai' }, ref, '本年度确无新增内容');
  w.clock.t = Date.parse('2027-02-03T01:00:00Z'); // printed on 2027-02-03, Beijing
  const file = await receiptPdfFile(w.deps, { role: 'office', year: 2026, officeId: 'fagai' }, 2026, 'fagai', submissionId);
  expect(file).toMatchObject({ fileName: `回执-发展和改革局-${submissionId}.pdf`, contentType: 'application/pdf' });
  const path = writeTmp(dir, 'receipt.pdf', file.body);
  const raw = squash(pdftotext(path, '-raw'));
  expect(raw.startsWith('政府信息公开工作年度报告提交回执发展和改革局：')).toBe(true);
  for (const line of [`提交编号：${submissionId}`, '文件名：发改局年报.docx', '收到时间：2027年1月20日10:00:00（北京时间）', '校验结果：通过']) expect(raw).toContain(squash(line));
  expect(raw).toContain(squash('1. [TXT-03] 提示：第五部分过短｜单位说明：本年度确无新增内容'));
  expect(raw).toMatch(/金城区人民政府办公室2027年2月3日第1页\/共1页$/);
  expect(pdfPages(path)).toBe(1);

  // The 政务公开办's waiver shows on the next print.
  await waiveFinding(w.deps, { role: 'coordinator' }, ref, '经核实无误');
  const again = writeTmp(dir, 'receipt2.pdf', (await receiptPdfFile(w.deps, { role: 'coordinator' }, 2026, 'fagai', submissionId)).body);
  expect(squash(pdftotext(again, '-raw'))).toContain(squash('已豁免（理由：经核实无误）'));
});

test('the canonical PDF ends with the office’s 落款 and the date it was received, in Beijing time', async () => {
  const report = buildReport({ year: 2021, office: '青峰区市场监督管理局' });
  // 2022-01-20 17:30 UTC is already 21 January in Beijing.
  const path = writeTmp(dir, 'canonical.pdf', await renderPdf(report, { submissionId: 's-1', receivedAt: '2022-01-20T17:30:00Z' }));
  const pages = pdfPages(path);
  const last = squash(pdftotext(path, '-raw', pages));
  expect(last).toMatch(new RegExp(`青峰区市场监督管理局2022年1月21日青峰区市场监督管理局·2021年度·提交编号s-1.*第${pages}页/共${pages}页$`));
});
