import { DomUtils, parseDocument } from 'htmlparser2';
import type { Element } from 'domhandler';
import { renderOfficePage, renderTopIndex, renderYearIndex, gridHtml, type PublicOffice, type PublicVersion } from '../../shared/render/public-pages';
import { tableGrid } from '../../shared/render/layout';
import { cellText, escapeHtml } from '../../shared/render/format';
import { pathSegment, sitePaths } from '../../shared/common/site';
import { SPECS, dataRows } from '../../shared/report/spec';
import type { Report } from '../../shared/report/model';
import { buildReport } from './helpers';

const XSS = {
  office: `<script>alert("office")</script>"'><img src=x onerror=alert(1)>`,
  narrative: `正文<script>alert('n')</script><svg onload=alert(2)>`,
  fileName: `"><script>alert('f')</script>报告.docx`,
  note: `<script>alert('note')</script>`,
  cell: `<script>c</script>`,
  submission: `"><iframe src=javascript:alert(3)>`,
};

function version(report: Report, v: number, extra: Partial<PublicVersion> = {}): PublicVersion {
  return {
    version: v,
    report,
    submissionId: `sub-${v}`,
    sha256: 'ab'.repeat(32),
    receivedAt: '2022-01-20T09:30:00Z',
    acceptedAt: '2022-01-20T10:00:00Z',
    publishedAt: '2022-01-25T02:00:00Z',
    fileName: 'report.docx',
    ...extra,
  };
}

const elements = (html: string) => DomUtils.findAll(() => true, parseDocument(html).children) as Element[];

/** No markup from the input survived as markup: no script/img/svg/iframe elements, no on* attributes. */
function expectInert(html: string): void {
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/<(img|svg|iframe)/i);
  const els = elements(html);
  expect(els.filter((e) => ['script', 'img', 'svg', 'iframe'].includes(e.name))).toEqual([]);
  expect(els.flatMap((e) => Object.keys(e.attribs)).filter((a) => a.startsWith('on'))).toEqual([]);
}

