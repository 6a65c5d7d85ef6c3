/**
 * The coordinators' dashboard: every office of a cycle with status, deadline, last submission and finding
 * counts; filters by status, group, overdue and text; an office's findings and history (audit trail);
 * actions: send a reminder now, publish accepted reports (one or all), return a report with a note.
 */
import type { AuditEvent, Cycle } from '../../shared/cycle/model';
import type { DashboardOffice, DashboardView } from '../../shared/cycle/pages';
import type { OfficeView, SubmissionView } from '../../shared/cycle/service';
import {
  $,
  add,
  ApiError,
  STATUS_LABELS,
  api,
  beijing,
  clear,
  deadlineText,
  download,
  fileSize,
  findingCounts,
  h,
  loadConfig,
  say,
  show,
  statusBadge,
  storeToken,
  storedToken,
  takeTokenFromHash,
} from './common';
import { REMINDABLE, STATUS_ORDER, type Board } from './board';
import { initOfficesImport } from './offices-import';
import { initRoster, inviteButton, invitationCells, pickCell, sortRows, syncSelection } from './roster';
import { initSetup, openCycleForm } from './setup';
import { REVIEW_ACTION_LABELS, confirmPublish, reviewFindings, reviewTools, type ReviewContext } from './review';
import type { ReadTables } from '../../shared/cycle/pages';

const TOKEN_KEY = 'nianbao.coordinator-token';

const ACTION_LABELS: Record<string, string> = {
  received: '收到提交',
  accepted: '校验通过',
  rejected: '校验未通过',
  published: '公开',
  published_amendment: '公开更正版本',
  returned: '退回修改',
  token_issued: '签发访问令牌',
  reminder: '发送提醒',
  overdue_notice: '发送逾期通知',
  reminder_manual: '政务公开办手动提醒',
  invited: '发送邀请',
  invitation_failed: '邀请发送失败',
  reminder_undeliverable: '提醒无法送达',
  mail_bounced: '邮件退信',
  mail_complaint: '邮件投诉',
  mail_delayed: '邮件延迟',
  mail_rejected: '邮件被拒',
  ...REVIEW_ACTION_LABELS,
};

interface OfficeDetail {
  office: OfficeView;
  submissions: SubmissionView[];
  audit?: AuditEvent[];
  tables?: ReadTables | null;
}

const state: {
  token: string;
  year: number | null;
  cycles: Cycle[];
  view: DashboardView | null;
  selected: string | null;
  shownSubmission: string | null;
} = { token: '', year: null, cycles: [], view: null, selected: null, shownSubmission: null };

const msg = () => $('board-msg');
const reviewContext = (): ReviewContext => ({ token: state.token, refresh: refreshAll, say: (m, kind) => say(msg(), m, kind) });

function groupName(id: string): string {
  return state.view?.cycle.groups.find((g) => g.id === id)?.name ?? id;
}

async function signIn(token: string): Promise<void> {
  const m = $('signin-msg');
  say(m, '正在登录…');
  try {
    const me = await api<{ role: string }>('GET', '/me', token);
    if (me.role !== 'coordinator') {
      say(m, '这是单位的访问令牌，请前往单位报送页面（/upload/）。', 'error');
      return;
    }
    state.token = token;
    storeToken(TOKEN_KEY, token);
    say(m, '');
    show($('signin'), false);
    show($('signout'), true);
    const q = new URLSearchParams(location.search);
    await loadCycles(Number(q.get('year')));
    const office = q.get('office');
    if (office && state.view?.offices.some((o) => o.officeId === office)) await openDetail(office);
  } catch (e) {
    storeToken(TOKEN_KEY, null);
    say(m, e instanceof ApiError && e.status === 401 ? '访问令牌不正确或已失效。' : (e as Error).message, 'error');
  }
}

/** The cycles, then the one wanted (else the newest); with no cycle yet, the form that creates one. */
async function loadCycles(wanted: number | null): Promise<void> {
  const { cycles } = await api<{ cycles: Cycle[] }>('GET', '/cycles', state.token);
  state.cycles = cycles;
  const select = $('year') as HTMLSelectElement;
  clear(select);
  for (const c of cycles) select.append(h('option', { text: `${c.year}年度`, attrs: { value: String(c.year) } }));
  show($('board'), cycles.length > 0);
  if (!cycles.length) return openCycleForm(null, null);
  state.year = cycles.some((c) => c.year === wanted) ? wanted : cycles[0].year;
  select.value = String(state.year);
  history.replaceState(null, '', `?year=${state.year}`);
  await load();
}

