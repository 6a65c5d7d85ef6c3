import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { issueUpload } from '../../functions/issue-upload/handler';
import { errorResult } from '../../functions/http';
import { defaultChecker } from '../../shared/cycle/checker';
import { hashToken } from '../../shared/cycle/tokens';
import { OFFICES_CSV, world } from '../cycle/helpers';
import { apiEvent as event, COORDINATOR, routedJson as call } from './api-events';



async function setup() {
  const w = world({ coordinatorTokenSha256: hashToken(COORDINATOR), checker: defaultChecker });
  const created = await call(
    w,
    event('POST', '/cycles', {
      token: COORDINATOR,
      type: 'application/json',
      body: JSON.stringify({
        year: 2026,
        coordinatorEmails: ['coord@example.cn'],
        groups: [
          { id: 'departments', name: '市直部门', deadline: '2027-01-31T23:59:59+08:00' },
          { id: 'streets', name: '街道', deadline: '2027-01-26' },
        ],
      }),
    }),
  );
  expect(created.status).toBe(201);
  const imported = await call(w, event('POST', '/cycles/2026/offices', { token: COORDINATOR, type: 'text/csv', body: OFFICES_CSV }));
  expect(imported).toMatchObject({ status: 200, body: { created: ['jincheng', 'fagai'], updated: [] } });
  const t = await call(w, event('POST', '/cycles/2026/offices/jincheng/token', { token: COORDINATOR }));
  expect(t.status).toBe(201);
  return { w, officeToken: t.body.token as string };
}

