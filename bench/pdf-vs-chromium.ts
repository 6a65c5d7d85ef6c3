/**
 * Our canonical PDF (shared/render/pdf.ts, pdfkit + a subset of Noto Sans SC) against headless Chromium
 * printing the same report's public HTML page (shared/render/public-pages.ts) with playwright-core
 * `page.pdf()`, Debian's /usr/bin/chromium. Same reports, same process, same run: time per report with a
 * warm browser, time including the browser's launch, file size, and the ratios.
 * Writes bench/results/pdf-vs-chromium.md. Run: npx tsx bench/pdf-vs-chromium.ts [--quick]
 */
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { chromium, type Browser } from 'playwright-core';
import type { Report } from '../shared/report/model';
import { renderPdf } from '../shared/render/pdf';
import { renderOfficePage, type PublicOffice } from '../shared/render/public-pages';
import { QUICK, header, isMain, kb, loadSampler, median, ms, runMain, summarize, writeResult } from './lib';
import { RENDER_META, distinctChars, renderCases } from './render';

export const CHROMIUM = '/usr/bin/chromium';
/** The flags of the comparison (playwright adds its own defaults, headless mode included). */
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const YEAR = 2022;

function officeOf(report: Report): PublicOffice {
  return {
    officeId: 'bench',
    name: report.office ?? '某单位',
    status: 'PUBLISHED',
    versions: [{ version: 1, report, submissionId: RENDER_META.submissionId, sha256: RENDER_META.sha256, receivedAt: RENDER_META.receivedAt }],
  } as PublicOffice;
}

const launch = () => chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true });

async function chromiumPdf(browser: Browser, html: string): Promise<Buffer> {
  const page = await browser.newPage();
  try {
    await page.setContent(html, { waitUntil: 'load' });
    return await page.pdf({ format: 'A4', printBackground: true, margin: { top: '20mm', bottom: '20mm', left: '18mm', right: '18mm' } });
  } finally {
    await page.close();
  }
}

async function main() {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found (Debian package chromium)`);
  const iterations = QUICK ? 3 : 20;
  const launches = QUICK ? 1 : 5;
  const started = header(`npx tsx bench/pdf-vs-chromium.ts${QUICK ? ' --quick' : ''}`);
  const all = await renderCases();
  // Quick: the seed, a clean report and the long one.
  const cases = QUICK ? [all[0], all[1], all[3]] : all;
  const sampler = loadSampler();
  await renderPdf(cases[0][1], RENDER_META); // font read + parse: once per process, not per report
  const browser = await launch();
  const rows: string[] = [];
  const ratios: number[] = [];
  let allFast = true;
  const large: string[] = [];
  try {
    await chromiumPdf(browser, renderOfficePage(YEAR, officeOf(cases[0][1]), { standalone: true })); // warm-up
    for (const [name, report] of cases) {
      const html = renderOfficePage(YEAR, officeOf(report), { standalone: true });
      // Interleaved, so a load spike from another job hits both.
      const ours: number[] = [];
      const theirs: number[] = [];
      let oursBytes = 0;
      let theirBytes = 0;
      for (let i = 0; i < iterations; i++) {
        let t = performance.now();
        oursBytes = (await renderPdf(report, RENDER_META)).length;
        ours.push(performance.now() - t);
        t = performance.now();
        theirBytes = (await chromiumPdf(browser, html)).length;
        theirs.push(performance.now() - t);
      }
      const withLaunch: number[] = [];
      for (let i = 0; i < launches; i++) {
        const t = performance.now();
        const b = await launch();
        await chromiumPdf(b, html);
        await b.close();
        withLaunch.push(performance.now() - t);
      }
      const o = summarize(ours);
      const c = summarize(theirs);
      const ratio = c.p50 / o.p50;
      ratios.push(ratio);
      allFast &&= ratio >= 10;
      if (oursBytes > 100 * 1024) large.push(`${name}: ${kb(oursBytes)} KB`);
      rows.push(
        `| ${name} | ${distinctChars(report)} | ${ms(o.p50, 0)} / ${ms(o.p95, 0)} | ${ms(c.p50, 0)} / ${ms(c.p95, 0)} | ${ms(median(withLaunch), 0)} | **${ratio.toFixed(1)}×** (${(median(withLaunch) / o.p50).toFixed(0)}× with launch) | ${kb(oursBytes)} | ${kb(theirBytes)} | ${(theirBytes / oursBytes).toFixed(1)}× |`,
      );
      console.log(rows[rows.length - 1]);
    }
  } finally {
    await browser.close();
  }
  const load = sampler.done();
  const md = `## PDF: canonical PDF vs headless Chromium

${started}
- Ours: \`renderPdf\` (pdfkit, embedded subset of Noto Sans SC), warm process (the 10 MB font is read and parsed
  once per process, short runs' layout is kept for the process, lines are laid out in every render).
  Chromium: the same report's public office page (\`renderOfficePage\`, standalone) printed by
  \`${CHROMIUM}\` through playwright-core \`page.setContent\` + \`page.pdf({ format: 'A4' })\`, flags
  \`${CHROMIUM_FLAGS.join(' ')}\`, CJK glyphs from the system's Noto CJK fonts.
- ${iterations} renders per report and side, interleaved; "with launch" = launch + one page + close, median of ${launches}.
- Load average during the run: ${load}.

| report | distinct characters | ours p50 / p95 ms | Chromium warm p50 / p95 ms | Chromium incl. launch ms | Chromium ÷ ours (time) | ours KB | Chromium KB | size ratio |
|---|---:|---:|---:|---:|---:|---:|---:|---:|
${rows.join('\n')}

Targets: ≥ 10× faster than Chromium — ${allFast ? 'met for every report' : `NOT met for every report (ratios ${ratios.map((r) => r.toFixed(1)).join(', ')})`};
≤ 100 KB — ${large.length === 0 ? 'met for every report' : `met except for ${large.join(', ')} (≈ 0.18 KB per distinct character; ≤ 100 KB up to ≈ 490 distinct characters)`}.
`;
  writeResult('pdf-vs-chromium', md);
  console.log(md);
}

if (isMain('pdf-vs-chromium')) runMain(main);
