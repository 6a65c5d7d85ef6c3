/**
 * The archive function and the public face: one CloudFront distribution, the same layout as the local
 * runtime's single origin —
 *   /archive/*      → the archive bucket, rewritten to the `public/` prefix (published objects only)
 *   /cycles, /validate, /me … → the HTTP API (same origin for the pages: no CORS needed)
 *   everything else → the web-assets bucket (the static pages)
 * Both buckets are reached through Origin Access Control; the archive bucket policy lets CloudFront read
 * `public/*` and nothing else, so canonical JSON of unpublished reports stays private even if a path
 * trick got past the rewrite.
 */
import * as fs from 'fs';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { ENV, ORIGIN_VERIFY_HEADER, PUBLIC_PREFIX } from '../../shared/resources';
import { API_PATH_PREFIXES } from '../../functions/routes';
import { contentSecurityPolicy, type HeaderKind } from '../../shared/security-headers';
import { Handler } from './handler';
import { grantTableReadWrite } from './table-access';
import type { Mail } from './mail';

/** URL path under which the public record is served (as locally). */
export const ARCHIVE_PATH = '/archive';

/** Concurrent executions reserved for (and capping) the archive function. */
export const ARCHIVE_CONCURRENCY = 10;

/**
 * Viewer-request rewrite for the archive behavior: /archive/x → /public/x, and a trailing slash gets
 * index.html (S3 has no directory index). Anything else than /archive/… never reaches this function.
 */
export const ARCHIVE_REWRITE_CODE = [
  'function handler(event) {',
  '  var r = event.request;',
  `  r.uri = '/${PUBLIC_PREFIX}' + r.uri.substring(${ARCHIVE_PATH.length + 1});`,
  "  if (r.uri.endsWith('/')) { r.uri += 'index.html'; }",
  '  return r;',
  '}',
].join('\n');

const DIRECTORY_INDEX_CODE =
  "function handler(event) { var r = event.request; if (r.uri.endsWith('/')) { r.uri += 'index.html'; } return r; }";

/**
 * An S3 origin reached through an existing OAC, without touching the bucket policy: the policy is
 * written by hand so that it can be narrower than the stock `bucket/*` grant.
 */
class OacS3Origin extends cloudfront.OriginBase {
  constructor(
    bucket: s3.IBucket,
    private readonly oac: cloudfront.IOriginAccessControl,
  ) {
    super(bucket.bucketRegionalDomainName);
  }

  protected renderS3OriginConfig(): cloudfront.CfnDistribution.S3OriginConfigProperty {
    return { originAccessIdentity: '' };
  }

  bind(scope: Construct, options: cloudfront.OriginBindOptions): cloudfront.OriginBindConfig {
    const config = super.bind(scope, options);
    return {
      ...config,
      originProperty: { ...config.originProperty!, originAccessControlId: this.oac.originAccessControlId },
    };
  }
}

export interface PublicRecordProps {
  table: dynamodb.ITable;
  incoming: s3.IBucket;
  archive: s3.Bucket;
  accessLogs: s3.IBucket;
  logRetention: logs.RetentionDays;
  deadLetterQueue: sqs.IQueue;
  /** With autoPublish the archive step publishes, and tells the office by e-mail. */
  mail: Mail;
  /** Folder of built static pages; deployed to the web-assets bucket only when it exists. */
  webAssetsPath?: string;
}

/**
 * One response headers policy per kind of response (shared/security-headers.ts, the same headers the local
 * runtime sends): a strict CSP (no inline script on any page; archive documents sandboxed), nosniff,
 * frame-ancestors 'none' / X-Frame-Options DENY, no referrer, HSTS. Originals are forced to download.
 */
function headersPolicy(scope: Construct, id: string, kind: HeaderKind, uploadOrigins: string[] = []): cloudfront.ResponseHeadersPolicy {
  return new cloudfront.ResponseHeadersPolicy(scope, id, {
    comment: `nianbao ${kind}: CSP, nosniff, no framing`,
    securityHeadersBehavior: {
      contentSecurityPolicy: { contentSecurityPolicy: contentSecurityPolicy(kind, uploadOrigins), override: true },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
      referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
      strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
    },
    customHeadersBehavior:
      kind === 'archiveOriginal'
        ? { customHeaders: [{ header: 'Content-Disposition', value: 'attachment', override: false }] }
        : undefined,
  });
}

