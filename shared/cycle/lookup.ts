/** What every use case checks first: the path parameters, the cycle and the office, an office's deadline. */
import type { Uses } from './deps';
import { invalid, notFound } from './errors';
import { OFFICE_ID_PATTERN, YEAR_PATTERN, type Cycle, type Office } from './model';
import type { CycleStore, OfficeStore } from './ports';

export function parseYear(raw: string | undefined): number {
  if (!raw || !YEAR_PATTERN.test(raw)) throw invalid('年度应为四位数字，如 2026');
  const y = Number(raw);
  if (y < 2000 || y > 2100) throw invalid('年度应在 2000–2100 之间');
  return y;
}

export function parseOfficeId(raw: string | undefined): string {
  if (!raw || !OFFICE_ID_PATTERN.test(raw)) throw invalid('单位编号只能由小写字母、数字和连字符组成（1–64个字符）');
  return raw;
}

export async function requireCycle(deps: Uses<CycleStore>, year: number): Promise<Cycle> {
  const cycle = await deps.repo.getCycle(year);
  if (!cycle) throw notFound(`${year}年度尚未创建`);
  return cycle;
}

export async function requireOffice(deps: Uses<OfficeStore>, year: number, officeId: string): Promise<Office> {
  const office = await deps.repo.getOffice(year, officeId);
  if (!office) throw notFound(`${year}年度没有编号为“${officeId}”的单位`);
  return office;
}

export function deadlineOf(cycle: Cycle, office: Pick<Office, 'group'>): string {
  const group = cycle.groups.find((g) => g.id === office.group);
  // Unknown group (cycle edited after import): the latest deadline of the cycle is the fair reading.
  return group?.deadline ?? cycle.groups.map((g) => g.deadline).sort().at(-1)!;
}
