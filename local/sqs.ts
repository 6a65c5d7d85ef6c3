/**
 * SQS on 127.0.0.1 for the local runtime: one standard queue behind the SQS JSON protocol (what
 * @aws-sdk/client-sqs speaks), so the functions' SQS adapter runs unchanged, and a poller that plays
 * Lambda's SQS event source mapping: batches of up to `batchSize`, at most `maxConcurrency` invocations
 * at once, a message deleted only when its invocation succeeded and did not list it in
 * `batchItemFailures`, back after the visibility timeout otherwise, to the dead-letter callback after
 * `maxReceiveCount` receives. Only the operations the functions use: SendMessage(Batch),
 * ChangeMessageVisibility, GetQueueAttributes. Every request must be SigV4-signed, as SQS requires.
 */
import { createServer, type Server } from 'node:http';
import { createHash, randomUUID } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { verifySigV4 } from './sigv4';

interface Message {
  id: string;
  body: string;
  sentAt: number;
  visibleAt: number;
  receiveCount: number;
  receiptHandle: string | null;
}

export interface QueueStats {
  sent: number;
  received: number;
  deleted: number;
  /** ChangeMessageVisibility calls (a consumer putting a message back for later). */
  delayed: number;
  deadLettered: number;
}

export interface SqsLocalOptions {
  port: number;
  region: string;
  queueName: string;
  credentials: Record<string, string>;
  visibilityTimeoutS: number;
  maxReceiveCount: number;
  onDeadLetter: (body: string, receiveCount: number) => void;
}

export class LocalQueue {
  readonly url: string;
  readonly arn: string;
  readonly stats: QueueStats = { sent: 0, received: 0, deleted: 0, delayed: 0, deadLettered: 0 };
  private readonly messages = new Map<string, Message>();
  private readonly waiters: Array<() => void> = [];

  constructor(
    endpoint: string,
    region: string,
    private readonly options: Pick<SqsLocalOptions, 'queueName' | 'visibilityTimeoutS' | 'maxReceiveCount' | 'onDeadLetter'>,
  ) {
    this.url = `${endpoint}/000000000000/${options.queueName}`;
    this.arn = `arn:aws:sqs:${region}:000000000000:${options.queueName}`;
  }

  get size(): number {
    return this.messages.size;
  }

  send(body: string, delaySeconds = 0): string {
    const id = randomUUID();
    this.messages.set(id, { id, body, sentAt: Date.now(), visibleAt: Date.now() + delaySeconds * 1000, receiveCount: 0, receiptHandle: null });
    this.stats.sent++;
    this.waiters.splice(0).forEach((w) => w());
    return id;
  }

  /** Up to `max` visible messages, each hidden for the visibility timeout; over-received ones go to the dead-letter callback. */
  receive(max: number): Message[] {
    const now = Date.now();
    const out: Message[] = [];
    for (const m of this.messages.values()) {
      if (out.length >= max) break;
      if (m.visibleAt > now) continue;
      if (m.receiveCount >= this.options.maxReceiveCount) {
        this.messages.delete(m.id);
        this.stats.deadLettered++;
        this.options.onDeadLetter(m.body, m.receiveCount);
        continue;
      }
      m.receiveCount++;
      m.receiptHandle = randomUUID();
      m.visibleAt = now + this.options.visibilityTimeoutS * 1000;
      this.stats.received++;
      out.push({ ...m });
    }
    return out;
  }

  private byHandle(handle: string): Message | undefined {
    for (const m of this.messages.values()) if (m.receiptHandle === handle) return m;
    return undefined;
  }

  delete(handle: string): void {
    const m = this.byHandle(handle);
    if (m && this.messages.delete(m.id)) this.stats.deleted++;
  }

  changeVisibility(handle: string, seconds: number): boolean {
    const m = this.byHandle(handle);
    if (!m) return false;
    m.visibleAt = Date.now() + seconds * 1000;
    this.stats.delayed++;
    this.waiters.splice(0).forEach((w) => w());
    return true;
  }

  /** Milliseconds until the next message becomes visible (0: one is visible now; null: the queue is empty). */
  nextVisibleInMs(): number | null {
    let next: number | null = null;
    for (const m of this.messages.values()) next = next === null ? m.visibleAt : Math.min(next, m.visibleAt);
    return next === null ? null : Math.max(0, next - Date.now());
  }

