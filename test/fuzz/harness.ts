/**
 * One fuzz case through what processes an upload for real: the object lands in the incoming store,
 * processSubmission runs with the real checker (readReport → validateParsed, `defaultChecker`) over the
 * in-memory ports, and the case must end in a recorded status (ACCEPTED/REJECTED) with a Chinese message
 * and a receipt. Everything that is not so is returned as a problem; nothing here throws.
 */
import { emailWriter } from '../../shared/render/email';
import { defaultChecker, type CheckResult, type ReportChecker } from '../../shared/cycle/checker';
import type { CycleDeps } from '../../shared/cycle/deps';
import { MemoryFileStore, MemoryMailer, MemoryRepository } from '../../shared/cycle/memory';
import { processSubmission } from '../../shared/cycle/processing';
import { createCycle, importOffices } from '../../shared/cycle/service';
import { UPLOAD_LIMITS } from '../../shared/resources';
// The marshaller of the DynamoDB document client (a dependency of @aws-sdk/lib-dynamodb): the in-memory
// repository stores anything, DynamoDB refuses NaN/Infinity and items over 400 KB.
import { marshall } from '@aws-sdk/util-dynamodb';
import type { FuzzCase } from './generate';

export const YEAR = 2021;
export const OFFICE_ID = 'qinghe';
export const OFFICE_NAME = '青禾区人民政府办公室';
const NOW = Date.parse('2022-01-20T02:00:00Z');
/** DynamoDB's item limit is 400 KB including attribute names; leave room for them. */
const DYNAMO_ITEM_BUDGET = 350 * 1024;

