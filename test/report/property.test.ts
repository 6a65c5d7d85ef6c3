/**
 * Properties over many generated consistent reports of both versions (fast-check):
 * one changed cell is always caught and located, blank cells never cause a sum error,
 * writeText/parseText round-trips the tables, the encoding does not change the result,
 * and no input bytes make validation throw.
 */
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { blankCell, numberCell, type Report, type TableKey } from '../../shared/report/model';
import { isUnreadable, readReport } from '../../shared/report/ingest';
import { parseText } from '../../shared/report/parse';
import { runRules } from '../../shared/report/rules';
import { dataRows, SPECS } from '../../shared/report/spec';
import { validateParsed } from '../../shared/report/validate';
import { writeText } from '../../shared/report/write-text';
import { clone, consistentReport } from './rules-gen';

const SUM_RULES = new Set(['T3-01', 'T3-02', 'T3-03', 'T4-01']);
const fixture = (name: string) => readFileSync(join(__dirname, '../../fixtures', name));

/** Every (table, row, column) of tables 三 and 四 of a version. */
function sumCells(version: '2019' | '2021'): { key: TableKey; row: string; column: string }[] {
  const out: { key: TableKey; row: string; column: string }[] = [];
  for (const [id, key] of [['三', 'table3'], ['四', 'table4']] as const) {
    for (const row of dataRows(SPECS[version].tables[id])) for (const c of row.columns) out.push({ key, row: row.label, column: c.label });
  }
  return out;
}
const CELLS = { '2019': sumCells('2019'), '2021': sumCells('2021') };

const reportArb = fc.record({ seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }), version: fc.constantFrom('2019' as const, '2021' as const) });

test('generated reports are consistent: no finding at all', () => {
  fc.assert(
    fc.property(reportArb, ({ seed, version }) => {
      expect(runRules(consistentReport(seed, { version }))).toEqual([]);
    }),
    { numRuns: 300 },
  );
});

test('one changed cell of table 三 or 四 → a sum error naming that cell\'s row or column', () => {
  fc.assert(
    fc.property(reportArb, fc.nat(), fc.integer({ min: 1, max: 50 }), fc.boolean(), ({ seed, version }, pick, size, down) => {
      const r = consistentReport(seed, { version });
      const target = CELLS[version][pick % CELLS[version].length];
      const before = r[target.key]![target.row][target.column].value!;
      const delta = down && before > 0 ? -Math.min(size, before) : size;
      r[target.key]![target.row][target.column] = numberCell(before + delta);
      const errors = runRules(r).filter((f) => f.severity === 'error');
      const located = errors.filter((f) => SUM_RULES.has(f.rule) && (f.row === target.row || f.column === target.column));
      expect(located.length).toBeGreaterThan(0);
      for (const f of located) {
        expect(f.expected).not.toBeNull();
        expect(f.actual).not.toBeNull();
        expect(f.expected).not.toBe(f.actual);
      }
      // Every error is about the changed cell's row or column: nothing else broke.
      for (const f of errors) expect(f.row === target.row || f.column === target.column).toBe(true);
    }),
    { numRuns: 500 },
  );
});

test('blanking cells never produces a T3/T4 error; each blank is a NUM-01 error at its cell', () => {
  fc.assert(
    fc.property(
      reportArb,
      fc.uniqueArray(fc.nat({ max: 200 }), { minLength: 1, maxLength: 12 }),
      fc.constantFrom('', '—', '/', '　', '-'),
      ({ seed, version }, picks, raw) => {
        const r = consistentReport(seed, { version });
        const cells = CELLS[version];
        const targets = [...new Set(picks.map((p) => p % cells.length))].map((i) => cells[i]);
        for (const t of targets) r[t.key]![t.row][t.column] = blankCell(raw);
        const fs = runRules(r);
        expect(fs.filter((f) => SUM_RULES.has(f.rule) && f.severity === 'error')).toEqual([]);
        const num01 = fs.filter((f) => f.rule === 'NUM-01');
        expect(num01).toHaveLength(targets.length);
        for (const t of targets) expect(num01.some((f) => f.row === t.row && f.column === t.column)).toBe(true);
        // …and some check says it could not be made.
        expect(fs.some((f) => SUM_RULES.has(f.rule) && f.severity === 'warning' && f.message.startsWith('无法核对'))).toBe(true);
      },
    ),
    { numRuns: 300 },
  );
});

function tablesOf(r: Report) {
  const strip = (t: Report['table3']) =>
    t && Object.fromEntries(Object.entries(t).map(([row, cells]) => [row, Object.fromEntries(Object.entries(cells).map(([c, cell]) => [c, [cell.kind, cell.value]]))]));
  return { table2: strip(r.table2), table3: strip(r.table3), table4: strip(r.table4) };
}

