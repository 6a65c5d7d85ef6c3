/**
 * `npm run demo`: starts the local system (as `npm start`), then runs one scripted 2020 cycle
 * through the API exactly as a coordinator and the offices would — cycle, offices, tokens,
 * presigned POST uploads over HTTP to S3, verdicts, a resubmission, the daily reminder tick —
 * stops everything and prints, as its last line, one JSON object of counts read back from the
 * emulators (DynamoDB, SES, S3), not computed by the script.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { LocalClient } from './client';
import { CLEAN_2020_OFFICE, SEED_OFFICE, cleanReportFor, defectiveReportFor, fixtureBytes } from './fixtures';
import { PROJECT_ROOT, startLocal, type LocalRuntime } from './runtime';

export const DEMO_YEAR = 2020;

interface DemoOffice {
  id: string;
  name: string;
  group: string;
  emails: string[];
}

const OFFICES: DemoOffice[] = [
  { id: 'jincheng', name: SEED_OFFICE, group: 'streets', emails: ['jincheng@example.gov.cn'] },
  { id: 'scjgj', name: CLEAN_2020_OFFICE, group: 'departments', emails: ['scjgj@example.gov.cn'] },
  { id: 'rsj', name: '青峰区人力资源和社会保障局', group: 'departments', emails: ['rsj@example.gov.cn'] },
  { id: 'jyj', name: '青峰区教育局', group: 'departments', emails: ['jyj@example.gov.cn'] },
];

/** A date `days` calendar days after today in Asia/Shanghai, as YYYY-MM-DD (a deadline at the end of that day). */
function shanghaiDatePlus(days: number): string {
  const d = new Date(Date.now() + 8 * 3600_000 + days * 86400_000);
  return d.toISOString().slice(0, 10);
}

const say = (line: string) => console.log(line);

/** `npx nianbao remind --json` against this stack, exactly as a coordinator types it (async: the API runs here). */
async function remind(api: string, token: string): Promise<{ reminders: number; digests: number }> {
  const { stdout } = await promisify(execFile)(process.execPath, [join(PROJECT_ROOT, 'bin', 'nianbao.js'), 'remind', '--json', '--api', api, '--token', token], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
  });
  const run = JSON.parse(stdout) as { reminders: number; digests: number };
  return { reminders: run.reminders, digests: run.digests };
}

export async function runDemo(runtime: LocalRuntime): Promise<Record<string, unknown>> {
  const c = new LocalClient(runtime.endpoints);
  const coordinator = c.coordinator;
  try {
    const deadline = shanghaiDatePlus(3);
    await c.ok('POST', '/cycles', {
      token: coordinator,
      body: {
        year: DEMO_YEAR,
        groups: [
          { id: 'streets', name: '街道办事处', deadline },
          { id: 'departments', name: '区直部门', deadline },
        ],
        coordinatorEmails: ['coordinator@example.gov.cn'],
        autoPublish: false,
      },
    });
    await c.ok('POST', `/cycles/${DEMO_YEAR}/offices`, {
      token: coordinator,
      body: { offices: OFFICES.map(({ id, name, group, emails }) => ({ id, name, group, emails })) },
    });
    say(`cycle ${DEMO_YEAR}: ${OFFICES.length} offices, deadline ${deadline} (Asia/Shanghai)`);
    const tokens: Record<string, string> = {};
    for (const o of OFFICES) {
      tokens[o.id] = (await c.ok<{ token: string }>('POST', `/cycles/${DEMO_YEAR}/offices/${o.id}/token`, { token: coordinator })).token;
    }

    const upload = async (officeId: string, bytes: Uint8Array, fileName: string) => {
      const ticket = await c.requestUpload(DEMO_YEAR, officeId, tokens[officeId], fileName);
      if (ticket.status !== 201) throw new Error(`upload ticket for ${officeId}: HTTP ${ticket.status} ${JSON.stringify(ticket.body)}`);
      const posted = await c.postUpload(ticket.body, bytes, fileName);
      if (posted.status !== 204) throw new Error(`upload for ${officeId}: HTTP ${posted.status} ${posted.text}`);
      await c.idle();
      const view = await c.ok('GET', `/cycles/${DEMO_YEAR}/offices/${officeId}`, { token: tokens[officeId] });
      const sub = view.submissions.find((s: { current: boolean }) => s.current) ?? view.submissions[0];
      const errors = (sub?.findings ?? []).filter((f: { severity: string }) => f.severity === 'error').length;
      say(`  ${officeId.padEnd(9)} uploaded ${fileName} → ${view.office.status} (${sub?.verdict ?? '?'}, ${errors} errors)`);
    };

    say('uploads (presigned POST to S3, processed on the S3 event):');
    await upload('jincheng', fixtureBytes('jincheng-2020.txt'), '锦程街道办事处2020年报.txt');
    await upload('scjgj', fixtureBytes('clean-2019.txt'), '2020年政府信息公开工作年度报告.txt');
    await upload('rsj', defectiveReportFor(OFFICES[2].name), '人社局2020年报.txt');
    await upload('rsj', cleanReportFor(OFFICES[2].name), '人社局2020年报（更正）.txt');
    // The coordinator publishes one accepted report; the other stays accepted, unpublished.
    await c.ok('POST', `/cycles/${DEMO_YEAR}/offices/scjgj/publish`, { token: coordinator });
    await c.idle();
    say(`  scjgj     published → ${runtime.endpoints.archive}/${DEMO_YEAR}/scjgj/`);

    // The reminder job, run by the coordinator's command as it would be on any day of the cycle:
    // offices without an accepted report get their "3 days left" reminder, the coordinators a digest.
    const run = await remind(runtime.endpoints.api, coordinator);
    await c.idle();
    say(`npx nianbao remind: ${run.reminders} reminders, ${run.digests} digest(s)`);

    // Counts, read back from the emulators.
    const statuses = await c.statusCounts(DEMO_YEAR);
    const offices = (await c.offices(DEMO_YEAR)).length;
    const emails = (await c.mails()).length;
    const archived = (await c.archivedPdfs(DEMO_YEAR)).length;
    let reminders = 0;
    for (const o of OFFICES) {
      reminders += (await c.audit(DEMO_YEAR, o.id)).filter((e) => e.action === 'reminder' || e.action === 'overdue_notice').length;
    }
    const state = await c.idle();
    say(`mailbox: ${runtime.endpoints.mailbox}  dead letters: ${state.lambda.deadLetters}`);
    return { offices, statuses, emails, archived, reminders };
  } finally {
    c.destroy();
  }
}

async function main(): Promise<number> {
  let stateDir = join(PROJECT_ROOT, '.local', 'demo');
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--state-dir' && args[i + 1]) stateDir = args[++i];
    else {
      console.error(`未知参数：${args[i]}（可用：--state-dir DIR）`);
      return 2;
    }
  }
  const runtime = await startLocal({ stateDir, log: (l) => console.error(l) });
  console.error(`[local] runtime pid ${runtime.endpoints.pids.runtime}, DynamoDB Local pid ${runtime.endpoints.pids.dynamodb}`);
  let summary: Record<string, unknown>;
  try {
    summary = await runDemo(runtime);
  } finally {
    await runtime.stop();
  }
  console.log(JSON.stringify(summary));
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error) => {
      console.error(`demo failed: ${(error as Error)?.stack ?? String(error)}`);
      process.exit(1);
    },
  );
}
