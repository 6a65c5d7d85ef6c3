/**
 * The embedded runtime: the emulators on 127.0.0.1 (random free ports), the same table and
 * buckets as the CDK stack, and the real handlers wired the way AWS wires them: API Gateway →
 * api / issue-upload, S3 ObjectCreated on incoming/ → process-submission (async, retried,
 * dead-lettered), Lambda Invoke API → archive (async), a daily tick → send-reminders, which queues the
 * e-mails into SQS (local/sqs.ts) → mail-sender (event source mapping, at most MAIL_SENDERS at once).
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { randomBytes, createHash, timingSafeEqual } from 'node:crypto';
import { verifySigV4 } from './sigv4';
import type { S3Event } from 'aws-lambda';
import { ENV, INCOMING_PREFIX, MAIL_RATE, PUBLIC_PREFIX } from '../shared/resources';
import { API_PATH_PREFIXES, ROUTES } from '../functions/routes';
import { createTable, startDynamo, type DynamoLocal } from './dynamo';
import { startS3, type ObjectCreated, type S3Local } from './s3';
import { startSes, type SesLocal } from './ses';
import { pollQueue, startSqs, type LocalQueue } from './sqs';
import { LocalLambda, type AnyHandler } from './lambda';
import { s3EventFor } from './s3-events';
import { MAX_API_BODY, matchRoute, preflight, readBody, toEvent, writeJson, writeResult, CORS_HEADERS } from './gateway';
import { freePort, isPortTaken } from './ports';
import { buildWeb } from '../web/build';
import { isOriginalKey, ORIGINAL_CONTENT_TYPE, securityHeaders, type HeaderKind } from '../shared/security-headers';

export const PROJECT_ROOT = resolve(__dirname, '..');
export const REGION = 'us-east-1';
export const LOCAL_CREDENTIALS = { accessKeyId: 'localkey', secretAccessKey: 'localsecret' } as const;
export const NAMES = {
  table: 'nianbao-local',
  incoming: 'nianbao-incoming',
  archive: 'nianbao-archive',
  mailFrom: 'nianbao@example.com',
} as const;

/** The functions, by folder name under functions/ (also their local function names). */
export const FUNCTIONS = ['api', 'issue-upload', 'process-submission', 'archive', 'send-reminders', 'mail-sender', 'ses-events', 'reconcile'] as const;

export interface Endpoints {
  api: string;
  s3: string;
  dynamodb: string;
  ses: string;
  /** The reminder queue (SQS JSON protocol). */
  sqs: string;
  reminderQueueUrl: string;
  /** The SES emulator's web UI: every e-mail sent. */
  mailbox: string;
  /** The public archive (archive bucket, public prefix), as CloudFront would serve it. */
  archive: string;
  region: string;
  table: string;
  buckets: { incoming: string; archive: string };
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Bearer token of the local coordinator (only its SHA-256 reaches the functions). */
  coordinatorToken: string;
  /** Bearer token of the local-only admin endpoints (/_local/…). endpoints.json is readable by its owner only. */
  adminSecret: string;
  deadLetterFile: string;
  pids: { runtime: number; dynamodb: number };
  startedAt: string;
}

export interface LocalRuntime {
  endpoints: Endpoints;
  endpointsFile: string;
  lambda: LocalLambda;
  s3: S3Local;
  /** The reminder queue, its consumer (mail-sender) and the SES emulator (with its rate counters). */
  mail: { queue: LocalQueue; ses: SesLocal; idle(): Promise<void> };
  /** Starts DynamoDB Local again on the same port after its JVM died (its data survives with dynamoDbPath). */
  restartDynamo(): Promise<{ pid: number }>;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Folder for endpoints.json and dead letters (default: $NIANBAO_LOCAL_DIR, else <repo>/.local). */
  stateDir?: string;
  apiPort?: number;
  /** Run send-reminders every day at 09:00 Asia/Shanghai. */
  scheduler?: boolean;
  log?: (line: string) => void;
  /** Lambda async retry delays (ms); Lambda's are ~1 and ~2 minutes. */
  retryDelaysMs?: number[];
  /**
   * Keep DynamoDB Local's data in this folder instead of memory, so a killed JVM restarted on the same
   * port still has it, as real DynamoDB would (fault tests). Default: in memory.
   */
  dynamoDbPath?: string;
  /** E-mails per second the mail senders may send together, and how many run at once (default MAIL_RATE). */
  mailRate?: { perSecond?: number; senders?: number };
  /** Put SES's maximum sending rate in front of the SES emulator: more SendEmails a second are refused (429). */
  sesMaxPerSecond?: number;
  /** The reminder queue's visibility timeout (s): AWS uses 6 × the consumer's timeout; locally shorter. */
  queueVisibilityTimeoutS?: number;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.pdf': 'application/pdf',
};

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolveListen());
  });
}

