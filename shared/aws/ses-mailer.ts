/** Mailer on SES v2, with the configuration set so bounces and complaints come back as events. */
import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import { MailThrottled, type MailMessage, type Mailer } from '../cycle/ports';
import { oneLine } from '../common/text';

/** SES tag values: letters, digits, _ - . @ only. */
const tagValue = (v: string) => v.replace(/[^A-Za-z0-9_.@-]/g, '_').slice(0, 256) || '_';

export class SesMailer implements Mailer {
  constructor(
    private readonly client: SESv2Client,
    private readonly from: string,
    private readonly configurationSet?: string | null,
  ) {}

  async send(m: MailMessage) {
    const r = await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: this.from,
        Destination: { ToAddresses: m.to, CcAddresses: m.cc?.length ? m.cc : undefined },
        Content: {
          Simple: {
            // A header: never a line break in it, whatever the caller built (issue 13.3).
            Subject: { Data: oneLine(m.subject), Charset: 'UTF-8' },
            Body: { Text: { Data: m.text, Charset: 'UTF-8' }, Html: { Data: m.html, Charset: 'UTF-8' } },
          },
        },
        ConfigurationSetName: this.configurationSet || undefined,
        EmailTags: Object.entries(m.tags ?? {}).map(([Name, Value]) => ({ Name, Value: tagValue(Value) })),
      }),
    ).catch((e: unknown) => {
      throw isThrottling(e) ? new MailThrottled(`SES: ${(e as Error).message}`) : e;
    });
    return { messageId: r.MessageId ?? '' };
  }
}

/**
 * SES refusing for its sending rate or daily quota ("Maximum sending rate exceeded", "Daily message quota
 * exceeded"): TooManyRequestsException / LimitExceededException in SES v2, Throttling in v1, after the SDK's
 * retries (none in mail-sender): what still fails is sent later, not dropped.
 */
function isThrottling(e: unknown): boolean {
  const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  return (
    ['TooManyRequestsException', 'LimitExceededException', 'Throttling', 'ThrottlingException'].includes(err?.name ?? '') ||
    err?.$metadata?.httpStatusCode === 429 ||
    /sending rate exceeded|quota exceeded/i.test(err?.message ?? '')
  );
}
