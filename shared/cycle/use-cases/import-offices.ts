/** A coordinator imports the offices of a cycle (CSV or JSON). */
import type { Uses } from '../deps';
import { invalid, zodMessage } from '../errors';
import { requireCycle } from '../lookup';
import { OfficeInputSchema, type Office, type OfficeInput } from '../model';
import { parseOfficesCsv } from '../offices-csv';
import type { CycleStore, OfficeStore } from '../ports';

/**
 * Creates new offices and updates name/group/e-mails of existing ones (status and history stay). Offices
 * missing from the list are left alone. The group may be given by id or by name.
 */
export async function importOffices(
  deps: Uses<CycleStore & OfficeStore, 'clock'>,
  year: number,
  input: { csv: string | Uint8Array } | { offices: OfficeInput[] },
): Promise<{ created: string[]; updated: string[] }> {
  const cycle = await requireCycle(deps, year);
  const groupIds = new Map<string, string>();
  for (const g of cycle.groups) {
    groupIds.set(g.id, g.id);
    groupIds.set(g.name, g.id);
  }
  let offices: OfficeInput[];
  if ('csv' in input) {
    const r = parseOfficesCsv(input.csv, [...groupIds.keys()]);
    if (r.errors.length) throw invalid(`单位名单有 ${r.errors.length} 处错误：\n${r.errors.join('\n')}`);
    offices = r.offices;
  } else {
    if (!Array.isArray(input.offices)) throw invalid('offices 应为数组');
    const errors: string[] = [];
    offices = [];
    input.offices.forEach((o, i) => {
      const p = OfficeInputSchema.safeParse(o);
      if (!p.success) errors.push(`第${i + 1}个单位：${zodMessage(p.error)}`);
      else if (!groupIds.has(p.data.group)) errors.push(`第${i + 1}个单位：分组“${p.data.group}”不在本年度设置的分组中`);
      else offices.push(p.data);
    });
    const ids = offices.map((o) => o.id);
    const dup = ids.find((id, i) => ids.indexOf(id) !== i);
    if (dup) errors.push(`单位编号“${dup}”重复`);
    if (errors.length) throw invalid(`单位名单有 ${errors.length} 处错误：\n${errors.join('\n')}`);
  }
  if (offices.length === 0) throw invalid('单位名单为空');
  const created: string[] = [];
  const updated: string[] = [];
  const now = deps.clock.now().toISOString();
  for (const o of offices) {
    const existing = await deps.repo.getOffice(year, o.id);
    const office: Office = existing
      ? { ...existing, ...o, group: groupIds.get(o.group)!, updatedAt: now }
      : {
          ...o,
          group: groupIds.get(o.group)!,
          year,
          status: 'NOT_SUBMITTED',
          version: 0,
          currentSubmissionId: null,
          currentReceivedAt: null,
          publishedSubmissionId: null,
          tokenHash: null,
          note: null,
          updatedAt: now,
        };
    await deps.repo.upsertOfficeData(office);
    (existing ? updated : created).push(o.id);
  }
  return { created, updated };
}
