/**
 * `nianbao render <file> [-o out.pdf] [--html out.html] [--year Y] [--office NAME] [--submission ID]`
 * Renders any readable report as the canonical PDF (and/or the public office page). Exit 0 done,
 * 2 unreadable input or bad usage, 1 rendering failed.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, relative, resolve } from 'node:path';
import { isUnreadable, readReport } from '../../shared/report/ingest';
import { renderPdf } from '../../shared/render/pdf';
import { renderOfficePage } from '../../shared/render/public-pages';

export const summary = '把报告生成国家格式的 PDF（-o out.pdf）或公开页面（--html out.html）';

const USAGE = `用法：nianbao render <报告文件> [-o 输出.pdf] [--html 输出.html] [--year 年度] [--office 单位名称] [--submission 提交编号]
  不给 -o 和 --html 时，PDF 写到与报告同名的 .pdf 文件（当前目录）。`;

interface Args {
  file: string;
  pdf: string | null;
  html: string | null;
  year?: number;
  office?: string;
  submission?: string;
}

function parseArgs(args: string[]): Args | string {
  let file: string | null = null;
  const out: Partial<Args> = { pdf: null, html: null };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const next = () => {
      const v = args[++i];
      if (v === undefined || v === '') throw new Error(`参数 ${a} 需要一个值`);
      return v;
    };
    try {
      if (a === '-o' || a === '--output') out.pdf = next();
      else if (a === '--html') out.html = next();
      else if (a === '--office') out.office = next();
      else if (a === '--submission') out.submission = next();
      else if (a === '--year') {
        const y = Number(next());
        if (!Number.isInteger(y) || y < 2000 || y > 2100) return '年度应为2000–2100之间的四位数字';
        out.year = y;
      } else if (a === '-h' || a === '--help') return '';
      else if (a.startsWith('-') && a !== '-') return `未知参数：${a}`;
      else if (file === null) file = a;
      else return `多余的参数：${a}`;
    } catch (e) {
      return (e as Error).message;
    }
  }
  if (!file) return '缺少报告文件';
  if (!out.pdf && !out.html) out.pdf = `${basename(file, extname(file))}.pdf`;
  return { file, ...out } as Args;
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    if (args) console.error(`nianbao render：${args}`);
    console.error(USAGE);
    return args ? 2 : 0;
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(args.file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    console.error(`无法读取文件 ${args.file}：${code === 'ENOENT' ? '文件不存在' : code === 'EISDIR' ? '这是一个目录' : (code ?? '读取失败')}`);
    return 2;
  }
  const read = await readReport(bytes, { fileName: basename(args.file), year: args.year, office: args.office });
  if (isUnreadable(read)) {
    console.error(`无法读取报告 ${args.file}：${read.unreadable}`);
    return 2;
  }
  const report = read.report;
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  try {
    if (args.pdf) {
      const pdf = await renderPdf(report, { sha256, submissionId: args.submission });
      writeFileSync(args.pdf, pdf);
      console.log(`已生成 PDF：${args.pdf}（${(pdf.length / 1024).toFixed(1)} KB）`);
    }
    if (args.html) {
      const htmlDir = dirname(resolve(args.html));
      const rel = (p: string) => relative(htmlDir, resolve(p)).split('\\').join('/');
      const html = renderOfficePage(
        report.year ?? args.year ?? 0,
        {
          officeId: 'local',
          name: report.office ?? args.office ?? basename(args.file),
          status: null,
          versions: [
            {
              version: 1,
              report,
              submissionId: args.submission ?? '（本地生成，未提交）',
              sha256,
              receivedAt: new Date().toISOString(),
              fileName: basename(args.file),
              files: { pdf: args.pdf ? rel(args.pdf) : null, json: null, original: rel(args.file) },
            },
          ],
        },
        { pagePath: basename(args.html), standalone: true },
      );
      writeFileSync(args.html, html);
      console.log(`已生成公开页面：${args.html}`);
    }
  } catch (e) {
    console.error(`生成失败：${(e as Error).message}`);
    return 1;
  }
  return 0;
}
