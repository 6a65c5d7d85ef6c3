/** `nianbao token --year Y --office ID` — issue (or replace) an office's upload token; it is shown once. */
import { callApi, parseOptions, resolveTarget } from '../api-client';

export const summary = '为单位签发上传令牌（只显示一次，旧令牌失效）：token --year 年度 --office 单位编号';

const USAGE = `用法：nianbao token --year 2026 --office jincheng [--json]

  签发该单位本年度的访问令牌，用于上传报告和查看办理状态。令牌只显示这一次，系统只保存其 SHA-256；
  再次签发会使旧令牌立即失效。
  通用选项：--api API地址 --token 管理员令牌

退出码：0 成功；1 接口返回错误；2 参数有误。`;

export async function run(args: string[]): Promise<number> {
  const { options } = parseOptions(args);
  const one = (k: string) => options[k]?.at(-1);
  if (one('help') || args.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const year = one('year');
  const office = one('office');
  if (!year || !office) {
    console.error(`请用 --year 和 --office 指定年度和单位编号\n\n${USAGE}`);
    return 2;
  }
  const target = resolveTarget({ api: one('api'), token: one('token') });
  if ('error' in target) return (console.error(target.error), 2);
  const r = await callApi(target, 'POST', `/cycles/${encodeURIComponent(year)}/offices/${encodeURIComponent(office)}/token`);
  if (r.status !== 201) {
    console.error(String(r.body.error));
    return 1;
  }
  if (one('json')) console.log(JSON.stringify({ year: Number(year), officeId: office, token: r.body.token }));
  else {
    console.log(String(r.body.token));
    console.error('（令牌只显示这一次，请妥善转交该单位；再次签发会使旧令牌失效）');
  }
  return 0;
}
