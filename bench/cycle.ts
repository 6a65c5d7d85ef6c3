/**
 * The cycle on the local emulators (local/runtime.ts, started in this process): a generated cycle of N
 * offices, every office's upload through the real path — upload ticket from the API (issue-upload),
 * presigned POST over HTTP to S3 (policy verifier + s3rver), S3 event → process-submission (read, check,
 * DynamoDB, receipt e-mail to SES) — with 10 uploads in flight at any time; then the daily reminder run.
 *
 * Measured per cycle size:
 * - time from the first upload to the last verdict (every office processed, the runtime idle),
 * - upload → receipt e-mail latency (POST answered by S3 → SES accepted the receipt) p50/p95,
 * - the reminder run (send-reminders, invoked as the scheduler does): time, DynamoDB requests by
 *   operation, items read and read capacity consumed (ReturnConsumedCapacity=TOTAL added to every request
 *   of the functions' DynamoDB client by an SDK middleware), and the same for an immediate second run
 *   (everything already sent: the cost of a run that finds nothing new).
 * Writes bench/results/cycle.md. Run: npx tsx bench/cycle.ts [--quick] [--sizes 100,1000,3000]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import os from 'node:os';
import { LocalClient } from '../local/client';
import { cleanReportFor, defectiveReportFor } from '../local/fixtures';
import { startLocal, type LocalRuntime } from '../local/runtime';
import { QUICK, ROOT, header, isMain, loadSampler, ms, runMain, summarize, writeResult } from './lib';

const YEAR = 2020; // the fixtures' clean report is a 2020 report (2019 format)
const CONCURRENCY = 10;

interface DynamoCounters {
  requests: Record<string, number>;
  readUnits: number;
  writeUnits: number;
  itemsRead: number;
  capacityReported: number;
}

const newCounters = (): DynamoCounters => ({ requests: {}, readUnits: 0, writeUnits: 0, itemsRead: 0, capacityReported: 0 });
const READ_OPS = new Set(['QueryCommand', 'GetItemCommand', 'GetCommand', 'ScanCommand', 'BatchGetItemCommand', 'BatchGetCommand']);

/** Counts every request of the functions' DynamoDB client and asks DynamoDB for the capacity it consumed. */
function instrumentDynamo(counters: { current: DynamoCounters }): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { dynamoClient } = require('../shared/aws/clients') as typeof import('../shared/aws/clients');
  dynamoClient().middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      input.ReturnConsumedCapacity ??= 'TOTAL';
      const result = await next(args);
      const c = counters.current;
      const op = context.commandName ?? 'unknown';
      c.requests[op] = (c.requests[op] ?? 0) + 1;
      const out = result.output as { ConsumedCapacity?: unknown; Count?: number; Item?: unknown; Items?: unknown[] };
      const caps = ([] as Array<{ CapacityUnits?: number; ReadCapacityUnits?: number; WriteCapacityUnits?: number }>).concat((out.ConsumedCapacity as never) ?? []);
      for (const cap of caps) {
        c.capacityReported++;
        if (READ_OPS.has(op)) c.readUnits += cap.ReadCapacityUnits ?? cap.CapacityUnits ?? 0;
        else c.writeUnits += cap.WriteCapacityUnits ?? cap.CapacityUnits ?? 0;
      }
      if (READ_OPS.has(op)) c.itemsRead += out.Items ? out.Items.length : out.Item ? 1 : 0;
      return result;
    },
    { step: 'initialize', name: 'benchConsumedCapacity', override: true },
  );
}

/** Times when SES accepted each receipt, by office (the functions' mailer, wrapped in this process). */
function instrumentMail(receipts: Map<string, number>): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { SesMailer } = require('../shared/aws/ses-mailer') as typeof import('../shared/aws/ses-mailer');
  const send = SesMailer.prototype.send;
  SesMailer.prototype.send = async function (this: InstanceType<typeof SesMailer>, m) {
    const r = await send.call(this, m);
    if (m.tags?.kind === 'receipt' && m.tags.officeId && !receipts.has(m.tags.officeId)) receipts.set(m.tags.officeId, performance.now());
    return r;
  };
}

/** Runs `task` for every item with at most `n` in flight. */
async function pool<T>(items: T[], n: number, task: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await task(items[i], i);
      }
    }),
  );
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); null elsewhere. */
function jvmCpuSeconds(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return null;
  }
}

const shanghaiDatePlus = (days: number) => new Date(Date.now() + 8 * 3600_000 + days * 86400_000).toISOString().slice(0, 10);

