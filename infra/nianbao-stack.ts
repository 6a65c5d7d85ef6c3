/**
 * NianbaoStack: the whole annual-report cycle in one stack, assembled from a few constructs.
 * Synthesises offline: no lookups, no credentials, functions bundled with the local esbuild.
 */
import { Aws, CfnOutput, Duration, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import type { NianbaoConfig } from './config';
import { suppressCdkInternals } from './nag';
import { Alarms } from './constructs/alarms';
import { Handler } from './constructs/handler';
import { Intake } from './constructs/intake';
import { Mail } from './constructs/mail';
import { Processing } from './constructs/processing';
import { PublicRecord } from './constructs/public-record';
import { Reconciliation } from './constructs/reconciliation';
import { Reminders } from './constructs/reminders';
import { Storage } from './constructs/storage';

export interface NianbaoStackProps extends StackProps {
  config: NianbaoConfig;
}

export class NianbaoStack extends Stack {
  readonly storage: Storage;
  readonly mail: Mail;
  readonly publicRecord: PublicRecord;
  readonly intake: Intake;
  readonly processing: Processing;
  readonly reminders: Reminders;
  readonly reconciliation: Reconciliation;
  readonly deadLetters: sqs.Queue;
  readonly alarms: Alarms;

  constructor(scope: Construct, id: string, props: NianbaoStackProps) {
    super(scope, id, props);
    const { config } = props;
    const logRetention = config.stage === 'prod' ? logs.RetentionDays.ONE_YEAR : logs.RetentionDays.ONE_MONTH;

    // One queue for every asynchronous failure (S3 → processor, archive invokes, SES events, schedules).
    this.deadLetters = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    NagSuppressions.addResourceSuppressions(this.deadLetters, [
      { id: 'AwsSolutions-SQS3', reason: 'This queue is itself the dead-letter destination of the async invocations.' },
    ]);

    this.storage = new Storage(this, 'Storage', {
      incomingRetentionDays: config.incomingRetentionDays,
      protectTable: config.stage === 'prod',
    });
    const { table, incoming, archive, accessLogs } = this.storage;

    this.mail = new Mail(this, 'Mail', {
      mailFrom: config.mailFrom,
      domain: config.domain,
      sesSandbox: config.sesSandbox,
      table,
      logRetention,
      deadLetterQueue: this.deadLetters,
    });

    this.publicRecord = new PublicRecord(this, 'PublicRecord', {
      table,
      incoming,
      archive,
      accessLogs,
      logRetention,
      deadLetterQueue: this.deadLetters,
      mail: this.mail,
      webAssetsPath: config.webAssetsPath,
    });
    const publicBaseUrl = this.publicRecord.baseUrl;
    const archiveFunction = this.publicRecord.archiveFn.fn;

    // The API is reached only through CloudFront (issue 13.6): CloudFront adds a header with a value unique to
    // this stack (the UUID of its stack id, never in a URL) and the API functions refuse requests without it.
    // Not with corsOrigins: those origins call the API's own URL directly.
    const originVerify = config.corsOrigins.length ? undefined : Fn.select(2, Fn.split('/', Aws.STACK_ID));
    this.intake = new Intake(this, 'Intake', {
      originVerify,
      table,
      incoming,
      archive,
      archiveFunction,
      mail: this.mail,
      publicBaseUrl,
      siteUrl: this.publicRecord.siteUrl,
      extraOrigins: config.corsOrigins,
      coordinatorTokenSha256: config.coordinatorTokenSha256,
      logRetention,
    });

    // process-submission and the reconciliation sweep process uploads alike: the same resources.
    const uploadProcessing = {
      table,
      incoming,
      archive,
      archiveFunction,
      mail: this.mail,
      publicBaseUrl,
      deadLetterQueue: this.deadLetters,
      logRetention,
    };
    this.processing = new Processing(this, 'Processing', uploadProcessing);

    this.reminders = new Reminders(this, 'Reminders', {
      table,
      mail: this.mail,
      publicBaseUrl,
      deadLetterQueue: this.deadLetters,
      logRetention,
      mailRatePerSecond: config.mailRatePerSecond,
    });
    // The coordinator's "run the reminders now" (POST /cycles/{year}/reminders) queues like the schedule.
    this.reminders.allowEnqueue(this.intake.api.fn);

    this.reconciliation = new Reconciliation(this, 'Reconciliation', uploadProcessing);

    // Every dead-letter queue and every function's errors alarm to one topic (docs/RUNBOOK.md).
    const handlers = this.node.findAll().filter((c): c is Handler => c instanceof Handler);
    this.alarms = new Alarms(this, 'Alarms', {
      deadLetterQueues: { main: this.deadLetters, reminders: this.reminders.deadLetters },
      backlogs: { reminders: this.reminders.queue },
      functions: Object.fromEntries(handlers.map((h) => [h.name, h.fn])),
      email: this.node.tryGetContext('alarmEmail'),
    });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn, description: 'Alarms (subscribe to it); see docs/RUNBOOK.md' });

    this.publicRecord.routeApi(this.intake.httpApi, originVerify);
    this.publicRecord.deployWeb();

    new CfnOutput(this, 'ApiUrl', { value: this.intake.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'SiteUrl', { value: this.publicRecord.siteUrl, description: 'The web pages' });
    new CfnOutput(this, 'PublicUrl', { value: publicBaseUrl, description: 'The public record (PUBLIC_BASE_URL)' });
    new CfnOutput(this, 'IncomingBucketName', { value: incoming.bucketName });
    new CfnOutput(this, 'ArchiveBucketName', { value: archive.bucketName });
    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'DeadLetterQueueUrl', { value: this.deadLetters.queueUrl });
    new CfnOutput(this, 'ReminderDeadLetterQueueUrl', { value: this.reminders.deadLetters.queueUrl });
    new CfnOutput(this, 'SesIdentity', { value: this.mail.identity.emailIdentityName });
    if (config.domain) {
      // DKIM CNAMEs to add at the domain's DNS (no hosted-zone lookup here: synth stays offline).
      this.mail.identity.dkimRecords.forEach((record, i) => {
        new CfnOutput(this, `DkimRecord${i + 1}`, { value: `${record.name} CNAME ${record.value}` });
      });
    }
    suppressCdkInternals(this);
  }
}
