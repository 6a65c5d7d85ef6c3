/**
 * `nianbao aggregate FILE... [--year Y] [--name 政府名称] [--previous FILE] [--umbrella 单位]... [--json]
 *   [--docx out.docx] [--pdf out.pdf] [--report-json out.json]`
 *
 * The 本级 report offline: reads the offices' reports (any kind readReport reads), sums tables 二/三/四 of
 * those of one format version (shared/report/aggregate) and prints the coverage, the sums left blank and the
 * year on year; writes the Word file and the canonical PDF on request. Exit 0 done (warnings allowed),
 * 1 nothing could be added up, 2 bad usage or a file that does not exist.
 *
 * `--json`: stdout is one object `{ report, included, missing, incomplete, findings, excluded, late, stocks,
 * yearOnYear }` (docs/aggregate.md); `report` is the canonical model of the sums.
 */
import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { commandArgs, readInputFile, reportYear } from '../args';
import { aggregate, looksLikeUmbrella, percent, type AggregateEntry, type AggregateResult } from '../../shared/report/aggregate';
import { summaryNotes } from '../../shared/report/aggregate/narrative';
import { isUnreadable, readReport } from '../../shared/report/ingest';
import { ReportSchema, type Report } from '../../shared/report/model';
import { validateParsed } from '../../shared/report/validate';

// docx and pdfkit load only when a Word file or a PDF is asked for (`nianbao --help` loads every command).
/* eslint-disable @typescript-eslint/no-require-imports */

export const summary = '汇总各单位年度报告为本级报告：aggregate <文件>... [--year 年度] [--json] [--docx 输出.docx] [--pdf 输出.pdf]';

const USAGE = `用法：nianbao aggregate <报告文件>... [--year 年度] [--name 本级政府名称] [--previous 上年汇总]
                         [--umbrella 单位名称]... [--json] [--docx 输出.docx] [--pdf 输出.pdf] [--report-json 输出.json]

  把各单位的年度报告（.txt / .json / .html / .docx / .pdf）的表二、表三、表四逐格相加，生成本级汇总报告。
  空白不按0计算：有单位未填写的合计留空，并列出未填写的单位。
  --year       汇总年度；只汇总该年度、对应格式版本的报告（默认：多数报告的年度）
  --name       本级政府名称，用于标题（默认“本级政府”）
  --previous   上一年度的汇总（本命令 --report-json 或 --json 的输出），用于同比
  --umbrella   已包含各部门数据的报告的单位名称（可多次给出），不与各部门相加；
               名称以“人民政府办公室”结尾的单位自动按此处理，--no-auto-umbrella 关闭
  --json       输出一个 JSON 对象（report, included, missing, incomplete, findings …）
  --docx       生成 Word 文件（国家格式表格，总体情况按数据起草，其余部分留待填写）
  --pdf        生成标准 PDF
  --report-json  把汇总报告写成标准 JSON（报告数据格式，可用 nianbao validate 校验）

退出码：0 完成（可有提示）；1 没有可以汇总的报告；2 参数有误或文件不存在。`;

interface Options {
  files: string[];
  year?: number;
  name?: string;
  previous?: string;
  umbrella: string[];
  autoUmbrella: boolean;
  json: boolean;
  docx?: string;
  pdf?: string;
  reportJson?: string;
}

function parseArgs(args: string[]): Options | { usage: string; help?: boolean } {
  const opts: Options = { files: [], umbrella: [], autoUmbrella: true, json: false };
  for (const { name, value } of commandArgs(args)) {
    try {
      switch (name) {
        case '--help':
        case '-h':
          return { usage: USAGE, help: true };
        case '--json':
          opts.json = true;
          break;
        case '--no-auto-umbrella':
          opts.autoUmbrella = false;
          break;
        case '--year': {
          const y = reportYear(value());
          if (typeof y !== 'number') return { usage: `${y.invalid}\n\n${USAGE}` };
          opts.year = y;
          break;
        }
        case '--name':
          opts.name = value().trim();
          break;
        case '--previous':
          opts.previous = value();
          break;
        case '--umbrella':
          opts.umbrella.push(value().trim());
          break;
        case '--docx':
          opts.docx = value();
          break;
        case '--pdf':
          opts.pdf = value();
          break;
        case '--report-json':
          opts.reportJson = value();
          break;
        default:
          if (name.startsWith('-') && name !== '-') return { usage: `未知参数：${name}\n\n${USAGE}` };
          opts.files.push(name);
      }
    } catch (e) {
      return { usage: `${(e as Error).message}\n\n${USAGE}` };
    }
  }
  if (opts.files.length === 0) return { usage: `缺少要汇总的报告文件。\n\n${USAGE}` };
  return opts;
}

