/** XY-01, XY-02 (equations against last year's report) and XY-03 (copied narrative). */
import { finding, type Finding, type Report } from '../model';
import { versionForYear } from '../spec';
import { effectiveVersion, narrative, type ValidationContext } from './context';
import { crossYearEquations, evaluateEquations } from './equations';

export const XY03_THRESHOLD = 0.9;

/** Narrative text compared for XY-03: digits and whitespace removed (years and figures change every year). */
export function comparableText(report: Report): string {
  return narrative(report).replace(/[0-9０-９\s\u3000]/g, '');
}

function bigrams(s: string): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i + 1 < s.length; i++) {
    const b = s.slice(i, i + 2);
    m.set(b, (m.get(b) ?? 0) + 1);
  }
  return m;
}

/** Dice coefficient over character-bigram multisets: 1 for identical texts, 0 for disjoint. */
export function bigramSimilarity(a: string, b: string): number {
  if (a.length < 2 || b.length < 2) return a === b ? 1 : 0;
  const ma = bigrams(a);
  const mb = bigrams(b);
  let common = 0;
  for (const [k, n] of ma) common += Math.min(n, mb.get(k) ?? 0);
  return (2 * common) / (a.length - 1 + b.length - 1);
}

export function crossYear(report: Report, ctx: ValidationContext): Finding[] {
  const previous = ctx.previous;
  if (!previous) return [];
  const version = effectiveVersion(report, ctx);
  const previousVersion = previous.formatVersion ?? (previous.year !== null ? versionForYear(previous.year) : version);
  const out = evaluateEquations(crossYearEquations(version, previousVersion), { current: report, previous });
  const a = comparableText(report);
  const b = comparableText(previous);
  // Too little text to call a copy (TXT-02/TXT-03 report thin sections).
  if (a.length >= 50 && b.length >= 50) {
    const sim = bigramSimilarity(a, b);
    if (sim >= XY03_THRESHOLD) {
      out.push(
        finding({
          rule: 'XY-03',
          severity: 'warning',
          message: `报告正文与上年（${previous.year ?? '上一'}年度）报告高度雷同（去除数字后相似度${Math.floor(sim * 100)}%），疑似照搬上年报告，请如实撰写本年度情况。`,
        }),
      );
    }
  }
  return out;
}
