/**
 * Cell text → Cell. Blank, "—", "/" and the like stay blank (never 0); numbers may carry units ("251000元")
 * and thousands separators; anything else is kept as invalid with the reason.
 */
import type { Cell } from '../model';
import { SPACE } from './normalize';

const PLACEHOLDERS = new Set(['', '-', '--', '—', '——', '–', '/', '\\', '无', '空', '暂无', 'n/a', 'na', '×', 'x', '*']);
const UNITS = /(万元|元|件|个|项|次|人次|条|宗|起)$/;
const NUMBER = /^[+-]?(\d+(\.\d+)?|\.\d+)$/;

const ASCII_INTEGER = /^\d{1,15}$/;

function compact(raw: string): string {
  return raw.normalize('NFKC').replace(SPACE, '').replace(/[−﹣]/g, '-').toLowerCase();
}

/** Whether a token reads as a value slot of a table (a number, a placeholder or a number with a unit). */
export function isValueText(raw: string): boolean {
  if (ASCII_INTEGER.test(raw)) return true; // the common case, without normalising
  const s = compact(raw);
  return PLACEHOLDERS.has(s) || NUMBER.test(stripNumberDecoration(s));
}

function stripNumberDecoration(s: string): string {
  let t = s.replace(UNITS, '');
  if (/^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(t)) t = t.replace(/,/g, '');
  return t;
}

export function parseCell(raw: string): Cell {
  if (ASCII_INTEGER.test(raw)) return { raw, kind: 'number', value: Number(raw) };
  const s = compact(raw);
  if (PLACEHOLDERS.has(s)) return { raw, kind: 'blank', value: null };
  const t = stripNumberDecoration(s);
  if (NUMBER.test(t)) {
    const value = Number(t);
    // No count reaches 2^53; beyond it sums are inexact, and 400 digits parse as Infinity.
    if (Math.abs(value) <= Number.MAX_SAFE_INTEGER) return { raw, kind: 'number', value };
    return { raw, kind: 'invalid', value: null, problem: `「${raw.trim().slice(0, 40)}${raw.trim().length > 40 ? '…' : ''}」数值过大，不是有效的统计数字` };
  }
  if (/^[一二三四五六七八九十零〇两百千万]+$/.test(s)) {
    return { raw, kind: 'invalid', value: null, problem: `「${raw.trim()}」是汉字数字，请填写阿拉伯数字` };
  }
  return { raw, kind: 'invalid', value: null, problem: `「${raw.trim()}」不是数字` };
}
