/**
 * The 本级 report: the coordinator's aggregate of the offices' annual reports for one cycle (or a set of
 * files). Pure: reports and their coverage facts in, one canonical report of the sums plus coverage,
 * incomplete sums, year on year and findings out. No AWS, no file system (callers load the reports).
 *
 * - Tables 二, 三, 四 are summed cell by cell over the included reports of one format version (sum.ts).
 *   Stock columns (现行有效件数, 对外公开总数量, 上一年项目数量) are summed too, and labelled as sums of the
 *   offices' stocks. A blank cell in any office keeps the sum blank and names the office (blank is not 0).
 * - Coverage: included offices (published version, or accepted if the coordinator says so), missing,
 *   rejected, late, and excluded ones (another format version or year; an "umbrella" report such as the
 *   government's own 办公室 report that already contains its parts, never summed with them).
 * - Year on year against the previous cycle's aggregate, with changes and shares (figures.ts).
 */
import { finding, REPORT_SCHEMA_ID, type Finding, type Report } from '../model';
import { CHINESE_ORDINALS, SPECS, versionForYear, type FormatVersion } from '../spec';
import type { OfficeStatus } from '../../common/status';
import { rowName, tableName } from '../rules/labels';
import { compareYears, type FigureComparison } from './figures';
import { draftOverview, stockNote, incompleteNote } from './narrative';
import { signals, type Signal } from './signals';
import { isStockColumn, sumTables, type IncompleteCell } from './sum';

export { sumTables, STOCK_COLUMNS, isStockColumn, type IncompleteCell, type SumInput, type SumResult } from './sum';
export { signals, type Signal, type SignalInput, type SignalKind } from './signals';
export { compareYears, figureValue, HEADLINE_FIGURES, percent, type FigureComparison } from './figures';

/** One office of the cycle (or one file, offline). */
export interface AggregateEntry {
  office: string;
  officeId?: string;
  group?: string;
  /** The office's status in the cycle; absent for files given offline. */
  status?: OfficeStatus;
  /**
   * Which version of the office's report `report` is: the published one, an accepted one not yet published,
   * or a file given offline. null: the office has no report that could count.
   */
  basis: 'published' | 'accepted' | 'file' | null;
  submissionId?: string | null;
  file?: string;
  /** Public version number (v1, v2 …) of a published report. */
  publishedVersion?: number | null;
  /** The counted (or latest) upload came after the office's deadline, or the office is overdue without one. */
  late?: boolean;
  /**
   * The report already covers other offices' figures (the government's own 办公室 report, or any office the
   * coordinator marks so): never added to its parts.
   */
  umbrella?: boolean;
  report: Report | null;
  /** Why there is no report (e.g. the file could not be read), in Chinese. */
  problem?: string;
  /** The same office's report of the year before (for the signals: jumps, tables copied from last year). */
  previous?: Report | null;
  /** Validation errors of the report (offline files are counted whatever their verdict): a warning each. */
  errors?: number;
}

export interface AggregateOptions {
  /** The report year; default: the year most included reports state. */
  year?: number;
  /** Whether accepted but unpublished reports count (the coordinator's choice). Default false. */
  includeAccepted?: boolean;
  /** Name of the 本级 government, for the title: "青峰区人民政府". Default "本级政府". */
  name?: string;
  /** The previous cycle's aggregate report, for year on year. */
  previous?: Report | null;
}

export interface IncludedOffice {
  office: string;
  officeId?: string;
  file?: string;
  submissionId?: string;
  /** Public version number of the counted report; null for an accepted, unpublished one or a file. */
  version: number | null;
  basis: 'published' | 'accepted' | 'file';
  formatVersion: FormatVersion;
}

export type NotIncludedReason = 'not_submitted' | 'checking' | 'rejected' | 'returned' | 'unpublished' | 'unreadable' | 'format' | 'year';

export interface NotIncludedOffice {
  office: string;
  officeId?: string;
  file?: string;
  status?: OfficeStatus;
  reason: NotIncludedReason;
  message: string;
}

