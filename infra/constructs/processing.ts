/**
 * S3 ObjectCreated under the incoming prefix → process-submission (asynchronous invoke: retried, then
 * parked in the dead-letter queue). It parses and checks the report, moves the office's status, mails
 * the receipt and, for an accepted report, invokes the archive function asynchronously.
 */
import { Duration } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV, INCOMING_PREFIX, PARSED_PREFIX } from '../../shared/resources';
import { Handler } from './handler';
import type { Mail } from './mail';
import { grantTableReadWrite } from './table-access';

/** What a function that processes uploads needs: process-submission and the reconciliation sweep. */
export interface UploadProcessorResources {
  table: dynamodb.ITable;
  incoming: s3.IBucket;
  archive: s3.IBucket;
  archiveFunction: iam.IGrantable & { functionName: string; grantInvoke(g: iam.IGrantable): iam.Grant };
  mail: Mail;
  publicBaseUrl: string;
}

export function uploadProcessorEnvironment(r: UploadProcessorResources): Record<string, string> {
  return {
    [ENV.table]: r.table.tableName,
    [ENV.incomingBucket]: r.incoming.bucketName,
    [ENV.archiveBucket]: r.archive.bucketName,
    [ENV.archiveFunction]: r.archiveFunction.functionName,
    [ENV.publicBaseUrl]: r.publicBaseUrl,
    ...r.mail.senderEnvironment(),
  };
}

export function grantUploadProcessor(fn: iam.IGrantable, r: UploadProcessorResources): void {
  grantTableReadWrite(r.table, fn);
  r.incoming.grantRead(fn, `${INCOMING_PREFIX}*`);
  // The archive bucket: parsed/ only (the canonical JSON it writes and last year's it reads). public/ is the
  // archive function's alone.
  r.archive.grantRead(fn, `${PARSED_PREFIX}*`);
  r.archive.grantPut(fn, `${PARSED_PREFIX}*`);
  r.archiveFunction.grantInvoke(fn);
  r.mail.grantSend(fn);
}

export interface ProcessingProps {
  table: dynamodb.ITable;
  incoming: s3.Bucket;
  archive: s3.IBucket;
  archiveFunction: iam.IGrantable & { functionName: string; grantInvoke(g: iam.IGrantable): iam.Grant };
  mail: Mail;
  publicBaseUrl: string;
  deadLetterQueue: sqs.IQueue;
  logRetention: logs.RetentionDays;
}

/** Concurrent executions reserved for (and capping) process-submission. */
export const PROCESSING_CONCURRENCY = 20;

export class Processing extends Construct {
  readonly processor: Handler;

  constructor(scope: Construct, id: string, props: ProcessingProps) {
    super(scope, id);

    this.processor = new Handler(this, 'ProcessSubmission', {
      name: 'process-submission',
      description: 'Parses and checks an uploaded report, records the verdict, mails the receipt',
      environment: uploadProcessorEnvironment(props),
      logRetention: props.logRetention,
      asyncFailureQueue: props.deadLetterQueue,
      memorySize: 1536,
      timeout: Duration.minutes(2),
      // A burst of uploads at the deadline (thousands of offices) must not take every concurrent execution
      // of the account from the API and the pages: the rest waits in Lambda's async queue (up to 6 h).
      reservedConcurrentExecutions: PROCESSING_CONCURRENCY,
    });
    const fn = this.processor.fn;
    grantUploadProcessor(fn, props);

    props.incoming.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.LambdaDestination(fn), {
      prefix: INCOMING_PREFIX,
    });
  }
}
