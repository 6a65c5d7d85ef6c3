import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalLambda } from '../../local/lambda';

describe('LocalLambda: asynchronous invocation like Lambda', () => {
  let dir: string;
  let dlq: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nianbao-lambda-'));
    dlq = join(dir, 'dead-letters.jsonl');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('retries a throwing handler (twice at most) and stops when it succeeds', async () => {
    const lambda = new LocalLambda(dlq, () => undefined, [5, 10]);
    let calls = 0;
    lambda.register('flaky', async () => {
      if (++calls < 3) throw new Error('transient');
      return 'ok';
    });
    lambda.invokeAsync('flaky', { n: 1 });
    expect(lambda.stats.inflight).toBe(1);
    await lambda.idle();
    expect(calls).toBe(3);
    expect(lambda.stats).toMatchObject({ failures: 2, retries: 2, deadLetters: 0, inflight: 0 });
    expect(existsSync(dlq)).toBe(false);
  });

  it('after three failed attempts writes the event to the dead-letter file', async () => {
    const lambda = new LocalLambda(dlq, () => undefined, [1, 1]);
    let calls = 0;
    lambda.register('broken', async () => {
      calls++;
      throw new TypeError('always');
    });
    lambda.invokeAsync('broken', { year: 2020, officeId: 'x' });
    await lambda.idle();
    expect(calls).toBe(3);
    const lines = readFileSync(dlq, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ function: 'broken', attempts: 3, event: { year: 2020, officeId: 'x' } });
    expect(lines[0].errors[0]).toContain('TypeError: always');
  });

  it('runs async invocations concurrently and idle() waits for all of them', async () => {
    const lambda = new LocalLambda(dlq, () => undefined);
    let running = 0;
    let peak = 0;
    const done: number[] = [];
    lambda.register('slow', async (e: { i: number }) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 20));
      running--;
      done.push(e.i);
    });
    for (let i = 0; i < 5; i++) lambda.invokeAsync('slow', { i });
    await lambda.idle();
    expect(done.sort()).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(5);
  });

  it('a synchronous invoke returns the result or throws the error', async () => {
    const lambda = new LocalLambda(dlq, () => undefined);
    lambda.register('echo', async (e: unknown, ctx) => ({ e, name: ctx.functionName, left: ctx.getRemainingTimeInMillis() > 0 }));
    await expect(lambda.invoke('echo', 1)).resolves.toEqual({ e: 1, name: 'echo', left: true });
    await expect(lambda.invoke('missing', 1)).rejects.toThrow('no local function');
    expect(() => lambda.invokeAsync('missing', 1)).toThrow('no local function');
  });
});
