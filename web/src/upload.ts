/**
 * The office page: sign in with the office token, see the cycle, the deadline (Beijing time) and the status,
 * upload the report with the presigned POST straight to S3, watch the verdict arrive (polling the status
 * API), read every finding by section with its exact cells, download the receipt.
 */
import type { SubmissionView, OfficeView } from '../../shared/cycle/service';
import type { ReadTables } from '../../shared/cycle/pages';
import {
  $,
  add,
  ApiError,
  api,
  beijing,
  clear,
  deadlineText,
  download,
  fileSize,
  findingCounts,
  h,
  loadConfig,
  renderFindings,
  renderTables,
  say,
  show,
  statusBadge,
  storeToken,
  storedToken,
  takeTokenFromHash,
} from './common';
import { UPLOAD_LIMITS } from '../../shared/resources';
import { explanationOptions } from './review';

const TOKEN_KEY = 'nianbao.office-token';
const TYPES = ['.docx', '.pdf', '.txt', '.html', '.htm', '.json'];
const MAX_BYTES = UPLOAD_LIMITS.maxBytes; // the presigned POST enforces it; checked here to say so at once
const POLL_MS = 1500;
const POLL_LIMIT_MS = 3 * 60_000;

interface StatusResponse {
  office: OfficeView;
  submissions: SubmissionView[];
  /** Tables 二/三/四 as read from the latest submission (null when not read). */
  tables?: ReadTables | null;
}

const state: { token: string; year: number; officeId: string; status: StatusResponse | null; shown: string | null; polling: boolean } = {
  token: '',
  year: 0,
  officeId: '',
  status: null,
  shown: null,
  polling: false,
};

const base = () => `/cycles/${state.year}/offices/${encodeURIComponent(state.officeId)}`;

async function signIn(token: string): Promise<void> {
  const msg = $('signin-msg');
  say(msg, '正在登录…');
  try {
    const me = await api<{ role: string; year?: number; officeId?: string }>('GET', '/me', token);
    const q = new URLSearchParams(location.search);
    if (me.role === 'office' && me.year && me.officeId) {
      state.year = me.year;
      state.officeId = me.officeId;
    } else if (me.role === 'coordinator' && /^\d{4}$/.test(q.get('year') ?? '') && q.get('office')) {
      // A coordinator may open an office's page (e.g. to upload for it) from the dashboard.
      state.year = Number(q.get('year'));
      state.officeId = q.get('office')!;
    } else {
      say(msg, '这是管理员令牌，请前往政务公开办工作台（/dashboard/）。', 'error');
      return;
    }
    state.token = token;
    // Only an office's sign-in is remembered; a coordinator opening an office's page stays per tab.
    storeToken(TOKEN_KEY, token, me.role === 'office');
    say(msg, '');
    show($('signin'), false);
    show($('office'), true);
    show($('signout'), true);
    await refresh();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) storeToken(TOKEN_KEY, null);
    say(msg, e instanceof ApiError && e.status === 401 ? '登录链接或访问令牌不正确或已失效，请联系政务公开办重新发送邀请。' : (e as Error).message, 'error');
  }
}

async function refresh(): Promise<StatusResponse> {
  const status = await api<StatusResponse>('GET', base(), state.token);
  state.status = status;
  renderSummary(status.office);
  renderHistory(status.submissions);
  const current = status.submissions.find((s) => s.id === state.shown) ?? status.submissions.find((s) => s.current) ?? status.submissions[0];
  renderSubmission(current ?? null);
  return status;
}

function renderSummary(o: OfficeView): void {
  const done = o.status === 'ACCEPTED' || o.status === 'PUBLISHED';
  const until = deadlineText(o.deadline, done);
  const card = $('summary');
  clear(card);
  add(
    card,
    h('p', { class: 'eyebrow', text: `${o.year}年度政府信息公开工作年度报告` }),
    h('h1', { text: o.name }),
    h(
      'dl',
      { class: 'facts' },
      h('dt', { text: '状态' }),
      h('dd', null, statusBadge(o.status, o.statusLabel), o.overdue ? h('span', { class: 'badge overdue', text: '已逾期' }) : null),
      h('dt', { text: '截止时间' }),
      h('dd', null, `${beijing(o.deadline)}（北京时间）`, until ? h('span', { class: o.overdue ? 'until overdue-text' : 'until', text: `　${until}` }) : null),
      h('dt', { text: '单位编号' }),
      h('dd', { text: o.officeId }),
    ),
    o.status === 'RETURNED' && o.note ? h('div', { class: 'notice notice-error' }, h('strong', { text: '政务公开办退回说明：' }), o.note) : null,
    h('p', { class: 'hint', text: nextStep(o) }),
  );
}

