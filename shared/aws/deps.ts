/**
 * The cycle's dependencies for a Lambda container, from the environment (ENV in shared/resources.ts).
 * A resource a function has not been given fails when used, naming the variable, not at start-up: the
 * API function, for instance, has no incoming bucket.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { defaultChecker } from '../cycle/checker';
import type { CycleDeps } from '../cycle/deps';
import type { ArchiveTrigger, FileStore, Mailer } from '../cycle/ports';
import { systemClock } from '../cycle/ports';
import { ENV } from '../resources';
import { dynamoClient, lambdaClient, requireEnv, s3Client, sesClient } from './clients';
import { DynamoRepository } from './dynamo-repository';
import { LambdaArchiveTrigger } from './lambda-archive-trigger';
import { S3FileStore } from './s3-store';
import { SesMailer } from './ses-mailer';

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'nianbao' });

function unconfigured<T extends object>(variable: string): T {
  return new Proxy({} as T, {
    get: () => () => Promise.reject(new Error(`environment variable ${variable} is not set`)),
  });
}

let cached: CycleDeps | undefined;

export function depsFromEnv(): CycleDeps {
  if (cached) return cached;
  const env = process.env;
  const store = (variable: string): FileStore | undefined => (env[variable] ? new S3FileStore(s3Client(), env[variable]!) : undefined);
  const archiveFunction = env[ENV.archiveFunction];
  const archiveTrigger: ArchiveTrigger = archiveFunction
    ? new LambdaArchiveTrigger(lambdaClient(), archiveFunction)
    : {
        requestArchive: async (ref) => logger.warn('no archive function configured; archive skipped', { ...ref }),
      };
  cached = {
    repo: new DynamoRepository(dynamoClient(), requireEnv(ENV.table)),
    incoming: store(ENV.incomingBucket) ?? unconfigured<FileStore>(ENV.incomingBucket),
    archive: store(ENV.archiveBucket),
    mailer: env[ENV.mailFrom] ? new SesMailer(sesClient(), env[ENV.mailFrom]!, env[ENV.configurationSet]) : unconfigured<Mailer>(ENV.mailFrom),
    clock: systemClock,
    checker: defaultChecker,
    archiveTrigger,
    coordinatorTokenSha256: env[ENV.coordinatorTokenSha256] ?? null,
    publicBaseUrl: env[ENV.publicBaseUrl] ?? null,
    log: (level, message, data) => logger[level](message, { ...data }),
  };
  return cached;
}

/** For tests and the local runtime when the environment changes between runs. */
export function resetDepsCache(): void {
  cached = undefined;
}
