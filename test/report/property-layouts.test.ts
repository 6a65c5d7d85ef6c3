/**
 * The layout must never change what a number means. For a generated consistent report of either
 * format, one changed numeric cell of table 三 or 四, written in each real layout (browser copy,
 * one cell per line, PDF text with vertical fragments, a government web page with rowspan/colspan,
 * Word with gridSpan/vMerge, the real Word template filled in), is read back as written, and the
 * validator reports a T3/T4 error at that cell's row or column.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { numberCell, type Report, type TableKey } from '../../shared/report/model';
import { isUnreadable, readReport } from '../../shared/report/ingest';
import { closePdfWorker } from '../../shared/report/ingest/pdf';
import { dataRows, SPECS, type FormatVersion } from '../../shared/report/spec';
import { validateParsed } from '../../shared/report/validate';
import { browserCopyText, cellPerLineText, docxReport, fillTemplateDocx, govHtml, pdfText, wordHtml } from './layouts';
import { consistentReport } from './rules-gen';

const SUM_RULES = new Set(['T3-01', 'T3-02', 'T3-03', 'T4-01']);
const TEMPLATE = new Uint8Array(readFileSync(join(__dirname, '../../fixtures/real/template-2021-blank.docx')));
const utf8 = (s: string) => new TextEncoder().encode(s);

type Writer = (r: Report) => Uint8Array | Promise<Uint8Array>;
const LAYOUTS: { name: string; write: Writer; versions: FormatVersion[] }[] = [
  { name: 'browser copy (tabs, broken cells)', write: (r) => utf8(browserCopyText(r)), versions: ['2019', '2021'] },
  { name: 'one cell per line (seed style, CRLF)', write: (r) => utf8(cellPerLineText(r)), versions: ['2019', '2021'] },
  { name: 'PDF text (vertical label one character per line, page break)', write: (r) => utf8(pdfText(r, { vertical: 'chars', pageBreak: true })), versions: ['2019', '2021'] },
  { name: 'PDF text laid out in columns (pdftotext -layout, vertical pieces beside the rows)', write: (r) => utf8(pdfText(r, { vertical: 'chars', pageBreak: true, columns: true })), versions: ['2019', '2021'] },
  { name: 'PDF text (table 三 across a page, its header printed again)', write: (r) => utf8(pdfText(r, { vertical: 'chars', pageBreak: true, repeatHeader: true })), versions: ['2019', '2021'] },
  { name: 'PDF text (spaced fragments)', write: (r) => utf8(pdfText(r, { vertical: 'fragments' })), versions: ['2019', '2021'] },
  { name: 'government web page (rowspan/colspan)', write: (r) => utf8(govHtml(r, { verticalHeads: true })), versions: ['2019', '2021'] },
  { name: 'Word or WPS saved as a web page (MsoNormal runs, vertical label, sizing row)', write: (r) => utf8(wordHtml(r)), versions: ['2019', '2021'] },
  { name: 'Word, docx package (gridSpan/vMerge)', write: (r) => docxReport(r), versions: ['2019', '2021'] },
  { name: 'Word, the real 2021 template filled in', write: (r) => fillTemplateDocx(TEMPLATE, r), versions: ['2021'] },
];

function sumCells(version: FormatVersion): { key: TableKey; row: string; column: string }[] {
  const out: { key: TableKey; row: string; column: string }[] = [];
  for (const [id, key] of [
    ['三', 'table3'],
    ['四', 'table4'],
  ] as const) {
    for (const row of dataRows(SPECS[version].tables[id])) for (const c of row.columns) out.push({ key, row: row.label, column: c.label });
  }
  return out;
}

describe.each(LAYOUTS)('$name', ({ write, versions }) => {
  test('one changed cell of table 三 or 四 is read as written and reported at its row or column', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.constantFrom(...versions),
        fc.nat(),
        fc.integer({ min: 1, max: 30 }),
        async (seed, version, pick, delta) => {
          const r = consistentReport(seed, { version });
          const cells = sumCells(version);
          const target = cells[pick % cells.length];
          const changed = r[target.key]![target.row][target.column].value! + delta;
          r[target.key]![target.row][target.column] = numberCell(changed);
          const parsed = await readReport(await write(r), { year: r.year!, office: r.office! });
          if (isUnreadable(parsed)) throw new Error(`unreadable: ${parsed.unreadable}`);
          const result = validateParsed(parsed, { year: r.year!, office: r.office! });
          const read = result.report[target.key]?.[target.row]?.[target.column];
          expect({ cell: `${target.row} / ${target.column}`, read: read?.value ?? read?.kind ?? 'missing' }).toEqual({ cell: `${target.row} / ${target.column}`, read: changed });
          const located = result.findings.filter((f) => f.severity === 'error' && SUM_RULES.has(f.rule) && (f.row === target.row || f.column === target.column));
          expect(located.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 15 },
    );
  });
});

afterAll(async () => {
  await closePdfWorker();
});
