/** SES v2 on 127.0.0.1: aws-ses-v2-local in-process. Its web UI is the mailbox; GET /store lists sent mails. */
import type { Server } from 'node:http';
import sesServer from 'aws-ses-v2-local';

export interface SesLocal {
  endpoint: string;
  stop(): Promise<void>;
}

export interface SentMail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string; text?: string };
  attachments: Array<{ filename?: string; contentType: string; size: number }>;
  /** Epoch seconds. */
  at: number;
}

export async function startSes(port: number): Promise<SesLocal> {
  const server: Server = await sesServer({ host: '127.0.0.1', port });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async stop() {
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      await closed;
    },
  };
}

/** Every mail the emulator has accepted, read over its HTTP API (works from any process). */
export async function sentMails(sesEndpoint: string): Promise<SentMail[]> {
  const res = await fetch(`${sesEndpoint}/store`);
  if (!res.ok) throw new Error(`SES store: HTTP ${res.status}`);
  const { emails } = (await res.json()) as { emails: SentMail[] };
  return emails;
}
