/**
 * Cross-checks as data, XBRL-calculation style: every check is an equation `total = Σ sign × part`
 * over cells named by canonical labels, generated from spec.ts and evaluated by ONE engine
 * (`evaluateEquations`). Blank is not 0: an equation whose cells are not all numbers is reported as
 * not assessable (a warning), never as passed and never as a false sum error.
 */
import { finding, TABLE_KEYS, type Cell, type Finding, type Report } from '../model';
import { dataRows, SPECS, T3, T3_COLUMNS, T4_COLUMNS, T4_GROUPS, type FormatVersion, type TableId } from '../spec';
import type { RuleId } from './catalog';
import { CATALOG } from './catalog';
import { cellName, rowName, tableName } from './labels';

/** Which report a cell is read from: the one being validated, or last year's archived one. */
export type Source = 'current' | 'previous';

export interface CellRef {
  table: TableId;
  row: string;
  column: string;
  source?: Source;
}

export interface Term {
  sign: 1 | -1;
  ref: CellRef;
}

export interface Equation {
  rule: RuleId;
  /** The cell that must equal the sum; a failing equation is reported at this cell. */
  total: CellRef;
  parts: Term[];
  /** What the equation checks, e.g. "「自然人」列". */
  scope: string;
  /** The equation in words, e.g. "（七）总计 = 一 + 二 − 四". */
  statement: string;
}

const ref = (table: TableId, row: string, column: string, source: Source = 'current'): CellRef => ({ table, row, column, source });
const plus = (r: CellRef): Term => ({ sign: 1, ref: r });
const minus = (r: CellRef): Term => ({ sign: -1, ref: r });

/** Leaf result rows of table 三: every data row between 三、本年度办理结果 and （七）总计. */
export function t3LeafResultRows(version: FormatVersion): string[] {
  const rows = SPECS[version].tables['三'].rows;
  const start = rows.findIndex((r) => r.label === T3.results);
  const end = rows.findIndex((r) => r.label === T3.resultsTotal);
  return rows.slice(start + 1, end).filter((r) => !r.header).map((r) => r.label);
}

function buildTableEquations(version: FormatVersion): Equation[] {
  const eqs: Equation[] = [];
  const t3 = SPECS[version].tables['三'];
  const columns = T3_COLUMNS.map((c) => c.label);
  // T3-01: per column, 一 + 二 = （七）总计 + 四, written as （七）总计 = 一 + 二 − 四.
  for (const c of columns) {
    eqs.push({
      rule: 'T3-01',
      total: ref('三', T3.resultsTotal, c),
      parts: [plus(ref('三', T3.received, c)), plus(ref('三', T3.carriedIn, c)), minus(ref('三', T3.carriedOut, c))],
      scope: `「${c}」列`,
      statement: '（七）总计 = 一、本年新收 + 二、上年结转 − 四、结转下年度继续办理',
    });
  }
  // T3-02: per row, 总计 = 自然人 + the five 法人或其他组织 columns.
  for (const row of dataRows(t3)) {
    eqs.push({
      rule: 'T3-02',
      total: ref('三', row.label, T3.total),
      parts: columns.filter((c) => c !== T3.total).map((c) => plus(ref('三', row.label, c))),
      scope: `「${rowName(row.label)}」行`,
      statement: '总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他',
    });
  }
  // T3-03: per column, （七）总计 = every leaf result row （一）…（六）.
  const leaves = t3LeafResultRows(version);
  for (const c of columns) {
    eqs.push({
      rule: 'T3-03',
      total: ref('三', T3.resultsTotal, c),
      parts: leaves.map((r) => plus(ref('三', r, c))),
      scope: `「${c}」列`,
      statement: `（七）总计 = （一）至（六）各项办理结果之和（共${leaves.length}行）`,
    });
  }
  // T4-01: per group, 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结.
  const t4cols = T4_COLUMNS.map((c) => c.label);
  for (const g of T4_GROUPS) {
    eqs.push({
      rule: 'T4-01',
      total: ref('四', g, '总计'),
      parts: t4cols.filter((c) => c !== '总计').map((c) => plus(ref('四', g, c))),
      scope: `「${g}」`,
      statement: '总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结',
    });
  }
  return eqs;
}

