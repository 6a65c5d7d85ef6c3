/** Text helpers the domain and the renderers share: numbers as printed, untrusted text on one line. */

/** Plain digits, no grouping (the national tables print bare numbers); decimals kept as written by value. */
export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toFixed(6)));
}

/** Line breaks (CR, LF, VT, FF, NEL, U+2028/2029) and every other control character. */
// eslint-disable-next-line no-control-regex -- the control characters are what it matches
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const CONTROL_CHARACTERS_ALL = new RegExp(CONTROL_CHARACTERS.source, 'g');

/**
 * A value as one line: every line break and control character becomes a space. For untrusted names and file
 * names wherever they reach an e-mail subject, a header or a line of a text body (issue 13.3).
 */
export function oneLine(value: unknown): string {
  return String(value ?? '').replace(CONTROL_CHARACTERS_ALL, ' ');
}
