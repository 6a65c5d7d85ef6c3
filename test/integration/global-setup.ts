/**
 * Jest global setup: starts the local runtime (`local/start.ts`, the same entry as `npm start`)
 * once, as a child process on random ports, when the run includes integration tests. The tests
 * find it through NIANBAO_LOCAL_ENDPOINTS; the teardown stops it by pid and checks that nothing
 * it started is left running.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '@jest/types';
import { spawnRuntime } from './helpers';

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
  const { child, endpointsFile } = await spawnRuntime(stateDir, logFile, [], process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN');
  const endpoints = JSON.parse(readFileSync(endpointsFile, 'utf8'));
  process.env.NIANBAO_LOCAL_ENDPOINTS = endpointsFile;
  process.env.NIANBAO_LOCAL_LOG = logFile;
  (globalThis as Record<string, unknown>).__nianbaoLocal = { child, endpoints, logFile, stateDir };
}
