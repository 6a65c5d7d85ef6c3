/**
 * `nianbao cycle create|list|status|publish|return` — the coordinator's side of a reporting cycle, through
 * the HTTP API (local runtime or AWS).
 */
import { callApi, parseOptions, resolveTarget, type ApiTarget } from '../api-client';

export const summary = '管理年度报送：cycle create --year 年度 --deadline 截止 --coordinator 邮箱 | list | status | publish | return';

const USAGE = `用法：
  nianbao cycle create --year 2026 --deadline 2027-01-31 --coordinator a@example.cn [--coordinator …]
                       [--group 编号:名称:截止 …] [--days-before 14,7,3,1,0] [--days-after 1,2,3] [--auto-publish] [--list-unpublished]
  nianbao cycle list
  nianbao cycle status --year 2026 [--json]
  nianbao cycle publish --year 2026 --office 单位编号
  nianbao cycle return --year 2026 --office 单位编号 --note 退回说明

  截止时间按北京时间：2027-01-31 表示当天 23:59:59，也可写 2027-01-31T18:00:00+08:00。
  不写 --group 时只有一个分组 all（全部单位），截止时间取 --deadline。
  通用选项：--api API地址（默认 NIANBAO_API 或本地环境）--token 管理员令牌（默认 NIANBAO_TOKEN 或本地环境）

退出码：0 成功；1 接口返回错误；2 参数有误。`;

const numbers = (v: string | undefined) => (v ? v.split(/[,，]/).map((x) => Number(x.trim())) : undefined);

function fail(message: string): number {
  console.error(message);
  return 1;
}

export async function run(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { options } = parseOptions(rest);
  const one = (k: string) => options[k]?.at(-1);
  if (!sub || sub === '--help' || sub === '-h' || one('help')) {
    console.log(USAGE);
    return sub ? 0 : 2;
  }
  const target = resolveTarget({ api: one('api'), token: one('token') });
  if ('error' in target) return (console.error(target.error), 2);

  switch (sub) {
    case 'create':
      return create(target, options);
    case 'list': {
      const r = await callApi(target, 'GET', '/cycles');
      if (r.status !== 200) return fail(String(r.body.error));
      for (const c of r.body.cycles as { year: number; groups: { id: string; name: string; deadline: string }[]; autoPublish: boolean }[]) {
        console.log(`${c.year}年度  ${c.groups.map((g) => `${g.name}(${g.id}) 截止 ${g.deadline}`).join('；')}${c.autoPublish ? '  通过后自动公开' : ''}`);
      }
      return 0;
    }
    case 'status': {
      const year = one('year');
      if (!year) return (console.error('请用 --year 指定年度'), 2);
      const r = await callApi(target, 'GET', `/cycles/${encodeURIComponent(year)}/offices`);
      if (r.status !== 200) return fail(String(r.body.error));
      if (one('json')) {
        console.log(JSON.stringify(r.body, null, 2));
        return 0;
      }
      for (const o of r.body.offices as { officeId: string; name: string; statusLabel: string; overdue: boolean; deadline: string }[]) {
        console.log(`${o.officeId.padEnd(20)} ${o.name}  ${o.statusLabel}${o.overdue ? '（已逾期）' : ''}`);
      }
      return 0;
    }
    case 'publish':
    case 'return': {
      const year = one('year');
      const office = one('office');
      if (!year || !office) return (console.error('请用 --year 和 --office 指定年度和单位编号'), 2);
      const r = await callApi(target, 'POST', `/cycles/${encodeURIComponent(year)}/offices/${encodeURIComponent(office)}/${sub}`, {
        json: sub === 'return' ? { note: one('note') ?? '' } : {},
      });
      if (r.status !== 200) return fail(String(r.body.error));
      const o = r.body.office as { name: string; statusLabel: string };
      console.log(`${o.name}：${o.statusLabel}`);
      return 0;
    }
    default:
      console.error(`未知的子命令 ${sub}\n\n${USAGE}`);
      return 2;
  }
}

async function create(target: ApiTarget, options: Record<string, string[]>): Promise<number> {
  const one = (k: string) => options[k]?.at(-1);
  const year = Number(one('year'));
  const coordinators = (options.coordinator ?? []).flatMap((c) => c.split(/[,;，；]/)).map((c) => c.trim()).filter(Boolean);
  const reminders = {
    ...(one('days-before') ? { daysBefore: numbers(one('days-before')) } : {}),
    ...(one('days-after') ? { daysAfter: numbers(one('days-after')) } : {}),
  };
  let groups: { id: string; name: string; deadline: string; reminders?: unknown }[];
  if (options.group?.length) {
    groups = [];
    for (const g of options.group) {
      const m = /^([^:]+):([^:]+):(.+)$/.exec(g);
      if (!m) return (console.error(`--group 应为 编号:名称:截止，如 streets:街道:2027-01-26；实为 ${g}`), 2);
      groups.push({ id: m[1], name: m[2], deadline: m[3], ...(Object.keys(reminders).length ? { reminders } : {}) });
    }
  } else {
    const deadline = one('deadline');
    if (!deadline) return (console.error('请用 --deadline 指定截止时间，或用 --group 指定各分组的截止时间'), 2);
    groups = [{ id: 'all', name: '全部单位', deadline, ...(Object.keys(reminders).length ? { reminders } : {}) }];
  }
  if (!Number.isInteger(year)) return (console.error('请用 --year 指定四位数字的年度'), 2);
  if (!coordinators.length) return (console.error('请用 --coordinator 指定至少一个政务公开办（管理员）的电子邮箱'), 2);
  const r = await callApi(target, 'POST', '/cycles', { json: { year, groups, coordinatorEmails: coordinators, autoPublish: one('auto-publish') === 'true', listUnpublished: one('list-unpublished') === 'true' } });
  if (r.status !== 200 && r.status !== 201) return fail(String(r.body.error));
  console.log(`${year}年度已${r.status === 201 ? '创建' : '更新'}：${groups.map((g) => g.name).join('、')}`);
  return 0;
}
