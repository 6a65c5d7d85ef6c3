/**
 * cdk-nag AwsSolutions checks on NianbaoStack: zero unsuppressed errors or warnings, and every
 * suppression carries a written reason. Nag reads the template only, so bundling is skipped here
 * (test/infra/stack.test.ts bundles the real handlers).
 */
import * as fs from 'fs';
import { App, Aspects, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { figure } from '../figures';
import { fakeWebDist, removeSynthOutputs, synthStack } from './synth';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- CloudFormation JSON, read by path
type Json = Record<string, any>;

const NAG = Match.stringLikeRegexp('AwsSolutions-');

function findings(stack: Stack): string[] {
  const a = Annotations.fromStack(stack);
  return [...a.findError('*', NAG), ...a.findWarning('*', NAG)].map((m) => `${m.id}: ${String(m.entry.data).split('\n')[0]}`);
}

// The fullest variant (domain identity, sandbox recipients, web deployment) and the bare default.
const full = synthStack({
  nag: true,
  skipBundling: true,
  context: {
    mailFrom: 'nianbao@example.gov.cn',
    domain: 'example.gov.cn',
    sesSandbox: 'true',
    webAssetsPath: fakeWebDist(),
    corsOrigins: 'http://localhost:5173',
    stage: 'prod',
  },
});
const bare = synthStack({ nag: true, skipBundling: true });
afterAll(removeSynthOutputs);

test('the checks actually run: an unencrypted, public, unlogged bucket is reported', () => {
  const app = new App();
  const stack = new Stack(app, 'Bad');
  new s3.Bucket(stack, 'Loose', { blockPublicAccess: s3.BlockPublicAccess.BLOCK_ACLS_ONLY });
  Aspects.of(app).add(new AwsSolutionsChecks());
  const found = findings(stack).join('\n');
  fs.rmSync(app.outdir, { recursive: true, force: true });
  expect(found).toMatch(/AwsSolutions-S1/); // no server access logs
  expect(found).toMatch(/AwsSolutions-S10/); // no TLS-only policy
});

test.each([
  ['full (domain, sandbox, web, prod)', full],
  ['bare (no context)', bare],
])('%s: no unsuppressed AwsSolutions errors or warnings', (_name, stack) => {
  expect(findings(stack)).toEqual([]);
});

test('every suppression has a written reason', () => {
  const suppressions: { path: string; id: string; reason: string; appliesTo?: unknown[] }[] = [];
  // cdk-nag base64-encodes reasons that contain non-Latin-1 characters.
  const reasonOf = (r: Json) => (r.is_reason_encoded ? Buffer.from(r.reason, 'base64').toString('utf8') : String(r.reason));
  const visit = (c: IConstruct) => {
    for (const entry of c.node.metadata) {
      if (entry.type !== 'cdk_nag') continue;
      const rules = (entry.data as Json)?.rules_to_suppress ?? [];
      for (const r of rules) suppressions.push({ path: c.node.path, id: r.id, reason: reasonOf(r), appliesTo: r.applies_to });
    }
    // CfnResource metadata (where NagSuppressions writes for L1 resources)
    const cfn = c as unknown as { getMetadata?: (k: string) => Json | undefined };
    const md = typeof cfn.getMetadata === 'function' ? cfn.getMetadata('cdk_nag') : undefined;
    for (const r of md?.rules_to_suppress ?? []) suppressions.push({ path: c.node.path, id: r.id, reason: reasonOf(r), appliesTo: r.applies_to });
    c.node.children.forEach(visit);
  };
  visit(full);
  expect(suppressions.length).toBeGreaterThan(10);
  const byRule: Record<string, number> = {};
  for (const x of suppressions) byRule[x.id] = (byRule[x.id] ?? 0) + 1;
  figure('nag-suppressions', { total: suppressions.length, byRule, scoped: suppressions.filter((x) => x.appliesTo?.length).length });
  for (const s of suppressions) {
    expect(s.id).toMatch(/^AwsSolutions-/);
    // A sentence, not a placeholder.
    expect(s.reason.trim().split(/\s+/).length).toBeGreaterThanOrEqual(8);
  }
  // On our own function roles the wildcard rule is only ever suppressed for listed findings (appliesTo).
  // Only these rules are ever suppressed (each reviewed; a new one fails here until it is).
  expect(Object.keys(byRule).sort()).toEqual(
    [
      'AwsSolutions-APIG4', // routes without an API Gateway authorizer: the functions check the bearer token
      'AwsSolutions-CFR1', // no geo restriction: the public record is public
      'AwsSolutions-CFR2', // no WAF on the distribution
      'AwsSolutions-CFR4', // default CloudFront certificate (no custom domain)
      'AwsSolutions-IAM4', // AWS-managed basic execution role on CDK's own deploy-time handlers only
      'AwsSolutions-IAM5', // wildcards from grant methods, each listed below
      'AwsSolutions-L1', // runtime choice (nodejs22.x) and CDK handlers
      'AwsSolutions-S1', // the access-log bucket does not log itself
      'AwsSolutions-SQS3', // the dead-letter queue has no dead-letter queue
    ].sort(),
  );
  // A wildcard suppression without the exact findings it covers is allowed only on CDK's own handlers.
  for (const x of suppressions.filter((y) => y.id === 'AwsSolutions-IAM5' && !y.appliesTo?.length)) {
    expect(x.path).toMatch(/BucketNotificationsHandler|Custom::CDKBucketDeployment/);
  }
  const roleIam5 = suppressions.filter(
    (s) => /\/(Api|IssueUpload|ProcessSubmission|Archive|SendReminders|SesEvents)\/Role/.test(s.path) && s.id === 'AwsSolutions-IAM5',
  );
  expect(roleIam5.length).toBeGreaterThan(0);
  for (const s of roleIam5) expect(s.appliesTo?.length).toBeGreaterThan(0);
});
