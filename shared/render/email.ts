/**
 * E-mail texts of the cycle (Chinese): the receipt for every upload, reminders, overdue notices, the
 * coordinators' digest and the "returned" notice. Each gives subject, plain text and HTML; every value that
 * came from a user or a file is escaped in the HTML. Pure: no I/O.
 */
import type { Finding, Verdict } from '../report/model';
import { escapeHtml, formatNumber } from './format';
import { formatShanghai } from '../cycle/time';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export interface ReceiptInput {
  year: number;
  officeName: string;
  submissionId: string;
  fileName: string;
  sha256: string | null;
  size: number;
  receivedAt: string;
  deadline: string;
  verdict: Verdict;
  findings: Finding[];
  /** Set when a newer upload had already become the office's current submission. */
  supersededBy?: string | null;
  /** Where the office can look up its status (upload page), when known. */
  statusUrl?: string | null;
}

const VERDICT_LABEL: Record<Verdict, string> = { accepted: '通过', rejected: '未通过' };

export function findingLocation(f: Finding): string {
  const parts: string[] = [];
  if (f.table) parts.push(`表${f.table}`);
  if (f.row) parts.push(`行“${f.row}”`);
  if (f.column) parts.push(`列“${f.column}”`);
  return parts.join('，');
}

function findingLine(f: Finding, i: number): string {
  const where = findingLocation(f);
  const nums =
    f.expected !== null || f.actual !== null
      ? `（应为 ${f.expected === null ? '—' : formatNumber(f.expected)}，实为 ${f.actual === null ? '—' : formatNumber(f.actual)}）`
      : '';
  return `${i + 1}. [${f.rule}] ${f.severity === 'error' ? '错误' : '提示'}${where ? `｜${where}` : ''}：${f.message}${nums}`;
}

function findingRow(f: Finding): string {
  const cell = (v: unknown) => `<td style="border:1px solid #ccc;padding:4px 6px;vertical-align:top">${escapeHtml(v)}</td>`;
  return (
    '<tr>' +
    cell(f.rule) +
    cell(f.severity === 'error' ? '错误' : '提示') +
    cell(f.table ? `表${f.table}` : '') +
    cell(f.row ?? '') +
    cell(f.column ?? '') +
    cell(f.expected === null ? '' : formatNumber(f.expected)) +
    cell(f.actual === null ? '' : formatNumber(f.actual)) +
    cell(f.message) +
    '</tr>'
  );
}

function findingsTable(findings: Finding[]): string {
  if (findings.length === 0) return '<p>未发现问题。</p>';
  const th = (v: string) => `<th style="border:1px solid #ccc;padding:4px 6px;background:#f3f3f3">${v}</th>`;
  return (
    '<table style="border-collapse:collapse;font-size:14px">' +
    `<thead><tr>${['规则', '级别', '表', '行', '列', '应为', '实为', '说明'].map(th).join('')}</tr></thead>` +
    `<tbody>${findings.map(findingRow).join('')}</tbody></table>`
  );
}

function htmlPage(title: string, body: string): string {
  return (
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">' +
    `<title>${escapeHtml(title)}</title></head>` +
    `<body style="font-family:'PingFang SC','Microsoft YaHei','Noto Sans SC',sans-serif;line-height:1.6">${body}</body></html>`
  );
}

function nextStep(input: ReceiptInput): string {
  if (input.supersededBy) return `本次提交之后已有更新的提交（编号 ${input.supersededBy}），以更新的提交为准，本次提交无需处理。`;
  const errors = input.findings.filter((f) => f.severity === 'error').length;
  if (input.verdict === 'rejected') {
    return `报告未通过校验（${errors} 项错误）。请按下列问题逐项修改后重新上传；重新上传不影响已提交记录。`;
  }
  const warnings = input.findings.length;
  return warnings
    ? `报告已通过校验，等待协调人审核公开。下列 ${warnings} 项提示不影响通过，请核实；如需更正，可在公开前重新上传。`
    : '报告已通过校验，等待协调人审核公开。无需其他操作。';
}

export function receiptEmail(input: ReceiptInput): RenderedEmail {
  const verdict = VERDICT_LABEL[input.verdict];
  const late = Date.parse(input.receivedAt) > Date.parse(input.deadline);
  const subject = `【年报回执】${input.officeName} ${input.year}年度报告：${verdict}（提交编号 ${input.submissionId}）`;
  const facts: [string, string][] = [
    ['单位', input.officeName],
    ['报告年度', `${input.year}年`],
    ['提交编号', input.submissionId],
    ['文件名', input.fileName],
    ['文件大小', `${input.size} 字节`],
    ['SHA-256', input.sha256 ?? '（未读取）'],
    ['收到时间', formatShanghai(input.receivedAt)],
    ['截止时间', `${formatShanghai(input.deadline)}${late ? '（本次提交已逾期）' : ''}`],
    ['校验结果', verdict],
  ];
  const step = nextStep(input);
  const text = [
    `${input.officeName}：`,
    '',
    `我们已收到贵单位的${input.year}年政府信息公开工作年度报告。`,
    '',
    ...facts.map(([k, v]) => `${k}：${v}`),
    '',
    `下一步：${step}`,
    '',
    input.findings.length ? `校验发现的问题（共 ${input.findings.length} 项）：` : '校验未发现问题。',
    ...input.findings.map(findingLine),
    ...(input.statusUrl ? ['', `查看办理状态：${input.statusUrl}`] : []),
    '',
    '本邮件由系统自动发送，请勿直接回复。',
  ].join('\n');
  const html = htmlPage(
    subject,
    `<p>${escapeHtml(input.officeName)}：</p>` +
      `<p>我们已收到贵单位的${escapeHtml(input.year)}年政府信息公开工作年度报告。</p>` +
      '<table style="border-collapse:collapse">' +
      facts
        .map(([k, v]) => `<tr><th style="text-align:left;padding:2px 12px 2px 0">${escapeHtml(k)}</th><td style="font-family:monospace,sans-serif">${escapeHtml(v)}</td></tr>`)
        .join('') +
      '</table>' +
      `<p><strong>下一步：</strong>${escapeHtml(step)}</p>` +
      (input.findings.length ? `<p>校验发现的问题（共 ${input.findings.length} 项）：</p>` : '') +
      findingsTable(input.findings) +
      (input.statusUrl ? `<p><a href="${escapeHtml(input.statusUrl)}">查看办理状态</a></p>` : '') +
      '<p style="color:#666">本邮件由系统自动发送，请勿直接回复。</p>',
  );
  return { subject, text, html };
}

