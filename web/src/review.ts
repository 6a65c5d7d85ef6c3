/**
 * Review before publishing, in the dashboard's office detail (and 说明 on the office page): the canonical PDF of
 * a submission (the bytes that become public), its original file (a download, never shown), its findings as
 * .xlsx, the receipt as PDF, the tables as the system read them; 豁免 on each finding; publishing after a
 * confirmation that says what becomes public; withdrawing (撤回) with a reason. Every question is one <dialog>
 * built here (ask), so the pages' HTML stays as it is.
 */
import type { Finding } from '../../shared/report/model';
import type { Judged } from '../../shared/common/judged';
import type { ReadTables } from '../../shared/cycle/pages';
import type { OfficeView, SubmissionView } from '../../shared/cycle/service';
import { api, beijing, download, fetchFile, h, renderFindings, renderTables, type FindingsOptions } from './common';

/** What the dashboard hands over: who calls, how to reload after a change, where to say what happened. */
export interface ReviewContext {
  token: string;
  refresh: () => Promise<void>;
  say: (message: string, kind?: 'info' | 'ok' | 'error') => void;
}

/** The audit trail's words for what this module adds (the dashboard's labels take them in). */
export const REVIEW_ACTION_LABELS: Record<string, string> = {
  withdrawn: '撤回公开',
  finding_explained: '单位说明提示',
  finding_waived: '豁免问题',
};

/** What becomes public when a report is published: said in the confirmation, and in docs/使用说明.md. */
export const WHAT_BECOMES_PUBLIC = [
  '报告的 PDF 版式文件（即“预览 PDF”所见）、结构化数据（JSON）和原始文件；',
  '该单位本年度的公开页面；',
  '年度目录、开放数据（CSV/JSON）、历年数据和单位检索中的条目。',
];

// ---- one dialog for every question ----

interface Question {
  id: string;
  title: string;
  lines: string[];
  /** A text to enter (a reason, an explanation); required ones must not be empty. */
  field?: { label: string; required: boolean; maxLength: number };
  confirm: string;
  danger?: boolean;
}

/** Asks in a modal dialog: the text entered ('' without a field) on confirmation, null on cancel. */
export function ask(q: Question): Promise<string | null> {
  document.getElementById(q.id)?.remove();
  const input = q.field ? h('textarea', { attrs: { id: `${q.id}-text`, rows: '4', maxlength: String(q.field.maxLength) } }) : null;
  const error = h('p', { class: 'notice notice-error', attrs: { role: 'alert' } });
  error.hidden = true;
  const ok = h('button', { class: q.danger ? 'danger' : '', text: q.confirm, attrs: { type: 'button', id: `${q.id}-confirm` } });
  const cancel = h('button', { class: 'ghost', text: '取消', attrs: { type: 'button', id: `${q.id}-cancel` } });
  const dialog = h(
    'dialog',
    { attrs: { id: q.id } },
    h(
      'div',
      { class: 'stack' },
      h('h2', { text: q.title }),
      ...q.lines.map((l) => h('p', { class: 'hint', text: l })),
      q.field ? h('label', { text: q.field.label, attrs: { for: `${q.id}-text` } }) : null,
      input,
      error,
      h('div', { class: 'actions' }, ok, cancel),
    ),
  );
  document.body.append(dialog);
  return new Promise((resolve) => {
    const close = (value: string | null) => {
      dialog.close();
      dialog.remove();
      resolve(value);
    };
    ok.addEventListener('click', () => {
      const text = input?.value.trim() ?? '';
      if (q.field?.required && !text) {
        error.textContent = `请填写${q.field.label}。`;
        error.hidden = false;
        return;
      }
      close(text);
    });
    cancel.addEventListener('click', () => close(null));
    dialog.addEventListener('cancel', () => close(null));
    dialog.showModal();
  });
}

// ---- publishing and withdrawing ----

/** The confirmation before publishing one or more offices' reports: what becomes public, and that it can be withdrawn. */
export async function confirmPublish(offices: Pick<OfficeView, 'name'>[]): Promise<boolean> {
  const answer = await ask({
    id: 'publish-dialog',
    title: offices.length > 1 ? `公开 ${offices.length} 份报告` : `公开${offices[0]?.name ?? ''}的报告`,
    lines: [
      ...(offices.length > 1 ? [`单位：${offices.map((o) => o.name).join('、')}。`] : []),
      '公开后，以下内容任何人都可以查看：',
      ...WHAT_BECOMES_PUBLIC,
      '该单位会收到公开通知邮件。公开后如发现问题，可以撤回（须填写理由）：撤回后报告从目录和数据中移除，公开页面保留撤回说明。',
    ],
    confirm: '确认公开',
  });
  return answer !== null;
}

