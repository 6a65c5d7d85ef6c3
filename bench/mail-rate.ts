/**
 * Reminders at the rate SES allows, on the local emulators (local/runtime.ts in this process): N offices owe a
 * report on a reminder day; the daily run (send-reminders) queues one message per reminder into the local
 * SQS queue, mail-sender (2 at once) sends at the default 14 e-mails/s into an SES emulator that refuses more
 * than 14 SendEmails in any second (SES's default maximum sending rate).
 *
 * Measured per size: the run's time to queue everything; the time until the queue is drained (every e-mail
 * accepted by SES); the rate SES saw (whole run and the busiest second); throttled sends; e-mails per office.
 * 20,000 offices at 14/s take ~24 minutes: unless --full, that size is run for a measured window
 * (--window seconds, default 120) after the queueing and its total is worked out as
 *   queueing time + 20,000 / (the rate measured in that window),
 * stated as such in the result.
 *
 * Writes bench/results/mail-rate.md. Run: npx tsx bench/mail-rate.ts [--quick] [--full] [--window 120]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { LocalClient } from '../local/client';
import { startLocal } from '../local/runtime';
import { MAIL_RATE } from '../shared/resources';
import { QUICK, ROOT, header, isMain, loadSampler, runMain, writeResult } from './lib';

const YEAR = 2020;
const RATE = MAIL_RATE.perSecond;

interface Result {
  offices: number;
  /** Measured to the end, or for a window then extrapolated. */
  full: boolean;
  queueS: number;
  /** Queue drained (full), or the extrapolated total. */
  totalS: number;
  sent: number;
  windowS: number;
  /** E-mails/s SES accepted from the first to the last send (full) or over the window. */
  rate: number;
  peakPerSecond: number;
  throttled: number;
  /** Offices with exactly one reminder, none, more than one (full runs only). */
  once: number | null;
  missing: number | null;
  twice: number | null;
  deadLetters: number;
  load: string;
}

async function runOne(n: number, full: boolean, windowS: number): Promise<Result> {
  const stateDir = join(ROOT, 'bench', '.cache', `mail-${n}`);
  rmSync(stateDir, { recursive: true, force: true });
  mkdirSync(stateDir, { recursive: true });
  const runtime = await startLocal({ stateDir, log: () => undefined, mailRate: { perSecond: RATE }, sesMaxPerSecond: RATE });
  const c = new LocalClient(runtime.endpoints);
  try {
    const deadline = new Date(Date.now() + 8 * 3600_000 + 3 * 86400_000).toISOString().slice(0, 10);
    await c.ok('POST', '/cycles', { token: c.coordinator, body: { year: YEAR, groups: [{ id: 'all', name: '全部单位', deadline }], coordinatorEmails: ['coordinator@example.gov.cn'] } });
    const offices = Array.from({ length: n }, (_, i) => ({ id: `m${String(i).padStart(5, '0')}`, name: `青峰区第${i + 1}单位`, group: 'all', emails: [`m${i}@example.gov.cn`] }));
    for (let i = 0; i < n; i += 500) await c.ok('POST', `/cycles/${YEAR}/offices`, { token: c.coordinator, body: { offices: offices.slice(i, i + 500) } });

    // SES's accepted counter every 100 ms: when the first and the last e-mail went out.
    const ses = runtime.mail.ses.stats;
    const samples: Array<[number, number]> = [];
    const sampler = setInterval(() => samples.push([performance.now(), ses.accepted]), 100);
    const load = loadSampler();
    const t0 = performance.now();
    const run = (await runtime.lambda.invoke('send-reminders', { time: new Date().toISOString() })) as { sent: unknown[] };
    const queueS = (performance.now() - t0) / 1000;
    if (run.sent.length !== n) throw new Error(`queued ${run.sent.length} of ${n}`);
    if (full) await runtime.mail.idle();
    else await new Promise((r) => setTimeout(r, windowS * 1000));
    const endS = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    samples.push([performance.now(), ses.accepted]);

    const first = samples.find(([, a]) => a > 0) ?? samples[0];
    const last = full ? samples.find(([, a]) => a === ses.accepted)! : samples[samples.length - 1];
    const spanS = (last[0] - first[0]) / 1000;
    const rate = (last[1] - first[1]) / Math.max(spanS, 1e-9);
    let once: number | null = null;
    let missing: number | null = null;
    let twice: number | null = null;
    if (full) {
      const per = new Map<string, number>();
      for (const m of await c.mails()) for (const to of m.destination.to) per.set(to, (per.get(to) ?? 0) + 1);
      const counts = offices.map((o) => per.get(o.emails[0]) ?? 0);
      once = counts.filter((x) => x === 1).length;
      missing = counts.filter((x) => x === 0).length;
      twice = counts.filter((x) => x > 1).length;
    }
    return {
      offices: n,
      full,
      queueS,
      totalS: full ? endS : queueS + (n + 1) / rate,
      sent: ses.accepted,
      windowS: full ? endS - queueS : windowS,
      rate,
      peakPerSecond: ses.peakPerSecond,
      throttled: ses.throttled,
      once,
      missing,
      twice,
      deadLetters: runtime.lambda.stats.deadLetters + runtime.mail.queue.stats.deadLettered,
      load: load.done(),
    };
  } finally {
    c.destroy();
    await runtime.stop();
  }
}

