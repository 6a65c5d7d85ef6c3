/**
 * `nianbao validate` as a user runs it: a real process (bin/nianbao.js), real files, exit codes and
 * the JSON contract of docs/validation.md.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { z } from 'zod';
import { FindingSchema, ReportSchema } from '../../shared/report/model';

const ROOT = join(__dirname, '../..');
const FIX = join(ROOT, 'fixtures');
const tmp = mkdtempSync(join(tmpdir(), 'nianbao-validate-'));

function nianbao(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/nianbao.js'), 'validate', ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    // Decoded as a stream: a chunk boundary may fall inside a multi-byte character.
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const ResultSchema = z
  .object({
    formatVersion: z.enum(['2019', '2021']).nullable(),
    year: z.number().nullable(),
    office: z.string().nullable(),
    verdict: z.enum(['accepted', 'rejected']),
    findings: z.array(z.strictObject(FindingSchema._zod.innerType.shape)),
    report: ReportSchema,
  })
  .strict();

test('the seed: exit 1 and one JSON object of the contract', async () => {
  const { code, stdout } = await nianbao(join(FIX, 'jincheng-2020.txt'), '--json');
  expect(code).toBe(1);
  const result = ResultSchema.parse(JSON.parse(stdout));
  expect(result).toMatchObject({ formatVersion: '2019', year: 2020, office: '锦程街道办事处', verdict: 'rejected' });
  expect(result.findings).toContainEqual(expect.objectContaining({ rule: 'NUM-01', table: '三', row: '（一）予以公开', column: '总计', severity: 'error' }));
});

test('clean 2021-format report with last year\'s: exit 0, no finding; same through GB18030 and as JSON model', async () => {
  const file = join(FIX, 'clean-2021.txt');
  const args = ['--year', '2022', '--office', '青峰区住房和城乡建设局', '--previous', join(FIX, 'clean-2021-prev.txt'), '--json'];
  const utf8 = await nianbao(file, ...args);
  expect(utf8.code).toBe(0);
  const result = ResultSchema.parse(JSON.parse(utf8.stdout));
  expect(result).toMatchObject({ verdict: 'accepted', formatVersion: '2021', year: 2022, findings: [] });

  const gbk = join(tmp, 'clean-2021-gbk.txt');
  writeFileSync(gbk, iconv.encode(readFileSync(file, 'utf8'), 'gb18030'));
  const viaGbk = await nianbao(gbk, ...args);
  expect(viaGbk.code).toBe(0);
  expect(JSON.parse(viaGbk.stdout)).toEqual(result);

  const model = join(tmp, 'clean-2021.json');
  writeFileSync(model, JSON.stringify(result.report));
  const viaJson = await nianbao(model, ...args);
  expect(viaJson.code).toBe(0);
  expect(JSON.parse(viaJson.stdout).report).toEqual(result.report);
});

test('clean 2019-format report (tab layout, CRLF): exit 0 and a readable verdict', async () => {
  const { code, stdout } = await nianbao(join(FIX, 'clean-2019.txt'), '--year', '2020');
  expect(code).toBe(0);
  expect(stdout).toContain('结论：通过');
  expect(stdout).toContain('青峰区市场监督管理局 · 2020年度报告 · 2019年格式');
});

test('wrong cycle year and wrong office: exit 1 naming STR-02 and STR-07', async () => {
  const { code, stdout } = await nianbao(join(FIX, 'clean-2021.txt'), '--year', '2023', '--office', '青峰区教育局', '--json');
  expect(code).toBe(1);
  const rules = JSON.parse(stdout).findings.filter((f: { severity: string }) => f.severity === 'error').map((f: { rule: string }) => f.rule);
  expect(rules).toEqual(['STR-02', 'STR-07']);
});

test('text output groups findings by section with rule, cell and expected/actual', async () => {
  const broken = join(tmp, 'broken.txt');
  // One changed number in table 三: （七）总计 / 自然人 55 → 56.
  writeFileSync(broken, readFileSync(join(FIX, 'clean-2021.txt'), 'utf8').replace('（七）总计 | 55 |', '（七）总计 | 56 |'));
  const { code, stdout } = await nianbao(broken);
  expect(code).toBe(1);
  expect(stdout).toContain('结论：不通过');
  expect(stdout).toContain('【三、收到和处理政府信息公开申请情况】');
  // Where the reader knows it, the place in the document follows the cell (· 第40行).
  expect(stdout).toMatch(/✗ 错误 \[T3-01\] 表三 行「（七）总计」 列「自然人」( · 第[^ ]+)? 应为 55 实为 56/);
  expect(stdout).toMatch(/✗ 错误 \[T3-03\] 表三 行「（七）总计」 列「自然人」/);
});

test('--show-tables: tables 二/三/四 as read after the findings, aligned; --json unchanged by it', async () => {
  const broken = join(tmp, 'blank-cell.txt');
  // 行政规范性文件 / 现行有效件数 left blank.
  writeFileSync(broken, readFileSync(join(FIX, 'clean-2021.txt'), 'utf8').replace('行政规范性文件 | 3 | 1 | 12', '行政规范性文件 | 3 | 1 | '));
  const { code, stdout } = await nianbao(broken, '--show-tables');
  expect(code).toBe(1);
  const tables = stdout.slice(stdout.indexOf('【系统读取的表格】'));
  expect(stdout.indexOf('【系统读取的表格】')).toBeGreaterThan(stdout.indexOf('[NUM-01]'));
  expect(tables).toContain('表二 主动公开政府信息情况（2021年格式）');
  expect(tables).toMatch(/\n {2}行政规范性文件 +3 +1 +空\n/);
  expect(tables).toMatch(/\n {2}（七）总计 +55 +7 +0 +0 +1 +1 +64\n/);
  expect(tables).toMatch(/\n {2}复议后起诉 +0 +0 +0 +0 +0\n/);
  expect(tables).toContain('空 = 空白未填');
  expect((await nianbao(broken)).stdout).not.toContain('系统读取的表格');
  const json = await nianbao(broken, '--json', '--show-tables');
  expect(json.stdout).toBe((await nianbao(broken, '--json')).stdout);
});

test('unreadable input: exit 2 with a Chinese message (text and --json)', async () => {
  const binary = join(tmp, 'random.bin');
  writeFileSync(binary, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)));
  const text = await nianbao(binary);
  expect(text.code).toBe(2);
  expect(text.stderr).toMatch(/^无法读取：[\s\S]*[\u4e00-\u9fff]/);
  const json = await nianbao(binary, '--json');
  expect(json.code).toBe(2);
  expect(Object.keys(JSON.parse(json.stdout))).toEqual(['unreadable']);
  const missing = await nianbao(join(tmp, 'nope.txt'), '--json');
  expect(missing.code).toBe(2);
  expect(JSON.parse(missing.stdout).unreadable).toContain('文件不存在');
  const empty = join(tmp, 'empty.txt');
  writeFileSync(empty, '');
  expect((await nianbao(empty)).code).toBe(2);
});

test('bad usage: exit 2 with usage; --help exit 0', async () => {
  expect((await nianbao()).code).toBe(2);
  const badYear = await nianbao(join(FIX, 'clean-2021.txt'), '--year', '22');
  expect(badYear.code).toBe(2);
  expect(badYear.stderr).toContain('年度“22”无效');
  expect((await nianbao(join(FIX, 'clean-2021.txt'), '--frobnicate')).code).toBe(2);
  const help = await nianbao('--help');
  expect(help.code).toBe(0);
  expect(help.stdout).toContain('退出码');
});

/**
 * Runs `nianbao <args>` with its stdout in a real pipe (the kernel's, 64 KB: a Node child's stdio is a socket
 * pair with a larger buffer) read by a process that waits `delayMs` before reading anything, like a program
 * that does not drain the pipe at once. Resolves with what the reader received and nianbao's exit code.
 */