async function load(): Promise<void> {
  if (state.year === null) return;
  const view = await api<DashboardView>('GET', `/cycles/${state.year}/dashboard`, state.token);
  state.view = view;
  renderHeader(view);
  renderCounts(view);
  renderGroupFilter(view);
  renderTable();
}

function renderHeader(view: DashboardView): void {
  $('cycle-title').textContent = `${view.cycle.year}年度报送进度`;
  const groups = view.cycle.groups.map((g) => `${g.name}截止 ${beijing(g.deadline)}`).join('；');
  $('cycle-facts').textContent = `${groups}（北京时间）。共 ${view.offices.length} 家单位${view.cycle.autoPublish ? '，通过后自动公开' : ''}。`;
}

function renderCounts(view: DashboardView): void {
  const box = $('counts');
  clear(box);
  const current = ($('filter-status') as HTMLSelectElement).value;
  const overdue = view.offices.filter((o) => o.overdue).length;
  const button = (value: string, label: string, n: number) => {
    const b = h('button', { class: current === value ? 'active' : '', attrs: { type: 'button', 'data-status': value } }, h('strong', { text: String(n) }), label);
    b.addEventListener('click', () => {
      ($('filter-status') as HTMLSelectElement).value = current === value ? '' : value;
      renderCounts(view);
      renderTable();
    });
    return b;
  };
  box.append(button('', '全部', view.offices.length));
  for (const s of STATUS_ORDER) box.append(button(s, STATUS_LABELS[s], view.counts[s as keyof typeof view.counts] ?? 0));
  const od = h('button', { class: ($('filter-overdue') as HTMLInputElement).checked ? 'active' : '', attrs: { type: 'button' } }, h('strong', { text: String(overdue) }), '已逾期');
  od.addEventListener('click', () => {
    const cb = $('filter-overdue') as HTMLInputElement;
    cb.checked = !cb.checked;
    renderCounts(view);
    renderTable();
  });
  box.append(od);
}

function renderGroupFilter(view: DashboardView): void {
  const select = $('filter-group') as HTMLSelectElement;
  const value = select.value;
  clear(select);
  select.append(h('option', { text: '全部', attrs: { value: '' } }));
  for (const g of view.cycle.groups) select.append(h('option', { text: g.name, attrs: { value: g.id } }));
  select.value = view.cycle.groups.some((g) => g.id === value) ? value : '';
}

function filtered(): DashboardOffice[] {
  const status = ($('filter-status') as HTMLSelectElement).value;
  const group = ($('filter-group') as HTMLSelectElement).value;
  const overdue = ($('filter-overdue') as HTMLInputElement).checked;
  const text = ($('filter-text') as HTMLInputElement).value.trim().toLowerCase();
  return (state.view?.offices ?? []).filter(
    (o) =>
      (!status || o.status === status) &&
      (!group || o.group === group) &&
      (!overdue || o.overdue) &&
      (!text || o.name.toLowerCase().includes(text) || o.officeId.includes(text)),
  );
}

function actionButtons(o: Pick<OfficeView, 'officeId' | 'name' | 'status'>, small = true): HTMLElement[] {
  const cls = small ? ' small' : '';
  const out: HTMLElement[] = [];
  if (REMINDABLE.has(o.status)) {
    const b = h('button', { class: `secondary${cls}`, text: '发送提醒', attrs: { type: 'button', 'data-action': 'remind', 'data-office': o.officeId } });
    b.addEventListener('click', () => void remind(o, b));
    out.push(b);
  }
  if (o.status === 'ACCEPTED') {
    const p = h('button', { class: cls.trim(), text: '公开', attrs: { type: 'button', 'data-action': 'publish', 'data-office': o.officeId } });
    p.addEventListener('click', () => void publish([o], p));
    const r = h('button', { class: `danger${cls}`, text: '退回', attrs: { type: 'button', 'data-action': 'return', 'data-office': o.officeId } });
    r.addEventListener('click', () => openReturn(o));
    out.push(p, r);
  }
  return out;
}

