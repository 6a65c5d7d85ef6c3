/**
 * The dashboard's downloads, read back by exceljs: the status list (every column, Chinese headers, Beijing
 * times) and one submission's findings with their explanations and waivers. The 通报 PDF is read back with
 * pdftotext in test/render/status-report-pdf.test.ts.
 */
import ExcelJS from 'exceljs';
import { findingsFile, statusListFile } from '../../shared/publishing/exports';
import { explainFinding, waiveFinding } from '../../shared/cycle/judgement';
import { STATUS_LIST_HEADERS, FINDINGS_HEADERS, statusReportFacts } from '../../shared/render/cycle-exports';
import { dashboardView } from '../../shared/cycle/pages';
import { busyCycle } from './helpers';

const COORDINATOR = { role: 'coordinator' } as const;

async function sheet(bytes: Buffer, name: string): Promise<ExcelJS.Worksheet> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb.getWorksheet(name)!;
}

const rowValues = (ws: ExcelJS.Worksheet, n: number) => (ws.getRow(n).values as unknown[]).slice(1);

test('the status list: the dashboard rows and columns, Chinese headers, Beijing times, counts on a second sheet', async () => {
  const w = await busyCycle();
  const file = await statusListFile(w.deps, COORDINATOR, 2026);
  expect(file).toMatchObject({ fileName: '2026年度报送情况.xlsx', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
  const ws = await sheet(file.body, '报送情况');
  expect(rowValues(ws, 1)).toEqual([...STATUS_LIST_HEADERS]);
  const rows = Array.from({ length: ws.rowCount - 1 }, (_, i) => rowValues(ws, i + 2));
  const byId = Object.fromEntries(rows.map((r) => [r[1], r]));
  expect(rows.map((r) => r[1])).toEqual(['fagai', 'minzheng', 'shuiwu', 'donggang', 'jincheng']); // the dashboard's order
  expect(byId.fagai).toEqual(['发展和改革局', 'fagai', '市直部门', '已公开', '否', '2027-01-31 23:59', '2027-01-20 10:00', '否', '发改局年报.docx', '通过', 0, 0, 'fg@example.cn', undefined, undefined, undefined, '未签发']);
  expect(byId.jincheng.slice(3, 12)).toEqual(['未通过', '是', '2027-01-26 23:59', '2027-01-20 10:00', '否', '年报.txt', '未通过', 1, 0]);
  expect(byId.donggang.slice(3, 12)).toEqual(['已通过', '否', '2027-01-26 23:59', '2027-01-27 09:30', '是', '东岗<年报>.pdf', '通过', 0, 1]);
  expect(byId.shuiwu.slice(3, 16)).toEqual(['未提交', '否', '2027-01-31 23:59', undefined, undefined, undefined, undefined, undefined, undefined, 'sw@example.cn', undefined, '赵六', '0931-1234567']);
  expect(byId.minzheng.slice(3)).toEqual(['已退回修改', '否', '2027-01-31 23:59', '2027-01-20 10:00', '否', '年报.txt', '通过', 0, 0, 'mz@example.cn', undefined, undefined, undefined, '未签发', undefined, undefined, '第五部分请写明改进措施']);

  const info = await sheet(file.body, '说明');
  const facts = Object.fromEntries(Array.from({ length: info.rowCount }, (_, i) => rowValues(info, i + 1)));
  expect(facts).toMatchObject({ 年度: '2026年度', '导出时间（北京时间）': '2027-01-28 10:00', 单位数: 5, 已公开: 1, 未通过: 1, 未提交: 1, 已退回修改: 1, 已通过: 1, '截止时间：街道': '2027-01-26 23:59' });

  const view = await dashboardView(w.deps, COORDINATOR, 2026);
  const f = statusReportFacts(view);
  expect({ ...f, missing: f.missing.map((o) => o.officeId), toRedo: f.toRedo.map((o) => o.officeId) }).toEqual({ total: 5, submitted: 4, onTime: 3, late: 1, missing: ['shuiwu'], toRedo: ['minzheng', 'jincheng'] });
  await expect(statusListFile(w.deps, { role: 'office', year: 2026, officeId: 'fagai' }, 2026)).rejects.toThrow(/仅限/);
});

test('the findings of one submission: every finding, explained and waived ones marked, with who and when', async () => {
  const w = await busyCycle();
  await explainFinding(w.deps, { role: 'office', year: 2026, officeId: 'donggang' }, { year: 2026, officeId: 'donggang', submissionId: w.warnId, index: 0 }, '本年度确无新增');
  await waiveFinding(w.deps, COORDINATOR, { year: 2026, officeId: 'donggang', submissionId: w.warnId, index: 0 }, '属实');
  const file = await findingsFile(w.deps, { role: 'office', year: 2026, officeId: 'donggang' }, 2026, 'donggang', w.warnId);
  expect(file.fileName).toBe(`校验问题-东岗街道办事处-${w.warnId}.xlsx`);
  const ws = await sheet(file.body, '校验问题');
  expect(rowValues(ws, 1)).toEqual([...FINDINGS_HEADERS]);
  expect(rowValues(ws, 2)).toEqual([1, 'TXT-03', '提示', undefined, undefined, undefined, undefined, undefined, undefined, '第五部分过短', '已豁免', '本年度确无新增', '属实', '单位 2027-01-28 10:00；政务公开办 2027-01-28 10:00']);
  expect(ws.rowCount).toBe(2);
  const facts = await sheet(file.body, '提交信息');
  expect(rowValues(facts, 8)).toEqual(['校验结果', '通过']);
  await expect(findingsFile(w.deps, { role: 'office', year: 2026, officeId: 'fagai' }, 2026, 'donggang', w.warnId)).rejects.toThrow(/只能用于本单位/);
});
