/**
 * `nianbao offices import` against the real API router behind the local gateway's HTTP translation (in-memory
 * ports): a GBK CSV with Chinese headers and no ids is previewed, then applied with --apply. And how a file
 * crosses the gateway: raw bytes arrive intact; a text body that lost its bytes is refused, not read as garbage.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { readBody, toEvent, writeResult } from '../../local/gateway';
import { route } from '../../functions/api/router';
import { errorResult, fileBody } from '../../functions/http';
import { hashToken } from '../../shared/cycle/tokens';
import { run } from '../../cli/commands/offices';
import { seeded, type World } from '../cycle/helpers';

const TOKEN = 'coordinator-token-for-the-offices-cli-test';
let w: World;
let server: Server;
let api: string;
const seen: { body: ReturnType<typeof fileBody> | { error: string } }[] = [];

beforeAll(async () => {
  w = await seeded({ coordinatorTokenSha256: hashToken(TOKEN) });
  server = createServer(async (req, res) => {
    const url = new URL(req.url!, 'http://127.0.0.1');
    const event = toEvent(req, (await readBody(req, 1 << 20))!, null, url);
    if (url.pathname === '/file') {
      // What a route taking a file gets from the event.
      try {
        seen.push({ body: fileBody(event) });
      } catch (e) {
        seen.push({ body: { error: (e as Error).message } });
      }
      return writeResult(res, { statusCode: 204 });
    }
    writeResult(res, await route(w.deps, event).catch((e) => errorResult(e, () => {})));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => server.close());

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...a) => void out.push(a.join(' ')));
  const error = jest.spyOn(console, 'error').mockImplementation((...a) => void err.push(a.join(' ')));
  try {
    const code = await run([...args, '--api', api, '--token', TOKEN]);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

test('offices import: the preview in Chinese, nothing written; --apply imports; again: nothing to do', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-offices-'));
  const file = join(dir, '单位名单.csv');
  writeFileSync(file, iconv.encode('单位名称,分组,电子邮箱,联系人\r\n金城区教育局,市直部门,jy@example.cn；jy2@example.cn,王芳\r\n锦程街道办事处,街道,jc@example.cn;jc2@example.cn,\r\n', 'gbk'));

  const preview = await cli(['import', '--year', '2026', file]);
  expect(preview).toMatchObject({ code: 0, err: '' });
  expect(preview.out).toBe(
    [
      '第2行　新增　金城区教育局（jinchengqujiaoyuju，按名称生成）　市直部门',
      '第3行　无变化　锦程街道办事处（jincheng）　街道',
      '名单中没有、保持不变的单位：发展和改革局（fagai）',
      '共 2 行：新增 1，更新 0，无变化 1，错误 0；名单中没有的 1 个单位保持不变',
      '以上为预览，尚未导入。确认无误后加 --apply 导入。',
    ].join('\n'),
  );
  expect(await w.repo.getOffice(2026, 'jinchengqujiaoyuju')).toBeNull();

  const applied = await cli(['import', file, '--apply']); // the newest cycle
  expect(applied.code).toBe(0);
  expect(applied.out).toMatch(/^年度：2026（未指定 --year，取最新的年度）\n[\s\S]*已导入：新增 1 个单位，更新 0 个单位。$/);
  expect(await w.repo.getOffice(2026, 'jinchengqujiaoyuju')).toMatchObject({ name: '金城区教育局', emails: ['jy@example.cn', 'jy2@example.cn'], contact: '王芳', group: 'departments' });

  const again = await cli(['import', '--year', '2026', file, '--apply']);
  expect(again.out).toMatch(/名单与现有单位一致，无需导入。$/);
});

test('offices import: a list with an error row exits 1 and imports nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-offices-'));
  const file = join(dir, 'bad.csv');
  writeFileSync(file, '单位名称,分组,邮箱\n审计局,市直部门,sj@example\n');
  const r = await cli(['import', '--year', '2026', file, '--apply']);
  expect(r.code).toBe(1);
  expect(r.out).toContain('第2行　错误　审计局（shenjiju）　市直部门\n　　邮箱：电子邮箱格式不正确');
  expect(await w.repo.getOffice(2026, 'shenjiju')).toBeNull();
});

test('a file through the gateway: raw bytes survive, JSON base64 too; a GBK body sent as text is refused with how to send it', async () => {
  const gbk = iconv.encode('单位名称,邮箱\n财政局,cz@example.cn\n', 'gbk');
  const post = (type: string, body: Uint8Array | string) => fetch(`${api}/file`, { method: 'POST', headers: { 'content-type': type }, body: body as BodyInit });
  await post('application/octet-stream', gbk);
  await post('application/json', JSON.stringify({ contentBase64: gbk.toString('base64'), fileName: '名单.csv' }));
  await post('text/csv', gbk);
  await post('application/x-www-form-urlencoded', gbk); // curl --data-binary's default
  await post('text/csv; charset=utf-8', Buffer.from('单位名称,邮箱\n', 'utf8'));
  expect(seen.map((s) => ('error' in s.body ? s.body.error.slice(0, 20) : Buffer.from(s.body.bytes).equals(gbk) || Buffer.from(s.body.bytes).toString('utf8')))).toEqual([
    true,
    true,
    '文件内容在传输中已损坏（以文本方式发送了',
    '文件内容在传输中已损坏（以文本方式发送了',
    '单位名称,邮箱\n',
  ]);
});
