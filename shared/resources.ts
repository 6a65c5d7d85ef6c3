/**
 * The resources both the CDK stack and the local runtime create, defined once so they cannot drift.
 * Pure data: no AWS imports.
 */

/** Single-table design. Keys are strings; entity layouts live in shared/cycle and shared/aws. */
export const TABLE_DEFINITION = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** "offices of cycle Y by status": gsi1pk = CYCLE#{year}#STATUS#{status}, gsi1sk = office id. */
  indexes: [{ name: 'byStatus', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' }],
  /** DynamoDB TTL: items with this attribute (epoch seconds) are deleted after that time (claims). */
  timeToLive: 'expiresAt',
} as const;

/**
 * How long a once-only claim is kept: its key (a receipt, a reminder slot of a cycle, a day's digest) is
 * never asked for again after the cycle it belongs to, which ends within a year.
 */
export const CLAIM_RETENTION_DAYS = 400;

/** Environment variables through which resource names reach the functions. */
export const ENV = {
  table: 'TABLE_NAME',
  incomingBucket: 'INCOMING_BUCKET',
  archiveBucket: 'ARCHIVE_BUCKET',
  mailFrom: 'MAIL_FROM',
  configurationSet: 'SES_CONFIGURATION_SET',
  /** Public base URL of the archive (CloudFront), used in e-mails and pages. */
  publicBaseUrl: 'PUBLIC_BASE_URL',
  /** 'true' for path-style S3 addressing (s3rver locally). Endpoints come from AWS_ENDPOINT_URL_*. */
  forcePathStyle: 'S3_FORCE_PATH_STYLE',
  /** Hex SHA-256 of the coordinator's bearer token (the token itself is never configured). */
  coordinatorTokenSha256: 'COORDINATOR_TOKEN_SHA256',
  /** The archive Lambda, invoked asynchronously by process-submission when a report is accepted. */
  archiveFunction: 'ARCHIVE_FUNCTION_NAME',
  /**
   * The value CloudFront sends in ORIGIN_VERIFY_HEADER to the API; when set, the API functions refuse
   * requests without it (the API is reached only through CloudFront). Unset locally and in tests.
   */
  originVerify: 'ORIGIN_VERIFY',
  /** The SQS queue of reminder e-mails: the daily run enqueues, functions/mail-sender sends. */
  reminderQueueUrl: 'REMINDER_QUEUE_URL',
  /** E-mails per second all mail senders together may send (SES's sending rate; default 14). */
  mailRate: 'MAIL_RATE_PER_SECOND',
  /** How many mail-sender invocations may run at once (the event source's maximum concurrency). */
  mailSenders: 'MAIL_SENDERS',
} as const;

/**
 * Sending e-mail at the rate SES allows (functions/mail-sender): the default rate is SES's default sending
 * quota; 2 senders is the smallest maximum concurrency an SQS event source accepts.
 */
export const MAIL_RATE = { perSecond: 14, senders: 2, batchSize: 10, maxReceiveCount: 50 } as const;

/** Header CloudFront adds to every request it forwards to the HTTP API. */
export const ORIGIN_VERIFY_HEADER = 'x-nianbao-origin-verify';

/** Where uploads land; the S3 notification and the presigned POST both use it. */
export const INCOMING_PREFIX = 'incoming/';

/** Upload limits enforced by the presigned POST policy and again by the processor. */
export const UPLOAD_LIMITS = {
  maxBytes: 20 * 1024 * 1024,
  expirySeconds: 15 * 60,
} as const;

/**
 * Archive-bucket keys under this prefix are the public record; nothing else in the archive bucket
 * (canonical JSON of unpublished reports, originals) is reachable from outside. PUBLIC_BASE_URL is the
 * URL of this prefix: key `public/2020/index.html` is served at `${PUBLIC_BASE_URL}/2020/index.html`
 * Both on AWS and locally that URL is <site>/archive: CloudFront maps /archive/* to public/* only.
 */
export const PUBLIC_PREFIX = 'public/';
/** Canonical JSON of every checked submission in the archive bucket (private). */
export const PARSED_PREFIX = 'parsed/';
