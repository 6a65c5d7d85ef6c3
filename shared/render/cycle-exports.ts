/**
 * What the 政务公开办 downloads about a cycle: the status list as .xlsx (every column of the dashboard, Chinese
 * headers, Beijing times), the findings of one submission as .xlsx (with explanations and waivers), the
 * printable 报送情况通报 as PDF (counts by status, on time / late, the offices still missing, 落款), and the receipt
 * of one submission as PDF (with its 落款). Pure: the views come in, bytes go out; the same view gives the same bytes.
 */
import { judgedFindings, type FindingJudgement } from '../common/judged';
import { OFFICE_STATUSES, STATUS_LABELS, type OfficeStatus } from '../common/status';
import type { Finding, Verdict } from '../report/model';
import { locationText } from '../common/location';
import { oneLine } from '../common/text';
import { findingLine, nextStep, receiptFacts, type ReceiptInput } from './email';
import { formatDate, formatDateTime } from './format';
import { officialDocument } from './pdf-font';
import { writeXlsx, type XlsxValue } from './xlsx';

/** One office as the dashboard lists it (shared/cycle/pages.ts DashboardOffice has these fields and more). */
export interface StatusOffice {
  officeId: string;
  name: string;
  group: string;
  emails: string[];
  contact: string | null;
  phone: string | null;
  status: OfficeStatus;
  statusLabel: string;
  deadline: string;
  overdue: boolean;
  note: string | null;
  hasToken: boolean;
  invitedAt: string | null;
  signedInAt: string | null;
  undeliverable: string[];
  lastSubmission: { receivedAt: string; late: boolean; fileName: string; verdict: Verdict | null; errors: number; warnings: number } | null;
}

/** The dashboard's view of a cycle (shared/cycle/pages.ts DashboardView). */
export interface StatusView {
  cycle: { year: number; groups: { id: string; name: string; deadline: string }[] };
  counts: Record<OfficeStatus, number>;
  offices: StatusOffice[];
  generatedAt: string;
}

