/** A coordinator creates a cycle, or updates its groups, deadlines and settings. */
import type { Uses } from '../deps';
import { invalid, zodMessage } from '../errors';
import { CycleInputSchema, type Cycle, type CycleInput } from '../model';
import type { CycleStore } from '../ports';

export async function createCycle(deps: Uses<CycleStore, 'clock'>, input: CycleInput): Promise<{ cycle: Cycle; created: boolean }> {
  const parsed = CycleInputSchema.safeParse(input);
  if (!parsed.success) throw invalid(`年度设置有误：${zodMessage(parsed.error)}`);
  const ids = parsed.data.groups.map((g) => g.id);
  if (new Set(ids).size !== ids.length) throw invalid('分组编号重复');
  const existing = await deps.repo.getCycle(parsed.data.year);
  const cycle: Cycle = { ...parsed.data, createdAt: existing?.createdAt ?? deps.clock.now().toISOString() };
  await deps.repo.putCycle(cycle);
  return { cycle, created: !existing };
}
