/**
 * The radicals supplement table (shared/report/parse/radicals.ts) against the font it was derived from:
 * Noto Sans CJK SC draws each of these radicals with the glyph of one unified ideograph.
 */
import { existsSync } from 'node:fs';
import * as fontkit from 'fontkit';
import { unifyCjk } from '../../shared/report/parse/clean';
import { RADICAL_SUPPLEMENT } from '../../shared/report/parse/radicals';

const NOTO = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';

test('a PDF\'s radicals read as the characters they stand for: ⺠ 民, ⻘ 青, ⾏ 行, ⻓ 长; other text untouched', () => {
  expect(unifyCjk('⻘峰区⼈⺠政府⾏政复议，⻓期')).toBe('青峰区人民政府行政复议，长期');
  expect(unifyCjk('（一）予以公开 12')).toBe('（一）予以公开 12');
});

(existsSync(NOTO) ? test : test.skip)('every radical of the supplement that Noto Sans CJK SC draws as an ideograph maps to that ideograph', () => {
  const collection = fontkit.openSync(NOTO) as unknown as { fonts: fontkit.Font[] };
  const font = collection.fonts.find((f) => /CJKsc/.test(f.postscriptName))!;
  const glyphOwner = new Map<number, string>();
  for (let cp = 0x9fff; cp >= 0x4e00; cp--) {
    const g = font.glyphForCodePoint(cp);
    if (g?.id) glyphOwner.set(g.id, String.fromCodePoint(cp));
  }
  const derived = new Map<string, string>();
  for (let cp = 0x2e80; cp <= 0x2eff; cp++) {
    const g = font.glyphForCodePoint(cp);
    const owner = g?.id ? glyphOwner.get(g.id) : undefined;
    if (owner) derived.set(String.fromCodePoint(cp), owner);
  }
  expect(derived.size).toBeGreaterThan(60);
  expect(new Map(RADICAL_SUPPLEMENT)).toEqual(derived);
});
