/** Stops the runtime started by global-setup by its pid and fails the run if any process it started survives. */
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { pidAlive } from '../../local/ports';

interface Started {
  child: ChildProcess;
  endpoints: { pids: { runtime: number; dynamodb: number } };
  logFile: string;
  stateDir: string;
}

async function waitGone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (pidAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

export default async function globalTeardown(): Promise<void> {
  const started = (globalThis as Record<string, unknown>).__nianbaoLocal as Started | undefined;
  if (!started) return;
  delete (globalThis as Record<string, unknown>).__nianbaoLocal;
  const { runtime, dynamodb } = started.endpoints.pids;
  if (started.child.exitCode === null) process.kill(runtime, 'SIGTERM');
  const survivors: string[] = [];
  if (!(await waitGone(runtime, 20_000))) {
    survivors.push(`runtime ${runtime}`);
    process.kill(runtime, 'SIGKILL');
  }
  if (!(await waitGone(dynamodb, 5_000))) {
    survivors.push(`DynamoDB Local ${dynamodb}`);
    process.kill(dynamodb, 'SIGKILL');
  }
  if (survivors.length) throw new Error(`processes left running after stop (now killed): ${survivors.join(', ')}; log: ${started.logFile}`);
  if (process.env.NIANBAO_KEEP_LOCAL_STATE !== '1') rmSync(started.stateDir, { recursive: true, force: true });
}
