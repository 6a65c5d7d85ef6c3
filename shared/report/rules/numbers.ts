/** NUM-01 (every cell filled) and NUM-02 (value fits its column's kind). */
import { finding, TABLE_KEYS, type Finding, type Report } from '../model';
import { SPECS, type FormatVersion, type TableId, type ValueKind } from '../spec';
import { effectiveVersion, type ValidationContext } from './context';
import { cellName, tableName } from './labels';

const TABLE_IDS: TableId[] = ['二', '三', '四'];

const kindCache = new Map<string, Map<string, ValueKind>>();
/** row label + NUL + column label → the column's value kind. */
function kindsOf(version: FormatVersion, t: TableId): Map<string, ValueKind> {
  const key = `${version}${t}`;
  let kinds = kindCache.get(key);
  if (!kinds) {
    kinds = new Map();
    for (const r of SPECS[version].tables[t].rows) for (const c of r.columns) kinds.set(`${r.label}\u0000${c.label}`, c.kind);
    kindCache.set(key, kinds);
  }
  return kinds;
}

export function numbers(report: Report, ctx: ValidationContext): Finding[] {
  const out: Finding[] = [];
  const version = effectiveVersion(report, ctx);
  for (const t of TABLE_IDS) {
    const table = report[TABLE_KEYS[t]];
    if (!table) continue;
    const kinds = kindsOf(version, t);
    for (const [row, cells] of Object.entries(table)) {
      for (const [column, cell] of Object.entries(cells)) {
        const at = { table: t, row, column };
        if (cell.kind === 'number' && cell.value !== null && cell.value >= 0 && Number.isInteger(cell.value)) continue; // the usual case
        const name = `${tableName(t)}${cellName(at)}`;
        if (cell.kind === 'blank') {
          const raw = cell.raw.trim();
          out.push(
            finding({
              rule: 'NUM-01',
              severity: 'error',
              ...at,
              message: `${name}${raw ? `填写为“${raw}”` : '为空白'}：没有数据也应明确填写0。`,
            }),
          );
          continue;
        }
        if (cell.kind === 'invalid' || cell.value === null) {
          out.push(
            finding({ rule: 'NUM-02', severity: 'error', ...at, message: `${name}的内容“${cell.raw.trim()}”不是有效数字${cell.problem ? `（${cell.problem}）` : ''}。` }),
          );
          continue;
        }
        const kind = kinds.get(`${row}\u0000${column}`) ?? 'count';
        const v = cell.value;
        if (kind !== 'signed' && v < 0) {
          out.push(finding({ rule: 'NUM-02', severity: 'error', ...at, actual: v, message: `${name}为负数（${v}），${kind === 'decimal' ? '金额' : '件数'}不能为负。` }));
        } else if (kind !== 'decimal' && !Number.isInteger(v)) {
          out.push(finding({ rule: 'NUM-02', severity: 'error', ...at, actual: v, message: `${name}为${v}，应为整数。` }));
        }
      }
    }
  }
  return out;
}
