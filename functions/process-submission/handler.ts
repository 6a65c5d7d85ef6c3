/**
 * S3 ObjectCreated (incoming/…) → processSubmission per record. Records are processed one by one; a
 * failure is thrown after the others ran, so Lambda retries the event (processing is idempotent).
 */
import type { S3Event } from 'aws-lambda';
import { depsFromEnv, logger } from '../../shared/aws/deps';
import { observed } from '../../shared/aws/observe';
import { defaultChecker } from '../../shared/cycle/checker';
import type { CycleDeps } from '../../shared/cycle/deps';
import { processSubmission, type ProcessOutcome } from '../../shared/cycle/processing';

/** S3 event keys are URL-encoded with '+' for spaces. */
export const decodeS3Key = (key: string) => decodeURIComponent(key.replace(/\+/g, ' '));

export async function processEvent(deps: CycleDeps, event: S3Event): Promise<{ processed: ProcessOutcome[] }> {
  const processed: ProcessOutcome[] = [];
  const failures: unknown[] = [];
  for (const record of event.Records ?? []) {
    try {
      const outcome = await processSubmission(deps, {
        bucket: record.s3.bucket.name,
        key: decodeS3Key(record.s3.object.key),
        versionId: record.s3.object.versionId ?? null,
        sequencer: record.s3.object.sequencer ?? null,
        eTag: record.s3.object.eTag ?? null,
      });
      deps.log?.('info', 'submission processed', { ...outcome });
      if (outcome.outcome === 'processed') deps.count?.(outcome.verdict === 'accepted' ? 'SubmissionAccepted' : 'SubmissionRejected');
      if (outcome.outcome === 'duplicate') deps.count?.('DuplicateDelivery');
      processed.push(outcome);
    } catch (e) {
      deps.log?.('error', 'submission failed', { key: record.s3?.object?.key, error: e instanceof Error ? e.message : String(e) });
      failures.push(e);
    }
  }
  if (failures.length) throw failures[0];
  return { processed };
}

export const handler = observed(
  async (event: S3Event): Promise<{ processed: ProcessOutcome[] }> => {
    logger.info('s3 event', { records: event.Records?.length ?? 0, keys: (event.Records ?? []).map((r) => r.s3?.object?.key) });
    return processEvent(depsFromEnv(defaultChecker), event);
  },
  // S3's id of the request that stored the object: the same id is in the bucket's server access log.
  (event) => event.Records?.[0]?.responseElements?.['x-amz-request-id'],
);
