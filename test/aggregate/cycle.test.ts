/**
 * The 本级 report of a cycle through the API route (in-memory ports, the real checker): published versions
 * by default, accepted ones on request, the 办公室 report never added to its parts, year on year against
 * the previous cycle, and the three downloads (.json, .docx read back by our reader, .pdf). Coordinator only.
 */
import { defaultChecker } from '../../shared/cycle/checker';
import { processSubmission } from '../../shared/cycle/processing';
import { createCycle, importOffices, issueOfficeToken, publishOffice } from '../../shared/cycle/service';
import { hashToken } from '../../shared/cycle/tokens';
import { isUnreadable, readReport } from '../../shared/report/ingest';
import type { Report } from '../../shared/report/model';
import { writeText } from '../../shared/report/write-text';
import { world, type World } from '../cycle/helpers';
import { apiEvent, COORDINATOR, routed as call } from '../functions/api-events';
import { consistentReport } from '../report/rules-gen';

const OFFICES = [
  { id: 'jincheng', name: '锦程街道办事处', group: 'all', emails: ['jc@example.cn'] },
  { id: 'fagai', name: '青峰区发展和改革局', group: 'all', emails: ['fg@example.cn'] },
  { id: 'bgs', name: '青峰区人民政府办公室', group: 'all', emails: ['bgs@example.cn'] },
];

let n = 0;
async function submit(w: World, year: number, officeId: string, report: Report): Promise<void> {
  n += 1;
  const key = `incoming/${year}/${officeId}/00000000-0000-4000-8000-${String(n).padStart(12, '0')}.txt`;
  const info = w.incoming.putObject(key, writeText(report), { lastModified: new Date(w.clock.t), fileName: '年报.txt', versionId: `v-${n}` });
  await processSubmission(w.deps, { bucket: 'incoming', key, versionId: info.versionId, sequencer: `0${n}`, eTag: info.etag });
}

const event = (path: string, query: Record<string, string> = {}, token = COORDINATOR) => apiEvent('GET', path, { token, query });


const reports: Record<string, Report> = {};
let w: World;

beforeAll(async () => {
  w = world({ coordinatorTokenSha256: hashToken(COORDINATOR), checker: defaultChecker });
  for (const year of [2025, 2026]) {
    await createCycle(w.deps, { year, coordinatorEmails: ['c@example.cn'], groups: [{ id: 'all', name: '全部', deadline: `${year + 1}-01-31` }] });
    await importOffices(w.deps, year, { offices: OFFICES });
    OFFICES.forEach((o, i) => (reports[`${year}/${o.id}`] = consistentReport(year * 10 + i, { version: '2021', year, office: o.name })));
  }
  // 2025: both offices published
  for (const id of ['jincheng', 'fagai']) {
    await submit(w, 2025, id, reports[`2025/${id}`]);
    await publishOffice(w.deps, 2025, id);
  }
  // 2026: jincheng published, fagai accepted only, the 办公室 published (its report covers the others)
  for (const id of ['jincheng', 'fagai', 'bgs']) await submit(w, 2026, id, reports[`2026/${id}`]);
  await publishOffice(w.deps, 2026, 'jincheng');
  await publishOffice(w.deps, 2026, 'bgs');
});

const cell = (r: Report, row: string, col = '总计') => r.table3![row][col].value!;
const RECEIVED = '一、本年新收政府信息公开申请数量';

test('published versions only by default; the 办公室 is not added; year on year against 2025', async () => {
  expect((await w.repo.getOffice(2026, 'fagai'))!.status).toBe('ACCEPTED');
  const r = await call(w, event('/cycles/2026/aggregate'));
  expect(r.statusCode).toBe(200);
  const body = JSON.parse(String(r.body));
  expect(body.included).toEqual([expect.objectContaining({ office: '锦程街道办事处', officeId: 'jincheng', basis: 'published', submissionId: expect.any(String) })]);
  expect(body.missing).toEqual([expect.objectContaining({ officeId: 'fagai', reason: 'unpublished' })]);
  expect(body.excluded).toEqual([expect.objectContaining({ officeId: 'bgs', reason: 'umbrella' })]);
  expect(cell(body.report, RECEIVED)).toBe(cell(reports['2026/jincheng'], RECEIVED));
  const received = body.yearOnYear.find((f: { key: string }) => f.key === 'received');
  expect(received.previous).toBe(cell(reports['2025/jincheng'], RECEIVED) + cell(reports['2025/fagai'], RECEIVED));
  expect(body.hasPrevious).toBe(true);
  expect(Array.isArray(body.signals)).toBe(true);
});