const CHINESE = /[\u4e00-\u9fff]/;
/** Signs that a message carries an exception or a broken value instead of words for the office. */
const LEAK = /Error\b|\bat [\w.]+ \(|undefined|\bNaN\b|Infinity|\[object |Maximum call stack/;
/** Quoted text of the file itself may say anything ("「NaN」不是数字"). */
const withoutQuotes = (m: string) => m.replace(/「[^」]*」|“[^”]*”|"[^"]*"/g, '');
/** readReport's last guard: an extractor threw, which the extractors are written never to do. */
const LAST_GUARD = '文件读取失败';

export type CaseClass = 'unreadable' | 'findings' | 'accepted';

export interface CaseOutcome {
  index: number;
  family: string;
  group: string;
  detail: string;
  size: number;
  ms: number;
  /** How the checker saw the file; null when it threw. */
  cls: CaseClass | null;
  /** Office status after processing; null when none was recorded. */
  status: string | null;
  /** First error message (what the office reads first). */
  message: string | null;
  /** The checker or processSubmission threw (stack). */
  threw: string | null;
  /** readReport caught an exception from an extractor (message). */
  lastGuard: string | null;
  /** Broken expectations other than a throw. */
  problems: string[];
}

const protoSnapshot = () =>
  [Object.prototype, Array.prototype, Function.prototype, String.prototype].map((p) => Object.getOwnPropertyNames(p).sort().join(',')).join('|');
const PROTO_BEFORE = protoSnapshot();

async function newWorld(checker: ReportChecker) {
  const clock = { now: () => new Date(NOW) };
  const repo = new MemoryRepository();
  const incoming = new MemoryFileStore(clock, 'incoming');
  const archive = new MemoryFileStore(clock, 'archive');
  const mailer = new MemoryMailer();
  const deps: CycleDeps = { repo, incoming, archive, mailer, emails: emailWriter, clock, checker, publicBaseUrl: 'https://nianbao.example' };
  await createCycle(deps, {
    year: YEAR,
    coordinatorEmails: ['coord@example.cn'],
    groups: [{ id: 'departments', name: '区直部门', deadline: '2022-01-31T23:59:59+08:00' }],
  });
  await importOffices(deps, YEAR, { csv: `id,name,group,emails\n${OFFICE_ID},${OFFICE_NAME},departments,office@example.cn` });
  return { deps, repo, incoming, mailer };
}

export async function runCase(c: FuzzCase): Promise<CaseOutcome> {
  const out: CaseOutcome = {
    index: c.index,
    family: c.family,
    group: c.group,
    detail: c.detail,
    size: c.bytes.length,
    ms: 0,
    cls: null,
    status: null,
    message: null,
    threw: null,
    lastGuard: null,
    problems: [],
  };
  let checked: CheckResult | null = null;
  // The real checker, observed: what it returned is compared with what was recorded.
  const checker: ReportChecker = async (input) => (checked = await defaultChecker(input));
  const t0 = performance.now();
  try {
    const w = await newWorld(checker);
    const key = `incoming/${YEAR}/${OFFICE_ID}/00000000-0000-4000-8000-${String(c.index % 1e12).padStart(12, '0')}${c.ext}`;
    const info = w.incoming.putObject(key, c.bytes, { fileName: c.fileName, versionId: `v${c.index}` });
    const result = await processSubmission(w.deps, { bucket: 'incoming', key, versionId: info.versionId, eTag: info.etag });
    out.ms = performance.now() - t0;

    const r = checked as CheckResult | null;
    if (r) {
      if ('unreadable' in r) {
        out.cls = 'unreadable';
        if (r.unreadable.startsWith(LAST_GUARD)) out.lastGuard = r.unreadable;
      } else out.cls = r.verdict === 'accepted' ? 'accepted' : 'findings';
    } else if (c.bytes.length > UPLOAD_LIMITS.maxBytes) out.cls = 'unreadable'; // refused by size before reading
    else out.problems.push('the checker was never called');

    if (result.outcome !== 'processed') out.problems.push(`outcome ${result.outcome}`);
    const office = await w.repo.getOffice(YEAR, OFFICE_ID);
    out.status = office?.status ?? null;
    const subs = await w.repo.listSubmissions(YEAR, OFFICE_ID);
    const sub = subs[0];
    if (!office || (office.status !== 'ACCEPTED' && office.status !== 'REJECTED')) out.problems.push(`office status ${office?.status ?? 'missing'}`);
    if (!sub || sub.state !== 'done' || !sub.verdict) out.problems.push(`submission ${sub ? `${sub.state}/${sub.verdict}` : 'missing'}`);
    else {
      if (office && (sub.verdict === 'accepted') !== (office.status === 'ACCEPTED')) out.problems.push(`verdict ${sub.verdict} but status ${office.status}`);
      // The submission is one DynamoDB item (findings inline): it must fit the 400 KB item limit.
      try {
        marshall(sub, { removeUndefinedValues: true });
      } catch (e) {
        out.problems.push(`submission record not storable in DynamoDB: ${(e as Error).message}`);
      }
      const itemBytes = Buffer.byteLength(JSON.stringify(sub));
      if (itemBytes > DYNAMO_ITEM_BUDGET) out.problems.push(`submission record of ${itemBytes} bytes (${sub.findings.length} findings) exceeds a DynamoDB item`);
      const errors = sub.findings.filter((f) => f.severity === 'error');
      if (sub.verdict === 'rejected' && errors.length === 0) out.problems.push('rejected without an error finding');
      out.message = errors[0]?.message ?? null;
      for (const f of sub.findings) {
        if (!CHINESE.test(f.message)) out.problems.push(`message without Chinese: ${f.rule} ${f.message.slice(0, 120)}`);
        else if (LEAK.test(withoutQuotes(f.message))) out.problems.push(`message leaks internals: ${f.rule} ${f.message.slice(0, 160)}`);
      }
    }
    const audit = await w.repo.listAudit(YEAR, OFFICE_ID);
    if (office && !audit.some((a) => a.to === office.status)) out.problems.push('no audit event for the final status');
    if (w.mailer.sent.length !== 1) out.problems.push(`${w.mailer.sent.length} receipts sent`);
    else if (!CHINESE.test(w.mailer.sent[0].subject)) out.problems.push('receipt subject without Chinese');
  } catch (e) {
    out.ms = performance.now() - t0;
    out.threw = e instanceof Error ? (e.stack ?? e.message) : String(e);
  }
  if (protoSnapshot() !== PROTO_BEFORE) out.problems.push('a built-in prototype was modified');
  return out;
}