async function withdraw(ctx: ReviewContext, o: OfficeView): Promise<void> {
  const reason = await ask({
    id: 'withdraw-dialog',
    title: `撤回${o.name}已公开的报告`,
    lines: [
      '撤回后：该报告从年度目录、开放数据和单位检索中移除；公开页面只保留“该报告已于…撤回，理由：…”；该单位收到邮件，可以修改后重新上传。',
      '撤回理由将显示在公开页面上，请勿填写不宜公开的内容。',
    ],
    field: { label: '撤回理由', required: true, maxLength: 500 },
    confirm: '撤回',
    danger: true,
  });
  if (reason === null) return;
  try {
    await api('POST', `/cycles/${o.year}/offices/${encodeURIComponent(o.officeId)}/withdraw`, ctx.token, { reason });
    await ctx.refresh();
    ctx.say(`已撤回${o.name}的报告，公开页面稍后更新。`, 'ok');
  } catch (e) {
    ctx.say((e as Error).message, 'error');
  }
}

// ---- judgement ----

const findingPath = (o: Pick<OfficeView, 'year' | 'officeId'>, s: SubmissionView, f: Judged<Finding>, what: 'explanation' | 'waiver') =>
  `/cycles/${o.year}/offices/${encodeURIComponent(o.officeId)}/submissions/${encodeURIComponent(s.id)}/findings/${f.index}/${what}`;

const findingName = (f: Judged<Finding>) => `第${f.index + 1}项${f.severity === 'error' ? '错误' : '提示'} [${f.rule}]：${f.message}`;

/** 豁免 on each finding not yet waived (the 政务公开办): a reason is required for an error. */
export function waiverOptions(ctx: ReviewContext, o: OfficeView, s: SubmissionView): FindingsOptions {
  return {
    judgements: s.judgements,
    action: (f) => {
      if (f.waiver || !s.verdict || s.state !== 'done' || /^FILE-0[12]$/.test(f.rule)) return null;
      const b = h('button', { class: 'secondary small', text: '豁免', attrs: { type: 'button', 'data-action': 'waive', 'data-index': String(f.index) } });
      b.addEventListener('click', async () => {
        const error = f.severity === 'error';
        const reason = await ask({
          id: 'waive-dialog',
          title: `豁免${error ? '错误' : '提示'}`,
          lines: [findingName(f), error ? '豁免错误须填写理由；该提交再无未豁免的错误时，状态变为“已通过”。' : '豁免提示可不填理由。', '豁免记入办理记录，并显示在回执和校验问题清单中。'],
          field: { label: '豁免理由', required: error, maxLength: 1000 },
          confirm: '豁免',
        });
        if (reason === null) return;
        try {
          await api('POST', findingPath(o, s, f, 'waiver'), ctx.token, { reason });
          await ctx.refresh();
          ctx.say(`已豁免${findingName(f)}`, 'ok');
        } catch (e) {
          ctx.say((e as Error).message, 'error');
        }
      });
      return b;
    },
  };
}

/** 说明 on each 提示 (the office's page): the office explains why the figure or text is right. */
export function explanationOptions(ctx: ReviewContext, o: Pick<OfficeView, 'year' | 'officeId'>, s: SubmissionView): FindingsOptions {
  return {
    judgements: s.judgements,
    action: (f) => {
      if (f.severity !== 'warning' || !s.verdict || s.state !== 'done') return null;
      const b = h('button', { class: 'secondary small', text: f.explanation ? '修改说明' : '说明', attrs: { type: 'button', 'data-action': 'explain', 'data-index': String(f.index) } });
      b.addEventListener('click', async () => {
        const text = await ask({
          id: 'explain-dialog',
          title: '说明提示',
          lines: [findingName(f), '如该处内容确实无误，请说明原因。说明会显示在回执中，政务公开办审核时可以看到。错误须修改后重新上传，不能以说明代替。'],
          field: { label: '说明', required: true, maxLength: 1000 },
          confirm: '提交说明',
        });
        if (text === null) return;
        try {
          await api('POST', findingPath(o, s, f, 'explanation'), ctx.token, { text });
          await ctx.refresh();
          ctx.say('说明已提交。', 'ok');
        } catch (e) {
          ctx.say((e as Error).message, 'error');
        }
      });
      return b;
    },
  };
}