/** The variables the functions read in AWS, pointed at the emulators. Never real credentials. */
function configureEnvironment(e: Omit<Endpoints, 'pids' | 'startedAt' | 'deadLetterFile'>, lambdaEndpoint: string, mailRate: { perSecond: number; senders: number }): void {
  for (const v of ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_DEFAULT_PROFILE', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_WEB_IDENTITY_TOKEN_FILE']) {
    delete process.env[v];
  }
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: e.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: e.credentials.secretAccessKey,
    AWS_REGION: e.region,
    AWS_DEFAULT_REGION: e.region,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL_S3: e.s3,
    AWS_ENDPOINT_URL_DYNAMODB: e.dynamodb,
    AWS_ENDPOINT_URL_SESV2: e.ses,
    AWS_ENDPOINT_URL_LAMBDA: lambdaEndpoint,
    AWS_ENDPOINT_URL_SQS: e.sqs,
    // s3rver does not understand aws-chunked uploads with trailing checksums.
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    [ENV.forcePathStyle]: 'true',
    [ENV.table]: e.table,
    [ENV.incomingBucket]: e.buckets.incoming,
    [ENV.archiveBucket]: e.buckets.archive,
    [ENV.mailFrom]: NAMES.mailFrom,
    [ENV.configurationSet]: 'nianbao-local',
    [ENV.publicBaseUrl]: e.archive,
    [ENV.coordinatorTokenSha256]: createHash('sha256').update(e.coordinatorToken, 'utf8').digest('hex'),
    [ENV.archiveFunction]: 'archive',
    [ENV.reminderQueueUrl]: e.reminderQueueUrl,
    [ENV.mailRate]: String(mailRate.perSecond),
    [ENV.mailSenders]: String(mailRate.senders),
    // The runtime targets nodejs22.x in AWS; locally Node 20 is supported, so the SDK's notice is noise here.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    POWERTOOLS_SERVICE_NAME: 'nianbao-local',
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    // Metrics are lines of the function's log in AWS (EMF); locally nobody collects them.
    POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
    TZ: process.env.TZ ?? 'Asia/Shanghai',
  });
}

function loadHandler(name: string): AnyHandler {
  // Loaded after configureEnvironment: handlers may build their clients at module load.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(join(PROJECT_ROOT, 'functions', name, 'handler'));
  if (typeof mod.handler !== 'function') throw new Error(`functions/${name}/handler.ts exports no handler`);
  return mod.handler as AnyHandler;
}

/** FunctionName as the Lambda API accepts it: name, name:qualifier, or an ARN. */
function functionNameOf(raw: string): string {
  const decoded = decodeURIComponent(raw);
  const m = /^arn:aws[\w-]*:lambda:[^:]*:[^:]*:function:([^:]+)/.exec(decoded);
  return m ? m[1] : decoded.split(':')[0];
}

/** Next 09:00 in Asia/Shanghai (01:00 UTC; no DST there). */
export function nextDailyTick(now: Date): Date {
  const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 1, 0, 0));
  if (next.getTime() <= now.getTime()) next.setUTCDate(next.getUTCDate() + 1);
  return next;
}

