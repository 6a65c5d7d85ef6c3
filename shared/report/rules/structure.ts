/** STR-01 … STR-07: sections, year, period, format version, table layout, office. */
import { finding, TABLE_KEYS, type Finding, type Report } from '../model';
import { CHINESE_ORDINALS, dataRows, SPECS, versionForYear, type FormatVersion, type RowSpec, type TableId } from '../spec';
import { effectiveVersion, inSection, narrative, referenceYear, sectionText, type ValidationContext } from './context';
import { rowName, tableName } from './labels';
import { labelKey } from '../parse/normalize';

const TABLE_IDS: TableId[] = ['二', '三', '四'];
const NUMBERING_NAME = { arabic: '用了阿拉伯数字序号', parenthesised: '用了括号序号', none: '没有序号', chinese: '' } as const;

const versionName = (v: FormatVersion) => (v === '2019' ? '2019年格式（试行，国办公开办函〔2019〕60号）' : '2021年格式（国办公开办函〔2021〕30号）');

// ---- STR-01 ----
export function str01(report: Report): Finding[] {
  const out: Finding[] = [];
  const sections = SPECS['2021'].sections;
  const seen = new Set<number>();
  let maxSoFar = 0;
  for (const s of report.sections) {
    const spec = sections.find((x) => x.ordinal === s.ordinal);
    if (!spec) continue; // the model allows 1..6 only; stay total on anything else
    const expected = `${CHINESE_ORDINALS[s.ordinal - 1]}、`;
    const heading = s.heading.trim();
    if (seen.has(s.ordinal)) {
      out.push(inSection(finding({ rule: 'STR-01', severity: 'error', message: `第${CHINESE_ORDINALS[s.ordinal - 1]}部分「${spec.title}」重复出现：「${heading}」。` }), s.ordinal));
    } else if (s.ordinal < maxSoFar) {
      out.push(
        inSection(
          finding({ rule: 'STR-01', severity: 'error', message: `部分顺序错误：「${heading}」应位于第${CHINESE_ORDINALS[maxSoFar - 1]}部分之前。六个部分应依次为一至六。` }),
          s.ordinal,
        ),
      );
    }
    seen.add(s.ordinal);
    maxSoFar = Math.max(maxSoFar, s.ordinal);
    if (s.numbering !== 'chinese') {
      out.push(
        inSection(
          finding({ rule: 'STR-01', severity: 'warning', message: `标题「${heading}」的序号写法不规范（${NUMBERING_NAME[s.numbering]}），应写作「${expected}${spec.title}」。` }),
          s.ordinal,
        ),
      );
    } else if (s.writtenOrdinal != null && s.writtenOrdinal !== s.ordinal) {
      out.push(
        inSection(
          finding({ rule: 'STR-01', severity: 'warning', message: `标题「${heading}」的序号与位置不符，应为「${expected}${spec.title}」。` }),
          s.ordinal,
        ),
      );
    } else if (labelKey(heading) !== labelKey(spec.title)) {
      out.push(
        inSection(
          finding({ rule: 'STR-01', severity: 'warning', message: `标题「${heading}」与全国统一格式的写法不一致，应为「${expected}${spec.title}」。` }),
          s.ordinal,
        ),
      );
    }
  }
  for (const spec of sections) {
    if (!seen.has(spec.ordinal)) {
      out.push(
        inSection(
          finding({ rule: 'STR-01', severity: 'error', message: `缺少第${CHINESE_ORDINALS[spec.ordinal - 1]}部分「${CHINESE_ORDINALS[spec.ordinal - 1]}、${spec.title}」。` }),
          spec.ordinal,
        ),
      );
    }
  }
  return out;
}

// ---- STR-02 ----
const YEAR_IN = /((?:19|20)\d{2})\s*年/;

