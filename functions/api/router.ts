/**
 * The API's routes → use cases. Path parameters are validated before they reach any key; the principal comes
 * from the bearer token. Takes its dependencies as an argument so tests drive it with in-memory ports.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { CycleDeps } from '../../shared/cycle/deps';
import { CycleError, invalid } from '../../shared/cycle/errors';
import type { CycleInput, Principal } from '../../shared/cycle/model';
import {
  authenticate,
  createCycle,
  dryRun,
  getOfficeStatus,
  importOffices,
  issueOfficeToken,
  listOfficeStatuses,
  parseOfficeId,
  parseYear,
  publishOffice,
  requireCoordinator,
  returnOffice,
} from '../../shared/cycle/service';
import { dashboardView, latestTables, submissionReceipt } from '../../shared/cycle/pages';
import { cycleAggregateFile, type AggregateFormat } from '../../shared/cycle/aggregate';
import { parseRunAt, sendReminderNow, sendReminders } from '../../shared/cycle/reminders';
import { bodyBytes, bodyJson, header, json, segments, type Result } from '../http';

const NOT_FOUND = (): Result => json(404, { error: '没有这个接口' });
const METHOD = (): Result => json(405, { error: '不支持的请求方法' });

export async function route(deps: CycleDeps, event: APIGatewayProxyEventV2): Promise<Result> {
  const method = (event.requestContext?.http?.method ?? 'GET').toUpperCase();
  const seg = segments(event);
  const auth = () => authenticate(deps, header(event, 'authorization'));

  if (seg.length === 1 && seg[0] === 'validate') {
    if (method !== 'POST') return METHOD();
    await auth();
    return validate(deps, event);
  }
  if (seg.length === 1 && seg[0] === 'me') {
    if (method !== 'GET') return METHOD();
    return json(200, await auth());
  }
  if (seg[0] !== 'cycles') return NOT_FOUND();

  const principal = await auth();
  // /cycles
  if (seg.length === 1) {
    requireCoordinator(principal);
    if (method === 'GET') return json(200, { cycles: (await deps.repo.listCycles()).sort((a, b) => b.year - a.year) });
    if (method === 'POST') {
      const { cycle, created } = await createCycle(deps, bodyJson(event) as unknown as CycleInput);
      return json(created ? 201 : 200, { cycle, created });
    }
    return METHOD();
  }
  const year = parseYear(seg[1]);
  // /cycles/{year}
  if (seg.length === 2) {
    if (method !== 'GET') return METHOD();
    requireCoordinator(principal);
    const cycle = await deps.repo.getCycle(year);
    return cycle ? json(200, { cycle }) : json(404, { error: `${year}年度尚未创建` });
  }
  // /cycles/{year}/dashboard: every office with its last submission (the coordinators' page)
  if (seg.length === 3 && seg[2] === 'dashboard') {
    if (method !== 'GET') return METHOD();
    requireCoordinator(principal);
    return json(200, await dashboardView(deps, principal, year));
  }
  // /cycles/{year}/reminders: run the daily reminder job for this cycle now, or as of `at` (rehearsal)
  if (seg.length === 3 && seg[2] === 'reminders') {
    if (method !== 'POST') return METHOD();
    requireCoordinator(principal);
    const body = bodyJson(event);
    if (!(await deps.repo.getCycle(year))) return json(404, { error: `${year}年度尚未创建` });
    const at = parseRunAt(body.at, deps.clock.now());
    return json(200, await sendReminders(deps, at, { year, dryRun: body.dryRun === true }));
  }
  // /cycles/{year}/aggregate: the 本级 report of the cycle (?format=json|docx|pdf, includeAccepted, name, umbrella)
  if (seg.length === 3 && seg[2] === 'aggregate') {
    if (method !== 'GET') return METHOD();
    requireCoordinator(principal);
    return aggregateDownload(deps, year, event.queryStringParameters ?? {});
  }
  // /cycles/{year}/aggregate/publish: the 本级 report into the public record (the archive function writes it)
  if (seg.length === 4 && seg[2] === 'aggregate' && seg[3] === 'publish') {
    if (method !== 'POST') return METHOD();
    requireCoordinator(principal);
    if (!(await deps.repo.getCycle(year))) return json(404, { error: `${year}年度尚未创建` });
    const body = bodyJson(event);
    const umbrella = Array.isArray(body.umbrella) ? body.umbrella.map((id) => parseOfficeId(String(id))) : [];
    const name = typeof body.name === 'string' && body.name.trim() ? body.name.trim().slice(0, 60) : undefined;
    if (!deps.archiveTrigger?.requestAggregate) throw new CycleError('conflict', '未配置归档函数，无法公开汇总报告');
    await deps.archiveTrigger.requestAggregate({ year, includeAccepted: body.includeAccepted === true, name, umbrella });
    return json(202, { queued: true, message: '汇总报告正在生成并公开，稍后可在公开页面查看' });
  }
  if (seg[2] !== 'offices') return NOT_FOUND();
  // /cycles/{year}/offices
  if (seg.length === 3) {
    requireCoordinator(principal);
    if (method === 'GET') return json(200, await listOfficeStatuses(deps, principal, year));
    if (method === 'POST') return json(200, await importOffices(deps, year, officesBody(event)));
    return METHOD();
  }
  const officeId = parseOfficeId(seg[3]);
  // /cycles/{year}/offices/{officeId}: status, submissions, and the tables read from the latest submission
  if (seg.length === 4) {
    if (method !== 'GET') return METHOD();
    const status = await getOfficeStatus(deps, principal, year, officeId);
    return json(200, { ...status, tables: await latestTables(deps, year, officeId, status.submissions) });
  }
  if (seg.length === 5 && method === 'POST') return officeAction(deps, principal, event, year, officeId, seg[4]);
  if (seg.length === 5) return METHOD();
  // /cycles/{year}/offices/{officeId}/submissions/{id}/receipt: the receipt as a file (HTML, or ?format=txt)
  if (seg.length === 7 && seg[4] === 'submissions' && seg[6] === 'receipt') {
    if (method !== 'GET') return METHOD();
    const r = await submissionReceipt(deps, principal, year, officeId, seg[5]);
    const text = event.queryStringParameters?.format === 'txt';
    const fileName = `${r.fileBase}.${text ? 'txt' : 'html'}`;
    return {
      statusCode: 200,
      headers: {
        'content-type': text ? 'text/plain; charset=utf-8' : 'text/html; charset=utf-8',
        'content-disposition': `attachment; filename="receipt.${text ? 'txt' : 'html'}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      },
      body: text ? r.text : r.html,
    };
  }
  return NOT_FOUND();
}

async function officeAction(deps: CycleDeps, principal: Principal, event: APIGatewayProxyEventV2, year: number, officeId: string, action: string): Promise<Result> {
  switch (action) {
    case 'token':
      requireCoordinator(principal);
      return json(201, { year, officeId, ...(await issueOfficeToken(deps, year, officeId)), notice: '令牌只显示这一次，请妥善转交该单位；再次签发会使旧令牌失效' });
    case 'publish':
      requireCoordinator(principal);
      return json(200, { office: await publishOffice(deps, year, officeId) });
    case 'return':
      requireCoordinator(principal);
      return json(200, { office: await returnOffice(deps, year, officeId, bodyJson(event).note) });
    case 'remind':
      requireCoordinator(principal);
      return json(200, await sendReminderNow(deps, year, officeId));
    case 'uploads':
      // Served by the issue-upload function; reaching here means the route table is wrong.
      throw new CycleError('not_found', '上传请使用 issue-upload 接口');
    default:
      return NOT_FOUND();
  }
}

/** CSV (text/csv, or anything not starting like JSON) or JSON: { offices: [...] } or [...]. */
function officesBody(event: APIGatewayProxyEventV2) {
  const bytes = bodyBytes(event);
  if (bytes.length === 0) throw invalid('请求体为空：请提交机构名单（CSV 或 JSON）');
  const type = (header(event, 'content-type') ?? '').toLowerCase();
  const head = Buffer.from(bytes.subarray(0, 64)).toString('utf8').replace(/^\uFEFF/, '').trimStart();
  if (type.includes('json') || head.startsWith('{') || head.startsWith('[')) {
    let value: unknown;
    try {
      value = JSON.parse(Buffer.from(bytes).toString('utf8').replace(/^\uFEFF/, ''));
    } catch {
      throw invalid('请求体不是有效的 JSON');
    }
    const offices = Array.isArray(value) ? value : (value as { offices?: unknown })?.offices;
    if (!Array.isArray(offices)) throw invalid('JSON 应为机构数组，或 { "offices": [...] }');
    return { offices };
  }
  return { csv: bytes };
}

