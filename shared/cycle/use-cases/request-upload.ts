/** An office asks to upload its report: a presigned POST to a key the server chooses. */
import { INCOMING_PREFIX, UPLOAD_LIMITS } from '../../resources';
import type { Uses } from '../deps';
import { invalid } from '../errors';
import { requireCycle, requireOffice } from '../lookup';
import type { Principal } from '../model';
import type { CycleStore, OfficeStore, PresignedPost } from '../ports';
import { newUploadId } from '../upload-id';
import { requireOfficeOrCoordinator } from './authenticate';

export const UPLOAD_TYPES: Record<string, string> = {
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.pdf': 'application/pdf',
  '.txt': 'text/plain',
  '.html': 'text/html',
  '.htm': 'text/html',
  '.json': 'application/json',
};

export interface UploadTicket extends PresignedPost {
  key: string;
  /** The time-ordered id in the key: a later ticket wins over an upload stored in the same second. */
  uploadId: string;
  maxBytes: number;
  contentType: string;
}

export async function requestUpload(
  deps: Uses<CycleStore & OfficeStore, 'clock' | 'incoming'>,
  principal: Principal,
  year: number,
  officeId: string,
  request: { fileName?: unknown },
): Promise<UploadTicket> {
  requireOfficeOrCoordinator(principal, year, officeId);
  const fileName = typeof request.fileName === 'string' ? request.fileName.trim() : '';
  if (!fileName || fileName.length > 200) throw invalid('请提供文件名 fileName（如 “2026年报.docx”）');
  const ext = (/\.[A-Za-z0-9]{1,5}$/.exec(fileName)?.[0] ?? '').toLowerCase();
  const contentType = UPLOAD_TYPES[ext];
  if (!contentType) {
    throw invalid(`不支持的文件类型“${ext || '无扩展名'}”。请提交 Word（.docx）、PDF、网页（.html）、纯文本（.txt）或 JSON 格式的报告`);
  }
  await requireCycle(deps, year);
  await requireOffice(deps, year, officeId);
  const uploadId = newUploadId(deps.clock.now());
  const key = `${INCOMING_PREFIX}${year}/${officeId}/${uploadId}${ext}`;
  const post = await deps.incoming.presignPost({
    key,
    contentType,
    minBytes: 1,
    maxBytes: UPLOAD_LIMITS.maxBytes,
    expiresSeconds: Math.min(UPLOAD_LIMITS.expirySeconds, 900),
    fileName,
  });
  return { ...post, key, uploadId, maxBytes: UPLOAD_LIMITS.maxBytes, contentType };
}
