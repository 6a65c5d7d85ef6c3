/** Anyone with a token checks a file without filing it. */
import { UPLOAD_LIMITS } from '../../resources';
import type { ValidationResult } from '../../report/validate';
import type { CycleDeps } from '../deps';
import { CycleError, invalid } from '../errors';

/** The same check as a real upload, without any write: a test filing. */
export async function dryRun(
  deps: Pick<CycleDeps, 'checker'>,
  bytes: Uint8Array,
  options: { year?: number; office?: string; fileName?: string } = {},
): Promise<ValidationResult> {
  if (bytes.length === 0) throw invalid('请求体为空：请提交报告文件内容');
  if (bytes.length > UPLOAD_LIMITS.maxBytes) throw new CycleError('too_large', `文件过大（上限 ${UPLOAD_LIMITS.maxBytes / 1024 / 1024} MB）`);
  const r = await deps.checker({ bytes, fileName: options.fileName, context: { year: options.year, office: options.office } });
  if ('unreadable' in r) throw new CycleError('invalid', r.unreadable);
  return {
    formatVersion: r.report.formatVersion,
    year: r.report.year,
    office: r.report.office,
    verdict: r.verdict,
    findings: r.findings,
    report: r.report,
  };
}