test('round trip: parseText(writeText(r)) gives the same tables, year, office and version', () => {
  fc.assert(
    fc.property(reportArb, ({ seed, version }) => {
      const r = consistentReport(seed, { version });
      const parsed = parseText(writeText(r));
      expect(tablesOf(parsed.report)).toEqual(tablesOf(r));
      expect([parsed.report.year, parsed.report.office, parsed.report.formatVersion]).toEqual([r.year, r.office, r.formatVersion]);
      expect(parsed.report.sections.map((s) => s.ordinal)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(validateParsed(parsed).findings).toEqual([]);
    }),
    { numRuns: 150 },
  );
});

test('round trip keeps blank cells blank', () => {
  fc.assert(
    fc.property(reportArb, fc.nat(), fc.constantFrom('', '—', '/', '-'), ({ seed, version }, pick, raw) => {
      const r = consistentReport(seed, { version });
      const t = CELLS[version][pick % CELLS[version].length];
      r[t.key]![t.row][t.column] = blankCell(raw);
      const parsed = parseText(writeText(r));
      expect(parsed.report[t.key]![t.row][t.column]).toMatchObject({ kind: 'blank', value: null });
      expect(tablesOf(parsed.report)).toEqual(tablesOf(r));
    }),
    { numRuns: 100 },
  );
});

// `a | 1 | 2 | `: a trailing `|` without a leading one ends an empty last cell.
test('round trip keeps an empty last cell of a row', () => {
  const r = consistentReport(0, { version: '2021' });
  r.table3!['（一）予以公开']['总计'] = blankCell('');
  const parsed = parseText(writeText(r));
  expect(parsed.report.table3!['（一）予以公开']['总计']).toMatchObject({ kind: 'blank', value: null });
});

const ENCODINGS: [string, (text: string) => Uint8Array][] = [
  ['utf-8', (t) => Buffer.from(t, 'utf8')],
  ['gb18030', (t) => iconv.encode(t, 'gb18030')],
  ['utf-16le+bom', (t) => Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(t, 'utf-16le')])],
];

async function validateBytes(bytes: Uint8Array) {
  const parsed = await readReport(bytes, { fileName: 'report.txt' });
  if (isUnreadable(parsed)) return parsed;
  return validateParsed(parsed);
}

test('the same report in UTF-8, GB18030 and UTF-16LE with BOM gives the same JSON result', async () => {
  const texts = [
    fixture('jincheng-2020.txt').toString('utf8'),
    fixture('clean-2019.txt').toString('utf8'),
    fixture('clean-2021.txt').toString('utf8'),
  ];
  for (const { seed, version } of fc.sample(reportArb, { numRuns: 20, seed: 42 })) {
    const r = consistentReport(seed, { version });
    r.table3!['（一）予以公开']['总计'] = blankCell('');
    texts.push(writeText(r));
  }
  for (const text of texts) {
    const results = await Promise.all(ENCODINGS.map(([, enc]) => validateBytes(enc(text))));
    expect('unreadable' in results[0]).toBe(false);
    const json = results.map((x) => JSON.stringify(x));
    expect(json[1]).toBe(json[0]);
    expect(json[2]).toBe(json[0]);
  }
});

test('random bytes never throw: unreadable with a Chinese message, or findings', async () => {
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 3000 }), async (bytes) => {
      const v = await validateBytes(bytes);
      if ('unreadable' in v) expect(v.unreadable).toMatch(/[\u4e00-\u9fff]/);
      else {
        expect(v.verdict).toBe('rejected');
        expect(v.findings.length).toBeGreaterThan(0);
      }
    }),
    { numRuns: 300 },
  );
});

test('random text of report-like fragments never throws and is rejected', async () => {
  const pieces = writeText(consistentReport(5, { version: '2021' })).split(/(?<=[\n|])/);
  await fc.assert(
    fc.asyncProperty(fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 120 }), async (parts) => {
      const v = await validateBytes(Buffer.from(parts.join(''), 'utf8'));
      if (!('unreadable' in v)) expect(Array.isArray(v.findings)).toBe(true);
    }),
    { numRuns: 200 },
  );
});

test('truncated files (every encoding) never throw; a cut report is rejected', async () => {
  const text = fixture('clean-2021.txt').toString('utf8');
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...ENCODINGS), fc.double({ min: 0, max: 0.9, noNaN: true }), async ([, enc], share) => {
      const bytes = enc(text);
      const v = await validateBytes(bytes.subarray(0, Math.floor(bytes.length * share)));
      if ('unreadable' in v) expect(v.unreadable).toMatch(/[\u4e00-\u9fff]/);
      else expect(v.verdict).toBe('rejected');
    }),
    { numRuns: 150 },
  );
});

test('generated reports survive JSON: validating a clone gives the same result', () => {
  const r = consistentReport(77);
  expect(runRules(clone(r))).toEqual(runRules(r));
});