function renderTable(): void {
  const body = $('offices');
  clear(body);
  const rows = sortRows(filtered());
  show($('empty'), rows.length === 0);
  const accepted = (state.view?.offices ?? []).filter((o) => o.status === 'ACCEPTED');
  const all = $('publish-all') as HTMLButtonElement;
  all.textContent = `公开全部已通过（${accepted.length}）`;
  all.disabled = accepted.length === 0;
  for (const o of rows) {
    const last = o.lastSubmission;
    const done = o.status === 'ACCEPTED' || o.status === 'PUBLISHED';
    const name = h('button', { class: 'link', text: o.name, attrs: { type: 'button' } });
    name.addEventListener('click', () => void openDetail(o.officeId));
    body.append(
      h(
        'tr',
        { class: o.officeId === state.selected ? 'selected' : '', attrs: { 'data-office': o.officeId } },
        pickCell(o),
        h('td', { attrs: { 'data-label': '单位' } }, name, h('span', { class: 'sub', text: o.officeId }), o.undeliverable.length ? h('span', { class: 'badge undeliverable', text: '邮箱无法送达' }) : null),
        h('td', { attrs: { 'data-label': '分组' }, text: groupName(o.group) }),
        h('td', { attrs: { 'data-label': '状态' } }, statusBadge(o.status, o.statusLabel), o.overdue ? h('span', { class: 'badge overdue', text: '逾期' }) : null),
        h('td', { attrs: { 'data-label': '截止' } }, beijing(o.deadline), h('span', { class: 'sub', text: deadlineText(o.deadline, done) })),
        h(
          'td',
          { attrs: { 'data-label': '最近提交' } },
          last ? beijing(last.receivedAt) : '—',
          last?.late ? h('span', { class: 'badge overdue', text: '逾期提交' }) : null,
          last ? h('span', { class: 'sub', text: last.fileName }) : null,
        ),
        h('td', { attrs: { 'data-label': '问题' } }, last?.verdict ? `${last.errors} 错误 / ${last.warnings} 提示` : last ? '校验中' : '—'),
        ...invitationCells(o),
        h('td', { attrs: { 'data-label': '操作' } }, h('div', { class: 'row-actions' }, ...actionButtons(o), inviteButton(o))),
      ),
    );
  }
  syncSelection();
}

async function openDetail(officeId: string, keepSubmission = false): Promise<void> {
  if (state.year === null) return;
  if (state.selected !== officeId || !keepSubmission) state.shownSubmission = null;
  state.selected = officeId;
  renderTable();
  const card = $('detail');
  try {
    const d = await api<OfficeDetail>('GET', `/cycles/${state.year}/offices/${encodeURIComponent(officeId)}`, state.token);
    renderDetail(d);
    show(card, true);
    card.scrollIntoView({ behavior: 'smooth', block: 'start' });
  } catch (e) {
    say(msg(), (e as Error).message, 'error');
  }
}

