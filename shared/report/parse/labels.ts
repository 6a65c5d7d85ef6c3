/**
 * Label index of one table spec: finds which row, column or header text a written label means,
 * tolerating the variations of real reports (see normalize.ts) and truncated or extended labels.
 */
import type { ColumnSpec, RowSpec, TableSpec } from '../spec';
import { labelKey } from './normalize';

export type LabelHit =
  | { kind: 'row'; row: RowSpec; index: number }
  | { kind: 'column'; column: ColumnSpec }
  | { kind: 'furniture' };

interface Entry {
  key: string;
  hit: LabelHit;
}

/** Shortest key allowed to match by prefix: shorter ones (其他, 总计) only match exactly. */
const MIN_PREFIX_KEY = 3;
/** Shortest truncated label accepted ("现行有效件" for 现行有效件数). */
const MIN_TRUNCATED = 4;

const indexes = new WeakMap<TableSpec, LabelIndex>();

/** The index of a table spec, built once: specs are constants. */
export function labelIndex(table: TableSpec): LabelIndex {
  let index = indexes.get(table);
  if (!index) indexes.set(table, (index = new LabelIndex(table)));
  return index;
}

export class LabelIndex {
  private readonly entries: Entry[] = [];
  private readonly exact = new Map<string, LabelHit[]>();

  constructor(readonly table: TableSpec) {
    table.rows.forEach((row, index) => {
      for (const l of [row.text, row.label, ...(row.aliases ?? [])]) this.add(l, { kind: 'row', row, index });
    });
    const columns = new Map<string, ColumnSpec>();
    for (const row of table.rows) for (const c of row.columns) columns.set(c.label, c);
    for (const c of columns.values()) for (const l of [c.label, ...(c.aliases ?? [])]) this.add(l, { kind: 'column', column: c });
    for (const f of table.furniture) this.add(f, { kind: 'furniture' });
    // Longest keys first so that an extended label picks the most specific entry.
    this.entries.sort((a, b) => b.key.length - a.key.length);
  }

  private add(label: string, hit: LabelHit): void {
    const key = labelKey(label);
    if (!key) return;
    const list = this.exact.get(key) ?? [];
    if (!list.some((h) => sameHit(h, hit))) list.push(hit);
    this.exact.set(key, list);
    this.entries.push({ key, hit });
  }

  /** Every entry the label could mean, best first; empty when it matches nothing. */
  lookup(label: string): LabelHit[] {
    const key = labelKey(label);
    if (!key) return [];
    const exact = this.exact.get(key);
    if (exact) return exact;
    // Extended label: "部分公开（区分处理的…）" written in full where the key is shorter, or words added.
    const extended = this.entries.filter((e) => e.key.length >= MIN_PREFIX_KEY && key.startsWith(e.key));
    if (extended.length) return dedupe(extended.filter((e) => e.key.length === extended[0].key.length).map((e) => e.hit));
    // Truncated label: "现行有效件".
    if (key.length >= MIN_TRUNCATED) {
      const truncated = this.entries.filter((e) => e.key.startsWith(key));
      if (truncated.length) return dedupe(truncated.map((e) => e.hit));
    }
    return [];
  }
}

function sameHit(a: LabelHit, b: LabelHit): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'row' && b.kind === 'row') return a.row === b.row;
  if (a.kind === 'column' && b.kind === 'column') return a.column === b.column;
  return true;
}

function dedupe(hits: LabelHit[]): LabelHit[] {
  const out: LabelHit[] = [];
  for (const h of hits) if (!out.some((o) => sameHit(o, h))) out.push(h);
  return out;
}