export class PublicRecord extends Construct {
  readonly web: s3.Bucket;
  /** Response headers policies by kind of response (see headersPolicy). */
  readonly headers: Record<HeaderKind, cloudfront.ResponseHeadersPolicy>;
  readonly distribution: cloudfront.Distribution;
  readonly archiveFn: Handler;
  /** https://<distribution domain>: the pages (and the API on the same origin). */
  readonly siteUrl: string;
  /** <site>/archive: the value of PUBLIC_BASE_URL, the URL of the archive bucket's public/ prefix. */
  readonly baseUrl: string;
  private readonly webAssetsPath?: string;

  constructor(scope: Construct, id: string, props: PublicRecordProps) {
    super(scope, id);
    this.webAssetsPath = props.webAssetsPath;

    this.web = new s3.Bucket(this, 'WebAssets', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'web/',
      lifecycleRules: [{ id: 'old-versions', noncurrentVersionExpiration: Duration.days(30) }],
      // Rebuilt from web/ on every deploy; nothing in it is unique.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const oac = new cloudfront.S3OriginAccessControl(this, 'Oac', {
      signing: cloudfront.Signing.SIGV4_ALWAYS,
    });
    const viewerRequest = (id: string, code: string, comment: string) => [
      {
        eventType: cloudfront.FunctionEventType.VIEWER_REQUEST,
        function: new cloudfront.Function(this, id, {
          runtime: cloudfront.FunctionRuntime.JS_2_0,
          comment,
          code: cloudfront.FunctionCode.fromInline(code),
        }),
      },
    ];
    // The office page posts files straight to the incoming bucket (presigned POST): its only other origin.
    // S3 endpoints of the stack's region by pattern: naming the bucket would make a dependency cycle (the
    // bucket's CORS rule names the distribution's domain).
    const uploadOrigins = [`https://*.s3.${Stack.of(this).region}.${Stack.of(this).urlSuffix}`];
    this.headers = {
      pages: headersPolicy(this, 'PagesHeaders', 'pages', uploadOrigins),
      api: headersPolicy(this, 'ApiHeaders', 'api'),
      archive: headersPolicy(this, 'ArchiveHeaders', 'archive'),
      archivePdf: headersPolicy(this, 'ArchivePdfHeaders', 'archivePdf'),
      archiveOriginal: headersPolicy(this, 'ArchiveOriginalHeaders', 'archiveOriginal'),
    };
    const staticBehavior = {
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
      cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
      responseHeadersPolicy: this.headers.pages,
      compress: true,
    };
    const archiveOrigin = new OacS3Origin(props.archive, oac);
    // One rewrite function shared by the archive behaviours.
    const archiveRewrite = viewerRequest('ArchiveRewrite', ARCHIVE_REWRITE_CODE, 'Maps /archive/* to the public/ prefix');
    const archiveBehavior = (kind: HeaderKind) => ({
      ...staticBehavior,
      origin: archiveOrigin,
      responseHeadersPolicy: this.headers[kind],
      functionAssociations: archiveRewrite,
    });

