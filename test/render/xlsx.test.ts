/**
 * The .xlsx writer, read back by exceljs (a separate implementation of the format): values and their types,
 * text that looks like a formula stays text, characters XML cannot carry are dropped, frozen panes and
 * widths, many columns (AA…), and the same rows give the same bytes.
 */
import ExcelJS from 'exceljs';
import { unzipSync } from 'fflate';
import { columnName, writeXlsx } from '../../shared/render/xlsx';

async function load(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  return wb;
}

test('column names', () => {
  expect([0, 25, 26, 27, 51, 52, 701, 702].map(columnName)).toEqual(['A', 'Z', 'AA', 'AB', 'AZ', 'BA', 'ZZ', 'AAA']);
});

test('read back: numbers, text, blanks, hostile text; header bold; frozen panes; widths; three sheets', async () => {
  const wide = Array.from({ length: 60 }, (_, i) => i * 1.5);
  const bytes = writeXlsx([
    {
      name: '数据',
      header: true,
      freeze: { columns: 2, rows: 1 },
      widths: [30, 10],
      rows: [
        ['单位', '数值', ...wide.map((_, i) => `列${i}`)],
        ['=HYPERLINK("http://x","点我")', 12.5, ...wide],
        ['<b>&"锦程"</b>\u0001\u0008街道', null, 0],
      ],
    },
    { name: '数据字典', rows: [['列名', '含义']] },
    { name: '说明', rows: [['空白不等于0。']] },
  ]);
  const wb = await load(bytes);
  expect(wb.worksheets.map((w) => w.name)).toEqual(['数据', '数据字典', '说明']);
  const ws = wb.getWorksheet('数据')!;
  expect(ws.getCell('A2').value).toBe('=HYPERLINK("http://x","点我")');
  expect(ws.getCell('A2').type).toBe(ExcelJS.ValueType.String);
  expect(ws.getCell('B2').value).toBe(12.5);
  expect(ws.getCell(2, 62).value).toBe(wide[59]);
  expect(ws.getCell(1, 62).value).toBe('列59');
  expect(ws.getCell('A3').value).toBe('<b>&"锦程"</b>街道');
  expect(ws.getCell('B3').value).toBeNull();
  expect(ws.getCell('C3').value).toBe(0);
  expect(ws.getCell('A1').font?.bold).toBe(true);
  expect(ws.getCell('A2').font?.bold).toBeFalsy();
  expect(ws.views[0]).toMatchObject({ state: 'frozen', xSplit: 2, ySplit: 1 });
  expect(ws.getColumn(1).width).toBe(30);
});

test('deterministic, and no formula anywhere in the package', () => {
  const sheet = { name: 'a', rows: [['=1+1', '+cmd', '@x', -3]] };
  const a = writeXlsx([sheet]);
  expect(Buffer.from(writeXlsx([sheet])).equals(Buffer.from(a))).toBe(true);
  const xml = new TextDecoder().decode(unzipSync(a)['xl/worksheets/sheet1.xml']);
  expect(xml).not.toContain('<f>');
  expect(xml).toContain('<t xml:space="preserve">=1+1</t>');
});
