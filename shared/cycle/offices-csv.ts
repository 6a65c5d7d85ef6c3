/**
 * The office list as CSV: header `id,name,group,emails`, e-mails separated by `;`. Excel on Chinese Windows
 * saves CSV as GBK, so bytes that are not UTF-8 are read as GB18030. Every bad line is reported (in
 * Chinese, with its line number), not only the first.
 */
import { OfficeInputSchema, type OfficeInput } from './model';

export interface OfficesCsvResult {
  offices: OfficeInput[];
  errors: string[];
}

export function decodeCsv(input: string | Uint8Array): string {
  if (typeof input === 'string') return input.replace(/^\uFEFF/, '');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(input).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('gb18030').decode(input);
  }
}

/**
 * RFC 4180 records: quoted fields may hold commas, quotes ("") and line breaks. A full-width comma separates
 * too unless `fullWidthComma` is false (a file whose header uses ',': there '，' belongs to the text).
 */
export function parseCsvRecords(text: string, fullWidthComma = true): { line: number; cells: string[] }[] {
  const records: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        cell += ch;
      }
      continue;
    }
    if (ch === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (ch === ',' || (fullWidthComma && ch === '，')) {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      cells.push(cell);
      records.push({ line: recordLine, cells });
      cells = [];
      cell = '';
      line++;
      recordLine = line;
    } else cell += ch;
  }
  if (cell !== '' || cells.length) {
    cells.push(cell);
    records.push({ line: recordLine, cells });
  }
  return records.filter((r) => r.cells.some((c) => c.trim() !== ''));
}

const HEADER = ['id', 'name', 'group', 'emails'];

export function parseOfficesCsv(input: string | Uint8Array, knownGroups?: string[]): OfficesCsvResult {
  const records = parseCsvRecords(decodeCsv(input));
  const errors: string[] = [];
  const offices: OfficeInput[] = [];
  if (records.length === 0) return { offices, errors: ['文件为空：第一行应为表头 id,name,group,emails'] };
  const header = records[0].cells.map((c) => c.trim().toLowerCase());
  if (header.length !== HEADER.length || HEADER.some((h, i) => header[i] !== h)) {
    return { offices, errors: [`第${records[0].line}行：表头应为 id,name,group,emails，实为 ${records[0].cells.join(',')}`] };
  }
  const seen = new Map<string, number>();
  for (const { line, cells } of records.slice(1)) {
    if (cells.length !== 4) {
      errors.push(`第${line}行：应有4列（id,name,group,emails），实有${cells.length}列`);
      continue;
    }
    const [id, name, group, emails] = cells.map((c) => c.trim());
    const parsed = OfficeInputSchema.safeParse({
      id,
      name,
      group,
      emails: emails.split(/[;；]/).map((e) => e.trim()).filter(Boolean),
    });
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${FIELD_NAMES[String(i.path[0])] ?? String(i.path[0])}：${i.message}`);
      errors.push(`第${line}行：${[...new Set(problems)].join('；')}`);
      continue;
    }
    if (knownGroups && !knownGroups.includes(parsed.data.group)) {
      errors.push(`第${line}行：分组"${parsed.data.group}"不在本年度设置的分组中（${knownGroups.join('、')}）`);
      continue;
    }
    const first = seen.get(parsed.data.id);
    if (first !== undefined) {
      errors.push(`第${line}行：单位编号"${parsed.data.id}"与第${first}行重复`);
      continue;
    }
    seen.set(parsed.data.id, line);
    offices.push(parsed.data);
  }
  return { offices, errors };
}

const FIELD_NAMES: Record<string, string> = { id: '单位编号', name: '单位名称', group: '分组', emails: '电子邮箱' };
