/**
 * The two national formats of 政府信息公开工作年度报告 as data (docs/report-format.md).
 * One spec drives the parser, the rules and the renderers: change a label here and all follow.
 */

export type FormatVersion = '2019' | '2021';
export const FORMAT_VERSIONS: readonly FormatVersion[] = ['2019', '2021'];
export type TableId = '二' | '三' | '四';

/** How a cell's value may be written. */
export type ValueKind =
  | 'count' // non-negative integer
  | 'signed' // integer, may be negative (本年增/减)
  | 'decimal'; // non-negative decimal (收费金额, 采购总金额)

export interface ColumnSpec {
  /** Canonical label, as in the national format. */
  label: string;
  /** Header group the column sits under (法人或其他组织, 行政诉讼 …), for rendering. */
  group?: string;
  kind: ValueKind;
  /** Other spellings seen in real reports (matched after normalisation). */
  aliases?: string[];
}

export interface RowSpec {
  /** Canonical label; sub-rows carry their parent: "（三）不予公开 1.属于国家秘密". */
  label: string;
  /** The label as printed in its own cell ("1.属于国家秘密"). */
  text: string;
  /** Parent row label for sub-rows (the parent itself has no cells). */
  parent?: string;
  /** Block heading the row sits under in table 二 ("第二十条第（一）项"). */
  block?: string;
  /** A header row without cells of its own (三、本年度办理结果, （三）不予公开 …). */
  header?: boolean;
  columns: ColumnSpec[];
  aliases?: string[];
}

export interface TableSpec {
  id: TableId;
  title: string;
  /**
   * `labelled`: each row starts with its label, then its values.
   * `sequential`: one row of values under a header (table 四): values fill the cells in order.
   */
  layout: 'labelled' | 'sequential';
  rows: RowSpec[];
  /** Header texts that are neither rows nor columns (the 勾稽关系 note, 申请人情况 …). */
  furniture: string[];
}

export interface SectionSpec {
  ordinal: number;
  /** Canonical heading without its ordinal. */
  title: string;
  /** Any of these phrases (normalised) identifies the heading. */
  keys: string[];
  table?: TableId;
}

export interface FormatSpec {
  version: FormatVersion;
  notice: string;
  years: { from: number; to?: number };
  sections: SectionSpec[];
  tables: Record<TableId, TableSpec>;
}

export const CHINESE_ORDINALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

const SECTIONS: SectionSpec[] = [
  { ordinal: 1, title: '总体情况', keys: ['总体情况', '基本情况', '概述'] },
  { ordinal: 2, title: '主动公开政府信息情况', keys: ['主动公开'], table: '二' },
  { ordinal: 3, title: '收到和处理政府信息公开申请情况', keys: ['收到和处理', '依申请公开', '申请情况'], table: '三' },
  { ordinal: 4, title: '政府信息公开行政复议、行政诉讼情况', keys: ['行政复议', '行政诉讼'], table: '四' },
  { ordinal: 5, title: '存在的主要问题及改进情况', keys: ['主要问题', '存在的问题', '问题及改进'] },
  { ordinal: 6, title: '其他需要报告的事项', keys: ['其他需要报告', '其他事项'] },
];

const count = (label: string, extra: Partial<ColumnSpec> = {}): ColumnSpec => ({ label, kind: 'count', ...extra });

// ---- table 三 (both versions; 2021 splits （六）其他处理 into three sub-rows) ----

export const T3_COLUMNS: ColumnSpec[] = [
  count('自然人'),
  count('商业企业', { group: '法人或其他组织' }),
  count('科研机构', { group: '法人或其他组织' }),
  count('社会公益组织', { group: '法人或其他组织' }),
  count('法律服务机构', { group: '法人或其他组织' }),
  count('其他', { group: '法人或其他组织' }),
  count('总计'),
];

export const T3 = {
  received: '一、本年新收政府信息公开申请数量',
  carriedIn: '二、上年结转政府信息公开申请数量',
  results: '三、本年度办理结果',
  resultsTotal: '（七）总计',
  carriedOut: '四、结转下年度继续办理',
  total: '总计',
} as const;

function t3Rows(version: FormatVersion): RowSpec[] {
  const row = (label: string, aliases?: string[]): RowSpec => ({ label, text: label, columns: T3_COLUMNS, aliases });
  const header = (label: string, aliases?: string[]): RowSpec => ({ label, text: label, columns: [], header: true, aliases });
  const subs = (parent: string, texts: string[]): RowSpec[] =>
    texts.map((t, i) => ({ label: `${parent} ${i + 1}.${t}`, text: `${i + 1}.${t}`, parent, columns: T3_COLUMNS }));
  const other = '（六）其他处理';
  return [
    row(T3.received, ['本年新收申请数量']),
    row(T3.carriedIn, ['上年结转申请数量']),
    header(T3.results),
    row('（一）予以公开'),
    row('（二）部分公开（区分处理的，只计这一情形，不计其他情形）', ['部分公开']),
    header('（三）不予公开'),
    ...subs('（三）不予公开', [
      '属于国家秘密',
      '其他法律行政法规禁止公开',
      '危及“三安全一稳定”',
      '保护第三方合法权益',
      '属于三类内部事务信息',
      '属于四类过程性信息',
      '属于行政执法案卷',
      '属于行政查询事项',
    ]),
    header('（四）无法提供'),
    ...subs('（四）无法提供', ['本机关不掌握相关政府信息', '没有现成信息需要另行制作', '补正后申请内容仍不明确']),
    header('（五）不予处理'),
    ...subs('（五）不予处理', [
      '信访举报投诉类申请',
      '重复申请',
      '要求提供公开出版物',
      '无正当理由大量反复申请',
      '要求行政机关确认或重新出具已获取信息',
    ]),
    ...(version === '2019'
      ? [row(other)]
      : [
          header(other),
          ...subs(other, [
            '申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请',
            '申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请',
            '其他',
          ]),
        ]),
    row(T3.resultsTotal),
    row(T3.carriedOut, ['结转下年度继续办理']),
  ];
}

