/** SES configuration-set events via SNS → the office's audit trail (bounces, complaints, delays). */
import type { SNSEvent } from 'aws-lambda';
import { depsFromEnv, logger } from '../../shared/aws/deps';
import { recordMailEvent, type MailEventOutcome, type SesEventMessage } from '../../shared/cycle/mail-events';

export async function handler(event: SNSEvent): Promise<{ results: MailEventOutcome[] }> {
  const deps = depsFromEnv();
  const results: MailEventOutcome[] = [];
  for (const record of event.Records ?? []) {
    let message: SesEventMessage;
    try {
      message = JSON.parse(record.Sns.Message) as SesEventMessage;
    } catch {
      logger.warn('SNS message is not JSON', { messageId: record.Sns.MessageId });
      results.push({ outcome: 'ignored', reason: 'not JSON' });
      continue;
    }
    results.push(await recordMailEvent(deps, message));
  }
  return { results };
}