/** The previous aggregate: this command's JSON (its `report`), or any report file. */
async function loadPrevious(file: string): Promise<Report | string> {
  const bytes = await readInputFile(file);
  if (typeof bytes === 'string') return bytes;
  const text = Buffer.from(bytes).toString('utf8').replace(/^\uFEFF/, '');
  if (/^\s*\{/.test(text)) {
    try {
      const value = JSON.parse(text) as { report?: unknown };
      if (value && typeof value === 'object' && value.report) {
        const parsed = ReportSchema.safeParse(value.report);
        if (parsed.success) return parsed.data;
      }
    } catch {
      // not our JSON: let the reader say what is wrong
    }
  }
  const read = await readReport(bytes, { fileName: basename(file) });
  return isUnreadable(read) ? `上年汇总“${file}”无法读取：${read.unreadable}` : read.report;
}

/** Writes all of `text` to stdout before resolving (a pipe must never get a truncated object). */
function writeOut(text: string): Promise<void> {
  return new Promise((resolve) => process.stdout.write(text, () => resolve()));
}

function formatText(result: AggregateResult, files: number): string {
  const lines: string[] = [];
  lines.push(`${result.report.title}（${result.formatVersion ?? '未识别'}年格式）`);
  lines.push(`纳入汇总 ${result.included.length} 份，未计入 ${result.missing.length} 份，未重复相加 ${result.excluded.length} 份（共 ${files} 个文件）`);
  for (const i of result.included) lines.push(`  ✓ ${i.office}${i.file ? `　${i.file}` : ''}`);
  for (const m of result.missing) lines.push(`  ✗ ${m.message}`);
  for (const e of result.excluded) lines.push(`  − ${e.message}`);
  if (result.signals.length) {
    lines.push('', `值得核实的数据 ${result.signals.length} 项：`);
    for (const s of result.signals) lines.push(`  ? ${s.message}`);
  }
  if (result.incomplete.length) {
    lines.push('', `留空的合计 ${result.incomplete.length} 项（空白不按0计算）：`);
    for (const c of result.incomplete) lines.push(`  ! ${c.message}`);
  }
  lines.push('', '主要数据：');
  for (const f of result.yearOnYear.filter((x) => !x.key.startsWith('二:'))) {
    const cur = f.current === null ? '（留空）' : String(f.current);
    const prev = result.hasPrevious ? `　上年 ${f.previous ?? '—'}${f.changeRate !== null && f.changeRate !== undefined ? `（${f.changeRate >= 0 ? '+' : ''}${percent(f.changeRate)}）` : ''}` : '';
    const share = f.share !== undefined && f.share !== null ? `　占 ${percent(f.share)}` : '';
    lines.push(`  ${f.label}：${cur}${share}${prev}`);
  }
  return lines.join('\n');
}

export async function run(args: string[]): Promise<number> {
  const opts = parseArgs(args);
  if ('usage' in opts) {
    (opts.help ? console.log : console.error)(opts.usage);
    return opts.help ? 0 : 2;
  }
  let previous: Report | null = null;
  if (opts.previous) {
    const p = await loadPrevious(opts.previous);
    if (typeof p === 'string') {
      console.error(p);
      return 2;
    }
    previous = p;
  }
  const entries: AggregateEntry[] = [];
  for (const file of opts.files) {
    const bytes = await readInputFile(file);
    if (typeof bytes === 'string') {
      console.error(bytes);
      return 2;
    }
    const read = await readReport(bytes, { fileName: basename(file), year: opts.year });
    if (isUnreadable(read)) {
      entries.push({ office: basename(file), file, basis: null, report: null, problem: read.unreadable });
      continue;
    }
    const office = read.report.office ?? basename(file);
    const errors = validateParsed(read, opts.year ? { year: opts.year } : {}).findings.filter((f) => f.severity === 'error').length;
    entries.push({
      office,
      file,
      basis: 'file',
      report: read.report,
      umbrella: opts.umbrella.includes(office) || (opts.autoUmbrella && looksLikeUmbrella(office)),
      errors,
    });
  }
  const result = aggregate(entries, { year: opts.year, name: opts.name, previous, includeAccepted: true });
  const { report, included, missing, incomplete, findings, ...rest } = result;
  const json = JSON.stringify({ report, included, missing, incomplete, findings, ...rest }, null, 2);
  try {
    if (opts.reportJson) await writeFile(opts.reportJson, JSON.stringify(report, null, 2) + '\n');
    if (opts.docx) {
      const { renderDocx } = require('../../shared/render/docx') as typeof import('../../shared/render/docx');
      await writeFile(opts.docx, await renderDocx(report, { notesAfterTables: true, appendix: { heading: '附：汇总说明', paragraphs: summaryNotes(result) } }));
    }
    if (opts.pdf) {
      const { renderPdf } = require('../../shared/render/pdf') as typeof import('../../shared/render/pdf');
      await writeFile(opts.pdf, await renderPdf(report));
    }
  } catch (e) {
    console.error(`生成失败：${(e as Error).message}`);
    return 1;
  }
  if (opts.json) await writeOut(json + '\n');
  else {
    await writeOut(formatText(result, opts.files.length) + '\n');
    for (const [what, path] of [['Word 文件', opts.docx], ['PDF', opts.pdf], ['JSON', opts.reportJson]] as const) if (path) console.log(`已生成${what}：${path}`);
  }
  return included.length > 0 ? 0 : 1;
}
