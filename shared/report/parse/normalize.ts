/**
 * Label normalisation: real reports write the same label with full/half-width brackets, spaces inside,
 * 、 or ，, numbering styles and, on mirrored copies, traditional characters. Two labels match when their
 * normalised keys are equal.
 */

/** Traditional → simplified, limited to the characters of the national labels and headings. */
const TRADITIONAL =
  '開开資资訊讯請请數数處处結结轉转辦办與与機机關关權权複复議议訟讼維维糾纠審审總总計计業业構构會会織组務务規规範范廢废現现許许罰罚強强費费額额萬万單单項项採采購购決决發发為为來来據据係系於于國国祕秘穩稳護护屬属類类內内過过執执詢询沒没製制補补後后確确訪访舉举報报訴诉無无當当覆复認认獲获繳缴納纳體体況况動动問问題题進进營营經经況况組组織织請请申申衛卫險险調调區区縣县鄉乡鎮镇街街門门書书記记員员對对處处'
;

const TRAD_MAP: Map<string, string> = (() => {
  const m = new Map<string, string>();
  for (let i = 0; i + 1 < TRADITIONAL.length; i += 2) m.set(TRADITIONAL[i], TRADITIONAL[i + 1]);
  return m;
})();

export function toSimplified(s: string): string {
  let out = '';
  for (const ch of s) out += TRAD_MAP.get(ch) ?? ch;
  return out;
}

/** Whitespace of every width, including the full-width space and NBSP that real reports indent with. */
export const SPACE = /[\s\u00a0\u3000\u2000-\u200b\ufeff]+/g;

function isSpace(c: number): boolean {
  return c <= 0x20 || c === 0xa0 || c === 0x3000 || (c >= 0x2000 && c <= 0x200b) || c === 0xfeff || c === 0x85;
}

/** Trims every kind of space (a hot path: a loop, not a regex). */
export function trimCell(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isSpace(s.charCodeAt(a))) a++;
  while (b > a && isSpace(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

const CN_DIGITS = '一二三四五六七八九十';

/** Leading ordinals: 一、 （一） (1) 1. 1、 1） ①. */
const LEADING_ORDINAL = new RegExp(
  `^(?:[(（]\\s*[${CN_DIGITS}]+\\s*[)）]|[${CN_DIGITS}]+\\s*[、.．，,]|[(（]\\s*\\d+\\s*[)）]|\\d+\\s*[、.．,，)）]|[①-⑳])\\s*`,
);

const PUNCTUATION = /[()（）[\]【】「」《》〈〉“”"'‘’、，,。.．:：;；!！?？\-—–_/／|·•…~～]/g;

const keyCache = new Map<string, string>();
const KEY_CACHE_LIMIT = 50_000;

/** The matching key of a label: NFKC, simplified, no ordinal, no spaces, no punctuation. */
export function labelKey(label: string): string {
  let key = keyCache.get(label);
  if (key === undefined) {
    // Labels repeat across reports, so the cache stays small; the bound protects against hostile input.
    if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.clear();
    const s = toSimplified(label.normalize('NFKC')).replace(SPACE, '');
    key = s.replace(LEADING_ORDINAL, '').replace(PUNCTUATION, '');
    keyCache.set(label, key);
  }
  return key;
}

/** The ordinal a label starts with (一 → 1, （三） → 3, 2. → 2), or null. */
export function leadingOrdinal(label: string): number | null {
  const s = label.normalize('NFKC').replace(SPACE, '');
  const m = /^[(（]?([一二三四五六七八九十]|\d+)/.exec(s);
  if (!m || !LEADING_ORDINAL.test(s)) return null;
  const i = CN_DIGITS.indexOf(m[1]);
  return i >= 0 ? i + 1 : Number(m[1]);
}
