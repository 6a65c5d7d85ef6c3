/**
 * What the 政务公开办 looks at before publishing, per submission, as files for download (the office may fetch
 * its own): the canonical PDF — rendered from the parsed report exactly as the archive renders a published
 * version (archive.ts canonicalPdf), so the preview is the bytes that will be public — the original file as
 * uploaded (always a download under a neutral type: an uploaded web page must never run on the site's
 * origin), and the receipt as a PDF with the 落款.
 */
import { safeExtension } from '../common/site';
import { oneLine } from '../common/text';
import { ORIGINAL_CONTENT_TYPE } from '../security-headers';
import type { CycleDeps } from '../cycle/deps';
import { CycleError, notFound } from '../cycle/errors';
import type { ExportFile } from './exports';
import type { Principal } from '../cycle/model';
import { officeSubmission, receiptOf } from '../cycle/pages';

/** The canonical PDF of one submission: what its public version holds, or would hold once published. */
export async function submissionPdfFile(deps: CycleDeps, principal: Principal, year: number, officeId: string, submissionId: string): Promise<ExportFile> {
  const { office, sub } = await officeSubmission(deps, principal, year, officeId, submissionId);
  if (sub.state === 'received') throw new CycleError('conflict', '该提交仍在校验中，校验完成后才能生成 PDF');
  // The archive step's modules (public pages, open data) load here, not with the API function (cold start).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { canonicalPdf, loadReport } = require('./archive') as typeof import('./archive');
  const report = await loadReport(deps, sub);
  if (!report) throw new CycleError('conflict', '该提交的文件未能读出报告内容，没有可生成的 PDF；请下载原文件查看');
  return {
    fileName: `${office.name}-${year}年度报告-${sub.id}.pdf`,
    asciiName: `report-${officeId}-${sub.id}.pdf`,
    contentType: 'application/pdf',
    body: await canonicalPdf(report, sub),
  };
}

/** The original file as the office uploaded it, byte for byte, under a neutral type (never rendered). */
export async function submissionOriginalFile(deps: CycleDeps, principal: Principal, year: number, officeId: string, submissionId: string): Promise<ExportFile> {
  const { sub } = await officeSubmission(deps, principal, year, officeId, submissionId);
  const obj = await deps.incoming.get(sub.key, sub.versionId);
  if (!obj) throw notFound('原文件已不在存储中');
  return {
    fileName: oneLine(sub.fileName).replace(/[/\\]/g, '_').slice(0, 200) || `original${safeExtension(sub.fileName)}`,
    asciiName: `original-${sub.id}${safeExtension(sub.fileName)}`,
    contentType: ORIGINAL_CONTENT_TYPE,
    body: Buffer.from(obj.bytes),
  };
}

/** The receipt as a PDF: its facts, findings and judgements, then the 落款 (the cycle's issuer) and today's date. */
export async function receiptPdfFile(deps: CycleDeps, principal: Principal, year: number, officeId: string, submissionId: string): Promise<ExportFile> {
  const { input, cycle, fileBase } = await receiptOf(deps, principal, year, officeId, submissionId);
  return {
    fileName: `${fileBase}.pdf`,
    asciiName: `receipt-${submissionId}.pdf`,
    contentType: 'application/pdf',
    // pdfkit and fontkit load with the first PDF, not with the API function (cold start).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    body: await (require('../render/cycle-exports') as typeof import('../render/cycle-exports')).receiptPdf(input, { issuer: cycle.issuer, date: deps.clock.now().toISOString() }),
  };
}
