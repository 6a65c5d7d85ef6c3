/**
 * The cycle's dependencies for a Lambda container, from the environment (ENV in shared/resources.ts).
 * A resource a function has not been given fails when used, naming the variable, not at start-up: the
 * API function, for instance, has no incoming bucket.
 *
 * Adapters are built on first use and their SDK packages loaded then (see clients.ts), and the report
 * checker (readers, parser, rules) is only in the functions that pass one: a function loads what it calls,
 * which is what its cold start costs (bench/README.md).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import type { ReportChecker } from '../cycle/checker';
import type { CycleDeps } from '../cycle/deps';
import type { ArchiveTrigger, CycleRepository, FileStore, Mailer } from '../cycle/ports';
import { systemClock } from '../cycle/ports';
import { ENV } from '../resources';
import { requireEnv } from './clients';
import { count, logger } from './observe';

export { logger };

function unconfigured<T extends object>(variable: string): T {
  return new Proxy({} as T, {
    get: () => () => Promise.reject(new Error(`environment variable ${variable} is not set`)),
  });
}

/** The adapter `make` returns, built (and its SDK package loaded) when a member is first used. */
function lazy<T extends object>(make: () => T): T {
  let instance: T | undefined;
  return new Proxy({} as T, {
    get: (_, prop) => {
      instance ??= make();
      const v = Reflect.get(instance, prop, instance) as unknown;
      return typeof v === 'function' ? v.bind(instance) : v;
    },
  });
}

/** The checker of a function that never reads reports: using it is a wiring mistake, said so. */
const noChecker: ReportChecker = () => Promise.reject(new Error('this function reads no reports: pass a ReportChecker to depsFromEnv'));

let cached: CycleDeps | undefined;

function build(): CycleDeps {
  const env = process.env;
  const store = (variable: string): FileStore | undefined => {
    const bucket = env[variable];
    if (!bucket) return undefined;
    return lazy(() => new (require('./s3-store') as typeof import('./s3-store')).S3FileStore(require('./clients').s3Client(), bucket));
  };
  const archiveFunction = env[ENV.archiveFunction];
  const archiveTrigger: ArchiveTrigger = archiveFunction
    ? lazy(() => new (require('./lambda-archive-trigger') as typeof import('./lambda-archive-trigger')).LambdaArchiveTrigger(require('./clients').lambdaClient(), archiveFunction))
    : {
        requestArchive: async (ref) => logger.warn('no archive function configured; archive skipped', { ...ref }),
      };
  const queueUrl = env[ENV.reminderQueueUrl];
  const table = requireEnv(ENV.table);
  const mailFrom = env[ENV.mailFrom];
  return {
    repo: lazy<CycleRepository>(() => new (require('./dynamo-repository') as typeof import('./dynamo-repository')).DynamoRepository(require('./clients').dynamoClient(), table)),
    incoming: store(ENV.incomingBucket) ?? unconfigured<FileStore>(ENV.incomingBucket),
    archive: store(ENV.archiveBucket),
    mailer: mailFrom
      ? lazy<Mailer>(() => new (require('./ses-mailer') as typeof import('./ses-mailer')).SesMailer(require('./clients').sesClient(), mailFrom, env[ENV.configurationSet]))
      : unconfigured<Mailer>(ENV.mailFrom),
    emails: lazy(() => (require('../render/email') as typeof import('../render/email')).emailWriter),
    clock: systemClock,
    checker: noChecker,
    archiveTrigger,
    reminderQueue: queueUrl ? lazy(() => new (require('./sqs-queue') as typeof import('./sqs-queue')).SqsReminderQueue(require('./clients').sqsClient(), queueUrl)) : undefined,
    coordinatorTokenSha256: env[ENV.coordinatorTokenSha256] ?? null,
    publicBaseUrl: env[ENV.publicBaseUrl] ?? null,
    log: (level, message, data) => logger[level](message, { ...data }),
    count,
  };
}

/**
 * The container's dependencies. Functions that read reports pass the checker (process-submission and
 * reconcile the real one; api a lazy one, for /validate only).
 */
export function depsFromEnv(checker?: ReportChecker): CycleDeps {
  cached ??= build();
  return checker ? { ...cached, checker } : cached;
}

/** For tests and the local runtime when the environment changes between runs. */
export function resetDepsCache(): void {
  cached = undefined;
}
