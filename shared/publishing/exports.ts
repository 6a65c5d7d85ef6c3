/**
 * The downloads of the dashboard as use cases: the status list (.xlsx), the 报送情况通报 (PDF) and one
 * submission's findings (.xlsx). Each returns the file; the route sends it as an attachment
 * (docs/coordinator-workflow.md lists the routes still to wire).
 */
import { findingsXlsx, statusListXlsx, statusReportPdf, type StatusReportOptions } from '../render/cycle-exports';
import type { CycleDeps } from '../cycle/deps';
import { invalid, notFound } from '../cycle/errors';
import type { Principal } from '../cycle/model';
import { SUBMISSION_ID_PATTERN, dashboardView } from '../cycle/pages';
import { requireCoordinator, requireOfficeOrCoordinator } from '../cycle/service';

export interface ExportFile {
  /** The Chinese file name (for Content-Disposition's filename*). */
  fileName: string;
  /** An ASCII fallback name. */
  asciiName: string;
  contentType: string;
  body: Buffer;
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export async function statusListFile(deps: CycleDeps, principal: Principal, year: number): Promise<ExportFile> {
  requireCoordinator(principal);
  const view = await dashboardView(deps, principal, year);
  return { fileName: `${year}年度报送情况.xlsx`, asciiName: `status-${year}.xlsx`, contentType: XLSX, body: Buffer.from(statusListXlsx(view)) };
}

export async function statusReportFile(deps: CycleDeps, principal: Principal, year: number, options: StatusReportOptions = {}): Promise<ExportFile> {
  requireCoordinator(principal);
  const view = await dashboardView(deps, principal, year);
  return { fileName: `${year}年度报送情况通报.pdf`, asciiName: `status-report-${year}.pdf`, contentType: 'application/pdf', body: await statusReportPdf(view, options) };
}

export async function findingsFile(deps: CycleDeps, principal: Principal, year: number, officeId: string, submissionId: string): Promise<ExportFile> {
  requireOfficeOrCoordinator(principal, year, officeId);
  if (!SUBMISSION_ID_PATTERN.test(submissionId)) throw invalid('提交编号格式不正确');
  const office = await deps.repo.getOffice(year, officeId);
  if (!office) throw notFound(`${year}年度没有编号为“${officeId}”的单位`);
  const submission = await deps.repo.getSubmission(year, officeId, submissionId);
  if (!submission) throw notFound(`没有编号为 ${submissionId} 的提交`);
  return {
    fileName: `校验问题-${office.name}-${submission.id}.xlsx`,
    asciiName: `findings-${officeId}-${submission.id}.xlsx`,
    contentType: XLSX,
    body: Buffer.from(findingsXlsx({ year, officeName: office.name, officeId, submission })),
  };
}
