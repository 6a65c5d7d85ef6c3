import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { decodeText, parseLines, parseText, textToLines } from '../../shared/report/parse';
import { SPECS, dataRows } from '../../shared/report/spec';
import type { Table } from '../../shared/report/model';

const seed = readFileSync(join(__dirname, '../../fixtures/jincheng-2020.txt'));

/** Row label → values ("_" blank, "!raw" invalid) for compact assertions. */
function values(table: Table | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [row, cells] of Object.entries(table ?? {})) {
    out[row] = Object.values(cells)
      .map((c) => (c.kind === 'number' ? String(c.value) : c.kind === 'blank' ? '_' : `!${c.raw}`))
      .join(' ');
  }
  return out;
}

const T3_2021_ROWS = dataRows(SPECS['2021'].tables['三']);

/** A 2021 report in `|`-separated rows, each table-三 row i filled with i*7+j. */
function report2021(edit: (lines: string[]) => string[] = (l) => l): string {
  const t3 = T3_2021_ROWS.map((r, i) => `| ${r.text} | ${[0, 1, 2, 3, 4, 5, 6].map((j) => i * 7 + j).join(' | ')} |`);
  return edit([
    '某某区住房和城乡建设局2022年政府信息公开工作年度报告',
    '本报告统计期限自2022年1月1日起至2022年12月31日止。',
    '一、总体情况',
    '2022年，我局认真贯彻落实《中华人民共和国政府信息公开条例》。',
    '二、主动公开政府信息情况',
    '| 第二十条第（一）项 |',
    '| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |',
    '| 规章 | 0 | 0 | 0 |',
    '| 行政规范性文件 | 3 | 1 | 12 |',
    '| 第二十条第（五）项 |',
    '| 信息内容 | 本年处理决定数量 |',
    '| 行政许可 | 1,024 |',
    '| 第二十条第（六）项 |',
    '| 信息内容 | 本年处理决定数量 |',
    '| 行政处罚 | 56件 |',
    '| 行政强制 | 2 |',
    '| 第二十条第（八）项 |',
    '| 信息内容 | 本年收费金额（单位：万元） |',
    '| 行政事业性收费 | 12.5 |',
    '三、收到和处理政府信息公开申请情况',
    '| （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | 申请人情况 |',
    '| 自然人 | 法人或其他组织 | 总计 |',
    '| 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 |',
    ...t3.slice(0, 2),
    '| 三、本年度办理结果 |',
    ...t3.slice(2, 4),
    '| （三）不予公开 |',
    ...t3.slice(4, 12),
    '| （四）无法提供 |',
    ...t3.slice(12, 15),
    '| （五）不予处理 |',
    ...t3.slice(15, 20),
    '| （六）其他处理 |',
    ...t3.slice(20),
    '四、政府信息公开行政复议、行政诉讼情况',
    '| 行政复议 | 行政诉讼 |',
    '| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 未经复议直接起诉 | 复议后起诉 |',
    '| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |',
    '| 1 | 0 | 0 | 0 | 1 | 2 | 0 | 0 | 1 | 3 | 0 | 0 | 0 | 0 | 0 |',
    '五、存在的主要问题及改进情况',
    '一是公开内容不够全面；二是解读形式单一。下一步将加强培训。',
    '六、其他需要报告的事项',
    '本年度未收取信息处理费。',
  ]).join('\n');
}

