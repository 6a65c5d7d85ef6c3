/**
 * CJK Radicals Supplement (U+2E80–U+2EFF) → the unified ideograph each one is drawn as. PDF fonts map glyphs
 * back to these code points (⺠ for 民, ⻘ for 青: a PDF printed by Chrome or WPS), and NFKC leaves them
 * alone (it unifies only the Kangxi radicals). Derived from the glyphs Noto Sans CJK SC shares between the
 * two (test/report/radicals.test.ts derives it again from the font when the font is installed).
 */
const PAIRS =
  '⺂乛⺃乚⺅亻⺉刂⺏尣⺐尢⺒巳⺓幺⺔彑⺕彐⺖忄⺘扌⺙攵⺛旡⺞歺⺟母⺠民⺡氵⺣灬⺤爫⺦丬⺨犭⺭礻⺯糹⺰纟⺱罓⺹耂⺺肀⺾艹⻂衤' +
  '⻅见⻆角⻈讠⻉贝⻋车⻌辶⻐钅⻑長⻒镸⻓长⻔门⻖阝⻘青⻙韦⻚页⻛风⻜飞⻝食⻟飠⻠饣⻢马⻣骨⻤鬼⻥鱼⻦鸟⻧卤⻨麦⻩黄⻪黾⻫斉' +
  '⻬齐⻮齿⻯竜⻰龙⻱龜⻲亀⻳龟';

const chars = [...PAIRS];
export const RADICAL_SUPPLEMENT: ReadonlyMap<string, string> = new Map(chars.flatMap((c, i) => (i % 2 ? [] : [[c, chars[i + 1]] as [string, string]])));