/**
 * POST /validate: the body is the file itself (raw or base64 by API Gateway), or JSON
 * { contentBase64, fileName?, year?, office? }. Query parameters year, office, fileName also work.
 */
async function validate(deps: CycleDeps, event: APIGatewayProxyEventV2): Promise<Result> {
  const q = event.queryStringParameters ?? {};
  let bytes = bodyBytes(event);
  let options: { year?: unknown; office?: unknown; fileName?: unknown } = { year: q.year, office: q.office, fileName: q.fileName };
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('utf8');
  if (/^\s*\{/.test(head) && head.includes('"contentBase64"')) {
    const body = bodyJson(event);
    if (typeof body.contentBase64 !== 'string') throw invalid('contentBase64 应为 base64 字符串');
    bytes = new Uint8Array(Buffer.from(body.contentBase64, 'base64'));
    options = { year: body.year ?? options.year, office: body.office ?? options.office, fileName: body.fileName ?? options.fileName };
  }
  const year = options.year === undefined || options.year === null || options.year === '' ? undefined : parseYear(String(options.year));
  const office = typeof options.office === 'string' && options.office.trim() ? options.office.trim().slice(0, 100) : undefined;
  const fileName = typeof options.fileName === 'string' ? options.fileName.slice(0, 200) : undefined;
  return json(200, await dryRun(deps, bytes, { year, office, fileName }));
}

/**
 * GET /cycles/{year}/aggregate: `format` json (default; the object of `nianbao aggregate --json`), docx or pdf
 * as an attachment; `includeAccepted=1` counts accepted reports not yet published; `name` the government's
 * name for the title; `umbrella` office ids (comma-separated) whose report already covers the others.
 */
async function aggregateDownload(deps: CycleDeps, year: number, q: Record<string, string | undefined>): Promise<Result> {
  const format = (q.format ?? 'json').toLowerCase();
  if (!['json', 'docx', 'pdf'].includes(format)) throw invalid('format 应为 json、docx 或 pdf');
  const name = typeof q.name === 'string' && q.name.trim() ? q.name.trim().slice(0, 60) : undefined;
  const umbrella = (q.umbrella ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((id) => parseOfficeId(id));
  const includeAccepted = q.includeAccepted === '1' || q.includeAccepted === 'true';
  const file = await cycleAggregateFile(deps, year, format as AggregateFormat, { includeAccepted, name, umbrella });
  const ascii = `aggregate-${year}.${format}`;
  return {
    statusCode: 200,
    headers: {
      'content-type': file.contentType,
      'content-disposition': `${q.download === '0' && format === 'json' ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
    ...(format === 'json' ? { body: file.body.toString('utf8') } : { body: file.body.toString('base64'), isBase64Encoded: true }),
  };
}
