/** Shared by the integration tests: the running local system (started once by global-setup). */
import { createHash } from 'node:crypto';
import { LocalClient, readEndpoints } from '../../local/client';

export function localClient(): LocalClient {
  const file = process.env.NIANBAO_LOCAL_ENDPOINTS;
  if (!file) throw new Error('NIANBAO_LOCAL_ENDPOINTS is not set: run the integration tests through jest (global-setup starts the emulators)');
  return new LocalClient(readEndpoints(file));
}

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export interface OfficeSpec {
  id: string;
  name: string;
  email: string;
}

/** A cycle (deadline far ahead: no reminders fire by accident), its offices and one token per office. */
export async function setupCycle(c: LocalClient, year: number, offices: OfficeSpec[]): Promise<Record<string, string>> {
  await c.ok('POST', '/cycles', {
    token: c.coordinator,
    body: { year, groups: [{ id: 'all', name: '全部机构', deadline: `${year + 10}-01-31` }], coordinatorEmails: [`coordinator-${year}@example.gov.cn`] },
  });
  await c.ok('POST', `/cycles/${year}/offices`, {
    token: c.coordinator,
    body: { offices: offices.map((o) => ({ id: o.id, name: o.name, group: 'all', emails: [o.email] })) },
  });
  const tokens: Record<string, string> = {};
  for (const o of offices) tokens[o.id] = (await c.ok('POST', `/cycles/${year}/offices/${o.id}/token`, { token: c.coordinator })).token;
  return tokens;
}

/** Ticket from the API, then the browser's multipart POST to S3; returns the ticket and S3's answer. */
export async function upload(c: LocalClient, year: number, officeId: string, token: string, bytes: Uint8Array, fileName: string) {
  const ticket = await c.requestUpload(year, officeId, token, fileName);
  if (ticket.status !== 201) throw new Error(`ticket: HTTP ${ticket.status} ${JSON.stringify(ticket.body)}`);
  const posted = await c.postUpload(ticket.body, bytes, fileName);
  return { ticket: ticket.body, posted };
}

export async function officeView(c: LocalClient, year: number, officeId: string) {
  return c.ok('GET', `/cycles/${year}/offices/${officeId}`, { token: c.coordinator });
}

export async function mailsTo(c: LocalClient, address: string) {
  return (await c.mails()).filter((m) => m.destination.to.includes(address));
}
