/** Shared by the integration tests: the running local system (started once by global-setup). */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalClient, readEndpoints } from '../../local/client';
import { pidAlive } from '../../local/ports';

export function localClient(): LocalClient {
  const file = process.env.NIANBAO_LOCAL_ENDPOINTS;
  if (!file) throw new Error('NIANBAO_LOCAL_ENDPOINTS is not set: run the integration tests through jest (global-setup starts the emulators)');
  return new LocalClient(readEndpoints(file));
}

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export interface OfficeSpec {
  id: string;
  name: string;
  email: string;
}

/** A cycle (deadline far ahead: no reminders fire by accident), its offices and one token per office. */
export async function setupCycle(c: LocalClient, year: number, offices: OfficeSpec[]): Promise<Record<string, string>> {
  await c.ok('POST', '/cycles', {
    token: c.coordinator,
    body: { year, groups: [{ id: 'all', name: '全部单位', deadline: `${year + 10}-01-31` }], coordinatorEmails: [`coordinator-${year}@example.gov.cn`] },
  });
  await c.ok('POST', `/cycles/${year}/offices`, {
    token: c.coordinator,
    body: { offices: offices.map((o) => ({ id: o.id, name: o.name, group: 'all', emails: [o.email] })) },
  });
  const tokens: Record<string, string> = {};
  for (const o of offices) tokens[o.id] = (await c.ok('POST', `/cycles/${year}/offices/${o.id}/token`, { token: c.coordinator })).token;
  return tokens;
}

/** Ticket from the API, then the browser's multipart POST to S3; returns the ticket and S3's answer. */
export async function upload(c: LocalClient, year: number, officeId: string, token: string, bytes: Uint8Array, fileName: string) {
  const ticket = await c.requestUpload(year, officeId, token, fileName);
  if (ticket.status !== 201) throw new Error(`ticket: HTTP ${ticket.status} ${JSON.stringify(ticket.body)}`);
  const posted = await c.postUpload(ticket.body, bytes, fileName);
  return { ticket: ticket.body, posted };
}

export async function officeView(c: LocalClient, year: number, officeId: string) {
  return c.ok('GET', `/cycles/${year}/offices/${officeId}`, { token: c.coordinator });
}

export async function mailsTo(c: LocalClient, address: string) {
  return (await c.mails()).filter((m) => m.destination.to.includes(address));
}

/**
 * A runtime of its own (`local/start.ts` as a child process), for tests that break emulators and must not
 * disturb the shared one. stop() ends it by pid and reports any process it left running.
 */
/**
 * Starts `local/start.ts` (the entry of `npm start`) as one child process (`node --import tsx`: the tsx CLI
 * would add a wrapper process between us and the runtime) and waits for its endpoints file.
 */
export async function spawnRuntime(
  stateDir: string,
  logFile: string,
  extraArgs: string[],
  logLevel: string,
): Promise<{ child: ChildProcess; endpointsFile: string }> {
  const root = join(__dirname, '..', '..');
  const out = openSync(logFile, 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'local', 'start.ts'), '--state-dir', stateDir, ...extraArgs], {
    cwd: root,
    stdio: ['ignore', out, out],
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: logLevel },
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
  return { child, endpointsFile };
}

export async function startOwnRuntime(options: { dynamoOnDisk?: boolean; args?: string[] } = {}): Promise<{
  client: LocalClient;
  stateDir: string;
  logFile: string;
  stop(): Promise<string[]>;
}> {
  const stateDir = mkdtempSync(join(tmpdir(), 'nianbao-own-'));
  const logFile = join(stateDir, 'runtime.log');
  // DynamoDB Local's data on disk (inside the state folder, removed with it): survives a killed JVM.
  const extraArgs = [...(options.dynamoOnDisk ? ['--dynamo-db-path', join(stateDir, 'dynamodb')] : []), ...(options.args ?? [])];
  const { child, endpointsFile } = await spawnRuntime(stateDir, logFile, extraArgs, 'ERROR');
  const client = new LocalClient(readEndpoints(endpointsFile));
  const gone = async (pid: number, ms: number) => {
    for (const end = Date.now() + ms; pidAlive(pid); ) {
      if (Date.now() > end) return false;
      await new Promise((r) => setTimeout(r, 50));
    }
    return true;
  };
  return {
    client,
    stateDir,
    logFile,
    async stop() {
      client.destroy();
      // The JVM may have been restarted: its current pid is in the endpoints file.
      const pids = existsSync(endpointsFile) ? readEndpoints(endpointsFile).pids : client.endpoints.pids;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const survivors: string[] = [];
      if (!(await gone(child.pid!, 20_000))) {
        survivors.push(`runtime ${child.pid}`);
        child.kill('SIGKILL');
      }
      if (!(await gone(pids.dynamodb, 5_000))) {
        survivors.push(`DynamoDB Local ${pids.dynamodb}`);
        process.kill(pids.dynamodb, 'SIGKILL');
      }
      if (!survivors.length && process.env.NIANBAO_KEEP_LOCAL_STATE !== '1') rmSync(stateDir, { recursive: true, force: true });
      return survivors;
    },
  };
}
