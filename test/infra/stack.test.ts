/**
 * Template assertions on the synthesized NianbaoStack. The stack is synthesized once, with the real
 * handlers bundled by the local esbuild; cheaper variants (bundling skipped) check context handling.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vm from 'vm';
import type { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { FONT_PATH_ENV as RENDER_FONT_PATH_ENV } from '../../shared/render/font';
import { ENV, INCOMING_PREFIX, ORIGIN_VERIFY_HEADER, PUBLIC_PREFIX, TABLE_DEFINITION } from '../../shared/resources';
import { API_PATH_PREFIXES } from '../../functions/routes';
import { FONT_PATH_ENV, PDF_FONT_FILE, PROJECT_ROOT } from '../../infra/constructs/handler';
import { ARCHIVE_REWRITE_CODE } from '../../infra/constructs/public-record';
import { figure } from '../figures';
import { fakeWebDist, removeSynthOutputs, synthStack } from './synth';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- CloudFormation JSON, read by path
type Json = Record<string, any>;

// A `docker` that records any call: bundling must use the local esbuild, never a Docker fallback.
const dockerStub = fs.mkdtempSync(path.join(os.tmpdir(), 'nianbao-nodocker-'));
const dockerCalls = path.join(dockerStub, 'calls.log');
fs.writeFileSync(path.join(dockerStub, 'docker'), `#!/bin/sh\necho "$@" >> "${dockerCalls}"\nexit 1\n`, { mode: 0o755 });
const originalPath = process.env.PATH;
process.env.PATH = `${dockerStub}${path.delimiter}${originalPath}`;

const TOKEN_HASH = 'ab'.repeat(32);
const stack = synthStack({
  context: {
    mailFrom: 'nianbao@mail.example.gov.cn',
    domain: 'example.gov.cn',
    webAssetsPath: fakeWebDist(),
    coordinatorTokenSha256: TOKEN_HASH,
  },
});
const template = Template.fromStack(stack);
const json = template.toJSON() as Json;
process.env.PATH = originalPath;

afterAll(() => {
  removeSynthOutputs();
  fs.rmSync(dockerStub, { recursive: true, force: true });
});
const resources = Object.entries(json.Resources as Record<string, Json>);
const ofType = (type: string) => resources.filter(([, r]) => r.Type === type);

const FUNCTION_PATHS = {
  api: 'Intake/Api',
  'issue-upload': 'Intake/IssueUpload',
  'process-submission': 'Processing/ProcessSubmission',
  archive: 'PublicRecord/Archive',
  'send-reminders': 'Reminders/SendReminders',
  'mail-sender': 'Reminders/MailSender',
  'ses-events': 'Mail/SesEvents',
  reconcile: 'Reconciliation/Reconcile',
} as const;

/** Logical id of the function built from functions/<name>/handler.ts. */
function functionId(name: keyof typeof FUNCTION_PATHS): string {
  const found = ofType('AWS::Lambda::Function').find(
    ([, r]) => r.Metadata?.['aws:cdk:path'] === `NianbaoStack/${FUNCTION_PATHS[name]}/Fn/Resource`,
  );
  if (!found) throw new Error(`no function for ${name}`);
  return found[0];
}

const FUNCTIONS = ['api', 'issue-upload', 'process-submission', 'archive', 'send-reminders', 'mail-sender', 'ses-events', 'reconcile'] as const;

const refersTo = (value: unknown, logicalId: string) => JSON.stringify(value).includes(`"${logicalId}"`);

