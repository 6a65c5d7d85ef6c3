/**
 * The HTTP API: `POST /cycles/{year}/offices/{officeId}/uploads` issues a presigned POST (issue-upload);
 * every other route goes to the api function. Authentication (office credential, coordinator token) is
 * done in the handlers against hashed tokens in the table, so the routes carry no API Gateway authorizer.
 */
import { Duration } from 'aws-cdk-lib';
import * as apigwv1 from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { ENV, INCOMING_PREFIX } from '../../shared/resources';
import { ROUTES, routeKey } from '../../functions/routes';
import { Handler } from './handler';
import type { Mail } from './mail';
import { grantTableRead, grantTableReadWrite } from './table-access';


export interface IntakeProps {
  table: dynamodb.ITable;
  incoming: s3.Bucket;
  /** The archive bucket: the API reads the offices' parsed reports (parsed/…) for the 本级 report. */
  archive: s3.Bucket;
  archiveFunction: iam.IGrantable & { functionName: string; grantInvoke(g: iam.IGrantable): iam.Grant };
  mail: Mail;
  publicBaseUrl: string;
  /** The pages' origin: may POST uploads to the incoming bucket (it reaches the API through CloudFront). */
  siteUrl: string;
  /** Other browser origins allowed to call the API directly and to POST uploads (e.g. a dev server). */
  extraOrigins: string[];
  /** Hex SHA-256 of the coordinator's bearer token, when configured. */
  coordinatorTokenSha256?: string;
  /** When set, the API functions accept only requests carrying it (added by CloudFront): no direct calls. */
  originVerify?: string;
  logRetention: logs.RetentionDays;
}

export class Intake extends Construct {
  readonly httpApi: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly api: Handler;
  readonly issueUpload: Handler;

  constructor(scope: Construct, id: string, props: IntakeProps) {
    super(scope, id);

    this.issueUpload = new Handler(this, 'IssueUpload', {
      name: 'issue-upload',
      description: 'Checks the office credential and issues a presigned POST into the incoming bucket',
      environment: {
        [ENV.table]: props.table.tableName,
        [ENV.incomingBucket]: props.incoming.bucketName,
        ...(props.originVerify ? { [ENV.originVerify]: props.originVerify } : {}),
      },
      logRetention: props.logRetention,
      timeout: Duration.seconds(10),
    });
    // Only reads (the token and the office): no write on the table.
    grantTableRead(props.table, this.issueUpload.fn);
    // The presigned POST is signed with this role: it may only put objects under the incoming prefix.
    props.incoming.grantPut(this.issueUpload.fn, `${INCOMING_PREFIX}*`);

    this.api = new Handler(this, 'Api', {
      name: 'api',
      description: 'Cycles, offices, status, dry-run validation, publishing, the coordinator dashboard',
      environment: {
        [ENV.table]: props.table.tableName,
        [ENV.archiveFunction]: props.archiveFunction.functionName,
        [ENV.archiveBucket]: props.archive.bucketName,
        [ENV.publicBaseUrl]: props.publicBaseUrl,
        ...props.mail.senderEnvironment(),
        ...(props.coordinatorTokenSha256 ? { [ENV.coordinatorTokenSha256]: props.coordinatorTokenSha256 } : {}),
        ...(props.originVerify ? { [ENV.originVerify]: props.originVerify } : {}),
      },
      logRetention: props.logRetention,
      memorySize: 1024,
      timeout: Duration.seconds(29),
    });
    grantTableReadWrite(props.table, this.api.fn);
    props.archiveFunction.grantInvoke(this.api.fn);
    // GET /cycles/{year}/aggregate reads the parsed reports (private, never under public/): read only, that prefix only.
    props.archive.grantRead(this.api.fn, 'parsed/*');
    props.mail.grantSend(this.api.fn);

    // Browsers POST the file straight to S3 with the presigned form.
    props.incoming.addCorsRule({
      allowedMethods: [s3.HttpMethods.POST],
      allowedOrigins: [props.siteUrl, ...props.extraOrigins],
      allowedHeaders: ['*'],
      exposedHeaders: ['ETag', 'Location'],
      maxAge: 3000,
    });

    this.httpApi = new apigw.HttpApi(this, 'HttpApi', {
      description: 'nianbao API',
      createDefaultStage: false,
      // The pages reach the API through CloudFront on their own origin; CORS only for extra origins
      // (naming the site here would make the API depend on the distribution that depends on it).
      corsPreflight: props.extraOrigins.length
        ? {
            allowOrigins: props.extraOrigins,
            allowMethods: [apigw.CorsHttpMethod.ANY],
            allowHeaders: ['authorization', 'content-type'],
            maxAge: Duration.hours(1),
          }
        : undefined,
    });

    const accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: props.logRetention });
    this.stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 50, burstLimit: 100 },
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        format: apigwv1.AccessLogFormat.jsonWithStandardFields(),
      },
    });

    // From the route table (functions/routes.ts): a route of another function than api, or with its own
    // throttle (the ones that mint credentials or upload forms, issue 13.6), is declared on its own; the
    // rest reach the api function through the catch-all, which answers unknown paths itself.
    const fns = { api: this.api.fn, 'issue-upload': this.issueUpload.fn };
    const own = ROUTES.filter((r) => r.fn !== 'api' || 'throttle' in r);
    own.forEach((r, i) =>
      this.httpApi.addRoutes({
        path: r.path,
        methods: [apigw.HttpMethod[r.method]],
        integration: new integrations.HttpLambdaIntegration(`Route${i}Integration`, fns[r.fn]),
      }),
    );
    this.httpApi.addRoutes({
      path: '/{proxy+}',
      methods: [apigw.HttpMethod.ANY],
      integration: new integrations.HttpLambdaIntegration('ApiIntegration', this.api.fn),
    });

    const cfnStage = this.stage.node.defaultChild as apigw.CfnStage;
    cfnStage.addPropertyOverride(
      'RouteSettings',
      Object.fromEntries(own.flatMap((r) => ('throttle' in r ? [[routeKey(r), { ThrottlingRateLimit: r.throttle.rateLimit, ThrottlingBurstLimit: r.throttle.burstLimit }]] : []))),
    );
    // Route settings name routes that must exist first.
    for (const r of [...this.httpApi.node.findAll().filter((c): c is apigw.HttpRoute => c instanceof apigw.HttpRoute)]) {
      this.stage.node.addDependency(r);
    }

    NagSuppressions.addResourceSuppressions(
      this.httpApi,
      [
        {
          id: 'AwsSolutions-APIG4',
          reason: 'Offices authenticate with a per-office credential and the coordinator with a bearer token; both are checked in the handlers against hashes in DynamoDB (public routes like the status page need none).',
        },
      ],
      true,
    );
  }

  get url(): string {
    return this.stage.url;
  }
}
