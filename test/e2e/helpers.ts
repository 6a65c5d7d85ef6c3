/**
 * Browser tests: a local runtime of their own (the same entry as `npm start`, a child process on random ports,
 * stopped by its pid) and Debian's chromium driven by playwright-core with a fresh profile.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { LocalClient, readEndpoints } from '../../local/client';
import { pidAlive } from '../../local/ports';

export const ROOT = resolve(__dirname, '..', '..');
export const OUTPUT_DIR = join(ROOT, 'test-output');

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface Runtime {
  client: LocalClient;
  stateDir: string;
  logFile: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export async function startRuntime(): Promise<Runtime> {
  const stateDir = mkdtempSync(join(tmpdir(), 'nianbao-e2e-'));
  const logFile = join(stateDir, 'runtime.log');
  const out = openSync(logFile, 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'local', 'start.ts'), '--state-dir', stateDir], {
    cwd: ROOT,
    stdio: ['ignore', out, out],
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'WARN' },
  });
  closeSync(out);
  let exited: number | null = null;
  child.once('exit', (code) => (exited = code ?? -1));
  const file = join(stateDir, 'endpoints.json');
  const deadline = Date.now() + 90_000;
  while (!existsSync(file)) {
    if (exited !== null || Date.now() > deadline) {
      if (exited === null) child.kill('SIGKILL');
      throw new Error(`local runtime did not start (exit ${exited}):\n${readFileSync(logFile, 'utf8')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const endpoints = readEndpoints(file);
  const client = new LocalClient(endpoints);
  const stop = async () => {
    client.destroy();
    if (child.exitCode === null) child.kill('SIGTERM');
    const until = Date.now() + 20_000;
    while ((pidAlive(endpoints.pids.runtime) || pidAlive(endpoints.pids.dynamodb)) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    if (pidAlive(endpoints.pids.runtime)) process.kill(endpoints.pids.runtime, 'SIGKILL');
    if (pidAlive(endpoints.pids.dynamodb)) process.kill(endpoints.pids.dynamodb, 'SIGKILL');
    rmSync(stateDir, { recursive: true, force: true });
  };
  return { client, stateDir, logFile, child, stop };
}

/**
 * Chromium with the flags of a headless CI box. playwright's launch() starts it with a fresh temporary
 * user-data-dir of its own (it refuses a --user-data-dir argument) and removes it on close.
 */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** A screenshot the user guide (docs/使用说明.md) shows: written where the guide links it, so it stays true. */
export function docImage(name: string): string {
  const dir = join(ROOT, 'docs', 'images');
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}

export function outputPath(name: string): string {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  return join(OUTPUT_DIR, name);
}