test('includeAccepted=1 counts the accepted report too; .docx and .pdf downloads', async () => {
  const json = JSON.parse(String((await call(w, event('/cycles/2026/aggregate', { includeAccepted: '1', name: '青峰区人民政府' }))).body));
  expect(json.included.map((i: { officeId: string; basis: string }) => [i.officeId, i.basis])).toEqual([
    ['fagai', 'accepted'],
    ['jincheng', 'published'],
  ]);
  expect(cell(json.report, RECEIVED)).toBe(cell(reports['2026/jincheng'], RECEIVED) + cell(reports['2026/fagai'], RECEIVED));
  expect(json.report.title).toBe('青峰区人民政府2026年政府信息公开工作年度报告');

  const docx = await call(w, event('/cycles/2026/aggregate', { includeAccepted: '1', format: 'docx' }));
  expect(docx.statusCode).toBe(200);
  expect(docx.isBase64Encoded).toBe(true);
  expect(docx.headers!['content-disposition']).toMatch(/^attachment; filename="aggregate-2026\.docx"/);
  const back = await readReport(new Uint8Array(Buffer.from(String(docx.body), 'base64')), { fileName: 'a.docx' });
  if (isUnreadable(back)) throw new Error(back.unreadable);
  expect(back.report.table3).toEqual(json.report.table3);

  const pdf = await call(w, event('/cycles/2026/aggregate', { format: 'pdf' }));
  expect(pdf.headers!['content-type']).toBe('application/pdf');
  expect(Buffer.from(String(pdf.body), 'base64').subarray(0, 5).toString()).toBe('%PDF-');
});

test('coordinator only; bad parameters are 400; an unknown cycle is 404', async () => {
  const { token } = await issueOfficeToken(w.deps, 2026, 'jincheng');
  expect((await call(w, event('/cycles/2026/aggregate', {}, token))).statusCode).toBe(403);
  expect((await call(w, event('/cycles/2026/aggregate', { format: 'xls' }))).statusCode).toBe(400);
  expect((await call(w, event('/cycles/2026/aggregate', { umbrella: '../x' }))).statusCode).toBe(400);
  expect((await call(w, event('/cycles/2030/aggregate'))).statusCode).toBe(404);
});

test('publishing the 本级 report: immutable versions in the public record, linked from the year index; idempotent', async () => {
  const { publishAggregate } = await import('../../shared/publishing/aggregate');
  const first = await publishAggregate(w.deps, 2026, { name: '青峰区人民政府' });
  expect(first).toMatchObject({ version: 1, created: true });
  for (const ext of ['pdf', 'docx', 'json']) expect(first.written).toContain(`public/2026/_aggregate/v1/report.${ext}`);
  const index = Buffer.from((await w.archive.get('public/2026/index.html'))!.bytes).toString('utf8');
  expect(index).toContain('本级汇总报告（第1版）');
  expect(index).toContain('href="../2026/_aggregate/v1/report.pdf"');
  // the same state again (a repeated invocation): no second version
  expect(await publishAggregate(w.deps, 2026, { name: '青峰区人民政府' })).toMatchObject({ version: 1, created: false, written: [] });
  // a different choice of reports is a new version; v1 stays as it was
  const v1 = (await w.archive.get('public/2026/_aggregate/v1/report.json'))!.bytes;
  expect(await publishAggregate(w.deps, 2026, { name: '青峰区人民政府', includeAccepted: true })).toMatchObject({ version: 2, created: true });
  expect((await w.archive.get('public/2026/_aggregate/v1/report.json'))!.bytes).toEqual(v1);
  expect(Buffer.from((await w.archive.get('public/2026/index.html'))!.bytes).toString('utf8')).toContain('本级汇总报告（第2版）');
});

test('POST /cycles/{year}/aggregate/publish asks the archive function (coordinator only)', async () => {
  const asked: unknown[] = [];
  w.deps.archiveTrigger = { requestArchive: async () => undefined, requestAggregate: async (ref) => void asked.push(ref) };
  const post = (token: string, body: unknown) =>
    call(w, apiEvent('POST', '/cycles/2026/aggregate/publish', { token, body: JSON.stringify(body) }));
  const r = await post(COORDINATOR, { includeAccepted: true, name: '青峰区人民政府', umbrella: ['bgs'] });
  expect(r.statusCode).toBe(202);
  expect(asked).toEqual([{ year: 2026, includeAccepted: true, name: '青峰区人民政府', umbrella: ['bgs'] }]);
  const { token } = await issueOfficeToken(w.deps, 2026, 'fagai');
  expect((await post(token, {})).statusCode).toBe(403);
});
