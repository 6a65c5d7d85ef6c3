/**
 * Creating a cycle and editing its settings in the dashboard (新建年度 / 设置): the year and the format it
 * implies, the groups with their deadlines in Beijing time and reminder days, the 政务公开办's addresses, name
 * (落款), contact person and phone, and the two publishing switches. The server validates; its messages name
 * the field in Chinese (第2个分组的截止时间：…).
 */
import type { Cycle, OfficeGroup } from '../../shared/cycle/model';
import { DEFAULT_DAYS_AFTER, DEFAULT_DAYS_BEFORE } from '../../shared/cycle/model';
import { SPECS, versionForYear } from '../../shared/report/spec';
import { $, api, clear, h, say, show } from './common';

const OFFSET = 8 * 3600_000;
let editing: Cycle | null = null;
let saved: (year: number) => Promise<void> = async () => undefined;
let cancelled: () => void = () => undefined;
let groupSeq = 0;

const input = (id: string) => $(id) as HTMLInputElement;

/** "适用2021年版格式（国办公开办函〔2021〕30号）" for a report year. */
function formatLine(year: number): string {
  if (!Number.isInteger(year) || year < 2000 || year > 2100) return '';
  const version = versionForYear(year);
  return `适用${version}年版格式（${SPECS[version].notice}）`;
}

/** "14、7、3、1、0", consecutive runs as "1-30". */
export function daysText(days: readonly number[]): string {
  const out: string[] = [];
  const sorted = [...days];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    out.push(j - i >= 2 ? `${sorted[i]}-${sorted[j]}` : sorted.slice(i, j + 1).join('、'));
    i = j + 1;
  }
  return out.join('、');
}

/** "14、7, 3 1-5" → days; a word that is not a day or a range is an error naming the field. */
export function parseDays(text: string, field: string): number[] {
  const days: number[] = [];
  for (const word of text.split(/[\s,，、;；]+/).filter(Boolean)) {
    const range = /^(\d{1,2})[-－~～](\d{1,2})$/.exec(word);
    if (range && Number(range[1]) <= Number(range[2])) for (let d = Number(range[1]); d <= Number(range[2]); d++) days.push(d);
    else if (/^\d{1,2}$/.test(word)) days.push(Number(word));
    else throw new Error(`${field}：“${word}”不是天数（如 14、7、3、1、0 或 1-30）`);
  }
  return [...new Set(days)];
}

/** The deadline's date and time of day in Beijing time, as the inputs show them. */
function beijingInputs(iso: string): { date: string; time: string } {
  const s = new Date(Date.parse(iso) + OFFSET).toISOString();
  return { date: s.slice(0, 10), time: s.slice(11, 16) };
}

function groupRow(group: Partial<OfficeGroup> | null): HTMLTableRowElement {
  const at = group?.deadline ? beijingInputs(group.deadline) : { date: '', time: '23:59' };
  const reminders = group?.reminders ?? { daysBefore: DEFAULT_DAYS_BEFORE, daysAfter: DEFAULT_DAYS_AFTER };
  const remove = h('button', { class: 'ghost small', text: '删除', attrs: { type: 'button' } });
  const row = h(
    'tr',
    { attrs: { 'data-id': group?.id ?? '' } },
    h('td', { attrs: { 'data-label': '分组名称' } }, h('input', { class: 'group-name', attrs: { type: 'text', maxlength: '100', value: group?.name ?? '', 'aria-label': '分组名称' } })),
    h('td', { attrs: { 'data-label': '截止日期' } }, h('input', { class: 'group-date', attrs: { type: 'date', value: at.date, 'aria-label': '截止日期' } })),
    h('td', { attrs: { 'data-label': '截止时刻' } }, h('input', { class: 'group-time', attrs: { type: 'time', value: at.time, 'aria-label': '截止时刻（北京时间）' } })),
    h('td', { attrs: { 'data-label': '截止前提醒' } }, h('input', { class: 'group-before', attrs: { type: 'text', value: daysText(reminders.daysBefore), 'aria-label': '截止前提醒天数' } })),
    h('td', { attrs: { 'data-label': '逾期后提醒' } }, h('input', { class: 'group-after', attrs: { type: 'text', value: daysText(reminders.daysAfter), 'aria-label': '逾期后提醒天数' } })),
    h('td', null, remove),
  );
  remove.addEventListener('click', () => row.remove());
  return row;
}

/** A new group's id: not shown to anyone, stable once saved, unique in the cycle. */
function newGroupId(taken: Set<string>): string {
  let id: string;
  do id = `group-${++groupSeq}`;
  while (taken.has(id));
  return id;
}

