/**
 * The 本级 report as Word: our own reader (readReport) gives back the same tables from the generated .docx,
 * for both formats and with blank sums; the six sections are there; LibreOffice converts it to PDF.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { aggregate, type AggregateEntry } from '../../shared/report/aggregate';
import { summaryNotes } from '../../shared/report/aggregate/narrative';
import { renderDocx } from '../../shared/render/docx';
import { isUnreadable, readReport } from '../../shared/report/ingest';
import { blankCell, type Report } from '../../shared/report/model';
import { validateParsed } from '../../shared/report/validate';
import { consistentReport } from '../report/rules-gen';

const OFFICES = ['青峰区教育局', '青峰区自然资源局', '白石街道办事处'];

function aggregated(version: '2019' | '2021', year: number, withBlank: boolean) {
  const rs: Report[] = OFFICES.map((office, i) => consistentReport(70 + i, { version, year, office }));
  if (withBlank) {
    rs[1].table3!['（一）予以公开']['自然人'] = blankCell();
    rs[2].table4!['复议后起诉']['总计'] = blankCell('—');
  }
  const entries: AggregateEntry[] = rs.map((r) => ({ office: r.office!, basis: 'file', file: `${r.office}.txt`, report: r }));
  return aggregate(entries, { name: '青峰区人民政府' });
}

async function docxOf(result: ReturnType<typeof aggregated>): Promise<Buffer> {
  return renderDocx(result.report, { notesAfterTables: true, appendix: { heading: '附：汇总说明', paragraphs: summaryNotes(result) } });
}

describe.each([
  ['2021', 2022],
  ['2019', 2020],
] as const)('%s format', (version, year) => {
  test.each([false, true])('read back by our reader: the same tables (blank sums: %s)', async (withBlank) => {
    const result = aggregated(version, year, withBlank);
    const bytes = await docxOf(result);
    const back = await readReport(new Uint8Array(bytes), { fileName: 'aggregate.docx' });
    if (isUnreadable(back)) throw new Error(back.unreadable);
    expect(back.report.table2).toEqual(result.report.table2);
    expect(back.report.table3).toEqual(result.report.table3);
    expect(back.report.table4).toEqual(result.report.table4);
    expect(back.report.formatVersion).toBe(version);
    expect(back.report.year).toBe(year);
    expect(back.report.office).toBe('青峰区人民政府');
    expect(back.report.sections.map((s) => s.ordinal)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(back.report.sections[0].text).toContain(`${year}年，青峰区人民政府`);
    const errors = validateParsed(back, { year }).findings.filter((f) => f.severity === 'error');
    // only the blank sums (NUM-01) are errors: the national check asks for a number there
    expect(errors.every((f) => f.rule === 'NUM-01')).toBe(true);
    expect(errors.length).toBe(withBlank ? 2 : 0);
  });
});

test('tables carry merged header cells like the national template', async () => {
  const xml = strFromU8(unzipSync(new Uint8Array(await docxOf(aggregated('2021', 2022, false))))['word/document.xml']);
  expect((xml.match(/<w:tbl>/g) ?? []).length).toBe(3);
  expect(xml).toContain('<w:vMerge w:val="restart"/>');
  expect(xml).toContain('<w:vMerge w:val="continue"/>');
  expect(xml).toMatch(/<w:gridSpan w:val="5"\/>/); // 法人或其他组织 over its five columns
  expect(xml).toContain('勾稽关系');
  expect(xml).toContain('附：汇总说明');
});

const soffice = ['/usr/bin/soffice', '/usr/local/bin/soffice', '/opt/libreoffice/program/soffice'].find((p) => existsSync(p));
const withSoffice = soffice ? test : test.skip;
if (!soffice) console.warn('LibreOffice (soffice) is not installed: skipping the .docx → PDF conversion test (apt-get install libreoffice-writer-nogui)');

withSoffice('LibreOffice converts the .docx to PDF without error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-docx-'));
  writeFileSync(join(dir, 'aggregate.docx'), await docxOf(aggregated('2021', 2022, true)));
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const p = execFile(
      soffice!,
      ['--headless', '--norestore', `-env:UserInstallation=file://${join(dir, 'profile')}`, '--convert-to', 'pdf', '--outdir', dir, join(dir, 'aggregate.docx')],
      { timeout: 120_000 },
      (err, _out, errOut) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stderr: errOut }),
    );
    p.stdin?.end();
  });
  expect({ code, error: stderr.split('\n').filter((l) => /error/i.test(l)) }).toEqual({ code: 0, error: [] });
  const pdf = readFileSync(join(dir, 'aggregate.pdf'));
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  expect(pdf.length).toBeGreaterThan(10_000);
}, 150_000);
