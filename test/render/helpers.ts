/** Shared by the render tests: a complete, consistent 2021 report built in code, and poppler wrappers. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyReport, numberCell, TABLE_KEYS, type Cell, type Report, type Table } from '../../shared/report/model';
import { SPECS, T3, dataRows, type FormatVersion } from '../../shared/report/spec';
import { rng } from '../report/rules-gen';

/**
 * A complete report whose table 三 and 四 satisfy the national sums (一+二 = 七+四, 总计 = Σ columns,
 * 七 = Σ leaves), every figure filled.
 */
export function buildReport(options: { year?: number; office?: string; seed?: number; version?: FormatVersion } = {}): Report {
  const year = options.year ?? 2021;
  const version = options.version ?? (year <= 2020 ? '2019' : '2021');
  const spec = SPECS[version];
  const next = rng(options.seed ?? 7);
  const int = (max: number) => Math.floor(next() * (max + 1));
  const r = emptyReport();
  r.year = year;
  r.office = options.office ?? '青峰区住房和城乡建设局';
  r.formatVersion = version;
  r.title = `${r.office}${year}年政府信息公开工作年度报告`;
  r.period = { from: `${year}-01-01`, to: `${year}-12-31` };
  r.sections = spec.sections.map((s) => ({
    ordinal: s.ordinal,
    heading: `${'一二三四五六'[s.ordinal - 1]}、${s.title}`,
    numbering: 'chinese' as const,
    writtenOrdinal: null,
    text:
      s.ordinal === 1
        ? `${year}年，${r.office}认真贯彻落实《中华人民共和国政府信息公开条例》，全年主动公开政府信息386条。\n　　加强组织领导，明确工作责任，政务公开工作取得新成效。`
        : s.ordinal === 5
          ? '存在的主要问题：公开内容的及时性有待提高。\n改进措施：加强培训，完善审核机制。'
          : s.ordinal === 6
            ? '本机关未收取信息处理费。'
            : '',
  }));

  // table 二
  const t2: Table = {};
  for (const row of dataRows(spec.tables['二'])) {
    t2[row.label] = {};
    for (const c of row.columns) t2[row.label][c.label] = c.kind === 'decimal' ? numberCell(Number((int(900) / 100 + 0.25).toFixed(2))) : numberCell(int(60) + 1);
  }
  r.table2 = t2;

  // table 三
  const t3rows = dataRows(spec.tables['三']);
  const cols = t3rows[0].columns.map((c) => c.label);
  const detail = cols.slice(0, -1);
  const t3: Table = {};
  const put = (row: string, values: number[]) => {
    const total = values.reduce((a, b) => a + b, 0);
    t3[row] = Object.fromEntries([...detail.map((c, i) => [c, numberCell(values[i])]), [T3.total, numberCell(total)]]) as Record<string, Cell>;
  };
  const leaves = t3rows.filter((row) => ![T3.received, T3.carriedIn, T3.resultsTotal, T3.carriedOut].includes(row.label as never));
  const sums = detail.map(() => 0);
  for (const row of leaves) {
    const v = detail.map((_, i) => (i === 0 ? int(40) : int(6)));
    v.forEach((x, i) => (sums[i] += x));
    put(row.label, v);
  }
  put(T3.resultsTotal, sums);
  const carriedOut = detail.map(() => int(3));
  const carriedIn = detail.map((_, i) => Math.min(int(3), sums[i] + carriedOut[i]));
  put(T3.carriedOut, carriedOut);
  put(T3.carriedIn, carriedIn);
  put(
    T3.received,
    detail.map((_, i) => sums[i] + carriedOut[i] - carriedIn[i]),
  );
  // keep spec row order
  r.table3 = Object.fromEntries(t3rows.map((row) => [row.label, t3[row.label]]));

  // table 四
  const t4: Table = {};
  for (const row of dataRows(spec.tables['四'])) {
    const v = [int(5), int(3), int(3), int(2)];
    t4[row.label] = {
      结果维持: numberCell(v[0]),
      结果纠正: numberCell(v[1]),
      其他结果: numberCell(v[2]),
      尚未审结: numberCell(v[3]),
      总计: numberCell(v.reduce((a, b) => a + b, 0)),
    };
  }
  r.table4 = t4;
  return r;
}

export const tableOf = (r: Report, id: '二' | '三' | '四') => r[TABLE_KEYS[id]];

export function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'nianbao-render-'));
}

export function writeTmp(dir: string, name: string, bytes: Buffer | string): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

export function pdftotext(file: string, mode: '-layout' | '-raw', page?: number): string {
  const range = page ? ['-f', String(page), '-l', String(page)] : [];
  return execFileSync('pdftotext', [mode, '-enc', 'UTF-8', ...range, file, '-'], { encoding: 'utf8' });
}

export function pdfPages(file: string): number {
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  return Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
}

/** All whitespace out: labels wrapped inside a cell come out as one string. */
export const squash = (s: string) => s.replace(/[\s\u3000]+/g, '');

/** A line of `pdftotext -layout` holding exactly these numbers in this order (no other digits between). */
export function hasNumberRun(layout: string, values: Array<number | string>): boolean {
  const re = new RegExp(`(^|[^\\d.])${values.map((v) => String(v).replace('.', '\\.')).join('\\s+')}($|[^\\d.])`);
  return layout.split('\n').some((line) => re.test(line));
}
