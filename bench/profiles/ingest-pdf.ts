/** Profiling scenario: readReport of the LibreOffice PDF fixture, N (default 20) times (the PDF.js worker thread gets its own profile). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readReport } from '../../shared/report/ingest';
import { closePdfWorker } from '../../shared/report/ingest/pdf';
import { ROOT } from '../lib';

void (async () => {
  const bytes = new Uint8Array(readFileSync(join(ROOT, 'fixtures/formats/report.pdf')));
  for (let i = 0; i < Number(process.env.N ?? 20); i++) await readReport(bytes, { year: 2021 });
  await closePdfWorker();
})();
