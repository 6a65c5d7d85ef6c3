/**
 * A local stand-in for Lambda's invocation model: handlers run in this process, synchronously
 * (API, ticks) or asynchronously like an `Event` invocation (S3 notifications, the archive step):
 * queued, run concurrently, retried twice with back-off when they throw, then written to a
 * dead-letter file (JSON lines), as Lambda does with an on-failure destination.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

// Handlers have their own event types; the runtime only passes them through.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyHandler = (event: any, context: Context) => Promise<unknown>;

export interface LambdaStats {
  invocations: number;
  failures: number;
  retries: number;
  deadLetters: number;
  inflight: number;
}

export class LocalLambda {
  private readonly handlers = new Map<string, AnyHandler>();
  private readonly waiters: Array<() => void> = [];
  readonly stats: LambdaStats = { invocations: 0, failures: 0, retries: 0, deadLetters: 0, inflight: 0 };

  constructor(
    private readonly deadLetterFile: string,
    private readonly log: (line: string) => void,
    /** Lambda waits ~1 and ~2 minutes; locally the same shape, scaled down. */
    private readonly retryDelaysMs: number[] = [200, 800],
  ) {}

  register(name: string, handler: AnyHandler): void {
    this.handlers.set(name, handler);
  }

  has(name: string): boolean {
    return this.handlers.has(name);
  }

  /** RequestResponse invocation: the caller gets the result or the error. */
  async invoke(name: string, event: unknown): Promise<unknown> {
    const handler = this.handlers.get(name);
    if (!handler) throw new Error(`no local function named ${name}`);
    this.stats.invocations++;
    return handler(event, this.context(name));
  }

  /** Event invocation: returns at once; retries and dead-letters like Lambda. */
  invokeAsync(name: string, event: unknown): void {
    if (!this.handlers.has(name)) throw new Error(`no local function named ${name}`);
    this.stats.inflight++;
    void this.runWithRetries(name, event).finally(() => {
      this.stats.inflight--;
      if (this.stats.inflight === 0) this.waiters.splice(0).forEach((w) => w());
    });
  }

  /** Resolves when no asynchronous invocation is queued or running. */
  idle(): Promise<void> {
    if (this.stats.inflight === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private async runWithRetries(name: string, event: unknown): Promise<void> {
    const errors: string[] = [];
    for (let attempt = 0; attempt <= this.retryDelaysMs.length; attempt++) {
      if (attempt > 0) {
        this.stats.retries++;
        await new Promise((r) => setTimeout(r, this.retryDelaysMs[attempt - 1]));
      }
      try {
        await this.invoke(name, event);
        return;
      } catch (error) {
        this.stats.failures++;
        const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        errors.push(message);
        this.log(`[lambda] ${name} failed (attempt ${attempt + 1}): ${message}`);
      }
    }
    this.stats.deadLetters++;
    mkdirSync(dirname(this.deadLetterFile), { recursive: true });
    // Events carry office data: the file is readable by its owner only.
    appendFileSync(
      this.deadLetterFile,
      JSON.stringify({ function: name, at: new Date().toISOString(), attempts: errors.length, errors, event }) + '\n',
      { mode: 0o600 },
    );
    this.log(`[lambda] ${name}: gave up after ${errors.length} attempts; event written to ${this.deadLetterFile}`);
  }

  private context(name: string): Context {
    const deadline = Date.now() + 15 * 60 * 1000;
    return {
      callbackWaitsForEmptyEventLoop: false,
      functionName: name,
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
      memoryLimitInMB: '1024',
      awsRequestId: randomUUID(),
      logGroupName: `/aws/lambda/${name}`,
      logStreamName: 'local',
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      done: () => undefined,
      fail: () => undefined,
      succeed: () => undefined,
    };
  }
}