function buildCrossYearEquations(version: FormatVersion, previousVersion: FormatVersion): Equation[] {
  const eqs: Equation[] = [];
  // XY-01: 上年结转 (Y) = 结转下年度继续办理 (Y−1), per column. Table 三 has the same columns in both versions.
  for (const c of T3_COLUMNS.map((x) => x.label)) {
    eqs.push({
      rule: 'XY-01',
      total: ref('三', T3.carriedIn, c),
      parts: [plus(ref('三', T3.carriedOut, c, 'previous'))],
      scope: `「${c}」列`,
      statement: '本年“二、上年结转” = 上年报告“四、结转下年度继续办理”',
    });
  }
  // XY-02: 2021 format on both sides: 现行有效件数(Y) = 现行有效件数(Y−1) + 本年制发件数(Y) − 本年废止件数(Y).
  if (version === '2021' && previousVersion === '2021') {
    for (const row of dataRows(SPECS['2021'].tables['二']).filter((r) => r.columns.some((c) => c.label === '现行有效件数'))) {
      eqs.push({
        rule: 'XY-02',
        total: ref('二', row.label, '现行有效件数'),
        parts: [
          plus(ref('二', row.label, '现行有效件数', 'previous')),
          plus(ref('二', row.label, '本年制发件数')),
          minus(ref('二', row.label, '本年废止件数')),
        ],
        scope: `「${row.label}」行`,
        statement: '本年现行有效件数 = 上年现行有效件数 + 本年制发件数 − 本年废止件数',
      });
    }
  }
  return eqs;
}

const tableCache = new Map<FormatVersion, Equation[]>();
const crossCache = new Map<string, Equation[]>();

/** T3-01, T3-02, T3-03 and T4-01 for a format version (generated once from the spec). */
export function tableEquations(version: FormatVersion): Equation[] {
  let eqs = tableCache.get(version);
  if (!eqs) tableCache.set(version, (eqs = buildTableEquations(version)));
  return eqs;
}

/** XY-01 and XY-02 between a report and last year's. */
export function crossYearEquations(version: FormatVersion, previousVersion: FormatVersion): Equation[] {
  const key = `${version}/${previousVersion}`;
  let eqs = crossCache.get(key);
  if (!eqs) crossCache.set(key, (eqs = buildCrossYearEquations(version, previousVersion)));
  return eqs;
}

/**
 * A group row written as one row of totals without its sub-rows ((六)其他处理 in a 2021 report: STR-06
 * reports it) stands for its sub-rows in the sums, so that the columns stay checked.
 */
export function withGroupTotals(equations: Equation[], report: Report, version: FormatVersion): Equation[] {
  const t3 = report.table3;
  if (!t3) return equations;
  const rows = SPECS[version].tables['三'].rows;
  const groupOf = new Map<string, string>();
  for (const r of rows) {
    if (!r.header || !t3[r.label]) continue;
    const subs = rows.filter((x) => x.parent === r.label);
    if (subs.length && subs.every((x) => !t3[x.label])) for (const x of subs) groupOf.set(x.label, r.label);
  }
  if (groupOf.size === 0) return equations;
  const out: Equation[] = [];
  const seen = new Set<string>();
  for (const eq of equations) {
    const total = groupOf.has(eq.total.row) ? { ...eq.total, row: groupOf.get(eq.total.row)! } : eq.total;
    const parts: Term[] = [];
    for (const p of eq.parts) {
      const group = groupOf.get(p.ref.row);
      if (!group) parts.push(p);
      else if (!parts.some((q) => q.ref.row === group && q.ref.column === p.ref.column)) parts.push({ ...p, ref: { ...p.ref, row: group } });
    }
    const key = `${eq.rule}\u0000${total.row}\u0000${total.column}`;
    if (total !== eq.total && seen.has(key)) continue;
    seen.add(key);
    out.push({ ...eq, total, parts, scope: total !== eq.total ? `「${rowName(total.row)}」行` : eq.scope });
  }
  return out;
}

// ---- the engine ----

export interface EquationInput {
  current: Report;
  previous?: Report;
}

type Lookup =
  | { state: 'no-report' | 'no-table' | 'no-row' | 'no-cell' }
  | { state: 'cell'; cell: Cell };

