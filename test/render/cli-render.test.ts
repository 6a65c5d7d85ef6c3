import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pdftotext, squash, tmp, writeTmp } from './helpers';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'nianbao.js');
const SEED = join(ROOT, 'fixtures', 'jincheng-2020.txt');

function nianbao(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [BIN, 'render', ...args], { cwd, encoding: 'utf8', timeout: 60000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('nianbao render', () => {
  const dir = tmp();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('renders the seed to a PDF and the office page to HTML', () => {
    const r = nianbao([SEED, '-o', 'seed.pdf', '--html', 'seed.html', '--submission', 'sub-1'], dir);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('已生成 PDF：seed.pdf');
    const text = squash(pdftotext(join(dir, 'seed.pdf'), '-raw'));
    expect(text).toContain('锦程街道办事处2020年政府信息公开工作年度报告');
    expect(text).toContain('提交编号sub-1');
    const html = readFileSync(join(dir, 'seed.html'), 'utf8');
    expect(html).toContain('锦程街道办事处2020年政府信息公开工作年度报告');
    expect(html).toContain('href="seed.pdf"');
  });

  it('exits 2 with a Chinese message on unreadable input, a missing file and bad usage', () => {
    writeTmp(dir, 'junk.bin', Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 7919) % 256)));
    const junk = nianbao(['junk.bin', '-o', 'junk.pdf'], dir);
    expect(junk.code).toBe(2);
    expect(junk.err).toMatch(/无法读取报告 junk\.bin：/);
    expect(existsSync(join(dir, 'junk.pdf'))).toBe(false);
    const missing = nianbao(['nope.txt'], dir);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('文件不存在');
    const usage = nianbao(['--year', 'abc', SEED], dir);
    expect(usage.code).toBe(2);
    expect(usage.err).toContain('用法');
  });
});
