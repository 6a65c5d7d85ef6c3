/**
 * The downloads of the dashboard as use cases: the status list (.xlsx), the 报送情况通报 (PDF) and one
 * submission's findings (.xlsx). Each returns the file; the route sends it as an attachment.
 */
import { findingsXlsx, statusListXlsx, statusReportPdf, type StatusReportOptions } from '../render/cycle-exports';
import type { CycleDeps } from '../cycle/deps';
import type { Principal } from '../cycle/model';
import { dashboardView, officeSubmission } from '../cycle/pages';
import { requireCoordinator } from '../cycle/service';

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
  const { office, sub: submission } = await officeSubmission(deps, principal, year, officeId, submissionId);
  return {
    fileName: `校验问题-${office.name}-${submission.id}.xlsx`,
    asciiName: `findings-${officeId}-${submission.id}.xlsx`,
    contentType: XLSX,
    body: Buffer.from(findingsXlsx({ year, officeName: office.name, officeId, submission })),
  };
}
