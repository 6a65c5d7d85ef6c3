/**
 * `npm start`: the whole system on this machine. Prints where to look, writes
 * .local/endpoints.json (the CLI reads the API URL from it), runs until Ctrl-C, then stops
 * every emulator it started.
 *   options: --api-port N (default: a free port), --state-dir DIR (default: .local),
 *            --dynamo-db-path DIR (keep DynamoDB Local's data on disk: survives a killed JVM),
 *            --mail-rate N (e-mails/s the reminder senders send together, default 14), --mail-senders N
 *            (senders at once, default 2), --ses-max-per-second N (SES refuses more SendEmails a second)
 */
import { startLocal, type LocalRuntime, type StartOptions } from './runtime';

type Args = Pick<StartOptions, 'apiPort' | 'stateDir' | 'dynamoDbPath' | 'mailRate' | 'sesMaxPerSecond'>;

export function parseArgs(argv: string[]): Args {
  const out: Args = {};
  const positive = (name: string, raw: string | undefined) => {
    const n = Number(raw);
    if (!(n > 0)) throw new Error(`${name} 应为正数：${raw}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--api-port') {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`--api-port: 端口号不正确：${argv[i]}`);
      out.apiPort = n;
    } else if (a === '--state-dir') {
      out.stateDir = argv[++i];
      if (!out.stateDir) throw new Error('--state-dir 需要一个目录');
    } else if (a === '--dynamo-db-path') {
      out.dynamoDbPath = argv[++i];
      if (!out.dynamoDbPath) throw new Error('--dynamo-db-path 需要一个目录');
    } else if (a === '--mail-rate') {
      out.mailRate = { ...out.mailRate, perSecond: positive(a, argv[++i]) };
    } else if (a === '--mail-senders') {
      out.mailRate = { ...out.mailRate, senders: Math.round(positive(a, argv[++i])) };
    } else if (a === '--ses-max-per-second') {
      out.sesMaxPerSecond = positive(a, argv[++i]);
    } else {
      throw new Error(`未知参数：${a}`);
    }
  }
  return out;
}

/** Stops the runtime on SIGINT/SIGTERM (once), then exits. */
export function stopOnSignals(runtime: LocalRuntime, onStopped: () => void = () => process.exit(0)): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.error(`\n${signal}: stopping the local emulators…`);
    runtime.stop().then(onStopped, (e) => {
      console.error(`stop failed: ${String(e)}`);
      process.exit(1);
    });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
  const runtime = await startLocal({ ...args, scheduler: true });
  stopOnSignals(runtime);
  const e = runtime.endpoints;
  console.log(
    [
      'nianbao is running locally (Ctrl-C stops everything):',
      `  API            ${e.api}`,
      `  mailbox (web)  ${e.mailbox}`,
      `  public archive ${e.archive}/`,
      `  S3             ${e.s3}  (buckets ${e.buckets.incoming}, ${e.buckets.archive})`,
      `  DynamoDB       ${e.dynamodb}  (table ${e.table}, pid ${e.pids.dynamodb})`,
      `  coordinator    Authorization: Bearer ${e.coordinatorToken}`,
      `  endpoints      ${runtime.endpointsFile}`,
      `  reminders      daily at 09:00 Asia/Shanghai, or now: curl -X POST -H "Authorization: Bearer ${e.adminSecret}" ${e.api}/_local/tick`,
      `  sweep          daily at 08:30 Asia/Shanghai, or now: curl -X POST -H "Authorization: Bearer ${e.adminSecret}" ${e.api}/_local/reconcile`,
    ].join('\n'),
  );
}

if (require.main === module) {
  main().catch((error) => {
    console.error(`nianbao local runtime failed to start: ${(error as Error)?.stack ?? String(error)}`);
    process.exit(1);
  });
}
