import { emailWriter } from '../../shared/render/email';
import type { CheckResult, ReportChecker } from '../../shared/cycle/checker';
import type { CycleDeps } from '../../shared/cycle/deps';
import { MemoryFileStore, MemoryMailer, MemoryRepository } from '../../shared/cycle/memory';
import { processSubmission } from '../../shared/cycle/processing';
import { createCycle, importOffices, publishOffice, returnOffice } from '../../shared/cycle/service';
import { emptyReport, finding, verdictOf, type Finding } from '../../shared/report/model';

export class TestClock {
  constructor(public t = Date.parse('2027-01-20T02:00:00Z')) {}
  now = () => new Date(this.t);
  advance(ms: number) {
    this.t += ms;
  }
}

/** A checker whose verdict is written in the file: "OK", "BAD", "WARN" or "UNREADABLE". */
export const scriptedChecker: ReportChecker = async ({ bytes, context }) => {
  const text = Buffer.from(bytes).toString('utf8');
  if (text.startsWith('UNREADABLE')) return { unreadable: '无法识别文件格式' };
  const findings: Finding[] = [];
  if (text.startsWith('BAD')) {
    findings.push(finding({ rule: 'T3-01', severity: 'error', table: '三', row: '（七）总计', column: '总计', expected: 10, actual: 9, message: '总计不等' }));
  }
  if (text.startsWith('WARN')) findings.push(finding({ rule: 'TXT-03', severity: 'warning', message: '第五部分过短' }));
  const report = { ...emptyReport(), year: context.year ?? null, office: context.office ?? null, title: text.slice(0, 20) };
  const r: CheckResult = { report, findings, verdict: verdictOf(findings) };
  return r;
};

export interface World {
  deps: CycleDeps;
  repo: MemoryRepository;
  incoming: MemoryFileStore;
  archive: MemoryFileStore;
  mailer: MemoryMailer;
  clock: TestClock;
  archived: { year: number; officeId: string; submissionId: string }[];
}

export function world(overrides: Partial<CycleDeps> = {}): World {
  const clock = new TestClock();
  const repo = new MemoryRepository();
  const incoming = new MemoryFileStore(clock, 'incoming');
  const archive = new MemoryFileStore(clock, 'archive');
  const mailer = new MemoryMailer();
  const archived: World['archived'] = [];
  const deps: CycleDeps = {
    repo,
    incoming,
    archive,
    mailer,
    emails: emailWriter,
    clock,
    checker: scriptedChecker,
    archiveTrigger: { requestArchive: async (ref) => void archived.push(ref) },
    coordinatorTokenSha256: null,
    publicBaseUrl: 'https://nianbao.example',
    // The test clock does not move by itself: year pages are regenerated at once (archive.ts).
    pagesSlotMs: 0,
    ...overrides,
  };
  return { deps, repo, incoming, archive, mailer, clock, archived };
}

export const OFFICES_CSV = [
  'id,name,group,emails',
  'jincheng,锦程街道办事处,streets,jc@example.cn;jc2@example.cn',
  'fagai,发展和改革局,departments,fg@example.cn',
].join('\n');

/** A cycle for report year 2026 with two groups and two offices. */
export async function seeded(overrides: Partial<CycleDeps> = {}, autoPublish = false): Promise<World> {
  const w = world(overrides);
  await createCycle(w.deps, {
    year: 2026,
    autoPublish,
    coordinatorEmails: ['coord@example.cn'],
    groups: [
      { id: 'departments', name: '市直部门', deadline: '2027-01-31T23:59:59+08:00' },
      { id: 'streets', name: '街道', deadline: '2027-01-26', reminders: { daysBefore: [7, 3, 1], daysAfter: [1, 3] } },
    ],
  });
  await importOffices(w.deps, 2026, { csv: OFFICES_CSV });
  return w;
}

let uploads = 0;
/** Simulates an upload through a presigned POST and returns the S3 event reference for it. */
export function upload(w: World, officeId: string, body: string, options: { at?: number; fileName?: string; ext?: string } = {}) {
  uploads++;
  const uuid = `00000000-0000-4000-8000-${String(uploads).padStart(12, '0')}`;
  const key = `incoming/2026/${officeId}/${uuid}${options.ext ?? '.txt'}`;
  const info = w.incoming.putObject(key, body, {
    lastModified: new Date(options.at ?? w.clock.t),
    fileName: options.fileName ?? '年报.txt',
    versionId: `ver-${uploads}`,
  });
  return { bucket: 'incoming', key, versionId: info.versionId, sequencer: `00${uploads}`, eTag: info.etag };
}

/** Five offices in every situation the 通报 counts: published, rejected, missing, late, returned. */
export async function busyCycle(): Promise<World & { warnId: string }> {
  const w = await seeded();
  await importOffices(w.deps, 2026, {
    offices: [
      { id: 'shuiwu', name: '水务局', group: 'departments', emails: ['sw@example.cn'], contact: '赵六', phone: '0931-1234567' },
      { id: 'donggang', name: '东岗街道办事处', group: 'streets', emails: ['dg@example.cn'] },
      { id: 'minzheng', name: '民政局', group: 'departments', emails: ['mz@example.cn'] },
    ],
  });
  await processSubmission(w.deps, upload(w, 'fagai', 'OK report', { fileName: '发改局年报.docx' })); // 2027-01-20 10:00 Beijing
  await publishOffice(w.deps, 2026, 'fagai');
  await processSubmission(w.deps, upload(w, 'jincheng', 'BAD report'));
  await processSubmission(w.deps, upload(w, 'minzheng', 'OK report'));
  await returnOffice(w.deps, 2026, 'minzheng', '第五部分请写明改进措施');
  w.clock.t = Date.parse('2027-01-27T01:30:00Z'); // after the streets' deadline (2027-01-26 Beijing)
  const warn = (await processSubmission(w.deps, upload(w, 'donggang', 'WARN report', { fileName: '东岗<年报>.pdf' }))) as { submissionId: string };
  w.clock.t = Date.parse('2027-01-28T02:00:00Z');
  return { ...w, warnId: warn.submissionId };
}
