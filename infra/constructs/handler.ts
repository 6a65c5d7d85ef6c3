/**
 * One Lambda function built from functions/<name>/handler.ts: Node 22 on arm64, bundled locally with
 * the project's pinned esbuild (never Docker), its own role and log group (no managed policies).
 */
import * as path from 'path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { suppressGrantWildcards } from '../nag';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/** The CJK font shipped next to bundles that render PDFs (pdfkit embeds a subset per document). */
export const PDF_FONT_SOURCE = 'node_modules/@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf';
/** Where that font lands inside the Lambda package (/var/task is the package root at run time). */
export const PDF_FONT_FILE = 'fonts/NotoSansSC-Regular.ttf';

export interface HandlerProps {
  /** Folder under functions/, e.g. "process-submission". */
  name: string;
  description: string;
  environment: Record<string, string>;
  memorySize?: number;
  timeout?: Duration;
  logRetention: logs.RetentionDays;
  /**
   * For functions invoked asynchronously (S3, SNS, the scheduler, Lambda Invoke): retried twice by Lambda,
   * then the event is parked in this queue for inspection and replay.
   */
  asyncFailureQueue?: sqs.IQueue;
  /** Reserved concurrency: a cap for a function whose bursts could starve the others (issue 13.6). */
  reservedConcurrentExecutions?: number;
}

/** Environment variable shared/render/font.ts reads (kept in sync by a test). */
export const FONT_PATH_ENV = 'NIANBAO_FONT_PATH';

/** Packages that must exist as files next to the bundle (node_modules/<name>), not inside it. */
export const FILE_MODULES = ['unpdf', 'pinyin-pro'] as const;

/**
 * Files a bundle needs at run time besides index.js, copied with plain cp (no npm install: offline,
 * fast, and only into bundles that use them):
 * - unpdf (no dependencies) into node_modules/, when the bundle refers to it;
 * - pdfkit's AFM/ICC data (read from __dirname, i.e. the bundle's folder) and the CJK font, when the
 *   bundle contains pdfkit.
 */
export function runtimeFiles(inputDir: string, outputDir: string): string[] {
  const bundle = `"${outputDir}/index.js"`;
  const modules = FILE_MODULES.map(
    (name) =>
      `if grep -q '"${name}"' ${bundle}; then mkdir -p "${outputDir}/node_modules" && ` +
      `cp -r "${inputDir}/node_modules/${name}" "${outputDir}/node_modules/${name}"; fi`,
  );
  const pdfkit =
    `if grep -q 'Helvetica.afm' ${bundle}; then ` +
    `cp -r "${inputDir}/node_modules/pdfkit/js/data" "${outputDir}/data" && ` +
    `mkdir -p "${outputDir}/fonts" && cp "${inputDir}/${PDF_FONT_SOURCE}" "${outputDir}/${PDF_FONT_FILE}"; fi`;
  return [...modules, pdfkit];
}

export class Handler extends Construct {
  /** The folder name under functions/. */
  readonly name: string;
  readonly fn: nodejs.NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: HandlerProps) {
    super(scope, id);
    this.name = props.name;
    // An explicit log group: retention without the LogRetention custom resource.
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Own role instead of AWSLambdaBasicExecutionRole: log writes scoped to this function's group.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `nianbao ${props.name}`,
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn, `${this.logGroup.logGroupArn}:log-stream:*`],
      }),
    );

    this.fn = new nodejs.NodejsFunction(this, 'Fn', {
      entry: path.join(PROJECT_ROOT, 'functions', props.name, 'handler.ts'),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(30),
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      description: props.description,
      role: this.role,
      logGroup: this.logGroup,
      environment: {
        ...props.environment,
        // The font ships in every bundle that contains pdfkit (see runtimeFiles); harmless elsewhere.
        [FONT_PATH_ENV]: `/var/task/${PDF_FONT_FILE}`,
        POWERTOOLS_SERVICE_NAME: `nianbao-${props.name}`,
      },
      bundling: {
        minify: true,
        // The source map ships next to the bundle but is not enabled: --enable-source-maps parses it at
        // every cold start (+~20 ms CPU, bench/README.md "Cold start"). To read a minified stack trace, set
        // NODE_OPTIONS=--enable-source-maps on the function for a while.
        sourceMap: true,
        target: 'node22',
        logLevel: nodejs.LogLevel.WARNING,
        // The Node 22 runtime ships SDK v3; bundling it would only add megabytes. unpdf is loaded from
        // disk by the PDF worker thread (require.resolve + import of its pdfjs.mjs), so it stays a file;
        // pinyin-pro is imported only when an office list without ids is read, so its ~30 ms load is not in
        // every cold start of the API.
        externalModules: ['@aws-sdk/*', ...FILE_MODULES],
        forceDockerBundling: false,
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (inputDir: string, outputDir: string) => runtimeFiles(inputDir, outputDir),
        },
      },
    });

    if (props.asyncFailureQueue) {
      this.fn.configureAsyncInvoke({
        retryAttempts: 2,
        maxEventAge: Duration.hours(6),
        onFailure: new destinations.SqsDestination(props.asyncFailureQueue),
      });
    }

    suppressGrantWildcards(this.role);
    NagSuppressions.addResourceSuppressions(this.fn, [
      {
        id: 'AwsSolutions-L1',
        reason: 'nodejs22.x is the chosen runtime: the AWS SDK v3 drops Node 20 in 2027 and the code is also run locally on Node 20/22.',
      },
    ]);
  }
}
