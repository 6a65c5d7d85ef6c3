/**
 * The office list's own tools in the dashboard: sorting by any column (click a header; again to reverse;
 * stable, names in Chinese collation), selecting offices (a checkbox per row, 全选 for the rows shown) and
 * acting on the selection (提醒 / 公开 / 邀请, with a summary of what happened), invitations (邀请全部单位,
 * per office 邀请 or 重新发送邀请) and the exports (the status list .xlsx, the 通报 PDF).
 */
import type { DashboardOffice } from '../../shared/cycle/pages';
import type { InvitationOutcome } from '../../shared/cycle/invitations';
import { REMINDABLE, STATUS_ORDER, type Board } from './board';
import { $, api, beijing, download, h } from './common';

const collator = new Intl.Collator('zh-Hans-CN', { numeric: true });

type SortKey = 'name' | 'group' | 'status' | 'deadline' | 'lastSubmission' | 'problems' | 'invitedAt' | 'signedInAt';
type Compare = (a: DashboardOffice, b: DashboardOffice) => number;

const text = (f: (o: DashboardOffice) => string | null | undefined): Compare => (a, b) => collator.compare(f(a) ?? '', f(b) ?? '');
const number = (f: (o: DashboardOffice) => number): Compare => (a, b) => f(a) - f(b);

let board: Board;
let sort: { key: SortKey; descending: boolean } | null = null;
const selected = new Set<string>();
let shown: DashboardOffice[] = [];
let rerender: () => void = () => undefined;
let publish: (offices: DashboardOffice[]) => Promise<void> = async () => undefined;

const groupName = (o: DashboardOffice) => board.view?.cycle.groups.find((g) => g.id === o.group)?.name ?? o.group;

const COMPARE: Record<SortKey, Compare> = {
  name: text((o) => o.name),
  group: text(groupName),
  status: number((o) => STATUS_ORDER.indexOf(o.status)),
  deadline: text((o) => o.deadline),
  lastSubmission: text((o) => o.lastSubmission?.receivedAt),
  // Errors first, then 提示; an office with nothing checked yet below one without problems.
  problems: number((o) => (o.lastSubmission?.verdict ? o.lastSubmission.errors * 10_000 + o.lastSubmission.warnings : -1)),
  invitedAt: text((o) => o.invitedAt),
  signedInAt: text((o) => o.signedInAt),
};

/**
 * The rows in the chosen order, remembered for 全选. Stable: rows that tie keep the order they were shown
 * in, so sorting by 分组 after 单位 gives the names in order within each group (also when reversed).
 */
export function sortRows(rows: DashboardOffice[]): DashboardOffice[] {
  const s = sort;
  const before = new Map(shown.map((o, i) => [o.officeId, i]));
  const place = (o: DashboardOffice) => before.get(o.officeId) ?? Number.MAX_SAFE_INTEGER;
  shown = s ? [...rows].sort((a, b) => (s.descending ? -1 : 1) * COMPARE[s.key](a, b) || place(a) - place(b)) : rows;
  return shown;
}

/** The row's checkbox. */
export function pickCell(o: DashboardOffice): HTMLTableCellElement {
  const box = h('input', { attrs: { type: 'checkbox', 'aria-label': `选择${o.name}`, 'data-pick': o.officeId } });
  box.checked = selected.has(o.officeId);
  box.addEventListener('change', () => {
    if (box.checked) selected.add(o.officeId);
    else selected.delete(o.officeId);
    syncSelection();
  });
  return h('td', { class: 'pick' }, box);
}

/** 邀请时间 and 首次登录. */
export function invitationCells(o: DashboardOffice): HTMLTableCellElement[] {
  return [
    h('td', { attrs: { 'data-label': '邀请时间' }, text: o.invitedAt ? beijing(o.invitedAt) : '未邀请' }),
    h('td', { attrs: { 'data-label': '首次登录' }, text: o.signedInAt ? beijing(o.signedInAt) : o.invitedAt ? '尚未登录' : '—' }),
  ];
}