export function str02(report: Report, ctx: ValidationContext): Finding[] {
  const out: Finding[] = [];
  if (report.year === null) {
    out.push(finding({ rule: 'STR-02', severity: 'error', message: '未能识别报告年度：标题应写明年度，如「××2022年政府信息公开工作年度报告」。' }));
  } else if (ctx.year !== undefined && report.year !== ctx.year) {
    out.push(
      finding({
        rule: 'STR-02',
        severity: 'error',
        expected: ctx.year,
        actual: report.year,
        message: `报告年度为${report.year}年，本轮应报送${ctx.year}年度报告。`,
      }),
    );
  }
  const year = referenceYear(report, ctx);
  if (year === null) return out;
  const titleYear = report.title?.match(YEAR_IN);
  if (titleYear && Number(titleYear[1]) !== year) {
    out.push(finding({ rule: 'STR-02', severity: 'error', expected: year, actual: Number(titleYear[1]), message: `标题「${report.title}」中的年度${titleYear[1]}年与报告年度${year}年不一致。` }));
  }
  if (report.period) {
    const from = Number(report.period.from.slice(0, 4));
    const to = Number(report.period.to.slice(0, 4));
    if (from !== year || to !== year) {
      out.push(
        finding({
          rule: 'STR-02',
          severity: 'error',
          expected: year,
          actual: from !== year ? from : to,
          message: `统计期间（${report.period.from}至${report.period.to}）与报告年度${year}年不一致。`,
        }),
      );
    }
  }
  const overview = sectionText(report, 1);
  const opening = overview?.trim().match(/^((?:19|20)\d{2})\s*年\s*[，,、]/);
  if (opening && Number(opening[1]) !== year) {
    out.push(
      inSection(
        finding({
          rule: 'STR-02',
          severity: 'error',
          expected: year,
          actual: Number(opening[1]),
          message: `「一、总体情况」以「${opening[0]}」开头，把${opening[1]}年当作本年度；报告年度为${year}年（疑似沿用了其他年度的报告）。`,
        }),
        1,
      ),
    );
  }
  return out;
}

// ---- STR-03 ----
export function str03(report: Report, ctx: ValidationContext): Finding[] {
  const year = referenceYear(report, ctx);
  if (!report.period || year === null) return [];
  const { from, to } = report.period;
  if (Number(from.slice(0, 4)) !== year || Number(to.slice(0, 4)) !== year) return []; // STR-02 reports it
  if (from === `${year}-01-01` && to === `${year}-12-31`) return [];
  return [
    finding({
      rule: 'STR-03',
      severity: 'warning',
      message: `统计期间为${from}至${to}，应为${year}年1月1日至${year}年12月31日。`,
    }),
  ];
}

// ---- STR-04 / STR-05 / STR-06: tables against the spec ----

/** Row labels and column labels each version knows, per table. */
const knownCache = new Map<string, { rows: Map<string, RowSpec>; columns: Set<string> }>();
function known(version: FormatVersion, table: TableId) {
  const key = `${version}${table}`;
  let k = knownCache.get(key);
  if (!k) {
    const spec = SPECS[version].tables[table];
    k = { rows: new Map(spec.rows.map((r) => [r.label, r])), columns: new Set(spec.rows.flatMap((r) => r.columns.map((c) => c.label))) };
    knownCache.set(key, k);
  }
  return k;
}

/** 2019-only rows that a 2021 report may carry with only a warning (STR-05). */
const LEGACY_ROWS = new Set(['其他对外管理服务事项', '政府集中采购']);

export function str04(report: Report, ctx: ValidationContext): Finding[] {
  const out: Finding[] = [];
  const year = referenceYear(report, ctx);
  const v = report.formatVersion;
  const hasTable = TABLE_IDS.some((t) => report[TABLE_KEYS[t]]);
  if (v && year !== null && v !== versionForYear(year)) {
    out.push(
      finding({
        rule: 'STR-04',
        severity: 'error',
        message: `${year}年度报告应使用${versionName(versionForYear(year))}，本报告的表格为${versionName(v)}。`,
      }),
    );
  } else if (!v && hasTable) {
    out.push(finding({ rule: 'STR-04', severity: 'error', message: '未能识别表格属于哪一版全国统一格式（2019年试行格式或2021年格式）。' }));
  }
  const version = effectiveVersion(report, ctx);
  const other: FormatVersion = version === '2019' ? '2021' : '2019';
  for (const t of TABLE_IDS) {
    const table = report[TABLE_KEYS[t]];
    if (!table) continue;
    const mine = known(version, t);
    const theirs = known(other, t);
    for (const [row, cells] of Object.entries(table)) {
      if (!mine.rows.has(row) && theirs.rows.has(row) && !(version === '2021' && LEGACY_ROWS.has(row))) {
        out.push(
          finding({ rule: 'STR-04', severity: 'error', table: t, row, message: `${tableName(t)}混用了新旧格式：「${rowName(row)}」行属于${versionName(other)}，本报告应使用${versionName(version)}。` }),
        );
        continue;
      }
      if (!mine.rows.has(row)) continue;
      for (const col of Object.keys(cells)) {
        if (!mine.columns.has(col) && theirs.columns.has(col)) {
          out.push(
            finding({ rule: 'STR-04', severity: 'error', table: t, row, column: col, message: `${tableName(t)}混用了新旧格式：「${col}」列属于${versionName(other)}，本报告应使用${versionName(version)}。` }),
          );
        }
      }
    }
  }
  return out;
}

