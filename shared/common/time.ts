/** Dates in Asia/Shanghai (UTC+8, no DST since 1991): the calendar every deadline is written in. */
const OFFSET_MS = 8 * 3600 * 1000;

/** The Shanghai calendar date of an instant, 'YYYY-MM-DD'. */
export function shanghaiDate(at: Date | string): string {
  const d = new Date(new Date(at).getTime() + OFFSET_MS);
  return d.toISOString().slice(0, 10);
}

/** '2027年1月31日 23:59:59（北京时间）' */
export function formatShanghai(at: Date | string): string {
  const d = new Date(new Date(at).getTime() + OFFSET_MS);
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}（北京时间）`
  );
}

/** Whole Shanghai calendar days from `a` to `b` (b later → positive). */
export function calendarDaysBetween(a: Date | string, b: Date | string): number {
  return Math.round((Date.parse(shanghaiDate(b)) - Date.parse(shanghaiDate(a))) / 86_400_000);
}
