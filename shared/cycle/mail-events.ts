/**
 * SES event notifications (via the configuration set → SNS): bounces and complaints of our e-mails are
 * written to the office's audit trail, so the coordinator sees "the receipt never arrived" instead of
 * the office learning it on deadline day. Tags set when sending name the year and office.
 *
 * A permanent bounce or a complaint marks the address undeliverable: the audit event lists it
 * (`undeliverable`), reminders skip the address, the dashboard and the digest show it, and the
 * coordinators get one e-mail about it at once.
 */
import type { Uses } from './deps';
import { dashboardUrl } from './links';
import type { AuditEvent } from './model';
import { once } from './once';
import type { AuditLog, ClaimStore, CycleStore, OfficeStore } from './ports';

type MailEventDeps = Uses<CycleStore & OfficeStore & AuditLog & ClaimStore, 'clock' | 'mailer' | 'emails' | 'publicBaseUrl' | 'log' | 'count'>;

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

export type MailEventOutcome =
  | { outcome: 'recorded'; action: string; undeliverable?: string[]; coordinatorsNotified?: boolean }
  | { outcome: 'ignored'; reason: string };

/** Addresses (lower case) of an office that bounced permanently or complained, from its audit trail. */
export function undeliverableContacts(audit: Pick<AuditEvent, 'undeliverable'>[]): string[] {
  return [...new Set(audit.flatMap((e) => e.undeliverable ?? []))];
}

export async function recordMailEvent(deps: MailEventDeps, message: SesEventMessage): Promise<MailEventOutcome> {
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
    .filter((a): a is string => !!a);
  // Transient bounces (mailbox full, greylisting) are retried by SES: recorded, not marked.
  const permanent = (type === 'Bounce' && message.bounce?.bounceType === 'Permanent') || type === 'Complaint';
  const undeliverable = permanent ? recipients.map((r) => r.toLowerCase()) : [];
  const kind = tags.kind?.[0] ?? '未知';
  const reason = message.bounce?.bouncedRecipients?.find((r) => r.diagnosticCode)?.diagnosticCode ?? message.reject?.reason ?? message.complaint?.complaintFeedbackType ?? null;
  const detail = [
    `邮件类型：${kind}`,
    recipients.length ? `收件人：${recipients.join('、')}` : (message.mail?.destination ?? []).join('、'),
    message.bounce ? `退信类型：${message.bounce.bounceType ?? ''}/${message.bounce.bounceSubType ?? ''}` : '',
    message.reject?.reason ? `原因：${message.reject.reason}` : '',
    undeliverable.length ? `已标记为无法送达：${undeliverable.join('、')}` : '',
  ]
    .filter(Boolean)
    .join('；');
  const eventKey = `SES#${message.mail?.messageId ?? ''}#${type}#${recipients.join(',')}`;
  const now = deps.clock.now();
  await deps.repo.appendAudit(
    {
      year,
      officeId,
      at: now.toISOString(),
      actor: 'system',
      action,
      from: null,
      to: null,
      submissionId: tags.submission?.[0] ?? null,
      sha256: null,
      detail,
      ...(undeliverable.length ? { undeliverable } : {}),
    },
    eventKey,
  );
  if (!undeliverable.length) return { outcome: 'recorded', action };

  // Tell the coordinators once per event (SNS delivers at least once).
  const coordinatorsNotified = await notifyCoordinators(deps, eventKey, {
    year,
    officeId,
    emails: undeliverable,
    kind: type === 'Complaint' ? 'complaint' : 'bounce',
    mailKind: kind,
    reason,
  });
  return { outcome: 'recorded', action, undeliverable, coordinatorsNotified };
}

async function notifyCoordinators(
  deps: MailEventDeps,
  eventKey: string,
  e: { year: number; officeId: string; emails: string[]; kind: 'bounce' | 'complaint'; mailKind: string; reason: string | null },
): Promise<boolean> {
  const cycle = await deps.repo.getCycle(e.year);
  if (!cycle?.coordinatorEmails.length) return false;
  const office = await deps.repo.getOffice(e.year, e.officeId);
  const mail = deps.emails.undeliverableEmail({
    year: e.year,
    officeName: office?.name ?? e.officeId,
    officeId: e.officeId,
    emails: e.emails,
    kind: e.kind,
    mailKind: e.mailKind,
    reason: e.reason,
    dashboardUrl: dashboardUrl(deps.publicBaseUrl, e.year, e.officeId),
    sender: cycle,
  });
  try {
    const sent = await once(deps, {
      key: `NOTIFY#${eventKey}`,
      staleAfterMs: 15 * 60_000,
      // No officeId tag: a bounce of this notice must not mark the office's contacts.
      run: () => deps.mailer.send({ to: cycle.coordinatorEmails, ...mail, tags: { year: String(e.year), kind: 'undeliverable' } }),
    });
    return sent.status === 'ran';
  } catch (err) {
    // The record above is what matters; the function may have no mail permission (then the dashboard shows it).
    deps.log?.('warn', 'could not notify the coordinators of an undeliverable contact', { error: String(err), officeId: e.officeId });
    return false;
  }
}
