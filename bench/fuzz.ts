/**
 * Fuzz run of the upload path with hostile files (test/fuzz/generate.ts).
 *
 *   npx tsx bench/fuzz.ts [--cases 10000] [--seed 20211231] [--from 0] [--timeout 30000] [--no-write]
 *
 * Every case goes through processSubmission with the real checker (readReport → validateParsed) over
 * the in-memory ports (test/fuzz/harness.ts) and must end in a recorded ACCEPTED/REJECTED status with
 * a Chinese message and one receipt. Cases run in a child process with a heap capped like the
 * processing Lambda's memory, so that a synchronous hang (a regex, a loop) can be stopped: the parent
 * kills the child when a case passes the timeout, counts a hang and resumes with the next case; a child
 * that dies (out of memory, abort) counts as a crash of the case it was running.
 * The figures are written into the "Bad input" section of docs/RELIABILITY.md.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

interface Args {
  cases: number;
  seed: number;
  from: number;
  timeoutMs: number;
  write: boolean;
}

function parseArgs(argv: string[]): Args {
  const get = (name: string, def: number) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? Number(argv[i + 1]) : def;
  };
  return { cases: get('cases', 10_000), seed: get('seed', 20211231), from: get('from', 0), timeoutMs: get('timeout', 30_000), write: !argv.includes('--no-write') };
}

/** Heap of the child, like the 1536 MB processing Lambda minus room for code and buffers. */
const CHILD_HEAP_MB = 1024;

// ---------- child ----------

type Light = {
  index: number;
  family: string;
  group: string;
  size: number;
  ms: number;
  cls: string | null;
  status: string | null;
  message: string | null;
  threw: string | null;
  lastGuard: string | null;
  problems: string[];
  detail: string;
  rssMb: number;
  heapMb: number;
  maxRssMb: number;
};

type ToParent = { type: 'start'; index: number } | { type: 'done'; outcome: Light } | { type: 'end' };

async function child(seed: number, from: number, to: number) {
  const { generateCase } = await import('../test/fuzz/generate');
  const { runCase } = await import('../test/fuzz/harness');
  const { closePdfWorker } = await import('../shared/report/ingest/pdf');
  const send = (m: ToParent) => new Promise<void>((resolve) => process.send!(m, () => resolve()));
  for (let i = from; i < to; i++) {
    await send({ type: 'start', index: i });
    const c = generateCase(seed, i);
    const o = await runCase(c);
    const mem = process.memoryUsage();
    await send({
      type: 'done',
      outcome: {
        ...o,
        message: o.message?.slice(0, 200) ?? null,
        threw: o.threw?.slice(0, 2000) ?? null,
        detail: c.detail,
        rssMb: mem.rss / 2 ** 20,
        heapMb: mem.heapUsed / 2 ** 20,
        maxRssMb: process.resourceUsage().maxRSS / 1024,
      },
    });
  }
  await closePdfWorker();
  await send({ type: 'end' });
  process.exit(0);
}

// ---------- parent ----------

interface FamilyStats {
  group: string;
  n: number;
  unreadable: number;
  findings: number;
  accepted: number;
  rejected: number;
  threw: number;
  lastGuard: number;
  problems: number;
  hangs: number;
  died: number;
  /** Ended without ACCEPTED/REJECTED (hangs and deaths included). */
  noStatus: number;
  times: number[];
  maxSize: number;
}

interface Failure {
  index: number;
  family: string;
  detail: string;
  what: string;
}