describe('buckets', () => {
  const buckets = ofType('AWS::S3::Bucket');
  const policies = ofType('AWS::S3::BucketPolicy');

  test('there are exactly the four buckets: access logs, incoming, archive, web assets', () => {
    expect(buckets.map(([id]) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual(
      ['PublicRecordWebAssets', 'StorageAccessLogs', 'StorageArchive', 'StorageIncoming'].sort(),
    );
  });

  test.each(buckets.map(([id]) => id))('%s: encrypted, public access blocked, TLS-only', (id) => {
    const props = json.Resources[id].Properties;
    expect(props.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('AES256');
    expect(props.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    const policy = policies.find(([, p]) => refersTo(p.Properties.Bucket, id));
    expect(policy).toBeDefined();
    const denyInsecure = policy![1].Properties.PolicyDocument.Statement.find(
      (s: Json) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false',
    );
    expect(denyInsecure).toBeDefined();
    expect(denyInsecure.Action).toBe('s3:*');
  });

  test('incoming: versioned, old uploads expire, server access logs, CORS for the presigned POST from the site', () => {
    const [id, incoming] = buckets.find(([id]) => id.startsWith('StorageIncoming'))!;
    const p = incoming.Properties;
    expect(p.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    const rule = p.LifecycleConfiguration.Rules.find((r: Json) => r.Prefix === INCOMING_PREFIX);
    expect(rule.ExpirationInDays).toBeGreaterThan(0);
    expect(rule.Status).toBe('Enabled');
    expect(p.LoggingConfiguration.DestinationBucketName).toBeDefined();
    const cors = p.CorsConfiguration.CorsRules;
    expect(cors).toHaveLength(1);
    expect(cors[0].AllowedMethods).toEqual(['POST']);
    // The site's own origin (the CloudFront domain) is allowed.
    expect(JSON.stringify(cors[0].AllowedOrigins)).toContain('DomainName');
    expect(id).toBeTruthy();
  });
});

describe('archive and log retention (issue 13.6)', () => {
  const bucket = (prefix: string) => ofType('AWS::S3::Bucket').find(([id]) => id.startsWith(prefix))![1].Properties;

  test('the archive bucket has S3 Object Lock in governance mode with a long default retention', () => {
    const archive = bucket('StorageArchive');
    expect(archive.ObjectLockEnabled).toBe(true);
    const retention = archive.ObjectLockConfiguration.Rule.DefaultRetention;
    expect(archive.ObjectLockConfiguration.ObjectLockEnabled).toBe('Enabled');
    expect(retention.Mode).toBe('GOVERNANCE');
    expect((retention.Days ?? 0) + (retention.Years ?? 0) * 365).toBeGreaterThanOrEqual(3650);
    expect(archive.VersioningConfiguration.Status).toBe('Enabled');
  });

  test('the access-log bucket is versioned', () => {
    expect(bucket('StorageAccessLogs').VersioningConfiguration.Status).toBe('Enabled');
  });
});

describe('table', () => {
  test('keys and the GSI are those of TABLE_DEFINITION; on-demand, PITR, encrypted', () => {
    const tables = ofType('AWS::DynamoDB::Table');
    expect(tables).toHaveLength(1);
    const p = tables[0][1].Properties;
    // Once-only claims expire (shared/aws/dynamo-repository.ts writes the attribute).
    expect(p.TimeToLiveSpecification).toEqual({ AttributeName: TABLE_DEFINITION.timeToLive, Enabled: true });
    expect(p.KeySchema).toEqual([
      { AttributeName: TABLE_DEFINITION.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE_DEFINITION.sortKey, KeyType: 'RANGE' },
    ]);
    expect(p.GlobalSecondaryIndexes).toHaveLength(TABLE_DEFINITION.indexes.length);
    for (const index of TABLE_DEFINITION.indexes) {
      const gsi = p.GlobalSecondaryIndexes.find((g: Json) => g.IndexName === index.name);
      expect(gsi.KeySchema).toEqual([
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ]);
      expect(gsi.Projection).toEqual({ ProjectionType: 'ALL' });
    }
    const attrs = Object.fromEntries(p.AttributeDefinitions.map((a: Json) => [a.AttributeName, a.AttributeType]));
    expect(attrs).toEqual({ pk: 'S', sk: 'S', gsi1pk: 'S', gsi1sk: 'S' });
    expect(p.BillingMode).toBe('PAY_PER_REQUEST');
    expect(p.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(p.SSESpecification).toEqual({ SSEEnabled: true });
    expect(tables[0][1].DeletionPolicy).toBe('Retain');
  });
});

describe('functions', () => {
  const table = ofType('AWS::DynamoDB::Table')[0][0];
  const bucket = (prefix: string) => ofType('AWS::S3::Bucket').find(([id]) => id.startsWith(prefix))![0];
  const incoming = bucket('StorageIncoming');
  const archive = bucket('StorageArchive');
  const envOf = (name: keyof typeof FUNCTION_PATHS) => json.Resources[functionId(name)].Properties.Environment.Variables as Json;

  test.each(FUNCTIONS)('%s: nodejs22.x on arm64, handler index.handler, log retention set', (name) => {
    const p = json.Resources[functionId(name)].Properties;
    expect(p.Runtime).toBe('nodejs22.x');
    expect(p.Architectures).toEqual(['arm64']);
    expect(p.Handler).toBe('index.handler');
    const logGroup = ofType('AWS::Logs::LogGroup').find(([id]) => refersTo(p.LoggingConfig, id));
    expect(logGroup).toBeDefined();
    expect(logGroup![1].Properties.RetentionInDays).toBeGreaterThan(0);
    expect(envOf(name)[ENV.table]).toEqual({ Ref: table });
  });

  test('every log group has a retention', () => {
    const groups = ofType('AWS::Logs::LogGroup');
    expect(groups.length).toBeGreaterThanOrEqual(FUNCTIONS.length + 1);
    for (const [, g] of groups) expect(g.Properties.RetentionInDays).toBeGreaterThan(0);
  });

  test('resource names reach the functions as the env vars of shared/resources.ts, and only where needed', () => {
    const names = (name: keyof typeof FUNCTION_PATHS) => Object.keys(envOf(name)).filter((k) => (Object.values(ENV) as string[]).includes(k)).sort();
    const sorted = (...keys: string[]) => keys.sort();
    expect(names('issue-upload')).toEqual(sorted(ENV.table, ENV.incomingBucket, ENV.originVerify));
    expect(names('api')).toEqual(
      sorted(ENV.table, ENV.archiveBucket, ENV.archiveFunction, ENV.publicBaseUrl, ENV.mailFrom, ENV.configurationSet, ENV.coordinatorTokenSha256, ENV.originVerify, ENV.reminderQueueUrl),
    );
    expect(names('process-submission')).toEqual(
      sorted(ENV.table, ENV.incomingBucket, ENV.archiveBucket, ENV.archiveFunction, ENV.publicBaseUrl, ENV.mailFrom, ENV.configurationSet),
    );
    // With autoPublish the archive step publishes and sends the publication e-mail.
    expect(names('archive')).toEqual(sorted(ENV.table, ENV.incomingBucket, ENV.archiveBucket, ENV.publicBaseUrl, ENV.mailFrom, ENV.configurationSet));
    // The daily run only queues; mail-sender sends.
    expect(names('send-reminders')).toEqual(sorted(ENV.table, ENV.reminderQueueUrl));
    expect(names('mail-sender')).toEqual(sorted(ENV.table, ENV.publicBaseUrl, ENV.mailFrom, ENV.configurationSet, ENV.reminderQueueUrl, ENV.mailRate, ENV.mailSenders));
    expect(names('ses-events')).toEqual(sorted(ENV.table, ENV.mailFrom, ENV.configurationSet));
    // The sweep processes what it finds exactly as process-submission does.
    expect(names('reconcile')).toEqual(names('process-submission'));

    expect(envOf('issue-upload')[ENV.incomingBucket]).toEqual({ Ref: incoming });
    expect(envOf('archive')[ENV.archiveBucket]).toEqual({ Ref: archive });
    // the API reads the parsed reports for the 本级 report (GET /cycles/{year}/aggregate)
    expect(envOf('api')[ENV.archiveBucket]).toEqual({ Ref: archive });
    expect(envOf('api')[ENV.archiveFunction]).toEqual({ Ref: functionId('archive') });
    expect(envOf('process-submission')[ENV.archiveFunction]).toEqual({ Ref: functionId('archive') });
    expect(envOf('api')[ENV.mailFrom]).toBe('nianbao@mail.example.gov.cn');
    expect(envOf('api')[ENV.coordinatorTokenSha256]).toBe(TOKEN_HASH);
    // PUBLIC_BASE_URL is the distribution's /archive, the URL of the archive bucket's public/ prefix.
    expect(JSON.stringify(envOf('archive')[ENV.publicBaseUrl])).toMatch(/"https:\/\/",\{"Fn::GetAtt":\["PublicRecordSite[0-9A-F]{8}","DomainName"\]\},"\/archive"/);
  });

  test('the font path env var is the one shared/render/font.ts reads', () => {
    expect(FONT_PATH_ENV).toBe(RENDER_FONT_PATH_ENV);
    expect(envOf('archive')[FONT_PATH_ENV]).toBe(`/var/task/${PDF_FONT_FILE}`);
  });

  test('every asynchronously invoked function has retries and the dead-letter queue as on-failure destination', () => {
    const queue = ofType('AWS::SQS::Queue')[0][0];
    // S3 → process-submission, Lambda Invoke (Event) → archive, SNS → ses-events, Scheduler → send-reminders
    // and reconcile: all asynchronous invocations, whose failures after the retries would otherwise vanish.
    for (const name of ['process-submission', 'archive', 'ses-events', 'send-reminders', 'reconcile'] as const) {
      const config = ofType('AWS::Lambda::EventInvokeConfig').find(([, r]) => refersTo(r.Properties.FunctionName, functionId(name)));
      expect(config).toBeDefined();
      expect(config![1].Properties.MaximumRetryAttempts).toBe(2);
      expect(config![1].Properties.DestinationConfig.OnFailure.Destination).toEqual({ 'Fn::GetAtt': [queue, 'Arn'] });
    }
  });

  test('the archive function may be invoked by api, process-submission and reconcile only', () => {
    const archiveFn = functionId('archive');
    const invokers = ofType('AWS::IAM::Policy')
      .filter(([, p]) =>
        p.Properties.PolicyDocument.Statement.some((s: Json) => [s.Action].flat().includes('lambda:InvokeFunction') && refersTo(s.Resource, archiveFn)),
      )
      .map(([, p]) => JSON.stringify(p.Properties.Roles));
    expect(invokers).toHaveLength(3);
    expect(invokers.join()).toMatch(/IntakeApiRole/);
    expect(invokers.join()).toMatch(/ProcessingProcessSubmissionRole/);
    expect(invokers.join()).toMatch(/ReconciliationReconcileRole/);
  });
});

describe('bundles', () => {
  test('bundled locally with the pinned esbuild; Docker was never called', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the installed copy, not a bundled one
    expect(require('esbuild/package.json').version).toBe('0.25.12');
    expect(fs.existsSync(dockerCalls)).toBe(false);
  });

  const outdir = (stack.node.root as App).outdir;
  const bundleOf = (name: keyof typeof FUNCTION_PATHS) => path.join(outdir, json.Resources[functionId(name)].Metadata['aws:asset:path']);
  // The Lambda runtime provides the AWS SDK v3; everything else must be in the package.
  const runtime = fs.mkdtempSync(path.join(os.tmpdir(), 'nianbao-runtime-'));
  afterAll(() => fs.rmSync(runtime, { recursive: true, force: true }));
  fs.mkdirSync(path.join(runtime, 'node_modules'));
  for (const dep of ['@aws-sdk', '@smithy', '@aws-crypto', '@aws', 'tslib', 'fast-xml-parser', 'strnum', 'bowser']) {
    const from = path.join(PROJECT_ROOT, 'node_modules', dep);
    if (fs.existsSync(from)) fs.symlinkSync(from, path.join(runtime, 'node_modules', dep));
  }

  test.each(FUNCTIONS)('%s: the bundle loads on its own (copied away from the repo) and exports handler', (name) => {
    const task = fs.mkdtempSync(path.join(os.tmpdir(), `nianbao-task-${name}-`));
    fs.cpSync(bundleOf(name), task, { recursive: true });
    const out = execFileSync(
      process.execPath,
      ['-e', "const m = require('./index.js'); process.stdout.write(typeof m.handler)"],
      { cwd: task, env: { PATH: process.env.PATH, NODE_PATH: path.join(runtime, 'node_modules') }, encoding: 'utf8' },
    );
    expect(out).toBe('function');
    const code = fs.readFileSync(path.join(task, 'index.js'), 'utf8');
    // SDK v3 stays external (provided by the runtime), and the source map ships.
    expect(code).toMatch(/require\("@aws-sdk\/client-dynamodb"\)/);
    expect(fs.existsSync(path.join(task, 'index.js.map'))).toBe(true);
    if (code.includes('"unpdf"')) {
      expect(fs.existsSync(path.join(task, 'node_modules/unpdf/dist/pdfjs.mjs'))).toBe(true);
    }
    // Imported on first use (office ids from names): a file beside the bundle, loadable from there.
    if (code.includes('"pinyin-pro"')) {
      expect(execFileSync(process.execPath, ['-e', "process.stdout.write(require('pinyin-pro').pinyin('金城', { toneType: 'none' }))"], { cwd: task, encoding: 'utf8' })).toBe('jin cheng');
    }
    fs.rmSync(task, { recursive: true, force: true });
  });

  test('the archive bundle carries pdfkit data files and the CJK font; others do not carry the font', () => {
    const dir = bundleOf('archive');
    expect(fs.existsSync(path.join(dir, 'data', 'Helvetica.afm'))).toBe(true);
    expect(fs.statSync(path.join(dir, PDF_FONT_FILE)).size).toBeGreaterThan(5_000_000);
    expect(fs.existsSync(path.join(bundleOf('issue-upload'), PDF_FONT_FILE))).toBe(
      fs.readFileSync(path.join(bundleOf('issue-upload'), 'index.js'), 'utf8').includes('Helvetica.afm'),
    );
  });
});

describe('events', () => {
  test('S3 ObjectCreated under the incoming prefix → process-submission', () => {
    const notifications = ofType('Custom::S3BucketNotifications');
    expect(notifications).toHaveLength(1);
    const config = notifications[0][1].Properties.NotificationConfiguration.LambdaFunctionConfigurations;
    expect(config).toHaveLength(1);
    expect(config[0].Events).toEqual(['s3:ObjectCreated:*']);
    expect(config[0].Filter.Key.FilterRules).toEqual([{ Name: 'prefix', Value: INCOMING_PREFIX }]);
    expect(config[0].LambdaFunctionArn).toEqual({ 'Fn::GetAtt': [functionId('process-submission'), 'Arn'] });
    expect(refersTo(notifications[0][1].Properties.BucketName, ofType('AWS::S3::Bucket').find(([id]) => id.startsWith('StorageIncoming'))![0])).toBe(true);
  });

  test.each([
    ['send-reminders', 'cron(0 9 * * ? *)'],
    ['reconcile', 'cron(30 8 * * ? *)'],
  ] as const)('a daily schedule (Asia/Shanghai) → %s at %s, with retries and dead letters', (name, cron) => {
    const schedules = ofType('AWS::Scheduler::Schedule');
    expect(schedules).toHaveLength(2);
    const found = schedules.filter(([, s]) => refersTo(s.Properties.Target.Arn, functionId(name)));
    expect(found).toHaveLength(1);
    const p = found[0][1].Properties;
    expect(p.ScheduleExpression).toBe(cron);
    expect(p.ScheduleExpressionTimezone).toBe('Asia/Shanghai');
    expect(p.State ?? 'ENABLED').toBe('ENABLED');
    expect(p.Target.Arn).toEqual({ 'Fn::GetAtt': [functionId(name), 'Arn'] });
    expect(p.Target.RetryPolicy.MaximumRetryAttempts).toBeGreaterThan(0);
    expect(p.Target.DeadLetterConfig.Arn).toEqual({ 'Fn::GetAtt': [ofType('AWS::SQS::Queue')[0][0], 'Arn'] });
    expect(JSON.parse(p.Target.Input)).toEqual({ time: '<aws.scheduler.scheduled-time>' });
  });

  test('the reconciliation sweep can list the incoming bucket and has time for a whole cycle', () => {
    const fn = json.Resources[functionId('reconcile')].Properties;
    expect(fn.Timeout).toBeGreaterThanOrEqual(600);
    const roleId = fn.Role['Fn::GetAtt'][0];
    const incoming = ofType('AWS::S3::Bucket').find(([id]) => id.startsWith('StorageIncoming'))![0];
    const list = ofType('AWS::IAM::Policy')
      .filter(([, p]) => refersTo(p.Properties.Roles, roleId))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement)
      .filter((st: Json) => [st.Action].flat().some((a: string) => a === 's3:List*' || a === 's3:ListBucket'));
    expect(list.some((st: Json) => [st.Resource].flat().some((r: unknown) => JSON.stringify(r) === JSON.stringify({ 'Fn::GetAtt': [incoming, 'Arn'] })))).toBe(true);
  });

  test('HTTP API: the upload route → issue-upload, everything else → api; access logs and throttling on', () => {
    const routes = Object.fromEntries(ofType('AWS::ApiGatewayV2::Route').map(([, r]) => [r.Properties.RouteKey, r.Properties.Target]));
    expect(Object.keys(routes).sort()).toEqual(['ANY /{proxy+}', 'POST /cycles/{year}/invitations', 'POST /cycles/{year}/offices/{officeId}/token', 'POST /cycles/{year}/offices/{officeId}/uploads']);
    const integrationFn = (target: Json) => {
      const integrationId = target['Fn::Join'][1][1].Ref;
      return json.Resources[integrationId].Properties.IntegrationUri;
    };
    expect(integrationFn(routes['POST /cycles/{year}/offices/{officeId}/uploads'])).toEqual({ 'Fn::GetAtt': [functionId('issue-upload'), 'Arn'] });
    expect(integrationFn(routes['ANY /{proxy+}'])).toEqual({ 'Fn::GetAtt': [functionId('api'), 'Arn'] });
    expect(integrationFn(routes['POST /cycles/{year}/offices/{officeId}/token'])).toEqual({ 'Fn::GetAtt': [functionId('api'), 'Arn'] });
    expect(integrationFn(routes['POST /cycles/{year}/invitations'])).toEqual({ 'Fn::GetAtt': [functionId('api'), 'Arn'] });
    const stage = ofType('AWS::ApiGatewayV2::Stage')[0][1].Properties;
    expect(stage.StageName).toBe('$default');
    expect(stage.AutoDeploy).toBe(true);
    expect(stage.AccessLogSettings.DestinationArn).toBeDefined();
    expect(stage.DefaultRouteSettings.ThrottlingRateLimit).toBeGreaterThan(0);
    // Tighter limits on the token and upload routes (issue 13.6); the stage waits for the routes it names.
    const def = stage.DefaultRouteSettings;
    for (const key of ['POST /cycles/{year}/offices/{officeId}/token', 'POST /cycles/{year}/invitations', 'POST /cycles/{year}/offices/{officeId}/uploads']) {
      const s = stage.RouteSettings[key];
      expect(s.ThrottlingRateLimit).toBeLessThan(def.ThrottlingRateLimit);
      expect(s.ThrottlingBurstLimit).toBeLessThan(def.ThrottlingBurstLimit);
    }
    const stageRes = ofType('AWS::ApiGatewayV2::Stage')[0][1];
    const routeIds = ofType('AWS::ApiGatewayV2::Route').map(([id]) => id);
    for (const id of routeIds) expect([stageRes.DependsOn].flat()).toContain(id);
  });

  test('reserved concurrency caps the functions whose bursts could starve the API (issue 13.6)', () => {
    const reserved = (name: keyof typeof FUNCTION_PATHS) => json.Resources[functionId(name)].Properties.ReservedConcurrentExecutions;
    expect(reserved('process-submission')).toBeGreaterThan(0);
    expect(reserved('archive')).toBeGreaterThan(0);
    expect(reserved('api')).toBeUndefined();
  });

  test('SES: domain identity with the configuration set; bounces and complaints → SNS → ses-events', () => {
    template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'example.gov.cn' });
    const [, dest] = ofType('AWS::SES::ConfigurationSetEventDestination')[0];
    const events = dest.Properties.EventDestination.MatchingEventTypes;
    expect(events).toEqual(expect.arrayContaining(['bounce', 'complaint']));
    const topic = dest.Properties.EventDestination.SnsDestination.TopicARN.Ref;
    expect(json.Resources[topic].Properties.KmsMasterKeyId).toBeDefined();
    const subscription = ofType('AWS::SNS::Subscription').find(([, s]) => refersTo(s.Properties.TopicArn, topic));
    expect(subscription![1].Properties.Protocol).toBe('lambda');
    expect(subscription![1].Properties.Endpoint).toEqual({ 'Fn::GetAtt': [functionId('ses-events'), 'Arn'] });
    // DKIM records are outputs (no hosted-zone lookup).
    expect(Object.keys(json.Outputs)).toEqual(expect.arrayContaining(['DkimRecord1', 'DkimRecord2', 'DkimRecord3', 'ApiUrl', 'PublicUrl', 'SiteUrl']));
  });
});

describe('e-mail at the rate SES allows (issue 13)', () => {
  const queues = ofType('AWS::SQS::Queue');
  const [queueId, queue] = queues.find(([, q]) => q.Properties.RedrivePolicy)!;
  const policiesOf = (name: keyof typeof FUNCTION_PATHS) => {
    const roleId = json.Resources[functionId(name)].Properties.Role['Fn::GetAtt'][0];
    return ofType('AWS::IAM::Policy')
      .filter(([, p]) => refersTo(p.Properties.Roles, roleId))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Json[]);
  };
  const actionsOf = (name: keyof typeof FUNCTION_PATHS) => policiesOf(name).flatMap((st) => [st.Action].flat() as string[]);

  test('one reminder queue: encrypted, TLS only, redrive to its own dead-letter queue after 50 receives', () => {
    expect(queues.filter(([, q]) => q.Properties.RedrivePolicy)).toHaveLength(1);
    expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
    expect(queue.Properties.RedrivePolicy.maxReceiveCount).toBe(50);
    const dlq = queue.Properties.RedrivePolicy.deadLetterTargetArn['Fn::GetAtt'][0];
    expect(dlq).not.toBe(queues[0][0]); // not the stack's async-failure queue
    // AWS's advice for an event source: visibility at least 6 × the consumer's timeout.
    expect(queue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * json.Resources[functionId('mail-sender')].Properties.Timeout);
    const tls = ofType('AWS::SQS::QueuePolicy').filter(([, p]) => refersTo(p.Properties.Queues, queueId));
    expect(JSON.stringify(tls)).toContain('aws:SecureTransport');
  });

  test('mail-sender consumes it: batches of 10, at most 2 at once, partial batch failures', () => {
    const [, mapping] = ofType('AWS::Lambda::EventSourceMapping').find(([, m]) => refersTo(m.Properties.FunctionName, functionId('mail-sender')))!;
    expect(mapping.Properties).toMatchObject({ BatchSize: 10, ScalingConfig: { MaximumConcurrency: 2 }, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    expect(mapping.Properties.EventSourceArn).toEqual({ 'Fn::GetAtt': [queueId, 'Arn'] });
    const env = json.Resources[functionId('mail-sender')].Properties.Environment.Variables;
    expect(env[ENV.mailRate]).toBe('14');
    expect(env[ENV.mailSenders]).toBe('2');
    expect(env[ENV.reminderQueueUrl]).toEqual({ Ref: queueId });
  });

  test('who may do what with the queue: the run and the API send, mail-sender receives, deletes and delays', () => {
    const onQueue = (name: keyof typeof FUNCTION_PATHS) =>
      policiesOf(name)
        .filter((st) => refersTo(st.Resource, queueId))
        .flatMap((st) => [st.Action].flat())
        .sort();
    expect(onQueue('send-reminders')).toEqual(['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage']);
    expect(onQueue('api')).toEqual(['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage']);
    expect(onQueue('mail-sender')).toEqual(expect.arrayContaining(['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:ReceiveMessage']));
    expect(onQueue('mail-sender')).not.toContain('sqs:SendMessage');
    for (const name of ['process-submission', 'archive', 'ses-events', 'reconcile', 'issue-upload'] as const) expect(onQueue(name)).toEqual([]);
    // The run reads offices and queues: it neither sends mail nor writes the table.
    expect(actionsOf('send-reminders').filter((a) => /^ses:|dynamodb:(Put|Update|Delete|BatchWrite)/.test(a))).toEqual([]);
  });

  test('the reminder backlog alarms when its oldest message is over 3 hours old', () => {
    const alarm = ofType('AWS::CloudWatch::Alarm').find(([, a]) => a.Properties.MetricName === 'ApproximateAgeOfOldestMessage' && refersTo(a.Properties.Dimensions, queueId));
    expect(alarm?.[1].Properties).toMatchObject({ Namespace: 'AWS/SQS', Threshold: 3 * 3600 });
    expect(alarm?.[1].Properties.AlarmDescription).toContain('docs/RUNBOOK.md');
  });

  test('the rate is a setting: context mailRatePerSecond reaches mail-sender; nonsense is refused', () => {
    const t = Template.fromStack(synthStack({ skipBundling: true, context: { mailRatePerSecond: '50' } })).toJSON() as Json;
    const fn = Object.values(t.Resources as Record<string, Json>).find((r) => String(r.Metadata?.['aws:cdk:path']).includes('Reminders/MailSender/Fn/Resource'))!;
    expect(fn.Properties.Environment.Variables[ENV.mailRate]).toBe('50');
    expect(() => synthStack({ skipBundling: true, context: { mailRatePerSecond: '0' } })).toThrow(/mailRatePerSecond/);
  });
});

describe('alarms (issue 13.4)', () => {
  const alarms = ofType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
  const topics = ofType('AWS::SNS::Topic').filter(([id]) => id.startsWith('Alarms'));

  test('one encrypted alarm topic; every alarm notifies it', () => {
    expect(topics).toHaveLength(1);
    const [topicId, topic] = topics[0];
    expect(topic.Properties.KmsMasterKeyId).toBeDefined();
    for (const a of alarms) expect(a.AlarmActions).toEqual([{ Ref: topicId }]);
  });

  test('every dead-letter queue alarms as soon as it holds a message', () => {
    // Dead-letter queues: every queue but the work queues (those with a redrive policy of their own).
    const queues = ofType('AWS::SQS::Queue').filter(([, q]) => !q.Properties.RedrivePolicy);
    expect(queues).toHaveLength(2);
    for (const [queueId] of queues) {
      const alarm = alarms.find((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible' && refersTo(a.Dimensions, queueId));
      expect(alarm).toMatchObject({ Namespace: 'AWS/SQS', Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', EvaluationPeriods: 1 });
    }
  });

  test.each(FUNCTIONS)('%s: an alarm on any error', (name) => {
    const alarm = alarms.find((a) => a.MetricName === 'Errors' && refersTo(a.Dimensions, functionId(name)));
    expect(alarm).toMatchObject({ Namespace: 'AWS/Lambda', Statistic: 'Sum', Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    expect(alarm!.AlarmDescription).toContain('docs/RUNBOOK.md');
  });

  test('the runbook exists and explains every alarm', () => {
    const runbook = fs.readFileSync(path.join(PROJECT_ROOT, 'docs', 'RUNBOOK.md'), 'utf8');
    expect(runbook).toMatch(/## Dead letters/);
    expect(runbook).toMatch(/## Function errors/);
    expect(runbook).toMatch(/## Reminder backlog/);
    expect(runbook).toContain('dead-letters-reminders');
    for (const name of FUNCTIONS) expect(runbook).toContain(`\`${name}\``);
  });
});

describe('least privilege', () => {
  const statements: Json[] = [];
  for (const [, r] of ofType('AWS::IAM::Policy')) statements.push(...r.Properties.PolicyDocument.Statement);
  for (const [, r] of ofType('AWS::IAM::Role')) for (const p of r.Properties.Policies ?? []) statements.push(...p.PolicyDocument.Statement);

  test('no statement allows "*" or "s3:*" actions, or any action on Resource "*" except CDK deploy-time helpers', () => {
    expect(statements.length).toBeGreaterThan(10);
    figure('iam-statements', {
      statements: statements.length,
      allow: statements.filter((x) => x.Effect === 'Allow').length,
      actions: statements.reduce((n, x) => n + [x.Action].flat().length, 0),
      functions: ofType('AWS::Lambda::Function').length,
      buckets: ofType('AWS::S3::Bucket').length,
      asyncConfigs: ofType('AWS::Lambda::EventInvokeConfig').length,
      schedules: ofType('AWS::Scheduler::Schedule').length,
    });
    for (const s of statements.filter((x) => x.Effect === 'Allow')) {
      const actions = [s.Action].flat();
      expect(actions).not.toContain('*');
      expect(actions).not.toContain('s3:*');
      if ([s.Resource].flat().includes('*')) {
        // Only CloudFront invalidation by the web deployment (no resource-level permission exists for it).
        expect(actions.every((a: string) => a.startsWith('cloudfront:'))).toBe(true);
      }
    }
  });

  const statementsOf = (name: keyof typeof FUNCTION_PATHS): Json[] => {
    const roleId = json.Resources[functionId(name)].Properties.Role['Fn::GetAtt'][0];
    return ofType('AWS::IAM::Policy')
      .filter(([, p]) => refersTo(p.Properties.Roles, roleId))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement)
      .filter((st: Json) => st.Effect === 'Allow');
  };

  test('no dynamodb:Scan (or dynamodb:*) anywhere: every read is a GetItem or a Query (issue 13.6)', () => {
    for (const s of statements) {
      const actions = [s.Action].flat();
      expect(actions).not.toContain('dynamodb:Scan');
      expect(actions.filter((a: string) => /^dynamodb:\*|^dynamodb:.*\*$/.test(a) && a !== 'dynamodb:BatchGet*')).toEqual([]);
    }
  });

  test('issue-upload only reads the table (issue 13.6)', () => {
    const dynamo = statementsOf('issue-upload').flatMap((s) => [s.Action].flat()).filter((a: string) => a.startsWith('dynamodb:'));
    expect(dynamo.length).toBeGreaterThan(0);
    expect(dynamo.filter((a: string) => /Put|Update|Delete|Write/.test(a))).toEqual([]);
  });

  test('processor and sweep reach the archive bucket under parsed/ only (reads of public/ for the sweep); only archive writes public/ (issue 13.6)', () => {
    const archiveBucket = ofType('AWS::S3::Bucket').find(([id]) => id.startsWith('StorageArchive'))![0];
    const objectGrants = (name: keyof typeof FUNCTION_PATHS, write: boolean) =>
      statementsOf(name)
        .filter((s) => [s.Action].flat().some((a: string) => (write ? /^s3:(PutObject|DeleteObject|Abort)/.test(a) : /^s3:GetObject/.test(a))))
        .flatMap((s) => [s.Resource].flat().filter((r: unknown) => refersTo(r, archiveBucket)).map((r: unknown) => JSON.stringify(r)))
        .filter((r: string) => r.includes('/'));
    for (const name of ['process-submission', 'reconcile'] as const) {
      const writes = objectGrants(name, true);
      expect(writes.length).toBeGreaterThan(0);
      for (const r of writes) expect(r).toMatch(/\/parsed\/\*"/);
    }
    for (const r of objectGrants('process-submission', false)) expect(r).toMatch(/\/parsed\/\*"/);
    for (const r of objectGrants('reconcile', false)) expect(r).toMatch(/\/(parsed|public)\/\*"/);
    const publicWriters = FUNCTIONS.filter((n) => objectGrants(n, true).some((r) => r.includes('"/*"') || r.includes('/public/*')));
    expect(publicWriters).toEqual(['archive']);
  });

  test('ses:SendEmail only on the sender identity and the configuration set', () => {
    const send = statements.filter((s) => [s.Action].flat().includes('ses:SendEmail'));
    expect(send.length).toBe(6); // api, process-submission, archive, mail-sender, reconcile, ses-events
    for (const s of send) {
      const resources = JSON.stringify(s.Resource);
      expect(resources).toContain(':identity/');
      expect(resources).toContain(':configuration-set/');
      expect(resources).not.toContain('identity/*');
      expect([s.Resource].flat()).toHaveLength(2);
    }
  });

  test('no managed policies on the function roles', () => {
    for (const name of FUNCTIONS) {
      const roleId = json.Resources[functionId(name)].Properties.Role['Fn::GetAtt'][0];
      expect(json.Resources[roleId].Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  test('each function reaches only the buckets it uses', () => {
    const buckets = ofType('AWS::S3::Bucket').map(([id]) => id);
    const bucketsOf = (name: keyof typeof FUNCTION_PATHS) => {
      const roleId = json.Resources[functionId(name)].Properties.Role['Fn::GetAtt'][0];
      const s3 = ofType('AWS::IAM::Policy')
        .filter(([, p]) => refersTo(p.Properties.Roles, roleId))
        .flatMap(([, p]) => p.Properties.PolicyDocument.Statement)
        .filter((st: Json) => [st.Action].flat().some((a: string) => a.startsWith('s3:')));
      return buckets.filter((b) => s3.some((st: Json) => refersTo(st.Resource, b))).map((b) => b.replace(/[0-9A-F]{8}$/, ''));
    };
    expect(bucketsOf('issue-upload')).toEqual(['StorageIncoming']);
    expect(bucketsOf('api')).toEqual(['StorageArchive']);
    expect(bucketsOf('process-submission').sort()).toEqual(['StorageArchive', 'StorageIncoming']);
    expect(bucketsOf('archive').sort()).toEqual(['StorageArchive', 'StorageIncoming']);
    expect(bucketsOf('send-reminders')).toEqual([]);
    expect(bucketsOf('mail-sender')).toEqual([]);
    expect(bucketsOf('ses-events')).toEqual([]);
    expect(bucketsOf('reconcile').sort()).toEqual(['StorageArchive', 'StorageIncoming']);
  });

  test('issue-upload may only put objects under the incoming prefix', () => {
    const roleId = json.Resources[functionId('issue-upload')].Properties.Role['Fn::GetAtt'][0];
    const policy = ofType('AWS::IAM::Policy').find(([, p]) => refersTo(p.Properties.Roles, roleId))!;
    const s3 = policy[1].Properties.PolicyDocument.Statement.filter((s: Json) => [s.Action].flat().some((a: string) => a.startsWith('s3:')));
    expect(s3).toHaveLength(1);
    expect([s3[0].Action].flat().every((a: string) => a.startsWith('s3:PutObject') || a === 's3:Abort*')).toBe(true);
    expect(JSON.stringify(s3[0].Resource)).toContain(`/${INCOMING_PREFIX}*`);
  });

  test('the api may only read the parsed reports of the archive (the 本级 report), nothing public, nothing written', () => {
    const roleId = json.Resources[functionId('api')].Properties.Role['Fn::GetAtt'][0];
    const s3 = ofType('AWS::IAM::Policy')
      .filter(([, p]) => refersTo(p.Properties.Roles, roleId))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement)
      .filter((st: Json) => [st.Action].flat().some((a: string) => a.startsWith('s3:')));
    expect(s3).toHaveLength(1);
    expect([s3[0].Action].flat().every((a: string) => a.startsWith('s3:GetObject') || a.startsWith('s3:GetBucket') || a.startsWith('s3:List'))).toBe(true);
    const objects = [s3[0].Resource].flat().map((r: Json) => JSON.stringify(r)).filter((r: string) => r.includes('/'));
    expect(objects).toHaveLength(1);
    expect(objects[0]).toContain('/parsed/*');
  });
});

describe('CloudFront', () => {
  const [, dist] = ofType('AWS::CloudFront::Distribution')[0];
  const config = dist.Properties.DistributionConfig;
  const archiveBucket = ofType('AWS::S3::Bucket').find(([id]) => id.startsWith('StorageArchive'))![0];
  const archiveOrigin = config.Origins.find((o: Json) => refersTo(o.DomainName, archiveBucket));
  const ARCHIVE_PATTERNS = ['archive/*/original*', 'archive/*.pdf', 'archive/*'];

  test('the archive bucket is an origin through OAC only (no OAI)', () => {
    expect(archiveOrigin).toBeDefined();
    expect(archiveOrigin.OriginAccessControlId).toBeDefined();
    expect(archiveOrigin.S3OriginConfig.OriginAccessIdentity).toBe('');
    expect(ofType('AWS::CloudFront::CloudFrontOriginAccessIdentity')).toHaveLength(0);
    const [, oac] = ofType('AWS::CloudFront::OriginAccessControl')[0];
    expect(oac.Properties.OriginAccessControlConfig.SigningBehavior).toBe('always');
  });

  test('only the archive/* behaviors reach the archive origin, and CloudFront may read public/* only', () => {
    const toArchive = config.CacheBehaviors.filter((b: Json) => b.TargetOriginId === archiveOrigin.Id);
    // Most specific first: CloudFront takes the first pattern that matches.
    expect(toArchive.map((b: Json) => b.PathPattern)).toEqual(ARCHIVE_PATTERNS);
    for (const b of toArchive) expect(b.AllowedMethods).toEqual(['GET', 'HEAD']);
    expect(config.DefaultCacheBehavior.TargetOriginId).not.toBe(archiveOrigin.Id);

    const [, policy] = ofType('AWS::S3::BucketPolicy').find(([, p]) => refersTo(p.Properties.Bucket, archiveBucket))!;
    const cloudfrontReads = policy.Properties.PolicyDocument.Statement.filter((s: Json) => s.Principal?.Service === 'cloudfront.amazonaws.com');
    expect(cloudfrontReads).toHaveLength(1);
    expect(cloudfrontReads[0].Action).toBe('s3:GetObject');
    expect(JSON.stringify(cloudfrontReads[0].Resource)).toMatch(new RegExp(`"/${PUBLIC_PREFIX}\\*"`));
    expect(cloudfrontReads[0].Condition.StringEquals['AWS:SourceArn']).toBeDefined();
  });

  test('no bucket policy allows anyone (Principal "*") anything; the archive bucket only CloudFront, on public/*', () => {
    for (const [, policy] of ofType('AWS::S3::BucketPolicy')) {
      for (const st of policy.Properties.PolicyDocument.Statement.filter((x: Json) => x.Effect === 'Allow')) {
        expect(JSON.stringify(st.Principal)).not.toMatch(/^"\*"$|"AWS":"\*"/);
      }
    }
    const [, policy] = ofType('AWS::S3::BucketPolicy').find(([, p]) => refersTo(p.Properties.Bucket, archiveBucket))!;
    const allows = policy.Properties.PolicyDocument.Statement.filter((s: Json) => s.Effect === 'Allow');
    // CloudFront's read of public/*, and the CDK auto-delete/deployment helpers if any (none on the archive).
    for (const st of allows) {
      const reads = [st.Action].flat().filter((a: string) => a.startsWith('s3:Get'));
      if (reads.length) expect(JSON.stringify(st.Resource)).toMatch(new RegExp(`"/${PUBLIC_PREFIX}\\*"`));
    }
  });

  test('the archive rewrite maps /archive/… to public/… and directory URLs to index.html', () => {
    const run = (uri: string) => {
      const sandbox: Json = {};
      vm.runInNewContext(`${ARCHIVE_REWRITE_CODE}\nresult = handler({ request: { uri: ${JSON.stringify(uri)} } });`, sandbox);
      return sandbox.result.uri as string; // CloudFront Functions return the (modified) request
    };
    expect(run('/archive/2020/index.html')).toBe('/public/2020/index.html');
    expect(run('/archive/2020/')).toBe('/public/2020/index.html');
    expect(run('/archive/')).toBe('/public/index.html');
    expect(run('/archive/2020/%E9%87%91%E5%9F%8E.pdf')).toBe('/public/2020/%E9%87%91%E5%9F%8E.pdf');
    // The deployed function is this code.
    const [, fn] = ofType('AWS::CloudFront::Function').find(([, f]) => f.Properties.FunctionCode === ARCHIVE_REWRITE_CODE)!;
    expect(fn.Properties.FunctionConfig.Runtime).toBe('cloudfront-js-2.0');
    for (const pattern of ARCHIVE_PATTERNS) {
      const archiveBehavior = config.CacheBehaviors.find((b: Json) => b.PathPattern === pattern);
      expect(archiveBehavior.FunctionAssociations[0].EventType).toBe('viewer-request');
    }
  });

  test('the API paths go to the HTTP API uncached; pages from the web-assets bucket', () => {
    const apiBehaviors = config.CacheBehaviors.filter((b: Json) => !ARCHIVE_PATTERNS.includes(b.PathPattern));
    const expected = API_PATH_PREFIXES.flatMap((p) => [p.slice(1), `${p.slice(1)}/*`]).sort();
    expect(apiBehaviors.map((b: Json) => b.PathPattern).sort()).toEqual(expected);
    const apiOrigin = config.Origins.find((o: Json) => o.Id === apiBehaviors[0].TargetOriginId);
    expect(JSON.stringify(apiOrigin.DomainName)).toContain('.execute-api.');
    expect(apiOrigin.CustomOriginConfig.OriginProtocolPolicy).toBe('https-only');
    for (const b of apiBehaviors) {
      expect(b.TargetOriginId).toBe(apiOrigin.Id);
      expect(b.CachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad'); // CachingDisabled
      expect(b.AllowedMethods).toContain('POST');
    }
    const webBucket = ofType('AWS::S3::Bucket').find(([id]) => id.startsWith('PublicRecordWebAssets'))![0];
    const webOrigin = config.Origins.find((o: Json) => o.Id === config.DefaultCacheBehavior.TargetOriginId);
    expect(refersTo(webOrigin.DomainName, webBucket)).toBe(true);
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(config.Logging.Prefix).toBe('cloudfront/');
  });

  describe('response headers (issue 13.1: stored XSS through a published original)', () => {
    const policies = new Map(ofType('AWS::CloudFront::ResponseHeadersPolicy'));
    const policyOf = (b: Json) => {
      const id = b.ResponseHeadersPolicyId?.Ref;
      expect(id).toBeDefined(); // a policy of this stack, not a managed one
      return policies.get(id)!.Properties.ResponseHeadersPolicyConfig;
    };
    const cspOf = (b: Json) => {
      const csp = policyOf(b).SecurityHeadersConfig.ContentSecurityPolicy;
      expect(csp.Override).toBe(true);
      return JSON.stringify(csp.ContentSecurityPolicy);
    };
    const behaviors: Json[] = [config.DefaultCacheBehavior, ...config.CacheBehaviors];
    const byPattern = (p: string) => config.CacheBehaviors.find((b: Json) => b.PathPattern === p);

    test('every behaviour has a custom policy: nosniff, frame-ancestors none, DENY, HSTS, a CSP without inline script', () => {
      expect(behaviors).toHaveLength(3 + 2 * API_PATH_PREFIXES.length + 1);
      for (const b of behaviors) {
        const sec = policyOf(b).SecurityHeadersConfig;
        expect(sec.ContentTypeOptions).toEqual({ Override: true });
        expect(sec.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
        expect(sec.StrictTransportSecurity.Override).toBe(true);
        const csp = cspOf(b);
        expect(csp).toContain("frame-ancestors 'none'");
        expect(csp).toContain("default-src 'none'");
        expect(csp).not.toMatch(/script-src[^;]*('unsafe-inline'|'unsafe-eval'|\*)/);
      }
    });

    test('pages: scripts from their own files only; they may connect to their origin and the incoming bucket only', () => {
      const csp = cspOf(config.DefaultCacheBehavior);
      expect(csp).toContain("script-src 'self';");
      expect(csp).toContain("object-src 'none'");
      // 'self' and the S3 endpoints of the stack's region (the presigned POST), nothing else.
      expect(csp).toMatch(/connect-src 'self' https:\/\/\*\.s3\.",\{"Ref":"AWS::Region"\},"\.",\{"Ref":"AWS::URLSuffix"\},";/);
    });

    test('archive documents are sandboxed (an opaque origin: no access to the tokens in sessionStorage); originals are downloads', () => {
      expect(cspOf(byPattern('archive/*'))).toMatch(/; sandbox( allow-downloads)?"$/);
      expect(cspOf(byPattern('archive/*'))).not.toContain('script-src');
      const original = byPattern('archive/*/original*');
      expect(cspOf(original)).toMatch(/; sandbox/);
      expect(policyOf(original).CustomHeadersConfig.Items).toEqual([{ Header: 'Content-Disposition', Value: 'attachment', Override: false }]);
      for (const p of API_PATH_PREFIXES) expect(cspOf(byPattern(p.slice(1)))).toMatch(/sandbox/);
    });
  });

  test('the API is reached only through CloudFront: the origin sends the stack-unique header the API functions require (issue 13.6)', () => {
    const apiBehavior = config.CacheBehaviors.find((b: Json) => b.PathPattern === 'cycles/*');
    const apiOrigin = config.Origins.find((o: Json) => o.Id === apiBehavior.TargetOriginId);
    const headers = apiOrigin.OriginCustomHeaders as Json[];
    expect(headers.map((h) => h.HeaderName)).toEqual([ORIGIN_VERIFY_HEADER]);
    const value = headers[0].HeaderValue;
    expect(JSON.stringify(value)).toContain('AWS::StackId');
    for (const name of ['api', 'issue-upload'] as const) {
      expect(json.Resources[functionId(name)].Properties.Environment.Variables[ENV.originVerify]).toEqual(value);
    }
  });

  test('the built pages are deployed with config.json when the folder exists', () => {
    expect(ofType('Custom::CDKBucketDeployment')).toHaveLength(1);
  });
});

describe('context', () => {
  test('without a web build there is no deployment, and synth needs no context at all', () => {
    const bare = Template.fromStack(synthStack({ skipBundling: true, context: { webAssetsPath: path.join(os.tmpdir(), 'does-not-exist-nianbao') } }));
    bare.resourceCountIs('Custom::CDKBucketDeployment', 0);
    bare.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'nianbao@example.com' });
    const api = Object.values(bare.findResources('AWS::Lambda::Function')).find((r: Json) =>
      String(r.Metadata?.['aws:cdk:path']).includes('Intake/Api/Fn'),
    ) as Json;
    expect(api.Properties.Environment.Variables[ENV.coordinatorTokenSha256]).toBeUndefined();
  });

  test('sesSandbox=true adds this account’s identities (recipients) to ses:SendEmail, nothing wider', () => {
    const sandbox = Template.fromStack(synthStack({ skipBundling: true, context: { sesSandbox: 'true' } })).toJSON() as Json;
    const send = Object.values(sandbox.Resources as Record<string, Json>)
      .filter((r) => r.Type === 'AWS::IAM::Policy')
      .flatMap((r) => r.Properties.PolicyDocument.Statement)
      .filter((s: Json) => [s.Action].flat().includes('ses:SendEmail'));
    expect(send).toHaveLength(6);
    for (const s of send) {
      expect(JSON.stringify(s.Resource)).toContain(':identity/*');
      expect([s.Resource].flat()).not.toContain('*');
    }
  });

  test.each([
    [{ mailFrom: 'not-an-address' }, /mailFrom/],
    [{ mailFrom: 'a@other.org', domain: 'example.gov.cn' }, /not in the verified domain/],
    [{ stage: 'Prod!' }, /stage/],
    [{ coordinatorTokenSha256: 'secret-token' }, /64 hex digits/],
    [{ corsOrigins: 'example.org' }, /corsOrigins/],
  ])('bad context %j is refused with a clear message', (context, message) => {
    expect(() => synthStack({ skipBundling: true, context })).toThrow(message);
  });
});
