/**
 * The layers of shared/, read from the import statements themselves (static imports, import() and
 * require()): a pure core that names no AWS SDK, reads no file and no environment; the renderers below
 * the workflow, not beside it; leaf modules that depend on nothing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = join(__dirname, '../..');

interface Source {
  file: string;
  text: string;
  /** Import specifiers, relative ones resolved to a repository path ('shared/render/email'). */
  imports: string[];
}

function sources(folder: string): Source[] {
  return (readdirSync(join(ROOT, folder), { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts'))
    .map((f) => {
      const file = join(folder, f);
      const text = readFileSync(join(ROOT, file), 'utf8');
      const imports = [...text.matchAll(/(?:\bfrom\s+|\bimport\(\s*|\brequire\(\s*)['"]([^'"]+)['"]/g)].map(([, spec]) =>
        spec.startsWith('.') ? relative(ROOT, resolve(ROOT, dirname(file), spec)) : spec,
      );
      return { file, text, imports };
    });
}

/** `file → specifier` for every import of `from` that starts with one of `prefixes`. */
function importsOf(from: string, prefixes: string[]): string[] {
  return sources(from).flatMap((s) => s.imports.filter((i) => prefixes.some((p) => i === p || i.startsWith(`${p}/`))).map((i) => `${s.file} → ${i}`));
}

test('shared/render does not import shared/cycle (nor any adapter)', () => {
  expect(importsOf('shared/render', ['shared/cycle', 'shared/aws'])).toEqual([]);
});

test('shared/report imports neither the workflow, the renderers nor the adapters', () => {
  expect(importsOf('shared/report', ['shared/cycle', 'shared/render', 'shared/aws'])).toEqual([]);
});

test('shared/common is a leaf: it imports nothing of the project', () => {
  expect(sources('shared/common').flatMap((s) => s.imports.filter((i) => !i.startsWith('shared/common/')).map((i) => `${s.file} → ${i}`))).toEqual([]);
});

test('shared/cycle imports no renderer: it reaches them through ports (shared/contracts)', () => {
  expect(importsOf('shared/cycle', ['shared/render', 'shared/publishing'])).toEqual([]);
});

test('shared/contracts holds types only, shared by the workflow and the renderers', () => {
  expect(importsOf('shared/contracts', ['shared/cycle', 'shared/render', 'shared/publishing', 'shared/aws'])).toEqual([]);
  for (const s of sources('shared/contracts')) expect({ file: s.file, code: /^\s*export\s+(const|function|class|let)\b/m.test(s.text) }).toEqual({ file: s.file, code: false });
});

test('shared/publishing (the archive, the 本级 report, the downloads) is above both: nothing below imports it', () => {
  for (const below of ['shared/common', 'shared/contracts', 'shared/cycle', 'shared/render', 'shared/report']) expect(importsOf(below, ['shared/publishing'])).toEqual([]);
});

test('no AWS SDK outside shared/aws', () => {
  const outside = ['shared/common', 'shared/contracts', 'shared/cycle', 'shared/publishing', 'shared/render', 'shared/report'];
  expect(outside.flatMap((f) => importsOf(f, ['shared/aws', '@aws-sdk', '@aws-lambda-powertools', 'aws-cdk-lib']))).toEqual([]);
});

test('no file system and no environment in shared/cycle, shared/publishing, shared/report, shared/contracts and shared/common', () => {
  const offenders = ['shared/cycle', 'shared/publishing', 'shared/report', 'shared/contracts', 'shared/common'].flatMap((f) =>
    sources(f)
      .filter((s) => s.imports.some((i) => i === 'node:fs' || i === 'fs' || i === 'node:fs/promises') || /\bprocess\.env\b/.test(s.text))
      .map((s) => s.file),
  );
  expect(offenders).toEqual([]);
});

test('the scan sees imports of every kind (or the tests above would pass on nothing)', () => {
  const archive = sources('shared/publishing').find((s) => s.file === join('shared/publishing', 'archive.ts'))!;
  expect(archive.imports).toEqual(expect.arrayContaining(['shared/render/public-pages', 'shared/render/pdf', 'shared/common/site']));
  expect(sources('shared/aws').flatMap((s) => s.imports).filter((i) => i.startsWith('@aws-sdk/')).length).toBeGreaterThan(3);
  expect(sources('shared/render').some((s) => s.imports.includes('node:fs'))).toBe(true);
});
