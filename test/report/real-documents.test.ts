/**
 * Real and realistic documents, read the way an expert reviewer reads them.
 *
 * fixtures/real/expected.json (reports as offices published them) and fixtures/realistic/manifest.json
 * (documents written by fixtures/realistic/build.ts from known canonical reports, in the layouts offices
 * publish) record the truth: every table value (blank = null), exactly the errors an expert expects, the
 * warnings that must be there. For each document: readReport (year, office) → validateParsed, then
 *   (i)   every table value equals the truth, cell by cell — a wrong number is the worst bug;
 *   (ii)  the error findings are exactly the expected ones (rule + row + column);
 *   (iii) the expected warnings are present;
 *   (iv)  a consistent document has no STR-06, NUM-01, T3-*, T4-* finding at all.
 * The expectations describe the correct reading, not what the parser does today.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding } from '../../shared/report/model';
import { isUnreadable, readReport } from '../../shared/report/ingest';
import { closePdfWorker } from '../../shared/report/ingest/pdf';
import { validateParsed, type ValidationResult } from '../../shared/report/validate';

type Truth = Record<string, Record<string, number | null>>;
interface Expect {
  rule: string;
  row?: string;
  column?: string;
  messageIncludes?: string[];
  exactlyOne?: boolean;
}
interface Entry {
  file: string;
  office: string;
  year: number;
  source: string;
  layout: string;
  verdict: 'accepted' | 'rejected';
  consistent?: boolean;
  tables: { table2?: Truth; table3?: Truth; table4?: Truth };
  errors: Expect[];
  warningsInclude: Expect[];
  noFindings?: Expect[];
  /** A layout that cannot be read whole: cells may be left unread (with a finding), never read wrong. */
  unsureCellsAllowed?: boolean;
  /** Tables that are there but cannot be read (cells run together): not one of their numbers is read. */
  tablesNotRead?: ('table2' | 'table3' | 'table4')[];
}

const ROOT = join(__dirname, '../../fixtures');
const SETS: [string, string][] = [
  ['real', 'expected.json'],
  ['realistic', 'manifest.json'],
];

const matches = (f: Finding, e: Expect) =>
  f.rule === e.rule &&
  (e.row === undefined || f.row === e.row) &&
  (e.column === undefined || f.column === e.column) &&
  (e.messageIncludes ?? []).every((t) => f.message.includes(t));

const show = (f: Finding) => `${f.rule} ${f.severity} [${f.row ?? ''} / ${f.column ?? ''}] ${f.message}`;
const showE = (e: Expect) => `${e.rule} [${e.row ?? '*'} / ${e.column ?? '*'}]${e.messageIncludes ? ` «${e.messageIncludes.join('», «')}»` : ''}${e.exactlyOne ? ' (exactly one)' : ''}`;

/** Expected errors vs actual errors: what is missing, what is there without being expected. */
function compareErrors(actual: Finding[], expected: Expect[]): { missing: string[]; unexpected: string[] } {
  const left = new Set(actual);
  const missing: string[] = [];
  // Most specific expectations first, so a wildcard does not take another's finding.
  const specificity = (e: Expect) => (e.row ? 1 : 0) + (e.column ? 1 : 0) + (e.messageIncludes ? 1 : 0);
  for (const e of [...expected].sort((a, b) => specificity(b) - specificity(a))) {
    const hit = [...left].filter((f) => matches(f, e));
    if (hit.length === 0 || (e.exactlyOne && hit.length !== 1)) missing.push(`${showE(e)}: found ${hit.length}`);
    for (const f of hit) left.delete(f);
  }
  return { missing, unexpected: [...left].map(show) };
}

/** Each truth cell vs the value read. */
function compareTables(result: ValidationResult, tables: Entry['tables'], unsureAllowed = false): string[] {
  const out: string[] = [];
  for (const [key, truth] of Object.entries(tables) as [keyof Entry['tables'], Truth | undefined][]) {
    if (!truth) continue;
    const read = result.report[key];
    if (!read) {
      out.push(`${key}: not found`);
      continue;
    }
    for (const [row, cols] of Object.entries(truth)) {
      for (const [col, want] of Object.entries(cols)) {
        const cell = read[row]?.[col];
        const got = cell ? (cell.kind === 'blank' ? null : cell.kind === 'invalid' ? `invalid «${cell.raw}»` : cell.value) : 'missing';
        if (got === 'missing' && unsureAllowed) continue;
        if (got !== want) out.push(`${key} ${row} / ${col}: expected ${want === null ? 'blank' : want}, read ${got === null ? 'blank' : got}`);
      }
    }
  }
  return out;
}

const CONSISTENT_RULES = (rule: string) => rule === 'STR-06' || rule === 'NUM-01' || rule.startsWith('T3-') || rule.startsWith('T4-');

for (const [dir, manifestName] of SETS) {
  const entries = JSON.parse(readFileSync(join(ROOT, dir, manifestName), 'utf8')) as Entry[];

  describe(`${dir} documents`, () => {
    for (const e of entries) {
      describe(`${e.file} (${e.layout.slice(0, 60)})`, () => {
        let result: ValidationResult | undefined;
        let unreadable: string | undefined;

        beforeAll(async () => {
          const bytes = new Uint8Array(readFileSync(join(ROOT, dir, e.file)));
          const parsed = await readReport(bytes, { fileName: e.file, year: e.year, office: e.office });
          if (isUnreadable(parsed)) unreadable = parsed.unreadable;
          else result = validateParsed(parsed, { year: e.year, office: e.office });
        });

        test('is read as a report', () => {
          expect(unreadable).toBeUndefined();
          expect(result).toBeDefined();
        });

        test(e.unsureCellsAllowed ? 'every table value read equals the truth (none invented, blanks included)' : 'every table value equals the truth', () => {
          expect(result && compareTables(result, e.tables, e.unsureCellsAllowed)).toEqual([]);
        });

        if (e.tablesNotRead) {
          test(`not read, not guessed: ${e.tablesNotRead.join(', ')}`, () => {
            expect(e.tablesNotRead!.filter((t) => result?.report[t] !== null)).toEqual([]);
          });
        }

        test(`errors are exactly: ${e.errors.length ? e.errors.map(showE).join('; ') : 'none'}`, () => {
          const errors = result?.findings.filter((f) => f.severity === 'error') ?? [];
          expect(compareErrors(errors, e.errors)).toEqual({ missing: [], unexpected: [] });
          expect(result?.verdict).toBe(e.verdict);
        });

        if (e.warningsInclude.length) {
          test(`warnings include: ${e.warningsInclude.map(showE).join('; ')}`, () => {
            const warnings = result?.findings.filter((f) => f.severity === 'warning') ?? [];
            const missing = e.warningsInclude.filter((w) => {
              const n = warnings.filter((f) => matches(f, w)).length;
              return w.exactlyOne ? n !== 1 : n === 0;
            });
            expect({ missing: missing.map(showE), warnings: missing.length ? warnings.map(show) : [] }).toEqual({ missing: [], warnings: [] });
          });
        }

        if (e.consistent) {
          test('consistent tables: no STR-06, NUM-01, T3-*, T4-* finding', () => {
            expect((result?.findings ?? []).filter((f) => CONSISTENT_RULES(f.rule)).map(show)).toEqual([]);
          });
        }

        for (const n of e.noFindings ?? []) {
          test(`no ${showE(n)} finding`, () => {
            expect((result?.findings ?? []).filter((f) => matches(f, n)).map(show)).toEqual([]);
          });
        }
      });
    }
  });
}

afterAll(async () => {
  await closePdfWorker();
});
