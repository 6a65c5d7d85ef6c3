/**
 * SDK clients built once per container from the environment. Endpoints follow the standard
 * AWS_ENDPOINT_URL_S3 / _DYNAMODB / _SESV2 / _LAMBDA / _SQS variables (read by the SDK itself), so the same code
 * talks to AWS or to the local emulators; S3_FORCE_PATH_STYLE=true selects path-style URLs for s3rver.
 * Each SDK package is loaded on the first call of its getter, not at import: loading the SDK is most of a
 * cold start, and most functions use two of the five clients (bench/README.md, cold start).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { ENV } from '../resources';

let dynamo: DynamoDBClient | undefined;
let s3: S3Client | undefined;
let ses: SESv2Client | undefined;
let lambda: LambdaClient | undefined;
let sqs: SQSClient | undefined;

export const dynamoClient = () => (dynamo ??= new (require('@aws-sdk/client-dynamodb') as typeof import('@aws-sdk/client-dynamodb')).DynamoDBClient({}));
export const s3Client = () =>
  (s3 ??= new (require('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3')).S3Client({
    forcePathStyle: process.env[ENV.forcePathStyle] === 'true',
    // Presigned POSTs and plain PutObject only: no flexible-checksum trailers (s3rver cannot read them).
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  }));
export const sesClient = () => (ses ??= new (require('@aws-sdk/client-sesv2') as typeof import('@aws-sdk/client-sesv2')).SESv2Client({}));
export const sqsClient = () => (sqs ??= new (require('@aws-sdk/client-sqs') as typeof import('@aws-sdk/client-sqs')).SQSClient({}));
export const lambdaClient = () => (lambda ??= new (require('@aws-sdk/client-lambda') as typeof import('@aws-sdk/client-lambda')).LambdaClient({}));

/** A required variable; the message names it so a misconfigured function says what is missing. */
export function requireEnv(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`environment variable ${name} is not set`);
  return v;
}