/** The groups as the form has them; a deadline as Beijing time with its offset. */
function readGroups(): unknown[] {
  const rows = Array.from($('setup-groups').querySelectorAll('tr'));
  const taken = new Set(rows.map((r) => r.dataset.id).filter((id): id is string => !!id));
  return rows.map((row, i) => {
    const value = (cls: string) => (row.querySelector(`.${cls}`) as HTMLInputElement).value.trim();
    const n = `第${i + 1}个分组`;
    const date = value('group-date');
    const time = value('group-time') || '23:59';
    if (!date) throw new Error(`${n}的截止日期：请选择日期`);
    const id = row.dataset.id || newGroupId(taken);
    row.dataset.id = id;
    taken.add(id);
    return {
      id,
      name: value('group-name'),
      // 23:59 means the whole last minute of the day, as the deadlines of bare dates do.
      deadline: `${date}T${time}:${time === '23:59' ? '59' : '00'}+08:00`,
      reminders: { daysBefore: parseDays(value('group-before'), `${n}的截止前提醒天数`), daysAfter: parseDays(value('group-after'), `${n}的逾期后提醒天数`) },
    };
  });
}

function cycleInput(): Record<string, unknown> {
  const year = Number(input('setup-year').value);
  if (!/^\d{4}$/.test(input('setup-year').value.trim())) throw new Error('年度：请填写四位数的年份，如 2026');
  const optional = (id: string) => input(id).value.trim() || undefined;
  return {
    year,
    groups: readGroups(),
    coordinatorEmails: ($('setup-emails') as HTMLTextAreaElement).value.split(/[\s,，;；、]+/).filter(Boolean),
    issuer: optional('setup-issuer'),
    contactPerson: optional('setup-contact'),
    contactPhone: optional('setup-phone'),
    autoPublish: input('setup-auto').checked,
    listUnpublished: input('setup-unpublished').checked,
  };
}

async function save(token: string): Promise<void> {
  const msg = $('setup-msg');
  say(msg, '');
  let body: Record<string, unknown>;
  try {
    body = cycleInput();
  } catch (e) {
    return say(msg, (e as Error).message, 'error');
  }
  const button = $('setup-save') as HTMLButtonElement;
  button.disabled = true;
  try {
    const r = await api<{ cycle: Cycle; created: boolean }>('POST', '/cycles', token, body);
    say(msg, '');
    show($('setup'), false);
    await saved(r.cycle.year);
  } catch (e) {
    say(msg, (e as Error).message, 'error');
  } finally {
    button.disabled = false;
  }
}

/** Shows the form: empty for a new cycle (a year after the newest), filled for the settings of `cycle`. */
export function openCycleForm(cycle: Cycle | null, newestYear: number | null): void {
  editing = cycle;
  $('setup-title').textContent = cycle ? `${cycle.year}年度设置` : '新建年度';
  const year = input('setup-year');
  year.value = String(cycle?.year ?? (newestYear !== null ? newestYear + 1 : new Date(Date.now() + OFFSET).getUTCFullYear() - 1));
  year.disabled = cycle !== null;
  $('setup-format').textContent = formatLine(Number(year.value));
  const groups = $('setup-groups');
  clear(groups);
  for (const g of cycle?.groups ?? [null]) groups.append(groupRow(g));
  ($('setup-emails') as HTMLTextAreaElement).value = (cycle?.coordinatorEmails ?? []).join('；');
  input('setup-issuer').value = cycle?.issuer ?? '';
  input('setup-contact').value = cycle?.contactPerson ?? '';
  input('setup-phone').value = cycle?.contactPhone ?? '';
  input('setup-auto').checked = cycle?.autoPublish ?? false;
  input('setup-unpublished').checked = cycle?.listUnpublished ?? false;
  say($('setup-msg'), '');
  show($('setup-cancel'), newestYear !== null);
  show($('setup'), true);
  $('setup').scrollIntoView({ block: 'start' });
}

/**
 * Wires the form once. `onSaved` shows the saved year; `onCancel` goes back to the board. `token` is read
 * when saving (the sign-in may come later).
 */
export function initSetup(token: () => string, onSaved: (year: number) => Promise<void>, onCancel: () => void): void {
  saved = onSaved;
  cancelled = onCancel;
  input('setup-year').addEventListener('input', () => ($('setup-format').textContent = formatLine(Number(input('setup-year').value))));
  $('setup-add-group').addEventListener('click', () => $('setup-groups').append(groupRow(editing ? { deadline: editing.groups[0]?.deadline } : null)));
  $('setup-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void save(token());
  });
  $('setup-cancel').addEventListener('click', () => {
    show($('setup'), false);
    cancelled();
  });
}