function renderDetail(d: OfficeDetail): void {
  const card = $('detail');
  clear(card);
  const o = d.office;
  const listed = state.view?.offices.find((x) => x.officeId === o.officeId);
  const dead = new Set(listed?.undeliverable ?? []);
  const close = h('button', { class: 'ghost small', text: '关闭', attrs: { type: 'button' } });
  close.addEventListener('click', () => {
    state.selected = null;
    show(card, false);
    renderTable();
  });
  const sub = d.submissions.find((s) => s.id === state.shownSubmission) ?? d.submissions.find((s) => s.current) ?? d.submissions[0] ?? null;
  add(
    card,
    h('div', { class: 'card-head' }, h('h2', { text: o.name }), close),
    h(
      'dl',
      { class: 'facts' },
      h('dt', { text: '状态' }),
      h('dd', null, statusBadge(o.status, o.statusLabel), o.overdue ? h('span', { class: 'badge overdue', text: '已逾期' }) : null),
      h('dt', { text: '分组 / 截止' }),
      h('dd', { text: `${groupName(o.group)}；${beijing(o.deadline)}（北京时间）` }),
      h('dt', { text: '联系邮箱' }),
      h('dd', null, ...o.emails.map((e, i) => h('span', null, i ? '、' : '', e, dead.has(e.toLowerCase()) ? h('span', { class: 'badge undeliverable', text: '无法送达' }) : null))),
      h('dt', { text: '邀请与登录' }),
      h('dd', { text: o.invitedAt ? `${beijing(o.invitedAt)} 已邀请；${o.signedInAt ? `${beijing(o.signedInAt)} 首次登录` : '尚未登录'}` : o.hasToken ? '已签发访问令牌，未发送邀请' : '未邀请（在单位列表中点击“邀请”）' }),
      o.note ? h('dt', { text: '退回说明' }) : null,
      o.note ? h('dd', { text: o.note }) : null,
    ),
    h('div', { class: 'actions' }, ...actionButtons(o, false), inviteButton(o)),
  );

  add(card, h('h3', { text: `提交记录（${d.submissions.length}）` }));
  if (!d.submissions.length) add(card, h('p', { class: 'muted', text: '尚无提交。' }));
  else {
    const rows = d.submissions.map((s) => {
      const { errors, warnings } = findingCounts(s.findings);
      const view = h('button', { class: 'link', text: s.id === sub?.id ? '正在查看' : '查看问题', attrs: { type: 'button' } });
      view.addEventListener('click', () => {
        state.shownSubmission = s.id;
        renderDetail(d);
      });
      return h(
        'tr',
        { class: s.id === sub?.id ? 'selected' : '' },
        h('td', { attrs: { 'data-label': '收到时间' } }, beijing(s.receivedAt, true), s.late ? h('span', { class: 'badge overdue', text: '逾期' }) : null),
        h('td', { attrs: { 'data-label': '提交编号' } }, h('code', { text: s.id }), s.current ? h('span', { class: 'badge', text: '当前' }) : null),
        h('td', { attrs: { 'data-label': '文件' }, text: `${s.fileName}（${fileSize(s.size)}）` }),
        h('td', { attrs: { 'data-label': '结果' }, text: s.verdict ? `${s.verdict === 'accepted' ? '通过' : '未通过'}：${errors} 错误 / ${warnings} 提示` : '校验中' }),
        h('td', null, view),
      );
    });
    add(
    card,
      h(
        'div',
        { class: 'table-scroll' },
        h('table', { class: 'list' }, h('thead', null, h('tr', null, ...['收到时间（北京时间）', '提交编号', '文件', '结果', ''].map((t) => h('th', { text: t })))), h('tbody', null, ...rows)),
      ),
    );
  }
  if (sub?.verdict) {
    const receipt = h('button', { class: 'secondary small', text: '下载回执', attrs: { type: 'button' } });
    receipt.addEventListener('click', () => {
      download(`/cycles/${o.year}/offices/${encodeURIComponent(o.officeId)}/submissions/${encodeURIComponent(sub.id)}/receipt`, state.token, `回执-${sub.id}.html`).catch((e) =>
        say(msg(), (e as Error).message, 'error'),
      );
    });
    add(
    card,
      h('div', { class: 'card-head' }, h('h3', { text: `提交 ${sub.id} 的校验问题（${sub.findings.length}）` }), receipt),
      reviewFindings(reviewContext(), o, sub),
    );
  }
  add(card, ...reviewTools(reviewContext(), o, sub, d.tables));

  const audit = [...(d.audit ?? [])].sort((a, b) => b.at.localeCompare(a.at));
  add(card, h('h3', { text: `办理记录（${audit.length}）` }));
  add(
    card,
    h(
      'div',
      { class: 'table-scroll' },
      h(
        'table',
        { class: 'list audit' },
        h('thead', null, h('tr', null, ...['时间（北京时间）', '操作人', '事项', '状态变化', '说明'].map((t) => h('th', { text: t })))),
        h(
          'tbody',
          null,
          ...audit.map((a) =>
            h(
              'tr',
              null,
              h('td', { attrs: { 'data-label': '时间' }, text: beijing(a.at, true) }),
              h('td', { attrs: { 'data-label': '操作人' }, text: actorLabel(a.actor) }),
              h('td', { attrs: { 'data-label': '事项' }, text: ACTION_LABELS[a.action] ?? a.action }),
              h('td', { attrs: { 'data-label': '状态变化' }, text: a.from || a.to ? `${a.from ? STATUS_LABELS[a.from] : '—'} → ${a.to ? STATUS_LABELS[a.to] : '—'}` : '' }),
              h('td', { attrs: { 'data-label': '说明' }, text: [a.detail, a.submissionId ? `提交 ${a.submissionId}` : '', a.sha256 ? `SHA-256 ${a.sha256.slice(0, 12)}…` : ''].filter(Boolean).join('；') }),
            ),
          ),
        ),
      ),
    ),
  );
}

