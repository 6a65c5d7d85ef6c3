/**
 * The office list from what a 政务公开办 has: a real .xlsx written by exceljs (another implementation of the
 * format) and a GBK CSV with Chinese headers and no ids; the preview against the current list, then apply.
 */
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { createCycle } from '../../shared/cycle/service';
import { applyOfficeList, previewOfficeList, previewText, readOfficeRows, splitEmails } from '../../shared/cycle/office-list';
import { assignIds, slugOf } from '../../shared/cycle/office-ids';
import { readXlsxRows } from '../../shared/cycle/xlsx-rows';
import { seeded, world } from './helpers';

async function workbook(rows: (string | number | null)[][]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('单位名单');
  rows.forEach((r) => ws.addRow(r));
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

const XLSX_ROWS = [
  ['单位名称', '分组', '电子邮箱', '联系人', '电话'],
  ['金城区教育局', '市直部门', 'jy@example.cn；jy2@example.cn, jy3@example.cn', '王芳', 13800001111],
  ['长安街道办事处', '街道', 'ca@example.cn', '李强', '010-12345678'],
  ['锦程街道办事处', '街道', 'jc@example.cn jc2@example.cn', null, null],
];

test('an .xlsx with Chinese headers and no ids: preview (new / updated / unchanged), apply, the same list again changes nothing', async () => {
  const w = await seeded();
  const bytes = await workbook(XLSX_ROWS);

  const p = await previewOfficeList(w.deps, 2026, bytes);
  expect(p.fileError).toBeNull();
  expect(p.rows.map((r) => [r.line, r.statusLabel, r.id])).toEqual([
    [2, '新增', 'jinchengqujiaoyuju'],
    [3, '新增', 'changanjiedaobanshichu'],
    // Already in the cycle as "jincheng": matched by its name, its id kept; only the e-mails it did not have.
    [4, '无变化', 'jincheng'],
  ]);
  expect(p.rows[0].office).toMatchObject({ group: 'departments', emails: ['jy@example.cn', 'jy2@example.cn', 'jy3@example.cn'], contact: '王芳', phone: '13800001111' });
  expect(p.rows[1].office).toMatchObject({ group: 'streets', phone: '010-12345678' });
  expect(p.notInList).toEqual([{ id: 'fagai', name: '发展和改革局' }]);
  expect(p.summary).toBe('共 3 行：新增 2，更新 0，无变化 1，错误 0；名单中没有的 1 个单位保持不变');
  expect(await w.repo.getOffice(2026, 'jinchengqujiaoyuju')).toBeNull(); // a preview writes nothing

  const applied = await applyOfficeList(w.deps, 2026, bytes);
  expect(applied.created.sort()).toEqual(['changanjiedaobanshichu', 'jinchengqujiaoyuju']);
  expect(await w.repo.getOffice(2026, 'jinchengqujiaoyuju')).toMatchObject({ name: '金城区教育局', status: 'NOT_SUBMITTED', contact: '王芳' });
  expect((await w.repo.getOffice(2026, 'fagai'))?.name).toBe('发展和改革局');

  const again = await previewOfficeList(w.deps, 2026, bytes);
  expect(again.rows.map((r) => r.status)).toEqual(['unchanged', 'unchanged', 'unchanged']);

  const edited = await workbook([...XLSX_ROWS.slice(0, 2), ['长安街道办事处', '市直部门', 'new@example.cn', '李强', '010-12345678']]);
  const changed = await previewOfficeList(w.deps, 2026, edited);
  expect(changed.rows[1]).toMatchObject({ status: 'updated', id: 'changanjiedaobanshichu' });
  expect(changed.rows[1].messages).toEqual(['分组：街道 → 市直部门', '邮箱：ca@example.cn → new@example.cn']);
  expect(previewText(changed)).toContain('第3行　更新　长安街道办事处（changanjiedaobanshichu）　市直部门\n　　分组：街道 → 市直部门');
});

test('a GBK CSV saved by Excel, Chinese headers, no ids, no 分组 column (one group); UTF-8 with BOM reads the same', async () => {
  const w = world();
  await createCycle(w.deps, { year: 2026, coordinatorEmails: ['gk@example.cn'], groups: [{ id: 'all', name: '全部单位', deadline: '2027-01-31' }] });
  const csv = '单位名称,联系邮箱,编号\r\n金城区财政局,cz@example.cn；cz2@example.cn,\r\n"市教育局（市语委，市招办）",jy@example.cn,JY-01\r\n';
  const gbk = new Uint8Array(iconv.encode(csv, 'gbk'));
  expect(() => new TextDecoder('utf-8', { fatal: true }).decode(gbk)).toThrow(); // really not UTF-8

  const p = await previewOfficeList(w.deps, 2026, gbk);
  expect(p.rows.map((r) => [r.line, r.status, r.id, r.name, r.groupName])).toEqual([
    [2, 'new', 'jinchengqucaizhengju', '金城区财政局', '全部单位'],
    [3, 'new', 'jy-01', '市教育局（市语委，市招办）', '全部单位'],
  ]);
  const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from(csv, 'utf8')]);
  expect((await previewOfficeList(w.deps, 2026, bom)).rows).toEqual(p.rows);

  await applyOfficeList(w.deps, 2026, gbk);
  expect((await w.repo.getOffice(2026, 'jinchengqucaizhengju'))?.emails).toEqual(['cz@example.cn', 'cz2@example.cn']);
});

