/**
 * The route table (functions/routes.ts) is the only list of routes: the docs' list is generated from it,
 * no source file matches or declares paths of its own, and every route of the table reaches its handler.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { route } from '../../functions/api/router';
import { issueUpload } from '../../functions/issue-upload/handler';
import { errorResult } from '../../functions/http';
import { ROUTES, routesMarkdown } from '../../functions/routes';
import { hashToken } from '../../shared/cycle/tokens';
import { seeded } from '../cycle/helpers';

const ROOT = join(__dirname, '../..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const files = (folder: string, ext: RegExp) =>
  (readdirSync(join(ROOT, folder), { recursive: true }) as string[]).filter((f) => ext.test(f) && !f.includes('node_modules') && !f.startsWith('dist')).map((f) => join(folder, f));

test('docs/api.md lists exactly the routes of the table', () => {
  const block = /<!-- routes:begin[^\n]*-->\n([\s\S]*?)\n<!-- routes:end -->/.exec(read('docs/api.md'));
  expect(block?.[1]).toBe(routesMarkdown());
});

test('no other list of routes: no source declares a path pattern or matches path segments by hand', () => {
  const sources = ['functions', 'local', 'infra', 'shared', 'cli', 'web/src', 'bench'].flatMap((f) => files(f, /\.(ts|js)$/));
  expect(sources.length).toBeGreaterThan(50);
  const pattern = /['"`]\/(cycles|validate|me)\b[^'"`\n]*(?<!\$)\{\w+\}/; // '/cycles/{year}…' as a string
  const byHand = /\bseg(ments)?\[\d\]\s*[!=]==/; // seg[2] === 'offices'
  const offenders = sources.filter((f) => f !== join('functions', 'routes.ts') && (pattern.test(read(f)) || byHand.test(read(f))));
  expect(offenders).toEqual([]);
  // Nor does any document keep a table of API routes beside the generated one (/_local/… are the runtime's own).
  const docs = ['README.md', ...files('docs', /\.md$/)];
  const rows = docs.flatMap((d) => read(d).replace(/<!-- routes:begin[\s\S]*?<!-- routes:end -->/, '').split('\n').filter((l) => /^\|\s*`(GET|POST|PUT|DELETE) \/(cycles|validate|me)\b/.test(l)).map((l) => `${d}: ${l.slice(0, 60)}`));
  expect(rows).toEqual([]);
});

const COORDINATOR = 'coordinator-token-0123456789abcdefghijklmnop';

function event(method: string, path: string): APIGatewayProxyEventV2 {
  return {
    rawPath: path,
    headers: { authorization: `Bearer ${COORDINATOR}` },
    requestContext: { http: { method, path } },
    body: method === 'POST' ? JSON.stringify({ fileName: 'a.txt', note: '请修改', dryRun: true }) : undefined,
  } as unknown as APIGatewayProxyEventV2;
}

test('every route of the table reaches a handler of its function; others are 404, a wrong method 405', async () => {
  const w = await seeded({ coordinatorTokenSha256: hashToken(COORDINATOR) });
  const fill = (p: string) => p.replace('{year}', '2026').replace('{officeId}', 'jincheng').replace('{submissionId}', '2026-000000000000');
  const serve = { api: route, 'issue-upload': issueUpload };
  const answered: string[] = [];
  for (const r of ROUTES) {
    const res = await serve[r.fn](w.deps, event(r.method, fill(r.path))).catch((e) => errorResult(e, () => undefined));
    // Refusals of the use case (409 nothing to publish, 404 no such submission) are fine; "no such route" is not.
    // A file (base64: the exports) came from a handler.
    const error = res.isBase64Encoded ? null : JSON.parse(String(res.body)).error;
    expect([r.path, error]).not.toEqual([r.path, expect.stringMatching(/没有这个接口|不支持的请求方法/)]);
    answered.push(`${r.method} ${r.path}`);
  }
  expect(answered).toHaveLength(ROUTES.length);
  expect((await route(w.deps, event('GET', '/cycles/2026/nothing'))).statusCode).toBe(404);
  expect((await route(w.deps, event('DELETE', '/cycles/2026'))).statusCode).toBe(405);
  expect((await issueUpload(w.deps, event('GET', '/cycles/2026/offices/jincheng/uploads'))).statusCode).toBe(405);
});
