/**
 * `nianbao aggregate` as a user runs it: a real process, three consistent reports in three input kinds, the
 * JSON contract read through a pipe, the sums checked cell by cell against the hand sum, and the canonical
 * JSON of the sums accepted by `nianbao validate` with 0 errors.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReportSchema, TABLE_KEYS, type Report } from '../../shared/report/model';
import { dataRows, SPECS } from '../../shared/report/spec';
import { writeText } from '../../shared/report/write-text';
import { consistentReport } from '../report/rules-gen';

const ROOT = join(__dirname, '../..');
const tmp = mkdtempSync(join(tmpdir(), 'nianbao-aggregate-'));

function nianbao(args: string[], pipeTo?: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // With pipeTo, stdout goes through a real pipe into a second process (`… | cat`), as a shell pipeline would.
    const cmd = pipeTo
      ? spawn('sh', ['-c', `"${process.execPath}" bin/nianbao.js ${args.map((a) => `'${a}'`).join(' ')} | ${pipeTo.join(' ')}`], { cwd: ROOT })
      : spawn(process.execPath, [join(ROOT, 'bin/nianbao.js'), ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    cmd.stdout.on('data', (d) => (stdout += d));
    cmd.stderr.on('data', (d) => (stderr += d));
    cmd.on('error', reject);
    cmd.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const offices = ['青峰区教育局', '青峰区自然资源局', '白石街道办事处'];
const reports: Report[] = offices.map((office, i) => consistentReport(40 + i, { version: '2021', year: 2022, office }));
const files = [
  (() => {
    const p = join(tmp, 'jyj.txt');
    writeFileSync(p, writeText(reports[0]));
    return p;
  })(),
  (() => {
    const p = join(tmp, 'zrzyj.json');
    writeFileSync(p, JSON.stringify(reports[1]));
    return p;
  })(),
  (() => {
    const p = join(tmp, 'baishi.txt');
    writeFileSync(p, writeText(reports[2]));
    return p;
  })(),
];

describe('nianbao aggregate', () => {
  let out: { report: Report; included: Array<{ office: string; file: string; version: number | null }>; missing: unknown[]; incomplete: unknown[]; findings: unknown[] };

  beforeAll(async () => {
    const r = await nianbao(['aggregate', ...files, '--year', '2022', '--name', '青峰区人民政府', '--json', '--report-json', join(tmp, 'sum.json')], ['cat']);
    expect(r.stderr).toBe('');
    out = JSON.parse(r.stdout);
  });

  test('--json through a pipe is one whole object of the contract', () => {
    expect(Object.keys(out)).toEqual(expect.arrayContaining(['report', 'included', 'missing', 'incomplete', 'findings']));
    expect(ReportSchema.safeParse(out.report).success).toBe(true);
    expect(out.included).toEqual(offices.map((office, i) => expect.objectContaining({ office, file: files[i], version: null })));
    expect(out.missing).toEqual([]);
    expect(out.incomplete).toEqual([]);
  });

  test('the sums equal the hand sum, cell by cell', () => {
    let n = 0;
    for (const id of ['二', '三', '四'] as const) {
      for (const row of dataRows(SPECS['2021'].tables[id])) {
        for (const c of row.columns) {
          const hand = Number(reports.reduce((s, r) => s + r[TABLE_KEYS[id]]![row.label][c.label].value!, 0).toFixed(6));
          expect([id, row.label, c.label, out.report[TABLE_KEYS[id]]![row.label][c.label].value]).toEqual([id, row.label, c.label, hand]);
          n += 1;
        }
      }
    }
    expect(n).toBe(10 + 25 * 7 + 15);
  });

  test('the canonical JSON of the sums passes nianbao validate with 0 errors', async () => {
    const file = join(tmp, 'sum.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(out.report);
    const r = await nianbao(['validate', file, '--year', '2022', '--office', '青峰区人民政府', '--json']);
    const v = JSON.parse(r.stdout);
    expect(v.findings.filter((f: { severity: string }) => f.severity === 'error')).toEqual([]);
    expect(r.code).toBe(0);
  });

  test('an unreadable file is listed as missing, a file that does not exist is a usage error', async () => {
    const junk = join(tmp, 'junk.docx');
    writeFileSync(junk, Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]));
    const r = await nianbao(['aggregate', files[0], junk, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.included).toHaveLength(1);
    expect(j.missing).toEqual([expect.objectContaining({ file: junk, reason: 'unreadable' })]);
    const gone = await nianbao(['aggregate', join(tmp, 'nope.txt')]);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain('文件不存在');
    const usage = await nianbao(['aggregate']);
    expect(usage.code).toBe(2);
  });
});

test('--previous takes last year\'s --report-json for the year on year, and the umbrella is not added', async () => {
  const prevReports = offices.map((office, i) => consistentReport(60 + i, { version: '2021', year: 2021, office }));
  const prevFiles = prevReports.map((r, i) => {
    const p = join(tmp, `prev-${i}.json`);
    writeFileSync(p, JSON.stringify(r));
    return p;
  });
  const prevSum = join(tmp, 'sum-2021.json');
  expect((await nianbao(['aggregate', ...prevFiles, '--report-json', prevSum])).code).toBe(0);
  const office = join(tmp, 'bgs.json');
  writeFileSync(office, JSON.stringify(consistentReport(77, { version: '2021', year: 2022, office: '青峰区人民政府办公室' })));
  const r = await nianbao(['aggregate', ...files, office, '--previous', prevSum, '--json']);
  const j = JSON.parse(r.stdout);
  expect(j.hasPrevious).toBe(true);
  expect(j.excluded).toEqual([expect.objectContaining({ office: '青峰区人民政府办公室', reason: 'umbrella' })]);
  const received = j.yearOnYear.find((f: { key: string }) => f.key === 'received');
  const row = '一、本年新收政府信息公开申请数量';
  expect(received.previous).toBe(prevReports.reduce((s, x) => s + x.table3![row]['总计'].value!, 0));
  expect(received.current).toBe(reports.reduce((s, x) => s + x.table3![row]['总计'].value!, 0));
});
