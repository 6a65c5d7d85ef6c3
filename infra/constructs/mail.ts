/**
 * Outgoing mail: the SES identity (a domain with DKIM, or one address), a configuration set whose
 * bounce and complaint events go through an encrypted SNS topic to the ses-events function.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { ENV } from '../../shared/resources';
import { Handler } from './handler';
import { grantTableReadWrite } from './table-access';

export interface MailProps {
  mailFrom: string;
  domain?: string;
  sesSandbox: boolean;
  table: dynamodb.ITable;
  logRetention: logs.RetentionDays;
  /** Receives SNS deliveries that the ses-events function could not take. */
  deadLetterQueue: sqs.IQueue;
}

export class Mail extends Construct {
  readonly identity: ses.EmailIdentity;
  readonly configurationSet: ses.ConfigurationSet;
  readonly topic: sns.Topic;
  readonly events: Handler;
  private readonly props: MailProps;

  constructor(scope: Construct, id: string, props: MailProps) {
    super(scope, id);
    this.props = props;

    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      reputationMetrics: true,
      tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });

    this.identity = new ses.EmailIdentity(this, 'Identity', {
      identity: props.domain ? ses.Identity.domain(props.domain) : ses.Identity.email(props.mailFrom),
      configurationSet: this.configurationSet,
    });

    // SES publishes to an encrypted topic only with a customer-managed key it may use.
    const key = new kms.Key(this, 'TopicKey', {
      enableKeyRotation: true,
      description: 'nianbao SES event topic',
    });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('ses.amazonaws.com')],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'], // in a key policy "*" means this key
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    this.topic = new sns.Topic(this, 'Events', { masterKey: key, enforceSSL: true });

    this.configurationSet.addEventDestination('BouncesAndComplaints', {
      destination: ses.EventDestination.snsTopic(this.topic),
      events: [ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT, ses.EmailSendingEvent.REJECT],
    });

    this.events = new Handler(this, 'SesEvents', {
      name: 'ses-events',
      description: 'Records SES bounces and complaints against the office contacts',
      // It tells the coordinators when an office's address bounces, so it sends mail too.
      environment: { [ENV.table]: props.table.tableName, ...this.senderEnvironment() },
      logRetention: props.logRetention,
      asyncFailureQueue: props.deadLetterQueue,
      timeout: Duration.seconds(30),
    });
    grantTableReadWrite(props.table, this.events.fn);
    this.grantSend(this.events.fn);
    this.topic.addSubscription(
      new subscriptions.LambdaSubscription(this.events.fn, { deadLetterQueue: props.deadLetterQueue }),
    );
  }

  /** Environment for a function that sends mail. */
  senderEnvironment(): Record<string, string> {
    return {
      [ENV.mailFrom]: this.props.mailFrom,
      [ENV.configurationSet]: this.configurationSet.configurationSetName,
    };
  }

  /** ses:SendEmail on the sender identity and the configuration set only (plus recipients in the sandbox). */
  grantSend(grantee: iam.IGrantable): void {
    const stack = Stack.of(this);
    const identityArn = (name: string) =>
      stack.formatArn({ service: 'ses', resource: 'identity', resourceName: name });
    const resources = [
      identityArn(this.identity.emailIdentityName),
      stack.formatArn({
        service: 'ses',
        resource: 'configuration-set',
        resourceName: this.configurationSet.configurationSetName,
      }),
    ];
    if (this.props.sesSandbox) resources.push(identityArn('*'));
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['ses:SendEmail', 'ses:SendRawEmail'],
      resourceArns: resources,
    });
  }
}