describe('decodeText', () => {
  const text = seed.toString('utf8');
  it.each([
    ['utf-8', seed],
    ['gb18030', iconv.encode(text, 'gb18030')],
    ['utf-16le', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')])],
    ['utf-16le', iconv.encode(text, 'utf-16le')],
    ['utf-16be', Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf-16be')])],
  ])('reads %s', (encoding, bytes) => {
    const d = decodeText(bytes);
    expect(d).toEqual({ text, encoding });
  });

  it('reads a UTF-8 file cut inside its last character', () => {
    const bytes = Buffer.from('二、主动公开', 'utf8');
    const d = decodeText(bytes.subarray(0, bytes.length - 1));
    expect(d).toEqual({ text: '二、主动公', encoding: 'utf-8' });
  });

  it('refuses empty and binary input in Chinese', () => {
    expect(decodeText(new Uint8Array())).toEqual({ error: expect.stringContaining('文件为空') });
    const junk = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256);
    expect(decodeText(junk)).toEqual({ error: expect.stringContaining('不是可识别的文本') });
  });
});

describe('the seed (jincheng-2020)', () => {
  const { report, findings } = parseText(seed.toString('utf8'));

  it('reads title, year, office and the 2019 format', () => {
    expect(report).toMatchObject({ year: 2020, office: '锦程街道办事处', formatVersion: '2019' });
  });

  it('finds all six sections and records the 4、/5、 numbering', () => {
    expect(report.sections.map((s) => [s.ordinal, s.numbering])).toEqual([
      [1, 'chinese'],
      [2, 'chinese'],
      [3, 'chinese'],
      [4, 'arabic'],
      [5, 'arabic'],
      [6, 'chinese'],
    ]);
    expect(report.sections[0].text).toMatch(/^2020年，锦程街道办事处/);
    expect(report.sections[5].text).toBe('无');
  });

  it('has no table in 二 and 四', () => {
    expect(report.table2).toBeNull();
    expect(report.table4).toBeNull();
  });

  it('keeps the blank 总计 of （一）予以公开 blank, not 0', () => {
    expect(report.table3?.['（一）予以公开']['总计']).toEqual({ raw: '', kind: 'blank', value: null });
    expect(values(report.table3)['（一）予以公开']).toBe('0 0 0 0 0 0 _');
  });

  it('reads the sub-rows of 无法提供 and 不予处理 whose labels sit on their own lines', () => {
    const v = values(report.table3);
    expect(v['（四）无法提供 1.本机关不掌握相关政府信息']).toBe('0 0 0 0 0 0 0');
    expect(v['（五）不予处理 2.重复申请']).toBe('0 0 0 0 0 0 0');
    expect(v['（六）其他处理']).toBe('0 0 0 0 0 0 0');
    expect(Object.keys(v)).toHaveLength(15);
  });

  it('reports the 不予公开 values that belong to no sub-row', () => {
    expect(findings).toEqual([
      expect.objectContaining({ rule: 'STR-06', severity: 'error', table: '三', row: '（三）不予公开', expected: 8 }),
    ]);
    expect(Object.keys(report.table3 ?? {}).some((r) => r.startsWith('（三）不予公开'))).toBe(false);
  });
});

describe('a 2021 report in |-separated rows', () => {
  const { report, findings } = parseText(report2021());

  it('parses every table cell with the 2021 format and no findings', () => {
    expect(findings).toEqual([]);
    expect(report).toMatchObject({ year: 2022, formatVersion: '2021', office: '某某区住房和城乡建设局' });
    expect(report.period).toEqual({ from: '2022-01-01', to: '2022-12-31' });
    const v = values(report.table3);
    expect(Object.keys(v)).toEqual(T3_2021_ROWS.map((r) => r.label));
    T3_2021_ROWS.forEach((r, i) => expect(v[r.label]).toBe([0, 1, 2, 3, 4, 5, 6].map((j) => i * 7 + j).join(' ')));
  });

  it('reads units, thousands separators and decimals in table 二', () => {
    expect(values(report.table2)).toEqual({
      规章: '0 0 0',
      行政规范性文件: '3 1 12',
      行政许可: '1024',
      行政处罚: '56',
      行政强制: '2',
      行政事业性收费: '12.5',
    });
    expect(report.table2?.['行政处罚']['本年处理决定数量'].raw).toBe('56件');
  });

  it('reads the 15 cells of table 四 in order', () => {
    expect(values(report.table4)).toEqual({ 行政复议: '1 0 0 0 1', 未经复议直接起诉: '2 0 0 1 3', 复议后起诉: '0 0 0 0 0' });
  });

  it('keeps narrative out of the tables', () => {
    expect(report.sections.find((s) => s.ordinal === 6)?.text).toBe('本年度未收取信息处理费。');
    expect(report.sections.find((s) => s.ordinal === 2)?.text).toBe('');
  });
});

describe('label variations of real reports', () => {
  const swap = (from: string, to: string) => (lines: string[]) => lines.map((l) => l.replace(from, to));

  it.each([
    ['spaces inside labels', '| 商业企业 |', '| 商业 企业 |'],
    ['half-width brackets', '（二）部分公开（区分处理的，只计这一情形，不计其他情形）', '(二)部分公开(区分处理的,只计这一情形,不计其他情形)'],
    ['traditional characters', '一、本年新收政府信息公开申请数量', '一、本年新收政府信息公開申請數量'],
    ['the short 部分公开 label', '（二）部分公开（区分处理的，只计这一情形，不计其他情形）', '（二）部分公开'],
    ['full-width digits', '| 3 | 1 | 12 |', '| ３ | １ | １２ |'],
  ])('%s', (_name, from, to) => {
    const base = parseText(report2021());
    const varied = parseText(report2021(swap(from, to)));
    expect(varied.findings).toEqual([]);
    expect(varied.report.table2).toEqual(base.report.table2 && JSON.parse(JSON.stringify(varied.report.table2)));
    expect(values(varied.report.table3)).toEqual(values(base.report.table3));
    expect(values(varied.report.table2)).toEqual(values(base.report.table2));
  });

  it('reads a truncated column label (现行有效件, as templates in circulation print it) with one warning naming both', () => {
    const base = parseText(report2021());
    const varied = parseText(report2021(swap('| 现行有效件数 |', '| 现行有效件 |')));
    expect(varied.findings).toEqual([
      expect.objectContaining({ rule: 'STR-06', severity: 'warning', table: '二', column: '现行有效件数', message: expect.stringContaining('「现行有效件」') }),
    ]);
    expect(values(varied.report.table2)).toEqual(values(base.report.table2));
  });

  it.each([
    ['a word dropped', '4.保护第三方合法权益', '4.保护第三方权益', '（三）不予公开 4.保护第三方合法权益'],
    ['a word doubled', '8.属于行政查询事项', '8.属于行政查询查询事项', '（三）不予公开 8.属于行政查询事项'],
  ])('reads a misspelt row label (%s) by similarity and position, values kept, one warning', (_name, from, to, row) => {
    const base = parseText(report2021());
    const varied = parseText(report2021(swap(from, to)));
    expect(varied.findings).toEqual([expect.objectContaining({ rule: 'STR-06', severity: 'warning', table: '三', row, message: expect.stringContaining(`「${to}」`) })]);
    expect(values(varied.report.table3)).toEqual(values(base.report.table3));
  });

  it('keeps a row that resembles nothing an error', () => {
    const varied = parseText(report2021(swap('4.保护第三方合法权益', '4.某某某某某某')));
    expect(varied.findings).toEqual(expect.arrayContaining([expect.objectContaining({ rule: 'STR-06', severity: 'error', row: '4.某某某某某某' })]));
  });

  it('joins a label wrapped over two lines', () => {
    const text = report2021((lines) =>
      lines.flatMap((l) => (l.startsWith('| 一、本年新收') ? ['一、本年新收政府信息', `公开申请数量 | ${l.split('|').slice(2).join('|')}`] : [l])),
    );
    const { report, findings } = parseText(text);
    expect(findings).toEqual([]);
    expect(values(report.table3)['一、本年新收政府信息公开申请数量']).toBe('0 1 2 3 4 5 6');
  });

  it('reads a negative 本年增/减 and an amount with a unit in the 2019 format', () => {
    const lines = [
      ['二、主动公开政府信息情况'],
      ['第二十条第（五）项'],
      ['信息内容', '上一年项目数量', '本年增/减', '处理决定数量'],
      ['行政许可', '12', '-2', '340'],
      ['第二十条第（九）项'],
      ['信息内容', '采购项目数量', '采购总金额'],
      ['政府集中采购', '3', '251000元'],
    ];
    const { report } = parseLines(lines, { year: 2020 });
    expect(report.formatVersion).toBe('2019');
    expect(values(report.table2)).toEqual({ 行政许可: '12 -2 340', 政府集中采购: '3 251000' });
  });

  it('joins vertical headers split into single characters', () => {
    const text = report2021(swap('| 自然人 | 法人或其他组织 | 总计 |', '| 自 | 然 | 人 | 法人或其他组织 | 总 | 计 |'));
    expect(parseText(text).findings).toEqual([]);
  });
});

describe('defects become findings, never exceptions', () => {
  it('reports a row with too many or too few values and keeps the row without guessing', () => {
    const text = report2021((lines) => lines.map((l) => (l.startsWith('| （一）予以公开') ? '| （一）予以公开 | 1 | 2 | 3 | 4 | 5 |' : l)));
    const { report, findings } = parseText(text);
    expect(findings).toEqual([expect.objectContaining({ rule: 'STR-06', row: '（一）予以公开', expected: 7, actual: 5 })]);
    expect(report.table3?.['（一）予以公开']).toEqual({});
  });

  it('reports an unknown row and a missing column header', () => {
    const text = report2021((lines) =>
      lines.map((l) => (l.startsWith('| （七）总计') ? `| （八）其他情形 | 1 | 1 | 1 | 1 | 1 | 1 | 6 |\n${l}` : l)).map((l) => l.replace('| 科研机构 ', '| ')),
    );
    const { findings } = parseText(text);
    expect(findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ rule: 'STR-06', row: '（八）其他情形' }),
        expect.objectContaining({ rule: 'STR-06', column: '科研机构' }),
      ]),
    );
  });

  it('marks non-numbers invalid and placeholders blank', () => {
    const text = report2021((lines) => lines.map((l) => (l.startsWith('| 行政强制') ? '| 行政强制 | 十二 |' : l.startsWith('| 行政许可') ? '| 行政许可 | — |' : l)));
    const { report } = parseText(text);
    expect(report.table2?.['行政强制']['本年处理决定数量']).toMatchObject({ kind: 'invalid', problem: expect.stringContaining('阿拉伯数字') });
    expect(report.table2?.['行政许可']['本年处理决定数量']).toEqual({ raw: '—', kind: 'blank', value: null });
  });

  it('reports mixed format versions', () => {
    const text = report2021((lines) => lines.map((l) => l.replace('| 行政规范性文件 |', '| 规范性文件 |')));
    expect(parseText(text).findings).toEqual([
      expect.objectContaining({ rule: 'STR-04', severity: 'error' }),
      expect.objectContaining({ rule: 'STR-06', table: '二', row: '规范性文件' }),
    ]);
  });

  it('survives garbage, empty input and truncation', () => {
    const full = report2021();
    for (let cut = 0; cut < full.length; cut += 97) expect(() => parseText(full.slice(0, cut))).not.toThrow();
    expect(parseText('').report.sections).toEqual([]);
    expect(parseText('\u0000\u0001 |||| \t\t\n——\n').report.table3).toBeNull();
  });

  it('splits text into cells as real copies lay them out', () => {
    expect(textToLines('\t　　0\n\t　　\n\n| a | b |\n|---|---|\n规章\t3')).toEqual([['　　0'], [''], [], [' a ', ' b '], [], ['规章', '3']]);
    // A bordered row's leading empty cell is a (blank) cell, not indentation.
    expect(textToLines('| | 0 |')).toEqual([[' ', ' 0 ']]);
  });
});

