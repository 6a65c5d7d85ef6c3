/**
 * The HTTP API's routes, declared once: method, path, who may call it, which function serves it. The stack
 * (infra/constructs/intake.ts), the local gateway (local/runtime.ts), the Lambda dispatch (./dispatch.ts)
 * and the route list of docs/api.md all read this table. Pure data, so the stack and the smallest function
 * can import it without pulling in the others' handlers: each function binds a handler to each of its
 * routes by key (`Handlers<'api'>`), and the compiler refuses a route without one or a handler without a route.
 */

/**
 * Who may call a route: `coordinator` only; `office`: the office named in the path (or a coordinator);
 * `token`: any valid token, office or coordinator. Every route needs a token: the API has no public route
 * (the public record is static files behind CloudFront).
 */
export type Access = 'coordinator' | 'office' | 'token';

/** The functions behind the HTTP API. */
export type ApiFunction = 'api' | 'issue-upload';

export interface RouteSpec {
  method: 'GET' | 'POST';
  /** `{year}`, `{officeId}`, `{submissionId}` are parameters, checked before use (dispatch.ts). */
  path: string;
  access: Access;
  fn: ApiFunction;
  /** Requests/s and burst, tighter than the stage's: the routes that mint credentials or upload forms. */
  throttle?: { rateLimit: number; burstLimit: number };
  /** One line for docs/api.md. */
  what: string;
}

export const ROUTES = [
  { method: 'POST', path: '/cycles', access: 'coordinator', fn: 'api', what: 'create or update a cycle `{ year, groups: [{ id, name, deadline, reminders? }], coordinatorEmails, autoPublish, listUnpublished, issuer?, contactPerson?, contactPhone? }` (201 created, 200 updated)' },
  { method: 'GET', path: '/cycles', access: 'coordinator', fn: 'api', what: 'the cycles, newest first' },
  { method: 'GET', path: '/cycles/{year}', access: 'coordinator', fn: 'api', what: 'one cycle' },
  { method: 'GET', path: '/cycles/{year}/dashboard', access: 'coordinator', fn: 'api', what: '`{ cycle, counts, offices }`: each office as in `GET …/offices`, plus `lastSubmission` `{ id, fileName, receivedAt, late, state, verdict, errors, warnings }` and `undeliverable` (addresses) ([pages.md](pages.md))' },
  { method: 'POST', path: '/cycles/{year}/reminders', access: 'coordinator', fn: 'api', what: 'run the daily reminder job for that cycle now, or as of `at` (a rehearsal), `{ at?, dryRun? }` ([reminders.md](reminders.md))' },
  { method: 'GET', path: '/cycles/{year}/aggregate', access: 'coordinator', fn: 'api', what: 'the 本级 report: `?format=json` (default), `docx` or `pdf`; `includeAccepted`, `name`, `umbrella` ([aggregate.md](aggregate.md))' },
  { method: 'POST', path: '/cycles/{year}/aggregate/publish', access: 'coordinator', fn: 'api', what: 'the 本级 report into the public record, `{ includeAccepted?, name?, umbrella? }` (202; the archive function writes it)' },
  { method: 'POST', path: '/cycles/{year}/offices', access: 'coordinator', fn: 'api', what: 'import offices: the list as a file (.xlsx or CSV in UTF-8/GBK; `application/octet-stream`, or JSON `{ contentBase64, fileName? }`), applied as `…/offices/preview` shows it and refused whole while a row has an error; or JSON `[…]` / `{ offices: […] }`. New offices are created; existing ones get a new name, group and e-mails and keep their status' },
  { method: 'POST', path: '/cycles/{year}/offices/preview', access: 'coordinator', fn: 'api', what: 'what importing the list (a file, as for `POST …/offices`) would do, row by row (新增/更新/无变化/错误, in Chinese), without writing anything ([coordinator-workflow.md](coordinator-workflow.md))' },
  { method: 'POST', path: '/cycles/{year}/invitations', access: 'coordinator', fn: 'api', throttle: { rateLimit: 2, burstLimit: 5 }, what: 'e-mail every office (or `{ officeIds }`) a new one-click sign-in link (token in the fragment); earlier links stop working. `{ invited, failed }`' },
  { method: 'GET', path: '/cycles/{year}/exports/status.xlsx', access: 'coordinator', fn: 'api', what: 'the status list as an .xlsx attachment (every column, Beijing times)' },
  { method: 'GET', path: '/cycles/{year}/exports/status-report.pdf', access: 'coordinator', fn: 'api', what: 'the printable 报送情况通报 (PDF attachment), signed with the cycle\'s `issuer`' },
  { method: 'GET', path: '/cycles/{year}/offices', access: 'coordinator', fn: 'api', what: 'every office with its status, deadline and overdue flag, plus counts per status' },
  { method: 'GET', path: '/cycles/{year}/offices/{officeId}', access: 'office', fn: 'api', what: 'status, deadline, every submission with its verdict and findings (the coordinator also gets the audit trail), and `tables`: `{ submissionId, formatVersion, year, table2, table3, table4 }` read from the current (else newest) submission\'s parsed JSON, or `null`' },
  { method: 'POST', path: '/cycles/{year}/offices/{officeId}/token', access: 'coordinator', fn: 'api', throttle: { rateLimit: 2, burstLimit: 5 }, what: 'a new office token, returned once; only its SHA-256 is stored; the old one stops working' },
  { method: 'POST', path: '/cycles/{year}/offices/{officeId}/uploads', access: 'office', fn: 'issue-upload', throttle: { rateLimit: 10, burstLimit: 20 }, what: 'body `{ fileName }`. Returns a presigned POST `{ url, fields, key, uploadId, expiresAt, maxBytes }`. The server chooses the key `incoming/{year}/{officeId}/{uploadId}{ext}`, where `uploadId` is a UUIDv7 (time-ordered: a later ticket has a greater id); the policy sets `content-length-range` 1..20 MB, an exact Content-Type and a 15-minute expiry' },
  { method: 'POST', path: '/cycles/{year}/offices/{officeId}/publish', access: 'coordinator', fn: 'api', what: 'ACCEPTED → PUBLISHED, then archive' },
  { method: 'POST', path: '/cycles/{year}/offices/{officeId}/return', access: 'coordinator', fn: 'api', what: 'ACCEPTED → RETURNED with `{ note }`; the office gets an e-mail' },
  { method: 'POST', path: '/cycles/{year}/offices/{officeId}/remind', access: 'coordinator', fn: 'api', what: 'one reminder now (409 if the office owes nothing, every address bounced, or one was sent in the last 60 seconds)' },
  { method: 'GET', path: '/cycles/{year}/offices/{officeId}/submissions/{submissionId}/receipt', access: 'office', fn: 'api', what: 'the receipt as a file (HTML, or `?format=txt`, or `?format=pdf` with the 落款: the cycle\'s `issuer` and the date), `content-disposition: attachment`' },
  { method: 'GET', path: '/cycles/{year}/offices/{officeId}/submissions/{submissionId}/pdf', access: 'office', fn: 'api', what: 'the canonical PDF of the submission, rendered from its parsed report as the archive renders a published version (the same bytes); 409 when the file could not be read ([coordinator-workflow.md](coordinator-workflow.md))' },
  { method: 'GET', path: '/cycles/{year}/offices/{officeId}/submissions/{submissionId}/original', access: 'office', fn: 'api', what: 'the file as uploaded, byte for byte: always `content-disposition: attachment`, `application/octet-stream`, never rendered' },
  { method: 'GET', path: '/cycles/{year}/offices/{officeId}/submissions/{submissionId}/findings.xlsx', access: 'office', fn: 'api', what: 'the submission\'s findings with their explanations and waivers, as .xlsx' },
  { method: 'POST', path: '/cycles/{year}/offices/{officeId}/submissions/{submissionId}/findings/{index}/explanation', access: 'office', fn: 'api', what: 'the office\'s 说明 of a 提示 `{ text }` (`index` counts from 0 in the submission\'s findings)' },
  { method: 'POST', path: '/cycles/{year}/offices/{officeId}/submissions/{submissionId}/findings/{index}/waiver', access: 'coordinator', fn: 'api', what: 'waive a finding `{ reason }` (required for an error); a rejected current submission left without errors becomes ACCEPTED' },
  { method: 'POST', path: '/cycles/{year}/offices/{officeId}/withdraw', access: 'coordinator', fn: 'api', what: 'PUBLISHED → RETURNED with `{ reason }` (撤回): the version leaves the public listing, the office page keeps the notice, the office gets an e-mail and may upload again' },
  { method: 'POST', path: '/validate', access: 'token', fn: 'api', what: 'dry run. The body is the file (raw), or `{ contentBase64, fileName?, year?, office? }`. The answer is the JSON of `nianbao validate --json`; no status changes' },
  { method: 'GET', path: '/me', access: 'token', fn: 'api', what: 'who the token belongs to; an office\'s first sign-in with its current token is recorded' },
] as const satisfies readonly RouteSpec[];

