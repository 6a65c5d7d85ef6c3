/**
 * The reconciliation sweep: a daily EventBridge Scheduler schedule at 08:30 Beijing time (before the 09:00
 * reminders, so no office is reminded about an upload whose event was lost) → the reconcile function, which
 * lists incoming/{year}/ of every cycle and processes each object without a recorded outcome — the
 * backstop for S3 events that never arrived or ended in the dead-letter queue.
 */
import { Duration, TimeZone } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { PUBLIC_PREFIX } from '../../shared/resources';
import { Handler } from './handler';
import { grantUploadProcessor, uploadProcessorEnvironment, type UploadProcessorResources } from './processing';

export const RECONCILE_TIME_ZONE = TimeZone.ASIA_SHANGHAI;

export interface ReconciliationProps extends UploadProcessorResources {
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
      environment: uploadProcessorEnvironment(props),
      logRetention: props.logRetention,
      asyncFailureQueue: props.deadLetterQueue,
      memorySize: 1536,
      // Stops starting new uploads 2.5 minutes before this; what is left waits for the next sweep.
      timeout: Duration.minutes(15),
    });
    const fn = this.sweeper.fn;
    grantUploadProcessor(fn, props);
    // Checks that published reports have their public files (reads only; the archive function writes them).
    props.archive.grantRead(fn, `${PUBLIC_PREFIX}*`);

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
