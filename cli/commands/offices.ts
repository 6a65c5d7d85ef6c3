/**
 * `nianbao offices import 名单.xlsx [--apply] [--year Y]` / `offices list [--year Y]` — the office list of a cycle
 * (the newest cycle when no year is given).
 * The import reads the file here (Excel/WPS .xlsx or CSV in any of the encodings Excel writes) and prints the
 * preview against the cycle's current list; --apply sends the new and changed offices as JSON, so no file bytes
 * depend on how a gateway treats a text body.
 */
import { readFile } from 'node:fs/promises';
import { buildPreview, previewText, type ListedOffice } from '../../shared/cycle/office-list';
import type { Cycle } from '../../shared/cycle/model';
import { callApi, parseOptions, resolveTarget } from '../api-client';

export const summary = '导入或查看单位名单：offices import 名单.xlsx [--apply] [--year 年度] | offices list [--year 年度]';

const USAGE = `用法：
  nianbao offices import 单位名单.xlsx          先预览：逐行列出新增、更新、无变化和错误
  nianbao offices import 单位名单.xlsx --apply  确认后导入
  nianbao offices list
  （--year 2026 指定年度；不指定时为最新的年度）

  名单为 Excel（.xlsx）或 CSV（UTF-8，或 Excel/WPS 保存的 GBK），第一行为表头：
    单位名称（或 机构名称）   必填
    邮箱（或 电子邮箱、联系邮箱）必填；多个邮箱用 ; ； , ， 或空格分隔
    分组                      本年度只有一个分组时可省略；填分组名称或编号
    编号                      可省略：系统按单位名称生成（如 金城区教育局 → jinchengqujiaoyuju），同名单位编号不变
    联系人、电话              可选
  也可用英文表头 id,name,group,emails。
  再次导入会更新名称、分组、邮箱、联系人和电话，不影响报送状态；名单中没有的单位保持不变。
  名单有错误的行时不导入任何单位。
  通用选项：--api API地址 --token 管理员令牌

退出码：0 成功（预览无错误，或已导入）；1 名单有错误或接口返回错误；2 参数有误。`;

export async function run(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { options, positional } = parseOptions(rest);
  const one = (k: string) => options[k]?.at(-1);
  if (!sub || sub === '--help' || sub === '-h' || one('help')) {
    console.log(USAGE);
    return sub ? 0 : 2;
  }
  if (sub !== 'import' && sub !== 'list') return (console.error(`未知的子命令 ${sub}\n\n${USAGE}`), 2);
  const file = positional[0];
  if (sub === 'import' && !file) return (console.error('请指定名单文件，如 单位名单.xlsx'), 2);
  const target = resolveTarget({ api: one('api'), token: one('token') });
  if ('error' in target) return (console.error(target.error), 2);
  let year = one('year');
  if (!year) {
    // The newest cycle, as the dashboard opens it.
    const r = await callApi(target, 'GET', '/cycles');
    if (r.status !== 200) return (console.error(String(r.body.error)), 1);
    const newest = (r.body.cycles as { year: number }[])[0];
    if (!newest) return (console.error('还没有任何年度：请先创建年度（nianbao cycle create）'), 1);
    year = String(newest.year);
    console.log(`年度：${year}（未指定 --year，取最新的年度）`);
  }
  if (sub === 'import') {
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch {
      console.error(`无法读取文件 ${file}`);
      return 2;
    }
    const base = `/cycles/${encodeURIComponent(year)}`;
    const [cycle, listed] = await Promise.all([callApi(target, 'GET', base), callApi(target, 'GET', `${base}/offices`)]);
    for (const r of [cycle, listed]) if (r.status !== 200) return (console.error(String(r.body.error)), 1);
    const existing = (listed.body.offices as { officeId: string; name: string; group: string; emails: string[]; contact: string | null; phone: string | null }[]).map<ListedOffice>((o) => ({
      id: o.officeId,
      name: o.name,
      group: o.group,
      emails: o.emails,
      contact: o.contact ?? undefined,
      phone: o.phone ?? undefined,
    }));
    const preview = await buildPreview(cycle.body.cycle as Cycle, existing, new Uint8Array(bytes));
    console.log(previewText(preview));
    if (!preview.canApply) return 1;
    if (one('apply') !== 'true') {
      console.log('以上为预览，尚未导入。确认无误后加 --apply 导入。');
      return 0;
    }
    const offices = preview.rows.filter((r) => r.status === 'new' || r.status === 'updated').map((r) => r.office);
    if (offices.length === 0) return (console.log('名单与现有单位一致，无需导入。'), 0);
    const r = await callApi(target, 'POST', `${base}/offices`, { json: { offices } });
    if (r.status !== 200) return (console.error(String(r.body.error)), 1);
    console.log(`已导入：新增 ${(r.body.created as string[]).length} 个单位，更新 ${(r.body.updated as string[]).length} 个单位。`);
    return 0;
  }
  const r = await callApi(target, 'GET', `/cycles/${encodeURIComponent(year)}/offices`);
  if (r.status !== 200) return (console.error(String(r.body.error)), 1);
  for (const o of r.body.offices as { officeId: string; name: string; group: string; emails: string[]; statusLabel: string; hasToken: boolean }[]) {
    console.log([o.officeId, o.name, o.group, o.emails.join(';'), o.statusLabel, o.hasToken ? '已签发令牌' : '未签发令牌'].join('\t'));
  }
  return 0;
}
