/**
 * Profiling scenario: the canonical PDF of every render-benchmark report (bench/render.ts), 10 rounds in one
 * process after a warm-up round. Pass a case index (0–4) to profile one report only.
 */
import { renderPdf } from '../../shared/render/pdf';
import { RENDER_META, renderCases } from '../render';

void (async () => {
  const all = await renderCases();
  const only = process.argv[2];
  const cases = only === undefined ? all : [all[Number(only)]];
  for (const [, report] of cases) await renderPdf(report, RENDER_META);
  for (let i = 0; i < 10; i++) for (const [, report] of cases) await renderPdf(report, RENDER_META);
})();
