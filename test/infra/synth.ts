/**
 * Builds NianbaoStack the way `cdk synth` does (same context as cdk.json), for the infra tests.
 * Bundling the real handlers takes seconds: each test file calls this once at module level.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { configFromContext } from '../../infra/config';
import { PROJECT_ROOT } from '../../infra/constructs/handler';
import { NianbaoStack } from '../../infra/nianbao-stack';

const cdkJson = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as {
  context: Record<string, unknown>;
};

export interface SynthOptions {
  context?: Record<string, unknown>;
  nag?: boolean;
  /** Skip esbuild (for tests that only look at settings, not bundles). */
  skipBundling?: boolean;
}

const scratch: string[] = [];

/** Removes what the synths of this test file wrote (bundles with the font are ~60 MB per synth). */
export function removeSynthOutputs(): void {
  for (const dir of scratch.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

export function synthStack(options: SynthOptions = {}): NianbaoStack {
  const app = new App({
    context: {
      ...cdkJson.context,
      // As the CLI does: lets tests find resources by construct path.
      'aws:cdk:enable-path-metadata': true,
      'aws:cdk:enable-asset-metadata': true,
      ...(options.skipBundling ? { 'aws:cdk:bundling-stacks': [] } : {}),
      ...options.context,
    },
  });
  scratch.push(app.outdir);
  const config = configFromContext(app.node);
  const stack = new NianbaoStack(app, 'NianbaoStack', { config });
  if (options.nag) Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  return stack;
}

/** A throw-away folder with a minimal built site, to exercise the web deployment path. */
export function fakeWebDist(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nianbao-web-'));
  scratch.push(dir);
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>年报</title>');
  return dir;
}