/** "2027-01-26 23:59" in Beijing time: sorts as text in Excel, reads as a time. '' when absent. */
export function beijingTime(iso: string | null | undefined): string {
  const t = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(t)) return '';
  return new Date(t + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

const yesNo = (b: boolean) => (b ? '是' : '否');

export const STATUS_LIST_HEADERS = [
  '单位名称',
  '编号',
  '分组',
  '状态',
  '是否逾期',
  '截止时间（北京时间）',
  '最近提交时间（北京时间）',
  '最近提交是否逾期',
  '最近提交文件',
  '校验结果',
  '错误',
  '提示',
  '电子邮箱',
  '无法送达的邮箱',
  '联系人',
  '电话',
  '访问令牌',
  '邀请时间（北京时间）',
  '首次登录时间（北京时间）',
  '退回说明',
] as const;

function verdictLabel(o: StatusOffice): string {
  const last = o.lastSubmission;
  if (!last) return '';
  if (!last.verdict) return '校验中';
  return last.verdict === 'accepted' ? '通过' : '未通过';
}

/** The dashboard's list as a workbook: one row per office, in the dashboard's order. */
export function statusListXlsx(view: StatusView): Uint8Array {
  const groupName = (id: string) => view.cycle.groups.find((g) => g.id === id)?.name ?? id;
  const rows: XlsxValue[][] = view.offices.map((o) => [
    o.name,
    o.officeId,
    groupName(o.group),
    o.statusLabel,
    yesNo(o.overdue),
    beijingTime(o.deadline),
    beijingTime(o.lastSubmission?.receivedAt),
    o.lastSubmission ? yesNo(o.lastSubmission.late) : '',
    o.lastSubmission?.fileName ?? '',
    verdictLabel(o),
    o.lastSubmission?.verdict ? o.lastSubmission.errors : null,
    o.lastSubmission?.verdict ? o.lastSubmission.warnings : null,
    o.emails.join('；'),
    o.undeliverable.join('；'),
    o.contact ?? '',
    o.phone ?? '',
    o.hasToken ? '已签发' : '未签发',
    beijingTime(o.invitedAt),
    beijingTime(o.signedInAt),
    o.status === 'RETURNED' ? (o.note ?? '') : '',
  ]);
  const info: XlsxValue[][] = [
    ['年度', `${view.cycle.year}年度`],
    ['导出时间（北京时间）', beijingTime(view.generatedAt)],
    ['单位数', view.offices.length],
    ...OFFICE_STATUSES.map((s): XlsxValue[] => [STATUS_LABELS[s], view.counts[s]]),
    ...view.cycle.groups.map((g): XlsxValue[] => [`截止时间：${g.name}`, beijingTime(g.deadline)]),
  ];
  return writeXlsx([
    { name: '报送情况', header: true, freeze: { columns: 1, rows: 1 }, widths: [28, 20, 12, 14, 9, 18, 18, 9, 28, 9, 6, 6, 32, 20, 10, 16, 9, 18, 18, 30], rows: [[...STATUS_LIST_HEADERS], ...rows] },
    { name: '说明', widths: [24, 24], rows: info },
  ]);
}

export const FINDINGS_HEADERS = ['序号', '规则', '级别', '表', '行', '列', '原文位置', '应为', '实为', '问题说明', '处理', '单位说明', '豁免理由', '处理人及时间（北京时间）'] as const;

export interface FindingsExportInput {
  year: number;
  officeName: string;
  officeId: string;
  submission: { id: string; fileName: string; sha256: string | null; receivedAt: string; verdict: Verdict | null; findings: Finding[]; judgements?: FindingJudgement[] };
}

function who(j: FindingJudgement | null): string {
  if (!j) return '';
  return `${j.by === 'coordinator' ? '政务公开办' : '单位'} ${beijingTime(j.at)}`;
}

/** The findings of one submission, each with its explanation and waiver. */
export function findingsXlsx(input: FindingsExportInput): Uint8Array {
  const s = input.submission;
  const rows = judgedFindings(s).map<XlsxValue[]>((f) => [
    f.index + 1,
    f.rule,
    f.severity === 'error' ? '错误' : '提示',
    f.table ? `表${f.table}` : '',
    f.row ?? '',
    f.column ?? '',
    locationText(f.location),
    f.expected,
    f.actual,
    f.message,
    f.waiver ? '已豁免' : f.explanation ? '已说明' : '',
    f.explanation?.text ?? '',
    f.waiver?.text ?? '',
    [who(f.explanation), who(f.waiver)].filter(Boolean).join('；'),
  ]);
  const facts: XlsxValue[][] = [
    ['单位', input.officeName],
    ['编号', input.officeId],
    ['报告年度', `${input.year}年`],
    ['提交编号', s.id],
    ['文件名', s.fileName],
    ['SHA-256', s.sha256 ?? ''],
    ['收到时间（北京时间）', beijingTime(s.receivedAt)],
    ['校验结果', s.verdict === 'accepted' ? '通过' : s.verdict === 'rejected' ? '未通过' : '校验中'],
    ['问题数', s.findings.length],
  ];
  return writeXlsx([
    { name: '校验问题', header: true, freeze: { columns: 0, rows: 1 }, widths: [6, 10, 6, 6, 24, 16, 16, 8, 8, 48, 8, 36, 36, 24], rows: [[...FINDINGS_HEADERS], ...rows] },
    { name: '提交信息', widths: [22, 70], rows: facts },
  ]);
}

// ---- 报送情况通报 (PDF) ----

export interface StatusReportOptions {
  /** 落款: the issuing office, e.g. "金城区人民政府办公室（政务公开办）"; omitted when unknown. */
  issuer?: string | null;
}

/** Offices that owe a report: nothing yet, or one to correct. In the dashboard's order. */
const MISSING: readonly OfficeStatus[] = ['NOT_SUBMITTED'];
const TO_REDO: readonly OfficeStatus[] = ['REJECTED', 'RETURNED'];

export interface StatusReportFacts {
  total: number;
  submitted: number;
  onTime: number;
  late: number;
  missing: StatusOffice[];
  toRedo: StatusOffice[];
}

/** The numbers of the 通报: "submitted" means the office's current upload exists; on time by its receipt time. */
export function statusReportFacts(view: StatusView): StatusReportFacts {
  const submitted = view.offices.filter((o) => o.lastSubmission);
  return {
    total: view.offices.length,
    submitted: submitted.length,
    onTime: submitted.filter((o) => !o.lastSubmission!.late).length,
    late: submitted.filter((o) => o.lastSubmission!.late).length,
    missing: view.offices.filter((o) => MISSING.includes(o.status)),
    toRedo: view.offices.filter((o) => TO_REDO.includes(o.status)),
  };
}

type Doc = PDFKit.PDFDocument;
const MARGIN = { top: 64, bottom: 64, left: 60, right: 60 };
const BODY = 11;

export async function statusReportPdf(view: StatusView, options: StatusReportOptions = {}): Promise<Buffer> {
  const year = view.cycle.year;
  const title = `${year}年度政府信息公开工作年度报告报送情况通报`;
  const { doc, bytes: done } = officialDocument(MARGIN, { Title: title, Author: options.issuer ?? '', CreationDate: new Date(view.generatedAt) });
  const width = doc.page.width - MARGIN.left - MARGIN.right;
  const facts = statusReportFacts(view);
  const groupName = (id: string) => view.cycle.groups.find((g) => g.id === id)?.name ?? id;
  const para = (text: string) => doc.fontSize(BODY).text(text, MARGIN.left, doc.y, { width, indent: BODY * 2, lineGap: 4, paragraphGap: 4, align: 'justify' });
  const heading = (text: string) => {
    if (doc.y + 80 > doc.page.height - MARGIN.bottom) doc.addPage();
    doc.moveDown(0.6).fontSize(13).text(text, MARGIN.left, doc.y, { width, lineGap: 2 }).moveDown(0.3);
  };

  doc.fontSize(18).text(title, { align: 'center', lineGap: 4 });
  doc.moveDown(0.3).fontSize(10).fillColor('#555555').text(`（截至 ${formatDateTime(view.generatedAt)}，北京时间）`, { align: 'center' }).fillColor('black');
  doc.moveDown(1);

  heading('一、总体情况');
  const c = view.counts;
  para(
    `本年度应报送单位 ${facts.total} 家，已报送 ${facts.submitted} 家，其中按截止时间报送 ${facts.onTime} 家、逾期报送 ${facts.late} 家；` +
      `尚未报送 ${facts.missing.length} 家。已公开 ${c.PUBLISHED} 家，已通过待公开 ${c.ACCEPTED} 家，校验中 ${c.RECEIVED} 家，` +
      `未通过 ${c.REJECTED} 家，退回修改 ${c.RETURNED} 家。是否按时以系统收到文件的时间为准。`,
  );
  doc.moveDown(0.4);
  table(doc, ['状态', '单位数'], [...OFFICE_STATUSES.map((s) => [STATUS_LABELS[s], String(c[s])]), ['合计', String(facts.total)]], [3, 1]);

  heading('二、各分组报送情况');
  table(
    doc,
    ['分组', '截止时间（北京时间）', '应报', '已报送', '按时', '逾期', '尚未报送'],
    view.cycle.groups.map((g) => {
      const mine = view.offices.filter((o) => o.group === g.id);
      const sub = mine.filter((o) => o.lastSubmission);
      return [g.name, formatDateTime(g.deadline), mine.length, sub.length, sub.filter((o) => !o.lastSubmission!.late).length, sub.filter((o) => o.lastSubmission!.late).length, mine.filter((o) => MISSING.includes(o.status)).length].map(String);
    }),
    [3, 4, 1.2, 1.2, 1.2, 1.2, 1.5],
  );

  heading(`三、尚未报送的单位（${facts.missing.length} 家）`);
  if (facts.missing.length === 0) para('无。');
  for (const g of view.cycle.groups) {
    const mine = facts.missing.filter((o) => o.group === g.id);
    if (mine.length) para(`${g.name}（${mine.length} 家${mine.some((o) => o.overdue) ? '，已逾期' : ''}）：${mine.map((o) => oneLine(o.name)).join('、')}。`);
  }
  const strays = facts.missing.filter((o) => !view.cycle.groups.some((g) => g.id === o.group));
  if (strays.length) para(`其他：${strays.map((o) => `${oneLine(o.name)}（${groupName(o.group)}）`).join('、')}。`);

  heading(`四、需修改后重新报送的单位（${facts.toRedo.length} 家）`);
  if (facts.toRedo.length === 0) para('无。');
  for (const o of facts.toRedo) {
    const why = o.status === 'RETURNED' ? `退回修改${o.note ? `：${oneLine(o.note)}` : ''}` : `未通过校验（${o.lastSubmission?.errors ?? 0} 项错误）`;
    para(`${oneLine(o.name)}（${groupName(o.group)}）：${why}。`);
  }

  signature(doc, width, BODY, options.issuer, view.generatedAt);

  numberPages(doc, width);
  doc.end();
  return done;
}

/** The 落款: the issuer (when given) and the date, right-aligned, kept together on one page. */
function signature(doc: Doc, width: number, size: number, issuer: string | null | undefined, date: string): void {
  if (doc.y + 70 > doc.page.height - MARGIN.bottom) doc.addPage();
  doc.moveDown(2).fontSize(size);
  if (issuer) doc.text(oneLine(issuer), MARGIN.left, doc.y, { width, align: 'right' });
  doc.text(formatDate(date), MARGIN.left, doc.y, { width, align: 'right' });
}

/** 「第 N 页 / 共 M 页」 at the foot of every page. */
function numberPages(doc: Doc, width: number): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    doc.page.margins.bottom = 0;
    doc.fontSize(8).fillColor('#555555').text(`第 ${i - range.start + 1} 页 / 共 ${range.count} 页`, MARGIN.left, doc.page.height - 44, { width, align: 'center', lineBreak: false }).fillColor('black');
    doc.page.margins.bottom = MARGIN.bottom;
  }
}

