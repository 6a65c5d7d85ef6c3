/**
 * The reconciliation sweep: a daily EventBridge Scheduler schedule at 08:30 Beijing time (before the 09:00
 * reminders, so no office is reminded about an upload whose event was lost) → the reconcile function, which
 * lists incoming/{year}/ of every cycle and processes each object without a recorded outcome — the
 * backstop for S3 events that never arrived or ended in the dead-letter queue.
 */
import { Duration, TimeZone } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV, INCOMING_PREFIX } from '../../shared/resources';
import { Handler } from './handler';
import type { Mail } from './mail';

export const RECONCILE_TIME_ZONE = TimeZone.ASIA_SHANGHAI;

export interface ReconciliationProps {
  table: dynamodb.ITable;
  incoming: s3.IBucket;
  archive: s3.IBucket;
  archiveFunction: iam.IGrantable & { functionName: string; grantInvoke(g: iam.IGrantable): iam.Grant };
  mail: Mail;
  publicBaseUrl: string;
  deadLetterQueue: sqs.IQueue;
  logRetention: logs.RetentionDays;
}

export class Reconciliation extends Construct {
  readonly sweeper: Handler;
  readonly schedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: ReconciliationProps) {
    super(scope, id);

    // Processes what it finds exactly as process-submission would: the same environment and grants, plus
    // ListBucket on the incoming bucket (part of grantRead).
    this.sweeper = new Handler(this, 'Reconcile', {
      name: 'reconcile',
      description: 'Daily sweep: processes every uploaded report without a recorded outcome',
      environment: {
        [ENV.table]: props.table.tableName,
        [ENV.incomingBucket]: props.incoming.bucketName,
        [ENV.archiveBucket]: props.archive.bucketName,
        [ENV.archiveFunction]: props.archiveFunction.functionName,
        [ENV.publicBaseUrl]: props.publicBaseUrl,
        ...props.mail.senderEnvironment(),
      },
      logRetention: props.logRetention,
      memorySize: 1536,
      // Stops starting new uploads 2.5 minutes before this; what is left waits for the next sweep.
      timeout: Duration.minutes(15),
    });
    const fn = this.sweeper.fn;
    props.table.grantReadWriteData(fn);
    props.incoming.grantRead(fn, `${INCOMING_PREFIX}*`);
    props.archive.grantReadWrite(fn);
    props.archiveFunction.grantInvoke(fn);
    props.mail.grantSend(fn);
    // The scheduler invokes asynchronously: a sweep that still fails after Lambda's retries is parked.
    fn.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new destinations.SqsDestination(props.deadLetterQueue),
    });

    this.schedule = new scheduler.Schedule(this, 'Daily', {
      description: 'nianbao reconciliation sweep, 08:30 Asia/Shanghai',
      schedule: scheduler.ScheduleExpression.cron({ minute: '30', hour: '8', timeZone: RECONCILE_TIME_ZONE }),
      // Idempotent: an object already recorded is skipped, a re-processed one changes nothing.
      target: new targets.LambdaInvoke(fn, {
        input: scheduler.ScheduleTargetInput.fromObject({ time: scheduler.ContextAttribute.scheduledTime }),
        retryAttempts: 3,
        maxEventAge: Duration.hours(2),
        deadLetterQueue: props.deadLetterQueue,
      }),
    });
  }
}
