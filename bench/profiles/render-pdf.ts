/** Profiling scenario: the canonical PDF of the clean 2021 report, 30 times in one process. */
import { renderPdf } from '../../shared/render/pdf';
import { RENDER_META, renderCases } from '../render';

void (async () => {
  const cases = await renderCases();
  for (let i = 0; i < 30; i++) await renderPdf(cases[1][1], RENDER_META);
})();