/** A ruled table with the header repeated on each page; `weights` share out the width. */
function table(doc: Doc, header: string[], rows: string[][], weights: number[]): void {
  const left = MARGIN.left;
  const width = doc.page.width - MARGIN.left - MARGIN.right;
  const sum = weights.reduce((a, b) => a + b, 0);
  const colW = weights.map((w) => (w / sum) * width);
  const size = 9.5;
  const pad = 4;
  const rowHeight = (cells: string[]) => Math.max(...cells.map((t, i) => doc.fontSize(size).heightOfString(t, { width: colW[i] - 2 * pad }))) + 2 * pad;
  const draw = (cells: string[], y: number, h: number, shade: boolean) => {
    let x = left;
    cells.forEach((t, i) => {
      if (shade) doc.rect(x, y, colW[i], h).fillColor('#f0f0f0').fill().fillColor('black');
      doc.lineWidth(0.5).rect(x, y, colW[i], h).stroke();
      doc.fontSize(size).text(t, x + pad, y + pad, { width: colW[i] - 2 * pad, align: i === 0 ? 'left' : 'center' });
      x += colW[i];
    });
  };
  const bottom = () => doc.page.height - MARGIN.bottom;
  let y = doc.y;
  const hh = rowHeight(header);
  if (y + hh + rowHeight(rows[0] ?? header) > bottom()) {
    doc.addPage();
    y = MARGIN.top;
  }
  draw(header, y, hh, true);
  y += hh;
  for (const r of rows) {
    const h = rowHeight(r);
    if (y + h > bottom()) {
      doc.addPage();
      y = MARGIN.top;
      draw(header, y, hh, true);
      y += hh;
    }
    draw(r, y, h, false);
    y += h;
  }
  doc.x = left;
  doc.y = y + 6;
}

