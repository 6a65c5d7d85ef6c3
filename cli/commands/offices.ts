/** `nianbao offices import --year Y offices.csv` / `offices list --year Y` — the office list of a cycle. */
import { readFile } from 'node:fs/promises';
import { callApi, parseOptions, resolveTarget } from '../api-client';

export const summary = '导入或查看机构名单：offices import --year 年度 名单.csv | offices list --year 年度';

const USAGE = `用法：
  nianbao offices import --year 2026 offices.csv
  nianbao offices list --year 2026

  名单为 CSV（UTF-8 或 Excel 保存的 GBK 均可），表头 id,name,group,emails：
    id      机构编号（小写字母、数字、连字符）
    name    机构名称
    group   分组编号或名称（须为本年度设置的分组）
    emails  电子邮箱，多个用 ; 分隔
  再次导入会更新名称、分组和邮箱，不影响报送状态；名单中没有的机构保持不变。
  通用选项：--api API地址 --token 协调人令牌

退出码：0 成功；1 接口返回错误（含逐行错误说明）；2 参数有误。`;

export async function run(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { options, positional } = parseOptions(rest);
  const one = (k: string) => options[k]?.at(-1);
  if (!sub || sub === '--help' || sub === '-h' || one('help')) {
    console.log(USAGE);
    return sub ? 0 : 2;
  }
  const year = one('year');
  if (!year) return (console.error('请用 --year 指定年度'), 2);
  const target = resolveTarget({ api: one('api'), token: one('token') });
  if ('error' in target) return (console.error(target.error), 2);
  if (sub === 'import') {
    const file = positional[0];
    if (!file) return (console.error('请指定名单文件，如 offices.csv'), 2);
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch {
      console.error(`无法读取文件 ${file}`);
      return 2;
    }
    const type = /\.json$/i.test(file) ? 'application/json' : 'text/csv';
    const r = await callApi(target, 'POST', `/cycles/${encodeURIComponent(year)}/offices`, { raw: new Uint8Array(bytes), type });
    if (r.status !== 200) {
      console.error(String(r.body.error));
      return 1;
    }
    const created = r.body.created as string[];
    const updated = r.body.updated as string[];
    console.log(`新增 ${created.length} 个机构，更新 ${updated.length} 个机构`);
    return 0;
  }
  if (sub === 'list') {
    const r = await callApi(target, 'GET', `/cycles/${encodeURIComponent(year)}/offices`);
    if (r.status !== 200) return (console.error(String(r.body.error)), 1);
    for (const o of r.body.offices as { officeId: string; name: string; group: string; emails: string[]; statusLabel: string; hasToken: boolean }[]) {
      console.log([o.officeId, o.name, o.group, o.emails.join(';'), o.statusLabel, o.hasToken ? '已签发令牌' : '未签发令牌'].join('\t'));
    }
    return 0;
  }
  console.error(`未知的子命令 ${sub}\n\n${USAGE}`);
  return 2;
}
