/**
 * E-mail texts of the cycle (Chinese): the receipt for every upload, reminders, overdue notices, the
 * coordinators' digest and the "returned" notice. Each gives subject, plain text and HTML; every value that
 * came from a user or a file is escaped in the HTML. Pure: no I/O.
 */
import type { Finding, Verdict } from '../report/model';
import type {
  DigestInput,
  EmailWriter,
  InvitationInput,
  PublishedInput,
  ReceiptInput,
  RenderedEmail,
  ReminderInput,
  ReturnedInput,
  Sender,
  UndeliverableInput,
  WithdrawnInput,
} from '../contracts/email';
import { judgedFindings, judgementText, type Judged } from '../common/judged';
import { locationText } from '../common/location';
import { formatNumber, oneLine } from '../common/text';
import { escapeHtml } from './format';
import { formatShanghai } from '../common/time';


/** The footer lines of every e-mail: the 政务公开办 and how to reach it, as far as the cycle says; none when it says nothing. */
export function senderLines(sender: Sender | null | undefined): string[] {
  if (!sender) return [];
  const issuer = sender.issuer ? oneLine(sender.issuer) : '';
  const contact = [sender.contactPerson ? `联系人：${oneLine(sender.contactPerson)}` : '', sender.contactPhone ? `电话：${oneLine(sender.contactPhone)}` : ''].filter(Boolean).join('　');
  return [issuer, contact].filter(Boolean);
}

/** Every e-mail ends with the sender's footer: appended to the text, and to the HTML before </body>. */
function withFooter(mail: RenderedEmail, sender: Sender | null | undefined): RenderedEmail {
  const lines = senderLines(sender);
  if (!lines.length) return mail;
  const html = `<p style="color:#444;border-top:1px solid #ddd;padding-top:8px">${lines.map(escapeHtml).join('<br>')}</p>`;
  return { ...mail, text: `${mail.text}\n\n${lines.join('\n')}`, html: mail.html.replace(/<\/body><\/html>$/, `${html}</body></html>`) };
}


const VERDICT_LABEL: Record<Verdict, string> = { accepted: '通过', rejected: '未通过' };

/** 表, 行 and 列 of the national table, then where it is in the office's document (第3页第12行) when known. */
export function findingLocation(f: Finding): string {
  const parts: string[] = [];
  if (f.table) parts.push(`表${f.table}`);
  if (f.row) parts.push(`行“${f.row}”`);
  if (f.column) parts.push(`列“${f.column}”`);
  const where = locationText(f.location);
  if (where) parts.push(`原文${where}`);
  return parts.join('，');
}

/** One finding as a line of text: number, rule, level, where, message, 应为/实为 and its judgement. */
export function findingLine(f: Finding | Judged<Finding>, i: number): string {
  const where = findingLocation(f);
  const judged = 'index' in f ? judgementText(f) : '';
  const nums =
    f.expected !== null || f.actual !== null
      ? `（应为 ${f.expected === null ? '—' : formatNumber(f.expected)}，实为 ${f.actual === null ? '—' : formatNumber(f.actual)}）`
      : '';
  return `${i + 1}. [${f.rule}] ${f.severity === 'error' ? '错误' : '提示'}${where ? `｜${where}` : ''}：${f.message}${nums}${judged ? `｜${oneLine(judged)}` : ''}`;
}

function findingRow(f: Finding | Judged<Finding>, judgementColumn: boolean): string {
  const cell = (v: unknown) => `<td style="border:1px solid #ccc;padding:4px 6px;vertical-align:top">${escapeHtml(v)}</td>`;
  return (
    '<tr>' +
    cell(f.rule) +
    cell(f.severity === 'error' ? '错误' : '提示') +
    cell(f.table ? `表${f.table}` : '') +
    cell(f.row ?? '') +
    cell(f.column ?? '') +
    cell(locationText(f.location)) +
    cell(f.expected === null ? '' : formatNumber(f.expected)) +
    cell(f.actual === null ? '' : formatNumber(f.actual)) +
    cell(f.message) +
    (judgementColumn ? cell('index' in f ? judgementText(f) : '') : '') +
    '</tr>'
  );
}

function findingsTable(findings: Array<Finding | Judged<Finding>>): string {
  if (findings.length === 0) return '<p>未发现问题。</p>';
  // The column 处理 only where something was explained or waived: most receipts have nothing to show there.
  const judged = findings.some((f) => 'index' in f && (f.explanation || f.waiver));
  const th = (v: string) => `<th style="border:1px solid #ccc;padding:4px 6px;background:#f3f3f3">${v}</th>`;
  return (
    '<table style="border-collapse:collapse;font-size:14px">' +
    `<thead><tr>${['规则', '级别', '表', '行', '列', '原文位置', '应为', '实为', '说明', ...(judged ? ['处理'] : [])].map(th).join('')}</tr></thead>` +
    `<tbody>${findings.map((f) => findingRow(f, judged)).join('')}</tbody></table>`
  );
}

