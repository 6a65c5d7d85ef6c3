/**
 * The printable 报送情况通报, read back with pdftotext: the counts by status, on time / late, each group's
 * line, the offices still missing and those to redo, the 落款; the same view gives the same bytes.
 */
import { rmSync } from 'node:fs';
import { statusReportFile } from '../../shared/publishing/exports';
import { dashboardView } from '../../shared/cycle/pages';
import { statusReportPdf } from '../../shared/render/cycle-exports';
import { busyCycle } from '../cycle/helpers';
import { hasNumberRun, pdfPages, pdftotext, squash, tmp, writeTmp } from './helpers';

const dir = tmp();
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const COORDINATOR = { role: 'coordinator' } as const;

test('counts, groups, missing offices and the 落款, as text', async () => {
  const w = await busyCycle();
  const file = await statusReportFile(w.deps, COORDINATOR, 2026, { issuer: '金城区人民政府办公室（政务公开办）' });
  expect(file).toMatchObject({ fileName: '2026年度报送情况通报.pdf', contentType: 'application/pdf' });
  const path = writeTmp(dir, 'report.pdf', file.body);
  const layout = pdftotext(path, '-layout');
  const raw = squash(pdftotext(path, '-raw'));
  expect(raw).toContain('2026年度政府信息公开工作年度报告报送情况通报');
  expect(raw).toContain('（截至2027年1月28日10:00，北京时间）');
  expect(raw).toContain(squash('本年度应报送单位 5 家，已报送 4 家，其中按截止时间报送 3 家、逾期报送 1 家；尚未报送 1 家。已公开 1 家，已通过待公开 1 家，校验中 0 家，未通过 1 家，退回修改 1 家。'));
  for (const [label, n] of [['未提交', 1], ['已公开', 1], ['已退回修改', 1], ['合计', 5]] as const) {
    expect(layout.split('\n').some((l) => l.includes(label) && hasNumberRun(l, [n]))).toBe(true);
  }
  // 分组, 截止, 应报, 已报送, 按时, 逾期, 尚未报送
  expect(layout.split('\n').some((l) => l.includes('街道') && hasNumberRun(l, [2, 2, 1, 1, 0]))).toBe(true);
  expect(layout.split('\n').some((l) => l.includes('市直部门') && hasNumberRun(l, [3, 2, 2, 0, 1]))).toBe(true);
  expect(raw).toContain(squash('三、尚未报送的单位（1 家）'));
  expect(raw).toContain('市直部门（1家）：水务局。');
  expect(raw).toContain(squash('四、需修改后重新报送的单位（2 家）'));
  expect(raw).toContain('民政局（市直部门）：退回修改：第五部分请写明改进措施。');
  expect(raw).toContain('锦程街道办事处（街道）：未通过校验（1项错误）。');
  expect(raw).toMatch(/金城区人民政府办公室（政务公开办）2027年1月28日第1页\/共1页$/);
  expect(pdfPages(path)).toBe(1);

  const view = await dashboardView(w.deps, COORDINATOR, 2026);
  expect((await statusReportPdf(view, { issuer: '金城区人民政府办公室（政务公开办）' })).equals(file.body)).toBe(true);
});

test('a long list of missing offices runs onto more pages, each numbered', async () => {
  const w = await busyCycle();
  const view = await dashboardView(w.deps, COORDINATOR, 2026);
  const many = Array.from({ length: 400 }, (_, i) => ({ ...view.offices[2], officeId: `o${i}`, name: `第${i + 1}号单位名称较长的某某局` }));
  const path = writeTmp(dir, 'long.pdf', await statusReportPdf({ ...view, offices: many }));
  const pages = pdfPages(path);
  expect(pages).toBeGreaterThan(1);
  expect(squash(pdftotext(path, '-raw', pages))).toContain(`第${pages}页/共${pages}页`);
  expect(squash(pdftotext(path, '-raw'))).toContain('第400号单位名称较长的某某局。');
});