    this.distribution = new cloudfront.Distribution(this, 'Site', {
      comment: 'nianbao pages, API and public record',
      defaultRootObject: 'index.html',
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: props.accessLogs,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        ...staticBehavior,
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.web, { originAccessControl: oac }),
        functionAssociations: viewerRequest('DirectoryIndex', DIRECTORY_INDEX_CODE, 'Directory URLs get index.html'),
      },
      // The only ways into the archive bucket, most specific first (CloudFront takes the first match):
      // offices' originals (always downloads), PDFs (no sandbox: the browser's viewer needs none of the
      // origin), then every other archive document (sandboxed).
      additionalBehaviors: {
        [`${ARCHIVE_PATH.slice(1)}/*/original*`]: archiveBehavior('archiveOriginal'),
        [`${ARCHIVE_PATH.slice(1)}/*.pdf`]: archiveBehavior('archivePdf'),
        [`${ARCHIVE_PATH.slice(1)}/*`]: archiveBehavior('archive'),
      },
    });

    const stack = Stack.of(this);
    props.archive.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudFrontReadsPublishedOnly',
        principals: [new iam.ServicePrincipal('cloudfront.amazonaws.com')],
        actions: ['s3:GetObject'],
        resources: [props.archive.arnForObjects(`${PUBLIC_PREFIX}*`)],
        conditions: {
          StringEquals: {
            'AWS:SourceArn': stack.formatArn({
              service: 'cloudfront',
              region: '',
              resource: 'distribution',
              resourceName: this.distribution.distributionId,
            }),
          },
        },
      }),
    );

    this.siteUrl = `https://${this.distribution.distributionDomainName}`;
    this.baseUrl = `${this.siteUrl}${ARCHIVE_PATH}`;

    this.archiveFn = new Handler(this, 'Archive', {
      name: 'archive',
      description: 'Renders the canonical PDF, stores the immutable archive copy, regenerates public indexes',
      environment: {
        [ENV.table]: props.table.tableName,
        [ENV.incomingBucket]: props.incoming.bucketName,
        [ENV.archiveBucket]: props.archive.bucketName,
        [ENV.publicBaseUrl]: this.baseUrl,
        ...props.mail.senderEnvironment(),
      },
      logRetention: props.logRetention,
      asyncFailureQueue: props.deadLetterQueue,
      memorySize: 1536,
      timeout: Duration.minutes(2),
      // Each accepted upload asks for an archive step; capped like the processor so a burst cannot starve the API.
      reservedConcurrentExecutions: ARCHIVE_CONCURRENCY,
    });
    grantTableReadWrite(props.table, this.archiveFn.fn);
    props.incoming.grantRead(this.archiveFn.fn);
    props.archive.grantReadWrite(this.archiveFn.fn);
    props.mail.grantSend(this.archiveFn.fn);

    NagSuppressions.addResourceSuppressions(this.distribution, [
      { id: 'AwsSolutions-CFR1', reason: 'The public record is public by law (政府信息公开); no geographic restriction is wanted.' },
      { id: 'AwsSolutions-CFR2', reason: 'No WAF web ACL by default (cost); the API throttles at the stage and authenticates in the handlers. A web ACL can be attached per deployment.' },
      { id: 'AwsSolutions-CFR4', reason: 'Uses the default *.cloudfront.net certificate, for which CloudFront does not allow choosing the minimum TLS version; set a custom domain + certificate to pin TLSv1.2_2021.' },
    ]);
  }

  /** Forwards the API's paths to the HTTP API, uncached, so the pages call it on their own origin. */
  routeApi(httpApi: apigw.IHttpApi, originVerify?: string): void {
    const stack = Stack.of(this);
    const origin = new origins.HttpOrigin(`${httpApi.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`, {
      // The API functions refuse requests without it: the API is reached only through CloudFront.
      customHeaders: originVerify ? { [ORIGIN_VERIFY_HEADER]: originVerify } : undefined,
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
    });
    const behavior: cloudfront.AddBehaviorOptions = {
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
      // Everything the viewer sent (Authorization, query, body) except Host, which must be the API's.
      originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: this.headers.api,
    };
    for (const prefix of API_PATH_PREFIXES) {
      // "/me" and "/me/*", not "/me*": a page named /media.html must stay a page.
      this.distribution.addBehavior(prefix.slice(1), origin, behavior);
      this.distribution.addBehavior(`${prefix.slice(1)}/*`, origin, behavior);
    }
  }

  /**
   * Deploys the built pages, plus /config.json telling them where the API and the public record are.
   * Only when the folder exists (a plain `cdk synth` without a web build must still work).
   */
  deployWeb(): s3deploy.BucketDeployment | undefined {
    if (!this.webAssetsPath || !fs.existsSync(this.webAssetsPath)) return undefined;
    // Its singleton handler lives at stack level; infra/nag.ts suppressCdkInternals covers it.
    return new s3deploy.BucketDeployment(this, 'DeployWeb', {
      sources: [
        s3deploy.Source.asset(this.webAssetsPath),
        s3deploy.Source.jsonData('config.json', { apiUrl: this.siteUrl, publicBaseUrl: this.baseUrl }),
      ],
      destinationBucket: this.web,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      memoryLimit: 512,
    });
  }
}