function htmlPage(title: string, body: string): string {
  return (
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">' +
    `<title>${escapeHtml(title)}</title></head>` +
    `<body style="font-family:'PingFang SC','Microsoft YaHei','Noto Sans SC',sans-serif;line-height:1.6">${body}</body></html>`
  );
}

/** What the office does next, after this receipt. */
export function nextStep(input: ReceiptInput): string {
  if (input.supersededBy) return `本次提交之后已有更新的提交（编号 ${input.supersededBy}），以更新的提交为准，本次提交无需处理。`;
  const judged = judgedFindings(input);
  const errors = judged.filter((f) => f.severity === 'error' && !f.waiver).length;
  const waived = judged.filter((f) => f.severity === 'error' && f.waiver).length;
  if (input.verdict === 'rejected') {
    return `报告未通过校验（${errors} 项错误）。请按下列问题逐项修改后重新上传；重新上传不影响已提交记录。`;
  }
  const warnings = input.findings.length - waived;
  if (waived) return `报告已通过：${waived} 项错误已由政务公开办豁免（理由见下）。${warnings ? `另有 ${warnings} 项提示不影响通过，请核实。` : ''}`;
  return warnings
    ? `报告已通过校验，等待政务公开办审核公开。下列 ${warnings} 项提示不影响通过，请核实；如需更正，可在公开前重新上传。`
    : '报告已通过校验，等待政务公开办审核公开。无需其他操作。';
}

/** The receipt's facts, label and value, in the order the e-mail and the PDF (receipt-pdf.ts) list them. */
export function receiptFacts(input: ReceiptInput): [string, string][] {
  const late = Date.parse(input.receivedAt) > Date.parse(input.deadline);
  return [
    ['单位', input.officeName],
    ['报告年度', `${input.year}年`],
    ['提交编号', input.submissionId],
    ['文件名', input.fileName],
    ['文件大小', `${input.size} 字节`],
    ['SHA-256', input.sha256 ?? '（未读取）'],
    ['收到时间', formatShanghai(input.receivedAt)],
    ['截止时间', `${formatShanghai(input.deadline)}${late ? '（本次提交已逾期）' : ''}`],
    ['校验结果', VERDICT_LABEL[input.verdict]],
  ];
}

export function receiptEmail(raw: ReceiptInput): RenderedEmail {
  // Names and file names on one line: they go into the subject and into lines of the text (issue 13.3).
  const input = { ...raw, officeName: oneLine(raw.officeName), fileName: oneLine(raw.fileName) };
  const verdict = VERDICT_LABEL[input.verdict];
  const subject = `【年报回执】${input.officeName} ${input.year}年度报告：${verdict}（提交编号 ${input.submissionId}）`;
  const facts = receiptFacts(input);
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
    ...judgedFindings(input).map(findingLine),
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
      findingsTable(judgedFindings(input)) +
      (input.statusUrl ? `<p><a href="${escapeHtml(input.statusUrl)}">查看办理状态</a></p>` : '') +
      '<p style="color:#666">本邮件由系统自动发送，请勿直接回复。</p>',
  );
  return withFooter({ subject, text, html }, input.sender);
}

/** The cutoff rule, stated the same way in every reminder, on the pages and in docs/reminders.md. */
export const CUTOFF_RULE = '是否按时以文件上传完成的时间（系统收到文件的时间）为准：在截止时间之前上传完成即为按时报送，校验可以在截止之后完成。';


function reminderHeadline(input: ReminderInput): { subject: string; lead: string } {
  const { officeName: name, year, daysLeft } = input;
  const deadline = formatShanghai(input.deadline);
  if (daysLeft < 0) {
    return {
      subject: `【年报逾期】${name} ${year}年度报告已逾期 ${-daysLeft} 天`,
      lead: `贵单位${year}年政府信息公开工作年度报告的报送截止时间（${deadline}）已过 ${-daysLeft} 天，目前状态为“${input.statusLabel}”。请尽快提交；逾期情况已列入政务公开办的每日进度汇总。`,
    };
  }
  if (daysLeft === 0) {
    return {
      subject: `【年报提醒】${name} ${year}年度报告今天截止`,
      lead: `贵单位${year}年政府信息公开工作年度报告今天截止（${deadline}），目前状态为“${input.statusLabel}”。请在截止前上传并通过校验。`,
    };
  }
  return {
    subject: `【年报提醒】${name} ${year}年度报告距截止还有 ${daysLeft} 天`,
    lead: `贵单位${year}年政府信息公开工作年度报告的报送截止时间为 ${deadline}（还有 ${daysLeft} 天），目前状态为“${input.statusLabel}”。请在截止前上传并通过校验。`,
  };
}