export interface ReminderInput {
  year: number;
  officeName: string;
  deadline: string;
  /** Calendar days until the deadline (≥ 0) or past it (< 0). */
  daysLeft: number;
  statusLabel: string;
  uploadUrl?: string | null;
}

export function reminderEmail(input: ReminderInput): RenderedEmail {
  const overdue = input.daysLeft < 0;
  const subject = overdue
    ? `【年报逾期】${input.officeName} ${input.year}年度报告已逾期 ${-input.daysLeft} 天`
    : `【年报提醒】${input.officeName} ${input.year}年度报告距截止还有 ${input.daysLeft} 天`;
  const lines = [
    `${input.officeName}：`,
    '',
    overdue
      ? `贵单位${input.year}年政府信息公开工作年度报告的报送截止时间（${formatShanghai(input.deadline)}）已过 ${-input.daysLeft} 天，目前状态为“${input.statusLabel}”。请尽快提交；逾期情况已同时告知协调人。`
      : `贵单位${input.year}年政府信息公开工作年度报告的报送截止时间为 ${formatShanghai(input.deadline)}，目前状态为“${input.statusLabel}”。请在截止前提交并通过校验。`,
    ...(input.uploadUrl ? ['', `上传地址：${input.uploadUrl}`] : []),
    '',
    '本邮件由系统自动发送，请勿直接回复。',
  ];
  const html = htmlPage(
    subject,
    lines
      .filter((l) => l !== '')
      .map((l) => (l.startsWith('上传地址：') && input.uploadUrl ? `<p>上传地址：<a href="${escapeHtml(input.uploadUrl)}">${escapeHtml(input.uploadUrl)}</a></p>` : `<p>${escapeHtml(l)}</p>`))
      .join(''),
  );
  return { subject, text: lines.join('\n'), html };
}

export interface DigestInput {
  year: number;
  date: string;
  counts: Record<string, number>;
  overdue: { name: string; statusLabel: string; deadline: string }[];
  rejected: { name: string }[];
}

export function digestEmail(input: DigestInput): RenderedEmail {
  const subject = `【年报进度】${input.year}年度报告 ${input.date}：逾期 ${input.overdue.length} 家`;
  const countLine = Object.entries(input.counts)
    .map(([k, v]) => `${k} ${v}`)
    .join('，');
  const text = [
    `${input.year}年度政府信息公开工作年度报告报送进度（${input.date}）`,
    '',
    `状态统计：${countLine}`,
    '',
    input.overdue.length ? '已逾期的单位：' : '暂无逾期单位。',
    ...input.overdue.map((o) => `- ${o.name}（${o.statusLabel}，截止 ${formatShanghai(o.deadline)}）`),
    ...(input.rejected.length ? ['', '最近一次提交未通过校验的单位：', ...input.rejected.map((o) => `- ${o.name}`)] : []),
  ].join('\n');
  const list = (items: string[]) => `<ul>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;
  const html = htmlPage(
    subject,
    `<p>${escapeHtml(input.year)}年度政府信息公开工作年度报告报送进度（${escapeHtml(input.date)}）</p>` +
      `<p>状态统计：${escapeHtml(countLine)}</p>` +
      (input.overdue.length
        ? `<p>已逾期的单位：</p>${list(input.overdue.map((o) => `${o.name}（${o.statusLabel}，截止 ${formatShanghai(o.deadline)}）`))}`
        : '<p>暂无逾期单位。</p>') +
      (input.rejected.length ? `<p>最近一次提交未通过校验的单位：</p>${list(input.rejected.map((o) => o.name))}` : ''),
  );
  return { subject, text, html };
}

export function returnedEmail(input: { year: number; officeName: string; note: string; submissionId: string }): RenderedEmail {
  const subject = `【年报退回】${input.officeName} ${input.year}年度报告已退回修改`;
  const lines = [
    `${input.officeName}：`,
    '',
    `贵单位提交的${input.year}年政府信息公开工作年度报告（提交编号 ${input.submissionId}）已由协调人退回修改。`,
    `退回说明：${input.note}`,
    '',
    '请修改后重新上传。本邮件由系统自动发送，请勿直接回复。',
  ];
  return {
    subject,
    text: lines.join('\n'),
    html: htmlPage(subject, lines.filter(Boolean).map((l) => `<p>${escapeHtml(l)}</p>`).join('')),
  };
}
