/**
 * Shared by the office page and the dashboard: the API client (Bearer token, Chinese errors), a tiny DOM
 * builder that only ever sets text (never innerHTML with data), Beijing-time formatting and the findings
 * laid out by section with their exact cells.
 */
import type { Finding } from '../../shared/report/model';
import { CATALOG, type RuleId } from '../../shared/report/rules/catalog';
import { STATUS_LABELS as OFFICE_STATUS_LABELS } from '../../shared/common/status';
import { locationText } from '../../shared/common/location';
import { judgedFindings, judgementText, type FindingJudgement, type Judged } from '../../shared/common/judged';
import { LEGEND, MARKS, tablesView, type TablesInput } from '../../shared/render/tables-view';

// ---- DOM ----

type Child = Node | string | number | null | undefined | false;
type Props = {
  class?: string;
  text?: string;
  title?: string;
  attrs?: Record<string, string>;
  on?: Partial<Record<keyof HTMLElementEventMap, (e: Event) => void>>;
};

/** An element with text children only: strings become text nodes, so data is never parsed as HTML. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props | null = null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props?.class) el.className = props.class;
  if (props?.text !== undefined) el.textContent = props.text;
  if (props?.title) el.title = props.title;
  for (const [k, v] of Object.entries(props?.attrs ?? {})) el.setAttribute(k, v);
  for (const [k, fn] of Object.entries(props?.on ?? {})) if (fn) el.addEventListener(k, fn);
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** Appends children, skipping null/false (for optional parts). */
export function add(parent: Element, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    parent.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function $(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} missing`);
  return el;
}

export function clear(el: Element): void {
  el.replaceChildren();
}

export function show(el: HTMLElement, visible: boolean): void {
  el.hidden = !visible;
}

/** A status line under a form: role=status for screen readers, colour by kind. */
export function say(el: HTMLElement, message: string, kind: 'info' | 'ok' | 'error' = 'info'): void {
  el.textContent = message;
  el.className = `notice notice-${kind}`;
  el.hidden = !message;
}

// ---- API ----

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

let apiBase = '';

/** The API is on the pages' own origin unless config.json (written next to the pages) names another. */
export async function loadConfig(): Promise<{ apiUrl: string; publicBaseUrl: string }> {
  let config = { apiUrl: '', publicBaseUrl: '/archive' };
  try {
    const res = await fetch('/config.json', { cache: 'no-store' });
    if (res.ok) {
      const c = (await res.json()) as Partial<typeof config>;
      config = { apiUrl: typeof c.apiUrl === 'string' ? c.apiUrl : '', publicBaseUrl: typeof c.publicBaseUrl === 'string' ? c.publicBaseUrl : '/archive' };
    }
  } catch {
    /* no config: same origin */
  }
  apiBase = config.apiUrl.replace(/\/+$/, '');
  return config;
}

export async function api<T = unknown>(method: string, path: string, token: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(apiBase + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, '无法连接服务器，请检查网络后重试');
  }
  const text = await res.text();
  let data: { error?: unknown } | null = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON */
  }
  if (!res.ok) {
    const message = (typeof data?.error === 'string' && data.error) || (res.status === 401 ? '访问令牌无效或已失效' : `服务器返回错误（HTTP ${res.status}）`);
    throw new ApiError(res.status, message);
  }
  return data as T;
}

/** Downloads an authenticated file (the receipt): fetch with the token, then save the blob. */
export async function download(path: string, token: string, fallbackName: string): Promise<void> {
  const res = await fetchFile(path, token);
  const disposition = res.headers.get('content-disposition') ?? '';
  const m = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  let name = fallbackName;
  if (m) {
    try {
      name = decodeURIComponent(m[1]);
    } catch {
      /* keep the fallback */
    }
  }
  const url = URL.createObjectURL(await res.blob());
  const a = h('a', { attrs: { href: url, download: name } });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A file from the API with the token in the header (never in the URL); an ApiError with the server's message. */
export async function fetchFile(path: string, token: string): Promise<Response> {
  const res = await fetch(apiBase + path, { headers: { authorization: `Bearer ${token}` }, cache: 'no-store' });
  if (res.ok) return res;
  let message = `下载失败（HTTP ${res.status}）`;
  try {
    message = ((await res.json()) as { error?: string }).error ?? message;
  } catch {
    /* keep */
  }
  throw new ApiError(res.status, message);
}

// ---- tokens (never in a URL sent to a server) ----
// The coordinator's token lives in the tab (sessionStorage); an office's sign-in is remembered by the browser
// (localStorage) until it signs out, so the link in its invitation is clicked once.

export function takeTokenFromHash(): string | null {
  const m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (!m) return null;
  history.replaceState(null, '', location.pathname + location.search);
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return null;
  }
}

const storage = (remember: boolean) => (remember ? localStorage : sessionStorage);

export function storedToken(key: string, remember = false): string | null {
  try {
    return storage(remember).getItem(key);
  } catch {
    return null;
  }
}

/** Stores the token, or with null forgets it everywhere (退出). */
export function storeToken(key: string, token: string | null, remember = false): void {
  try {
    if (token) storage(remember).setItem(key, token);
    else for (const s of [localStorage, sessionStorage]) s.removeItem(key);
  } catch {
    /* private mode: the token lives only in this page */
  }
}

// ---- time (Asia/Shanghai, whatever the browser's zone) ----

const OFFSET = 8 * 3600_000;
const pad = (n: number) => String(n).padStart(2, '0');

function parts(iso: string) {
  const d = new Date(Date.parse(iso) + OFFSET);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate(), hh: d.getUTCHours(), mm: d.getUTCMinutes(), ss: d.getUTCSeconds() };
}

/** '2027年1月31日 23:59' (Beijing time). */
export function beijing(iso: string | null | undefined, seconds = false): string {
  if (!iso || Number.isNaN(Date.parse(iso))) return '—';
  const p = parts(iso);
  return `${p.y}年${p.m}月${p.d}日 ${pad(p.hh)}:${pad(p.mm)}${seconds ? `:${pad(p.ss)}` : ''}`;
}

export function shanghaiDate(at: number | string): string {
  return new Date(new Date(at).getTime() + OFFSET).toISOString().slice(0, 10);
}

/** Calendar days (Asia/Shanghai) from now to the deadline. */
export function daysUntil(deadline: string, now = Date.now()): number {
  return Math.round((Date.parse(shanghaiDate(deadline)) - Date.parse(shanghaiDate(now))) / 86_400_000);
}

export function deadlineText(deadline: string, done: boolean, now = Date.now()): string {
  if (done) return '';
  if (now > Date.parse(deadline)) return `已逾期 ${Math.max(1, -daysUntil(deadline, now))} 天`;
  const d = daysUntil(deadline, now);
  return d === 0 ? '今天截止' : `还有 ${d} 天`;
}

export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} 字节`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

// ---- statuses ----

/** Looked up by the status strings the API returns. */
export const STATUS_LABELS: Record<string, string> = OFFICE_STATUS_LABELS;

export function statusBadge(status: string, label?: string): HTMLElement {
  return h('span', { class: `badge status-${status.toLowerCase().replace(/_/g, '-')}`, text: label ?? STATUS_LABELS[status] ?? status });
}

// ---- findings ----

interface Section {
  title: string;
  match: (f: Finding) => boolean;
}

/** The report's own parts, in the order of the national format, then what concerns the whole file. */
const SECTIONS: Section[] = [
  { title: '文件与报告结构', match: (f) => !f.table && /^(FILE|STR|DL|PUB)-/.test(f.rule) },
  { title: '二、主动公开政府信息情况（表二）', match: (f) => f.table === '二' },
  { title: '三、收到和处理政府信息公开申请情况（表三）', match: (f) => f.table === '三' },
  { title: '四、政府信息公开行政复议、行政诉讼情况（表四）', match: (f) => f.table === '四' },
  { title: '正文与表格数字', match: (f) => /^TXT-/.test(f.rule) },
  { title: '与上年报告比对', match: (f) => /^XY-/.test(f.rule) },
  { title: '其他', match: () => true },
];

const num = (v: number | null) => (v === null ? '' : Number.isInteger(v) ? String(v) : String(Number(v.toFixed(6))));

function ruleTitle(rule: string): string {
  return (CATALOG as Record<string, { title: string } | undefined>)[rule as RuleId]?.title ?? '';
}

/** What a findings table shows besides the findings: their judgements (说明, 豁免) and a button per finding. */
export interface FindingsOptions {
  judgements: FindingJudgement[];
  /** A button for one finding (说明 on the office page, 豁免 on the dashboard), or null. */
  action?: (f: Judged<Finding>) => HTMLElement | null;
}

/** The 处理 cell: how the finding was judged, by whom and when, then the finding's button. */
function judgementCell(f: Judged<Finding>, options: FindingsOptions): HTMLElement {
  const who = [f.waiver ? `豁免：政务公开办，${beijing(f.waiver.at)}` : '', f.explanation ? `说明：${f.explanation.by === 'coordinator' ? '政务公开办' : '单位'}，${beijing(f.explanation.at)}` : ''].filter(Boolean).join('；');
  return h(
    'td',
    { class: 'judgement', attrs: { 'data-label': '处理' } },
    judgementText(f) ? h('span', { class: f.waiver ? 'badge waived' : 'badge explained', text: judgementText(f) }) : null,
    who ? h('span', { class: 'sub', text: who }) : null,
    options.action?.(f) ?? null,
  );
}

/**
 * Findings grouped by section; each with rule, 行/列 and 应为/实为 where the rule names a cell, and where it is
 * in the office's document (原文位置: 第3页第12行) when the reader knows. With options, a 处理 column: each
 * finding's 说明 and 豁免 and its button.
 */
export function renderFindings(findings: Finding[], options?: FindingsOptions): HTMLElement {
  const judged = new Map(judgedFindings({ findings, judgements: options?.judgements }).map((j, i) => [findings[i], j]));
  const root = h('div', { class: 'findings' });
  if (!findings.length) {
    root.append(h('p', { class: 'muted', text: '未发现问题。' }));
    return root;
  }
  const left = [...findings];
  for (const section of SECTIONS) {
    const mine = left.filter(section.match);
    if (!mine.length) continue;
    for (const f of mine) left.splice(left.indexOf(f), 1);
    mine.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
    const errors = mine.filter((f) => f.severity === 'error').length;
    const warnings = mine.length - errors;
    const head = h(
      'h4',
      null,
      section.title,
      ' ',
      errors ? h('span', { class: 'count count-error', text: `${errors} 项错误` }) : null,
      warnings ? h('span', { class: 'count count-warning', text: `${warnings} 项提示` }) : null,
    );
    const table = h(
      'table',
      { class: options ? 'findings-table judged' : 'findings-table' },
      h('thead', null, h('tr', null, ...['级别', '规则', '表', '行', '列', '原文位置', '应为', '实为', '说明', ...(options ? ['处理'] : [])].map((t) => h('th', { text: t })))),
      h(
        'tbody',
        null,
        ...mine.map((f) =>
          h(
            'tr',
            { class: `${f.severity === 'error' ? 'sev-error' : 'sev-warning'}${judged.get(f)?.waiver ? ' waived' : ''}`, attrs: { 'data-index': String(judged.get(f)!.index) } },
            h('td', { attrs: { 'data-label': '级别' } }, h('span', { class: `sev sev-${f.severity}`, text: f.severity === 'error' ? '错误' : '提示' })),
            h('td', { attrs: { 'data-label': '规则' }, title: ruleTitle(f.rule) }, h('code', { text: f.rule })),
            h('td', { attrs: { 'data-label': '表' }, text: f.table ? `表${f.table}` : '' }),
            h('td', { attrs: { 'data-label': '行' }, text: f.row ?? '' }),
            h('td', { attrs: { 'data-label': '列' }, text: f.column ?? '' }),
            h('td', { class: 'where', attrs: { 'data-label': '原文位置' }, text: locationText(f.location) }),
            h('td', { class: 'num', attrs: { 'data-label': '应为' }, text: num(f.expected) }),
            h('td', { class: 'num', attrs: { 'data-label': '实为' }, text: num(f.actual) }),
            h('td', { class: 'message', attrs: { 'data-label': '说明' }, text: f.message }),
            options ? judgementCell(judged.get(f)!, options) : null,
          ),
        ),
      ),
    );
    root.append(h('section', { class: 'finding-section' }, head, h('div', { class: 'table-scroll' }, table)));
  }
  return root;
}

export function findingCounts(findings: Finding[]): { errors: number; warnings: number } {
  const errors = findings.filter((f) => f.severity === 'error').length;
  return { errors, warnings: findings.length - errors };
}

// ---- tables as read ----

/**
 * Tables 二/三/四 as the system read them (shared/render/tables-view.ts): canonical rows × columns, blanks as
 * 空, unreadable cells as written with ✗ (the reason as a tooltip), rows not found marked 缺失. Text nodes only.
 */
export function renderTables(report: TablesInput): HTMLElement {
  const view = tablesView(report);
  const version = `${view.formatVersion}年格式${view.assumed ? '（未识别格式，按年度推定）' : ''}`;
  const root = h('div', { class: 'tables-view' });
  for (const t of view.tables) {
    const section = h('section', { class: 'table-view', attrs: { 'data-table': t.id } }, h('h4', { text: `表${t.id} ${t.title}（${version}）` }));
    root.append(section);
    if (!t.found) {
      section.append(h('p', { class: 'cell-missing', text: `${MARKS.missing}：报告中未找到表${t.id}` }));
      continue;
    }
    const table = h('table', { class: 'read-table' });
    for (const g of t.groups) {
      const span = String(g.columns.length + 1);
      const body = h('tbody');
      if (g.heading) body.append(h('tr', { class: 'block' }, h('th', { text: g.heading, attrs: { colspan: span } })));
      body.append(h('tr', null, h('th', { text: g.corner }), ...g.columns.map((c) => h('th', { class: 'num', text: c }))));
      for (const r of g.rows) {
        const cls = [r.depth ? 'sub' : '', r.header ? 'header' : ''].filter(Boolean).join(' ');
        if (r.header) {
          body.append(h('tr', null, h('th', { class: cls, text: r.text, attrs: { scope: 'row', colspan: span } })));
          continue;
        }
        body.append(
          h(
            'tr',
            { class: r.missing ? 'row-missing' : '' },
            h('th', { class: cls, attrs: { scope: 'row' } }, r.text, r.missing ? h('span', { class: 'mark', text: `（${MARKS.missing}）` }) : null),
            ...r.cells.map((c) => h('td', { class: `num cell-${c.kind}`, text: c.text, title: c.problem })),
          ),
        );
      }
      table.append(body);
    }
    section.append(h('div', { class: 'table-scroll' }, table));
  }
  root.append(h('p', { class: 'hint legend', text: LEGEND }));
  return root;
}
