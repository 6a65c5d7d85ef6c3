/**
 * A daily EventBridge Scheduler schedule at 09:00 Beijing time → send-reminders, which queries the
 * offices not yet accepted, sends each due reminder once, the coordinators' digest, and escalations.
 */
import { Duration, TimeZone } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../../shared/resources';
import { Handler } from './handler';
import type { Mail } from './mail';
import { grantTableReadWrite } from './table-access';

export const REMINDER_TIME_ZONE = TimeZone.ASIA_SHANGHAI;

export interface RemindersProps {
  table: dynamodb.ITable;
  mail: Mail;
  publicBaseUrl: string;
  deadLetterQueue: sqs.IQueue;
  logRetention: logs.RetentionDays;
}

export class Reminders extends Construct {
  readonly sender: Handler;
  readonly schedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: RemindersProps) {
    super(scope, id);

    this.sender = new Handler(this, 'SendReminders', {
      name: 'send-reminders',
      description: 'Daily reminders, coordinator digest and escalation after the deadline',
      environment: {
        [ENV.table]: props.table.tableName,
        [ENV.publicBaseUrl]: props.publicBaseUrl,
        ...props.mail.senderEnvironment(),
      },
      logRetention: props.logRetention,
      asyncFailureQueue: props.deadLetterQueue,
      timeout: Duration.minutes(5),
    });
    grantTableReadWrite(props.table, this.sender.fn);
    props.mail.grantSend(this.sender.fn);

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
}