interface CycleResult {
  offices: number;
  uploads: number;
  pending: number;
  setupS: number;
  /** From the first ticket request to the last verdict (receipt e-mail accepted by SES): the target figure. */
  uploadsToVerdictsS: number;
  /** From the first ticket request to the runtime idle: also the archive steps and the last year pages. */
  uploadsToIdleS: number;
  /** DynamoDB requests of the functions during the uploads, and the DynamoDB JVM's CPU seconds then. */
  uploadCounters: DynamoCounters;
  jvmCpuS: number | null;
  receipt: { p50: number; p95: number; max: number; n: number };
  statuses: Record<string, number>;
  reminder: { ms: number; sentMs: number; sent: number; counters: DynamoCounters };
  rerun: { ms: number; sentMs: number; sent: number; counters: DynamoCounters };
  deadLetters: number;
  load: string;
  cpuS: number;
}

async function runCycle(n: number, runtime: LocalRuntime, counters: { current: DynamoCounters }, receipts: Map<string, number>): Promise<CycleResult> {
  const c = new LocalClient(runtime.endpoints);
  const coordinator = c.coordinator;
  const deadline = shanghaiDatePlus(3); // the T−3 reminder is due today
  const t0 = performance.now();
  await c.ok('POST', '/cycles', {
    token: coordinator,
    body: { year: YEAR, groups: [{ id: 'all', name: '全部单位', deadline }], coordinatorEmails: ['coordinator@example.gov.cn'], autoPublish: false },
  });
  const offices = Array.from({ length: n }, (_, i) => ({ id: `o${String(i).padStart(5, '0')}`, name: `青峰区第${i + 1}单位`, group: 'all', emails: [`o${i}@example.gov.cn`] }));
  for (let i = 0; i < offices.length; i += 500) await c.ok('POST', `/cycles/${YEAR}/offices`, { token: coordinator, body: { offices: offices.slice(i, i + 500) } });
  const tokens = new Map<string, string>();
  await pool(offices, CONCURRENCY, async (o) => {
    tokens.set(o.id, (await c.ok<{ token: string }>('POST', `/cycles/${YEAR}/offices/${o.id}/token`, { token: coordinator })).token);
  });
  const setupS = (performance.now() - t0) / 1000;

  // 60 % send a correct report, 25 % one with an arithmetic error, 15 % nothing (yet).
  const uploading = offices.filter((_, i) => i % 20 < 17);
  const posted = new Map<string, number>();
  const sampler = loadSampler();
  const cpu0 = process.cpuUsage();
  const jvm0 = jvmCpuSeconds(runtime.endpoints.pids.dynamodb);
  counters.current = newCounters();
  const tUp = performance.now();
  await pool(uploading, CONCURRENCY, async (o, i) => {
    const bytes = i % 17 < 12 ? cleanReportFor(o.name) : defectiveReportFor(o.name);
    const ticket = await c.requestUpload(YEAR, o.id, tokens.get(o.id)!, `${o.name}2020年报.txt`);
    if (ticket.status !== 201) throw new Error(`ticket ${o.id}: HTTP ${ticket.status} ${JSON.stringify(ticket.body)}`);
    const r = await c.postUpload(ticket.body, bytes, `${o.name}2020年报.txt`);
    if (r.status !== 204) throw new Error(`upload ${o.id}: HTTP ${r.status} ${r.text}`);
    posted.set(o.id, performance.now());
  });
  let state = await c.idle();
  while (state.lambda.inflight > 0) state = await c.idle();
  const uploadsToIdleS = (performance.now() - tUp) / 1000;
  const uploadsToVerdictsS = (Math.max(...uploading.map((o) => receipts.get(o.id) ?? Infinity)) - tUp) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const jvm1 = jvmCpuSeconds(runtime.endpoints.pids.dynamodb);
  const uploadCounters = counters.current;
  const load = sampler.done();
  const statuses = await c.statusCounts(YEAR);
  const latencies = [...posted.entries()].filter(([id]) => receipts.has(id)).map(([id, t]) => receipts.get(id)! - t);
  const rs = summarize(latencies);

  // The daily run, as the scheduler invokes it (RequestResponse here, to time it), then until mail-sender has
  // sent what it queued (at the default 14/s; the DynamoDB counters include the sending).
  const tick = async () => {
    counters.current = newCounters();
    const t = performance.now();
    const run = (await runtime.lambda.invoke('send-reminders', { time: new Date().toISOString() })) as { sent: unknown[] };
    const ms = performance.now() - t;
    await runtime.mail.idle();
    return { ms, sentMs: performance.now() - t, sent: run.sent.length, counters: counters.current };
  };
  const reminder = await tick();
  const rerun = await tick();
  counters.current = newCounters();
  c.destroy();
  return {
    offices: n,
    uploads: uploading.length,
    pending: (statuses.NOT_SUBMITTED ?? 0) + (statuses.REJECTED ?? 0) + (statuses.RETURNED ?? 0),
    setupS,
    uploadsToVerdictsS,
    uploadsToIdleS,
    uploadCounters,
    jvmCpuS: jvm0 !== null && jvm1 !== null ? jvm1 - jvm0 : null,
    receipt: { p50: rs.p50, p95: rs.p95, max: rs.max, n: latencies.length },
    statuses,
    reminder,
    rerun,
    deadLetters: state.lambda.deadLetters,
    load,
    cpuS: (cpu.user + cpu.system) / 1e6,
  };
}

