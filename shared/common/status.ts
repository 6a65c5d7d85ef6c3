/**
 * The per-office status of one cycle and its Chinese labels. Free of zod, so the browser pages can import
 * the same labels the e-mails and public pages use.
 */
/** docs/architecture.md, "Status machine". */
export const OFFICE_STATUSES = ['NOT_SUBMITTED', 'RECEIVED', 'ACCEPTED', 'REJECTED', 'PUBLISHED', 'RETURNED'] as const;
export type OfficeStatus = (typeof OFFICE_STATUSES)[number];

export const STATUS_LABELS: Record<OfficeStatus, string> = {
  NOT_SUBMITTED: '未提交',
  RECEIVED: '已收到，校验中',
  ACCEPTED: '已通过',
  REJECTED: '未通过',
  PUBLISHED: '已公开',
  RETURNED: '已退回修改',
};