export function str05(report: Report, ctx: ValidationContext): Finding[] {
  const out: Finding[] = [];
  const year = referenceYear(report, ctx);
  const modern = (year !== null && year >= 2021) || (year === null && report.formatVersion === '2021');
  if (!modern) return out;
  const text = `${report.title ?? ''}\n${report.preamble ?? ''}\n${narrative(report)}`;
  const cite = text.match(/格式[（(]\s*试行\s*[)）]|〔2019〕\s*60\s*号/);
  if (cite) {
    out.push(finding({ rule: 'STR-05', severity: 'warning', message: `报告引用了「${cite[0]}」：自2021年度起应按2021年格式（国办公开办函〔2021〕30号）编制。` }));
  }
  for (const t of TABLE_IDS) {
    const table = report[TABLE_KEYS[t]];
    if (!table) continue;
    for (const row of Object.keys(table)) {
      if (LEGACY_ROWS.has(row)) {
        out.push(finding({ rule: 'STR-05', severity: 'warning', table: t, row, message: `${tableName(t)}保留了2019年试行格式特有的「${row}」行，2021年格式已取消该行。` }));
      }
    }
  }
  return out;
}

export function str06(report: Report, ctx: ValidationContext): Finding[] {
  const out: Finding[] = [];
  const version = effectiveVersion(report, ctx);
  const other: FormatVersion = version === '2019' ? '2021' : '2019';
  for (const t of TABLE_IDS) {
    const spec = SPECS[version].tables[t];
    const table = report[TABLE_KEYS[t]];
    if (!table) {
      out.push(finding({ rule: 'STR-06', severity: 'error', table: t, message: `缺少${tableName(t)}「${spec.title}」：应按全国统一格式填报该表（没有数据的填0）。` }));
      continue;
    }
    const rows = dataRows(spec);
    // A group whose sub-rows are all missing is one finding at its parent row, not one per sub-row.
    const missingGroups = new Set(
      [...new Set(rows.map((r) => r.parent).filter((p): p is string => !!p))].filter((p) =>
        rows.filter((r) => r.parent === p).every((r) => !table[r.label]),
      ),
    );
    for (const parent of missingGroups) {
      const subs = rows.filter((r) => r.parent === parent);
      out.push(
        finding({
          rule: 'STR-06',
          severity: 'error',
          table: t,
          row: parent,
          message: `${tableName(t)}缺少「${parent}」的${subs.length}个子项行（${subs.map((r) => r.text).join('、')}）。`,
        }),
      );
    }
    for (const row of rows) {
      const cells = table[row.label];
      if (!cells) {
        if (row.parent && missingGroups.has(row.parent)) continue;
        out.push(finding({ rule: 'STR-06', severity: 'error', table: t, row: row.label, message: `${tableName(t)}缺少「${rowName(row.label)}」行。` }));
        continue;
      }
      const absent = row.columns.filter((c) => !cells[c.label]);
      if (absent.length === row.columns.length) {
        out.push(finding({ rule: 'STR-06', severity: 'error', table: t, row: row.label, message: `${tableName(t)}「${rowName(row.label)}」行没有任何数据单元格。` }));
        continue;
      }
      for (const c of absent) {
        out.push(
          finding({ rule: 'STR-06', severity: 'error', table: t, row: row.label, column: c.label, message: `${tableName(t)}「${rowName(row.label)}」行缺少「${c.label}」列的单元格。` }),
        );
      }
    }
    const mine = known(version, t);
    const theirs = known(other, t);
    for (const [label, cells] of Object.entries(table)) {
      const rs = mine.rows.get(label);
      if (rs?.header) {
        out.push(
          finding({ rule: 'STR-06', severity: 'error', table: t, row: label, message: `${tableName(t)}「${rowName(label)}」是标题行，数据应分别填在其下各子项行中。` }),
        );
      } else if (!rs && !theirs.rows.has(label)) {
        out.push(finding({ rule: 'STR-06', severity: 'error', table: t, row: label, message: `${tableName(t)}有全国统一格式中没有的行「${label}」。` }));
      } else if (rs) {
        for (const col of Object.keys(cells)) {
          if (!mine.columns.has(col) && !theirs.columns.has(col)) {
            out.push(finding({ rule: 'STR-06', severity: 'error', table: t, row: label, column: col, message: `${tableName(t)}「${rowName(label)}」行有全国统一格式中没有的列「${col}」。` }));
          }
        }
      }
    }
  }
  return out;
}

