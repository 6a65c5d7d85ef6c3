/**
 * `nianbao remind [--at TIME] [--year Y] [--dry-run] [--json]` — runs the daily reminder job now or as of a
 * simulated time, through the API (`POST /cycles/{year}/reminders`), against the local stack or AWS.
 */
import { callApi, parseOptions, resolveTarget } from '../api-client';

export const summary = '运行每日提醒：remind [--at 2027-01-20T09:00:00+08:00] [--year 年度] [--dry-run] [--json]';

const USAGE = `用法：
  nianbao remind [--at 时间] [--year 年度] [--dry-run] [--json]

  按“--at”指定的时间（默认现在）运行每日提醒：向尚未通过的单位发送到期的提醒或逾期通知，
  并向政务公开办发送进度汇总。邮件先排入发送队列，按邮件服务允许的速率在几分钟内发出。
  每个提醒只发送一次，重复运行不会重复发送。
  --at       ISO 时间（如 2027-01-20T09:00:00+08:00），或日期 2027-01-20（当天北京时间 9 时）
  --year     只处理这一年度（默认：所有年度）
  --dry-run  只列出将要发送的提醒，不发送、不记录
  --json     输出 JSON
  通用选项：--api API地址（默认 NIANBAO_API 或本地环境）--token 管理员令牌（默认 NIANBAO_TOKEN 或本地环境）

退出码：0 成功；1 接口返回错误；2 参数有误。`;

interface Run {
  at: string;
  date: string;
  dryRun: boolean;
  /** The e-mails were queued, to go out at the rate SES allows within minutes. */
  queued?: boolean;
  sent: { year: number; officeId: string; slot: string }[];
  undeliverable: { year: number; officeId: string; slot: string }[];
  digests: number[];
}

const KNOWN = new Set(['at', 'year', 'dry-run', 'json', 'api', 'token', 'help']);

function slotLabel(slot: string): string {
  const m = /^(before|after)(\d+)$/.exec(slot);
  if (!m) return slot;
  if (m[1] === 'before') return m[2] === '0' ? '截止当天' : `截止前${m[2]}天`;
  return `逾期第${m[2]}天`;
}

export async function run(args: string[]): Promise<number> {
  const { options, positional } = parseOptions(args);
  const one = (k: string) => options[k]?.at(-1);
  if (one('help')) {
    console.log(USAGE);
    return 0;
  }
  const unknown = Object.keys(options).find((k) => !KNOWN.has(k));
  if (unknown || positional.length) {
    console.error(`${unknown ? `未知选项 --${unknown}` : `多余的参数 ${positional.join(' ')}`}\n\n${USAGE}`);
    return 2;
  }
  const at = one('at');
  if (at === 'true') return (console.error('--at 需要一个时间，如 2027-01-20T09:00:00+08:00'), 2);
  const yearOpt = one('year');
  if (yearOpt !== undefined && !/^\d{4}$/.test(yearOpt)) return (console.error('--year 应为四位年度，如 2026'), 2);
  const dryRun = one('dry-run') === 'true';
  const asJson = one('json') === 'true';
  const target = resolveTarget({ api: one('api'), token: one('token') });
  if ('error' in target) return (console.error(target.error), 2);

  let years: number[];
  if (yearOpt) years = [Number(yearOpt)];
  else {
    const r = await callApi(target, 'GET', '/cycles');
    if (r.status !== 200) return (console.error(String(r.body.error ?? `HTTP ${r.status}`)), 1);
    years = (r.body.cycles as { year: number }[]).map((c) => c.year).sort((a, b) => a - b);
  }
  const runs: Run[] = [];
  for (const year of years) {
    const r = await callApi(target, 'POST', `/cycles/${year}/reminders`, { json: { ...(at ? { at } : {}), dryRun } });
    if (r.status !== 200) return (console.error(`${year}年度：${String(r.body.error ?? `HTTP ${r.status}`)}`), 1);
    runs.push(r.body as unknown as Run);
  }
  const reminders = runs.reduce((n, r) => n + r.sent.length, 0);
  const digests = runs.reduce((n, r) => n + r.digests.length, 0);
  if (asJson) {
    console.log(JSON.stringify({ at: runs[0]?.at ?? at ?? null, dryRun, reminders, digests, runs }, null, 2));
    return 0;
  }
  if (!runs.length) console.log('没有年度。');
  for (const r of runs) {
    const verb = dryRun ? '将发送' : r.queued ? '已排队发送' : '已发送';
    const year = r.sent[0]?.year ?? r.digests[0] ?? years[runs.indexOf(r)];
    console.log(`${year}年度（${r.date}${dryRun ? '，试运行，未发送' : ''}）：${verb}提醒 ${r.sent.length} 封，进度汇总 ${r.digests.length} 封`);
    for (const s of r.sent) console.log(`  ${s.officeId.padEnd(20)} ${slotLabel(s.slot)}`);
    for (const s of r.undeliverable) console.log(`  ${s.officeId.padEnd(20)} ${slotLabel(s.slot)}（联系邮箱均无法送达，未发送）`);
  }
  return 0;
}