  /** Resolves when something is sent or made visible earlier, or after `ms`. */
  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      timer.unref();
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

/** Lambda's SQS event for a batch, as the event source mapping builds it. */
function eventFor(queue: LocalQueue, region: string, batch: Message[]): SQSEvent {
  return {
    Records: batch.map(
      (m): SQSRecord => ({
        messageId: m.id,
        receiptHandle: m.receiptHandle ?? '',
        body: m.body,
        attributes: {
          ApproximateReceiveCount: String(m.receiveCount),
          SentTimestamp: String(m.sentAt),
          SenderId: 'local',
          ApproximateFirstReceiveTimestamp: String(Date.now()),
        },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: queue.arn,
        awsRegion: region,
      }),
    ),
  };
}

export interface EventSourceMapping {
  /** Resolves when the queue is empty and no invocation runs. */
  idle(): Promise<void>;
  readonly busy: boolean;
  stop(): Promise<void>;
}

/** Polls the queue like Lambda's event source mapping with ReportBatchItemFailures and MaximumConcurrency. */
export function pollQueue(
  queue: LocalQueue,
  region: string,
  options: { batchSize: number; maxConcurrency: number },
  invoke: (event: SQSEvent) => Promise<unknown>,
  log: (line: string) => void,
): EventSourceMapping {
  let running = true;
  let inflight = 0;
  const idleWaiters: Array<() => void> = [];
  const settle = () => {
    if (inflight === 0 && queue.size === 0) idleWaiters.splice(0).forEach((w) => w());
  };
  const worker = async () => {
    while (running) {
      const batch = queue.receive(options.batchSize);
      if (!batch.length) {
        settle();
        await queue.wait(Math.min(queue.nextVisibleInMs() ?? 1000, 1000));
        continue;
      }
      inflight++;
      try {
        const result = (await invoke(eventFor(queue, region, batch))) as SQSBatchResponse | undefined;
        const failed = new Set((result?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
        for (const m of batch) if (!failed.has(m.id)) queue.delete(m.receiptHandle ?? '');
      } catch (error) {
        // The whole batch comes back after its visibility timeout.
        log(`[sqs] invocation failed: ${String(error)}`);
      } finally {
        inflight--;
      }
    }
  };
  const workers = Array.from({ length: options.maxConcurrency }, () => worker());
  return {
    get busy() {
      return inflight > 0 || queue.size > 0;
    },
    idle: () => (inflight === 0 && queue.size === 0 ? Promise.resolve() : new Promise((r) => idleWaiters.push(r))),
    async stop() {
      running = false;
      await Promise.all(workers);
    },
  };
}

/** The SQS JSON protocol over HTTP for one queue; SigV4 verified on every request. */
export async function startSqs(options: SqsLocalOptions): Promise<{ queue: LocalQueue; endpoint: string; stop(): Promise<void> }> {
  const endpoint = `http://127.0.0.1:${options.port}`;
  const queue = new LocalQueue(endpoint, options.region, options);
  // The SDK checks the MD5 of every body it sent against the answer.
  const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');
  const reply = (res: import('node:http').ServerResponse, status: number, body: unknown, errorType?: string) => {
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', ...(errorType ? { 'x-amzn-query-error': `${errorType};Sender` } : {}) });
    res.end(JSON.stringify(errorType ? { __type: `com.amazonaws.sqs#${errorType}`, message: body } : body));
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', endpoint);
      const auth = verifySigV4(
        { method: req.method ?? 'POST', path: url.pathname, query: url.searchParams, headers: req.headers, body },
        (id) => options.credentials[id],
        { service: 'sqs' },
      );
      if (!auth.ok) return reply(res, 403, auth.reason, 'InvalidSecurity');
      const op = String(req.headers['x-amz-target'] ?? '').replace(/^AmazonSQS\./, '');
      let input: Record<string, unknown>;
      try {
        input = JSON.parse(body.toString('utf8') || '{}');
      } catch {
        return reply(res, 400, 'body is not JSON', 'InvalidParameterValue');
      }
      if (input.QueueUrl !== queue.url) return reply(res, 400, `no queue ${String(input.QueueUrl)}`, 'QueueDoesNotExist');
      switch (op) {
        case 'SendMessage':
          return reply(res, 200, { MessageId: queue.send(String(input.MessageBody), Number(input.DelaySeconds ?? 0)), MD5OfMessageBody: md5(String(input.MessageBody)) });
        case 'SendMessageBatch': {
          const entries = (input.Entries ?? []) as Array<{ Id: string; MessageBody: string; DelaySeconds?: number }>;
          if (!entries.length || entries.length > 10) return reply(res, 400, 'a batch holds 1 to 10 entries', 'TooManyEntriesInBatchRequest');
          return reply(res, 200, { Successful: entries.map((e) => ({ Id: e.Id, MessageId: queue.send(e.MessageBody, e.DelaySeconds ?? 0), MD5OfMessageBody: md5(e.MessageBody) })), Failed: [] });
        }
        case 'ChangeMessageVisibility':
          if (!queue.changeVisibility(String(input.ReceiptHandle), Number(input.VisibilityTimeout ?? 0))) return reply(res, 400, 'receipt handle unknown or expired', 'ReceiptHandleIsInvalid');
          return reply(res, 200, {});
        case 'GetQueueAttributes':
          return reply(res, 200, { Attributes: { ApproximateNumberOfMessages: String(queue.size) } });
        default:
          return reply(res, 400, `operation ${op} is not emulated`, 'UnsupportedOperation');
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  return {
    queue,
    endpoint,
    async stop() {
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      await closed;
    },
  };
}