test('errors per row in Chinese with the row number; nothing is applied while any row is wrong', async () => {
  const w = await seeded();
  const bytes = await workbook([
    ['机构名称', '分组', '邮箱', '编号'],
    ['审计局', '市直部门', 'sj@example.cn', null],
    ['', '街道', 'x@example.cn', null],
    ['统计局', '农口', 'tj@example', null],
    ['审计局', '市直部门', 'sj@example.cn', null],
    ['民政局', '市直部门', 'mz@example.cn', 'Min Zheng'],
    ['人社局', null, 'rs@example.cn', null],
  ]);
  const p = await previewOfficeList(w.deps, 2026, bytes);
  expect(p.rows.map((r) => [r.line, r.statusLabel])).toEqual([
    [2, '新增'],
    [3, '错误'],
    [4, '错误'],
    [5, '错误'],
    [6, '错误'],
    [7, '错误'],
  ]);
  const messages = Object.fromEntries(p.rows.map((r) => [r.line, r.messages.join('；')]));
  expect(messages[3]).toBe('单位名称：单位名称不能为空');
  expect(messages[4]).toBe('分组“农口”不在本年度设置的分组中（市直部门、街道）；邮箱：电子邮箱格式不正确');
  expect(messages[5]).toBe('单位名称“审计局”与第2行重复');
  expect(messages[6]).toContain('编号“Min Zheng”只能由字母、数字和连字符组成');
  expect(messages[7]).toBe('分组为空（本年度有多个分组：市直部门、街道，须写明属于哪一组）');
  expect(p.canApply).toBe(false);
  expect(JSON.stringify(p)).not.toMatch(/groups\.|emails\.\d/); // no schema paths
  await expect(applyOfficeList(w.deps, 2026, bytes)).rejects.toThrow(/名单有 5 行错误，未导入任何单位：\n第3行：/);
  expect(await w.repo.getOffice(2026, 'shenjiju')).toBeNull();
});

test('the whole file: old .xls, no header, English headers still work', async () => {
  const w = await seeded();
  const xls = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]);
  expect((await previewOfficeList(w.deps, 2026, xls)).fileError).toMatch(/旧版 Excel 文件（.xls）/);
  const noHeader = await previewOfficeList(w.deps, 2026, Buffer.from('锦程,jc@example.cn\n'));
  expect(noHeader.fileError).toMatch(/^第1行（表头）缺少“单位名称”和“邮箱”列/);
  expect(noHeader.canApply).toBe(false);
  const english = await previewOfficeList(w.deps, 2026, Buffer.from('id,name,group,emails\nfagai,发展和改革局,departments,fg@example.cn\nshuiwu,水务局,departments,sw@example.cn;sw2@example.cn\n'));
  expect(english.rows.map((r) => [r.id, r.status])).toEqual([
    ['fagai', 'unchanged'],
    ['shuiwu', 'new'],
  ]);
});

