/**
 * The rule engine: every rule of the catalog (docs/report-format.md) except PUB-01 (an archive rule),
 * run at once. Pure: no I/O, the same report and context always give the same findings.
 */
import type { Finding, Report } from '../model';
import { SPECS, T3_COLUMNS, T4_COLUMNS, type FormatVersion, type TableId } from '../spec';
import type { RuleId } from './catalog';
import { effectiveVersion, sectionOf, type ValidationContext } from './context';
import { crossYear } from './cross-year';
import { dl01 } from './deadline';
import { evaluateEquations, tableEquations, withGroupTotals } from './equations';
import { numbers } from './numbers';
import { str01, str02, str03, str04, str05, str06, str07 } from './structure';
import { txt01, txt02, txt03 } from './text';

export type { ValidationContext } from './context';
export { CATALOG, RULE_IDS, type RuleId, type RuleInfo } from './catalog';

/** One check: the catalog ids it reports under, and the function that runs it. */
export interface Check {
  rules: readonly RuleId[];
  run(report: Report, ctx: ValidationContext, version: FormatVersion): Finding[];
}

/**
 * The registry: every implemented rule id of the catalog is bound to exactly one check here, and a check
 * reports only under its own ids, at most at the catalog's severity (test/report/rules-registry.test.ts).
 */
export const CHECKS: readonly Check[] = [
  { rules: ['DL-01'], run: (_report, ctx) => dl01(ctx) },
  { rules: ['STR-01'], run: (report) => str01(report) },
  { rules: ['STR-02'], run: str02 },
  { rules: ['STR-03'], run: str03 },
  { rules: ['STR-04'], run: str04 },
  { rules: ['STR-05'], run: str05 },
  { rules: ['STR-06'], run: str06 },
  { rules: ['STR-07'], run: str07 },
  { rules: ['NUM-01', 'NUM-02'], run: numbers },
  {
    rules: ['T3-01', 'T3-02', 'T3-03', 'T4-01'],
    run: (report, _ctx, version) => evaluateEquations(withGroupTotals(tableEquations(version), report, version), { current: report }),
  },
  { rules: ['XY-01', 'XY-02', 'XY-03'], run: crossYear },
  { rules: ['TXT-01'], run: (report) => txt01(report) },
  { rules: ['TXT-02'], run: (report) => txt02(report) },
  { rules: ['TXT-03'], run: (report) => txt03(report) },
];

export function runRules(report: Report, ctx: ValidationContext = {}): Finding[] {
  const version = effectiveVersion(report, ctx);
  return sortFindings(
    CHECKS.flatMap((c) => c.run(report, ctx, version)),
    report,
    ctx,
  );
}

const orderCache = new Map<FormatVersion, { rows: Map<string, number>; columns: Map<string, number> }>();

/** Row and column order of a version's tables, for sorting. */
function orderOf(version: FormatVersion) {
  let o = orderCache.get(version);
  if (!o) {
    const spec = SPECS[version];
    const rows = new Map<string, number>();
    const columns = new Map<string, number>();
    for (const t of ['二', '三', '四'] as TableId[]) spec.tables[t].rows.forEach((r, i) => rows.set(`${t}\u0000${r.label}`, i));
    const cols = [...spec.tables['二'].rows.flatMap((r) => r.columns), ...T3_COLUMNS, ...T4_COLUMNS].map((c) => c.label);
    for (const c of cols) if (!columns.has(c)) columns.set(c, columns.size);
    orderCache.set(version, (o = { rows, columns }));
  }
  return o;
}

/**
 * Document order: findings about the whole report first, then by section; within a table by row
 * and column order of the spec (table-level findings first, unknown rows last); errors first
 * within a cell. Stable otherwise.
 */
export function sortFindings(findings: Finding[], report: Report, ctx: ValidationContext = {}): Finding[] {
  if (findings.length < 2) return findings;
  const { rows, columns } = orderOf(effectiveVersion(report, ctx));
  const key = (f: Finding): number[] => [
    sectionOf(f),
    f.row === null ? -1 : (rows.get(`${f.table}\u0000${f.row}`) ?? 1000),
    f.column === null ? -1 : (columns.get(f.column) ?? 1000),
    f.severity === 'error' ? 0 : 1,
  ];
  return findings
    .map((f, i) => ({ f, i, k: key(f) }))
    .sort((a, b) => {
      for (let j = 0; j < a.k.length; j++) if (a.k[j] !== b.k[j]) return a.k[j] - b.k[j];
      return a.i - b.i;
    })
    .map((x) => x.f);
}
