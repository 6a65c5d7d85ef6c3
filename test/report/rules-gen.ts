/**
 * Consistent reports built in code, for the rule tests, the property tests and the bench:
 * every cross-check holds, every cell is filled, the narrative quotes the tables correctly.
 */
import { emptyReport, numberCell, type Report, type Table } from '../../shared/report/model';
import { dataRows, SPECS, T3, T3_COLUMNS, T4_COLUMNS, T4_GROUPS, type FormatVersion } from '../../shared/report/spec';
import { t3LeafResultRows } from '../../shared/report/rules/equations';

/** mulberry32: small, fast, deterministic. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const OFFICES = ['青峰区住房和城乡建设局', '青峰区教育局', '白石街道办事处', '临水镇人民政府', '青峰区自然资源局', '青峰区卫生健康委员会'];

export interface GenOptions {
  version?: FormatVersion;
  year?: number;
  office?: string;
}

export function consistentReport(seed: number, opts: GenOptions = {}): Report {
  const rand = rng(seed);
  const int = (max: number) => Math.floor(rand() * (max + 1));
  // Mostly small counts, many zeros, like real tables.
  const small = () => (rand() < 0.55 ? 0 : int(rand() < 0.8 ? 5 : 60));
  const version: FormatVersion = opts.version ?? (rand() < 0.5 ? '2019' : '2021');
  const year = opts.year ?? (version === '2019' ? 2019 + int(1) : 2021 + int(3));
  const office = opts.office ?? OFFICES[int(OFFICES.length - 1)];
  const r = emptyReport();
  r.formatVersion = version;
  r.year = year;
  r.office = office;
  r.title = `${office}${year}年政府信息公开工作年度报告`;

  // Table 三.
  const cols = T3_COLUMNS.map((c) => c.label).filter((c) => c !== T3.total);
  const rowWith = (vals: number[]) => {
    const all = [...vals, vals.reduce((a, b) => a + b, 0)];
    return Object.fromEntries(T3_COLUMNS.map((c, i) => [c.label, numberCell(all[i])]));
  };
  const leaves = t3LeafResultRows(version);
  const leafVals = leaves.map(() => cols.map(small));
  const total = cols.map((_, i) => leafVals.reduce((a, l) => a + l[i], 0));
  const carriedOut = cols.map(() => (rand() < 0.7 ? 0 : int(4)));
  const carriedIn = cols.map((_, i) => int(Math.min(4, total[i] + carriedOut[i])));
  const received = cols.map((_, i) => total[i] + carriedOut[i] - carriedIn[i]);
  const t3: Table = {};
  for (const row of dataRows(SPECS[version].tables['三'])) {
    const li = leaves.indexOf(row.label);
    const vals =
      li >= 0 ? leafVals[li] : row.label === T3.received ? received : row.label === T3.carriedIn ? carriedIn : row.label === T3.carriedOut ? carriedOut : total;
    t3[row.label] = rowWith(vals);
  }
  r.table3 = t3;

  // Table 四.
  const t4: Table = {};
  for (const g of T4_GROUPS) {
    const v = [int(3), int(1), int(1), int(1)];
    const all = [...v, v.reduce((a, b) => a + b, 0)];
    t4[g] = Object.fromEntries(T4_COLUMNS.map((c, i) => [c.label, numberCell(all[i])]));
  }
  r.table4 = t4;

  // Table 二.
  const t2: Table = {};
  for (const row of dataRows(SPECS[version].tables['二'])) {
    t2[row.label] = Object.fromEntries(
      row.columns.map((c) => {
        if (c.kind === 'signed') return [c.label, numberCell(int(10) - 5)];
        if (c.kind === 'decimal') {
          const v = Math.round(rand() * 100000) / 100;
          return [c.label, numberCell(v)];
        }
        return [c.label, numberCell(int(rand() < 0.5 ? 20 : 3000))];
      }),
    );
  }
  r.table2 = t2;

  const got = (row: string) => t3[row][T3.total].value;
  const appeals = t4['行政复议']['总计'].value;
  const suits = (t4['未经复议直接起诉']['总计'].value ?? 0) + (t4['复议后起诉']['总计'].value ?? 0);
  const phrases = [
    '坚持以公开为常态、不公开为例外，围绕重点领域持续深化政府信息公开',
    '严格执行保密审查制度，规范政府信息公开工作流程',
    '及时更新政府信息公开指南和目录，拓展公开渠道',
    '加强政策解读和回应关切，提升公开实效',
    '完善依申请公开登记、审核、答复、归档各环节工作制度',
  ];
  const pick = () => phrases[int(phrases.length - 1)];
  r.sections = [
    {
      ordinal: 1,
      heading: '一、总体情况',
      numbering: 'chinese',
      text:
        `${year}年，${office}认真贯彻落实《中华人民共和国政府信息公开条例》，${pick()}。全年主动公开政府信息${int(900) + 50}条。` +
        `\n全年共收到政府信息公开申请${got(T3.received)}件，上年结转${got(T3.carriedIn)}件，结转下年度继续办理${got(T3.carriedOut)}件。因政府信息公开被申请行政复议${appeals}件、提起行政诉讼${suits}件。`,
    },
    { ordinal: 2, heading: '二、主动公开政府信息情况', numbering: 'chinese', text: '' },
    { ordinal: 3, heading: '三、收到和处理政府信息公开申请情况', numbering: 'chinese', text: '' },
    { ordinal: 4, heading: '四、政府信息公开行政复议、行政诉讼情况', numbering: 'chinese', text: '' },
    {
      ordinal: 5,
      heading: '五、存在的主要问题及改进情况',
      numbering: 'chinese',
      text: `工作中还存在信息公开不够及时、政策解读形式单一等问题。下一步将进一步加强培训，${pick()}。`,
    },
    { ordinal: 6, heading: '六、其他需要报告的事项', numbering: 'chinese', text: '本年度未收取信息处理费。' },
  ];
  return r;
}

/** Deep copy (reports are plain JSON). */
export const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
