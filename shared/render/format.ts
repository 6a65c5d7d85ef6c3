/**
 * Small formatting helpers shared by the renderers: HTML escaping, cell display, dates in Asia/Shanghai.
 * (Numbers, one-line text and finding locations, which the domain uses too, are in shared/common.)
 * Pure: no I/O.
 */
import { formatNumber } from '../common/text';
import type { Cell } from '../report/model';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** The one escaper for every untrusted string placed in HTML text or a quoted attribute. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/**
 * What a cell shows in a rendered table. Blank and missing cells show nothing (never "0"); numbers show their
 * value (units such as "元" dropped, the canonical reading); invalid cells show what was written.
 */
export function cellText(cell: Cell | undefined | null): string {
  if (!cell || cell.kind === 'blank') return '';
  if (cell.kind === 'number' && cell.value !== null) return formatNumber(cell.value);
  return cell.raw.replace(/[\s\u3000]+/g, ' ').trim();
}

const SHANGHAI = 'Asia/Shanghai';

function parts(iso: string): Record<string, string> | null {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return null;
  const fmt = new Intl.DateTimeFormat('en-CA', {
    timeZone: SHANGHAI,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const out: Record<string, string> = {};
  for (const p of fmt.formatToParts(new Date(t))) out[p.type] = p.value;
  return out;
}

/** "2021年1月28日" in Asia/Shanghai; '' for a missing or unreadable date. */
export function formatDate(iso: string | null | undefined): string {
  const p = iso ? parts(iso) : null;
  return p ? `${p.year}年${Number(p.month)}月${Number(p.day)}日` : '';
}

/** "2021年1月28日 14:03" in Asia/Shanghai. */
export function formatDateTime(iso: string | null | undefined): string {
  const p = iso ? parts(iso) : null;
  return p ? `${p.year}年${Number(p.month)}月${Number(p.day)}日 ${p.hour}:${p.minute}` : '';
}

/** A SHA-256 shortened for display: first 12 and last 4 hex digits. */
export function shortHash(sha256: string | null | undefined): string {
  if (!sha256) return '';
  return sha256.length > 20 ? `${sha256.slice(0, 12)}…${sha256.slice(-4)}` : sha256;
}

/** The report's display title: office + year + 政府信息公开工作年度报告. */
export function reportTitle(office: string | null | undefined, year: number | null | undefined): string {
  const who = office?.trim() || '（单位未识别）';
  const when = year ? `${year}年` : '';
  return `${who}${when}政府信息公开工作年度报告`;
}

/** Narrative text → paragraphs: one per non-empty line, leading/trailing (full-width) spaces removed. */
export function paragraphs(text: string | null | undefined): string[] {
  return (text ?? '')
    .split(/\r\n|\r|\n/)
    .map((l) => l.replace(/^[\s\u3000]+|[\s\u3000]+$/g, ''))
    .filter((l) => l.length > 0);
}
