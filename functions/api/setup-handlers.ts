/**
 * The api function's routes for setting a cycle up in the browser (issue 15): the office list from a file
 * (preview, then apply), the invitations, the exports, and the office list import that takes either a file or
 * JSON. Spread into the router's handler table; each route is a row of ../routes.ts.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { CycleDeps } from '../../shared/cycle/deps';
import { invalid } from '../../shared/cycle/errors';
import { statusListFile, statusReportFile, type ExportFile } from '../../shared/publishing/exports';
import { inviteOffices } from '../../shared/cycle/invitations';
import { applyOfficeList, previewOfficeList } from '../../shared/cycle/office-list';
import { importOffices } from '../../shared/cycle/service';
import type { Handlers } from '../dispatch';
import { bodyBytes, bodyJson, fileBody, header, json, type Result } from '../http';

type SetupRoutes =
  | 'POST /cycles/{year}/offices'
  | 'POST /cycles/{year}/offices/preview'
  | 'POST /cycles/{year}/invitations'
  | 'GET /cycles/{year}/exports/status.xlsx'
  | 'GET /cycles/{year}/exports/status-report.pdf';

export const SETUP_HANDLERS: Pick<Handlers<'api'>, SetupRoutes> = {
  'POST /cycles/{year}/offices': async ({ deps, event, params: { year } }) => json(200, await importList(deps, year, event)),
  'POST /cycles/{year}/offices/preview': async ({ deps, event, params: { year } }) => json(200, await previewOfficeList(deps, year, fileBody(event).bytes)),
  'POST /cycles/{year}/invitations': async ({ deps, event, principal, params: { year } }) => json(200, await inviteOffices(deps, principal, year, bodyJson(event))),
  'GET /cycles/{year}/exports/status.xlsx': async ({ deps, principal, params: { year } }) => attachment(await statusListFile(deps, principal, year)),
  'GET /cycles/{year}/exports/status-report.pdf': async ({ deps, principal, params: { year } }) => {
    const cycle = await deps.repo.getCycle(year);
    return attachment(await statusReportFile(deps, principal, year, { issuer: cycle?.issuer }));
  },
};

/**
 * JSON `{ offices: […] }` or `[…]`: the offices as records (the CLI sends these). Anything else is the list
 * itself as a file (.xlsx or CSV, in any encoding; `fileBody` says how to send it), applied as its preview
 * shows and refused whole while a row has an error.
 */
async function importList(deps: CycleDeps, year: number, event: APIGatewayProxyEventV2) {
  if (!isJson(event) || bodyText(event).includes('"contentBase64"')) return applyOfficeList(deps, year, fileBody(event).bytes);
  let value: unknown;
  try {
    value = JSON.parse(bodyText(event));
  } catch {
    throw invalid('请求体不是有效的 JSON');
  }
  const offices = Array.isArray(value) ? value : (value as { offices?: unknown } | null)?.offices;
  if (!Array.isArray(offices)) throw invalid('JSON 应为单位数组，或 { "offices": [...] }，或 { "contentBase64": 名单文件的 base64 }');
  return importOffices(deps, year, { offices });
}

const bodyText = (event: APIGatewayProxyEventV2) => Buffer.from(bodyBytes(event)).toString('utf8').replace(/^\uFEFF/, '').trim();

/** A JSON body by its type, or by its first character when the type says nothing (curl's default). */
function isJson(event: APIGatewayProxyEventV2): boolean {
  const type = (header(event, 'content-type') ?? '').toLowerCase();
  if (type.includes('json')) return true;
  if (type && !type.includes('x-www-form-urlencoded') && !type.startsWith('text/plain')) return false;
  return /^[[{]/.test(bodyText(event).slice(0, 16));
}

/** A file as a download: `attachment` with an ASCII name and the Chinese one (RFC 6266), the bytes base64. */
export function attachment(file: ExportFile): Result {
  return {
    statusCode: 200,
    headers: {
      'content-type': file.contentType,
      'content-disposition': `attachment; filename="${file.asciiName}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
    body: file.body.toString('base64'),
    isBase64Encoded: true,
  };
}