const ops = (c: DynamoCounters) =>
  Object.entries(c.requests)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k.replace(/Command$/, '')} ${v}`)
    .join(', ');

/** One cycle size in this process (the functions' SDK clients are per process, bound to one runtime's ports). */
async function runOne(n: number): Promise<CycleResult> {
  const stateDir = join(ROOT, 'bench', '.cache', `local-${n}`);
  rmSync(stateDir, { recursive: true, force: true });
  mkdirSync(stateDir, { recursive: true });
  const log: string[] = [];
  const tStart = performance.now();
  const runtime = await startLocal({ stateDir, log: (l) => log.push(l) });
  const startS = (performance.now() - tStart) / 1000;
  const counters = { current: newCounters() };
  const receipts = new Map<string, number>();
  try {
    instrumentDynamo(counters);
    instrumentMail(receipts);
    const r = await runCycle(n, runtime, counters, receipts);
    console.log(`${n} offices: runtime start ${startS.toFixed(1)} s, setup ${r.setupS.toFixed(1)} s, uploads→verdicts ${r.uploadsToVerdictsS.toFixed(1)} s (idle ${r.uploadsToIdleS.toFixed(1)} s), receipt p50 ${ms(r.receipt.p50, 0)} ms p95 ${ms(r.receipt.p95, 0)} ms, DynamoDB during uploads: ${ops(r.uploadCounters)}, JVM CPU ${r.jvmCpuS?.toFixed(1)} s, this process CPU ${r.cpuS.toFixed(1)} s, reminders ${r.reminder.ms.toFixed(0)} ms (${r.reminder.sent} sent; ${ops(r.reminder.counters)}), load ${r.load}`);
    if (log.some((l) => /failed|error/i.test(l))) console.error(log.filter((l) => /failed|error/i.test(l)).slice(0, 5).join('\n'));
    return r;
  } finally {
    await runtime.stop();
  }
}

async function main() {
  const oneArg = process.argv.indexOf('--one');
  if (oneArg > 0) {
    // Child: one size, the result as JSON on the last line of stdout.
    const r = await runOne(Number(process.argv[oneArg + 1]));
    console.log(`RESULT ${JSON.stringify(r)}`);
    return;
  }
  const sizesArg = process.argv.indexOf('--sizes');
  const sizes = sizesArg > 0 ? process.argv[sizesArg + 1].split(',').map(Number) : QUICK ? [100] : [100, 1000, 3000];
  const started = header(`npx tsx bench/cycle.ts${QUICK ? ' --quick' : ''}${sizesArg > 0 ? ` --sizes ${sizes.join(',')}` : ''}`);
  const results: CycleResult[] = [];
  for (const n of sizes) {
    // A fresh process and runtime (empty table) per size, as at the start of a year.
    const child = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'bench', 'cycle.ts'), '--one', String(n)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: process.env,
      maxBuffer: 64 * 1024 * 1024,
    });
    const out = child.stdout.toString();
    process.stdout.write(out.split('\n').filter((l) => !l.startsWith('RESULT ')).join('\n'));
    const line = out.split('\n').find((l) => l.startsWith('RESULT '));
    if (child.status !== 0 || !line) throw new Error(`cycle of ${n} offices failed (exit ${child.status})`);
    results.push(JSON.parse(line.slice('RESULT '.length)) as CycleResult);
  }
  const capacity = results.some((r) => r.reminder.counters.capacityReported > 0);
  const rows = results.map((r) => {
    const target = r.offices === 1000 ? (r.uploadsToVerdictsS < 60 ? ' ✔ (< 60 s)' : ' ✘ (target < 60 s)') : '';
    return `| ${r.offices} | ${r.uploads} | ${r.uploadsToVerdictsS.toFixed(1)}${target} | ${r.uploadsToIdleS.toFixed(1)} | ${(r.uploads / r.uploadsToVerdictsS).toFixed(1)} | ${r.cpuS.toFixed(0)} | ${r.jvmCpuS === null ? '–' : r.jvmCpuS.toFixed(0)} | ${(r.uploadCounters.itemsRead / r.uploads).toFixed(1)} | ${ms(r.receipt.p50, 0)} / ${ms(r.receipt.p95, 0)} (${r.receipt.n}) | ${Object.entries(r.statuses).map(([k, v]) => `${k} ${v}`).join(', ')} | ${r.deadLetters} | ${r.load} |`;
  });
  const reminderRows = results.flatMap((r) =>
    (
      [
        ['first run', r.reminder],
        ['second run', r.rerun],
      ] as const
    ).map(
      ([label, t]) =>
        `| ${r.offices} | ${r.pending} | ${label} | ${t.ms.toFixed(0)} | ${t.sentMs.toFixed(0)} | ${t.sent} | ${ops(t.counters)} | ${t.counters.itemsRead} | ${capacity ? t.counters.readUnits.toFixed(1) : 'not reported'} | ${capacity && r.pending ? (t.counters.readUnits / r.pending).toFixed(2) : '–'} | ${((t.counters.requests.QueryCommand ?? 0) / Math.max(1, r.pending)).toFixed(2)} | ${t.counters.requests.ScanCommand ?? 0} |`,
    ),
  );
  const md = `## The cycle on the local emulators