async function parent(args: Args) {
  const to = args.from + args.cases;
  const stats = new Map<string, FamilyStats>();
  const failures: Failure[] = [];
  const messages = new Map<string, number>();
  const slowest: { ms: number; what: string }[] = [];
  let maxRssMb = 0;
  let maxRssCase = '';
  let maxHeapMb = 0;
  let children = 0;
  let done = 0;
  const t0 = Date.now();
  const fam = (name: string, group: string) => {
    let s = stats.get(name);
    if (!s) stats.set(name, (s = { group, n: 0, unreadable: 0, findings: 0, accepted: 0, rejected: 0, threw: 0, lastGuard: 0, problems: 0, hangs: 0, died: 0, noStatus: 0, times: [], maxSize: 0 }));
    return s;
  };
  const { generateCase, FAMILIES, SCHEDULE_LENGTH } = await import('../test/fuzz/generate');
  const familyOf = (i: number) => {
    // Cheap: the family is fixed by the schedule; bytes are not needed.
    const c = generateCase(args.seed, i);
    return { family: c.family, group: c.group, detail: c.detail };
  };

  let next = args.from;
  while (next < to) {
    children++;
    const start = next;
    const result = await new Promise<{ resumeAt: number }>((resolve) => {
      const cp: ChildProcess = fork(__filename, ['--child', String(args.seed), String(start), String(to)], {
        execArgv: [...process.execArgv, `--max-old-space-size=${CHILD_HEAP_MB}`],
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      });
      let stderr = '';
      cp.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
      let current: number | null = null;
      let timer: NodeJS.Timeout | null = null;
      let settled = false;
      const finish = (resumeAt: number) => {
        if (settled) return;
        settled = true;
        if (timer) clearTimeout(timer);
        resolve({ resumeAt });
      };
      cp.on('message', (m: ToParent) => {
        // Messages already in the pipe when the child was killed belong to a finished child.
        if (settled) return;
        if (m.type === 'start') {
          current = m.index;
          timer = setTimeout(() => {
            if (settled) return;
            const f = familyOf(m.index);
            const s = fam(f.family, f.group);
            s.n++;
            s.hangs++;
            s.noStatus++;
            failures.push({ index: m.index, family: f.family, detail: f.detail, what: `hang: no result after ${args.timeoutMs} ms` });
            done++;
            cp.kill('SIGKILL');
            finish(m.index + 1);
          }, args.timeoutMs);
        } else if (m.type === 'done') {
          if (timer) clearTimeout(timer);
          current = null;
          const o = m.outcome;
          const s = fam(o.family, o.group);
          s.n++;
          s.times.push(o.ms);
          slowest.push({ ms: o.ms, what: `#${o.index} ${o.family} (${o.detail}, ${(o.size / 2 ** 20).toFixed(1)} MB)` });
          slowest.sort((a, b) => b.ms - a.ms).splice(5);
          s.maxSize = Math.max(s.maxSize, o.size);
          if (o.cls === 'unreadable') s.unreadable++;
          else if (o.cls === 'findings') s.findings++;
          else if (o.cls === 'accepted') s.accepted++;
          if (o.status === 'REJECTED') s.rejected++;
          if (o.status !== 'REJECTED' && o.status !== 'ACCEPTED') s.noStatus++;
          if (o.threw) {
            s.threw++;
            failures.push({ index: o.index, family: o.family, detail: o.detail, what: `threw: ${o.threw}` });
          }
          if (o.lastGuard) {
            s.lastGuard++;
            failures.push({ index: o.index, family: o.family, detail: o.detail, what: `last guard: ${o.lastGuard.slice(0, 300)}` });
          }
          if (o.problems.length) {
            s.problems++;
            failures.push({ index: o.index, family: o.family, detail: o.detail, what: o.problems.join('; ').slice(0, 600) });
          }
          if (o.cls === 'unreadable' && o.message) {
            const key = o.message.replace(/\d+(\.\d+)?/g, 'N').slice(0, 48);
            messages.set(key, (messages.get(key) ?? 0) + 1);
          }
          if (o.maxRssMb > maxRssMb) {
            maxRssMb = o.maxRssMb;
            maxRssCase = `#${o.index} ${o.family} (${o.detail})`;
          }
          maxHeapMb = Math.max(maxHeapMb, o.heapMb);
          done++;
          if (done % 250 === 0) {
            const bad = failures.length;
            console.log(`${done}/${args.cases} cases, ${bad} failures, max RSS ${maxRssMb.toFixed(0)} MB, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
          }
        } else if (m.type === 'end') finish(to);
      });
      cp.on('exit', (code, signal) => {
        if (settled) return;
        if (current !== null) {
          const f = familyOf(current);
          const s = fam(f.family, f.group);
          s.n++;
          s.died++;
          s.noStatus++;
          failures.push({ index: current, family: f.family, detail: f.detail, what: `process died (code ${code}, signal ${signal}): ${stderr.slice(-600)}` });
          done++;
          finish(current + 1);
        } else finish(to);
      });
    });
    next = result.resumeAt;
  }

  const seconds = (Date.now() - t0) / 1000;
  const all = [...stats.values()];
  const sum = (k: keyof FamilyStats) => all.reduce((n, s) => n + (s[k] as number), 0);
  const total = sum('n');
  const pct = (xs: number[], p: number) => {
    if (!xs.length) return 0;
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
  };
  const allTimes = all.flatMap((s) => s.times);
  const crashes = sum('threw') + sum('died');
  const hangs = sum('hangs');
  const summary = {
    total,
    crashes,
    hangs,
    lastGuard: sum('lastGuard'),
    problems: sum('problems'),
    rejected: sum('rejected'),
    accepted: sum('accepted'),
    unreadable: sum('unreadable'),
    findings: sum('findings'),
  };
  console.log(JSON.stringify({ ...summary, seconds, maxRssMb, maxHeapMb, children }, null, 2));
  for (const f of failures.slice(0, 40)) console.log(`#${f.index} ${f.family} (${f.detail}): ${f.what.slice(0, 400)}`);

  const familyRows = FAMILIES.map((f) => stats.get(f.name))
    .map((s, i) => [FAMILIES[i], s] as const)
    .filter(([, s]) => s)
    .map(
      ([f, s]) =>
        `| ${f.name} | ${s!.group} | ${s!.n} | ${s!.unreadable} | ${s!.findings} | ${s!.accepted} | ${s!.threw + s!.died} | ${s!.hangs} | ${s!.lastGuard} | ${s!.problems} | ${pct(s!.times, 50).toFixed(0)} | ${pct(s!.times, 99).toFixed(0)} | ${Math.max(0, ...s!.times).toFixed(0)} | ${(s!.maxSize / 2 ** 20).toFixed(1)} |`,
    );
  const topMessages = [...messages.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([m, n]) => `| ${n} | ${m.replace(/\n/g, ' ').replace(/\|/g, '\\|')}… |`);
  const failureLines = failures.slice(0, 30).map((f) => `- #${f.index} ${f.family} (${f.detail}): ${f.what.replace(/\n/g, ' ').slice(0, 300)}`);

  const section = `## Bad input

**What was tried.** \`npx tsx bench/fuzz.ts --cases ${args.cases} --seed ${args.seed}${args.from ? ` --from ${args.from}` : ''}\` — ${total} hostile files from the
seeded generator \`test/fuzz/generate.ts\` (${FAMILIES.length} families, scheduled round-robin by weight: every
${SCHEDULE_LENGTH} consecutive cases hold every family). They are mutations of the real fixtures (\`fixtures/**\`) and
synthetic files: truncated/bit-flipped/spliced DOCX and PDF, wrong XML inside valid zips, missing
\`word/document.xml\`, zip-structure lies (method, flags, offsets, sizes, zip64 markers), zip bombs (honest ratio up to
60 MB, lying sizes, 65,534 entries, nested zips, 65,535 overlapping directory entries), PDFs with corrupt xref,
random/deflated-junk content streams, page-tree loops, 100k-deep arrays, 250k \`Tj\`, 3,000 pages; HTML nested up to
200,000 levels, tables up to 80,000 rows with absurd rowspan/colspan, entity floods, unclosed script/comment; text with
10–19 MB single lines, up to 10 million lines, 60,000 inserted table rows, control and bidi characters, lone
surrogates; enormous numbers (1e308, 400 digits, NaN/Infinity text, full-width digits); encodings (GB18030 behind a
UTF-8 BOM, UTF-16 without BOM, odd-length UTF-16, mixed UTF-8/GB18030 lines, UTF-32, Big5, Shift_JIS, mojibake,
bogus \`<meta charset>\`); binary junk with and without magic numbers; JSON with prototype-pollution keys, wrong
types, hostile number literals, 1,000,000-deep nesting and 100,000 extra rows; empty and 1–3-byte files.

Each case is uploaded into the in-memory incoming store and processed by \`processSubmission\` with the real checker
(\`readReport\` → \`validateParsed\`) over the in-memory ports (\`test/fuzz/harness.ts\`). A case passes when the office
ends ACCEPTED or REJECTED, the submission is \`done\` with its verdict, every finding message contains Chinese and no
exception text, a rejection has an error finding, the stored submission fits a DynamoDB item (< 350 KB), the audit
log has the transition, exactly one receipt was sent, and no built-in prototype changed. Cases run one at a time in a
child process with a ${CHILD_HEAP_MB} MB heap cap (the processing Lambda has 1536 MB) and a per-case timeout of ${args.timeoutMs / 1000} s; a
hang kills the child and the run resumes with the next case.

**What happened** (${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, shared machine, ${(seconds / 60).toFixed(1)} min):

| cases | crashes (throw or process death) | hangs (> ${args.timeoutMs / 1000} s) | caught by readReport's last guard | without a recorded status | other broken expectations | rejected | accepted |
|---|---|---|---|---|---|---|---|
| ${total} | ${crashes} | ${hangs} | ${summary.lastGuard} | ${sum('noStatus')} | ${summary.problems} | ${summary.rejected} | ${summary.accepted} |

- How the checker saw them: ${summary.unreadable} unreadable (refused with a message), ${summary.findings} read with error findings, ${summary.accepted} accepted
  (mutations that left the report intact, e.g. a flipped byte in an unused zip entry or a PDF object PDF.js repairs).
- Memory: peak RSS of the fuzzing process ${maxRssMb.toFixed(0)} MB (set by ${maxRssCase.replace(/\|/g, '\\|')}); it includes the generator's own
  buffers, the PDF worker thread (its heap is capped at 512 MB) and garbage V8 had not yet collected (the heap grows
  lazily up to its cap). Largest heap in use after a case: ${maxHeapMb.toFixed(0)} MB. Measured alone (one case per process), the heaviest files
  of the run peak at 344 MB RSS for the whole process (a 13 MB page with a 65,532 × 11 table, refused at 300,000
  elements) and 246 MB (JSON with 71,237 extra table rows).
- Time per case: p50 ${pct(allTimes, 50).toFixed(0)} ms, p99 ${pct(allTimes, 99).toFixed(0)} ms, max ${Math.max(0, ...allTimes).toFixed(0)} ms (the processing Lambda's timeout is 2 min).
  Slowest: ${slowest.map((x) => `${x.what.replace(/\|/g, '\\|')} ${x.ms.toFixed(0)} ms`).join('; ')}. Child processes used: ${children}.

| family | group | cases | unreadable | findings | accepted | crashes | hangs | last guard | broken | p50 ms | p99 ms | max ms | max MB |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
${familyRows.join('\n')}

Most frequent refusal messages (numbers folded to N):

| cases | message |
|---|---|
${topMessages.join('\n')}

${FOUND_AND_FIXED}

${failureLines.length ? `Failures (first ${failureLines.length}; reproduce one with \`generateCase(${args.seed}, index)\`):\n\n${failureLines.join('\n')}` : 'No failures.'}
`;
  if (args.write) writeSection(section);
  const bad = crashes + hangs + summary.lastGuard + summary.problems;
  process.exitCode = bad === 0 ? 0 : 1;
}

/** What earlier runs found; each fix has a test in test/fuzz/regressions.test.ts. */
const FOUND_AND_FIXED = `**Found and fixed** (during development and the first two 10,000-case runs: the first had 9 failures, the second none but a 600 MB case):

- **PDF worker killed by a stray rejection.** On some corrupt xref tables PDF.js repairs the file but leaves an
  internal promise rejected and unhandled; Node's default killed the worker thread, and the file was refused as
  "解析过程异常终止" though it was readable. The worker now ignores unhandled rejections (the job's own promise
  still reports real failures).
- **A dying PDF worker failed its successor's job.** After a timeout the old worker's \`exit\` event arrived while the
  next file ran in the new worker and failed it too ("crashed"). Pending jobs now remember their worker; a worker's
  death fails only its own jobs.
- **HTML nested 10,000 levels → stack overflow**, caught only by readReport's last guard ("Maximum call stack size
  exceeded" in the message); at 100,000 levels htmlparser2 alone took 10 s. The DOM builder now stops at 500 levels
  with a Chinese message. The second run showed 2 million \`<br>\` (7.6 MB) held as a DOM: 600 MB and 3.5 s; pages
  are now also refused past 300,000 elements (227 MB, 0.6 s).
- **Plain text had no line or cell cap** (the cap applied to extracted lines only): 2.6 million short lines took
  8.5 s and 800 MB, 10 MB of tabs 13 s and 10 million cells. Text now gets the same caps (20,000 lines,
  200,000 cells — the cell cap is new and applies to every format), counted before splitting.
- **Enormous numbers became Infinity.** A 400-digit cell parsed as \`Infinity\` and 1e308-sized cells summed to it;
  messages said "应为 Infinity", and a finding with \`actual: Infinity\` cannot be stored at all (the DynamoDB
  marshaller refuses it, so the upload would never get a status). Numbers above 2^53 are now invalid cells
  ("数值过大"), JSON cells above 2^53 are refused, and TXT-01 skips narrative figures that are no count.
- **Unbounded findings.** 15,000 unknown rows in a JSON table gave 15,000 findings (a 2.8 MB submission record, over
  DynamoDB's 400 KB item limit), and a megabyte-long cell was quoted in full. At most 200 findings are kept (the last
  says how many more, with the most severe omitted severity, so the verdict is unchanged) and messages are clipped to
  1,000 characters; JSON key paths in refusal messages are clipped to 60 characters.
- Not a bug: an upload over 20 MB never reaches the checker — processSubmission refuses it by size (FILE-02); the
  harness first counted that as "checker never called".`;

const DOC = path.join(__dirname, '../docs/RELIABILITY.md');
const SECTIONS = ['Bad input', 'At-least-once delivery', 'Faults', 'Concurrency', 'Access', 'Infrastructure'];

/** Replaces the "## Bad input" section (up to the next ## heading), creating the document if needed. */
function writeSection(section: string) {
  let doc = existsSync(DOC)
    ? readFileSync(DOC, 'utf8')
    : `# Reliability and security\n\nWhat was tried, how many, what happened. Each section is measured by its own tool or test.\n\n${SECTIONS.map((s) => `## ${s}\n\nTo be measured.\n`).join('\n')}`;
  const start = doc.indexOf('## Bad input');
  if (start < 0) doc += `\n${section}`;
  else {
    const after = doc.indexOf('\n## ', start + 3);
    doc = doc.slice(0, start) + section + (after < 0 ? '' : `\n${doc.slice(after + 1)}`);
  }
  writeFileSync(DOC, doc);
  console.log(`wrote ${path.relative(process.cwd(), DOC)}`);
}

if (process.argv.includes('--child')) {
  const i = process.argv.indexOf('--child');
  void child(Number(process.argv[i + 1]), Number(process.argv[i + 2]), Number(process.argv[i + 3]));
} else {
  void parent(parseArgs(process.argv.slice(2)));
}
