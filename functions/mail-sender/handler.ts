/**
 * The reminder queue's consumer (SQS event source, at most MAIL_SENDERS invocations at once): delivers each
 * queued e-mail of the daily run (deliverReminderJob: claim, send, record) no faster than its share of
 * MAIL_RATE_PER_SECOND. SES throttling means "later": that message and the rest of the batch go back to the
 * queue with a growing delay (partial batch response), never dropped; a message still failing after
 * MAIL_RATE.maxReceiveCount receives lands in the dead-letter queue (alarmed).
 */
import type { SQSBatchItemFailure, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { TokenBucket } from 'limiter';
import { depsFromEnv, logger } from '../../shared/aws/deps';
import { count, observed } from '../../shared/aws/observe';
import { requireEnv, sqsClient } from '../../shared/aws/clients';
import { SesMailer } from '../../shared/aws/ses-mailer';
import { SqsReminderQueue } from '../../shared/aws/sqs-queue';
import { deliverReminderJob } from '../../shared/cycle/reminders';
import { MailThrottled, type Mailer, type ReminderJob } from '../../shared/cycle/ports';
import { ENV, MAIL_RATE } from '../../shared/resources';

/** This sender's share of the rate. */
function senderRate(): number {
  const rate = Number(process.env[ENV.mailRate] ?? MAIL_RATE.perSecond);
  const senders = Number(process.env[ENV.mailSenders] ?? MAIL_RATE.senders);
  if (!(rate > 0) || !(senders >= 1)) throw new Error(`${ENV.mailRate} and ${ENV.mailSenders} must be positive numbers`);
  return rate / senders;
}

let queue: SqsReminderQueue | undefined;
let ses: Mailer | undefined;

/** Seconds until a throttled message is tried again: 2, 4, 8 … 300, with jitter so they do not return as a herd. */
export function retryDelaySeconds(receiveCount: number): number {
  const base = Math.min(300, 2 ** Math.min(Math.max(receiveCount, 1), 9));
  return base + Math.floor(Math.random() * (base / 2 + 1));
}

function parseJob(body: string): ReminderJob {
  const job = JSON.parse(body) as ReminderJob;
  const ok =
    Number.isInteger(job?.year) &&
    typeof job.at === 'string' &&
    ((job.kind === 'reminder' && typeof job.officeId === 'string' && typeof job.slot === 'string') || (job.kind === 'digest' && Number.isInteger(job.remindersSent)));
  if (!ok) throw new Error('not a reminder job');
  return job;
}

async function sendBatch(event: SQSEvent): Promise<SQSBatchResponse> {
  const deps = depsFromEnv();
  queue ??= new SqsReminderQueue(sqsClient(), requireEnv(ENV.reminderQueueUrl));
  // Without the SDK's retries: a retried send would come on top of the paced ones, into a rate already at its
  // limit; a throttled message waits in the queue instead.
  ses ??= new SesMailer(new SESv2Client({ maxAttempts: 1 }), requireEnv(ENV.mailFrom), process.env[ENV.configurationSet]);
  const send = ses.send.bind(ses);
  // One bucket per invocation, starting empty and one token deep: no burst, not even between two batches of
  // one sender, so MAIL_SENDERS invocations at once send at most MAIL_RATE_PER_SECOND together.
  const paced = new TokenBucket({ bucketSize: 1, tokensPerInterval: senderRate(), interval: 'second' });
  // Once SES throttles, nothing more of this batch is sent: the rest goes back to the queue with it.
  let throttled: MailThrottled | null = null;
  const mailer: Mailer = {
    async send(m) {
      if (!throttled) await paced.removeTokens(1);
      if (throttled) throw throttled;
      try {
        return await send(m);
      } catch (e) {
        if (e instanceof MailThrottled) throttled = e;
        throw e;
      }
    },
  };
  const failures: SQSBatchItemFailure[] = [];
  const later: SQSRecord[] = [];
  const outcomes = await Promise.all(
    event.Records.map(async (record) => {
      try {
        return await deliverReminderJob({ ...deps, mailer }, parseJob(record.body));
      } catch (error) {
        failures.push({ itemIdentifier: record.messageId });
        if (error instanceof MailThrottled) later.push(record);
        else logger.error('reminder job failed', { messageId: record.messageId, body: record.body, error: String(error) });
        return 'failed';
      }
    }),
  );
  // Back sooner than the visibility timeout, with back-off; if this fails, the timeout brings it back anyway.
  await Promise.all(
    later.map((r) =>
      queue!.retryIn(r.receiptHandle, retryDelaySeconds(Number(r.attributes.ApproximateReceiveCount))).catch((e) => logger.warn('could not delay a throttled message', { error: String(e) })),
    ),
  );
  const outcomesOf = (o: string) => outcomes.filter((x) => x === o).length;
  count('RemindersSent', outcomesOf('sent'));
  count('MailThrottled', later.length);
  logger.info('reminder batch', { records: event.Records.length, sent: outcomesOf('sent'), undeliverable: outcomesOf('undeliverable'), skipped: outcomesOf('skipped'), throttled: later.length, failed: failures.length - later.length });
  return { batchItemFailures: failures };
}

export const handler = observed(sendBatch, (event) => event.Records[0]?.messageId);
