/**
 * Where state lives: the incoming bucket (uploads), the archive bucket (the public record and the
 * canonical JSON), the access-log bucket, and the single DynamoDB table of shared/resources.ts.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { INCOMING_PREFIX, TABLE_DEFINITION } from '../../shared/resources';

export interface StorageProps {
  /** Days after which objects under the incoming prefix expire. */
  incomingRetentionDays: number;
  /** DynamoDB deletion protection (on for prod). Buckets and the table are retained either way. */
  protectTable: boolean;
}

/** Defaults every bucket gets: private, encrypted, TLS-only, versioned, never deleted with the stack. */
function secureBucketProps(): Pick<
  s3.BucketProps,
  'blockPublicAccess' | 'encryption' | 'enforceSSL' | 'versioned' | 'removalPolicy' | 'objectOwnership' | 'minimumTLSVersion'
> {
  return {
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    versioned: true,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    removalPolicy: RemovalPolicy.RETAIN,
  };
}

/** Object Lock retention of the archive bucket (governance mode): ten years. */
export const ARCHIVE_RETENTION_DAYS = 3650;

export class Storage extends Construct {
  readonly accessLogs: s3.Bucket;
  readonly incoming: s3.Bucket;
  readonly archive: s3.Bucket;
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: StorageProps) {
    super(scope, id);

    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      ...secureBucketProps(),
      // CloudFront standard logging writes with ACLs; S3 server access logging works with either.
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      // Versioned: a log overwritten or deleted (by mistake or to hide something) keeps its old version.
      versioned: true,
      lifecycleRules: [{ id: 'expire-logs', expiration: Duration.days(365), noncurrentVersionExpiration: Duration.days(90) }],
    });
    NagSuppressions.addResourceSuppressions(this.accessLogs, [
      { id: 'AwsSolutions-S1', reason: 'This is the access-log bucket itself; logging it into itself would loop.' },
    ]);

    this.incoming = new s3.Bucket(this, 'Incoming', {
      ...secureBucketProps(),
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'incoming/',
      lifecycleRules: [
        {
          id: 'expire-incoming',
          prefix: INCOMING_PREFIX,
          expiration: Duration.days(props.incomingRetentionDays),
          noncurrentVersionExpiration: Duration.days(30),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      // CORS rules are added by the intake once the site origin is known.
    });

    this.archive = new s3.Bucket(this, 'Archive', {
      ...secureBucketProps(),
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'archive/',
      // The public record is permanent: S3 Object Lock in governance mode keeps every version of every object
      // (published files, parsed JSON, each generation of the indexes) for ARCHIVE_RETENTION_DAYS; only a
      // principal explicitly granted s3:BypassGovernanceRetention can remove one earlier (issue 13.6).
      objectLockEnabled: true,
      objectLockDefaultRetention: s3.ObjectLockRetention.governance(Duration.days(ARCHIVE_RETENTION_DAYS)),
      // Old versions of regenerated indexes go once their retention has ended.
      lifecycleRules: [{ id: 'old-versions', noncurrentVersionExpiration: Duration.days(ARCHIVE_RETENTION_DAYS + 1) }],
    });

    const attr = (name: string) => ({ name, type: dynamodb.AttributeType.STRING });
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: attr(TABLE_DEFINITION.partitionKey),
      sortKey: attr(TABLE_DEFINITION.sortKey),
      timeToLiveAttribute: TABLE_DEFINITION.timeToLive,
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      deletionProtection: props.protectTable,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of TABLE_DEFINITION.indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: attr(index.partitionKey),
        sortKey: attr(index.sortKey),
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
  }
}
