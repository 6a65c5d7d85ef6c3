/**
 * `npm run demo`: starts the local system (as `npm start`), then runs one scripted 2020 cycle
 * through the API exactly as the 政务公开办 and the offices would in their browsers — the cycle
 * created as the dashboard's form sends it, the office list imported as an .xlsx (preview, then
 * apply), invitations e-mailed, each office signing in with the token of its invitation link,
 * presigned POST uploads over HTTP to S3, verdicts, a resubmission, the daily reminder tick — and
 * prints the pages' URLs as it goes. It stops everything and prints, as its last line, one JSON object
 * of counts read back from the emulators (DynamoDB, SES, S3), not computed by the script.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { LocalClient } from './client';
import { writeXlsx } from '../shared/render/xlsx';
import { CLEAN_2020_OFFICE, SEED_OFFICE, cleanReportFor, defectiveReportFor, fixtureBytes } from './fixtures';
import { PROJECT_ROOT, startLocal, type LocalRuntime } from './runtime';

export const DEMO_YEAR = 2020;

interface DemoOffice {
  id: string;
  name: string;
  group: string;
  emails: string[];
}

const GROUPS = { streets: '街道办事处', departments: '区直部门' } as const;

const OFFICES: DemoOffice[] = [
  { id: 'jincheng', name: SEED_OFFICE, group: 'streets', emails: ['jincheng@example.gov.cn'] },
  { id: 'scjgj', name: CLEAN_2020_OFFICE, group: 'departments', emails: ['scjgj@example.gov.cn'] },
  { id: 'rsj', name: '青峰区人力资源和社会保障局', group: 'departments', emails: ['rsj@example.gov.cn'] },
  { id: 'jyj', name: '青峰区教育局', group: 'departments', emails: ['jyj@example.gov.cn'] },
];

/** The office list as a 政务公开办 keeps it in Excel: Chinese headers, groups by name. */
function officeListXlsx(): Uint8Array {
  const rows = OFFICES.map((o) => [o.name, o.id, GROUPS[o.group as keyof typeof GROUPS], o.emails.join('；')]);
  return writeXlsx([{ name: '单位名单', header: true, rows: [['单位名称', '编号', '分组', '电子邮箱'], ...rows] }]);
}

/** The token of the sign-in link in the office's invitation e-mail (`…/upload/?…#token=…`), read from the mailbox. */
async function invitationToken(c: LocalClient, email: string): Promise<string> {
  const mail = (await c.mails()).reverse().find((m) => m.destination.to.includes(email) && /#token=/.test(m.body.text ?? ''));
  const token = /#token=([A-Za-z0-9_%-]+)/.exec(mail?.body.text ?? '')?.[1];
  if (!token) throw new Error(`no invitation with a sign-in link for ${email}`);
  return decodeURIComponent(token);
}

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
    const site = runtime.endpoints.api;
    const deadline = shanghaiDatePlus(3);
    say(`dashboard (政务公开办): ${site}/dashboard/?year=${DEMO_YEAR}  (sign in with coordinatorToken of ${runtime.endpointsFile})`);
    // The cycle as the dashboard's 新建年度 form sends it.
    await c.ok('POST', '/cycles', {
      token: coordinator,
      body: {
        year: DEMO_YEAR,
        groups: [
          { id: 'streets', name: GROUPS.streets, deadline },
          { id: 'departments', name: GROUPS.departments, deadline },
        ],
        coordinatorEmails: ['coordinator@example.gov.cn'],
        autoPublish: false,
        issuer: '青峰区人民政府办公室',
        contactPerson: '张明',
        contactPhone: '0571-12345678',
      },
    });
    // The office list as an .xlsx through 导入单位名单: the preview, then the import.
    const list = officeListXlsx();
    const preview = await c.postFile<{ summary: string; canApply: boolean }>(`/cycles/${DEMO_YEAR}/offices/preview`, coordinator, list);
    if (!preview.canApply) throw new Error(`office list: ${preview.summary}`);
    const imported = await c.postFile<{ created: string[] }>(`/cycles/${DEMO_YEAR}/offices`, coordinator, list);
    say(`cycle ${DEMO_YEAR}: office list (.xlsx) ${preview.summary}; ${imported.created.length} offices imported, deadline ${deadline} (Asia/Shanghai)`);
    // 邀请全部单位: each office gets its one-click sign-in link by e-mail and signs in with it.
    const invited = await c.ok<{ invited: unknown[]; failed: unknown[] }>('POST', `/cycles/${DEMO_YEAR}/invitations`, { token: coordinator, body: {} });
    await c.idle();
    const tokens: Record<string, string> = {};
    for (const o of OFFICES) {
      tokens[o.id] = await invitationToken(c, o.emails[0]);
      await c.ok('GET', '/me', { token: tokens[o.id] });
    }
    say(`invitations: ${invited.invited.length} sent, ${invited.failed.length} failed; every office signed in from its link`);
    say(`office page (${OFFICES[0].name}): ${site}/upload/?year=${DEMO_YEAR}&office=${OFFICES[0].id}  (sign-in link in the mailbox)`);

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
