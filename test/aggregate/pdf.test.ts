/** The 本级 report as the canonical PDF (shared/render/pdf.ts): title, drafted overview, the summed figures. */
import { aggregate } from '../../shared/report/aggregate';
import { renderPdf } from '../../shared/render/pdf';
import { T3, T3_COLUMNS } from '../../shared/report/spec';
import { consistentReport } from '../report/rules-gen';
import { hasNumberRun, pdftotext, squash, tmp, writeTmp } from '../render/helpers';

test('the aggregate renders as the canonical PDF with the summed rows', async () => {
  const rs = ['青峰区教育局', '青峰区自然资源局', '白石街道办事处'].map((office, i) => consistentReport(90 + i, { version: '2021', year: 2022, office }));
  const result = aggregate(rs.map((r) => ({ office: r.office!, basis: 'file' as const, report: r })), { name: '青峰区人民政府' });
  const file = writeTmp(tmp(), 'aggregate.pdf', await renderPdf(result.report));
  const raw = squash(pdftotext(file, '-raw'));
  expect(raw).toContain('青峰区人民政府2022年政府信息公开工作年度报告');
  expect(raw).toContain(squash(`全年共新收政府信息公开申请${result.report.table3![T3.received][T3.total].value}件`));
  const layout = pdftotext(file, '-layout');
  for (const row of [T3.received, T3.resultsTotal]) {
    expect(hasNumberRun(layout, T3_COLUMNS.map((c) => result.report.table3![row][c.label].value!))).toBe(true);
  }
});