// ---- the receipt as a PDF ----

/**
 * The receipt of one submission as a printable PDF: the same facts, next step and findings (with their
 * explanations and waivers) as the receipt e-mail, then the 落款 — the 政务公开办's name (the cycle's `issuer`)
 * and the date — in the conventions of the 通报 above.
 */
const RECEIPT_BODY = 10.5;

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
  const para = (text: string, indent = 0) => doc.fontSize(RECEIPT_BODY).text(text, MARGIN.left, doc.y, { width, indent, lineGap: 3, paragraphGap: 3 });

  doc.fontSize(17).text(title, { align: 'center', lineGap: 4 });
  doc.moveDown(1);
  para(`${input.officeName}：`);
  para(`我们已收到贵单位的${input.year}年政府信息公开工作年度报告。`, RECEIPT_BODY * 2);
  doc.moveDown(0.4);
  for (const [k, v] of receiptFacts(input)) para(`${k}：${v}`, RECEIPT_BODY * 2);
  doc.moveDown(0.4);
  para(`下一步：${nextStep(input)}`, RECEIPT_BODY * 2);
  doc.moveDown(0.4);
  para(input.findings.length ? `校验发现的问题（共 ${input.findings.length} 项）：` : '校验未发现问题。');
  for (const line of judgedFindings(input).map(findingLine)) para(line, RECEIPT_BODY);

  signature(doc, width, RECEIPT_BODY, options.issuer, options.date);

  numberPages(doc, width);
  doc.end();
  return bytes;
}
