/**
 * Free TCP ports on 127.0.0.1 for the emulators. Chosen at random *below* the kernel's ephemeral range:
 * a port the kernel hands out (port 0) can be taken as the source port of an outgoing connection
 * before the emulator binds it (the tests open thousands), and a crashed bind is a red CI run.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const LOWEST = 20000;

function ephemeralLow(): number {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 32768;
  } catch {
    return 32768;
  }
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export async function freePort(): Promise<number> {
  const high = Math.max(LOWEST + 1000, ephemeralLow());
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = LOWEST + Math.floor(Math.random() * (high - LOWEST));
    if (await canBind(port)) return port;
  }
  throw new Error('no free port below the ephemeral range');
}

/** True when a start failed only because a port was taken meanwhile (worth a retry with new ports). */
export function isPortTaken(error: unknown): boolean {
  return /EADDRINUSE|Address already in use/i.test(String((error as Error)?.message ?? error) + String((error as NodeJS.ErrnoException)?.code ?? ''));
}

/** Resolves once `check` succeeds, polling; rejects with the last error after `timeoutMs`. */
export async function waitFor<T>(check: () => Promise<T>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (let delay = 50; ; delay = Math.min(delay * 2, 500)) {
    try {
      return await check();
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what} not ready after ${timeoutMs} ms: ${String((lastError as Error)?.message ?? lastError)}`);
    }
    await new Promise((r) => setTimeout(r, delay));
  }
}

/** True while a process with this pid exists (signal 0 only checks). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