/** 邀请, or 重新发送邀请 once invited (after a confirmation: the earlier link stops working). */
export function inviteButton(o: Pick<DashboardOffice, 'officeId' | 'name' | 'invitedAt'>): HTMLButtonElement {
  const again = !!o.invitedAt;
  const b = h('button', { class: 'ghost small', text: again ? '重新发送邀请' : '邀请', attrs: { type: 'button', 'data-action': 'invite', 'data-office': o.officeId } });
  b.addEventListener('click', () => {
    if (again && !confirm(`重新发送邀请后，${o.name}之前收到的登录链接将立即失效。确定重新发送吗？`)) return;
    void invite([o], b);
  });
  return b;
}

/** Updates 全选 and the selection bar after a change or a new rendering. */
export function syncSelection(): void {
  const known = new Set((board.view?.offices ?? []).map((o) => o.officeId));
  for (const id of [...selected]) if (!known.has(id)) selected.delete(id);
  const all = $('select-all') as HTMLInputElement;
  const picked = shown.filter((o) => selected.has(o.officeId)).length;
  all.checked = shown.length > 0 && picked === shown.length;
  all.indeterminate = picked > 0 && picked < shown.length;
  $('bulk-count').textContent = selected.size ? `已选择 ${selected.size} 家单位` : '未选择单位';
  for (const id of ['bulk-remind', 'bulk-publish', 'bulk-invite']) ($(id) as HTMLButtonElement).disabled = selected.size === 0;
  const s = sort;
  document.querySelectorAll<HTMLTableCellElement>('th[data-sort]').forEach((th) => {
    if (s && s.key === th.dataset.sort) th.setAttribute('aria-sort', s.descending ? 'descending' : 'ascending');
    else th.removeAttribute('aria-sort');
  });
}

/** The selected offices, in the order shown (then any the filters hide). */
const chosen = () => [...shown, ...(board.view?.offices ?? []).filter((o) => !shown.includes(o))].filter((o) => selected.has(o.officeId));

/**
 * Offices per invitation request: each office costs a token, an access record, a mail and an audit entry
 * (four at a time on the server), so a few dozen stay far below the API's 29 s whatever the cycle's size.
 */
const INVITE_BATCH = 40;

/** Invites the offices in batches, saying how far it got; what was sent before an error is reported too. */
async function invite(offices: Pick<DashboardOffice, 'officeId' | 'name'>[], button: HTMLButtonElement): Promise<void> {
  button.disabled = true;
  const invited: InvitationOutcome[] = [];
  const failed: InvitationOutcome[] = [];
  let error = '';
  for (let i = 0; i < offices.length && !error; i += INVITE_BATCH) {
    if (offices.length > INVITE_BATCH) board.say(`正在发送邀请：${i} / ${offices.length}……`);
    const officeIds = offices.slice(i, i + INVITE_BATCH).map((o) => o.officeId);
    try {
      const r = await api<{ invited: InvitationOutcome[]; failed: InvitationOutcome[] }>('POST', `/cycles/${board.year}/invitations`, board.token, { officeIds });
      invited.push(...r.invited);
      failed.push(...r.failed);
    } catch (e) {
      error = (e as Error).message;
    }
  }
  await board.refresh().catch(() => undefined);
  button.disabled = false;
  const sent = invited.length === 1 ? `已向${invited[0].name}发送邀请（${invited[0].sentTo?.join('、')}）。` : invited.length ? `已向 ${invited.length} 家单位发送邀请。` : '';
  const notSent = failed.length ? `${failed.length} 家未能发送：${failed.map((f) => `${f.name}（${f.error}）`).join('；')}。` : '';
  const rest = error ? `${error}${invited.length + failed.length < offices.length ? `（其余 ${offices.length - invited.length - failed.length} 家尚未发送）` : ''}` : '';
  board.say(`${sent}${notSent}${rest}`, failed.length || error ? 'error' : 'ok');
}