describe('the title among a web page chrome', () => {
  it.each([
    ['当前位置：首页 > 政务公开 > 年报 > 青峰区甲局2022年政府信息公开工作年度报告', '青峰区甲局'],
    ['首页>政府信息公开>青峰区甲局2022年政府信息公开工作年度报告', '青峰区甲局'],
    ['名称：青峰区甲局2022年政府信息公开工作年度报告', '青峰区甲局'],
    ['青峰区<b>甲</b>局2022年政府信息公开工作年度报告', '青峰区<b>甲</b>局'],
  ])('「%s」 names %s', (line, office) => {
    const { report } = parseText(`登录 注册 无障碍\n${line}\n一、总体情况\n2022年，本局认真落实条例。`);
    expect(report.office).toBe(office);
    expect(report.year).toBe(2022);
  });
});

describe('full-width digits, as a full-width input mode types them', () => {
  it('the title year ２０２２ is the year, and a value ４８ is 48', () => {
    const { report } = parseText(report2021().replace('2022年政府信息公开工作年度报告', '２０２２年政府信息公开工作年度报告').replace('| 48 |', '| ４８ |'));
    expect(report.year).toBe(2022);
    expect(Object.values(report.table3 ?? {}).flatMap((row) => Object.values(row)).some((c) => c.raw === '48' && c.value === 48)).toBe(true);
  });
});
