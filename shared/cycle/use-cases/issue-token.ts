/** A coordinator issues an office its token (and the local runtime a coordinator token). */
import type { Uses } from '../deps';
import { requireOffice } from '../lookup';
import type { AuditLog, OfficeStore, TokenStore } from '../ports';
import { generateToken, hashToken } from '../tokens';

/** A fresh token for the office; the previous one stops working. The token is returned once, never stored. */
export async function issueOfficeToken(deps: Uses<OfficeStore & TokenStore & AuditLog, 'clock'>, year: number, officeId: string): Promise<{ token: string }> {
  const office = await requireOffice(deps, year, officeId);
  const token = generateToken();
  const hash = hashToken(token);
  const now = deps.clock.now().toISOString();
  await deps.repo.putOfficeToken({ hash, role: 'office', year, officeId, createdAt: now }, office.tokenHash);
  await deps.repo.appendAudit({
    year,
    officeId,
    at: now,
    actor: 'coordinator',
    action: 'token_issued',
    from: null,
    to: null,
    submissionId: null,
    sha256: null,
    detail: office.tokenHash ? '已更换访问令牌，旧令牌失效' : '已签发访问令牌',
  });
  return { token };
}

/** A coordinator token kept in the table (bootstrap for the local runtime; the env hash is the usual way). */
export async function issueCoordinatorToken(deps: Uses<TokenStore, 'clock'>): Promise<{ token: string }> {
  const token = generateToken();
  await deps.repo.putToken({ hash: hashToken(token), role: 'coordinator', year: null, officeId: null, createdAt: deps.clock.now().toISOString() });
  return { token };
}