export interface AggregateResult {
  report: Report;
  year: number | null;
  formatVersion: FormatVersion | null;
  included: IncludedOffice[];
  /** Offices whose report is not in the sums, each with its reason (never submitted, rejected, …). */
  missing: NotIncludedOffice[];
  /** Umbrella reports left out so that nothing is counted twice. */
  excluded: Array<{ office: string; officeId?: string; reason: 'umbrella'; message: string }>;
  /** Offices late with their report (included or not). */
  late: Array<{ office: string; officeId?: string; included: boolean }>;
  /** Sums left blank because some office's cell is blank or absent. */
  incomplete: Array<IncompleteCell & { message: string }>;
  /** Stock columns: their sums are sums of the offices' stocks. */
  stocks: Array<{ table: '二'; row: string; column: string; note: string }>;
  yearOnYear: FigureComparison[];
  /** Figures worth a second look in the included reports (signals.ts): never errors. */
  signals: Signal[];
  /** Whether a previous aggregate was given. */
  hasPrevious: boolean;
  findings: Finding[];
}

/** The usual name of a government's own office (its report is the 本级 report's own part). */
const UMBRELLA_NAME = /人民政府办公(室|厅)$/;

/** Whether an office's report should be treated as covering its parts (the coordinator may also mark any office). */
export function looksLikeUmbrella(officeName: string): boolean {
  return UMBRELLA_NAME.test(officeName.trim());
}

const REASON_TEXT: Record<NotIncludedReason, string> = {
  not_submitted: '未提交年度报告',
  checking: '报告正在校验，尚无通过的版本',
  rejected: '报告未通过校验',
  returned: '报告已退回修改',
  unpublished: '报告已通过但尚未公开（本次汇总只计已公开的版本）',
  unreadable: '报告无法读取',
  format: '报告的格式版本与本次汇总不同',
  year: '报告年度与本次汇总不同',
};

function mostCommon<T>(values: T[]): T | null {
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: T | null = null;
  let n = 0;
  for (const [v, c] of counts) if (c > n) [best, n] = [v, c];
  return best;
}

function officeList(names: string[], max = 10): string {
  const shown = names.slice(0, max).map((n) => `“${n}”`).join('、');
  return names.length > max ? `${shown}等${names.length}个单位` : shown;
}

