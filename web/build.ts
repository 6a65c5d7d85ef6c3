/**
 * Builds the pages into web/dist — what the local runtime serves and the stack deploys (S3 + CloudFront):
 * the HTML and CSS of web/static copied as they are, the TypeScript of web/src bundled by esbuild into
 * dist/assets/*.js (one file per page, ES2020, minified, with a source map).
 *
 * Several local runtimes may build at once (tests run in parallel): every file is written to a temporary
 * name and renamed over the old one, and left alone when its content is unchanged, so a server never reads a
 * half-written file.
 *
 *   npx tsx web/build.ts [--out DIR]
 */
import { build } from 'esbuild';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export const WEB_DIR = resolve(__dirname);
export const DIST_DIR = join(WEB_DIR, 'dist');
const STATIC_DIR = join(WEB_DIR, 'static');
export const ENTRIES = ['upload', 'dashboard', 'search'] as const;

function writeAtomic(file: string, bytes: Uint8Array): boolean {
  if (existsSync(file)) {
    const old = readFileSync(file);
    if (old.length === bytes.length && old.equals(Buffer.from(bytes))) return false;
  }
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, file);
  return true;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

export interface WebBuild {
  outDir: string;
  files: string[];
  written: number;
}

export async function buildWeb(outDir: string = DIST_DIR): Promise<WebBuild> {
  const files: string[] = [];
  let written = 0;
  const emit = (rel: string, bytes: Uint8Array) => {
    files.push(rel);
    if (writeAtomic(join(outDir, rel), bytes)) written++;
  };
  for (const file of walk(STATIC_DIR)) emit(relative(STATIC_DIR, file), readFileSync(file));
  const result = await build({
    entryPoints: Object.fromEntries(ENTRIES.map((e) => [e, join(WEB_DIR, 'src', `${e}.ts`)])),
    bundle: true,
    format: 'iife',
    target: ['es2020', 'chrome90', 'safari14', 'firefox90'],
    platform: 'browser',
    minify: true,
    sourcemap: 'linked',
    legalComments: 'none',
    charset: 'utf8',
    outdir: join(outDir, 'assets'),
    write: false,
    logLevel: 'silent',
  });
  for (const f of result.outputFiles) emit(relative(outDir, f.path), f.contents);
  return { outDir, files: files.sort(), written };
}

if (require.main === module) {
  const i = process.argv.indexOf('--out');
  const out = i > 0 && process.argv[i + 1] ? resolve(process.argv[i + 1]) : DIST_DIR;
  buildWeb(out).then(
    (r) => console.log(`web: ${r.files.length} files in ${relative(process.cwd(), r.outDir) || '.'} (${r.written} written)`),
    (e) => {
      console.error(`web build failed: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(1);
    },
  );
}
