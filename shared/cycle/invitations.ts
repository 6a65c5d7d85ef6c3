/**
 * Invitations instead of tokens handed over by hand: one action gives every office (or the ones chosen) a new
 * token and e-mails it a one-click sign-in link (the token in the URL fragment), the deadline and what to
 * upload. A new invitation kills the previous link. The office list shows who was invited when and who has
 * signed in since (recordSignIn, on the office page's sign-in).
 */
import { UPLOAD_LIMITS } from '../resources';
import { SPECS, versionForYear } from '../report/spec';
import type { CycleDeps } from './deps';
import { CycleError, invalid, notFound } from './errors';
import { signInUrl, siteUrlOf } from './links';
import { OFFICE_ID_PATTERN, type Office, type Principal } from './model';
import { mapLimited } from '../common/map-limited';
import { deadlineOf, requireCoordinator } from './service';
import { generateToken, hashToken } from './tokens';

const INVITE_CONCURRENCY = 4;

export interface InvitationOutcome {
  officeId: string;
  name: string;
  /** Sent: the addresses; not sent: why (in Chinese). */
  sentTo?: string[];
  error?: string;
}

/**
 * Invites the offices of `officeIds` (all of the cycle's when absent). Each gets a new token, so an earlier
 * link stops working at once; the token exists only in the e-mail. A failed send is reported per office (its
 * old link is dead already: invite it again).
 */
export async function inviteOffices(deps: CycleDeps, principal: Principal, year: number, request: { officeIds?: unknown } = {}): Promise<{ invited: InvitationOutcome[]; failed: InvitationOutcome[] }> {
  requireCoordinator(principal);
  const cycle = await deps.repo.getCycle(year);
  if (!cycle) throw notFound(`${year}年度尚未创建`);
  if (!siteUrlOf(deps.publicBaseUrl)) throw new CycleError('conflict', '未配置站点地址（PUBLIC_BASE_URL），无法生成登录链接');
  let offices: Office[];
  if (request.officeIds === undefined) offices = await deps.repo.listOffices(year);
  else {
    if (!Array.isArray(request.officeIds) || request.officeIds.length === 0 || !request.officeIds.every((id) => typeof id === 'string' && OFFICE_ID_PATTERN.test(id))) {
      throw invalid('officeIds 应为单位编号的数组');
    }
    offices = [];
    for (const id of new Set(request.officeIds as string[])) {
      const o = await deps.repo.getOffice(year, id);
      if (!o) throw notFound(`${year}年度没有编号为“${id}”的单位`);
      offices.push(o);
    }
  }
  if (offices.length === 0) throw new CycleError('conflict', `${year}年度还没有单位：请先导入单位名单`);
  const format = SPECS[versionForYear(year)].notice;
  // A few at once: hundreds of offices one by one would outlast the API's 29 s, and SES's sending rate
  // (14 a second by default) is not far above four at a time.
  const outcomes = await mapLimited(offices, INVITE_CONCURRENCY, async (office): Promise<InvitationOutcome> => {
    const token = generateToken();
    const now = deps.clock.now().toISOString();
    await deps.repo.putOfficeToken({ hash: hashToken(token), role: 'office', year, officeId: office.id, createdAt: now }, office.tokenHash);
    await deps.repo.setOfficeAccess(year, office.id, { invitedAt: now, signedInAt: null });
    const reissued = office.tokenHash !== null;
    const mail = deps.emails.invitationEmail({
      year,
      officeName: office.name,
      deadline: deadlineOf(cycle, office),
      signInUrl: signInUrl(deps.publicBaseUrl, year, office.id, token)!,
      formatNotice: format,
      maxMegabytes: UPLOAD_LIMITS.maxBytes / 1024 / 1024,
      contacts: cycle.coordinatorEmails,
      reissued,
      sender: cycle,
    });
    const audit = { year, officeId: office.id, at: now, actor: 'coordinator', action: 'invited', from: null, to: null, submissionId: null, sha256: null };
    try {
      await deps.mailer.send({ to: office.emails, ...mail, tags: { year: String(year), officeId: office.id, kind: 'invitation' } });
      await deps.repo.appendAudit({ ...audit, detail: `已发送报送邀请（登录链接）至 ${office.emails.join('、')}${reissued ? '；之前的登录链接已失效' : ''}` });
      return { officeId: office.id, name: office.name, sentTo: office.emails };
    } catch (e) {
      deps.log?.('warn', 'invitation not sent', { year, officeId: office.id, error: (e as Error).message });
      await deps.repo.appendAudit({ ...audit, action: 'invitation_failed', detail: '邀请邮件发送失败，之前的登录链接已失效，请重新发送邀请' });
      return { officeId: office.id, name: office.name, error: '邀请邮件发送失败，请稍后重新发送' };
    }
  });
  return { invited: outcomes.filter((o) => o.sentTo), failed: outcomes.filter((o) => o.error) };
}

/** The office signed in (the page's GET /me): the first time with this token is recorded. */
export async function recordSignIn(deps: CycleDeps, principal: Principal): Promise<void> {
  if (principal.role !== 'office') return;
  const office = await deps.repo.getOffice(principal.year, principal.officeId);
  if (!office || office.signedInAt) return;
  await deps.repo.setOfficeAccess(principal.year, principal.officeId, { signedInAt: deps.clock.now().toISOString() });
}
