/** The CLI commands against a real HTTP server that serves the api router with in-memory ports. */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { route } from '../../functions/api/router';
import { errorResult } from '../../functions/http';
import { hashToken } from '../../shared/cycle/tokens';
import * as cycle from '../../cli/commands/cycle';
import * as offices from '../../cli/commands/offices';
import * as token from '../../cli/commands/token';
import { OFFICES_CSV, world } from '../cycle/helpers';

const COORDINATOR = 'cli-coordinator-token-0123456789abcdefghij';
const w = world({ coordinatorTokenSha256: hashToken(COORDINATOR) });
let server: Server;
let out: string[];
let err: string[];

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://x');
    const event = {
      rawPath: url.pathname,
      headers: req.headers as Record<string, string>,
      queryStringParameters: Object.fromEntries(url.searchParams),
      requestContext: { http: { method: req.method } },
      body: Buffer.concat(chunks).toString('base64'),
      isBase64Encoded: true,
    } as unknown as APIGatewayProxyEventV2;
    const r = await route(w.deps, event).catch((e) => errorResult(e, () => undefined));
    res.writeHead(r.statusCode ?? 200, r.headers as Record<string, string>).end(r.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address() as { port: number };
  process.env.NIANBAO_API = `http://127.0.0.1:${addr.port}`;
  process.env.NIANBAO_TOKEN = COORDINATOR;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  out = [];
  err = [];
  jest.spyOn(console, 'log').mockImplementation((...a) => void out.push(a.join(' ')));
  jest.spyOn(console, 'error').mockImplementation((...a) => void err.push(a.join(' ')));
});
afterEach(() => jest.restoreAllMocks());

test('cycle create → offices import → token → status', async () => {
  expect(await cycle.run(['create', '--year', '2026', '--group', 'departments:市直部门:2027-01-31', '--group', 'streets:街道:2027-01-26', '--coordinator', 'c@example.cn'])).toBe(0);
  expect(out.at(-1)).toBe('2026年度已创建：市直部门、街道');
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-cli-'));
  writeFileSync(join(dir, 'offices.csv'), OFFICES_CSV);
  expect(await offices.run(['import', '--year', '2026', join(dir, 'offices.csv')])).toBe(0);
  expect(out.at(-1)).toBe('以上为预览，尚未导入。确认无误后加 --apply 导入。');
  expect(await offices.run(['import', '--year', '2026', join(dir, 'offices.csv'), '--apply'])).toBe(0);
  expect(out.at(-1)).toBe('已导入：新增 2 个单位，更新 0 个单位。');
  expect(await token.run(['--year', '2026', '--office', 'jincheng'])).toBe(0);
  expect(out.at(-1)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(err.at(-1)).toContain('只显示这一次');
  expect(await cycle.run(['status', '--year', '2026'])).toBe(0);
  expect(out.slice(-2).join('\n')).toMatch(/fagai\s+发展和改革局 {2}未提交/);
});

test('errors: bad CSV lines come back with line numbers (exit 1); usage problems exit 2', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-cli-'));
  writeFileSync(join(dir, 'bad.csv'), 'id,name,group,emails\nok,某局,departments\n');
  expect(await offices.run(['import', '--year', '2026', join(dir, 'bad.csv'), '--apply'])).toBe(1);
  expect(out.join('\n')).toContain('第2行　错误　某局（ok）　市直部门\n　　邮箱：至少需要一个电子邮箱');
  expect(await token.run(['--year', '2026'])).toBe(2);
  expect(await cycle.run(['create', '--year', '2026', '--coordinator', 'c@example.cn'])).toBe(2);
  expect(await token.run(['--year', '2026', '--office', 'nobody'])).toBe(1);
  expect(err.at(-1)).toContain('没有编号为“nobody”的单位');
  expect(await token.run(['--year', '2026', '--office', 'jincheng', '--token', 'wrong-token-wrong-token-wrong-token'])).toBe(1);
  expect(err.at(-1)).toContain('访问令牌');
});