describe('api routes', () => {
  test('coordinator flow: create, import, token; the office sees only itself', async () => {
    const { w, officeToken } = await setup();
    expect(officeToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Only the hash is stored.
    expect(JSON.stringify([...w.repo.tokens.values()])).not.toContain(officeToken);

    const own = await call(w, event('GET', '/cycles/2026/offices/jincheng', { token: officeToken }));
    expect(own.status).toBe(200);
    expect(own.body.office).toMatchObject({ officeId: 'jincheng', status: 'NOT_SUBMITTED', statusLabel: '未提交', deadline: '2027-01-26T15:59:59.000Z' });
    expect(own.body.audit).toBeUndefined();

    const other = await call(w, event('GET', '/cycles/2026/offices/fagai', { token: officeToken }));
    expect(other).toEqual({ status: 403, body: { error: '此访问令牌只能用于本单位本年度的报告' } });
    expect((await call(w, event('GET', '/cycles/2026/offices', { token: officeToken }))).status).toBe(403);
    expect((await call(w, event('POST', '/cycles/2026/offices/fagai/token', { token: officeToken }))).status).toBe(403);

    const all = await call(w, event('GET', '/cycles/2026/offices', { token: COORDINATOR }));
    expect(all.body.counts.NOT_SUBMITTED).toBe(2);
    expect(all.body.offices.map((o: { officeId: string }) => o.officeId).sort()).toEqual(['fagai', 'jincheng']);
  });

  test('401 without or with a wrong token; a rotated token stops working', async () => {
    const { w, officeToken } = await setup();
    const none = await call(w, event('GET', '/cycles/2026/offices/jincheng'));
    expect(none.status).toBe(401);
    expect(none.body.error).toContain('访问令牌');
    expect((await call(w, event('GET', '/cycles/2026/offices/jincheng', { token: 'x'.repeat(43) }))).status).toBe(401);
    await call(w, event('POST', '/cycles/2026/offices/jincheng/token', { token: COORDINATOR }));
    expect((await call(w, event('GET', '/cycles/2026/offices/jincheng', { token: officeToken }))).status).toBe(401);
  });

  test('path parameters are validated before they reach a key', async () => {
    const { w } = await setup();
    for (const path of ['/cycles/26/offices', '/cycles/2026/offices/..%2F..%2Fetc', '/cycles/2026/offices/Jincheng', '/cycles/abcd']) {
      const r = await call(w, event('GET', path, { token: COORDINATOR }));
      expect(r.status).toBe(400);
      expect(r.body.error).toMatch(/年度|单位编号/);
    }
    expect((await call(w, event('GET', '/cycles/2026/offices/nobody', { token: COORDINATOR }))).status).toBe(404);
  });

  test('office import errors come back line by line; JSON import works too', async () => {
    const { w } = await setup();
    const bad = await call(w, event('POST', '/cycles/2026/offices', { token: COORDINATOR, type: 'text/csv', body: 'id,name,group,emails\nx,某局,nogroup,a@x.cn' }));
    expect(bad.status).toBe(400);
    expect(bad.body.error).toContain('第2行');
    const ok = await call(
      w,
      event('POST', '/cycles/2026/offices', { token: COORDINATOR, type: 'application/json', body: JSON.stringify({ offices: [{ id: 'fagai', name: '发改局', group: '市直部门', emails: ['n@x.cn'] }] }) }),
    );
    expect(ok.body).toEqual({ created: [], updated: ['fagai'] });
    expect((await w.repo.getOffice(2026, 'fagai'))?.group).toBe('departments');
    const malformed = await call(w, event('POST', '/cycles', { token: COORDINATOR, body: '{nope' }));
    expect(malformed).toEqual({ status: 400, body: { error: '请求体不是有效的 JSON' } });
  });

  test('POST /validate is a dry run: findings, no status change', async () => {
    const { w, officeToken } = await setup();
    const seed = readFileSync(join(__dirname, '../../fixtures/jincheng-2020.txt'));
    const r = await call(w, event('POST', '/validate', { token: officeToken, body: seed, query: { year: '2020' } }));
    expect(r.status).toBe(200);
    expect(r.body.verdict).toBe('rejected');
    expect(r.body.year).toBe(2020);
    expect(r.body.findings.length).toBeGreaterThan(0);
    expect(r.body.report.$schema).toMatch(/report/);
    const wrapped = await call(w, event('POST', '/validate', { token: officeToken, body: JSON.stringify({ contentBase64: seed.toString('base64'), year: 2020 }) }));
    expect(wrapped.body.findings).toEqual(r.body.findings);
    const junk = await call(w, event('POST', '/validate', { token: officeToken, body: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]) }));
    expect(junk.status).toBe(400);
    expect(junk.body.error).toContain('图片');
    expect((await w.repo.getOffice(2026, 'jincheng'))?.status).toBe('NOT_SUBMITTED');
    expect((await call(w, event('POST', '/validate', { body: seed }))).status).toBe(401);
  });

  test('issue-upload: a presigned POST for the own office only, server-chosen key and limits', async () => {
    const { w, officeToken } = await setup();
    const ok = await issueUpload(w.deps, event('POST', '/cycles/2026/offices/jincheng/uploads', { token: officeToken, body: JSON.stringify({ fileName: '锦程2026年报.DOCX' }) }));
    expect(ok.statusCode).toBe(201);
    const body = JSON.parse(String(ok.body));
    expect(body.key).toMatch(/^incoming\/2026\/jincheng\/[0-9a-f-]{36}\.docx$/);
    expect(body.contentType).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(w.incoming.posts[0]).toMatchObject({ minBytes: 1, maxBytes: 20 * 1024 * 1024, fileName: '锦程2026年报.DOCX' });
    expect(w.incoming.posts[0].expiresSeconds).toBeLessThanOrEqual(900);

    const other = await issueUpload(w.deps, event('POST', '/cycles/2026/offices/fagai/uploads', { token: officeToken, body: JSON.stringify({ fileName: 'a.pdf' }) })).catch((e) => errorResult(e, () => undefined));
    expect(other.statusCode).toBe(403);
    const exe = await issueUpload(w.deps, event('POST', '/cycles/2026/offices/jincheng/uploads', { token: officeToken, body: JSON.stringify({ fileName: 'a.exe' }) })).catch((e) => errorResult(e, () => undefined));
    expect(exe.statusCode).toBe(400);
    expect(JSON.parse(String(exe.body)).error).toContain('不支持的文件类型');
  });
});
