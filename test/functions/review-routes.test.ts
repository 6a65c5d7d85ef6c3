/**
 * The review routes through the api function's dispatch on in-memory ports: the canonical PDF (the bytes the
 * archive then holds), the original as an attachment under a neutral type, the findings .xlsx, the receipt PDF,
 * 说明 and 豁免 on findings, and 撤回 — each for the office itself or the 政务公开办 only, as the route says.
 */
import ExcelJS from 'exceljs';
import { archiveSubmission } from '../../shared/publishing/archive';
import { processSubmission } from '../../shared/cycle/processing';
import { createCycle, importOffices, issueOfficeToken } from '../../shared/cycle/service';
import { sitePaths } from '../../shared/common/site';
import { hashToken } from '../../shared/cycle/tokens';
import { upload, world } from '../cycle/helpers';
import { apiEvent, COORDINATOR, routed as call, type EventOptions } from './api-events';

const PAGE = '<!doctype html><html><body><script>window.__pwned=1</script>OK 年度报告</body></html>';

const event = (method: string, path: string, token: string | undefined, options: EventOptions = {}) => apiEvent(method, path, { token, type: 'application/json', ...options });


const bytesOf = (r: { body?: string; isBase64Encoded?: boolean }) => Buffer.from(r.body ?? '', r.isBase64Encoded ? 'base64' : 'utf8');
const errorOf = (r: { body?: string }) => JSON.parse(r.body ?? '{}').error as string;

async function setup() {
  const w = world({ coordinatorTokenSha256: hashToken(COORDINATOR) });
  await createCycle(w.deps, {
    year: 2026,
    coordinatorEmails: ['coord@example.cn'],
    groups: [{ id: 'departments', name: '市直部门', deadline: '2027-01-31' }],
    issuer: '金城区人民政府办公室',
  });
  await importOffices(w.deps, 2026, {
    offices: [
      { id: 'jincheng', name: '锦程街道办事处', group: 'departments', emails: ['jc@example.cn'] },
      { id: 'fagai', name: '发展和改革局', group: 'departments', emails: ['fg@example.cn'] },
    ],
  });
  const jc = (await issueOfficeToken(w.deps, 2026, 'jincheng')).token;
  const fg = (await issueOfficeToken(w.deps, 2026, 'fagai')).token;
  const page = (await processSubmission(w.deps, upload(w, 'jincheng', PAGE, { ext: '.html', fileName: '锦程年报.html' }))) as { submissionId: string };
  const warn = (await processSubmission(w.deps, upload(w, 'fagai', 'WARN report'))) as { submissionId: string };
  return { w, jc, fg, page: page.submissionId, warn: warn.submissionId };
}

const sub = (officeId: string, id: string, rest = '') => `/cycles/2026/offices/${officeId}/submissions/${id}${rest}`;

test('the canonical PDF: the office its own, the 政务公开办 any; the same bytes the archive holds once published', async () => {
  const { w, jc, page } = await setup();
  const own = await call(w, event('GET', sub('jincheng', page, '/pdf'), jc));
  expect(own.statusCode).toBe(200);
  expect(own.headers).toMatchObject({ 'content-type': 'application/pdf', 'x-content-type-options': 'nosniff' });
  expect(String(own.headers!['content-disposition'])).toMatch(/^attachment; filename="report-jincheng-.+\.pdf"; filename\*=UTF-8''/);
  expect(bytesOf(own).subarray(0, 5).toString()).toBe('%PDF-');
  const byCoordinator = await call(w, event('GET', sub('jincheng', page, '/pdf'), COORDINATOR));
  expect(bytesOf(byCoordinator).equals(bytesOf(own))).toBe(true);

  expect((await call(w, event('POST', '/cycles/2026/offices/jincheng/publish', COORDINATOR))).statusCode).toBe(200);
  for (const ref of w.archived.splice(0)) await archiveSubmission(w.deps, ref);
  const archived = w.archive.objects.get(`public/${sitePaths.pdf(2026, 'jincheng', 1)}`)!;
  expect(Buffer.from(archived.bytes).equals(bytesOf(own))).toBe(true);
});

