/**
 * A report as a Word document (.docx) in the national layout: the title, the six sections under their
 * canonical headings, each section's narrative, and tables 二/三/四 drawn from the same grid as the PDF and the
 * public pages (layout.ts), with merged header cells (gridSpan / vMerge) like the national template.
 * Sections without text stay as headed blanks for the coordinator to write. An optional appendix (the
 * 本级 report's 汇总说明) follows section 六. Pure: a report in, bytes out (docx's packer, no I/O).
 *
 * Our own reader (shared/report/ingest/docx.ts) reads the result back to the same tables
 * (test/aggregate/docx.test.ts).
 */
import {
  AlignmentType,
  Document,
  Footer,
  HeightRule,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
} from 'docx';
import type { Report } from '../report/model';
import { TABLE_KEYS } from '../report/model';
import { CHINESE_ORDINALS } from '../report/spec';
import { paragraphs, reportTitle } from './format';
import { formatOf, tableGrid, type GridCell, type TableGrid } from './layout';

export interface DocxOptions {
  /** Sections whose text is a note to its table (printed small, after the table) rather than narrative. */
  notesAfterTables?: boolean;
  /** Printed after section 六 under its own heading (e.g. 附：汇总说明). */
  appendix?: { heading: string; paragraphs: string[] };
  /** Document properties. */
  creator?: string;
}

const BODY_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '仿宋' };
const HEAD_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '黑体' };
const TITLE_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '宋体' };
/** A4 text width at 2.5 cm margins, in twentieths of a point. */
const TEXT_WIDTH = 9070;

const body = (text: string) =>
  new Paragraph({ children: [new TextRun({ text, font: BODY_FONT, size: 28 })], indent: { firstLine: 560 }, spacing: { line: 440 }, alignment: AlignmentType.JUSTIFIED });
const note = (text: string) => new Paragraph({ children: [new TextRun({ text, font: BODY_FONT, size: 21 })], spacing: { before: 60, after: 60 } });
const empty = () => new Paragraph({ children: [], spacing: { line: 440 } });

function tableOf(grid: TableGrid): Table {
  const sum = grid.widths.reduce((a, b) => a + b, 0);
  const widths = grid.widths.map((w) => Math.round((w / sum) * TEXT_WIDTH));
  const size = grid.widths.length > 12 ? 14 : 16;
  const cell = (c: GridCell) =>
    new TableCell({
      rowSpan: c.rowSpan > 1 ? c.rowSpan : undefined,
      columnSpan: c.colSpan > 1 ? c.colSpan : undefined,
      width: { size: widths.slice(c.col, c.col + c.colSpan).reduce((a, b) => a + b, 0), type: WidthType.DXA },
      verticalAlign: VerticalAlign.CENTER,
      margins: { left: 40, right: 40 },
      children: [
        new Paragraph({
          alignment: c.role === 'head' || c.role === 'value' || (c.role === 'label' && c.rowSpan > 1) ? AlignmentType.CENTER : AlignmentType.LEFT,
          children: c.text ? [new TextRun({ text: c.text, font: c.role === 'head' || c.role === 'block' ? HEAD_FONT : BODY_FONT, size })] : [],
        }),
      ],
    });
  const rows: TableRow[] = [];
  for (let r = 0; r < grid.rowCount; r++) {
    const cells = grid.cells.filter((c) => c.row === r).sort((a, b) => a.col - b.col);
    rows.push(new TableRow({ children: cells.map(cell), tableHeader: r < grid.headerRows, cantSplit: true, height: { value: 340, rule: HeightRule.ATLEAST } }));
  }
  return new Table({ rows, columnWidths: widths, layout: TableLayoutType.FIXED, width: { size: TEXT_WIDTH, type: WidthType.DXA } });
}

export async function renderDocx(report: Report, options: DocxOptions = {}): Promise<Buffer> {
  const spec = formatOf(report);
  const children: Array<Paragraph | Table> = [];
  children.push(
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { after: 240 },
      children: [new TextRun({ text: report.title?.trim() || reportTitle(report.office, report.year), font: TITLE_FONT, size: 40, bold: true })],
    }),
  );
  for (const section of spec.sections) {
    const found = report.sections.filter((s) => s.ordinal === section.ordinal);
    const text = found.flatMap((s) => paragraphs(s.text));
    children.push(
      new Paragraph({
        spacing: { before: 200, after: 100, line: 440 },
        keepNext: true,
        children: [new TextRun({ text: `${CHINESE_ORDINALS[section.ordinal - 1]}、${section.title}`, font: HEAD_FONT, size: 32 })],
      }),
    );
    const isNote = Boolean(section.table && options.notesAfterTables);
    if (!isNote) {
      if (text.length) children.push(...text.map(body));
      // A headed blank: room for the coordinator to write.
      else if (!section.table) children.push(empty(), empty());
    }
    if (section.table) {
      const grid = tableGrid(spec, section.table, report[TABLE_KEYS[section.table]]);
      children.push(tableOf(grid));
      if (isNote) children.push(...text.map(note));
    }
  }
  if (options.appendix) {
    children.push(
      new Paragraph({
        spacing: { before: 360, after: 100 },
        children: [new TextRun({ text: options.appendix.heading, font: HEAD_FONT, size: 28 })],
      }),
      ...options.appendix.paragraphs.map(note),
    );
  }
  const doc = new Document({
    creator: options.creator ?? 'nianbao',
    title: report.title ?? reportTitle(report.office, report.year),
    styles: { default: { document: { run: { font: BODY_FONT, size: 28 } } } },
    sections: [
      {
        properties: { page: { size: { width: 11906, height: 16838 }, margin: { top: 1418, bottom: 1418, left: 1418, right: 1418 } } },
        footers: {
          default: new Footer({
            children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], size: 21 })] })],
          }),
        },
        children,
      },
    ],
  });
  return Packer.toBuffer(doc);
}