export function aggregate(entries: AggregateEntry[], options: AggregateOptions = {}): AggregateResult {
  const findings: Finding[] = [];
  const missing: NotIncludedOffice[] = [];
  const excluded: AggregateResult['excluded'] = [];
  const ref = (e: AggregateEntry) => ({ office: e.office, ...(e.officeId ? { officeId: e.officeId } : {}), ...(e.file ? { file: e.file } : {}) });
  const notIncluded = (e: AggregateEntry, reason: NotIncludedReason, detail = '') => {
    const message = `“${e.office}”未计入汇总：${REASON_TEXT[reason]}${detail}。`;
    missing.push({ ...ref(e), ...(e.status ? { status: e.status } : {}), reason, message });
    findings.push(finding({ rule: 'AGG-02', severity: 'warning', message }));
  };

  // 1. Which entries have a report that may count.
  const candidates: AggregateEntry[] = [];
  for (const e of entries) {
    if (e.umbrella) {
      const message = `“${e.office}”的报告已包含各组成部门的数据，不与各部门相加（避免重复计算），未计入合计。`;
      excluded.push({ office: e.office, ...(e.officeId ? { officeId: e.officeId } : {}), reason: 'umbrella', message });
      findings.push(finding({ rule: 'AGG-03', severity: 'warning', message }));
      continue;
    }
    if (!e.report || !e.basis) {
      const reason: NotIncludedReason =
        e.problem !== undefined
          ? 'unreadable'
          : e.status === 'REJECTED'
            ? 'rejected'
            : e.status === 'RETURNED'
              ? 'returned'
              : e.status === 'RECEIVED'
                ? 'checking'
                : 'not_submitted';
      notIncluded(e, reason, e.problem ? `（${e.problem}）` : '');
      continue;
    }
    if (e.basis === 'accepted' && !options.includeAccepted) {
      notIncluded(e, 'unpublished');
      continue;
    }
    candidates.push(e);
  }

  // 2. One year and one format version.
  const year = options.year ?? mostCommon(candidates.map((e) => e.report!.year).filter((y): y is number => y !== null));
  const version: FormatVersion | null =
    year !== null ? versionForYear(year) : mostCommon(candidates.map((e) => e.report!.formatVersion).filter((v): v is FormatVersion => v !== null));
  const included: AggregateEntry[] = [];
  for (const e of candidates) {
    const r = e.report!;
    if (year !== null && r.year !== null && r.year !== year) notIncluded(e, 'year', `（报告为${r.year}年度，汇总为${year}年度）`);
    else if (version && r.formatVersion !== version)
      notIncluded(e, 'format', `（报告为${r.formatVersion ?? '未识别'}格式，汇总按${version}年格式）`);
    else included.push(e);
  }

  // 3. The sums.
  const v: FormatVersion = version ?? '2021';
  const sums = sumTables(
    included.map((e) => ({ office: e.office, report: e.report! })),
    v,
  );
  const incomplete = sums.incomplete.map((c) => {
    const who = [...c.blank, ...c.absent];
    const message =
      `${tableName(c.table)}「${rowName(c.row)}」「${c.column}」的合计留空：${officeList(who)}未填写该项（空白不按0计），` +
      `其余${c.counted}个单位合计为${c.partialSum}，仅供参考。`;
    findings.push(finding({ rule: 'AGG-01', severity: 'warning', table: c.table, row: c.row, column: c.column, message }));
    return { ...c, message };
  });
  const stocks = Object.entries(sums.table2).flatMap(([row, cells]) =>
    Object.keys(cells)
      .filter(isStockColumn)
      .map((column) => ({ table: '二' as const, row, column, note: `「${column}」为各单位${column}之和（同一事项可能在多个单位重复计数）。` })),
  );

  const late = entries.filter((e) => e.late).map((e) => ({ office: e.office, ...(e.officeId ? { officeId: e.officeId } : {}), included: included.includes(e) }));
  for (const e of included) {
    if (e.errors) {
      findings.push(
        finding({ rule: 'AGG-06', severity: 'warning', message: `“${e.office}”的报告有${e.errors}项校验错误，其数据已计入汇总，请核实后使用。` }),
      );
    }
  }
  for (const l of late) {
    findings.push(finding({ rule: 'AGG-04', severity: 'warning', message: `“${l.office}”逾期报送${l.included ? '（已计入汇总）' : ''}。` }));
  }
  if (included.length === 0) findings.push(finding({ rule: 'AGG-05', severity: 'error', message: '没有可以汇总的报告：没有已公开（或已通过）的报告。' }));

  // 4. The report of the sums.
  const name = options.name?.trim() || '本级政府';
  const report: Report = {
    $schema: REPORT_SCHEMA_ID,
    title: `${name}${year ?? ''}年政府信息公开工作年度报告`,
    year,
    office: name,
    formatVersion: v,
    period: year !== null ? { from: `${year}-01-01`, to: `${year}-12-31` } : null,
    sections: [],
    table2: sums.table2,
    table3: sums.table3,
    table4: sums.table4,
  };
  const yearOnYear = compareYears(report, options.previous ?? null);
  const result: AggregateResult = {
    report,
    year,
    formatVersion: version,
    included: included.map((e) => ({
      ...ref(e),
      ...(e.submissionId ? { submissionId: e.submissionId } : {}),
      version: e.basis === 'published' ? (e.publishedVersion ?? null) : null,
      basis: e.basis as IncludedOffice['basis'],
      formatVersion: v,
    })),
    missing,
    excluded,
    late,
    incomplete,
    stocks,
    yearOnYear,
    signals: signals(included.map((e) => ({ office: e.office, group: e.group, report: e.report!, previous: e.previous ?? null }))),
    hasPrevious: Boolean(options.previous),
    findings,
  };
  const texts: Record<number, string> = {
    1: draftOverview(result, entries.length),
    2: stockNote(v),
    3: incompleteNote(incomplete, '三'),
    4: incompleteNote(incomplete, '四'),
  };
  if (texts[2] && incompleteNote(incomplete, '二')) texts[2] += `\n${incompleteNote(incomplete, '二')}`;
  report.sections = SPECS[v].sections.map((s) => ({
    ordinal: s.ordinal,
    heading: `${CHINESE_ORDINALS[s.ordinal - 1]}、${s.title}`,
    numbering: 'chinese' as const,
    writtenOrdinal: null,
    text: texts[s.ordinal] ?? '',
  }));
  return result;
}
