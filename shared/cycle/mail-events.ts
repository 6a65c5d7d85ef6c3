/**
 * SES event notifications (via the configuration set → SNS): bounces and complaints of our e-mails are
 * written to the office's audit trail, so the coordinator sees "the receipt never arrived" instead of
 * the office learning it on deadline day. Tags set when sending name the year and office.
 */
import type { CycleDeps } from './deps';

export interface SesEventMessage {
  eventType?: string;
  notificationType?: string;
  mail?: { messageId?: string; destination?: string[]; tags?: Record<string, string[]> };
  bounce?: { bounceType?: string; bounceSubType?: string; bouncedRecipients?: { emailAddress?: string; diagnosticCode?: string }[] };
  complaint?: { complainedRecipients?: { emailAddress?: string }[]; complaintFeedbackType?: string };
  deliveryDelay?: { delayType?: string; delayedRecipients?: { emailAddress?: string }[] };
  reject?: { reason?: string };
}

const RECORDED: Record<string, string> = {
  Bounce: 'mail_bounced',
  Complaint: 'mail_complaint',
  DeliveryDelay: 'mail_delayed',
  Reject: 'mail_rejected',
  RenderingFailure: 'mail_rejected',
};

export type MailEventOutcome = { outcome: 'recorded'; action: string } | { outcome: 'ignored'; reason: string };

export async function recordMailEvent(deps: CycleDeps, message: SesEventMessage): Promise<MailEventOutcome> {
  const type = message.eventType ?? message.notificationType ?? '';
  const action = RECORDED[type];
  if (!action) return { outcome: 'ignored', reason: `event type ${type || 'unknown'}` };
  const tags = message.mail?.tags ?? {};
  const year = Number(tags.year?.[0]);
  const officeId = tags.officeId?.[0];
  if (!Number.isInteger(year) || !officeId || !/^[a-z0-9-]{1,64}$/.test(officeId)) {
    return { outcome: 'ignored', reason: 'mail not tagged with an office' };
  }
  const recipients = [
    ...(message.bounce?.bouncedRecipients ?? []),
    ...(message.complaint?.complainedRecipients ?? []),
    ...(message.deliveryDelay?.delayedRecipients ?? []),
  ]
    .map((r) => r.emailAddress)
    .filter(Boolean);
  const detail = [
    `邮件类型：${tags.kind?.[0] ?? '未知'}`,
    recipients.length ? `收件人：${recipients.join('、')}` : (message.mail?.destination ?? []).join('、'),
    message.bounce ? `退信类型：${message.bounce.bounceType ?? ''}/${message.bounce.bounceSubType ?? ''}` : '',
    message.reject?.reason ? `原因：${message.reject.reason}` : '',
  ]
    .filter(Boolean)
    .join('；');
  await deps.repo.appendAudit(
    {
      year,
      officeId,
      at: deps.clock.now().toISOString(),
      actor: 'system',
      action,
      from: null,
      to: null,
      submissionId: tags.submission?.[0] ?? null,
      sha256: null,
      detail,
    },
    `SES#${message.mail?.messageId ?? ''}#${type}#${recipients.join(',')}`,
  );
  return { outcome: 'recorded', action };
}