${started}
- \`startLocal()\` from local/runtime.ts in this process: DynamoDB Local (JVM), s3rver behind the presigned-POST
  verifier, the SES emulator, the real handlers. A fresh runtime (empty table) per cycle size; ${os.cpus().length} vCPUs shared by
  this Node process (API, S3, every function), the DynamoDB JVM and the other engineers' jobs.
- Offices: ${'60 %'} upload a correct report (→ ACCEPTED), 25 % one with an arithmetic error in table 三 (→ REJECTED),
  15 % nothing (NOT_SUBMITTED); each uploads with its own office token: ticket from the API, multipart POST to S3;
  ${CONCURRENCY} uploads in flight at any time. Deadline in 3 days: the T−3 reminder is due at the reminder run.
- "uploads → verdicts": from the first ticket request to the last verdict (status ACCEPTED/REJECTED, the
  receipt e-mail accepted by SES); "uploads → idle": to the runtime being idle, i.e. also every archive step
  and the last regeneration of the year pages (at most one 5 s slot after the last acceptance).
  "upload → receipt": from S3 answering the POST (204) to SES accepting the receipt e-mail (the mailer of the
  functions, timed in-process), p50 / p95 ms (number of receipts).

| offices | uploads | uploads → verdicts s | uploads → idle s | uploads/s | CPU s (this process) | CPU s (DynamoDB JVM) | DynamoDB items read / upload | upload → receipt p50 / p95 ms | statuses after | dead letters | load avg |
|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---|
${rows.join('\n')}

Reminder runs (send-reminders as the scheduler invokes it; "pending" = offices that owe a report: NOT_SUBMITTED,
REJECTED, RETURNED). "queued ms": the run itself, which queues the e-mails; "sent ms": until mail-sender has sent
them all at the default 14/s (docs/MAIL-RATE.md). The DynamoDB columns count the run and the sending. The
second run follows once the queue is empty: every reminder is already claimed, nothing is queued.
${capacity ? 'Read units are what DynamoDB Local reports with `ReturnConsumedCapacity: TOTAL` (DynamoDB Local does compute them, for on-demand tables as in the stack).' : '**DynamoDB Local did not report consumed capacity**: read units are not available; requests and items read are counted instead.'}

| offices | pending | run | queued ms | sent ms | reminders | DynamoDB requests | items read | read units | read units / pending office | Queries / pending office | Scans |
|---:|---:|---|---:|---:|---:|---|---:|---:|---:|---:|---:|
${reminderRows.join('\n')}
`;
  writeResult('cycle', md);
  console.log(md);
}

if (isMain('cycle')) runMain(main);
