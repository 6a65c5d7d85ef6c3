import { openData, openDataCsv, openDataJson, CSV_HEADER, RECORD_OFFICE, RECORD_TOTAL, type OpenDataInput } from '../../shared/render/open-data';
import { SPECS, dataRows } from '../../shared/report/spec';
import { blankCell, TABLE_KEYS } from '../../shared/report/model';
import { buildReport } from './helpers';

/** RFC 4180 reader (quotes, doubled quotes, commas and line breaks inside quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      }
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  if (field || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

const a = buildReport({ office: '甲局', seed: 1 });
const b = buildReport({ office: '乙局，"法制"科', seed: 2 });
const c = buildReport({ office: '=HYPERLINK("http://x","丙")', seed: 3 });
// blanks and an invalid cell: excluded from the sums, counted
b.table3!['（一）予以公开']['自然人'] = blankCell();
c.table3!['（一）予以公开']['自然人'] = { raw: '十二', kind: 'invalid', value: null, problem: '汉字数字' };
c.table4 = null;
const inputs: OpenDataInput[] = [a, b, c].map((r) => ({ office: r.office!, report: r }));

describe('open data', () => {
  const csv = openDataCsv(2021, inputs);
  const rows = parseCsv(csv.slice(1));
  const header = rows[0];
  const col = (name: (typeof CSV_HEADER)[number]) => header.indexOf(name);

  it('is UTF-8 CSV with a BOM and CRLF line ends, one row per office × cell plus one total per cell', () => {
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv).toMatch(/\r\n$/);
    expect(csv.replace(/\r\n/g, '')).not.toMatch(/\n/);
    expect(header).toEqual([...CSV_HEADER]);
    const cellsPerOffice = (['二', '三', '四'] as const).reduce((n, id) => n + dataRows(SPECS['2021'].tables[id]).reduce((m, r) => m + r.columns.length, 0), 0);
    expect(cellsPerOffice).toBe(10 + 25 * 7 + 15);
    expect(rows.filter((r) => r[0] === RECORD_OFFICE)).toHaveLength(3 * cellsPerOffice);
    expect(rows.filter((r) => r[0] === RECORD_TOTAL)).toHaveLength(cellsPerOffice);
    for (const r of rows) expect(r).toHaveLength(header.length);
  });

  it('parses back to the same numbers as the reports', () => {
    let checked = 0;
    for (const r of rows.filter((x) => x[0] === RECORD_OFFICE)) {
      const office = r[col('单位')].replace(/^'/, '');
      const report = inputs.find((i) => i.office === office)!.report;
      const table = report[TABLE_KEYS[r[col('表')].slice(1) as '二' | '三' | '四']];
      const cell = table?.[r[col('行')]]?.[r[col('列')]];
      const value = r[col('数值')];
      if (cell?.kind === 'number') {
        expect(Number(value)).toBe(cell.value);
        checked++;
      } else expect(value).toBe('');
    }
    expect(checked).toBeGreaterThan(3 * 190);
  });

  it('totals are the sums over the offices with a figure; blank, invalid and missing cells are counted, not summed', () => {
    const total = (table: string, row: string, column: string) =>
      rows.find((r) => r[0] === RECORD_TOTAL && r[col('表')] === table && r[col('行')] === row && r[col('列')] === column)!;
    const t = total('表三', '（一）予以公开', '自然人');
    expect(Number(t[col('数值')])).toBe(a.table3!['（一）予以公开']['自然人'].value);
    expect([t[col('有数值单位数')], t[col('空白单位数')], t[col('无效单位数')], t[col('缺失单位数')]]).toEqual(['1', '1', '1', '0']);
    const n = total('表三', '一、本年新收政府信息公开申请数量', '总计');
    expect(Number(n[col('数值')])).toBe([a, b, c].reduce((s, r) => s + r.table3!['一、本年新收政府信息公开申请数量']['总计'].value!, 0));
    const r4 = total('表四', '行政复议', '总计');
    expect(Number(r4[col('数值')])).toBe(a.table4!['行政复议']['总计'].value! + b.table4!['行政复议']['总计'].value!);
    expect(r4[col('缺失单位数')]).toBe('1');
    // decimals (万元) sum without binary noise
    const fee = total('表二', '行政事业性收费', '本年收费金额（单位：万元）');
    const expected = [a, b, c].reduce((s, r) => s + r.table2!['行政事业性收费']['本年收费金额（单位：万元）'].value!, 0);
    expect(Number(fee[col('数值')])).toBeCloseTo(expected, 6);
    expect(fee[col('数值')]).not.toMatch(/\d{7,}$/);
  });

  it('keeps commas and quotes in office names and neutralises spreadsheet formulas', () => {
    const offices = new Set(rows.filter((r) => r[0] === RECORD_OFFICE).map((r) => r[col('单位')]));
    expect(offices).toEqual(new Set(['甲局', '乙局，"法制"科', `'=HYPERLINK("http://x","丙")`]));
    expect(csv).not.toMatch(/(^|,)=HYPERLINK/m);
    // the invalid cell's text is kept for the reader, with no value
    const inv = rows.find((r) => r[col('单位')].includes('HYPERLINK') && r[col('行')] === '（一）予以公开' && r[col('列')] === '自然人')!;
    expect([inv[col('数值')], inv[col('原文')], inv[col('单元格状态')]]).toEqual(['', '十二', '无效']);
  });

  it('JSON carries the same figures and totals', () => {
    const json = JSON.parse(openDataJson(2021, inputs));
    expect(json).toEqual(JSON.parse(JSON.stringify(openData(2021, inputs))));
    expect(json.year).toBe(2021);
    expect(json.offices.map((o: { office: string }) => o.office)).toEqual(inputs.map((i) => i.office));
    const t = json.totals.find((x: { table: string; row: string; column: string }) => x.table === '三' && x.row === '（一）予以公开' && x.column === '自然人');
    expect(t.offices).toEqual({ number: 1, blank: 1, invalid: 1, missing: 0 });
    expect(t.sum).toBe(a.table3!['（一）予以公开']['自然人'].value);
  });

  it('an empty year gives a header-only CSV and empty totals', () => {
    expect(openDataCsv(2021, [])).toBe(`\uFEFF${CSV_HEADER.join(',')}\r\n`);
    expect(openData(2021, []).totals).toEqual([]);
  });
});
