/**
 * Alarms (issue 13.4): every dead-letter queue with a message in it, and every function of the stack that
 * reported an error, alarm to one encrypted SNS topic (subscribe the operators' e-mail or chat to it; the
 * alarmEmail context setting does it at deploy). What each alarm means and how to replay a dead-letter queue
 * safely: docs/RUNBOOK.md.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface AlarmsProps {
  /** Every dead-letter queue of the stack. */
  deadLetterQueues: Record<string, sqs.IQueue>;
  /** Work queues that should drain within hours: an alarm when their oldest message is older. */
  backlogs?: Record<string, sqs.IQueue>;
  /** Every function of the stack, by its name under functions/. */
  functions: Record<string, lambda.IFunction>;
  /** Subscribed to the topic when given. */
  email?: string;
}

export class Alarms extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    // CloudWatch publishes to an encrypted topic only with a customer-managed key it may use.
    const key = new kms.Key(this, 'TopicKey', { enableKeyRotation: true, description: 'nianbao alarm topic' });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'], // in a key policy "*" means this key
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    this.topic = new sns.Topic(this, 'Topic', { masterKey: key, enforceSSL: true, displayName: 'nianbao alarms' });
    if (props.email) this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
    const action = new actions.SnsAction(this.topic);

    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      const alarm = new cloudwatch.Alarm(this, `DeadLetters-${name}`, {
        alarmName: `nianbao-${Stack.of(this).stackName}-dead-letters-${name}`,
        alarmDescription: `Dead-letter queue ${name} holds failed events. See docs/RUNBOOK.md "Dead letters".`,
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(action);
      this.alarms.push(alarm);
    }
    for (const [name, queue] of Object.entries(props.backlogs ?? {})) {
      const alarm = new cloudwatch.Alarm(this, `Backlog-${name}`, {
        alarmName: `nianbao-${Stack.of(this).stackName}-backlog-${name}`,
        alarmDescription: `Queue ${name} has not drained: its oldest message is over 3 hours old. See docs/RUNBOOK.md "Reminder backlog".`,
        metric: queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(15), statistic: 'Maximum' }),
        threshold: 3 * 3600,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(action);
      this.alarms.push(alarm);
    }
    for (const [name, fn] of Object.entries(props.functions)) {
      const alarm = new cloudwatch.Alarm(this, `Errors-${name}`, {
        alarmName: `nianbao-${Stack.of(this).stackName}-errors-${name}`,
        alarmDescription: `Function ${name} reported errors. See docs/RUNBOOK.md "Function errors".`,
        metric: fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(action);
      this.alarms.push(alarm);
    }
  }
}