// ---- STR-07 ----
const normName = (s: string) => s.replace(/[\s\u3000]/g, '').replace(/\(/g, '（').replace(/\)/g, '）');

/** Administrative divisions an office's full name may start with: 江苏省, 淮安市, 青峰区, 长春汽开区, 某某县 … */
const REGION_PREFIX = /^[\u4e00-\u9fff]{1,10}?(?:省|自治区|市|自治州|州|地区|盟|新区|开发区|汽开区|高新区|经开区|区|县|自治县|旗)/;
/** Generic endings an official short form leaves out: 锦程街道办事处 → 锦程街道, 某某镇人民政府 → 某某镇. */
const GENERIC_SUFFIX = /(?:办事处|人民政府)$/;

/**
 * The official short forms of an office's name: its full name without leading divisions
 * (某市青峰区人民政府 → 青峰区人民政府) and without a generic ending (锦程街道办事处 → 锦程街道).
 * A form must keep a distinctive part: 「局」 alone is no name.
 */
export function officeNameForms(office: string): Set<string> {
  const forms = new Set<string>();
  let name = normName(office);
  for (;;) {
    forms.add(name);
    const bare = name.replace(GENERIC_SUFFIX, '');
    if (bare !== name && bare.length >= 2) forms.add(bare);
    const m = REGION_PREFIX.exec(name);
    if (!m || name.length - m[0].length < 2) break;
    name = name.slice(m[0].length);
  }
  return forms;
}

export function str07(report: Report, ctx: ValidationContext): Finding[] {
  const out: Finding[] = [];
  const text = normName(`${report.title ?? ''}\n${report.preamble ?? ''}\n${narrative(report)}`);
  const own = [ctx.office, report.office].filter((x): x is string => !!x).map(normName);
  if (ctx.office) {
    const forms = officeNameForms(ctx.office);
    if (report.office) {
      // The report may name the office by a short form, or in full where the cycle lists its short form.
      if (!forms.has(normName(report.office)) && !officeNameForms(report.office).has(normName(ctx.office))) {
        out.push(finding({ rule: 'STR-07', severity: 'error', message: `报告中的机关名称为「${report.office}」，与报送机关「${ctx.office}」不一致。` }));
      }
    } else if (![...forms].some((f) => text.includes(f))) {
      out.push(finding({ rule: 'STR-07', severity: 'error', message: `报告中未出现报送机关名称「${ctx.office}」：标题应写明机关名称。` }));
    }
  }
  for (const name of ctx.otherOffices ?? []) {
    const other = normName(name);
    if (other.length < 2 || own.some((o) => o === other || o.includes(other))) continue;
    if (text.includes(other)) {
      out.push(finding({ rule: 'STR-07', severity: 'error', message: `报告中出现了其他机关的名称「${name}」，疑似套用了其他单位的报告，请核对。` }));
    }
  }
  return out;
}
