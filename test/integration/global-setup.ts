/**
 * Jest global setup: starts the local runtime (`local/start.ts`, the same entry as `npm start`)
 * once, as a child process on random ports, when the run includes integration tests. The tests
 * find it through NIANBAO_LOCAL_ENDPOINTS; the teardown stops it by pid and checks that nothing
 * it started is left running.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readdirSync, readFileSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Config } from '@jest/types';

const ROOT = resolve(__dirname, '..', '..');
const INTEGRATION_DIR = __dirname;

function integrationSelected(globalConfig: Config.GlobalConfig): boolean {
  if (process.env.NIANBAO_SKIP_EMULATORS === '1') return false;
  const files = readdirSync(INTEGRATION_DIR)
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => join(INTEGRATION_DIR, f));
  const patterns = globalConfig.testPathPatterns;
  if (!patterns?.isSet?.()) return files.length > 0;
  const executor = patterns.toExecutor({ rootDir: globalConfig.rootDir });
  return files.some((f) => executor.isMatch(f));
}

export default async function globalSetup(globalConfig: Config.GlobalConfig): Promise<void> {
  if (!integrationSelected(globalConfig)) return;
  const stateDir = mkdtempSync(join(tmpdir(), 'nianbao-it-'));
  const logFile = join(stateDir, 'runtime.log');
  const out = openSync(logFile, 'a');
  // `node --import tsx`: one process (the tsx CLI would add a wrapper process between us and the runtime).
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'local', 'start.ts'), '--state-dir', stateDir], {
    cwd: ROOT,
    stdio: ['ignore', out, out],
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN' },
  });
  closeSync(out);
  let exited: number | null = null;
  child.once('exit', (code) => (exited = code ?? -1));
  const endpointsFile = join(stateDir, 'endpoints.json');
  const deadline = Date.now() + 90_000;
  while (!existsSync(endpointsFile)) {
    if (exited !== null || Date.now() > deadline) {
      if (exited === null) child.kill('SIGKILL');
      throw new Error(`local runtime did not start (exit ${exited}):\n${readFileSync(logFile, 'utf8')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const endpoints = JSON.parse(readFileSync(endpointsFile, 'utf8'));
  process.env.NIANBAO_LOCAL_ENDPOINTS = endpointsFile;
  process.env.NIANBAO_LOCAL_LOG = logFile;
  (globalThis as Record<string, unknown>).__nianbaoLocal = { child, endpoints, logFile, stateDir };
}