async function main() {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  if (arg('--one')) {
    // Child: one size, the result as JSON on the last line of stdout.
    console.log(`RESULT ${JSON.stringify(await runOne(Number(arg('--one')), process.argv.includes('--full'), Number(arg('--window') ?? 120)))}`);
    return;
  }
  const window = Number(arg('--window') ?? (QUICK ? 30 : 120));
  const sizes: Array<[number, boolean]> = QUICK ? [[200, true]] : [[2000, true], [20000, process.argv.includes('--full')]];
  const started = header(`npx tsx bench/mail-rate.ts${QUICK ? ' --quick' : ''}${process.argv.includes('--full') ? ' --full' : ''}`);
  const results: Result[] = [];
  for (const [n, full] of sizes) {
    // A fresh process and runtime per size (the functions' SDK clients are bound to one runtime's ports).
    const child = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'bench', 'mail-rate.ts'), '--one', String(n), '--window', String(window), ...(full ? ['--full'] : [])],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'ERROR' }, maxBuffer: 64 * 1024 * 1024 },
    );
    const line = child.stdout.toString().split('\n').find((l) => l.startsWith('RESULT '));
    if (child.status !== 0 || !line) throw new Error(`${n} offices failed (exit ${child.status})`);
    const r = JSON.parse(line.slice('RESULT '.length)) as Result;
    console.log(`${n} offices: queued in ${r.queueS.toFixed(1)} s, ${r.full ? 'drained' : 'estimated total'} ${r.totalS.toFixed(0)} s, ${r.rate.toFixed(2)}/s, peak ${r.peakPerSecond}/s, throttled ${r.throttled}`);
    results.push(r);
  }
  const min = (s: number) => `${s.toFixed(0)} s (${(s / 60).toFixed(1)} min)`;
  const rows = results.map(
    (r) =>
      `| ${r.offices} | ${r.queueS.toFixed(1)} | ${r.full ? min(r.totalS) : `**${min(r.totalS)}** (estimated)`} | ${r.full ? 'whole run' : `${r.windowS} s window, ${r.sent} e-mails`} | ${r.rate.toFixed(2)} | ${r.peakPerSecond} | ${r.throttled} | ${r.once === null ? '–' : `${r.once} / ${r.missing} / ${r.twice}`} | ${r.deadLetters} | ${r.load} |`,
  );
  const md = `## Reminders at the rate SES allows

${started}
- \`startLocal()\` in a fresh process per size: the daily run (send-reminders) queues one message per due reminder
  and the digest into the local SQS queue; mail-sender (at most ${MAIL_RATE.senders} at once, batches of ${MAIL_RATE.batchSize}) sends at the
  default **${RATE} e-mails/s** in all (each sender a token bucket at ${RATE / MAIL_RATE.senders}/s) into the SES emulator behind a proxy that
  refuses (429, "Maximum sending rate exceeded.") more than ${RATE} SendEmails in any second, SES's default rate.
- "queued": the run's own time (Query by status, one claim check and one SQS message per office, SendMessageBatch
  of 10, 8 in flight). "total": from the start of the run until SES has accepted the last e-mail (the queue is
  empty). "rate": e-mails SES accepted per second, first to last; "peak": the most SES accepted within any 1 s
  (the proxy's own sliding window); "throttled": SendEmails it refused. "once / none / twice": offices with exactly one reminder, none, more than one.
${results.some((r) => !r.full) ? `- **How the 20,000 figure is obtained**: a real run of 20,000 pending offices — the whole queueing measured —
  then the senders measured for a window of ${results.find((r) => !r.full)!.windowS} s at the default rate; the total is
  queueing time + 20,001 e-mails / the rate measured in that window (the rate does not depend on the queue's length:
  each invocation takes 10 messages whatever is behind them). A full run: \`npx tsx bench/mail-rate.ts --full\` (~25 min).
` : ''}
| pending offices | queued s | total | measured over | rate e-mails/s | peak in 1 s | throttled | once / none / twice | dead letters | load avg |
|---:|---:|---|---|---:|---:|---:|---|---:|---|
${rows.join('\n')}

In AWS the same: 2 mail-sender invocations at most, each a batch of 10 in ~1.4 s at 7/s, so no invocation comes
near its 60 s timeout however long the queue is; send-reminders only queues (${results[results.length - 1].queueS.toFixed(0)} s for ${results[results.length - 1].offices.toLocaleString('en')} offices here; its timeout is 5 min).
`;
  writeResult('mail-rate', md);
  console.log(md);
}

if (isMain('mail-rate')) runMain(main);
