/**
 * The first stage after extraction: what every kind of input needs before it is read.
 * - Kangxi radicals, CJK radicals supplement and compatibility ideographs (⾏ ⼀ ⼈ ⺠ ⻘, which PDF fonts map to
 *   instead of 行 一 人 民 青) become the unified characters (radicals.ts, else NFKC), and full-width digits
 *   (２０２３, typed in a full-width input mode) ASCII digits — those code points only: the rest stays as written.
 * - Page furniture on lines of its own — page numbers such as "-4-", "— 4 —", "第4页", "第 4 页 共 6 页" —
 *   is dropped: inside a table it would split a label or read as a value.
 */
import { RADICAL_SUPPLEMENT } from './radicals';

/** Kangxi radicals, CJK radicals supplement, compatibility ideographs (BMP and supplement), full-width digits. */
const COMPAT = /[\u2e80-\u2fdf\uf900-\ufaff\uff10-\uff19]|\ud87e[\udc00-\ude1f]/;
const COMPAT_ALL = new RegExp(COMPAT.source, 'g');

export function unifyCjk(s: string): string {
  return COMPAT.test(s) ? s.replace(COMPAT_ALL, (c) => RADICAL_SUPPLEMENT.get(c) ?? c.normalize('NFKC')) : s;
}

const PAGE_NUMBER = [
  /^[-—–－‒―]+\s*\d{1,3}\s*[-—–－‒―]+$/, // -4-, — 4 —
  /^第\s*\d{1,3}\s*页(?:\s*[,，/／]?\s*共\s*\d{1,3}\s*页)?$/, // 第4页, 第 4 页 共 6 页
  /^共\s*\d{1,3}\s*页\s*[,，]?\s*第\s*\d{1,3}\s*页$/, // 共6页 第4页
  /^\d{1,3}\s*[/／]\s*\d{1,3}$/, // 4/6
  /^[Pp]age\s*\d{1,3}(?:\s*of\s*\d{1,3})?$/,
];

export function isPageFurniture(text: string): boolean {
  const t = text.trim();
  return t.length > 0 && t.length <= 16 && PAGE_NUMBER.some((p) => p.test(t));
}