function actorLabel(actor: string): string {
  if (actor === 'coordinator') return '政务公开办';
  if (actor === 'system') return '系统';
  if (actor.startsWith('office:')) return '单位';
  return actor;
}

async function remind(o: Pick<OfficeView, 'officeId' | 'name'>, button: HTMLButtonElement): Promise<void> {
  button.disabled = true;
  try {
    const r = await api<{ to: string[] }>('POST', `/cycles/${state.year}/offices/${encodeURIComponent(o.officeId)}/remind`, state.token, {});
    await refreshAll();
    say(msg(), `已向${o.name}发送提醒（${r.to.join('、')}）。`, 'ok');
  } catch (e) {
    say(msg(), (e as Error).message, 'error');
  } finally {
    button.disabled = false;
  }
}

async function publish(offices: Pick<OfficeView, 'officeId' | 'name'>[], button?: HTMLButtonElement): Promise<void> {
  if (!(await confirmPublish(offices))) return;
  if (button) button.disabled = true;
  const done: string[] = [];
  const failed: string[] = [];
  for (const o of offices) {
    try {
      await api('POST', `/cycles/${state.year}/offices/${encodeURIComponent(o.officeId)}/publish`, state.token, {});
      done.push(o.name);
    } catch (e) {
      failed.push(`${o.name}：${(e as Error).message}`);
    }
  }
  if (button) button.disabled = false;
  await refreshAll().catch(() => undefined);
  say(msg(), [done.length ? `已公开：${done.join('、')}。` : '', failed.length ? `未能公开：${failed.join('；')}` : ''].join(' ').trim(), failed.length ? 'error' : 'ok');
}

let returning: Pick<OfficeView, 'officeId' | 'name'> | null = null;

function openReturn(o: Pick<OfficeView, 'officeId' | 'name'>): void {
  returning = o;
  $('return-office').textContent = `${o.name}（${o.officeId}）：退回后该单位会收到邮件，需要修改后重新上传。`;
  ($('return-note') as HTMLTextAreaElement).value = '';
  ($('return-dialog') as HTMLDialogElement).showModal();
}

async function confirmReturn(): Promise<void> {
  const o = returning;
  const note = ($('return-note') as HTMLTextAreaElement).value.trim();
  if (!o) return;
  if (!note) {
    say(msg(), '请填写退回说明。', 'error');
    return;
  }
  try {
    await api('POST', `/cycles/${state.year}/offices/${encodeURIComponent(o.officeId)}/return`, state.token, { note });
    await refreshAll();
    say(msg(), `已退回${o.name}的报告。`, 'ok');
  } catch (e) {
    say(msg(), (e as Error).message, 'error');
  }
}

// ---- the 本级 report (GET /cycles/{year}/aggregate) ----

interface AggregateSummary {
  included: Array<{ office: string }>;
  missing: Array<{ office: string; message: string }>;
  excluded: Array<{ office: string; message: string }>;
  late: Array<{ office: string }>;
  incomplete: Array<{ message: string }>;
}

function aggregatePath(format: string): string {
  const q = new URLSearchParams({ format });
  const name = ($('agg-name') as HTMLInputElement).value.trim();
  if (name) q.set('name', name);
  if (($('agg-accepted') as HTMLInputElement).checked) q.set('includeAccepted', '1');
  return `/cycles/${state.year}/aggregate?${q.toString()}`;
}

async function previewAggregate(button: HTMLButtonElement): Promise<void> {
  if (state.year === null) return;
  button.disabled = true;
  try {
    const r = await api<AggregateSummary>('GET', aggregatePath('json'), state.token);
    const list = $('agg-summary');
    clear(list);
    say($('agg-msg'), `纳入汇总 ${r.included.length} 个单位，未计入 ${r.missing.length} 个，未重复相加 ${r.excluded.length} 个，留空的合计 ${r.incomplete.length} 项。`, r.missing.length || r.incomplete.length ? 'info' : 'ok');
    for (const line of [...r.missing.map((m) => m.message), ...r.excluded.map((e) => e.message), ...r.incomplete.map((c) => c.message)]) list.append(h('li', { text: line }));
  } catch (e) {
    say($('agg-msg'), (e as Error).message, 'error');
  } finally {
    button.disabled = false;
  }
}