test('the original: byte for byte, always an attachment under a neutral type, never to another office', async () => {
  const { w, jc, fg, page } = await setup();
  const r = await call(w, event('GET', sub('jincheng', page, '/original'), jc));
  expect(r.statusCode).toBe(200);
  expect(r.headers).toMatchObject({ 'content-type': 'application/octet-stream', 'x-content-type-options': 'nosniff' });
  expect(r.headers!['content-disposition']).toBe(`attachment; filename="original-${page}.html"; filename*=UTF-8''${encodeURIComponent('锦程年报.html')}`);
  expect(bytesOf(r).toString('utf8')).toBe(PAGE);

  for (const rest of ['/original', '/pdf', '/findings.xlsx', '/receipt']) {
    const other = await call(w, event('GET', sub('jincheng', page, rest), fg));
    expect([rest, other.statusCode, errorOf(other)]).toEqual([rest, 403, '此访问令牌只能用于本单位本年度的报告']);
  }
  expect((await call(w, event('GET', sub('jincheng', page, '/original'), undefined))).statusCode).toBe(401);
  expect((await call(w, event('GET', sub('jincheng', 'nope', '/original'), COORDINATOR))).statusCode).toBe(404);
});

test('the findings .xlsx and the receipt PDF download for the office', async () => {
  const { w, fg, warn } = await setup();
  const x = await call(w, event('GET', sub('fagai', warn, '/findings.xlsx'), fg));
  expect(x.headers!['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytesOf(x) as unknown as ArrayBuffer);
  expect(book.worksheets[0].getRow(2).getCell(2).value).toBe('TXT-03');

  const pdf = await call(w, event('GET', sub('fagai', warn, '/receipt'), fg, { query: { format: 'pdf' } }));
  expect(pdf.headers).toMatchObject({ 'content-type': 'application/pdf' });
  expect(String(pdf.headers!['content-disposition'])).toContain(`filename*=UTF-8''${encodeURIComponent(`回执-发展和改革局-${warn}.pdf`)}`);
  expect(bytesOf(pdf).subarray(0, 5).toString()).toBe('%PDF-');
});

test('说明 by the office on its own 提示; 豁免 by the 政务公开办 only', async () => {
  const { w, jc, fg, warn } = await setup();
  const path = sub('fagai', warn, '/findings/0/explanation');
  const other = await call(w, event('POST', path, jc, { body: { text: '说明' } }));
  expect(other.statusCode).toBe(403);
  const ok = await call(w, event('POST', path, fg, { body: { text: '本年度确无新增内容' } }));
  expect(ok.statusCode).toBe(200);
  expect(JSON.parse(ok.body!).finding).toMatchObject({ rule: 'TXT-03', explanation: { by: 'office:fagai', text: '本年度确无新增内容' } });
  expect(errorOf(await call(w, event('POST', sub('fagai', warn, '/findings/7/explanation'), fg, { body: { text: 'x' } })))).toBe('该提交没有第 8 项问题');

  const waiver = sub('fagai', warn, '/findings/0/waiver');
  expect((await call(w, event('POST', waiver, fg, { body: { reason: '自己豁免' } }))).statusCode).toBe(403);
  const waived = await call(w, event('POST', waiver, COORDINATOR, { body: { reason: '经核实无误' } }));
  expect(JSON.parse(waived.body!)).toMatchObject({ verdict: 'accepted', finding: { waiver: { by: 'coordinator', text: '经核实无误' } } });
  // The office's page shows both beside the finding.
  const view = JSON.parse((await call(w, event('GET', '/cycles/2026/offices/fagai', fg))).body!);
  expect(view.submissions[0].judgements.map((j: { kind: string }) => j.kind)).toEqual(['explained', 'waived']);
});

test('撤回: the 政务公开办 only, with a reason, of a published report', async () => {
  const { w, jc, page } = await setup();
  const path = '/cycles/2026/offices/jincheng/withdraw';
  expect(errorOf(await call(w, event('POST', path, COORDINATOR, { body: { reason: '理由' } })))).toContain('只有已公开的报告可以撤回');
  await call(w, event('POST', '/cycles/2026/offices/jincheng/publish', COORDINATOR));
  expect((await call(w, event('POST', path, jc, { body: { reason: '理由' } }))).statusCode).toBe(403);
  expect((await call(w, event('POST', path, COORDINATOR, { body: {} }))).statusCode).toBe(400);
  const r = await call(w, event('POST', path, COORDINATOR, { body: { reason: '含有不应公开的个人信息' } }));
  expect(r.statusCode).toBe(200);
  expect(JSON.parse(r.body!).office).toMatchObject({ status: 'RETURNED', publishedSubmissionId: null });
  const view = JSON.parse((await call(w, event('GET', '/cycles/2026/offices/jincheng', jc))).body!);
  // Withdrawn before its archive step ran: it never got a public version number, and now never will.
  expect(view.submissions.find((s: { id: string }) => s.id === page)).toMatchObject({ publishedVersion: null, withdrawnReason: '含有不应公开的个人信息' });
  for (const ref of w.archived.splice(0)) await archiveSubmission(w.deps, ref);
  expect(w.archive.objects.has(`public/${sitePaths.pdf(2026, 'jincheng', 1)}`)).toBe(false);
});
