/**
 * The rule registry (CHECKS, shared/report/rules/index.ts) against the catalog: every implemented id is
 * bound to exactly one check; and on a corpus that makes every implemented rule fire — the fixtures, with
 * contexts that break the cross-report rules, and generated reports with defects — each check reports
 * only under its own ids, never above the catalog's severity.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding, Report, Severity } from '../../shared/report/model';
import { parseText } from '../../shared/report/parse';
import { CATALOG, CHECKS, RULE_IDS, type ValidationContext } from '../../shared/report/rules';
import { effectiveVersion } from '../../shared/report/rules/context';
import { clone, consistentReport } from './rules-gen';

const FIXTURES = join(__dirname, '../../fixtures');
const RANK: Record<Severity, number> = { warning: 1, error: 2 };

const texts = [
  ...readdirSync(FIXTURES).filter((f) => f.endsWith('.txt')).map((f) => join(FIXTURES, f)),
  ...readdirSync(join(FIXTURES, 'realistic')).filter((f) => f.endsWith('.txt')).map((f) => join(FIXTURES, 'realistic', f)),
];
const parsed = texts.map((f) => parseText(readFileSync(f, 'utf8').replace(/\r\n/g, '\n')).report);
const previous = parseText(readFileSync(join(FIXTURES, 'clean-2021-prev.txt'), 'utf8')).report;

/** Generated reports, each with one kind of defect the rules look for. */
function defective(): Report[] {
  const out: Report[] = [];
  for (let seed = 1; seed <= 6; seed++) {
    const r = consistentReport(seed);
    out.push(r);
    const changed = clone(r);
    const t3 = changed.table3!;
    const row = Object.keys(t3)[0];
    t3[row]['总计'] = { raw: '999', kind: 'number', value: 999 };
    out.push(changed);
    const t4 = clone(r);
    t4.table4!['行政复议']['总计'] = { raw: '7', kind: 'number', value: 7 };
    out.push(t4);
    const blank = clone(r);
    blank.table3![row]['自然人'] = { raw: '', kind: 'blank', value: null };
    blank.table3![row]['商业企业'] = { raw: '-3', kind: 'number', value: -3 };
    out.push(blank);
    const empty = clone(r);
    empty.sections = empty.sections.filter((s) => s.ordinal !== 6).map((s) => ({ ...s, text: s.ordinal === 1 || s.ordinal === 5 ? '无。' : s.text }));
    out.push(empty);
    const dated = clone(r);
    dated.period = { from: `${r.year}-01-01`, to: `${r.year}-06-30` };
    dated.preamble = '根据《政府信息公开工作年度报告格式（试行）》编制。';
    out.push(dated);
    const otherFormat = clone(r);
    otherFormat.formatVersion = r.formatVersion === '2021' ? '2019' : '2021';
    out.push(otherFormat);
  }
  return out;
}

const contexts = (r: Report): ValidationContext[] => [
  {},
  {
    year: (r.year ?? 2022) + 1,
    office: '青峰区某某局',
    otherOffices: ['青峰区住房和城乡建设局', '锦程街道办事处'],
    previous,
    deadline: '2023-01-31T15:59:59Z',
    receivedAt: '2023-02-05T02:00:00Z',
  },
  { year: r.year ?? undefined, previous: r },
];

test('every implemented rule id of the catalog is bound to exactly one check, and no other id is', () => {
  const bound = CHECKS.flatMap((c) => c.rules);
  const implemented = RULE_IDS.filter((id) => CATALOG[id].implemented);
  expect([...bound].sort()).toEqual([...implemented].sort());
  expect(new Set(bound).size).toBe(bound.length);
});

test('each check reports only its own ids, at most at the catalog severity, on a corpus where every rule fires', () => {
  const reports = [...parsed, ...defective()];
  const seen = new Set<string>();
  const wrong: string[] = [];
  for (const report of reports) {
    for (const ctx of contexts(report)) {
      const version = effectiveVersion(report, ctx);
      for (const check of CHECKS) {
        for (const f of check.run(report, ctx, version) as Finding[]) {
          seen.add(f.rule);
          const info = CATALOG[f.rule as keyof typeof CATALOG];
          if (!check.rules.includes(f.rule as never)) wrong.push(`${check.rules.join('/')} reported ${f.rule}`);
          else if (RANK[f.severity] > RANK[info.severity]) wrong.push(`${f.rule} as ${f.severity}, catalog ${info.severity}`);
        }
      }
    }
  }
  expect(wrong).toEqual([]);
  expect(RULE_IDS.filter((id) => CATALOG[id].implemented && !seen.has(id))).toEqual([]);
});
