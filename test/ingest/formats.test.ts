/**
 * One report, every format an office really sends (made with LibreOffice from one web page, see
 * fixtures/formats/build.sh): each must give the same table 三, the same tables 二/四 and the same
 * verdict; the copy with one changed cell must give the same findings whatever the format.
 */
import { readReport, isUnreadable, type ReadResult } from '../../shared/report/ingest';
import { closePdfWorker } from '../../shared/report/ingest/pdf';
import { verdictOf, type Finding } from '../../shared/report/model';
import { runRules } from '../../shared/report/rules';
import { CTX, expectedReport, fixture, values } from './helpers';

afterAll(() => closePdfWorker());

const KINDS = ['report.html', 'report-gbk.html', 'report.docx', 'report.pdf', 'report-gb18030.txt', 'report.json'];
const ERROR_KINDS = ['report-t3-error.html', 'report-t3-error.docx', 'report-t3-error.pdf', 'report-t3-error.json'];

async function read(name: string, fileName = name): Promise<Exclude<ReadResult, { unreadable: string }>> {
  const r = await readReport(fixture(name), { ...CTX, fileName });
  if (isUnreadable(r)) throw new Error(`${name}: ${r.unreadable}`);
  return r;
}

const allFindings = (r: { report: Parameters<typeof runRules>[0]; findings: Finding[] }) => [...r.findings, ...runRules(r.report, CTX)];
const key = (f: Finding) => `${f.rule}|${f.severity}|${f.table}|${f.row}|${f.column}|${f.expected}|${f.actual}`;

describe('the same report in every format', () => {
  const truth = expectedReport('report.json');

  test.each(KINDS)('%s gives the tables of the report, and is accepted', async (name) => {
    const r = await read(name);
    expect(values(r.report.table3)).toEqual(values(truth.table3));
    expect(Object.keys(r.report.table3 ?? {})).toHaveLength(25);
    expect(values(r.report.table2)).toEqual(values(truth.table2));
    expect(values(r.report.table4)).toEqual(values(truth.table4));
    expect(r.report.year).toBe(2021);
    expect(r.report.office).toBe(truth.office);
    expect(r.report.formatVersion).toBe('2021');
    expect(r.report.sections.map((s) => s.ordinal)).toEqual([1, 2, 3, 4, 5, 6]);
    const findings = allFindings(r);
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(verdictOf(findings)).toBe('accepted');
  });

  test('the title survives every format (a wrapped PDF title is joined back)', async () => {
    for (const name of ['report.html', 'report.docx', 'report.pdf', 'report-gb18030.txt']) {
      expect((await read(name)).report.title).toBe(truth.title);
    }
  });

  test('the kind comes from the content, not from the file name', async () => {
    const asDoc = await read('report.docx', '报告.doc');
    const pdfAsDocx = await read('report.pdf', '报告.docx');
    const htmlAsTxt = await read('report.html', 'report.txt');
    for (const r of [asDoc, pdfAsDocx, htmlAsTxt]) expect(values(r.report.table3)).toEqual(values(truth.table3));
  });
});

describe('one changed cell in table 三', () => {
  const truth = expectedReport('report-t3-error.json');

  test.each(ERROR_KINDS)('%s reads the changed cell as written', async (name) => {
    const r = await read(name);
    expect(r.report.table3?.['（一）予以公开']?.['自然人']?.value).toBe(9);
    expect(values(r.report.table3)).toEqual(values(truth.table3));
  });

  test('every format gives the same findings, naming the row and the column', async () => {
    const results = await Promise.all(ERROR_KINDS.map((name) => read(name)));
    const sets = results.map((r) => allFindings(r).map(key).sort());
    for (const s of sets.slice(1)) expect(s).toEqual(sets[0]);
    const errors = allFindings(results[0]).filter((f) => f.severity === 'error');
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ rule: 'T3-02', table: '三', row: '（一）予以公开', column: '总计', expected: 11, actual: 10 }),
        expect.objectContaining({ rule: 'T3-03', table: '三', row: '（七）总计', column: '自然人', expected: 21, actual: 20 }),
      ]),
    );
    for (const r of results) expect(verdictOf(allFindings(r))).toBe('rejected');
  });
});