function nextStep(o: OfficeView): string {
  switch (o.status) {
    case 'NOT_SUBMITTED':
      return '请在截止时间前上传本单位的年度报告。上传后系统立即校验，结果会显示在本页并发送到本单位邮箱。';
    case 'RECEIVED':
      return '报告已收到，正在校验，请稍候。';
    case 'REJECTED':
      return '最近一次提交未通过校验。请按下列问题逐项修改后重新上传。';
    case 'RETURNED':
      return '报告已被政务公开办退回，请按退回说明修改后重新上传。';
    case 'ACCEPTED':
      return '报告已通过校验，等待政务公开办审核公开。公开前如需更正，可以重新上传。';
    case 'PUBLISHED':
      return '报告已公开。如需更正，可以重新上传，更正版本通过后作为新版本公开。';
    default:
      return '';
  }
}

function renderSubmission(s: SubmissionView | null): void {
  const card = $('verdict-card');
  clear(card);
  show(card, !!s);
  if (!s) return;
  state.shown = s.id;
  const { errors, warnings } = findingCounts(s.findings);
  const verdict = s.verdict === 'accepted' ? '通过' : s.verdict === 'rejected' ? '未通过' : '校验中';
  const receipt = h('button', { class: 'secondary', text: '下载回执', attrs: { type: 'button', id: 'receipt' } });
  receipt.addEventListener('click', () => {
    receipt.disabled = true;
    download(`${base()}/submissions/${encodeURIComponent(s.id)}/receipt`, state.token, `回执-${s.id}.html`)
      .catch((e) => say($('upload-msg'), (e as Error).message, 'error'))
      .finally(() => (receipt.disabled = false));
  });
  add(
    card,
    h(
      'div',
      { class: `verdict verdict-${s.verdict ?? 'pending'}`, attrs: { id: 'verdict', 'data-verdict': s.verdict ?? 'pending' } },
      h('span', { class: 'verdict-label', text: `校验结果：${verdict}` }),
      s.verdict ? h('span', { class: 'verdict-counts', text: `${errors} 项错误，${warnings} 项提示` }) : null,
    ),
    h(
      'dl',
      { class: 'facts' },
      h('dt', { text: '提交编号' }),
      h('dd', null, h('code', { text: s.id })),
      h('dt', { text: '文件' }),
      h('dd', { text: `${s.fileName}（${fileSize(s.size)}）` }),
      h('dt', { text: '收到时间' }),
      h('dd', null, `${beijing(s.receivedAt, true)}（北京时间）`, s.late ? h('span', { class: 'badge overdue', text: '逾期提交' }) : h('span', { class: 'badge ontime', text: '按时' })),
      h('dt', { text: 'SHA-256' }),
      h('dd', null, h('code', { class: 'hash', text: s.sha256 ?? '—' })),
      s.formatVersion ? h('dt', { text: '表格格式' }) : null,
      s.formatVersion ? h('dd', { text: `${s.formatVersion}年版` }) : null,
    ),
    s.supersededBy ? h('p', { class: 'notice notice-info', text: `此后已有更新的提交（${s.supersededBy}），以更新的提交为准。` }) : null,
    s.verdict ? h('div', { class: 'actions' }, receipt) : null,
    s.verdict ? h('h3', { text: s.findings.length ? `校验发现的问题（共 ${s.findings.length} 项）` : '校验未发现问题' }) : null,
    s.verdict && s.findings.length ? renderFindings(s.findings, explanationOptions({ token: state.token, refresh: async () => void (await refresh()), say: (m, kind) => say($('upload-msg'), m, kind) }, state, s)) : null,
    readTables(s),
  );
}

/** 系统读取的表格: how the system read tables 二/三/四 of this submission (the API sends the latest one's). */
function readTables(s: SubmissionView): HTMLElement | null {
  const tables = state.status?.tables;
  if (!s.verdict || !tables || tables.submissionId !== s.id) return null;
  return h(
    'details',
    { class: 'read-tables', attrs: { id: 'read-tables' } },
    h('summary', { text: '系统读取的表格' }),
    h('p', { class: 'hint', text: '系统从本次提交中读出的表二、表三、表四，按全国统一格式逐行逐列列出。如与原文不一致，请检查原文该处的写法（如合并单元格、多余文字）后重新上传。' }),
    renderTables(tables),
  );
}

function renderHistory(subs: SubmissionView[]): void {
  const card = $('history-card');
  const body = $('history');
  clear(body);
  show(card, subs.length > 0);
  for (const s of subs) {
    const { errors, warnings } = findingCounts(s.findings);
    const view = h('button', { class: 'link', text: s.id === state.shown ? '正在查看' : '查看', attrs: { type: 'button' } });
    view.addEventListener('click', () => {
      renderSubmission(s);
      renderHistory(subs);
      $('verdict-card').scrollIntoView({ behavior: 'smooth', block: 'start' });
    });
    body.append(
      h(
        'tr',
        { class: s.current ? 'current' : '' },
        h('td', { attrs: { 'data-label': '收到时间' } }, beijing(s.receivedAt, true), s.late ? h('span', { class: 'badge overdue', text: '逾期' }) : null),
        h('td', { attrs: { 'data-label': '文件' }, text: s.fileName }),
        h('td', { attrs: { 'data-label': '结果' } }, s.verdict === 'accepted' ? '通过' : s.verdict === 'rejected' ? '未通过' : '校验中', s.current ? h('span', { class: 'badge', text: '当前' }) : null),
        h('td', { attrs: { 'data-label': '问题' }, text: s.verdict ? `${errors} 错误 / ${warnings} 提示` : '' }),
        h('td', null, view),
      ),
    );
  }
}

