/**
 * Label index of one table spec: finds which row, column or header text a written label means,
 * tolerating the variations of real reports (see normalize.ts) and truncated or extended labels.
 */
import type { ColumnSpec, RowSpec, TableSpec } from '../spec';
import { labelKey, leadingOrdinal } from './normalize';

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
    return this.match(label).hits;
  }

  /**
   * The hits and how the label matched: `exact` (after normalisation, or a known alias), `extended`
   * (words added after a known label) or `truncated` (the end of a label missing: 现行有效件).
   */
  match(label: string): { hits: LabelHit[]; how: 'exact' | 'extended' | 'truncated' | null } {
    const key = labelKey(label);
    if (!key) return NO_MATCH;
    const exact = this.exact.get(key);
    if (exact) return { hits: exact, how: 'exact' };
    // Extended label: "部分公开（区分处理的…）" written in full where the key is shorter, or words added.
    const extended = this.entries.filter((e) => e.key.length >= MIN_PREFIX_KEY && key.startsWith(e.key));
    if (extended.length) return { hits: dedupe(extended.filter((e) => e.key.length === extended[0].key.length).map((e) => e.hit)), how: 'extended' };
    // Truncated label: "现行有效件".
    if (key.length >= MIN_TRUNCATED) {
      const truncated = this.entries.filter((e) => e.key.startsWith(key));
      if (truncated.length) return { hits: dedupe(truncated.map((e) => e.hit)), how: 'truncated' };
    }
    return NO_MATCH;
  }

  /** Whether the text is a piece of some label of the table (a vertical label split into fragments). */
  isFragment(text: string): boolean {
    const key = labelKey(text);
    if (!key) return true;
    return this.entries.some((e) => e.key.includes(key));
  }

  /**
   * The row a misspelt label means (characters dropped or doubled: 4.保护第三方权益, 8.属于行政查询查询事项):
   * the most similar row label, if similar enough, preferring rows whose written ordinal agrees and
   * rows that come next in the national table.
   */
  similarRow(label: string, after: number, taken: (row: RowSpec) => boolean): RowSpec | null {
    const key = labelKey(label);
    if (key.length < MIN_SIMILAR) return null;
    const ordinal = leadingOrdinal(label);
    let best: { row: RowSpec; score: number } | null = null;
    this.table.rows.forEach((row, index) => {
      if (taken(row)) return;
      const score = similarity(key, labelKey(row.text));
      const rowOrdinal = leadingOrdinal(row.text);
      const ordinalAgrees = ordinal !== null && rowOrdinal === ordinal;
      const ordinalClashes = ordinal !== null && rowOrdinal !== null && rowOrdinal !== ordinal;
      const threshold = ordinalAgrees || index === after + 1 ? 0.7 : 0.8;
      if (ordinalClashes || score < threshold) return;
      const ranked = score + (index > after ? 0.05 : 0) + (ordinalAgrees ? 0.05 : 0);
      if (!best || ranked > best.score) best = { row, score: ranked };
    });
    return (best as { row: RowSpec } | null)?.row ?? null;
  }
}

const NO_MATCH = { hits: [] as LabelHit[], how: null };
/** Shortest key compared by similarity: shorter texts are fragments, not labels. */
const MIN_SIMILAR = 4;

/** Dice coefficient on the longest common subsequence: 1 for equal keys, 0.875 for one word of 8 dropped. */
export function similarity(a: string, b: string): number {
  if (!a || !b) return 0;
  const prev = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    let diag = 0;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = a[i - 1] === b[j - 1] ? diag + 1 : Math.max(prev[j], prev[j - 1]);
      diag = up;
    }
  }
  return (2 * prev[b.length]) / (a.length + b.length);
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
