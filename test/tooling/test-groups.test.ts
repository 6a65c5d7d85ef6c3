/**
 * Every test file runs in exactly one group (test/groups.js): asked of jest itself, so a file that no
 * project matches (a new folder, a typo in a name) fails here instead of silently never running.
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '../..');
const GROUPS = ['unit', 'integration', 'e2e'];

async function listed(group: string): Promise<string[]> {
  const jest = require.resolve('jest/bin/jest');
  const { stdout } = await promisify(execFile)(process.execPath, [jest, '--listTests', '--json', '--selectProjects', group], { cwd: ROOT });
  return (JSON.parse(stdout.slice(stdout.indexOf('['))) as string[]).map((f) => relative(ROOT, f));
}

test('every test file belongs to exactly one group', async () => {
  const onDisk = (readdirSync(join(ROOT, 'test'), { recursive: true }) as string[])
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => join('test', f))
    .sort();
  const byGroup = Object.fromEntries(await Promise.all(GROUPS.map(async (g) => [g, await listed(g)] as const)));
  const groupsOf = (f: string) => GROUPS.filter((g) => byGroup[g].includes(f));
  expect(onDisk.filter((f) => groupsOf(f).length !== 1).map((f) => `${f}: ${groupsOf(f).join(', ') || 'none'}`)).toEqual([]);
  expect(byGroup.unit).toContain('test/tooling/test-groups.test.ts');
  expect(byGroup.e2e).toContain('test/e2e/pages.test.ts');
  expect(byGroup.integration).toContain('test/functions/dynamo-repository.test.ts');
  expect(onDisk.length).toBeGreaterThan(50);
});
