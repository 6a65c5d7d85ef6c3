/**
 * The seed (锦程街道办事处 2020, a real published report) must be rejected for what is really wrong
 * with it, and for nothing it does not deserve: its sums hold.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseText } from '../../shared/report/parse';
import { validateParsed } from '../../shared/report/validate';

const seed = readFileSync(join(__dirname, '../../fixtures/jincheng-2020.txt'), 'utf8');
const result = validateParsed(parseText(seed), { year: 2020, office: '锦程街道办事处' });
const errors = result.findings.filter((f) => f.severity === 'error');

test('the seed is rejected as a 2020 report of 锦程街道办事处 in the 2019 format', () => {
  expect(result).toMatchObject({ verdict: 'rejected', formatVersion: '2019', year: 2020, office: '锦程街道办事处' });
});

test('no table in 二 and none in 四', () => {
  expect(errors).toContainEqual(expect.objectContaining({ rule: 'STR-06', table: '二', row: null }));
  expect(errors).toContainEqual(expect.objectContaining({ rule: 'STR-06', table: '四', row: null }));
});

test('the 不予公开 sub-rows are missing / garbled', () => {
  const subRows = errors.filter((f) => f.rule === 'STR-06' && f.table === '三' && f.row?.startsWith('（三）不予公开'));
  // One finding at the parent row names the eight missing sub-rows and the values that belong to none.
  expect(subRows).toEqual([expect.objectContaining({ row: '（三）不予公开', expected: 8 })]);
  expect(subRows[0].message).toContain('1.属于国家秘密');
  expect(subRows[0].message).toContain('8.属于行政查询事项');
  expect(subRows[0].message).toContain('列出了8个数值');
});

test('the blank 总计 of （一）予以公开', () => {
  expect(errors).toContainEqual(expect.objectContaining({ rule: 'NUM-01', table: '三', row: '（一）予以公开', column: '总计' }));
  // …which makes its row check not assessable rather than passed or failed.
  const t302 = result.findings.filter((f) => f.rule === 'T3-02' && f.row === '（一）予以公开');
  expect(t302).toEqual([expect.objectContaining({ severity: 'warning', column: '总计' })]);
  expect(t302[0].message).toMatch(/^无法核对/);
});

test('the 4、/5、 headings', () => {
  const headings = result.findings.filter((f) => f.rule === 'STR-01');
  expect(headings).toHaveLength(2);
  expect(headings.every((f) => f.severity === 'warning')).toBe(true);
  expect(headings[0].message).toContain('4、');
  expect(headings[1].message).toContain('5、');
});

test('no T3-0x / T4-01 error: its sums hold', () => {
  expect(errors.filter((f) => /^T[34]-/.test(f.rule))).toEqual([]);
  // The checks it cannot make are said to be not assessable, never silently passed.
  expect(result.findings.filter((f) => f.rule === 'T3-03').length).toBeGreaterThan(0);
  expect(result.findings.filter((f) => f.rule === 'T4-01')).toEqual([expect.objectContaining({ severity: 'warning', table: '四' })]);
});

test('nothing else is an error', () => {
  expect(new Set(errors.map((f) => f.rule))).toEqual(new Set(['STR-06', 'NUM-01']));
});