const T3_FURNITURE = ['（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）', '申请人情况', '法人或其他组织'];

// ---- table 四 (same in both versions) ----

export const T4_COLUMNS: ColumnSpec[] = ['结果维持', '结果纠正', '其他结果', '尚未审结', '总计'].map((l) => count(l));
export const T4_GROUPS = ['行政复议', '未经复议直接起诉', '复议后起诉'] as const;

const T4_ROWS: RowSpec[] = T4_GROUPS.map((g) => ({ label: g, text: g, columns: T4_COLUMNS }));

// ---- table 二 ----

function t2Rows(version: FormatVersion): RowSpec[] {
  const block = (n: string) => `第二十条第（${n}）项`;
  const row = (b: string, label: string, columns: ColumnSpec[], aliases?: string[]): RowSpec => ({
    label,
    text: label,
    block: block(b),
    columns,
    aliases,
  });
  if (version === '2021') {
    const decisions = [count('本年处理决定数量')];
    const docs = [count('本年制发件数'), count('本年废止件数'), count('现行有效件数')];
    return [
      row('一', '规章', docs),
      row('一', '行政规范性文件', docs),
      row('五', '行政许可', decisions),
      row('六', '行政处罚', decisions),
      row('六', '行政强制', decisions),
      row('八', '行政事业性收费', [{ label: '本年收费金额（单位：万元）', kind: 'decimal', aliases: ['本年收费金额'] }]),
    ];
  }
  const docs = [count('本年新制作数量'), count('本年新公开数量'), count('对外公开总数量')];
  const items = [count('上一年项目数量'), { label: '本年增/减', kind: 'signed' as const, aliases: ['本年增减'] }, count('处理决定数量')];
  return [
    row('一', '规章', docs),
    row('一', '规范性文件', docs),
    row('五', '行政许可', items),
    row('五', '其他对外管理服务事项', items),
    row('六', '行政处罚', items),
    row('六', '行政强制', items),
    row('八', '行政事业性收费', items.slice(0, 2)),
    row('九', '政府集中采购', [count('采购项目数量'), { label: '采购总金额', kind: 'decimal' }]),
  ];
}

const T2_FURNITURE = ['信息内容', '第二十条第（一）项', '第二十条第（五）项', '第二十条第（六）项', '第二十条第（八）项', '第二十条第（九）项'];

function spec(version: FormatVersion): FormatSpec {
  return {
    version,
    notice: version === '2019' ? '国办公开办函〔2019〕60号' : '国办公开办函〔2021〕30号',
    years: version === '2019' ? { from: 2019, to: 2020 } : { from: 2021 },
    sections: SECTIONS,
    tables: {
      二: { id: '二', title: '主动公开政府信息情况', layout: 'labelled', rows: t2Rows(version), furniture: T2_FURNITURE },
      三: { id: '三', title: '收到和处理政府信息公开申请情况', layout: 'labelled', rows: t3Rows(version), furniture: T3_FURNITURE },
      四: {
        id: '四',
        title: '政府信息公开行政复议、行政诉讼情况',
        layout: 'sequential',
        rows: T4_ROWS,
        furniture: ['行政复议', '行政诉讼', ...T4_COLUMNS.map((c) => c.label), '未经复议直接起诉', '复议后起诉'],
      },
    },
  };
}

export const SPECS: Record<FormatVersion, FormatSpec> = { '2019': spec('2019'), '2021': spec('2021') };

/** The format a report year must use (STR-04). */
export function versionForYear(year: number): FormatVersion {
  return year <= 2020 ? '2019' : '2021';
}

/** Rows that carry cells (not headers), in order. */
export function dataRows(table: TableSpec): RowSpec[] {
  return table.rows.filter((r) => !r.header);
}

/** Labels that exist in only one of the two versions: the evidence used to detect the version. */
export function versionOnlyLabels(version: FormatVersion): string[] {
  const other = version === '2019' ? '2021' : '2019';
  const labels = (v: FormatVersion) => {
    const s = new Set<string>();
    for (const t of Object.values(SPECS[v].tables)) {
      for (const r of t.rows) {
        s.add(r.text);
        for (const c of r.columns) s.add(c.label);
      }
    }
    return s;
  };
  const mine = labels(version);
  const theirs = labels(other);
  return [...mine].filter((l) => !theirs.has(l));
}
