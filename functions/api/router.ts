/**
 * The api function's routes (declared in ../routes.ts) → use cases. The dispatcher has authenticated the
 * caller, checked the path parameters and the route's access rule; handlers parse bodies and shape replies.
 * Takes its dependencies as an argument so tests drive it with in-memory ports.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { CycleDeps } from '../../shared/cycle/deps';
import { CycleError, invalid } from '../../shared/cycle/errors';
import type { CycleInput } from '../../shared/cycle/model';
import {
  createCycle,
  dryRun,
  getOfficeStatus,
  issueOfficeToken,
  listOfficeStatuses,
  parseOfficeId,
  parseYear,
  publishOffice,
  returnOffice,
} from '../../shared/cycle/service';
import { dashboardView, latestTables, submissionReceipt } from '../../shared/cycle/pages';
import { cycleAggregateFile, type AggregateFormat } from '../../shared/publishing/aggregate';
import { parseRunAt, sendReminderNow, sendReminders } from '../../shared/cycle/reminders';
import { bodyBytes, bodyJson, json, type Result } from '../http';
import { receiptPdfFile, submissionOriginalFile, submissionPdfFile } from '../../shared/publishing/review';
import { explainFinding, waiveFinding } from '../../shared/cycle/judgement';
import { withdrawOffice } from '../../shared/cycle/use-cases/withdraw-office';
import { dispatcher, type Handlers } from '../dispatch';
import { recordSignIn } from '../../shared/cycle/invitations';
import { SETUP_HANDLERS, attachment } from './setup-handlers';

const noCycle = (year: number) => json(404, { error: `${year}年度尚未创建` });

/** The api function's handlers, one per route of the table. */
const HANDLERS: Handlers<'api'> = {
  'POST /cycles': async ({ deps, event }) => {
    const { cycle, created } = await createCycle(deps, bodyJson(event) as unknown as CycleInput);
    return json(created ? 201 : 200, { cycle, created });
  },
  'GET /cycles': async ({ deps }) => json(200, { cycles: (await deps.repo.listCycles()).sort((a, b) => b.year - a.year) }),
  'GET /cycles/{year}': async ({ deps, params: { year } }) => {
    const cycle = await deps.repo.getCycle(year);
    return cycle ? json(200, { cycle }) : noCycle(year);
  },
  'GET /cycles/{year}/dashboard': async ({ deps, principal, params: { year } }) => json(200, await dashboardView(deps, principal, year)),
  'POST /cycles/{year}/reminders': async ({ deps, event, params: { year } }) => {
    const body = bodyJson(event);
    if (!(await deps.repo.getCycle(year))) return noCycle(year);
    const at = parseRunAt(body.at, deps.clock.now());
    return json(200, await sendReminders(deps, at, { year, dryRun: body.dryRun === true }));
  },
  'GET /cycles/{year}/aggregate': async ({ deps, event, params: { year } }) => aggregateDownload(deps, year, event.queryStringParameters ?? {}),
  'POST /cycles/{year}/aggregate/publish': async ({ deps, event, params: { year } }) => {
    if (!(await deps.repo.getCycle(year))) return noCycle(year);
    const body = bodyJson(event);
    const umbrella = Array.isArray(body.umbrella) ? body.umbrella.map((id) => parseOfficeId(String(id))) : [];
    const name = typeof body.name === 'string' && body.name.trim() ? body.name.trim().slice(0, 60) : undefined;
    if (!deps.archiveTrigger?.requestAggregate) throw new CycleError('conflict', '未配置归档函数，无法公开汇总报告');
    await deps.archiveTrigger.requestAggregate({ year, includeAccepted: body.includeAccepted === true, name, umbrella });
    return json(202, { queued: true, message: '汇总报告正在生成并公开，稍后可在公开页面查看' });
  },
  'GET /cycles/{year}/offices': async ({ deps, principal, params: { year } }) => json(200, await listOfficeStatuses(deps, principal, year)),
  'GET /cycles/{year}/offices/{officeId}': async ({ deps, principal, params: { year, officeId } }) => {
    const status = await getOfficeStatus(deps, principal, year, officeId);
    return json(200, { ...status, tables: await latestTables(deps, year, officeId, status.submissions) });
  },
  'POST /cycles/{year}/offices/{officeId}/token': async ({ deps, params: { year, officeId } }) =>
    json(201, { year, officeId, ...(await issueOfficeToken(deps, year, officeId)), notice: '令牌只显示这一次，请妥善转交该单位；再次签发会使旧令牌失效' }),
  'POST /cycles/{year}/offices/{officeId}/publish': async ({ deps, params: { year, officeId } }) => json(200, { office: await publishOffice(deps, year, officeId) }),
  'POST /cycles/{year}/offices/{officeId}/return': async ({ deps, event, params: { year, officeId } }) =>
    json(200, { office: await returnOffice(deps, year, officeId, bodyJson(event).note) }),
  'POST /cycles/{year}/offices/{officeId}/remind': async ({ deps, params: { year, officeId } }) => json(200, await sendReminderNow(deps, year, officeId)),
  'GET /cycles/{year}/offices/{officeId}/submissions/{submissionId}/receipt': async ({ deps, event, principal, params: { year, officeId, submissionId } }) => {
    if (event.queryStringParameters?.format === 'pdf') return attachment(await receiptPdfFile(deps, principal, year, officeId, submissionId));
    const r = await submissionReceipt(deps, principal, year, officeId, submissionId);
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
  },
  'GET /cycles/{year}/offices/{officeId}/submissions/{submissionId}/pdf': async ({ deps, principal, params: { year, officeId, submissionId } }) =>
    attachment(await submissionPdfFile(deps, principal, year, officeId, submissionId)),
  'GET /cycles/{year}/offices/{officeId}/submissions/{submissionId}/original': async ({ deps, principal, params: { year, officeId, submissionId } }) =>
    attachment(await submissionOriginalFile(deps, principal, year, officeId, submissionId)),
  'GET /cycles/{year}/offices/{officeId}/submissions/{submissionId}/findings.xlsx': async ({ deps, principal, params: { year, officeId, submissionId } }) => {
    // The exports pull in pdfkit: loaded on first use, not with the function (cold start).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { findingsFile } = require('../../shared/publishing/exports') as typeof import('../../shared/publishing/exports');
    return attachment(await findingsFile(deps, principal, year, officeId, submissionId));
  },
  'POST /cycles/{year}/offices/{officeId}/submissions/{submissionId}/findings/{index}/explanation': async ({ deps, event, principal, params: { year, officeId, submissionId, index } }) =>
    json(200, { finding: await explainFinding(deps, principal, { year, officeId, submissionId, index }, bodyJson(event).text) }),
  'POST /cycles/{year}/offices/{officeId}/submissions/{submissionId}/findings/{index}/waiver': async ({ deps, event, principal, params: { year, officeId, submissionId, index } }) =>
    json(200, await waiveFinding(deps, principal, { year, officeId, submissionId, index }, bodyJson(event).reason)),
  'POST /cycles/{year}/offices/{officeId}/withdraw': async ({ deps, event, params: { year, officeId } }) =>
    json(200, { office: await withdrawOffice(deps, year, officeId, bodyJson(event).reason) }),
  'POST /validate': async ({ deps, event }) => validate(deps, event),
  'GET /me': async ({ deps, principal }) => {
    await recordSignIn(deps, principal);
    return json(200, principal);
  },
  ...SETUP_HANDLERS,
};

export const route = dispatcher('api', HANDLERS);

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
