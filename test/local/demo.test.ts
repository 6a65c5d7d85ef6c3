/**
 * `npm run demo` end to end, as a child process: a whole 2020 cycle on fresh emulators, the
 * summary line read back from them, and nothing left running afterwards.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pidAlive } from '../../local/ports';

const ROOT = resolve(__dirname, '..', '..');

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'local', 'demo.ts'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolveRun({ code, stdout, stderr }));
  });
}

describe('npm run demo', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'nianbao-demo-'));
  afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

  it('runs a 2020 cycle and ends with one JSON line of counts read back from the emulators', async () => {
    const { code, stdout, stderr } = await run(['--state-dir', stateDir]);
    expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
    const lines = stdout.trim().split('\n');
    const summary = JSON.parse(lines[lines.length - 1]);
    expect(summary).toMatchObject({
      offices: 4,
      // seed → rejected; clean → accepted then published; defective → rejected → corrected → accepted; one never uploads
      statuses: { REJECTED: 1, PUBLISHED: 1, ACCEPTED: 1, NOT_SUBMITTED: 1 },
      archived: 1,
      // "3 days left" for the two offices without an accepted report
      reminders: 2,
    });
    // 4 receipts + 2 reminders + the coordinators' digest, at least.
    expect(summary.emails).toBeGreaterThanOrEqual(7);
    expect(stdout).toContain('REJECTED');

    // Everything it started is gone: the JVM of DynamoDB Local and the endpoints file.
    const pid = Number(/DynamoDB Local pid (\d+)/.exec(stderr)?.[1]);
    expect(pid).toBeGreaterThan(0);
    expect(pidAlive(pid)).toBe(false);
    expect(existsSync(join(stateDir, 'endpoints.json'))).toBe(false);
  }, 120_000);

  it('refuses an unknown option with exit code 2', async () => {
    const { code, stderr } = await run(['--bogus']);
    expect(code).toBe(2);
    expect(stderr).toContain('未知参数');
  });
});