function throughSlowReader(args: string[], delayMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const codeFile = join(tmp, `code-${Math.random().toString(36).slice(2)}`);
  const script = `{ "$0" "$@"; echo $? > "$CODE_FILE"; } | { sleep ${delayMs / 1000}; cat; }`;
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', script, process.execPath, join(ROOT, 'bin/nianbao.js'), ...args], {
      cwd: ROOT,
      env: { ...process.env, CODE_FILE: codeFile },
    });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', () => resolve({ code: Number(readFileSync(codeFile, 'utf8')), stdout: Buffer.concat(out).toString('utf8'), stderr }));
  });
}

test('complete output through a pipe that is not drained at once (--json > 64 KB)', async () => {
  // Every number of the clean report blanked: a finding for nearly every cell, and a large JSON object.
  const blank = join(tmp, 'all-blank.txt');
  writeFileSync(blank, readFileSync(join(FIX, 'clean-2021.txt'), 'utf8').replace(/\| [0-9.]+/g, '| '));
  const direct = await nianbao(blank, '--json');
  expect(direct.stdout.length).toBeGreaterThan(0);
  expect(Buffer.byteLength(direct.stdout)).toBeGreaterThan(65536);

  const slow = await throughSlowReader(['validate', blank, '--json'], 1000);
  expect(slow.code).toBe(1);
  expect(Buffer.byteLength(slow.stdout)).toBe(Buffer.byteLength(direct.stdout));
  const result = JSON.parse(slow.stdout);
  expect(result.verdict).toBe('rejected');
  expect(result.findings.length).toBeGreaterThan(100);

  // The human output (with the tables) and the usage of the command as a whole take the same way out.
  const text = await throughSlowReader(['validate', blank, '--show-tables'], 1000);
  expect(text.code).toBe(1);
  expect(Buffer.byteLength(text.stdout)).toBeGreaterThan(65536);
  expect(text.stdout.trimEnd().split('\n').length).toBeGreaterThan(100);
});

test("docs/validation.md's sample output is the seed's real output (every line it shows, in order)", async () => {
  const doc = readFileSync(join(ROOT, 'docs/validation.md'), 'utf8');
  const sample = /Without `--json`[\s\S]*?```\n([\s\S]*?)\n```/.exec(doc)![1].split('\n');
  const { stdout } = await nianbao('fixtures/jincheng-2020.txt');
  const lines = stdout.split('\n');
  let at = 0;
  for (const line of sample.filter((l) => l.trim() !== '…')) {
    const found = lines.indexOf(line, at);
    expect({ line, found: found >= 0 }).toEqual({ line, found: true });
    at = found + 1;
  }
});