// ---- files of a submission ----

const filePath = (o: Pick<OfficeView, 'year' | 'officeId'>, s: SubmissionView, file: string) => `/cycles/${o.year}/offices/${encodeURIComponent(o.officeId)}/submissions/${encodeURIComponent(s.id)}/${file}`;

/**
 * Opens the canonical PDF in a new tab: fetched with the token (never in a URL), shown from a blob of type
 * application/pdf — a PDF we rendered, never the office's own file.
 */
async function previewPdf(ctx: ReviewContext, o: OfficeView, s: SubmissionView, button: HTMLButtonElement): Promise<void> {
  button.disabled = true;
  // Opened at the click, before the fetch: a window opened after an await is taken for a pop-up.
  const tab = window.open('', '_blank');
  try {
    const res = await fetchFile(filePath(o, s, 'pdf'), ctx.token);
    const url = URL.createObjectURL(new Blob([await res.arrayBuffer()], { type: 'application/pdf' }));
    if (tab) tab.location.href = url;
    else window.open(url, '_blank');
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  } catch (e) {
    tab?.close();
    ctx.say((e as Error).message, 'error');
  } finally {
    button.disabled = false;
  }
}

function fileButton(label: string, id: string, onClick: (b: HTMLButtonElement) => void): HTMLButtonElement {
  const b = h('button', { class: 'secondary small', text: label, attrs: { type: 'button', id } });
  b.addEventListener('click', () => onClick(b));
  return b;
}

/**
 * The review tools of the submission shown in the office detail: its files, the tables as read, and 撤回 when
 * the office's report is public.
 */
export function reviewTools(ctx: ReviewContext, o: OfficeView, s: SubmissionView | null, tables: ReadTables | null | undefined): HTMLElement[] {
  const out: HTMLElement[] = [];
  if (o.status === 'PUBLISHED') {
    const w = h('button', { class: 'danger', text: '撤回公开', attrs: { type: 'button', id: 'withdraw', 'data-action': 'withdraw' } });
    w.addEventListener('click', () => void withdraw(ctx, o));
    out.push(h('div', { class: 'actions' }, w, h('span', { class: 'hint', text: '撤回已公开的报告（须填写理由）。' })));
  }
  if (!s) return out;
  const fail = (e: unknown) => ctx.say((e as Error).message, 'error');
  const files = h(
    'div',
    { class: 'actions review-files', attrs: { id: 'review-files' } },
    s.verdict && s.formatVersion ? fileButton('预览 PDF', 'preview-pdf', (b) => void previewPdf(ctx, o, s, b)) : null,
    fileButton('下载原文件', 'download-original', () => void download(filePath(o, s, 'original'), ctx.token, `original-${s.id}`).catch(fail)),
    s.verdict ? fileButton('导出校验问题（Excel）', 'download-findings', () => void download(filePath(o, s, 'findings.xlsx'), ctx.token, `findings-${s.id}.xlsx`).catch(fail)) : null,
    s.verdict ? fileButton('下载回执（PDF）', 'download-receipt-pdf', () => void download(`${filePath(o, s, 'receipt')}?format=pdf`, ctx.token, `receipt-${s.id}.pdf`).catch(fail)) : null,
  );
  out.push(
    h('h3', { text: `审核提交 ${s.id}` }),
    h('p', { class: 'hint', text: `预览 PDF 即公开后的版式文件（由系统读取的内容生成）；原文件只能下载，不在浏览器中打开。收到于 ${beijing(s.receivedAt, true)}。` }),
    files,
  );
  if (s.withdrawnAt) out.push(h('p', { class: 'notice notice-error', text: `该版本已于 ${beijing(s.withdrawnAt)} 撤回，理由：${s.withdrawnReason ?? ''}` }));
  if (tables && tables.submissionId === s.id) {
    out.push(h('details', { class: 'read-tables', attrs: { id: 'review-tables' } }, h('summary', { text: '系统读取的表格' }), renderTables(tables)));
  }
  return out;
}

/** The findings of a submission with 豁免 (dashboard). */
export function reviewFindings(ctx: ReviewContext, o: OfficeView, s: SubmissionView): HTMLElement {
  return renderFindings(s.findings, waiverOptions(ctx, o, s));
}
