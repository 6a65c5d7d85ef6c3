/**
 * Seeded subset of the fuzz run (bench/fuzz.ts runs ≥ 10,000 cases): every family of hostile file, each
 * case through processSubmission with the real checker over the in-memory ports. No throw, a recorded
 * ACCEPTED/REJECTED status, a Chinese message or findings, one receipt — for every case.
 */
import { closePdfWorker } from '../../shared/report/ingest/pdf';
import { FAMILIES, SCHEDULE_LENGTH, generateCase } from './generate';
import { runCase, type CaseOutcome } from './harness';

afterAll(() => closePdfWorker());

const SEED = 20211231;
/** Three full rounds of the schedule: every family at least three times. */
const CASES = 3 * SCHEDULE_LENGTH;
const CHINESE = /[\u4e00-\u9fff]/;

const outcomes: CaseOutcome[] = [];

describe(`fuzz subset: ${CASES} hostile files, seed ${SEED}`, () => {
  beforeAll(async () => {
    for (let i = 0; i < CASES; i++) outcomes.push(await runCase(generateCase(SEED, i)));
  }, 240_000);

  test('the generator is deterministic', () => {
    for (const i of [0, 7, SCHEDULE_LENGTH + 3]) {
      const a = generateCase(SEED, i);
      const b = generateCase(SEED, i);
      expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
      expect(a.detail).toBe(b.detail);
    }
    expect(Buffer.from(generateCase(SEED, 2).bytes).equals(Buffer.from(generateCase(SEED + 1, 2).bytes))).toBe(false);
  });

  test('every family was exercised', () => {
    const seen = new Set(outcomes.map((o) => o.family));
    expect([...seen].sort()).toEqual(FAMILIES.map((f) => f.name).sort());
  });

  test('nothing threw, nothing reached readReport’s last guard', () => {
    expect(outcomes.filter((o) => o.threw).map((o) => `#${o.index} ${o.family}: ${o.threw}`)).toEqual([]);
    expect(outcomes.filter((o) => o.lastGuard).map((o) => `#${o.index} ${o.family}: ${o.lastGuard}`)).toEqual([]);
  });

  test('every case ends in a recorded status, with a receipt and an audit event', () => {
    expect(outcomes.filter((o) => o.problems.length).map((o) => `#${o.index} ${o.family}: ${o.problems.join('; ')}`)).toEqual([]);
    for (const o of outcomes) expect(['ACCEPTED', 'REJECTED']).toContain(o.status);
  });

  test('a rejection always says why, in Chinese', () => {
    const rejected = outcomes.filter((o) => o.status === 'REJECTED');
    expect(rejected.length).toBeGreaterThan(CASES * 0.8);
    for (const o of rejected) expect(o.message).toMatch(CHINESE);
    // Both ways of failing occur: refused as unreadable, and read with findings.
    expect(outcomes.filter((o) => o.cls === 'unreadable').length).toBeGreaterThan(CASES / 4);
    expect(outcomes.filter((o) => o.cls === 'findings').length).toBeGreaterThan(CASES / 10);
  });

  test('the attacks are refused for the right reason', () => {
    const byFamily = (name: string) => outcomes.filter((o) => o.family === name);
    for (const o of byFamily('bomb-ratio')) expect(o.message).toContain('安全');
    for (const o of byFamily('bomb-entries').filter((x) => !x.detail.startsWith('1999 '))) expect(o.message).toContain('安全');
    for (const o of byFamily('empty')) expect(o.message).toContain('文件为空');
    // <p>, <li>, <td>… inside themselves close the previous one (HTML parsing rules): those pages are flat.
    const nests = (x: CaseOutcome) => /^<(div|span|table|section|blockquote|center|b|font|ul)> nested (\d+)/.exec(x.detail);
    const deep = byFamily('html-deep').filter((x) => Number(nests(x)?.[2]) > 500);
    expect(deep.length).toBeGreaterThan(0);
    for (const o of deep) expect(o.message).toContain('嵌套');
  });
});
