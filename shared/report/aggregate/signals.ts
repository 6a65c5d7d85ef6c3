/**
 * Signals for the coordinator (issue 16): figures worth a second look before the 本级 report is signed.
 * They are not errors — a report can be right and still surprising — so they are listed, never block. Pure.
 *
 * - `jump`: a cell that grew more than 5× or fell below 1/5 of last year's, both values ≥ 10;
 * - `lone-zero`: 0 where most other offices of the same group report a number above 0 (at least 3 others);
 * - `same-tables`: tables 二/三/四 identical to last year's, figure for figure (and not all zero);
 * - `similar-narrative`: narrative (digits removed) very similar to another office's in the same cycle.
 */
import { TABLE_KEYS, type Report } from '../model';
import { dataRows, SPECS, type TableId } from '../spec';
import { bigramSimilarity, comparableText } from '../rules/cross-year';
import { rowName, tableName } from '../rules/labels';
import { TABLE_IDS } from './sum';

export interface SignalInput {
  office: string;
  group?: string;
  report: Report;
  /** The same office's report of the year before. */
  previous?: Report | null;
}

export type SignalKind = 'jump' | 'lone-zero' | 'same-tables' | 'similar-narrative';

export interface Signal {
  kind: SignalKind;
  office: string;
  table?: TableId;
  row?: string;
  column?: string;
  current?: number;
  previous?: number;
  /** similar-narrative: the other office; lone-zero: how many others of the group report above 0. */
  other?: string;
  similarity?: number;
  message: string;
}

export interface SignalOptions {
  /** A change by this factor or more, either way (default 5). */
  factor?: number;
  /** Both values at least this (default 10): small numbers jump by nature. */
  minBase?: number;
  /** Narrative similarity from which two offices' texts are called very similar (default 0.9). */
  similarity?: number;
  /** Fewest other offices in a group for a lone zero to mean anything (default 3). */
  minGroup?: number;
}

type Cells = Array<{ table: TableId; row: string; column: string; value: number }>;

/** Every numeric cell of the report's national tables, in spec order. */
function numericCells(report: Report): Cells {
  const version = report.formatVersion;
  if (!version) return [];
  const out: Cells = [];
  for (const id of TABLE_IDS) {
    const table = report[TABLE_KEYS[id]];
    if (!table) continue;
    for (const row of dataRows(SPECS[version].tables[id])) {
      for (const c of row.columns) {
        const cell = table[row.label]?.[c.label];
        if (cell?.kind === 'number' && cell.value !== null) out.push({ table: id, row: row.label, column: c.label, value: cell.value });
      }
    }
  }
  return out;
}

const where = (c: { table: TableId; row: string; column: string }) => `${tableName(c.table)}「${rowName(c.row)}」「${c.column}」`;
const keyOf = (c: { table: TableId; row: string; column: string }) => `${c.table}\u0000${c.row}\u0000${c.column}`;

export function signals(inputs: SignalInput[], options: SignalOptions = {}): Signal[] {
  const factor = options.factor ?? 5;
  const minBase = options.minBase ?? 10;
  const threshold = options.similarity ?? 0.9;
  const minGroup = options.minGroup ?? 3;
  const out: Signal[] = [];
  const cells = inputs.map((i) => numericCells(i.report));

  inputs.forEach((input, i) => {
    if (!input.previous) return;
    const before = new Map(numericCells(input.previous).map((c) => [keyOf(c), c.value]));
    // jumps
    for (const c of cells[i]) {
      const prev = before.get(keyOf(c));
      if (prev === undefined || prev < minBase || c.value < minBase) continue;
      if (c.value > prev * factor || c.value * factor < prev) {
        const how = c.value > prev ? `增至上年的${(c.value / prev).toFixed(1)}倍` : `降至上年的${((c.value / prev) * 100).toFixed(0)}%`;
        out.push({ kind: 'jump', office: input.office, ...c, current: c.value, previous: prev, message: `“${input.office}”${where(c)}为${c.value}，上年为${prev}，${how}，请核实。` });
      }
    }
    // tables identical to last year's
    const now = cells[i];
    if (now.length > 0 && now.length === before.size && now.some((c) => c.value !== 0) && now.every((c) => before.get(keyOf(c)) === c.value)) {
      out.push({ kind: 'same-tables', office: input.office, message: `“${input.office}”表二、表三、表四的全部数据与上年报告完全相同，疑似沿用上年数据，请核实。` });
    }
  });

  // lone zeros, per group
  const groups = new Map<string, number[]>();
  inputs.forEach((input, i) => groups.set(input.group ?? '', [...(groups.get(input.group ?? '') ?? []), i]));
  for (const members of groups.values()) {
    if (members.length < minGroup + 1) continue;
    const values = members.map((i) => new Map(cells[i].map((c) => [keyOf(c), c.value])));
    members.forEach((i, k) => {
      for (const c of cells[i]) {
        if (c.value !== 0) continue;
        const others = values.filter((_, j) => j !== k).map((m) => m.get(keyOf(c))).filter((v): v is number => v !== undefined);
        const nonZero = others.filter((v) => v > 0).length;
        if (others.length >= minGroup && nonZero * 2 > others.length) {
          out.push({
            kind: 'lone-zero',
            office: inputs[i].office,
            ...c,
            current: 0,
            other: `${nonZero}/${others.length}`,
            message: `“${inputs[i].office}”${where(c)}为0，而同组${others.length}个单位中有${nonZero}个大于0，请核实是否漏填。`,
          });
        }
      }
    });
  }

  // narratives very similar to another office's in the same cycle
  const texts = inputs.map((i) => comparableText(i.report));
  for (let a = 0; a < inputs.length; a++) {
    for (let b = a + 1; b < inputs.length; b++) {
      if (texts[a].length < 50 || texts[b].length < 50) continue;
      const sim = bigramSimilarity(texts[a], texts[b]);
      if (sim >= threshold) {
        const message = `“${inputs[a].office}”与“${inputs[b].office}”的报告正文高度相似（去除数字后相似度${Math.floor(sim * 100)}%），疑似内容雷同，请核实。`;
        out.push({ kind: 'similar-narrative', office: inputs[a].office, other: inputs[b].office, similarity: Number(sim.toFixed(3)), message });
      }
    }
  }
  return out;
}
