/**
 * The receipt of one submission as a printable PDF: the same facts, next step and findings (with their
 * explanations and waivers) as the receipt e-mail, then the 落款 — the 政务公开办's name (the cycle's `issuer`)
 * and the date — in the conventions of the other documents (pdf-font.ts: A4, the shared CJK font subset,
 * 「第 N 页 / 共 M 页」). Pure: the same input gives the same bytes.
 */
import { judgedFindings } from '../common/judged';
import { oneLine } from '../common/text';
import { findingLine, nextStep, receiptFacts, type ReceiptInput } from './email';
import { formatDate } from './format';
import { officialDocument } from './pdf-font';

const MARGIN = { top: 64, bottom: 64, left: 60, right: 60 };
const BODY = 10.5;
const GREY = '#555555';

export interface ReceiptPdfOptions {
  /** The 政务公开办's name for the 落款; absent: the date alone. */
  issuer?: string | null;
  /** The date of the 落款 (ISO instant, shown as a Beijing calendar date); also the PDF's CreationDate. */
  date: string;
}

export async function receiptPdf(raw: ReceiptInput, options: ReceiptPdfOptions): Promise<Buffer> {
  const input = { ...raw, officeName: oneLine(raw.officeName), fileName: oneLine(raw.fileName) };
  const title = '政府信息公开工作年度报告提交回执';
  const { doc, bytes } = officialDocument(MARGIN, { Title: `${input.officeName} ${input.year}年度${title}`, Author: options.issuer ?? '', CreationDate: new Date(options.date) });
  const width = doc.page.width - MARGIN.left - MARGIN.right;
  const para = (text: string, indent = 0) => doc.fontSize(BODY).text(text, MARGIN.left, doc.y, { width, indent, lineGap: 3, paragraphGap: 3 });

  doc.fontSize(17).text(title, { align: 'center', lineGap: 4 });
  doc.moveDown(1);
  para(`${input.officeName}：`);
  para(`我们已收到贵单位的${input.year}年政府信息公开工作年度报告。`, BODY * 2);
  doc.moveDown(0.4);
  for (const [k, v] of receiptFacts(input)) para(`${k}：${v}`, BODY * 2);
  doc.moveDown(0.4);
  para(`下一步：${nextStep(input)}`, BODY * 2);
  doc.moveDown(0.4);
  para(input.findings.length ? `校验发现的问题（共 ${input.findings.length} 项）：` : '校验未发现问题。');
  for (const line of judgedFindings(input).map(findingLine)) para(line, BODY);

  // 落款: the issuer and the date, right-aligned, kept together.
  if (doc.y + 70 > doc.page.height - MARGIN.bottom) doc.addPage();
  doc.moveDown(2).fontSize(BODY);
  if (options.issuer) doc.text(oneLine(options.issuer), MARGIN.left, doc.y, { width, align: 'right' });
  doc.text(formatDate(options.date), MARGIN.left, doc.y, { width, align: 'right' });

  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    doc.page.margins.bottom = 0;
    doc.fontSize(8).fillColor(GREY).text(`第 ${i - range.start + 1} 页 / 共 ${range.count} 页`, MARGIN.left, doc.page.height - 44, { width, align: 'center', lineBreak: false }).fillColor('black');
    doc.page.margins.bottom = MARGIN.bottom;
  }
  doc.end();
  return bytes;
}
