/**
 * SES v2 on 127.0.0.1: aws-ses-v2-local in-process. Its web UI is the mailbox; GET /store lists sent mails.
 * A proxy in front of it plays SES's maximum sending rate: with `maxPerSecond`, a SendEmail beyond that many
 * in the last second is refused as SES refuses it (HTTP 429 TooManyRequestsException, "Maximum sending
 * rate exceeded."), and so is every SendEmail while `throttleFor(ms)` lasts (a fault: SES refusing for a
 * while, as when other senders use up the account's rate). Both are counted.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sesServer from 'aws-ses-v2-local';

export interface SesLocal {
  endpoint: string;
  /** SendEmail requests accepted and refused for the rate; the most accepted within any 1 s. */
  readonly stats: { accepted: number; throttled: number; peakPerSecond: number };
  /** Refuse every SendEmail for `ms` milliseconds. */
  throttleFor(ms: number): void;
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

const closeServer = (server: Server) => {
  const closed = new Promise<void>((r) => server.close(() => r()));
  server.closeAllConnections();
  return closed;
};

export async function startSes(port: number, options: { maxPerSecond?: number } = {}): Promise<SesLocal> {
  const stats = { accepted: 0, throttled: 0, peakPerSecond: 0 };
  const limit = options.maxPerSecond ?? Infinity;
  let refuseUntil = 0;
  // Port 0: the kernel binds it at once (the library has no handler for a failed listen).
  const inner: Server = await sesServer({ host: '127.0.0.1', port: 0 });
  const innerPort = (inner.address() as AddressInfo).port;
  const recent: number[] = [];
  const proxy = createServer((req, res) => {
    if (req.method === 'POST' && req.url?.startsWith('/v2/email/outbound-emails')) {
      const now = Date.now();
      while (recent.length && recent[0] <= now - 1000) recent.shift();
      if (recent.length >= limit || now < refuseUntil) {
        stats.throttled++;
        req.resume();
        res.writeHead(429, { 'content-type': 'application/json', 'x-amzn-errortype': 'TooManyRequestsException' });
        return res.end(JSON.stringify({ message: 'Maximum sending rate exceeded.' }));
      }
      recent.push(now);
      stats.accepted++;
      stats.peakPerSecond = Math.max(stats.peakPerSecond, recent.length);
    }
    const up = request({ host: '127.0.0.1', port: innerPort, method: req.method, path: req.url, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(up);
  });
  await new Promise<void>((resolve, reject) => {
    proxy.once('error', reject);
    proxy.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stats,
    throttleFor: (ms) => (refuseUntil = Date.now() + ms),
    async stop() {
      await closeServer(proxy);
      await closeServer(inner);
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