export type Route = (typeof ROUTES)[number];
/** "GET /cycles/{year}": API Gateway's route key. */
export type RouteKey<F extends ApiFunction = ApiFunction> = Extract<Route, { fn: F }> extends infer R ? (R extends Route ? `${R['method']} ${R['path']}` : never) : never;

export const routeKey = (r: Pick<RouteSpec, 'method' | 'path'>) => `${r.method} ${r.path}`;

/** The first path segment of every route: what CloudFront and the local runtime send to the API. */
export const API_PATH_PREFIXES = [...new Set(ROUTES.map((r) => `/${r.path.split('/')[1]}`))];

/**
 * The parameters of `pattern` if the (already split and decoded) path segments fit it, else null.
 * `{name}` matches one non-empty segment.
 */
export function matchPath(pattern: string, parts: readonly string[]): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  if (want.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const param = /^\{(\w+)\}$/.exec(want[i]);
    if (param) params[param[1]] = parts[i];
    else if (want[i] !== parts[i]) return null;
  }
  return params;
}

/** The route list of docs/api.md (between its `routes` markers), generated from the table. */
export function routesMarkdown(): string {
  const who: Record<Access, string> = { coordinator: 'coordinator', office: 'that office or coordinator', token: 'any token' };
  const rows = ROUTES.map((r) => `| \`${r.method} ${r.path}\` | ${who[r.access]} | ${r.what}${r.fn === 'api' ? '' : ` (function \`${r.fn}\`)`} |`);
  return ['| route | who | what |', '|---|---|---|', ...rows].join('\n');
}
