/**
 * The office list as the 政务公开办 has it: an Excel workbook (.xlsx) or a CSV saved by Excel/WPS (UTF-8, UTF-8
 * with BOM, GBK/GB18030), with Chinese headers (单位名称, 分组, 邮箱, optional 编号, 联系人, 电话) or the
 * English ones (id,name,group,emails). Ids are made from the names when the list has none (office-ids.ts).
 *
 * Two steps: `previewOfficeList` says, row by row and in Chinese, what an import would do (新增 / 更新 / 无变化
 * / 错误) against the cycle's current list, writing nothing; `applyOfficeList` does it, and refuses while any
 * row has an error, so a list is never half imported. Offices missing from the list are left alone.
 */
import type { CycleDeps } from './deps';
import { invalid, notFound } from './errors';
import { OFFICE_ID_PATTERN, OfficeInputSchema, type Cycle, type Office, type OfficeInput } from './model';
import { decodeCsv, parseCsvRecords } from './offices-csv';
import { assignIds } from './office-ids';
import { importOffices } from './service';
import { looksLikeZip, readXlsxRows, type SheetRow } from './xlsx-rows';

type Field = 'id' | 'name' | 'group' | 'emails' | 'contact' | 'phone';

/** Header cells, compared without spaces, full-width/half-width folded, case-insensitive. */
const HEADERS: Record<Field, string[]> = {
  id: ['编号', '单位编号', '机构编号', 'id'],
  name: ['单位名称', '机构名称', '单位', '名称', 'name'],
  group: ['分组', '组别', '分组名称', 'group'],
  emails: ['邮箱', '电子邮箱', '联系邮箱', '电子邮件', 'email', 'emails', 'e-mail'],
  contact: ['联系人', 'contact'],
  phone: ['电话', '联系电话', '手机', 'phone'],
};
const FIELD_LABEL: Record<Field, string> = { id: '编号', name: '单位名称', group: '分组', emails: '邮箱', contact: '联系人', phone: '电话' };

function headerKey(cell: string): string {
  return cell.normalize('NFKC').replace(/\s+/g, '').replace(/[*＊]/g, '').toLowerCase();
}

/** Several addresses in one cell: separated by ; ； , ， 、 or whitespace. */
export function splitEmails(cell: string): string[] {
  return cell
    .split(/[;；,，、\s]+/)
    .map((e) => e.trim())
    .filter(Boolean);
}

export interface ListRow {
  line: number;
  values: Partial<Record<Field, string>>;
}

/** Rows of the list's first sheet (or CSV) with their header mapped, or one error for the whole file. */
export function readOfficeRows(bytes: Uint8Array): { rows: ListRow[]; columns: Field[] } | { error: string } {
  let raw: SheetRow[];
  if (looksLikeZip(bytes)) {
    const r = readXlsxRows(bytes);
    if ('error' in r) return r;
    raw = r.rows;
  } else {
    if (bytes.length >= 8 && bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) {
      return { error: '这是旧版 Excel 文件（.xls）。请在 Excel 或 WPS 中“另存为” .xlsx 或 CSV 后再导入' };
    }
    const text = decodeCsv(bytes);
    // A list typed by hand may separate with full-width commas; one saved by Excel never does, and there a
    // '，' belongs to the name ("市教育局（市语委，…）").
    const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
    raw = parseCsvRecords(text, !firstLine.includes(','));
  }
  if (raw.length === 0) return { error: '文件是空的：第一行应为表头，如“单位名称、分组、邮箱”' };
  const header = raw[0];
  const columns = new Map<Field, number>();
  const unknown: string[] = [];
  header.cells.forEach((cell, i) => {
    const key = headerKey(cell);
    if (!key) return;
    const field = (Object.keys(HEADERS) as Field[]).find((f) => HEADERS[f].some((h) => headerKey(h) === key));
    if (!field) unknown.push(cell.trim());
    else if (!columns.has(field)) columns.set(field, i);
  });
  const missing = (['name', 'emails'] as Field[]).filter((f) => !columns.has(f)).map((f) => `“${FIELD_LABEL[f]}”`);
  if (missing.length) {
    return {
      error:
        `第${header.line}行（表头）缺少${missing.join('和')}列。表头应包含：单位名称、邮箱，可选 编号、分组、联系人、电话` +
        `（或英文 id,name,group,emails）。${unknown.length ? `无法识别的列：${unknown.join('、')}` : ''}`,
    };
  }
  const rows = raw.slice(1).map<ListRow>((r) => ({
    line: r.line,
    values: Object.fromEntries([...columns].map(([f, i]) => [f, (r.cells[i] ?? '').trim()])),
  }));
  return { rows, columns: [...columns.keys()] };
}

// ---- preview ----

export type PreviewStatus = 'new' | 'updated' | 'unchanged' | 'error';
export const PREVIEW_LABELS: Record<PreviewStatus, string> = { new: '新增', updated: '更新', unchanged: '无变化', error: '错误' };

