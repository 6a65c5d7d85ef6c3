/**
 * What changed between two versions of a report (for 「更正于…」 on the public page): table figures by
 * canonical row and column, section texts, and the header facts. Pure.
 */
import type { Cell, Report } from '../report/model';
import { TABLE_KEYS } from '../report/model';
import { CHINESE_ORDINALS, SPECS, type TableId } from '../report/spec';
import { cellText, paragraphs } from './format';
import { formatOf } from './layout';

export type ReportChange =
  | { kind: 'cell'; table: TableId; row: string; column: string; before: string; after: string }
  | { kind: 'table'; table: TableId; before: 'absent' | 'present'; after: 'absent' | 'present' }
  | { kind: 'section'; ordinal: number; title: string; change: 'added' | 'removed' | 'edited' }
  | { kind: 'field'; field: 'office' | 'year' | 'formatVersion' | 'title'; before: string; after: string };

const show = (c: Cell | undefined) => (c ? (c.kind === 'blank' ? '' : cellText(c)) : '');
const sectionText = (r: Report, ordinal: number) =>
  r.sections
    .filter((s) => s.ordinal === ordinal)
    .flatMap((s) => paragraphs(s.text))
    .join('\n');

export function diffReports(before: Report, after: Report): ReportChange[] {
  const out: ReportChange[] = [];
  for (const field of ['office', 'year', 'formatVersion', 'title'] as const) {
    const a = String(before[field] ?? '');
    const b = String(after[field] ?? '');
    if (a !== b) out.push({ kind: 'field', field, before: a, after: b });
  }
  const spec = formatOf(after);
  for (const section of spec.sections) {
    const a = before.sections.some((s) => s.ordinal === section.ordinal);
    const b = after.sections.some((s) => s.ordinal === section.ordinal);
    const title = `${CHINESE_ORDINALS[section.ordinal - 1]}、${section.title}`;
    if (a && !b) out.push({ kind: 'section', ordinal: section.ordinal, title, change: 'removed' });
    else if (!a && b) out.push({ kind: 'section', ordinal: section.ordinal, title, change: 'added' });
    else if (a && b && sectionText(before, section.ordinal) !== sectionText(after, section.ordinal))
      out.push({ kind: 'section', ordinal: section.ordinal, title, change: 'edited' });
  }
  for (const id of ['二', '三', '四'] as const) {
    const ta = before[TABLE_KEYS[id]];
    const tb = after[TABLE_KEYS[id]];
    if (!ta !== !tb) out.push({ kind: 'table', table: id, before: ta ? 'present' : 'absent', after: tb ? 'present' : 'absent' });
    // Rows in spec order (both versions' specs, so a format change shows too), then any others.
    const rows: string[] = [];
    const seen = new Set<string>();
    const addRow = (r: string) => !seen.has(r) && (seen.add(r), rows.push(r));
    for (const s of [spec, SPECS[before.formatVersion ?? spec.version]])
      for (const r of s.tables[id].rows) if (!r.header) addRow(r.label);
    for (const t of [ta, tb]) for (const r of Object.keys(t ?? {})) addRow(r);
    for (const row of rows) {
      const cols: string[] = [];
      for (const t of [ta, tb]) for (const c of Object.keys(t?.[row] ?? {})) if (!cols.includes(c)) cols.push(c);
      for (const column of cols) {
        const a = show(ta?.[row]?.[column]);
        const b = show(tb?.[row]?.[column]);
        if (a !== b) out.push({ kind: 'cell', table: id, row, column, before: a, after: b });
      }
    }
  }
  return out;
}

const FIELD_NAMES = { office: '单位名称', year: '年度', formatVersion: '格式版本', title: '标题' } as const;

/** One Chinese sentence per change (plain text; the page escapes it). */
export function describeChange(c: ReportChange): string {
  const v = (s: string) => (s === '' ? '空白' : `「${s}」`);
  switch (c.kind) {
    case 'cell':
      return `表${c.table}「${c.row}」行「${c.column}」列：${v(c.before)} 改为 ${v(c.after)}`;
    case 'table':
      return c.after === 'present' ? `补充了表${c.table}` : `删除了表${c.table}`;
    case 'section':
      return `${c.title}：${c.change === 'added' ? '补充了本节' : c.change === 'removed' ? '删除了本节' : '文字有修改'}`;
    case 'field':
      return `${FIELD_NAMES[c.field]}：${v(c.before)} 改为 ${v(c.after)}`;
  }
}