export function reminderEmail(raw: ReminderInput): RenderedEmail {
  const input = { ...raw, officeName: oneLine(raw.officeName) };
  const { subject, lead } = reminderHeadline(input);
  const status: string[] = [];
  if (input.errors) status.push(`最近一次提交未通过校验（${input.errors} 项错误），请按回执或报送页面列出的问题逐项修改后重新上传。`);
  if (input.note) status.push(`政务公开办退回说明：${input.note}`);
  const paragraphs = [
    `${input.officeName}：`,
    lead,
    ...status,
    CUTOFF_RULE,
    ...(input.uploadUrl ? [`报送页面（用本单位的访问令牌登录，可上传报告、查看校验结果和回执）：${input.uploadUrl}`] : []),
    input.manual ? '本提醒由政务公开办发送。本邮件由系统自动发送，请勿直接回复。' : '本邮件由系统自动发送，请勿直接回复。',
  ];
  const text = paragraphs.join('\n\n');
  const html = htmlPage(
    subject,
    paragraphs
      .map((p) => {
        if (input.uploadUrl && p.endsWith(input.uploadUrl)) {
          const label = p.slice(0, p.length - input.uploadUrl.length);
          return `<p>${escapeHtml(label)}<a href="${escapeHtml(input.uploadUrl)}">${escapeHtml(input.uploadUrl)}</a></p>`;
        }
        return `<p>${escapeHtml(p)}</p>`;
      })
      .join(''),
  );
  return withFooter({ subject, text, html }, input.sender);
}