export async function startLocal(options: StartOptions = {}): Promise<LocalRuntime> {
  // Another program may bind a chosen port before an emulator does: start again on new ports.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startLocalOnce(options);
    } catch (error) {
      if (attempt >= 3 || !isPortTaken(error)) throw error;
      (options.log ?? console.error)(`[local] a port was taken meanwhile (${String((error as Error)?.message ?? error)}); starting again on other ports`);
    }
  }
}

async function startLocalOnce(options: StartOptions): Promise<LocalRuntime> {
  const log = options.log ?? ((line: string) => console.error(line));
  // NIANBAO_LOCAL_DIR: the same variable the CLI reads to find endpoints.json.
  const stateDir = resolve(options.stateDir ?? process.env.NIANBAO_LOCAL_DIR ?? join(PROJECT_ROOT, '.local'));
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  // The pages are TypeScript: build web/dist (what the stack deploys) so the served pages are current.
  await buildWeb().catch((e) => log(`[local] web build failed: ${String(e)}`));
  const [apiPort, s3Port, s3InternalPort, dynamoPort, sesPort, sqsPort] = await Promise.all([
    options.apiPort ? Promise.resolve(options.apiPort) : freePort(),
    freePort(),
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const api = `http://127.0.0.1:${apiPort}`;
  const base = {
    api,
    s3: `http://127.0.0.1:${s3Port}`,
    dynamodb: `http://127.0.0.1:${dynamoPort}`,
    ses: `http://127.0.0.1:${sesPort}`,
    sqs: `http://127.0.0.1:${sqsPort}`,
    reminderQueueUrl: `http://127.0.0.1:${sqsPort}/000000000000/nianbao-reminders`,
    mailbox: `http://127.0.0.1:${sesPort}/`,
    archive: `${api}/archive`,
    region: REGION,
    table: NAMES.table,
    buckets: { incoming: NAMES.incoming, archive: NAMES.archive },
    credentials: { ...LOCAL_CREDENTIALS },
    coordinatorToken: randomBytes(32).toString('base64url'),
    adminSecret: randomBytes(32).toString('base64url'),
  };
  const mailRate = { perSecond: options.mailRate?.perSecond ?? MAIL_RATE.perSecond, senders: options.mailRate?.senders ?? MAIL_RATE.senders };
  configureEnvironment(base, api, mailRate);
  const deadLetterFile = join(stateDir, 'dead-letters.jsonl');

  const stoppers: Array<() => Promise<void>> = [];
  let restartDynamoImpl: (() => Promise<{ pid: number }>) | null = null;
  const restartDynamo = () => {
    if (!restartDynamoImpl) throw new Error('the runtime has not started yet');
    return restartDynamoImpl();
  };
  const stopAll = async () => {
    for (const stop of stoppers.splice(0).reverse()) await stop().catch((e) => log(`[local] stop: ${String(e)}`));
  };

  let dynamo: DynamoLocal;
  let s3: S3Local;
  let ses: SesLocal;
  let sqs: Awaited<ReturnType<typeof startSqs>>;
  if (options.dynamoDbPath) mkdirSync(options.dynamoDbPath, { recursive: true });
  const dynamoOptions = {
    dbPath: options.dynamoDbPath,
    onUnexpectedExit: ({ pid, code, signal }: { pid: number; code: number | null; signal: string | null }) =>
      log(`[local] DynamoDB Local (pid ${pid}) died (${signal ?? `exit ${code}`}); every DynamoDB call fails until POST /_local/faults/dynamodb/restart`),
  };
  try {
    const started = await Promise.allSettled([
      startDynamo(dynamoPort, undefined, dynamoOptions),
      startS3({
        port: s3Port,
        internalPort: s3InternalPort,
        buckets: [NAMES.incoming, NAMES.archive],
        credentials: { [LOCAL_CREDENTIALS.accessKeyId]: LOCAL_CREDENTIALS.secretAccessKey },
        // What the public record serves (CloudFront reads public/ only): the one unsigned read allowed.
        publicRead: { bucket: NAMES.archive, prefix: PUBLIC_PREFIX },
      }),
      startSes(sesPort, { maxPerSecond: options.sesMaxPerSecond }),
      startSqs({
        port: sqsPort,
        region: REGION,
        queueName: 'nianbao-reminders',
        credentials: { [LOCAL_CREDENTIALS.accessKeyId]: LOCAL_CREDENTIALS.secretAccessKey },
        visibilityTimeoutS: options.queueVisibilityTimeoutS ?? 30,
        maxReceiveCount: MAIL_RATE.maxReceiveCount,
        // As the queue's redrive policy: parked with the dead letters, replayed into the queue.
        onDeadLetter: (body, receiveCount) => {
          appendFileSync(deadLetterFile, JSON.stringify({ function: 'mail-sender', queue: true, at: new Date().toISOString(), attempts: receiveCount, errors: [], event: JSON.parse(body) }) + '\n', { mode: 0o600 });
          log(`[sqs] a reminder job was received ${receiveCount} times: moved to ${deadLetterFile}`);
        },
      }),
    ]);
    started.forEach((r, i) => {
      // DynamoDB may be restarted (restartDynamo): stop whichever JVM is current then.
      if (r.status === 'fulfilled') stoppers.push(i === 0 ? () => dynamo.stop() : () => r.value.stop());
    });
    const failed = started.find((r) => r.status === 'rejected') as PromiseRejectedResult | undefined;
    if (failed) throw failed.reason;
    [dynamo, s3, ses, sqs] = started.map((r) => (r as PromiseFulfilledResult<unknown>).value) as [DynamoLocal, S3Local, SesLocal, typeof sqs];
    await createTable(dynamo.endpoint, NAMES.table, { ifMissing: !!options.dynamoDbPath });
  } catch (error) {
    await stopAll();
    throw error;
  }

  // Every start is empty, its dead letters included (the file stays after a stop, for a look).
  rmSync(deadLetterFile, { force: true });
  const lambda = new LocalLambda(deadLetterFile, log, options.retryDelaysMs);
  const readDeadLetters = (): Array<{ function: string; queue?: boolean; event: unknown; attempts: number; errors: string[] }> =>
    existsSync(deadLetterFile)
      ? readFileSync(deadLetterFile, 'utf8')
          .split('\n')
          .filter((l) => l.trim())
          .map((l) => JSON.parse(l))
      : [];
  try {
    for (const name of FUNCTIONS) lambda.register(name, loadHandler(name));
  } catch (error) {
    await stopAll();
    throw error;
  }
  // On stop: after the API closes, let in-flight asynchronous work finish (bounded), then the emulators go.
  stoppers.push(() => Promise.race([lambda.idle(), new Promise<void>((r) => setTimeout(r, 10000).unref())]));

  // The reminder queue → mail-sender, as the stack's event source mapping (batches, maximum concurrency).
  const mailSenders = pollQueue(sqs.queue, REGION, { batchSize: MAIL_RATE.batchSize, maxConcurrency: mailRate.senders }, (event) => lambda.invoke('mail-sender', event), log);
  stoppers.push(() => mailSenders.stop());
  /** No asynchronous invocation queued or running, and the reminder queue empty. */
  const allIdle = async () => {
    do {
      await lambda.idle();
      await mailSenders.idle();
    } while (lambda.stats.inflight > 0 || mailSenders.busy);
  };

  // S3 → process-submission, like the stack's notification: ObjectCreated:* on incoming/ only.
  const lastEventByKey = new Map<string, S3Event>();
  const delivered = { events: 0 };
  s3.events.on('created', (created: ObjectCreated) => {
    if (created.bucket !== NAMES.incoming || !created.key.startsWith(INCOMING_PREFIX)) return;
    const event = s3EventFor(created, REGION);
    lastEventByKey.set(created.key, event);
    delivered.events++;
    lambda.invokeAsync('process-submission', event);
  });

  // The built pages (what the stack deploys), else the sources when they are plain files.
  const webDirNow = () => [join(PROJECT_ROOT, 'web', 'dist'), join(PROJECT_ROOT, 'web')].find((d) => existsSync(d));
  const s3Internal = `http://127.0.0.1:${s3InternalPort}`;

  const serveArchive = (res: ServerResponse, rest: string) => {
    let key = rest.replace(/^\/+/, '');
    try {
      key = decodeURIComponent(key);
    } catch {
      return writeJson(res, 400, { error: '地址不正确' });
    }
    // Only keys under public/: no dot segments, backslashes or NULs that a store might resolve elsewhere.
    if (key.split('/').some((seg) => seg === '..' || seg === '.') || /[\\\0]/.test(key)) return writeJson(res, 404, { error: '未找到该公开文件' });
    if (key === '' || key.endsWith('/')) key += 'index.html';
    const target = `${s3Internal}/${NAMES.archive}/${(PUBLIC_PREFIX + key).split('/').map(encodeURIComponent).join('/')}`;
    const up = httpRequest(target, (r) => {
      if (r.statusCode !== 200) {
        r.resume();
        return writeJson(res, 404, { error: '未找到该公开文件' });
      }
      // The same headers as the stack's CloudFront behaviours (shared/security-headers.ts): an office's
      // original is a download under a neutral type whatever its extension; every page is sandboxed.
      const original = isOriginalKey(key);
      const kind: HeaderKind = original ? 'archiveOriginal' : extname(key) === '.pdf' ? 'archivePdf' : 'archive';
      const type = original ? ORIGINAL_CONTENT_TYPE : (MIME[extname(key)] ?? r.headers['content-type'] ?? 'application/octet-stream');
      const headers: Record<string, string> = { ...CORS_HEADERS, ...securityHeaders(kind), 'content-type': type, 'content-length': r.headers['content-length'] ?? '' };
      if (original && typeof r.headers['content-disposition'] === 'string' && /^attachment\b/.test(r.headers['content-disposition'])) {
        headers['content-disposition'] = r.headers['content-disposition'];
      }
      res.writeHead(200, headers);
      r.pipe(res);
    });
    up.on('error', () => writeJson(res, 502, { error: '本地存储不可用' }));
    up.end();
  };

  const serveWeb = (res: ServerResponse, path: string, search = ''): boolean => {
    const webDir = webDirNow();
    if (!webDir) return false;
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return false;
    }
    let file = resolve(webDir, '.' + decoded);
    if (file !== webDir && !file.startsWith(webDir + sep)) return false;
    if (existsSync(file) && statSync(file).isDirectory()) {
      if (!path.endsWith('/')) {
        // Like a static site: /upload → /upload/ so the page's relative links resolve.
        res.writeHead(301, { location: `${path}/${search}` });
        res.end();
        return true;
      }
      file = join(file, 'index.html');
    }
    if (!existsSync(file) || !statSync(file).isFile() || extname(file) === '.ts') return false;
    const body = readFileSync(file);
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream', 'content-length': String(body.length) });
    res.end(body);
    return true;
  };

  const localState = () => ({
    lambda: lambda.stats,
    s3Events: delivered.events,
    refusedUploads: s3.refused,
    mail: { queued: sqs.queue.size, queue: sqs.queue.stats, ses: ses.stats },
  });

  const adminDigest = createHash('sha256').update(`Bearer ${base.adminSecret}`).digest();
  const isAdmin = (req: IncomingMessage) =>
    timingSafeEqual(createHash('sha256').update(String(req.headers.authorization ?? '')).digest(), adminDigest);

  const handleLocal = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    // Local-only administration: the admin secret of endpoints.json, never a bare (cross-site) POST.
    if (!isAdmin(req)) return writeJson(res, 401, { error: '本地管理接口需要 endpoints.json 中的 adminSecret（Authorization: Bearer …）' });
    if (path === '/_local/state' && req.method === 'GET') {
      return writeJson(res, 200, localState());
    }
    if (path === '/_local/idle' && req.method === 'GET') {
      // Waits until no asynchronous invocation is queued or running (retries included), nor any queued e-mail.
      await Promise.race([allIdle(), new Promise((r) => setTimeout(r, 60000).unref())]);
      return writeJson(res, 200, localState());
    }
    const body = await readBody(req, MAX_API_BODY);
    let input: Record<string, unknown>;
    try {
      input = body && body.length ? JSON.parse(body.toString('utf8')) : {};
    } catch {
      return writeJson(res, 400, { error: '请求体不是合法的 JSON' });
    }
    if (path === '/_local/tick' && req.method === 'POST') {
      // What the daily schedule does, on demand (optionally "as if" at another time).
      const result = await lambda.invoke('send-reminders', typeof input.time === 'string' ? { time: input.time } : {});
      return writeJson(res, 200, result ?? {});
    }
    if (path === '/_local/s3/redeliver' && req.method === 'POST') {
      // S3 delivers at least once: send the same notification again (same sequencer), n times at once.
      const event = typeof input.key === 'string' ? lastEventByKey.get(input.key) : undefined;
      if (!event) return writeJson(res, 404, { error: '没有这个对象的事件' });
      const copies = Math.min(Math.max(Number(input.copies ?? 1) || 1, 1), 10);
      for (let i = 0; i < copies; i++) lambda.invokeAsync('process-submission', event);
      return writeJson(res, 202, { redelivered: copies, event });
    }
    if (path === '/_local/reconcile' && req.method === 'POST') {
      // The daily reconciliation sweep, now. A failed object makes the function throw: answered 500 with
      // the error, as the scheduler would see it.
      const event: Record<string, unknown> = {};
      if (Number.isInteger(input.year)) event.year = input.year;
      if (typeof input.minAgeSeconds === 'number') event.minAgeSeconds = input.minAgeSeconds;
      try {
        return writeJson(res, 200, (await lambda.invoke('reconcile', event)) ?? {});
      } catch (error) {
        const e = error as Error;
        return writeJson(res, 500, { errorType: e.name, errorMessage: e.message });
      }
    }
    if (path === '/_local/dead-letters' && req.method === 'GET') {
      return writeJson(res, 200, { deadLetters: readDeadLetters() });
    }
    if (path === '/_local/dead-letters/replay' && req.method === 'POST') {
      // Like redriving the dead-letter queue: each parked event is invoked again (asynchronously, with
      // its retries); the file starts over, so what fails again lands there again.
      const letters = readDeadLetters();
      rmSync(deadLetterFile, { force: true });
      for (const l of letters) {
        if (l.queue) sqs.queue.send(JSON.stringify(l.event));
        else lambda.invokeAsync(l.function, l.event);
      }
      return writeJson(res, 202, { replayed: letters.length });
    }
    if (path === '/_local/faults/dynamodb/restart' && req.method === 'POST') {
      return writeJson(res, 200, await restartDynamo());
    }
    if (path === '/_local/faults/s3/crash' && req.method === 'POST') {
      await s3.crash();
      return writeJson(res, 200, { s3: 'down' });
    }
    if (path === '/_local/faults/s3/restart' && req.method === 'POST') {
      await s3.restart();
      return writeJson(res, 200, { s3: 'up' });
    }
    if (path === '/_local/faults/ses/throttle' && req.method === 'POST') {
      // SES refuses every SendEmail for this long (TooManyRequestsException), as when its rate is used up.
      const seconds = Number(input.seconds ?? 0);
      if (!(seconds > 0 && seconds <= 600)) return writeJson(res, 400, { error: 'seconds 应为 0 到 600 之间的数' });
      ses.throttleFor(seconds * 1000);
      return writeJson(res, 200, { ses: 'throttling', seconds });
    }
    if (path === '/_local/s3/skew' && req.method === 'POST') {
      // The upload verifier's clock, shifted for keys under a prefix (0 removes the shift).
      const prefix = typeof input.prefix === 'string' ? input.prefix : '';
      const seconds = Number(input.seconds ?? 0);
      if (!prefix.startsWith(INCOMING_PREFIX) || !Number.isFinite(seconds)) return writeJson(res, 400, { error: 'prefix 应以 incoming/ 开头，seconds 应为数字' });
      if (seconds) s3.skewMs.set(prefix, seconds * 1000);
      else s3.skewMs.delete(prefix);
      return writeJson(res, 200, { prefix, seconds });
    }
    return writeJson(res, 404, { error: '未知的本地管理接口' });
  };

  // The Lambda Invoke API (what @aws-sdk/client-lambda calls), so the AWS adapter runs unchanged.
  const handleInvoke = async (req: IncomingMessage, res: ServerResponse, rawName: string) => {
    const name = functionNameOf(rawName);
    if (!lambda.has(name)) {
      res.writeHead(404, { 'content-type': 'application/json', 'x-amzn-errortype': 'ResourceNotFoundException' });
      return res.end(JSON.stringify({ Type: 'User', message: `Function not found: ${name}` }));
    }
    const body = await readBody(req, 6 * 1024 * 1024);
    // As Lambda: only a request signed (SigV4) with the local credentials invokes anything.
    const url = new URL(req.url ?? '/', 'http://local');
    const auth = verifySigV4(
      { method: req.method ?? 'POST', path: url.pathname, query: url.searchParams, headers: req.headers, body: body ?? Buffer.alloc(0) },
      (id) => (id === LOCAL_CREDENTIALS.accessKeyId ? LOCAL_CREDENTIALS.secretAccessKey : undefined),
      { service: 'lambda' },
    );
    if (!auth.ok) {
      res.writeHead(403, { 'content-type': 'application/json', 'x-amzn-errortype': 'InvalidSignatureException' });
      return res.end(JSON.stringify({ message: auth.reason }));
    }
    let payload: unknown;
    try {
      payload = body && body.length ? JSON.parse(body.toString('utf8')) : {};
    } catch {
      res.writeHead(400, { 'content-type': 'application/json', 'x-amzn-errortype': 'InvalidRequestContentException' });
      return res.end(JSON.stringify({ Type: 'User', message: 'Could not parse request body into json' }));
    }
    const type = String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse');
    if (type === 'Event') {
      lambda.invokeAsync(name, payload);
      res.writeHead(202, { 'x-amzn-requestid': randomBytes(8).toString('hex') });
      return res.end();
    }
    if (type === 'DryRun') {
      res.writeHead(204);
      return res.end();
    }
    try {
      const result = await lambda.invoke(name, payload);
      res.writeHead(200, { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST' });
      res.end(JSON.stringify(result ?? null));
    } catch (error) {
      const e = error as Error;
      res.writeHead(200, { 'content-type': 'application/json', 'x-amz-function-error': 'Unhandled' });
      res.end(JSON.stringify({ errorType: e.name ?? 'Error', errorMessage: e.message ?? String(error) }));
    }
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', api);
      const path = url.pathname;
      const method = (req.method ?? 'GET').toUpperCase();
      // Security headers as CloudFront adds them; the archive sets its own (serveArchive).
      const isApi = API_PATH_PREFIXES.some((p) => path === p || path.startsWith(p + '/')) || path.startsWith('/_local/') || path === '/config.json';
      for (const [k, v] of Object.entries(securityHeaders(isApi ? 'api' : 'pages', [base.s3]))) res.setHeader(k, v);
      const invoke = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(path);
      if (invoke && method === 'POST') return handleInvoke(req, res, invoke[1]);
      if (path.startsWith('/_local/')) return handleLocal(req, res, path);
      if (method === 'OPTIONS' && req.headers.origin && req.headers['access-control-request-method']) return preflight(res);
      if ((path === '/archive' || path.startsWith('/archive/')) && (method === 'GET' || method === 'HEAD')) {
        return serveArchive(res, path.slice('/archive'.length));
      }
      const match = matchRoute(ROUTES, method, path);
      const fn = match?.route.fn ?? (API_PATH_PREFIXES.some((p) => path === p || path.startsWith(p + '/')) ? 'api' : null);
      if (!fn) {
        if (method === 'GET' && path === '/config.json') {
          // What the stack deploys next to the pages: where the API and the public record are.
          return writeJson(res, 200, { apiUrl: api, publicBaseUrl: base.archive });
        }
        if (method === 'GET' && serveWeb(res, path === '/' ? '/index.html' : path, url.search)) return;
        if (method === 'GET' && path === '/') return writeJson(res, 200, { api, mailbox: base.mailbox, archive: base.archive });
        return writeJson(res, 404, { message: 'Not Found' });
      }
      const body = await readBody(req, MAX_API_BODY);
      if (!body) return writeJson(res, 413, { message: 'Request Entity Too Large' });
      try {
        const result = await lambda.invoke(fn, toEvent(req, body, match, url));
        writeResult(res, result);
      } catch (error) {
        // API Gateway hides the function's error behind a 500.
        log(`[api] ${fn} threw: ${(error as Error)?.stack ?? String(error)}`);
        writeJson(res, 500, { message: 'Internal Server Error' });
      }
    })().catch((error) => {
      log(`[local] request failed: ${String(error)}`);
      if (!res.headersSent) writeJson(res, 500, { message: 'Internal Server Error' });
      else res.destroy();
    });
  });
  try {
    await listen(server, apiPort);
  } catch (error) {
    await stopAll();
    throw error;
  }
  stoppers.push(async () => {
    const closed = new Promise<void>((r) => server.close(() => r()));
    server.closeAllConnections();
    await closed;
  });

  const timers: NodeJS.Timeout[] = [];
  if (options.scheduler) {
    // As the stack's two schedules: the reconciliation sweep at 08:30, the reminders at 09:00 (Asia/Shanghai).
    const schedule = (fn: string, offsetMs: number) => {
      const delay = nextDailyTick(new Date(Date.now() + offsetMs)).getTime() - offsetMs - Date.now();
      const timer = setTimeout(() => {
        lambda.invoke(fn, {}).catch((e) => log(`[scheduler] ${fn} failed: ${String(e)}`));
        schedule(fn, offsetMs);
      }, delay);
      timer.unref();
      timers.push(timer);
    };
    schedule('reconcile', 30 * 60_000);
    schedule('send-reminders', 0);
    stoppers.push(async () => timers.forEach((t) => clearTimeout(t)));
  }

  const endpoints: Endpoints = {
    ...base,
    deadLetterFile,
    pids: { runtime: process.pid, dynamodb: dynamo.pid },
    startedAt: new Date().toISOString(),
  };
  const endpointsFile = join(stateDir, 'endpoints.json');
  // Holds the coordinator token and the admin secret: readable by its owner only.
  // Written whole, then renamed: a reader waiting for the file never sees half of it.
  const writeEndpoints = () => {
    const partial = `${endpointsFile}.${process.pid}.tmp`;
    writeFileSync(partial, JSON.stringify(endpoints, null, 2) + '\n', { mode: 0o600 });
    chmodSync(partial, 0o600);
    renameSync(partial, endpointsFile);
  };
  writeEndpoints();
  restartDynamoImpl = async () => {
    if (dynamo.running()) throw new Error(`DynamoDB Local (pid ${dynamo.pid}) is still running`);
    dynamo = await startDynamo(dynamoPort, undefined, dynamoOptions);
    await createTable(dynamo.endpoint, NAMES.table, { ifMissing: true });
    endpoints.pids.dynamodb = dynamo.pid;
    writeEndpoints();
    log(`[local] DynamoDB Local restarted on port ${dynamoPort} (pid ${dynamo.pid})`);
    return { pid: dynamo.pid };
  };
  stoppers.unshift(async () => rmSync(endpointsFile, { force: true }));

  let stopping: Promise<void> | null = null;
  return {
    endpoints,
    endpointsFile,
    lambda,
    s3,
    mail: { queue: sqs.queue, ses, idle: allIdle },
    restartDynamo,
    stop: () => (stopping ??= stopAll()),
  };
}