export interface PreviewRow {
  /** Row number in the file (Excel's row, or the CSV line). */
  line: number;
  status: PreviewStatus;
  statusLabel: string;
  id: string | null;
  name: string;
  groupName: string | null;
  /** Whether the id is made from the name now (no 编号 in the row, and no office of that name yet). */
  generatedId: boolean;
  /** For 更新: what changes, e.g. "邮箱：a@x.cn → a@x.cn、b@x.cn"; for 错误: the problems. */
  messages: string[];
  office: OfficeInput | null;
}

export interface OfficeListPreview {
  year: number;
  rows: PreviewRow[];
  counts: Record<PreviewStatus, number>;
  /** Offices of the cycle not in this list: kept as they are. */
  notInList: { id: string; name: string }[];
  /** An error for the whole file (unreadable, no header); then there are no rows. */
  fileError: string | null;
  canApply: boolean;
  /** One line in Chinese, e.g. "共 12 行：新增 10，更新 1，无变化 0，错误 1". */
  summary: string;
}

function groupResolver(cycle: Cycle): (value: string | undefined) => { id: string } | { error: string } {
  const byKey = new Map<string, string>();
  for (const g of cycle.groups) {
    byKey.set(g.id.toLowerCase(), g.id);
    byKey.set(headerKey(g.name), g.id);
  }
  const names = cycle.groups.map((g) => g.name).join('、');
  return (value) => {
    if (!value) {
      return cycle.groups.length === 1 ? { id: cycle.groups[0].id } : { error: `分组为空（本年度有多个分组：${names}，须写明属于哪一组）` };
    }
    const id = byKey.get(value.toLowerCase()) ?? byKey.get(headerKey(value));
    return id ? { id } : { error: `分组“${value}”不在本年度设置的分组中（${names}）` };
  };
}

function sameList(a: string[], b: string[]): boolean {
  const norm = (xs: string[]) => [...new Set(xs.map((x) => x.toLowerCase()))].sort().join(';');
  return norm(a) === norm(b);
}

function changes(before: ListedOffice, after: OfficeInput, groupName: (id: string) => string): string[] {
  const out: string[] = [];
  if (before.name !== after.name) out.push(`单位名称：${before.name} → ${after.name}`);
  if (before.group !== after.group) out.push(`分组：${groupName(before.group)} → ${groupName(after.group)}`);
  if (!sameList(before.emails, after.emails)) out.push(`邮箱：${before.emails.join('、')} → ${after.emails.join('、')}`);
  // A list without a 联系人/电话 column leaves them as they are.
  if (after.contact !== undefined && (before.contact ?? '') !== after.contact) out.push(`联系人：${before.contact || '（无）'} → ${after.contact || '（无）'}`);
  if (after.phone !== undefined && (before.phone ?? '') !== after.phone) out.push(`电话：${before.phone || '（无）'} → ${after.phone || '（无）'}`);
  return out;
}

/** Zod's messages for one row, named by the column they concern (never a schema path). */
function rowProblems(error: { issues: { path: PropertyKey[]; message: string }[] }): string[] {
  return [...new Set(error.issues.map((i) => `${FIELD_LABEL[String(i.path[0]) as Field] ?? ''}：${i.message}`.replace(/^：/, '')))];
}

/** What importing `bytes` into the cycle of `year` would do; writes nothing. */
export async function previewOfficeList(deps: Pick<CycleDeps, 'repo'>, year: number, bytes: Uint8Array): Promise<OfficeListPreview> {
  const cycle = await deps.repo.getCycle(year);
  if (!cycle) throw notFound(`${year}年度尚未创建`);
  const existing = await deps.repo.listOffices(year);
  return buildPreview(cycle, existing, bytes);
}

/** The offices' fields a preview compares (what `GET /cycles/{year}/offices` also gives, for the CLI). */
export type ListedOffice = Pick<Office, 'id' | 'name' | 'group' | 'emails' | 'contact' | 'phone'>;

