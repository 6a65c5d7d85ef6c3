/** Profiling scenario: readReport of the real WPS PDF (fixtures/real), N (default 40) times (the PDF.js worker thread gets its own profile). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readReport } from '../../shared/report/ingest';
import { closePdfWorker } from '../../shared/report/ingest/pdf';
import { ROOT } from '../lib';

void (async () => {
  const bytes = new Uint8Array(readFileSync(join(ROOT, 'fixtures/real/huaian-shi-2024-wps.pdf')));
  for (let i = 0; i < Number(process.env.N ?? 40); i++) await readReport(bytes, { year: 2024 });
  await closePdfWorker();
})();
