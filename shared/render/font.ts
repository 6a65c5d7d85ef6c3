/**
 * The one CJK font the PDF embeds (pdfkit subsets it). Default: Noto Sans SC Regular from the npm package;
 * in a Lambda bundle the file ships as an asset and NIANBAO_FONT_PATH points at it.
 */
import { readFileSync } from 'node:fs';

export const FONT_PATH_ENV = 'NIANBAO_FONT_PATH';
const NPM_FONT = '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf';

export function fontPath(): string {
  const fromEnv = process.env[FONT_PATH_ENV]?.trim();
  if (fromEnv) return fromEnv;
  return require.resolve(NPM_FONT);
}

let cache: { path: string; bytes: Buffer } | null = null;

/** The font file's bytes, read once per process (10 MB; re-reading per render would dominate the time). */
export function fontBytes(): Buffer {
  let path: string;
  try {
    path = fontPath();
  } catch {
    throw new Error(`找不到中文字体文件（${NPM_FONT}），请设置环境变量 ${FONT_PATH_ENV} 指向 Noto Sans SC 的 TTF 文件`);
  }
  if (cache?.path === path) return cache.bytes;
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new Error(`无法读取中文字体文件 ${path}（${(e as NodeJS.ErrnoException).code ?? 'error'}），请检查环境变量 ${FONT_PATH_ENV}`, { cause: e });
  }
  cache = { path, bytes };
  return bytes;
}
