/** The reminder queue on SQS: the daily run's e-mails, 10 to a SendMessageBatch, a few batches at a time. */
import { ChangeMessageVisibilityCommand, SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ReminderJob, ReminderQueue } from '../cycle/ports';

const IN_FLIGHT = 8;
const ATTEMPTS = 4;

export class SqsReminderQueue implements ReminderQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(jobs: ReminderJob[]): Promise<void> {
    const batches: ReminderJob[][] = [];
    for (let i = 0; i < jobs.length; i += 10) batches.push(jobs.slice(i, i + 10));
    let next = 0;
    const worker = async () => {
      while (next < batches.length) await this.sendBatch(batches[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, batches.length) }, worker));
  }

  /** A batch can succeed in part: the entries SQS failed are sent again, then the run fails (and is retried). */
  private async sendBatch(jobs: ReminderJob[]): Promise<void> {
    let entries = jobs.map((job, i) => ({ Id: String(i), MessageBody: JSON.stringify(job) }));
    for (let attempt = 1; ; attempt++) {
      const r = await this.client.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }));
      const failed = new Set((r.Failed ?? []).map((f) => f.Id));
      if (!failed.size) return;
      if (attempt >= ATTEMPTS) throw new Error(`SQS refused ${failed.size} reminder(s): ${r.Failed?.[0]?.Code} ${r.Failed?.[0]?.Message ?? ''}`);
      entries = entries.filter((e) => failed.has(e.Id));
      await new Promise((res) => setTimeout(res, 100 * 2 ** attempt));
    }
  }

  /** A received message back into the queue in `seconds` (instead of the visibility timeout). */
  async retryIn(receiptHandle: string, seconds: number): Promise<void> {
    await this.client.send(new ChangeMessageVisibilityCommand({ QueueUrl: this.queueUrl, ReceiptHandle: receiptHandle, VisibilityTimeout: seconds }));
  }
}