async function downloadAggregate(button: HTMLButtonElement): Promise<void> {
  if (state.year === null) return;
  const format = button.dataset.format ?? 'docx';
  button.disabled = true;
  say($('agg-msg'), '正在生成……');
  try {
    await download(aggregatePath(format), state.token, `aggregate-${state.year}.${format}`);
    say($('agg-msg'), '已下载。', 'ok');
  } catch (e) {
    say($('agg-msg'), (e as Error).message, 'error');
  } finally {
    button.disabled = false;
  }
}

async function publishAggregate(button: HTMLButtonElement): Promise<void> {
  if (state.year === null) return;
  if (!confirm(`把${state.year}年度本级汇总报告（PDF、Word、JSON）发布到公开页面？每次发布是一个新版本，旧版本保留。`)) return;
  button.disabled = true;
  try {
    const name = ($('agg-name') as HTMLInputElement).value.trim();
    const r = await api<{ message: string }>('POST', `/cycles/${state.year}/aggregate/publish`, state.token, {
      includeAccepted: ($('agg-accepted') as HTMLInputElement).checked,
      ...(name ? { name } : {}),
    });
    say($('agg-msg'), r.message, 'ok');
  } catch (e) {
    say($('agg-msg'), (e as Error).message, 'error');
  } finally {
    button.disabled = false;
  }
}

async function refreshAll(): Promise<void> {
  await load();
  if (state.selected) await openDetail(state.selected, true);
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
  const statusSelect = $('filter-status') as HTMLSelectElement;
  for (const s of STATUS_ORDER) statusSelect.append(h('option', { text: STATUS_LABELS[s], attrs: { value: s } }));
  for (const id of ['filter-status', 'filter-group', 'filter-overdue']) {
    $(id).addEventListener('change', () => {
      if (state.view) renderCounts(state.view);
      renderTable();
    });
  }
  $('filter-text').addEventListener('input', () => renderTable());
  $('year').addEventListener('change', () => {
    state.year = Number(($('year') as HTMLSelectElement).value);
    state.selected = null;
    show($('detail'), false);
    history.replaceState(null, '', `?year=${state.year}`);
    load().catch((e) => say(msg(), (e as Error).message, 'error'));
  });
  $('refresh').addEventListener('click', () => void refreshAll().catch((e) => say(msg(), (e as Error).message, 'error')));
  $('publish-all').addEventListener('click', () => {
    const accepted = (state.view?.offices ?? []).filter((o) => o.status === 'ACCEPTED');
    if (accepted.length) void publish(accepted, $('publish-all') as HTMLButtonElement);
  });
  $('return-form').addEventListener('submit', (e) => {
    const submitter = (e as SubmitEvent).submitter as HTMLButtonElement | null;
    if (submitter?.value === 'confirm') void confirmReturn();
  });
  const board: Board = {
    get token() {
      return state.token;
    },
    get year() {
      return state.year;
    },
    get view() {
      return state.view;
    },
    refresh: refreshAll,
    say: (message, kind) => say(msg(), message, kind),
  };
  initSetup(() => state.token, (year) => loadCycles(year), () => show($('board'), state.cycles.length > 0));
  initOfficesImport(board);
  initRoster(board, renderTable, (offices) => publish(offices));
  $('cycle-settings').addEventListener('click', () => {
    const cycle = state.view?.cycle ?? state.cycles.find((c) => c.year === state.year) ?? null;
    if (!cycle) return;
    show($('board'), false);
    openCycleForm(cycle, state.cycles[0]?.year ?? null);
  });
  $('cycle-new').addEventListener('click', () => {
    show($('board'), false);
    openCycleForm(null, state.cycles[0]?.year ?? null);
  });
  $('agg-publish').addEventListener('click', (e) => void publishAggregate(e.currentTarget as HTMLButtonElement));
  $('agg-preview').addEventListener('click', (e) => void previewAggregate(e.currentTarget as HTMLButtonElement));
  document.querySelectorAll<HTMLButtonElement>('.agg-download').forEach((b) => b.addEventListener('click', () => void downloadAggregate(b)));
  $('return-cancel').addEventListener('click', () => ($('return-dialog') as HTMLDialogElement).close());
  const token = takeTokenFromHash() ?? storedToken(TOKEN_KEY);
  if (token) await signIn(token);
}

void main();
