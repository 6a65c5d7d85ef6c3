/**
 * CDK app entry (cdk.json: "npx tsx infra/bin/app.ts"). Settings come from context:
 *   npx cdk deploy -c mailFrom=nianbao@example.gov.cn -c domain=example.gov.cn -c stage=prod
 * cdk-nag's AwsSolutions checks run on every synth; an unsuppressed finding fails it.
 */
import * as path from 'path';
import { App, Aspects, Tags } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { configFromContext, DEFAULT_MAIL_FROM } from '../config';
import { PROJECT_ROOT } from '../constructs/handler';
import { NianbaoStack } from '../nianbao-stack';

const app = new App();
const config = configFromContext(app.node, { webAssetsPath: path.join(PROJECT_ROOT, 'web', 'dist') });
if (config.mailFrom === DEFAULT_MAIL_FROM) {
  process.stderr.write(`note: no -c mailFrom=… given; using the placeholder ${DEFAULT_MAIL_FROM} (fine for synth, not for deploy)\n`);
}
if (!config.coordinatorTokenSha256) {
  process.stderr.write('note: no -c coordinatorTokenSha256=… given; the deployed API will refuse coordinator requests\n');
}

const stack = new NianbaoStack(app, 'NianbaoStack', {
  stackName: config.stage === 'dev' ? 'NianbaoStack' : `NianbaoStack-${config.stage}`,
  description: 'nianbao — 政府信息公开工作年度报告 annual cycle',
  // Environment-agnostic on purpose: no account/region lookups, so synth needs no credentials.
  config,
});
Tags.of(stack).add('project', 'nianbao');
Tags.of(stack).add('stage', config.stage);
Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
