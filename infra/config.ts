/**
 * Deployment settings, read from CDK context (`-c key=value` or cdk.json "context").
 * Nothing here looks anything up in an AWS account: synth stays offline.
 */
import type { Node } from 'constructs';
import { MAIL_RATE } from '../shared/resources';

export interface NianbaoConfig {
  /** Deployment stage ("dev" by default; "prod" keeps logs a year and protects the table). */
  stage: string;
  /** Sender address of every e-mail (receipts, reminders, digests). */
  mailFrom: string;
  /** Mail domain to verify in SES (DKIM); when absent the single address mailFrom is verified instead. */
  domain?: string;
  /**
   * While the SES account is in the sandbox, SES also authorises the recipient identities, so the
   * functions need ses:SendEmail on this account's identities (identity/*), not only on the sender.
   */
  sesSandbox: boolean;
  /** Extra browser origins allowed to call the API and POST uploads (the site's own origin is always allowed). */
  corsOrigins: string[];
  /** Days incoming uploads are kept before they expire (the archive keeps accepted reports forever). */
  incomingRetentionDays: number;
  /** Folder with the built static pages; deployed only when it exists. */
  webAssetsPath?: string;
  /** Hex SHA-256 of the coordinator's bearer token; the token itself never enters the template. */
  coordinatorTokenSha256?: string;
  /** E-mails per second the reminder senders may send (SES's maximum sending rate; default 14, SES's default). */
  mailRatePerSecond: number;
}

export const DEFAULT_MAIL_FROM = 'nianbao@example.com';

function str(node: Node, key: string): string | undefined {
  const v: unknown = node.tryGetContext(key);
  if (v === undefined || v === null || v === '') return undefined;
  return String(v).trim();
}

function bool(node: Node, key: string, fallback: boolean): boolean {
  const v = str(node, key);
  if (v === undefined) return fallback;
  return ['1', 'true', 'yes', 'on'].includes(v.toLowerCase());
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** Reads and validates the context; throws with a readable message on a bad value. */
export function configFromContext(node: Node, defaults: { webAssetsPath?: string } = {}): NianbaoConfig {
  const stage = str(node, 'stage') ?? 'dev';
  if (!/^[a-z][a-z0-9-]{0,19}$/.test(stage)) {
    throw new Error(`context "stage" must be lower-case letters, digits and dashes (got "${stage}")`);
  }
  const mailFrom = str(node, 'mailFrom') ?? DEFAULT_MAIL_FROM;
  if (!EMAIL.test(mailFrom)) throw new Error(`context "mailFrom" is not an e-mail address: "${mailFrom}"`);
  const domain = str(node, 'domain');
  if (domain !== undefined) {
    if (!DOMAIN.test(domain)) throw new Error(`context "domain" is not a domain name: "${domain}"`);
    const senderDomain = mailFrom.split('@')[1].toLowerCase();
    if (senderDomain !== domain.toLowerCase() && !senderDomain.endsWith(`.${domain.toLowerCase()}`)) {
      throw new Error(`mailFrom "${mailFrom}" is not in the verified domain "${domain}"`);
    }
  }
  const corsOrigins = (str(node, 'corsOrigins') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const o of corsOrigins) {
    if (!/^https?:\/\/[^/\s]+$/.test(o)) throw new Error(`context "corsOrigins": "${o}" is not an origin like https://host`);
  }
  const days = Number(str(node, 'incomingRetentionDays') ?? '400');
  if (!Number.isInteger(days) || days < 1) throw new Error('context "incomingRetentionDays" must be a positive integer');
  const coordinatorTokenSha256 = str(node, 'coordinatorTokenSha256')?.toLowerCase();
  if (coordinatorTokenSha256 !== undefined && !/^[0-9a-f]{64}$/.test(coordinatorTokenSha256)) {
    throw new Error('context "coordinatorTokenSha256" must be 64 hex digits (the SHA-256 of the token, not the token)');
  }
  const mailRatePerSecond = Number(str(node, 'mailRatePerSecond') ?? String(MAIL_RATE.perSecond));
  if (!(mailRatePerSecond > 0 && mailRatePerSecond <= 1000)) throw new Error('context "mailRatePerSecond" must be a number of e-mails per second, above 0 and at most 1000');
  return {
    stage,
    mailFrom,
    domain,
    sesSandbox: bool(node, 'sesSandbox', false),
    corsOrigins,
    incomingRetentionDays: days,
    webAssetsPath: str(node, 'webAssetsPath') ?? defaults.webAssetsPath,
    coordinatorTokenSha256,
    mailRatePerSecond,
  };
}
