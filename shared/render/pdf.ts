/**
 * The canonical PDF of a report: A4, the six sections with their narrative, tables 二/三/四 in the national
 * layout (layout.ts), footer with office, year, submission id, SHA-256 and 「第 N 页 / 共 M 页」.
 * One embedded CJK font, parsed once per process and subset per document (pdf-font.ts). Deterministic:
 * the same report and meta give the same bytes.
 */
import type { Report } from '../report/model';
import { CHINESE_ORDINALS } from '../report/spec';
import { officialDocument } from './pdf-font';
import { formatDate, formatDateTime, paragraphs, reportTitle, shortHash } from './format';
import { formatOf, tableGrid, type GridCell, type TableGrid } from './layout';
import { TABLE_KEYS } from '../report/model';

export interface PdfMeta {
  submissionId?: string;
  sha256?: string;
  /** ISO instant the original was received; also the PDF's CreationDate. */
  receivedAt?: string;
}

type Doc = PDFKit.PDFDocument;

const MARGIN = { top: 56, bottom: 64, left: 50, right: 50 };
/** CreationDate when the meta gives none, so that the bytes do not depend on the clock. */
const FIXED_DATE = new Date(Date.UTC(2000, 0, 1));
const BODY_SIZE = 10.5;
const LINE_GAP = 3;
const GREY = '#555555';

export async function renderPdf(report: Report, meta: PdfMeta = {}): Promise<Buffer> {
  const spec = formatOf(report);
  const title = reportTitle(report.office, report.year);
  const received = meta.receivedAt && !Number.isNaN(Date.parse(meta.receivedAt)) ? new Date(meta.receivedAt) : FIXED_DATE;
  const { doc, bytes: done } = officialDocument(MARGIN, {
    Title: title,
    Author: report.office ?? '',
    Subject: `${report.year ?? ''}年度政府信息公开工作年度报告（格式：${spec.notice}）`,
    Keywords: [meta.submissionId, meta.sha256].filter(Boolean).join(' '),
    CreationDate: received,
  });

  // title
  doc.fontSize(17).text(title, { align: 'center', lineGap: 4 });
  const subtitle = [
    report.period ? `统计期限：${report.period.from} 至 ${report.period.to}` : null,
    `格式：${spec.notice}`,
  ].filter(Boolean);
  doc.moveDown(0.3).fontSize(9).fillColor(GREY).text(subtitle.join('　'), { align: 'center' }).fillColor('black');
  doc.moveDown(1);

  for (const section of spec.sections) {
    const found = report.sections.filter((s) => s.ordinal === section.ordinal);
    heading(doc, `${CHINESE_ORDINALS[section.ordinal - 1]}、${section.title}`);
    const paras = found.flatMap((s) => paragraphs(s.text));
    if (found.length === 0) note(doc, '（原报告缺少本节）');
    doc.fontSize(BODY_SIZE);
    for (const p of paras) doc.text(p, { indent: BODY_SIZE * 2, lineGap: LINE_GAP, paragraphGap: 4, align: 'justify' });
    if (section.table) {
      const table = report[TABLE_KEYS[section.table]];
      const grid = tableGrid(spec, section.table, table);
      if (grid.absent) note(doc, '（原报告未提供本表，下表按国家格式列出，各栏为空）');
      doc.moveDown(0.4);
      drawGrid(doc, grid);
    }
    doc.moveDown(0.8);
  }

  signature(doc, report.office, received === FIXED_DATE ? null : meta.receivedAt ?? null);
  footer(doc, report, meta, received === FIXED_DATE ? null : meta.receivedAt ?? null);
  doc.end();
  return done;
}

function bottom(doc: Doc): number {
  return doc.page.height - doc.page.margins.bottom;
}

function heading(doc: Doc, text: string): void {
  // Keep a heading with at least three lines of what follows.
  if (doc.y + 70 > bottom(doc)) doc.addPage();
  doc.x = doc.page.margins.left;
  doc.fontSize(13).text(text, { lineGap: 2 });
  doc.moveDown(0.3);
}

function note(doc: Doc, text: string): void {
  doc.fontSize(9).fillColor(GREY).text(text, { lineGap: 2 }).fillColor('black');
}

// ---- tables ----

const PAD_X = 2.5;
const PAD_Y = 3;
const CELL_LINE_GAP = 1;

