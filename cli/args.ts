/** What the offline commands (validate, aggregate) share: reading their options and opening their files. */
import { readFile } from 'node:fs/promises';

/**
 * The command line one argument at a time: `--name value` or `--name=value`. `value()` takes the option's
 * value (the next argument unless given inline) and throws a Chinese message when there is none.
 */
export function* commandArgs(args: string[]): Generator<{ name: string; value: () => string }> {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const eq = arg.indexOf('=');
    const [name, inline] = arg.startsWith('--') && eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    yield {
      name,
      value: () => {
        const v = inline ?? args[++i];
        if (v === undefined || v === '') throw new Error(`参数 ${name} 缺少取值。`);
        return v;
      },
    };
  }
}

/** A report year as typed (2000–2100), or the message saying why not. */
export function reportYear(v: string): number | { invalid: string } {
  const y = Number(v);
  return /^\d{4}$/.test(v) && y >= 2000 && y <= 2100 ? y : { invalid: `年度“${v}”无效，应为四位数字年份，如 2022。` };
}

/** A file's bytes, or why it cannot be opened (in Chinese). */
export async function readInputFile(file: string): Promise<Uint8Array | string> {
  try {
    return await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? '文件不存在' : code === 'EISDIR' ? '这是一个目录' : code === 'EACCES' ? '没有读取权限' : (e as Error).message;
    return `无法打开文件“${file}”：${why}。`;
  }
}
