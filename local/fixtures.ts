/**
 * Report files for the demo and the integration tests, from fixtures/. Variants are derived in
 * memory (another office's name; one number changed), never written back.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const FIXTURES = join(__dirname, '..', 'fixtures');

export function fixtureText(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

export function fixtureBytes(name: string): Buffer {
  return readFileSync(join(FIXTURES, name));
}

/** The seed's office and the clean 2020 report's office (format 2019). */
export const SEED_OFFICE = '锦程街道办事处';
export const CLEAN_2020_OFFICE = '青峰区市场监督管理局';

/** The clean 2020 report as another office would write it. */
export function cleanReportFor(officeName: string): Buffer {
  return Buffer.from(fixtureText('clean-2019.txt').replaceAll(CLEAN_2020_OFFICE, officeName), 'utf8');
}

/**
 * The same report with 一、本年新收 (自然人) raised by 5: table 三 no longer adds up (T3-01/T3-02),
 * the kind of slip an office corrects and resubmits.
 */
export function defectiveReportFor(officeName: string): Buffer {
  const lines = cleanReportFor(officeName).toString('utf8').split('\n');
  const i = lines.findIndex((l) => l.includes('本年新收政府信息公开申请数量'));
  if (i < 0 || !/\d/.test(lines[i + 1] ?? '')) throw new Error('clean-2019.txt: table 三 not where expected');
  lines[i + 1] = lines[i + 1].replace(/\d+/, (d) => String(Number(d) + 5));
  return Buffer.from(lines.join('\n'), 'utf8');
}