function lookup(input: EquationInput, r: CellRef): Lookup {
  const report = r.source === 'previous' ? input.previous : input.current;
  if (!report) return { state: 'no-report' };
  const table = report[TABLE_KEYS[r.table]];
  if (!table) return { state: 'no-table' };
  const row = table[r.row];
  if (!row) return { state: 'no-row' };
  const cell = row[r.column];
  if (!cell) return { state: 'no-cell' };
  return { state: 'cell', cell };
}

const refCache = new WeakMap<Equation, CellRef[]>();
/** The total first, then the parts in order. */
function refsOf(eq: Equation): CellRef[] {
  let refs = refCache.get(eq);
  if (!refs) refCache.set(eq, (refs = [eq.total, ...eq.parts.map((p) => p.ref)]));
  return refs;
}

/** In the worked sum, name parts by what varies: the column along a row, the row down a column. */
function partNamer(eq: Equation): (r: CellRef) => string {
  const refs = refsOf(eq);
  const same = (k: 'row' | 'column' | 'source') => refs.every((r) => (r[k] ?? 'current') === (eq.total[k] ?? 'current'));
  if (same('source') && same('row')) return (r) => r.column;
  if (same('source') && same('column')) return (r) => rowName(r.row);
  return (r) => `${prefix(r)}${cellName(r)}`;
}
const prefix = (r: CellRef) => (r.source === 'previous' ? '上年报告' : '');
const fmt = (n: number) => String(Math.round(n * 1e6) / 1e6);

function cellProblem(cell: Cell): string {
  if (cell.kind === 'blank') return cell.raw.trim() ? `填写为“${cell.raw.trim()}”` : '空白';
  return cell.problem ?? `无法识别“${cell.raw.trim()}”`;
}

function listOf(items: string[], max = 8): string {
  return items.length <= max ? items.join('、') : `${items.slice(0, max).join('、')}等${items.length}项`;
}

/** A table or row one equation needs that a report lacks. */
interface Absent {
  table: TableId;
  row: string | null;
  source?: Source;
}

/** What one equation came to, in numbers and references only: the arithmetic, before any words. */
export type EquationOutcome =
  | { kind: 'balanced' }
  /** A report, table or row it needs is absent: the equation cannot be assessed (`absent`: the tables and rows). */
  | { kind: 'absent'; absent: Absent[] }
  /** Cells that are not numbers (blank, invalid, missing: `cell` null). */
  | { kind: 'not-numbers'; cells: { ref: CellRef; cell: Cell | null }[] }
  /** `values` in the order of refsOf: the total, then the parts. */
  | { kind: 'unbalanced'; values: number[]; sum: number; total: number };

const BALANCED: EquationOutcome = { kind: 'balanced' };

/** The arithmetic of one equation: look every cell up once; the sum is built only from numbers. */
export function evaluateEquation(eq: Equation, input: EquationInput): EquationOutcome {
  const refs = refsOf(eq);
  const values: number[] = new Array(refs.length);
  const absent: Absent[] = [];
  let noReport = false;
  const notNumbers: { ref: CellRef; cell: Cell | null }[] = [];
  for (let i = 0; i < refs.length; i++) {
    const r = refs[i];
    const l = lookup(input, r);
    if (l.state === 'cell') {
      if (l.cell.kind === 'number' && l.cell.value !== null) values[i] = l.cell.value;
      else notNumbers.push({ ref: r, cell: l.cell });
    } else if (l.state === 'no-cell') notNumbers.push({ ref: r, cell: null });
    else if (l.state === 'no-table') absent.push({ table: r.table, row: null, source: r.source });
    else if (l.state === 'no-row') absent.push({ table: r.table, row: r.row, source: r.source });
    else noReport = true;
  }
  if (absent.length || noReport) return { kind: 'absent', absent };
  if (notNumbers.length) return { kind: 'not-numbers', cells: notNumbers };
  const total = values[0];
  let sum = 0;
  for (let i = 0; i < eq.parts.length; i++) sum += eq.parts[i].sign * values[i + 1];
  return Math.abs(sum - total) <= 1e-6 ? BALANCED : { kind: 'unbalanced', values, sum, total };
}

// ---- the words ----

/** Where a finding about an equation is reported: its total cell. */
const at = (eq: Equation) => ({ table: eq.total.table, row: eq.total.row, column: eq.total.column });

