/**
 * Where a finding is in the office's document. The shape of `LocationSchema` (shared/report/model.ts)
 * without zod, so the browser pages, the e-mails and the CLI share one text for it.
 */
export interface Location {
  page?: number;
  line?: number;
  paragraph?: number;
  table?: number;
  row?: number;
  cell?: number;
}

/** In Chinese, as the office would look for it: 第3页第12行, 第2个表格第5行第3格, 第40行; '' when unknown. */
export function locationText(loc: Location | null | undefined): string {
  if (!loc) return '';
  const parts: string[] = [];
  if (loc.page) parts.push(`第${loc.page}页`);
  if (loc.table) parts.push(`第${loc.table}个表格`);
  if (loc.row) parts.push(`第${loc.row}行`);
  else if (loc.line) parts.push(`第${loc.line}行`);
  if (loc.cell) parts.push(`第${loc.cell}格`);
  if (loc.paragraph && !loc.table) parts.push(`第${loc.paragraph}段`);
  return parts.join('');
}
