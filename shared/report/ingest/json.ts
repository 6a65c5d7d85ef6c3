/**
 * JSON input is the canonical model itself (model.ts). Every schema problem is reported at once,
 * in Chinese, with the path of the value that is wrong.
 */
import type { z } from 'zod/mini';
import { ReportSchema, type Report } from '../model';

export type JsonRead = { report: Report } | { unreadable: string };

const TABLE_NAMES: Record<string, string> = { table2: '表二', table3: '表三', table4: '表四' };

const clip = (s: string, n = 60) => (s.length > n ? `${s.slice(0, n)}…` : s);

function pathText(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '（根对象）';
  return path
    .map((p, i) => {
      if (typeof p === 'number') return `[${p}]`;
      // Keys come from the file: a megabyte-long key must not become a megabyte-long message.
      const s = clip(String(p));
      if (i === 0 && TABLE_NAMES[s]) return `${s}（${TABLE_NAMES[s]}）`;
      return i === 0 ? s : `.“${s}”`;
    })
    .join('')
    .replace(/^\./, '');
}

function issueText(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? `缺少必填项（应为 ${issue.expected}）` : `类型错误：应为 ${issue.expected}`;
    case 'invalid_value':
      return `取值不允许：应为 ${issue.values.map((v) => JSON.stringify(v)).join(' 或 ')}`;
    case 'too_small':
      return `数值过小：最小为 ${String(issue.minimum)}`;
    case 'too_big':
      return `数值过大：最大为 ${String(issue.maximum)}`;
    case 'unrecognized_keys':
      return `含有不认识的字段：${issue.keys.join('、')}`;
    case 'invalid_union':
      return '取值不符合任何允许的形式';
    default:
      return `取值不正确（${issue.message}）`;
  }
}

/** Cells whose kind and value contradict each other pass the schema but would mislead every rule. */
function cellProblems(report: Report): string[] {
  const out: string[] = [];
  for (const key of ['table2', 'table3', 'table4'] as const) {
    const t = report[key];
    if (!t) continue;
    for (const [row, cells] of Object.entries(t)) {
      for (const [col, c] of Object.entries(cells)) {
        const at = `${key}（${TABLE_NAMES[key]}）.“${clip(row)}”.“${clip(col)}”`;
        if (c.kind === 'number' && (c.value === null || !Number.isFinite(c.value))) out.push(`${at}：kind 为 number 但 value 不是数字`);
        // Same bound as the parser's: sums of such values overflow or lose precision.
        else if (c.kind === 'number' && Math.abs(c.value!) > Number.MAX_SAFE_INTEGER) out.push(`${at}：数值过大（${c.value}），不是有效的统计数字`);
        if (c.kind !== 'number' && c.value !== null) out.push(`${at}：kind 为 ${c.kind} 时 value 应为 null`);
      }
    }
  }
  return out;
}

export function readJsonReport(text: string): JsonRead {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\ufeff/, ''));
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { unreadable: `JSON 文件无法解析（${why}）。请检查文件是否完整，或改为提交 Word（.docx）、PDF 或网页格式的报告。` };
  }
  const parsed = ReportSchema.safeParse(data);
  if (!parsed.success) {
    const lines = parsed.error.issues.slice(0, 50).map((i) => `- ${pathText(i.path)}：${issueText(i)}`);
    const more = parsed.error.issues.length > 50 ? `\n…另有 ${parsed.error.issues.length - 50} 处问题` : '';
    return {
      unreadable: `JSON 文件不符合年报数据格式（共 ${parsed.error.issues.length} 处问题），请按数据格式说明修改后重新提交：\n${lines.join('\n')}${more}`,
    };
  }
  const problems = cellProblems(parsed.data);
  if (problems.length) {
    return { unreadable: `JSON 文件中有 ${problems.length} 个单元格前后矛盾，请修改后重新提交：\n${problems.slice(0, 50).map((p) => `- ${p}`).join('\n')}` };
  }
  return { report: parsed.data };
}