export async function buildPreview(cycle: Cycle, existing: ListedOffice[], bytes: Uint8Array): Promise<OfficeListPreview> {
  const counts: Record<PreviewStatus, number> = { new: 0, updated: 0, unchanged: 0, error: 0 };
  const done = (rows: PreviewRow[], fileError: string | null, inList: Set<string>): OfficeListPreview => {
    for (const r of rows) counts[r.status]++;
    const notInList = existing.filter((o) => !inList.has(o.id)).map((o) => ({ id: o.id, name: o.name }));
    const canApply = !fileError && counts.error === 0 && rows.length > 0;
    const summary = fileError
      ? `无法导入：${fileError}`
      : `共 ${rows.length} 行：新增 ${counts.new}，更新 ${counts.updated}，无变化 ${counts.unchanged}，错误 ${counts.error}` +
        (notInList.length ? `；名单中没有的 ${notInList.length} 个单位保持不变` : '') +
        (rows.length === 0 ? '；名单中没有单位' : counts.error ? '。请改正错误的行后重新导入' : '');
    return { year: cycle.year, rows, counts, notInList, fileError, canApply, summary };
  };
  if (bytes.length === 0) return done([], '文件是空的', new Set());
  const read = readOfficeRows(bytes);
  if ('error' in read) return done([], read.error, new Set());

  const group = groupResolver(cycle);
  const groupName = (id: string) => cycle.groups.find((g) => g.id === id)?.name ?? id;
  const byId = new Map(existing.map((o) => [o.id, o]));
  // Ids the list gives, with their row's name, take precedence over generated ones.
  const taken = new Map(existing.map((o) => [o.id, o.name]));
  const givenId = (v: string | undefined) => (v ? v.normalize('NFKC').trim().toLowerCase() : '');
  for (const r of read.rows) {
    const id = givenId(r.values.id);
    if (id && OFFICE_ID_PATTERN.test(id) && r.values.name && !byId.has(id)) taken.set(id, r.values.name.trim());
  }
  const generated = await assignIds(
    read.rows.filter((r) => !givenId(r.values.id) && r.values.name).map((r) => r.values.name!.trim()),
    taken,
  );

  const seen = new Map<string, number>();
  const rows = read.rows.map<PreviewRow>((r) => {
    const v = r.values;
    const name = v.name ?? '';
    const problems: string[] = [];
    const given = givenId(v.id);
    if (given && !OFFICE_ID_PATTERN.test(given)) problems.push(`编号“${v.id}”只能由字母、数字和连字符组成（不超过64个字符）；也可不填，由系统按单位名称生成`);
    const id = given || (name ? generated.get(name) ?? null : null);
    const g = group(v.group);
    if ('error' in g) problems.push(g.error);
    const input = {
      // A missing or bad id has its own message above: zod checks the rest.
      id: id && OFFICE_ID_PATTERN.test(id) ? id : 'x',
      name,
      group: 'id' in g ? g.id : '-',
      emails: splitEmails(v.emails ?? ''),
      ...(read.columns.includes('contact') ? { contact: v.contact ?? '' } : {}),
      ...(read.columns.includes('phone') ? { phone: v.phone ?? '' } : {}),
    };
    const parsed = OfficeInputSchema.safeParse(input);
    if (!parsed.success) problems.push(...rowProblems(parsed.error));
    if (id && problems.length === 0) {
      const first = seen.get(id);
      if (first !== undefined) problems.push(given ? `编号“${id}”与第${first}行重复` : `单位名称“${name}”与第${first}行重复`);
      else seen.set(id, r.line);
    }
    const base = { line: r.line, id, name, generatedId: !given && !(id && byId.has(id)), groupName: 'id' in g ? groupName(g.id) : v.group || null };
    if (problems.length || !parsed.success) return { ...base, status: 'error', statusLabel: PREVIEW_LABELS.error, messages: problems, office: null };
    const before = byId.get(parsed.data.id);
    const diff = before ? changes(before, parsed.data, groupName) : [];
    const status: PreviewStatus = !before ? 'new' : diff.length ? 'updated' : 'unchanged';
    return { ...base, status, statusLabel: PREVIEW_LABELS[status], messages: diff, office: parsed.data };
  });
  return done(rows, null, new Set(rows.map((r) => r.id).filter((id): id is string => !!id)));
}

/** The preview as lines of text (the CLI; the same words the page shows). */
export function previewText(p: OfficeListPreview): string {
  const lines = p.rows.map((r) => {
    const who = `${r.name || '（无名称）'}${r.id ? `（${r.id}${r.generatedId && r.status !== 'error' ? '，按名称生成' : ''}）` : ''}`;
    return `第${r.line}行　${r.statusLabel}　${who}${r.groupName ? `　${r.groupName}` : ''}${r.messages.length ? `\n　　${r.messages.join('\n　　')}` : ''}`;
  });
  const absent = p.notInList.length ? [`名单中没有、保持不变的单位：${p.notInList.map((o) => `${o.name}（${o.id}）`).join('、')}`] : [];
  return [...lines, ...absent, p.summary].join('\n');
}

/**
 * Imports the list: creates the new offices and updates the changed ones (status and history stay). Refuses
 * with every error row when the list has any, so nothing is half imported. Returns the preview it applied.
 */
export async function applyOfficeList(deps: CycleDeps, year: number, bytes: Uint8Array): Promise<OfficeListPreview & { created: string[]; updated: string[] }> {
  const preview = await previewOfficeList(deps, year, bytes);
  if (preview.fileError) throw invalid(preview.fileError);
  if (!preview.canApply) {
    const bad = preview.rows.filter((r) => r.status === 'error').map((r) => `第${r.line}行：${r.messages.join('；')}`);
    throw invalid(`名单有 ${bad.length} 行错误，未导入任何单位：\n${bad.join('\n') || preview.summary}`);
  }
  const changed = preview.rows.filter((r) => r.status === 'new' || r.status === 'updated').map((r) => r.office!);
  const result = changed.length ? await importOffices(deps, year, { offices: changed }) : { created: [], updated: [] };
  return { ...preview, ...result };
}
