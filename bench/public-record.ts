/**
 * What one regeneration of the year pages costs in CPU beyond reading the reports: the year's totals, the
 * year page with its charts, the open data, the directory and search index, and the spreadsheet of every
 * year (rows, CSV, .xlsx), for N offices per year over Y years of consistent 2021-format reports. The I/O of
 * a regeneration is the year's reports (as before) plus one small totals file and one open data file per
 * other year. Writes bench/results/public-record.md. Run: npx tsx bench/public-record.ts [--quick]
 */
import { performance } from 'node:perf_hooks';
import { openData, openDataCsv, openDataJsonOf } from '../shared/render/open-data';
import { renderTopIndex, renderYearIndex, type PublicOffice } from '../shared/render/public-pages';
import { renderDirectory, searchIndexJson, yearTotals, type DirectoryEntry } from '../shared/render/public-record';
import { wideCsv, wideRows, wideXlsx } from '../shared/render/wide-data';
import { consistentReport } from '../test/report/rules-gen';
import { QUICK, header, kb, loadSampler, median, runMain, writeResult } from './lib';

const YEARS = 5;
const SIZES = QUICK ? [100] : [100, 1000];
const ROUNDS = QUICK ? 2 : 5;

function time<T>(fn: () => T): { ms: number; out: T } {
  const samples: number[] = [];
  let out!: T;
  for (let i = 0; i < ROUNDS; i++) {
    const t = performance.now();
    out = fn();
    samples.push(performance.now() - t);
  }
  return { ms: median(samples), out };
}

async function main() {
  const load = loadSampler();
  const lines: string[] = [];
  for (const n of SIZES) {
    const years = Array.from({ length: YEARS }, (_, y) => 2022 + y);
    const inputs = years.map((year) =>
      Array.from({ length: n }, (_, i) => ({ office: `单位${i}`, officeId: `o${i}`, version: 1, report: consistentReport(year * 10_000 + i, { version: '2021', year, office: `单位${i}` }) })),
    );
    const last = inputs[YEARS - 1];
    const year = years[YEARS - 1];
    const publics: PublicOffice[] = last.map((i) => ({
      officeId: i.officeId,
      name: i.office,
      status: 'PUBLISHED',
      versions: [{ version: 1, report: i.report, submissionId: 's', sha256: 'x', receivedAt: '2027-01-20T00:00:00Z', publishedAt: '2027-01-21T00:00:00Z' }],
    }));
    const totals = time(() => yearTotals(year, last));
    const previous = yearTotals(year - 1, inputs[YEARS - 2]);
    const page = time(() => renderYearIndex(year, publics, { totals: { current: totals.out, previous } }));
    const data = time(() => openData(year, last));
    const json = openDataJsonOf(data.out);
    const csv = time(() => openDataCsv(year, last));
    const entries: DirectoryEntry[] = last.map((i) => ({ officeId: i.officeId, years: years.map((y) => ({ year: y, name: i.office, group: null })) }));
    const dir = time(() => [renderDirectory(entries), searchIndexJson(entries), renderTopIndex(years.map((y) => ({ year: y, offices: n, published: n })), { totals: [previous, totals.out] })]);
    const all = years.map((y, k) => (y === year ? data.out : (JSON.parse(openDataJsonOf(openData(y, inputs[k]))) as typeof data.out)));
    const stored = all.slice(0, -1).map((d) => `${JSON.stringify({ year: d.year, rows: wideRows([d]) })}\n`);
    const parse = time(() => stored.map((t) => JSON.parse(t)));
    const rows = time(() => wideRows(all));
    const wcsv = time(() => wideCsv(rows.out));
    const xlsx = time(() => wideXlsx(rows.out));
    const total = totals.ms + page.ms + data.ms + csv.ms + dir.ms + parse.ms + rows.ms + wcsv.ms + xlsx.ms;
    lines.push(
      `| ${n} × ${YEARS} | ${totals.ms.toFixed(1)} | ${page.ms.toFixed(1)} (${kb(page.out.length)}) | ${(data.ms + csv.ms).toFixed(1)} (JSON ${kb(json.length)}) | ${dir.ms.toFixed(1)} | ${parse.ms.toFixed(0)} (${kb(stored[0].length)}) | ${(rows.ms + wcsv.ms).toFixed(0)} (${kb(wcsv.out.length)}) | ${xlsx.ms.toFixed(0)} (${kb(xlsx.out.length)}) | **${total.toFixed(0)}** |`,
    );
  }
  const md = `## The public record: regenerating a year's pages

${header('npx tsx bench/public-record.ts')}
- CPU only (no storage), median of ${ROUNDS}; consistent 2021-format reports, every office published every year.
  "other years' rows" is parsing the ${YEARS - 1} other years' \`data/{year}-rows.json\` (read from storage in the
  archive function; its size per year in brackets) for the spreadsheet of every year; the .xlsx and CSV are written only when the CSV changed.
- Load average during the run: ${load.done()}

| offices × years | totals ms | year page ms (size) | open data ms (size) | directory + search index + top index ms | other years' rows ms | every-year rows + CSV ms (size) | .xlsx ms (size) | total ms |
|---|---:|---:|---:|---:|---:|---:|---:|---:|
${lines.join('\n')}
`;
  writeResult('public-record', md);
  console.log(md);
}

runMain(main);