/** Every link is relative and stays inside the site, whatever the base URL. */
function expectRelativeLinks(html: string, pagePath: string): string[] {
  const base = `https://example.org/pub/${pagePath}`;
  const hrefs = elements(html)
    .filter((e) => e.name === 'a')
    .map((e) => e.attribs.href)
    .filter((h) => !h.startsWith('#'));
  for (const h of hrefs) {
    expect(h).not.toMatch(/^[a-z]+:|^\/|\/\//i);
    expect(new URL(h, base).href.startsWith('https://example.org/pub/')).toBe(true);
  }
  return hrefs.map((h) => new URL(h, base).pathname.replace('/pub/', ''));
}

describe('public pages — escaping', () => {
  const report = buildReport({ office: XSS.office });
  report.sections[0].text = XSS.narrative;
  report.table3!['（一）予以公开']['自然人'] = { raw: XSS.cell, kind: 'invalid', value: null, problem: 'x' };
  const office: PublicOffice = {
    officeId: '../../evil',
    name: XSS.office,
    status: 'PUBLISHED',
    versions: [
      version(report, 1, { fileName: XSS.fileName }),
      version(report, 2, { fileName: XSS.fileName, note: XSS.note, submissionId: XSS.submission }),
    ],
  };

  it('office page: nothing from the office, the report or the file name becomes markup', () => {
    const html = renderOfficePage(2021, office);
    expectInert(html);
    const text = DomUtils.textContent(parseDocument(html));
    // escaped, not dropped: the reader sees exactly what was submitted
    for (const s of [XSS.office, XSS.narrative, XSS.fileName, XSS.note, XSS.cell, XSS.submission]) expect(text).toContain(s);
    expect(html).toContain(escapeHtml(XSS.office));
  });

  it('year index and top index: the office name is escaped and the office id cannot leave its folder', () => {
    const html = renderYearIndex(2021, [office]);
    expectInert(html);
    expect(DomUtils.textContent(parseDocument(html))).toContain(XSS.office);
    const targets = expectRelativeLinks(html, sitePaths.yearIndex(2021));
    expect(targets).toContain(`2021/${pathSegment('../../evil')}/index.html`);
    expect(pathSegment('../../evil')).toMatch(/^[A-Za-z0-9_-]+$/);
    for (const t of targets) expect(t.startsWith('2021/') || t.startsWith('data/') || t.startsWith('offices/') || t === 'index.html').toBe(true);
    expectInert(renderTopIndex([{ year: 2021, offices: 1, published: 1 }]));
  });

  it('escapeHtml covers the five characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});

/** Place the cells of an HTML table the way a browser does; every slot must be covered exactly once. */
function occupancy(table: Element): string[][] {
  const rows = DomUtils.findAll((e) => e.name === 'tr', [table]) as Element[];
  const grid: string[][] = rows.map(() => []);
  rows.forEach((tr, r) => {
    let c = 0;
    for (const cell of tr.children.filter((n): n is Element => (n as Element).name === 'th' || (n as Element).name === 'td')) {
      while (grid[r][c] !== undefined) c++;
      const rs = Number(cell.attribs.rowspan ?? 1);
      const cs = Number(cell.attribs.colspan ?? 1);
      for (let i = 0; i < rs; i++)
        for (let j = 0; j < cs; j++) {
          expect(grid[r + i][c + j]).toBeUndefined();
          grid[r + i][c + j] = DomUtils.textContent(cell);
        }
      c += cs;
    }
  });
  return grid;
}

const tableEl = (html: string) => DomUtils.findOne((e) => e.name === 'table', parseDocument(html).children) as Element;
const cellEl = (table: Element, text: string) => DomUtils.findOne((e) => (e.name === 'th' || e.name === 'td') && DomUtils.textContent(e) === text, [table]) as Element;

describe('public pages — tables in the national layout', () => {
  it('table 三 (2021): merged headers, parent rows spanning their sub-rows, a full 10-column grid', () => {
    const report = buildReport();
    const spec = SPECS['2021'];
    const table = tableEl(gridHtml(tableGrid(spec, '三', report.table3)));
    const grid = occupancy(table);
    expect(grid).toHaveLength(3 + dataRows(spec.tables['三']).length);
    for (const row of grid) expect(row.filter((x) => x !== undefined)).toHaveLength(10);
    const attrs = (text: string) => ({ rowspan: cellEl(table, text)?.attribs.rowspan, colspan: cellEl(table, text)?.attribs.colspan });
    expect(attrs(spec.tables['三'].furniture[0])).toEqual({ rowspan: '3', colspan: '3' });
    expect(attrs('申请人情况')).toEqual({ rowspan: undefined, colspan: '7' });
    expect(attrs('法人或其他组织')).toEqual({ rowspan: undefined, colspan: '5' });
    expect(attrs('自然人')).toEqual({ rowspan: '2', colspan: undefined });
    expect(attrs('三、本年度办理结果')).toEqual({ rowspan: '22', colspan: undefined });
    expect(attrs('（三）不予公开')).toEqual({ rowspan: '8', colspan: undefined });
    expect(attrs('（四）无法提供')).toEqual({ rowspan: '3', colspan: undefined });
    expect(attrs('（五）不予处理')).toEqual({ rowspan: '5', colspan: undefined });
    expect(attrs('（六）其他处理')).toEqual({ rowspan: '3', colspan: undefined });
    expect(attrs('（七）总计')).toEqual({ rowspan: undefined, colspan: '2' });
    expect(attrs('一、本年新收政府信息公开申请数量')).toEqual({ rowspan: undefined, colspan: '3' });
    // every figure in its cell
    for (const row of dataRows(spec.tables['三']))
      for (const c of row.columns) {
        const td = DomUtils.findOne((e) => e.name === 'td' && e.attribs['data-row'] === row.label && e.attribs['data-col'] === c.label, [table]) as Element;
        expect(DomUtils.textContent(td)).toBe(cellText(report.table3![row.label][c.label]));
      }
  });

  it('table 三 (2019): （六）其他处理 is one row over two label columns', () => {
    const table = tableEl(gridHtml(tableGrid(SPECS['2019'], '三', null)));
    for (const row of occupancy(table)) expect(row.filter((x) => x !== undefined)).toHaveLength(10);
    expect(cellEl(table, '（六）其他处理').attribs.colspan).toBe('2');
    expect(cellEl(table, '三、本年度办理结果').attribs.rowspan).toBe('20');
    // absent table: empty cells, never 0
    const tds = DomUtils.findAll((e) => e.name === 'td', [table]);
    expect(tds.length).toBe(23 * 7);
    expect(tds.every((td) => DomUtils.textContent(td) === '')).toBe(true);
  });

  it('table 四: 行政复议 | 行政诉讼 → 未经复议直接起诉 / 复议后起诉 over 15 figures', () => {
    const report = buildReport();
    const table = tableEl(gridHtml(tableGrid(SPECS['2021'], '四', report.table4)));
    const grid = occupancy(table);
    expect(grid.map((r) => r.length)).toEqual([15, 15, 15, 15]);
    expect(grid[0].slice(0, 5).every((x) => x === '行政复议') && grid[1].slice(0, 5).every((x) => x === '行政复议')).toBe(true);
    expect(grid[0].slice(5).every((x) => x === '行政诉讼')).toBe(true);
    expect(grid[1].slice(5, 10).every((x) => x === '未经复议直接起诉')).toBe(true);
    expect(grid[1].slice(10).every((x) => x === '复议后起诉')).toBe(true);
    expect(grid[2]).toEqual(Array.from({ length: 3 }, () => ['结果维持', '结果纠正', '其他结果', '尚未审结', '总计']).flat());
    const expected = ['行政复议', '未经复议直接起诉', '复议后起诉'].flatMap((g) => ['结果维持', '结果纠正', '其他结果', '尚未审结', '总计'].map((c) => cellText(report.table4![g][c])));
    expect(grid[3]).toEqual(expected);
  });

  it('table 二 (2021): the 第二十条 blocks, single-figure columns spanning the three value slots', () => {
    const report = buildReport();
    const table = tableEl(gridHtml(tableGrid(SPECS['2021'], '二', report.table2)));
    const grid = occupancy(table);
    for (const row of grid) expect(row).toHaveLength(4);
    expect(grid.filter((r) => r[0].startsWith('第二十条')).map((r) => r[0])).toEqual(['第二十条第（一）项', '第二十条第（五）项', '第二十条第（六）项', '第二十条第（八）项']);
    const fee = grid.find((r) => r[0] === '行政事业性收费')!;
    expect(new Set(fee.slice(1))).toEqual(new Set([cellText(report.table2!['行政事业性收费']['本年收费金额（单位：万元）'])]));
  });
});

describe('public pages — versions, indexes, links', () => {
  const v1 = buildReport();
  const v2 = buildReport();
  v2.table3!['（一）予以公开']['自然人'] = { raw: '99', kind: 'number', value: 99 };
  v2.sections[4].text = '已修改的问题与改进说明。';
  const office: PublicOffice = {
    officeId: 'qingfeng-zjj',
    name: '青峰区住房和城乡建设局',
    status: 'PUBLISHED',
    versions: [version(v1, 1), version(v2, 2, { submissionId: 'sub-2', publishedAt: '2022-03-01T17:00:00Z', note: '更正表三数据' })],
  };

  it('office page: the correction notice 「更正于…」 and what changed between the versions', () => {
    const html = renderOfficePage(2021, office);
    const text = DomUtils.textContent(parseDocument(html));
    expect(text).toContain('更正于2022年3月2日'); // 17:00Z is the next day in Asia/Shanghai
    const before = cellText(v1.table3!['（一）予以公开']['自然人']);
    expect(text).toContain(`表三「（一）予以公开」行「自然人」列：「${before}」 改为 「99」`);
    expect(text).toContain('五、存在的主要问题及改进情况：文字有修改');
    expect(text).toContain('更正说明：更正表三数据');
    expect(text).not.toContain('表二「'); // only real changes are listed
    const targets = expectRelativeLinks(html, sitePaths.officePage(2021, 'qingfeng-zjj'));
    expect(targets).toEqual(
      expect.arrayContaining([
        'index.html',
        '2021/index.html',
        '2021/qingfeng-zjj/v2/report.pdf',
        '2021/qingfeng-zjj/v2/original.docx',
        '2021/qingfeng-zjj/v2/report.json',
        '2021/qingfeng-zjj/v1/report.pdf',
      ]),
    );
    // the current version's figures are shown
    expect(html).toContain('data-row="（一）予以公开" data-col="自然人">99</td>');
  });

  it('year index: only published offices, by their published version; links to page, PDF, JSON and the open data (issue 13.2)', () => {
    const offices: PublicOffice[] = [
      office,
      { officeId: 'a', name: '甲街道办事处', status: 'NOT_SUBMITTED', versions: [] },
      { officeId: 'b', name: '乙镇人民政府', status: 'REJECTED', versions: [] },
    ];
    const html = renderYearIndex(2021, offices);
    const doc = parseDocument(html);
    const rows = DomUtils.findAll((e) => e.name === 'tr', doc.children).slice(1) as Element[];
    // The office's name is the row's header cell (th scope=row), then its data cells.
    const cells = rows.map((r) => (r.children.filter((n) => ['th', 'td'].includes((n as Element).name)) as Element[]).map((c) => DomUtils.textContent(c).trim()));
    expect(cells[0]).toEqual(['青峰区住房和城乡建设局', '已公开', '2022年1月20日', '2022年1月25日更正于2022年3月2日', '查看 · PDF · JSON']);
    // Offices with nothing published are not part of the public record: no row, no status, no name.
    expect(cells).toHaveLength(1);
    expect(html).not.toMatch(/甲街道办事处|乙镇人民政府|未提交|未通过|已通过/);
    // A published office whose workflow moved on (a rejected amendment) still shows as published.
    const amended = renderYearIndex(2021, [{ ...office, status: 'REJECTED' }]);
    expect(amended).not.toContain('未通过');
    expect(amended).toContain('已公开');
    const targets = expectRelativeLinks(html, sitePaths.yearIndex(2021));
    expect(targets).toEqual(expect.arrayContaining(['2021/qingfeng-zjj/index.html', '2021/qingfeng-zjj/v2/report.pdf', '2021/qingfeng-zjj/v2/report.json', 'data/2021.csv', 'data/2021.json']));
    expect(DomUtils.textContent(doc)).toContain('已公开 1 个单位的年度报告');
    // The coordinator's optional list of offices that have not published yet: names only, escaped.
    const listed = renderYearIndex(2021, offices, { unpublished: ['甲街道办事处', '<b>乙</b>'] });
    expect(listed).toContain('尚未公开报告的单位（2 个）');
    expect(listed).toContain('<li>甲街道办事处</li>');
    expect(listed).toContain('&lt;b&gt;乙&lt;/b&gt;');
    expect(listed).not.toMatch(/未提交|未通过/);
  });

  it('top index lists the years, newest first, with relative links', () => {
    const html = renderTopIndex([
      { year: 2021, offices: 3, published: 1 },
      { year: 2022, offices: 4, published: 0 },
    ]);
    expect(expectRelativeLinks(html, 'index.html')).toEqual([
      '2022/index.html',
      '2021/index.html',
      'offices/index.html',
      'data/all-years.xlsx',
      'data/all-years.csv',
      'data/dictionary.csv',
    ]);
  });

  it('is deterministic and has no clock in it unless asked', () => {
    expect(renderOfficePage(2021, office)).toBe(renderOfficePage(2021, office));
    expect(renderOfficePage(2021, office)).not.toContain('页面生成于');
    expect(renderYearIndex(2021, [office], { generatedAt: '2022-03-01T00:00:00Z' })).toContain('页面生成于 2022年3月1日 08:00');
  });

  it('has a phone viewport, Chinese language and a CSP that forbids scripts', () => {
    const html = renderOfficePage(2021, office);
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('name="viewport"');
    expect(html).toMatch(/Content-Security-Policy" content="default-src 'none'/);
  });
});
