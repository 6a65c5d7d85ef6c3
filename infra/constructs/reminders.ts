/**
 * Reminders at the rate SES allows. A daily EventBridge Scheduler schedule at 09:00 Beijing time →
 * send-reminders, which queries the offices not yet accepted and queues one message per due reminder (and
 * the coordinators' digest) in an SQS queue: cheap, fast, safe to repeat. mail-sender consumes the queue
 * (event source with maximum concurrency MAIL_RATE.senders, batches of 10, partial batch responses) and
 * sends at most `mailRatePerSecond` e-mails a second between them; what SES throttles goes back to the
 * queue with a delay. Each e-mail is sent under its once-only claim, so repeats send nothing twice.
 */
import { Duration, TimeZone } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { ENV, MAIL_RATE } from '../../shared/resources';
import { Handler } from './handler';
import type { Mail } from './mail';
import { grantTableRead, grantTableReadWrite } from './table-access';

export const REMINDER_TIME_ZONE = TimeZone.ASIA_SHANGHAI;

/** mail-sender's timeout: a batch of 10 at a few e-mails a second, with room for SES and DynamoDB retries. */
export const MAIL_SENDER_TIMEOUT = Duration.minutes(1);

export interface RemindersProps {
  table: dynamodb.ITable;
  mail: Mail;
  publicBaseUrl: string;
  deadLetterQueue: sqs.IQueue;
  logRetention: logs.RetentionDays;
  /** E-mails per second all senders together (SES's maximum sending rate of the account). */
  mailRatePerSecond: number;
}

export class Reminders extends Construct {
  readonly sender: Handler;
  readonly mailSender: Handler;
  readonly queue: sqs.Queue;
  /** Reminder jobs that failed MAIL_RATE.maxReceiveCount times (alarmed; redrive to the queue to retry). */
  readonly deadLetters: sqs.Queue;
  readonly schedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: RemindersProps) {
    super(scope, id);

    this.deadLetters = new sqs.Queue(this, 'QueueDeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    NagSuppressions.addResourceSuppressions(this.deadLetters, [
      { id: 'AwsSolutions-SQS3', reason: 'This queue is itself the dead-letter queue of the reminder queue.' },
    ]);
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS's advice for an event source: at least 6 × the consumer's timeout.
      visibilityTimeout: Duration.seconds(MAIL_SENDER_TIMEOUT.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      // Throttled messages come back with back-off (up to 5 min), so many receives are allowed: hours of
      // throttling before a message is parked.
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: MAIL_RATE.maxReceiveCount },
    });

    this.sender = new Handler(this, 'SendReminders', {
      name: 'send-reminders',
      description: 'Daily reminders, coordinator digest and escalation after the deadline: queued for mail-sender',
      // It only reads the offices and queues: no mail rights (mail-sender sends).
      environment: { [ENV.table]: props.table.tableName },
      logRetention: props.logRetention,
      asyncFailureQueue: props.deadLetterQueue,
      timeout: Duration.minutes(5),
    });
    grantTableRead(props.table, this.sender.fn);
    this.allowEnqueue(this.sender.fn);

    this.mailSender = new Handler(this, 'MailSender', {
      name: 'mail-sender',
      description: 'Sends the queued reminders and digests at the rate SES allows',
      environment: {
        [ENV.table]: props.table.tableName,
        [ENV.publicBaseUrl]: props.publicBaseUrl,
        [ENV.reminderQueueUrl]: this.queue.queueUrl,
        [ENV.mailRate]: String(props.mailRatePerSecond),
        [ENV.mailSenders]: String(MAIL_RATE.senders),
        ...props.mail.senderEnvironment(),
      },
      logRetention: props.logRetention,
      timeout: MAIL_SENDER_TIMEOUT,
    });
    grantTableReadWrite(props.table, this.mailSender.fn);
    props.mail.grantSend(this.mailSender.fn);
    // Receive, delete and change visibility (the back-off of a throttled message) on this queue only.
    this.mailSender.fn.addEventSource(
      new SqsEventSource(this.queue, { batchSize: MAIL_RATE.batchSize, maxConcurrency: MAIL_RATE.senders, reportBatchItemFailures: true }),
    );

    this.schedule = new scheduler.Schedule(this, 'Daily', {
      description: 'nianbao reminders, 09:00 Asia/Shanghai',
      schedule: scheduler.ScheduleExpression.cron({ minute: '0', hour: '9', timeZone: REMINDER_TIME_ZONE }),
      // The handler is idempotent per day (once-only claims), so a retried tick sends nothing twice.
      target: new targets.LambdaInvoke(this.sender.fn, {
        input: scheduler.ScheduleTargetInput.fromObject({ time: scheduler.ContextAttribute.scheduledTime }),
        retryAttempts: 3,
        maxEventAge: Duration.hours(2),
        deadLetterQueue: props.deadLetterQueue,
      }),
    });
  }

  /** A function that runs the daily job (send-reminders; the API's "run now") queues its e-mails here. */
  allowEnqueue(fn: lambda.Function & iam.IGrantable): void {
    fn.addEnvironment(ENV.reminderQueueUrl, this.queue.queueUrl);
    this.queue.grantSendMessages(fn);
  }
}