export function digestEmail(raw: DigestInput): RenderedEmail {
  const input = {
    ...raw,
    overdue: raw.overdue.map((o) => ({ ...o, name: oneLine(o.name) })),
    rejected: raw.rejected.map((r) => ({ ...r, name: oneLine(r.name) })),
    undeliverable: raw.undeliverable?.map((u) => ({ ...u, name: oneLine(u.name) })),
  };
  const subject = `【年报进度】${input.year}年度报告 ${input.date}：逾期 ${input.overdue.length} 家，未通过 ${input.rejected.length} 家`;
  const countLine = Object.entries(input.counts)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${k} ${v}`)
    .join('，');
  const overdueLine = (o: DigestInput['overdue'][number]) => `${o.name}：已逾期 ${o.daysOverdue} 天（${o.statusLabel}，截止 ${formatShanghai(o.deadline)}）`;
  const rejectedLines = (r: DigestInput['rejected'][number]) => [
    `${r.name}（${r.errors} 项错误）`,
    ...r.findings.map((f, i) => `    ${findingLine(f, i)}`),
  ];
  const undeliverable = input.undeliverable ?? [];
  const text = [
    `${input.year}年度政府信息公开工作年度报告报送进度（${input.date}）`,
    '',
    `共 ${input.total} 家单位：${countLine || '—'}`,
    `今日发出提醒 ${input.remindersSent} 封。`,
    '',
    input.overdue.length ? `已逾期、尚无通过的报告（${input.overdue.length} 家）：` : '暂无逾期单位。',
    ...input.overdue.map((o) => `- ${overdueLine(o)}`),
    ...(input.rejected.length ? ['', `最近一次提交未通过校验（${input.rejected.length} 家，列出主要问题）：`, ...input.rejected.flatMap((r) => rejectedLines(r).map((l, i) => (i === 0 ? `- ${l}` : l)))] : []),
    ...(undeliverable.length ? ['', '联系邮箱无法送达（请核实后重新导入单位名单）：', ...undeliverable.map((u) => `- ${u.name}：${u.emails.join('、')}`)] : []),
    ...(input.dashboardUrl ? ['', `政务公开办工作台：${input.dashboardUrl}`] : []),
    '',
    '本邮件由系统自动发送，请勿直接回复。',
  ].join('\n');
  const li = (v: string) => `<li>${escapeHtml(v)}</li>`;
  const html = htmlPage(
    subject,
    `<p><strong>${escapeHtml(input.year)}年度政府信息公开工作年度报告报送进度（${escapeHtml(input.date)}）</strong></p>` +
      `<p>共 ${escapeHtml(input.total)} 家单位：${escapeHtml(countLine || '—')}<br>今日发出提醒 ${escapeHtml(input.remindersSent)} 封。</p>` +
      (input.overdue.length
        ? `<p>已逾期、尚无通过的报告（${input.overdue.length} 家）：</p><ul>${input.overdue.map((o) => li(overdueLine(o))).join('')}</ul>`
        : '<p>暂无逾期单位。</p>') +
      (input.rejected.length
        ? `<p>最近一次提交未通过校验（${input.rejected.length} 家，列出主要问题）：</p>` +
          input.rejected.map((r) => `<p>${escapeHtml(`${r.name}（${r.errors} 项错误）`)}</p>${findingsTable(r.findings)}`).join('')
        : '') +
      (undeliverable.length
        ? `<p>联系邮箱无法送达（请核实后重新导入单位名单）：</p><ul>${undeliverable.map((u) => li(`${u.name}：${u.emails.join('、')}`)).join('')}</ul>`
        : '') +
      (input.dashboardUrl ? `<p><a href="${escapeHtml(input.dashboardUrl)}">打开政务公开办工作台</a></p>` : '') +
      '<p style="color:#666">本邮件由系统自动发送，请勿直接回复。</p>',
  );
  return withFooter({ subject, text, html }, input.sender);
}

/** To the coordinators when an office's address bounced or complained: the office will miss its mail. */
export function undeliverableEmail(input: UndeliverableInput): RenderedEmail {
  input = { ...input, officeName: oneLine(input.officeName), officeId: oneLine(input.officeId) };
  const what = input.kind === 'bounce' ? '退信（无法投递）' : '投诉（收件人将邮件标为垃圾邮件）';
  const subject = `【年报退信】${input.officeName} 的联系邮箱无法送达`;
  const lines = [
    '政务公开办：',
    '',
    `发给${input.officeName}（${input.officeId}，${input.year}年度）的邮件发生${what}。`,
    `邮箱：${input.emails.join('、')}`,
    `邮件类型：${mailKindLabel(input.mailKind)}`,
    ...(input.reason ? [`原因：${input.reason}`] : []),
    '',
    '该邮箱已标记为无法送达，此后的提醒不再发往该邮箱。请与该单位核实联系邮箱，并重新导入单位名单；在此之前，请通过其他方式通知该单位。',
    ...(input.dashboardUrl ? ['', `查看该单位：${input.dashboardUrl}`] : []),
  ];
  return plainEmail(subject, lines, input.sender);
}

/** An e-mail of plain lines: the text as given, each non-empty line a paragraph of the HTML, then the footer. */
function plainEmail(subject: string, lines: string[], sender: Sender | null | undefined, link?: { label: string; url: string }): RenderedEmail {
  const paragraph = (l: string) =>
    link && l === `${link.label}${link.url}` ? `<p>${escapeHtml(link.label)}<a href="${escapeHtml(link.url)}">${escapeHtml(link.url)}</a></p>` : `<p>${escapeHtml(l)}</p>`;
  return withFooter({ subject, text: lines.join('\n'), html: htmlPage(subject, lines.filter(Boolean).map(paragraph).join('')) }, sender);
}

const MAIL_KIND_LABEL: Record<string, string> = {
  receipt: '提交回执',
  returned: '退回通知',
  published: '公开通知',
  withdrawn: '撤回通知',
  invitation: '报送邀请',
  digest: '进度汇总',
  'reminder-manual': '政务公开办发送的提醒',
};

export function mailKindLabel(kind: string): string {
  return MAIL_KIND_LABEL[kind] ?? (kind.startsWith('reminder-after') ? '逾期通知' : kind.startsWith('reminder') ? '报送提醒' : kind || '未知');
}

const UPLOAD_LINK = '报送页面（上传、查看校验结果和回执）：';

export function returnedEmail(raw: ReturnedInput): RenderedEmail {
  const input = { ...raw, officeName: oneLine(raw.officeName) };
  const subject = `【年报退回】${input.officeName} ${input.year}年度报告已退回修改`;
  const lines = [
    `${input.officeName}：`,
    '',
    `贵单位提交的${input.year}年政府信息公开工作年度报告（提交编号 ${input.submissionId}）已由政务公开办退回修改。`,
    `退回说明：${input.note}`,
    '',
    '请修改后重新上传。',
    ...(input.uploadUrl ? [`${UPLOAD_LINK}${input.uploadUrl}`] : []),
    '',
    '本邮件由系统自动发送，请勿直接回复。',
  ];
  return plainEmail(subject, lines, input.sender, input.uploadUrl ? { label: UPLOAD_LINK, url: input.uploadUrl } : undefined);
}

/** To the office when its report is published: which version, when, and where the public can read it. */
export function publishedEmail(raw: PublishedInput): RenderedEmail {
  const input = { ...raw, officeName: oneLine(raw.officeName) };
  const subject = `【年报公开】${input.officeName} ${input.year}年度报告已公开`;
  const link = '公开页面：';
  const lines = [
    `${input.officeName}：`,
    '',
    `贵单位的${input.year}年政府信息公开工作年度报告（提交编号 ${input.submissionId}）已于 ${formatShanghai(input.at)}（北京时间）由政务公开办公开。公开的内容：报告的 PDF 版式文件、结构化数据（JSON）、原始文件，以及本单位的公开页面和年度目录中的条目。`,
    '如需更正，可在报送页面重新上传；更正版本通过并公开后，作为新版本公开，原版本保留在版本记录中。',
    ...(input.pageUrl ? [`${link}${input.pageUrl}`] : []),
    '',
    '本邮件由系统自动发送，请勿直接回复。',
  ];
  return plainEmail(subject, lines, input.sender, input.pageUrl ? { label: link, url: input.pageUrl } : undefined);
}

/** To the office when the 政务公开办 withdraws its published report: why, and that it may upload again. */
export function withdrawnEmail(raw: WithdrawnInput): RenderedEmail {
  const input = { ...raw, officeName: oneLine(raw.officeName) };
  const subject = `【年报撤回】${input.officeName} ${input.year}年度报告已撤回公开`;
  const lines = [
    `${input.officeName}：`,
    '',
    `贵单位已公开的${input.year}年政府信息公开工作年度报告（提交编号 ${input.submissionId}）已于 ${formatShanghai(input.at)}（北京时间）由政务公开办撤回，不再列入公开目录和开放数据；公开页面保留撤回说明。`,
    `撤回理由：${input.reason}`,
    '',
    '请按撤回理由修改后重新上传；新的报告通过并公开后，重新列入公开目录。',
    ...(input.uploadUrl ? [`${UPLOAD_LINK}${input.uploadUrl}`] : []),
    '',
    '本邮件由系统自动发送，请勿直接回复。',
  ];
  return plainEmail(subject, lines, input.sender, input.uploadUrl ? { label: UPLOAD_LINK, url: input.uploadUrl } : undefined);
}


/** The invitation to report: the sign-in link, the deadline, what to upload. */
export function invitationEmail(raw: InvitationInput): RenderedEmail {
  const input = { ...raw, officeName: oneLine(raw.officeName) };
  const subject = `【年报报送】${input.officeName} ${input.year}年度政府信息公开工作年度报告报送${input.reissued ? '（新登录链接）' : '邀请'}`;
  const link = '登录报送页面（点击即可登录，无需密码）：';
  const paragraphs = [
    `${input.officeName}：`,
    `请于 ${formatShanghai(input.deadline)} 前上传贵单位${input.year}年政府信息公开工作年度报告。`,
    `${link}${input.signInUrl}`,
    `此链接相当于贵单位的报送密码，仅供本单位使用，请勿转发。${input.reissued ? '之前发送的登录链接已失效。' : ''}`,
    `上传什么：年度报告全文，一个文件，Word（.docx）、PDF、网页（.html）或纯文本（.txt）格式均可，不超过 ${input.maxMegabytes} MB；表二至表四按${input.formatNotice}的格式填写。上传后系统立即校验，并将回执发送到本邮箱；未通过的，可按回执修改后重新上传。`,
    CUTOFF_RULE,
    ...(input.contacts.length ? [`如有疑问或链接失效，请联系政务公开办：${input.contacts.join('、')}。`] : []),
    '本邮件由系统自动发送，请勿直接回复。',
  ];
  const html = htmlPage(
    subject,
    paragraphs
      .map((p) =>
        p.startsWith(link)
          ? `<p>${escapeHtml(link)}<br><a href="${escapeHtml(input.signInUrl)}">${escapeHtml(input.signInUrl)}</a></p>`
          : `<p>${escapeHtml(p)}</p>`,
      )
      .join(''),
  );
  return withFooter({ subject, text: paragraphs.join('\n\n'), html }, input.sender);
}

export type { DigestInput, EmailWriter, InvitationInput, PublishedInput, ReceiptInput, RenderedEmail, ReminderInput, ReturnedInput, Sender, UndeliverableInput, WithdrawnInput };

/** The e-mails the workflow sends (its EmailWriter port, shared/contracts/email.ts). */
export const emailWriter: EmailWriter = { receiptEmail, reminderEmail, digestEmail, undeliverableEmail, returnedEmail, invitationEmail, publishedEmail, withdrawnEmail };