function drawGrid(doc: Doc, grid: TableGrid): void {
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const sum = grid.widths.reduce((a, b) => a + b, 0);
  const colW = grid.widths.map((w) => (w / sum) * width);
  const colX = colW.map((_, i) => left + colW.slice(0, i).reduce((a, b) => a + b, 0));
  const spanW = (c: GridCell) => colW.slice(c.col, c.col + c.colSpan).reduce((a, b) => a + b, 0);
  const size = grid.widths.length > 12 ? 7 : 7.5;
  doc.fontSize(size);
  const textOpts = (c: GridCell) => ({ width: spanW(c) - 2 * PAD_X, lineGap: CELL_LINE_GAP, align: alignOf(c) });
  const need = (c: GridCell) => (c.text ? doc.heightOfString(c.text, textOpts(c)) + 2 * PAD_Y : 0);

  // Row heights: single-row cells first, then spanning cells stretch their last row if needed.
  const minH = size + 2 * PAD_Y + 4;
  const heights = Array.from({ length: grid.rowCount }, () => minH);
  for (const c of grid.cells) if (c.rowSpan === 1) heights[c.row] = Math.max(heights[c.row], need(c));
  const spanning = grid.cells.filter((c) => c.rowSpan > 1).sort((a, b) => a.rowSpan - b.rowSpan);
  for (const c of spanning) {
    const have = heights.slice(c.row, c.row + c.rowSpan).reduce((a, b) => a + b, 0);
    const n = need(c);
    if (n > have) heights[c.row + c.rowSpan - 1] += n - have;
  }
  const h = (a: number, b: number) => heights.slice(a, b).reduce((x, y) => x + y, 0);
  const headerH = h(0, grid.headerRows);
  const pageRoom = doc.page.height - doc.page.margins.top - doc.page.margins.bottom - headerH;

  // Page-break units: a kept-together group, or a single row. A group taller than a page falls apart into rows.
  const units: Array<[number, number]> = [];
  for (let r = grid.headerRows; r < grid.rowCount; ) {
    const g = grid.groups.find((x) => x.from === r);
    if (g && h(g.from, g.to) <= pageRoom) {
      units.push([g.from, g.to]);
      r = g.to;
    } else {
      units.push([r, r + 1]);
      r += 1;
    }
  }

  const drawRows = (a: number, b: number, top: number) => {
    for (const c of grid.cells) {
      if (c.row >= b || c.row + c.rowSpan <= a) continue;
      const r0 = Math.max(c.row, a);
      const r1 = Math.min(c.row + c.rowSpan, b);
      const y = top + h(a, r0);
      const cellH = h(r0, r1);
      const x = colX[c.col];
      const w = spanW(c);
      doc.lineWidth(0.6).rect(x, y, w, cellH).stroke();
      if (!c.text) continue;
      const opts = textOpts(c);
      const th = doc.heightOfString(c.text, opts);
      const ty = y + Math.max(PAD_Y, (cellH - th) / 2);
      // `height` bounds the text box: pdfkit never starts a new page from inside a cell.
      doc.text(c.text, x + PAD_X, ty, { ...opts, height: cellH - (ty - y) + CELL_LINE_GAP });
    }
  };

  let y = doc.y;
  const first = units[0] ? h(units[0][0], units[0][1]) : 0;
  if (y + headerH + first > bottom(doc)) {
    doc.addPage();
    y = doc.page.margins.top;
  }
  doc.fontSize(size);
  drawRows(0, grid.headerRows, y);
  y += headerH;
  let segStart = grid.headerRows;
  let segTop = y;
  for (const [from, to] of units) {
    const uh = h(from, to);
    if (y + uh > bottom(doc) && from > segStart) {
      drawRows(segStart, from, segTop);
      doc.addPage();
      doc.fontSize(size);
      y = doc.page.margins.top;
      drawRows(0, grid.headerRows, y);
      y += headerH;
      segStart = from;
      segTop = y;
    }
    y += uh;
  }
  drawRows(segStart, grid.rowCount, segTop);
  doc.x = left;
  doc.y = y + 4;
}

function alignOf(c: GridCell): 'left' | 'center' {
  if (c.role === 'head' || c.role === 'value') return 'center';
  if (c.role === 'label' && c.rowSpan > 1) return 'center';
  return 'left';
}

/**
 * The 落款 at the end: the office's name and the report's date, right-aligned and kept together. The date is
 * the day the report was received (Beijing time): the report as read keeps no date of its own.
 */
function signature(doc: Doc, office: string | null | undefined, receivedAt: string | null): void {
  const name = office?.trim();
  if (!name && !receivedAt) return;
  if (doc.y + 60 > bottom(doc)) doc.addPage();
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  doc.moveDown(1.5).fontSize(BODY_SIZE);
  if (name) doc.text(name.slice(0, 60), left, doc.y, { width, align: 'right' });
  if (receivedAt) doc.text(formatDate(receivedAt), left, doc.y, { width, align: 'right' });
}

// ---- footer ----

function footer(doc: Doc, report: Report, meta: PdfMeta, receivedAt: string | null): void {
  const range = doc.bufferedPageRange();
  const office = (report.office ?? '（单位未识别）').slice(0, 40);
  const line1 = [office, report.year ? `${report.year}年度` : null, meta.submissionId ? `提交编号 ${meta.submissionId}` : null];
  const line2 = [meta.sha256 ? `SHA-256 ${shortHash(meta.sha256)}` : null, receivedAt ? `接收于 ${formatDateTime(receivedAt)}` : null];
  const join = (xs: Array<string | null>) => xs.filter(Boolean).join('　·　');
  const left = MARGIN.left;
  const width = doc.page.width - MARGIN.left - MARGIN.right;
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing inside the bottom margin: lift the margin so pdfkit does not open a new page.
    doc.page.margins.bottom = 0;
    const y = doc.page.height - 48;
    doc.lineWidth(0.4).strokeColor('#999999').moveTo(left, y - 5).lineTo(left + width, y - 5).stroke().strokeColor('black');
    doc.fontSize(7.5).fillColor(GREY);
    doc.text(join(line1), left, y, { width: width - 90, height: 10, lineBreak: false, ellipsis: true });
    doc.text(join(line2), left, y + 11, { width: width - 90, height: 10, lineBreak: false, ellipsis: true });
    doc.text(`第 ${i - range.start + 1} 页 / 共 ${range.count} 页`, left + width - 90, y, { width: 90, align: 'right', lineBreak: false });
    doc.fillColor('black');
    doc.page.margins.bottom = MARGIN.bottom;
  }
}
