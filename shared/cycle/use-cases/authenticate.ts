/** Who is calling: a bearer token → a principal, and the two access rules of the routes. */
import type { Uses } from '../deps';
import { CycleError } from '../errors';
import type { Principal } from '../model';
import type { OfficeStore, TokenStore } from '../ports';
import { hashToken, looksLikeToken, tokenMatches } from '../tokens';

const UNAUTHENTICATED = '缺少或无效的访问令牌（请在请求头 Authorization 中提供 Bearer 令牌）';

export async function authenticate(deps: Uses<TokenStore & OfficeStore, 'coordinatorTokenSha256'>, authorization: string | undefined | null): Promise<Principal> {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!m || !looksLikeToken(m[1])) throw new CycleError('unauthenticated', UNAUTHENTICATED);
  const token = m[1];
  if (deps.coordinatorTokenSha256 && tokenMatches(token, deps.coordinatorTokenSha256)) return { role: 'coordinator' };
  const record = await deps.repo.getToken(hashToken(token));
  if (record?.role === 'coordinator') return { role: 'coordinator' };
  if (record?.role === 'office' && record.year !== null && record.officeId) {
    // The office record names its one valid token: a rotated token fails here even if its item lingered.
    const office = await deps.repo.getOffice(record.year, record.officeId);
    if (office?.tokenHash && tokenMatches(token, office.tokenHash)) return { role: 'office', year: record.year, officeId: record.officeId };
  }
  throw new CycleError('unauthenticated', UNAUTHENTICATED);
}

export function requireCoordinator(p: Principal): void {
  if (p.role !== 'coordinator') throw new CycleError('forbidden', '此操作仅限政务公开办（管理员）');
}

export function requireOfficeOrCoordinator(p: Principal, year: number, officeId: string): void {
  if (p.role === 'coordinator') return;
  if (p.year !== year || p.officeId !== officeId) throw new CycleError('forbidden', '此访问令牌只能用于本单位本年度的报告');
}