test('ids from names: pinyin, stable across imports and row order; a homophone gets a suffix from its own name', async () => {
  expect(await slugOf('重庆市渝中区 Bureau 2号')).toBe('chongqingshiyuzhongqu-bureau-2-hao');
  expect(await slugOf('长沙市绿化局')).toBe('changshashilvhuaju');
  const a = await assignIds(['财政局', '才政局'], new Map());
  const b = await assignIds(['才政局', '财政局'], new Map());
  expect([...a].sort()).toEqual([...b].sort());
  expect(new Set(a.values()).size).toBe(2);
  expect([...a.values()].every((id) => /^caizhengju(-[0-9a-f]{6})?$/.test(id))).toBe(true);
  // Once imported, a name keeps its id whatever else arrives.
  const kept = await assignIds(['才政局'], new Map([['caizhengju', '才政局']]));
  expect(kept.get('才政局')).toBe('caizhengju');
});

test('cells: several e-mails, long numbers, rich text and formulas in an .xlsx', async () => {
  expect(splitEmails(' a@x.cn；b@x.cn，c@x.cn、d@x.cn\te@x.cn ')).toEqual(['a@x.cn', 'b@x.cn', 'c@x.cn', 'd@x.cn', 'e@x.cn']);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('S');
  ws.getCell('A1').value = '单位名称';
  ws.getCell('C1').value = '邮箱';
  ws.getCell('A3').value = { richText: [{ text: '金城区', font: { bold: true } }, { text: '<水务>&局' }] };
  ws.getCell('C3').value = { formula: 'LOWER("SW@EXAMPLE.CN")', result: 'sw@example.cn' };
  ws.getCell('D3').value = 13800001111;
  const rows = readXlsxRows(new Uint8Array(await wb.xlsx.writeBuffer()));
  expect(rows).toEqual({
    rows: [
      { line: 1, cells: ['单位名称', '', '邮箱'] },
      { line: 3, cells: ['金城区<水务>&局', '', 'sw@example.cn', '13800001111'] },
    ],
  });
  expect(readOfficeRows(new Uint8Array([0x50, 0x4b, 3, 4, 1, 2, 3]))).toEqual({ error: expect.stringMatching(/无法打开该 Excel 文件/) });
});

test('an .xlsx written by another kind of tool: prefixed tags, no cell references, inline strings, booleans, an empty shared string', async () => {
  const { zipSync, strToU8 } = await import('fflate');
  const ns = 'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
  const bytes = zipSync({
    'xl/workbook.xml': strToU8(`<x:workbook ${ns}><x:sheets><x:sheet name="名单" sheetId="1" r:id="rel7"/></x:sheets></x:workbook>`),
    'xl/_rels/workbook.xml.rels': strToU8('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rel7" Type="worksheet" Target="/xl/worksheets/data.xml"/></Relationships>'),
    'xl/sharedStrings.xml': strToU8(`<x:sst ${ns}><x:si><x:t>单位名称</x:t></x:si><x:si/><x:si><x:r><x:t>邮</x:t></x:r><x:r><x:t xml:space="preserve">箱</x:t></x:r><x:rPh><x:t>ゆう</x:t></x:rPh></x:si></x:sst>`),
    'xl/worksheets/data.xml': strToU8(
      `<x:worksheet ${ns}><x:sheetData>` +
        '<x:row><x:c t="s"><x:v>0</x:v></x:c><x:c t="s"><x:v>1</x:v></x:c><x:c t="s"><x:v>2</x:v></x:c></x:row>' +
        '<x:row><x:c t="inlineStr"><x:is><x:t>审计局 &amp; 统计局</x:t></x:is></x:c><x:c t="b"><x:v>1</x:v></x:c><x:c t="str"><x:v>sj@example.cn</x:v></x:c></x:row>' +
        '</x:sheetData></x:worksheet>',
    ),
  });
  expect(readXlsxRows(bytes)).toEqual({
    rows: [
      { line: 1, cells: ['单位名称', '', '邮箱'] },
      { line: 2, cells: ['审计局 & 统计局', 'TRUE', 'sj@example.cn'] },
    ],
  });
});
