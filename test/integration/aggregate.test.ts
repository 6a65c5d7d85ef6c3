/**
 * The 本级 report on the emulators: offices upload through the real presigned POST, the coordinator publishes,
 * GET /cycles/{year}/aggregate reads the parsed reports from the archive bucket (S3) and returns the sums, and
 * the Word download reads back to the same tables.
 */
import type { LocalClient } from '../../local/client';
import { isUnreadable, readReport } from '../../shared/report/ingest';
import type { Report } from '../../shared/report/model';
import { writeText } from '../../shared/report/write-text';
import { consistentReport } from '../report/rules-gen';
import { localClient, setupCycle, upload } from './helpers';

const YEAR = 2023;
const OFFICES = [
  { id: 'ag-jyj', name: '青峰区教育局', email: 'ag-jyj@example.gov.cn' },
  { id: 'ag-zrzyj', name: '青峰区自然资源局', email: 'ag-zrzyj@example.gov.cn' },
];

let c: LocalClient;
const reports: Report[] = OFFICES.map((o, i) => consistentReport(500 + i, { version: '2021', year: YEAR, office: o.name }));

beforeAll(async () => {
  c = localClient();
  const tokens = await setupCycle(c, YEAR, OFFICES);
  for (const [i, o] of OFFICES.entries()) {
    const { posted } = await upload(c, YEAR, o.id, tokens[o.id], Buffer.from(writeText(reports[i])), `${o.id}.txt`);
    expect(posted.status).toBe(204);
  }
  await c.idle();
  await c.ok('POST', `/cycles/${YEAR}/offices/${OFFICES[0].id}/publish`, { token: c.coordinator });
  await c.idle();
});
afterAll(() => c.destroy());

const RECEIVED = '一、本年新收政府信息公开申请数量';

test('the aggregate of the published and the accepted report, read from the archive bucket', async () => {
  const published = await c.ok(`GET`, `/cycles/${YEAR}/aggregate`, { token: c.coordinator });
  expect(published.included.map((i: { officeId: string }) => i.officeId)).toEqual(['ag-jyj']);
  expect(published.missing).toEqual([expect.objectContaining({ officeId: 'ag-zrzyj', reason: 'unpublished' })]);

  const both = await c.ok('GET', `/cycles/${YEAR}/aggregate?includeAccepted=1`, { token: c.coordinator });
  expect(both.included).toHaveLength(2);
  expect(both.report.table3[RECEIVED]['总计'].value).toBe(reports[0].table3![RECEIVED]['总计'].value! + reports[1].table3![RECEIVED]['总计'].value!);

  const res = await fetch(`${c.endpoints.api}/cycles/${YEAR}/aggregate?includeAccepted=1&format=docx`, { headers: { authorization: `Bearer ${c.coordinator}` } });
  expect(res.status).toBe(200);
  const back = await readReport(new Uint8Array(await res.arrayBuffer()), { fileName: 'a.docx' });
  if (isUnreadable(back)) throw new Error(back.unreadable);
  expect(back.report.table3).toEqual(both.report.table3);

  const office = await fetch(`${c.endpoints.api}/cycles/${YEAR}/aggregate`, { headers: { authorization: 'Bearer nobody' } });
  expect(office.status).toBe(401);
});

test('publishing it: the archive function writes v1 to the public record and the year index links it', async () => {
  const r = await c.api('POST', `/cycles/${YEAR}/aggregate/publish`, { token: c.coordinator, body: { includeAccepted: true, name: '青峰区人民政府' } });
  expect(r.status).toBe(202);
  await c.idle();
  const pdf = await fetch(`${c.endpoints.archive}/${YEAR}/_aggregate/v1/report.pdf`);
  expect(pdf.status).toBe(200);
  expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
  const index = await (await fetch(`${c.endpoints.archive}/${YEAR}/index.html`)).text();
  expect(index).toContain('本级汇总报告（第1版）');
});