function notAssessableFinding(rule: RuleId, eq: Equation, cells: { ref: CellRef; cell: Cell | null }[]): Finding {
  const blanks = cells.map(({ ref: r, cell }) => `${prefix(r)}${cellName(r)}（${cell ? cellProblem(cell) : '缺失'}）`);
  return finding({
    rule,
    severity: 'warning',
    ...at(eq),
    message: `无法核对${tableName(eq.total.table)}${eq.scope}（${eq.statement}）：${listOf(blanks)}，请补全后再核对。`,
  });
}

/** A failing equation, with the worked sum. Long equations (T3-03) show only the non-zero parts. */
function unbalancedFinding(rule: RuleId, eq: Equation, { values, sum, total }: { values: number[]; sum: number; total: number }): Finding {
  const name = partNamer(eq);
  const shown: string[] = [];
  eq.parts.forEach((p, i) => {
    const v = values[i + 1];
    if (eq.parts.length <= 7 || v !== 0) shown.push(`${shown.length === 0 ? (p.sign < 0 ? '−' : '') : p.sign < 0 ? ' − ' : ' + '}${name(p.ref)} ${fmt(v)}`);
  });
  const parts = shown.length ? shown.join('') : '各项均为0';
  const nonZeroNote = eq.parts.length > 7 ? '（列出非零项）' : '';
  const totalRef = eq.total;
  return finding({
    rule,
    severity: CATALOG[rule].severity,
    ...at(eq),
    expected: Math.round(sum * 1e6) / 1e6,
    actual: total,
    message:
      `${tableName(totalRef.table)}${eq.scope}不平衡（${eq.statement}）：${prefix(totalRef)}${cellName(totalRef)}应为 ${fmt(sum)}，实为 ${fmt(total)}。` +
      `计算${nonZeroNote}：${parts} = ${fmt(sum)}。`,
  });
}

/** One finding per rule for its equations that absent tables or rows make unassessable: "表三缺少「a」、「b」行；上年报告缺少表三". */
function absentFinding(rule: RuleId, absent: Absent[], equations: number): Finding {
  const groups = new Map<string, { who: string; table: string; rows: string[] }>();
  for (const m of absent) {
    const who = m.source === 'previous' ? '上年报告' : '';
    const k = `${who}${m.table}`;
    const g = groups.get(k) ?? { who, table: tableName(m.table), rows: [] };
    if (m.row) g.rows.push(`「${rowName(m.row)}」`);
    groups.set(k, g);
  }
  const what = [...groups.values()].map((g) => (g.rows.length ? `${g.who}${g.table}缺少${listOf(g.rows)}行` : `${g.who}缺少${g.table}`)).join('；');
  const tables = new Set(absent.map((m) => m.table));
  return finding({
    rule,
    severity: 'warning',
    table: tables.size === 1 ? absent[0].table : null,
    row: absent.length === 1 ? absent[0].row : null,
    message: `无法核对${CATALOG[rule].title}（${equations}个等式）：${what}。`,
  });
}

/**
 * Evaluate equations. Per rule: rows or tables absent from a report make the equations that need
 * them not assessable, reported once per rule; blank/invalid/absent cells make one equation not
 * assessable, reported at its total cell; a failing equation is reported with the expected sum and
 * the actual total.
 */
export function evaluateEquations(equations: Equation[], input: EquationInput): Finding[] {
  const out: Finding[] = [];
  const byRule = new Map<RuleId, Equation[]>();
  for (const eq of equations) {
    const list = byRule.get(eq.rule) ?? [];
    list.push(eq);
    byRule.set(eq.rule, list);
  }
  for (const [rule, eqs] of byRule) {
    const absent = new Map<string, Absent>();
    let unassessable = 0;
    const perEquation: Finding[] = [];
    for (const eq of eqs) {
      const r = evaluateEquation(eq, input);
      if (r.kind === 'absent') {
        unassessable++;
        for (const a of r.absent) absent.set(`${a.source === 'previous' ? '上年报告' : ''}${a.table}${a.row === null ? '' : `\u0000${a.row}`}`, a);
      } else if (r.kind === 'not-numbers') perEquation.push(notAssessableFinding(rule, eq, r.cells));
      else if (r.kind === 'unbalanced') perEquation.push(unbalancedFinding(rule, eq, r));
    }
    if (absent.size > 0) out.push(absentFinding(rule, [...absent.values()], unassessable));
    out.push(...perEquation);
  }
  return out;
}
