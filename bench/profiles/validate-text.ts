/** Profile scenario: the validate benchmark's corpus (text reports), parsed and validated 10 times. */
import { isUnreadable, readReport } from '../../shared/report/ingest';
import { validateParsed } from '../../shared/report/validate';
import { corpus } from '../validate';

async function main() {
  const files = corpus();
  for (let round = 0; round < 10; round++) {
    for (const f of files) {
      const parsed = await readReport(f.bytes, { fileName: 'report.txt' });
      if (isUnreadable(parsed)) throw new Error(parsed.unreadable);
      validateParsed(parsed);
    }
  }
}
void main();