async function remindChosen(button: HTMLButtonElement): Promise<void> {
  const offices = chosen();
  button.disabled = true;
  const sent: string[] = [];
  const skipped: string[] = [];
  for (const o of offices) {
    if (!REMINDABLE.has(o.status)) {
      skipped.push(`${o.name}（${o.statusLabel}，无需提醒）`);
      continue;
    }
    try {
      await api('POST', `/cycles/${board.year}/offices/${encodeURIComponent(o.officeId)}/remind`, board.token, {});
      sent.push(o.name);
    } catch (e) {
      skipped.push(`${o.name}（${(e as Error).message}）`);
    }
  }
  await board.refresh().catch(() => undefined);
  button.disabled = false;
  board.say([`提醒：已发送 ${sent.length} 家${sent.length ? `（${sent.join('、')}）` : ''}`, skipped.length ? `未发送 ${skipped.length} 家：${skipped.join('；')}` : ''].filter(Boolean).join('。'), skipped.length ? 'info' : 'ok');
}

async function publishChosen(): Promise<void> {
  const offices = chosen();
  const ready = offices.filter((o) => o.status === 'ACCEPTED');
  const others = offices.filter((o) => o.status !== 'ACCEPTED').map((o) => `${o.name}（${o.statusLabel}）`);
  if (!ready.length) return board.say(`所选单位没有已通过、待公开的报告：${others.join('、')}`, 'error');
  await publish(ready);
  if (others.length) board.say(`${$('board-msg').textContent ?? ''} 未公开 ${others.length} 家（不是“已通过”状态）：${others.join('、')}`.trim(), 'info');
}

async function exportFile(path: string, fallback: string, button: HTMLButtonElement): Promise<void> {
  button.disabled = true;
  try {
    await download(path, board.token, fallback);
  } catch (e) {
    board.say((e as Error).message, 'error');
  } finally {
    button.disabled = false;
  }
}

/**
 * Wires the headers, 全选, the selection bar, 邀请全部单位 and the exports. `render` draws the rows again
 * (after a sort); `publishOffices` is the dashboard's publishing (with its confirmation and summary).
 */
export function initRoster(b: Board, render: () => void, publishOffices: (offices: DashboardOffice[]) => Promise<void>): void {
  board = b;
  rerender = render;
  publish = publishOffices;
  document.querySelectorAll<HTMLTableCellElement>('th[data-sort]').forEach((th) => {
    const sortBy = () => {
      const key = th.dataset.sort as SortKey;
      sort = { key, descending: sort?.key === key ? !sort.descending : false };
      rerender();
    };
    // A header is a control: reachable with Tab, sorted with Enter or Space.
    th.tabIndex = 0;
    th.title = '点击排序，再次点击倒序';
    th.addEventListener('click', sortBy);
    th.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter' && e.key !== ' ') return;
      e.preventDefault();
      sortBy();
    });
  });
  $('select-all').addEventListener('change', () => {
    const on = ($('select-all') as HTMLInputElement).checked;
    for (const o of shown) {
      if (on) selected.add(o.officeId);
      else selected.delete(o.officeId);
    }
    rerender();
  });
  $('bulk-remind').addEventListener('click', (e) => void remindChosen(e.currentTarget as HTMLButtonElement));
  $('bulk-publish').addEventListener('click', () => void publishChosen());
  $('bulk-invite').addEventListener('click', (e) => {
    const offices = chosen();
    const again = offices.filter((o) => o.invitedAt).length;
    if (again && !confirm(`向所选 ${offices.length} 家单位发送邀请？其中 ${again} 家已邀请过，之前的登录链接将立即失效。`)) return;
    void invite(offices, e.currentTarget as HTMLButtonElement);
  });
  $('invite-all').addEventListener('click', (e) => {
    const offices = board.view?.offices ?? [];
    if (!offices.length) return board.say('还没有单位：请先导入单位名单。', 'error');
    const again = offices.filter((o) => o.invitedAt).length;
    if (!confirm(`向全部 ${offices.length} 家单位发送邀请邮件（含一键登录链接）？${again ? `其中 ${again} 家已邀请过，之前的登录链接将立即失效。` : ''}`)) return;
    void invite(offices, e.currentTarget as HTMLButtonElement);
  });
  $('export-xlsx').addEventListener('click', (e) => void exportFile(`/cycles/${board.year}/exports/status.xlsx`, `status-${board.year}.xlsx`, e.currentTarget as HTMLButtonElement));
  $('export-pdf').addEventListener('click', (e) => void exportFile(`/cycles/${board.year}/exports/status-report.pdf`, `status-report-${board.year}.pdf`, e.currentTarget as HTMLButtonElement));
}
