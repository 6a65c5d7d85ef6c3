/**
 * `nianbao validate <file> [--year Y] [--office NAME] [--previous FILE] [--json] [--show-tables]`
 *
 * A dry run of the acceptance check: reads a report (text, JSON, HTML, DOCX, PDF), runs every rule
 * and prints every finding at once, with where it is in the document when the reader knows.
 * Exit 0: no errors; 1: errors; 2: unreadable input or bad usage.
 * `--json` prints one object: the validation result of docs/validation.md, or `{ "unreadable": "…" }`.
 * `--show-tables` adds tables 二/三/四 as read to the readable output (not to --json: its `report` has them).
 */
import { basename } from 'node:path';
import { commandArgs, readInputFile, reportYear } from '../args';
import { isUnreadable, readReport } from '../../shared/report/ingest';
import { locationText } from '../../shared/common/location';
import type { Finding, Report } from '../../shared/report/model';
import { safeText, tablesAsText } from '../../shared/render/tables-view';
import { CHINESE_ORDINALS, SPECS } from '../../shared/report/spec';
import { sectionOf } from '../../shared/report/rules/context';
import { validateParsed, type ValidationContext, type ValidationResult } from '../../shared/report/validate';

export const summary = '校验一份年度报告（不改变任何状态）：validate <文件> [--year 年度] [--office 机关] [--previous 上年报告] [--json] [--show-tables]';

const USAGE = `用法：nianbao validate <文件> [--year 年度] [--office 机关名称] [--previous 上年报告文件] [--json] [--show-tables]

  读取年度报告（.txt / .json / .html / .docx / .pdf），按全国统一格式逐项校验，一次列出全部问题。
  --year      本轮报告年度（如 2022），核对报告年度与表格格式版本
  --office    报送机关名称，核对报告中的机关名称
  --previous  同一机关上一年度的报告，核对上年结转、现行有效件数和内容雷同
  --json      输出一个 JSON 对象（formatVersion, year, office, verdict, findings, report）
  --show-tables  同时列出系统读取的表二、表三、表四（逐行逐列；空白、无法识别、缺失的单元格有标记）

退出码：0 无错误；1 有错误；2 文件无法读取或参数有误。`;

interface Options {
  file: string;
  year?: number;
  office?: string;
  previous?: string;
  json: boolean;
  showTables: boolean;
}

function parseArgs(args: string[]): Options | { usage: string; help?: boolean } {
  const opts: Partial<Options> & { json: boolean; showTables: boolean } = { json: false, showTables: false };
  for (const { name, value } of commandArgs(args)) {
    try {
      switch (name) {
        case '--help':
        case '-h':
          return { usage: USAGE, help: true };
        case '--json':
          opts.json = true;
          break;
        case '--show-tables':
          opts.showTables = true;
          break;
        case '--year': {
          const y = reportYear(value());
          if (typeof y !== 'number') return { usage: `${y.invalid}\n\n${USAGE}` };
          opts.year = y;
          break;
        }
        case '--office':
          opts.office = value().trim();
          break;
        case '--previous':
          opts.previous = value();
          break;
        default:
          if (name.startsWith('-') && name !== '-') return { usage: `未知参数：${name}\n\n${USAGE}` };
          if (opts.file) return { usage: `只能校验一个文件（多余的参数：${name}）。\n\n${USAGE}` };
          opts.file = name;
      }
    } catch (e) {
      return { usage: `${(e as Error).message}\n\n${USAGE}` };
    }
  }
  if (!opts.file) return { usage: `缺少要校验的文件。\n\n${USAGE}` };
  return opts as Options;
}

type Loaded = { result: Awaited<ReturnType<typeof readReport>> } | { unreadable: string };

async function load(file: string, year?: number, office?: string): Promise<Loaded> {
  const bytes = await readInputFile(file);
  if (typeof bytes === 'string') return { unreadable: bytes };
  return { result: await readReport(bytes, { fileName: basename(file), year, office }) };
}

const SECTION_TITLES = SPECS['2021'].sections;

/** Table, row and column, where it is in the document (· 第3页第12行), then expected/actual. */
function location(f: Finding): string {
  const parts: string[] = [];
  if (f.table) parts.push(`表${f.table}`);
  if (f.row) parts.push(`行「${f.row}」`);
  if (f.column) parts.push(`列「${f.column}」`);
  const where = locationText(f.location);
  if (where) parts.push(parts.length ? `· ${where}` : where);
  if (f.expected !== null) parts.push(`应为 ${f.expected}`);
  if (f.actual !== null) parts.push(`实为 ${f.actual}`);
  return parts.join(' ');
}

export function formatText(file: string, v: ValidationResult, options: { showTables?: boolean } = {}): string {
  const errors = v.findings.filter((f) => f.severity === 'error').length;
  const warnings = v.findings.length - errors;
  const what = [
    v.office ?? '（未识别机关）',
    v.year !== null ? `${v.year}年度报告` : '（未识别年度）',
    v.formatVersion ? `${v.formatVersion}年格式` : '（未识别格式）',
  ].join(' · ');
  const verdict = v.verdict === 'accepted' ? (warnings ? '通过（有提示）' : '通过') : '不通过';
  const lines = [`${file}：${what}`, `结论：${verdict}　错误 ${errors} 项，提示 ${warnings} 项`];
  let current = -1;
  for (const f of v.findings) {
    const s = sectionOf(f);
    if (s !== current) {
      current = s;
      const spec = SECTION_TITLES.find((x) => x.ordinal === s);
      lines.push('', spec ? `【${CHINESE_ORDINALS[s - 1]}、${spec.title}】` : '【全文】');
    }
    const loc = location(f);
    lines.push(`  ${f.severity === 'error' ? '✗ 错误' : '! 提示'} [${f.rule}]${loc ? ` ${loc}` : ''}`, `      ${f.message}`);
  }
  if (options.showTables) lines.push('', '【系统读取的表格】', tablesAsText(v.report));
  // Text from the office's file reaches a terminal: no control characters (escape sequences) get through.
  return safeText(lines.join('\n'));
}

export async function run(args: string[]): Promise<number> {
  const opts = parseArgs(args);
  if ('usage' in opts) {
    (opts.help ? console.log : console.error)(opts.usage);
    return opts.help ? 0 : 2;
  }
  const unreadable = (message: string): number => {
    if (opts.json) console.log(JSON.stringify({ unreadable: message }));
    else console.error(`无法读取：${message}`);
    return 2;
  };
  const loaded = await load(opts.file, opts.year, opts.office);
  if ('unreadable' in loaded) return unreadable(loaded.unreadable);
  if (isUnreadable(loaded.result)) return unreadable(loaded.result.unreadable);

  const ctx: ValidationContext = {};
  if (opts.year !== undefined) ctx.year = opts.year;
  if (opts.office) ctx.office = opts.office;
  if (opts.previous) {
    const prev = await load(opts.previous);
    if ('unreadable' in prev) return unreadable(`上年报告：${prev.unreadable}`);
    if (isUnreadable(prev.result)) return unreadable(`上年报告“${opts.previous}”：${prev.result.unreadable}`);
    ctx.previous = prev.result.report as Report;
  }
  const result = validateParsed(loaded.result, ctx);
  console.log(opts.json ? JSON.stringify(result, null, 2) : formatText(opts.file, result, { showTables: opts.showTables }));
  return result.verdict === 'accepted' ? 0 : 1;
}