/** The presigned POST: every field of the ticket, then the file (S3 ignores fields after the file). */
async function postToS3(ticket: { url: string; fields: Record<string, string> }, file: File): Promise<void> {
  const form = new FormData();
  for (const [k, v] of Object.entries(ticket.fields)) form.append(k, v);
  form.append('file', file, file.name);
  let res: Response;
  try {
    res = await fetch(ticket.url, { method: 'POST', body: form });
  } catch {
    throw new Error('文件上传失败：无法连接存储服务，请检查网络后重试');
  }
  if (res.ok) return;
  const xml = await res.text();
  const code = /<Code>([^<]+)<\/Code>/.exec(xml)?.[1] ?? '';
  const messages: Record<string, string> = {
    EntityTooLarge: '文件过大（上限 20 MB）',
    EntityTooSmall: '文件为空',
    AccessDenied: '上传授权已过期或无效，请重新上传',
    ExpiredToken: '上传授权已过期，请重新上传',
  };
  throw new Error(`文件上传失败：${messages[code] ?? `存储服务返回错误（HTTP ${res.status}${code ? `，${code}` : ''}）`}`);
}

async function upload(file: File): Promise<void> {
  const msg = $('upload-msg');
  const ext = (/\.[^.]+$/.exec(file.name)?.[0] ?? '').toLowerCase();
  if (!TYPES.includes(ext)) return say(msg, `不支持的文件类型“${ext || '无扩展名'}”。请上传 Word（.docx）、PDF、网页（.html）、纯文本（.txt）或 JSON 格式的报告。`, 'error');
  if (file.size === 0) return say(msg, '文件为空，请选择报告文件。', 'error');
  if (file.size > MAX_BYTES) return say(msg, `文件过大（${fileSize(file.size)}），上限 20 MB。`, 'error');
  const button = $('upload-button') as HTMLButtonElement;
  button.disabled = true;
  try {
    const known = new Set((state.status?.submissions ?? []).map((s) => s.id));
    say(msg, '正在上传…');
    const ticket = await api<{ url: string; fields: Record<string, string> }>('POST', `${base()}/uploads`, state.token, { fileName: file.name });
    await postToS3(ticket, file);
    say(msg, '已上传，正在校验…');
    await waitForVerdict(known);
  } catch (e) {
    say(msg, (e as Error).message, 'error');
  } finally {
    button.disabled = false;
  }
}

/** Polls the status until the new submission has its verdict (the e-mail receipt goes out at the same time). */
async function waitForVerdict(known: Set<string>): Promise<void> {
  const msg = $('upload-msg');
  const started = Date.now();
  state.polling = true;
  try {
    while (Date.now() - started < POLL_LIMIT_MS) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      const status = await api<StatusResponse>('GET', base(), state.token);
      const fresh = status.submissions.find((s) => !known.has(s.id));
      if (fresh) state.shown = fresh.id;
      state.status = status;
      renderSummary(status.office);
      renderHistory(status.submissions);
      if (fresh) renderSubmission(fresh);
      if (fresh?.verdict) {
        const { errors } = findingCounts(fresh.findings);
        say(
          msg,
          fresh.verdict === 'accepted' ? '校验完成：报告通过。回执已发送到本单位邮箱，也可在下方下载。' : `校验完成：报告未通过（${errors} 项错误）。请按下列问题修改后重新上传。`,
          fresh.verdict === 'accepted' ? 'ok' : 'error',
        );
        $('verdict-card').scrollIntoView({ behavior: 'smooth', block: 'start' });
        return;
      }
      say(msg, fresh ? '已收到，正在校验…' : '已上传，等待系统收到文件…');
    }
    say(msg, '校验仍在进行。结果会发送到本单位邮箱，也可以稍后刷新本页查看。', 'info');
  } finally {
    state.polling = false;
  }
}

async function main(): Promise<void> {
  await loadConfig();
  $('signin-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const token = ($('token') as HTMLInputElement).value.trim();
    if (token) void signIn(token);
  });
  $('signout').addEventListener('click', () => {
    storeToken(TOKEN_KEY, null);
    location.reload();
  });
  $('upload-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const file = ($('file') as HTMLInputElement).files?.[0];
    if (!file) return say($('upload-msg'), '请先选择报告文件。', 'error');
    void upload(file);
  });
  $('refresh').addEventListener('click', () => {
    refresh().catch((e) => say($('upload-msg'), (e as Error).message, 'error'));
  });
  const token = takeTokenFromHash() ?? storedToken(TOKEN_KEY, true);
  if (token) await signIn(token);
}

void main();
