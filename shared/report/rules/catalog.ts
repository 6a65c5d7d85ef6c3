/**
 * The rule catalog (docs/report-format.md, "The rules") as data: stable ids, default severity, a Chinese title.
 * A rule may emit a finding with a lower severity than its default (e.g. STR-01 for a nonstandard
 * ordinal style, or any cross-check that is not assessable); never a higher one.
 */
import type { Severity } from '../model';

export const RULE_IDS = [
  'STR-01',
  'STR-02',
  'STR-03',
  'STR-04',
  'STR-05',
  'STR-06',
  'STR-07',
  'NUM-01',
  'NUM-02',
  'T3-01',
  'T3-02',
  'T3-03',
  'T4-01',
  'XY-01',
  'XY-02',
  'XY-03',
  'TXT-01',
  'TXT-02',
  'TXT-03',
  'DL-01',
  'PUB-01',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

export interface RuleInfo {
  id: RuleId;
  severity: Severity;
  title: string;
  /** false: the rule is checked elsewhere (PUB-01 belongs to the archive, not to one report). */
  implemented: boolean;
}

const r = (id: RuleId, severity: Severity, title: string, implemented = true): RuleInfo => ({ id, severity, title, implemented });

export const CATALOG: Record<RuleId, RuleInfo> = {
  'STR-01': r('STR-01', 'error', '六个部分齐全且顺序正确（序号写法不规范为提示）'),
  'STR-02': r('STR-02', 'error', '报告年度与本轮年度一致，标题、统计期间、正文年度一致'),
  'STR-03': r('STR-03', 'warning', '统计期间应为Y年1月1日至Y年12月31日'),
  'STR-04': r('STR-04', 'error', '表格格式版本与报告年度相符，不混用新旧格式'),
  'STR-05': r('STR-05', 'warning', '2021年起的报告不应引用试行格式或保留2019年格式特有的行'),
  'STR-06': r('STR-06', 'error', '表二、表三、表四的行列齐全，无未知行'),
  'STR-07': r('STR-07', 'error', '报告中的机关名称为报送机关，无其他机关名称残留'),
  'NUM-01': r('NUM-01', 'error', '每个数据单元格均已填写（空白、“—”、“/”应填0）'),
  'NUM-02': r('NUM-02', 'error', '件数为非负整数，金额为非负数，仅“本年增/减”可为负'),
  'T3-01': r('T3-01', 'error', '表三每列：第一项加第二项之和等于第三项（七）总计加第四项'),
  'T3-02': r('T3-02', 'error', '表三每行：总计等于自然人与五类法人或其他组织之和'),
  'T3-03': r('T3-03', 'error', '表三每列：（七）总计等于（一）至（六）各项办理结果之和'),
  'T4-01': r('T4-01', 'error', '表四每组：总计等于结果维持、结果纠正、其他结果、尚未审结之和'),
  'XY-01': r('XY-01', 'warning', '本年“上年结转”等于上年报告“结转下年度继续办理”'),
  'XY-02': r('XY-02', 'warning', '本年现行有效件数等于上年现行有效件数加本年制发减本年废止'),
  'XY-03': r('XY-03', 'warning', '正文与上年报告高度雷同'),
  'TXT-01': r('TXT-01', 'warning', '正文引用的数字与表格一致'),
  'TXT-02': r('TXT-02', 'warning', '总体情况有实质内容'),
  'TXT-03': r('TXT-03', 'warning', '存在的主要问题及改进情况有实质内容'),
  'DL-01': r('DL-01', 'warning', '报送时间晚于截止时间'),
  'PUB-01': r('PUB-01', 'error', '已发布的报告不得悄然修改，更正须作为新版本并附说明', false),
};

export function ruleInfo(id: string): RuleInfo | undefined {
  return (CATALOG as Record<string, RuleInfo>)[id];
}
