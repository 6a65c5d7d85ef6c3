/**
 * Each extractor on the shapes real files have: the lines of cells it hands to the parser.
 */
import iconv from 'iconv-lite';
import mammoth from 'mammoth';
import { detectKind } from '../../shared/report/ingest';
import { docxToLines, documentXmlToLines } from '../../shared/report/ingest/docx';
import { htmlStringToLines, htmlToLines } from '../../shared/report/ingest/html';
import { pagesToLines, type PdfItem, type PdfPage, type Segment } from '../../shared/report/ingest/pdf-layout';
import { fixture } from './helpers';

const lines = (r: { lines: string[][] } | { unreadable: string }) => {
  if ('unreadable' in r) throw new Error(r.unreadable);
  return r.lines;
};

describe('HTML', () => {
  test('a government page: layout table, script and style ignored, rowspan cells once, &nbsp; empty, <br> joined', () => {
    const html = `<!DOCTYPE html><html><head><title>站点标题</title><style>p{color:red}</style>
      <script>document.write("<p>统计代码</p>")</script></head><body>
      <table width="100%"><tr><td>
        <div class="nav">首页 &gt; 信息公开</div>
        <p>一、总体情况</p><p>本机关
        全面推进政务公开。</p>
        <table border="1">
          <tr><td rowspan="2">（三）不予公开</td><td>1.属于国家秘密</td><td>&nbsp;</td><td>0</td></tr>
          <tr><td>2.其他法律行政法规<br/>禁止公开</td><td><p>1</p></td><td>&nbsp;1&nbsp;</td></tr>
          <tr><td>&nbsp;</td><td></td><td> </td><td>&nbsp;</td></tr>
          <tr><td colspan="2">（七）总计</td><td>行<br>政<br>复<br>议</td><td>3</td></tr>
        </table>
      </td></tr></table></body></html>`;
    expect(htmlStringToLines(html)).toEqual([
      ['首页 > 信息公开'],
      ['一、总体情况'],
      ['本机关全面推进政务公开。'],
      ['（三）不予公开', '1.属于国家秘密', '', '0'],
      ['2.其他法律行政法规禁止公开', '1', '1'],
      ['（七）总计', '行政复议', '3'],
    ]);
  });

  test('GBK pages declared by <meta charset> or http-equiv, and a page that lies about UTF-8', () => {
    const body = '<p>二、主动公开政府信息情况</p><table><tr><td>规章</td><td>0</td></tr></table>';
    const expected = [['二、主动公开政府信息情况'], ['规章', '0']];
    const metaCharset = iconv.encode(`<html><head><meta charset="gb2312"></head><body>${body}</body></html>`, 'gb18030');
    const httpEquiv = iconv.encode(`<html><head><meta http-equiv="Content-Type" content="text/html; charset=GBK"></head><body>${body}</body></html>`, 'gbk');
    const lying = iconv.encode(`<html><head><meta charset="utf-8"></head><body>${body}</body></html>`, 'gbk');
    for (const bytes of [metaCharset, httpEquiv, lying]) expect(lines(htmlToLines(new Uint8Array(bytes)))).toEqual(expected);
  });
});

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"';
const p = (text: string) => `<w:p><w:r><w:t xml:space="preserve">${text}</w:t></w:r></w:p>`;
const tc = (inner: string, props = '') => `<w:tc><w:tcPr>${props}</w:tcPr>${inner}</w:tc>`;

describe('DOCX', () => {
  test('merged cells (gridSpan, vMerge), several paragraphs in a cell, tracked changes, text boxes', () => {
    const xml = `<w:document ${W}><w:body>
      ${p('三、收到和处理政府信息公开申请情况')}
      <w:p><w:r><w:t>自然人</w:t><w:tab/><w:t>总计</w:t></w:r></w:p>
      <w:tbl>
        <w:tr>${tc(p('一、本年新收政府信息公开申请数量'), '<w:gridSpan w:val="3"/>')}${tc(p('5'))}${tc('<w:p/>')}</w:tr>
        <w:tr>${tc(p('（三）不予'), '<w:vMerge w:val="restart"/>').replace('</w:p>', '</w:p>' + p('公开'))}${tc(p('1.属于国家秘密'))}${tc(p('0'))}${tc(p('0'))}</w:tr>
        <w:tr>${tc('<w:p/>', '<w:vMerge/>')}${tc(p('2.其他法律行政法规禁止公开'))}${tc('<w:p><w:ins><w:r><w:t>1</w:t></w:r></w:ins><w:del><w:r><w:delText>7</w:delText></w:r></w:del></w:p>')}${tc(p('1'))}</w:tr>
      </w:tbl>
      <w:p><w:r><mc:AlternateContent><mc:Choice><w:drawing><w:txbxContent>${p('文本框里的标题')}</w:txbxContent></w:drawing></mc:Choice>
        <mc:Fallback><w:pict><w:txbxContent>${p('文本框里的标题')}</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>
        <w:r><w:t>正文</w:t><w:br/><w:t>第二行</w:t><w:instrText> PAGE </w:instrText></w:r></w:p>
    </w:body></w:document>`;
    expect(documentXmlToLines(xml)).toEqual([
      ['三、收到和处理政府信息公开申请情况'],
      ['自然人', '总计'],
      ['一、本年新收政府信息公开申请数量', '5', ''],
      ['（三）不予公开', '1.属于国家秘密', '0', '0'],
      ['2.其他法律行政法规禁止公开', '1', '1'],
      ['文本框里的标题'],
      ['正文'],
      ['第二行'],
    ]);
  });

  test('XML entities and CDATA in text, attributes in either quote style', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ${W}><w:body>
      <w:p><w:r><w:t>《条例》&amp;&lt;规定&gt;&#x4E00;&#20108;</w:t></w:r></w:p>
      <w:p><w:r><w:t><![CDATA[a<b]]></w:t><w:br w:type='page'/><w:t>续</w:t></w:r></w:p>
    </w:body></w:document>`;
    expect(documentXmlToLines(xml)).toEqual([['《条例》&<规定>一二'], ['a<b续']]);
  });

  test.each(['report.docx', 'report-t3-error.docx'])('%s: the same lines as mammoth (DOCX → HTML) gives', async (name) => {
    const bytes = fixture(name);
    const viaMammoth = htmlStringToLines((await mammoth.convertToHtml({ buffer: Buffer.from(bytes) })).value);
    expect(lines(await docxToLines(bytes))).toEqual(viaMammoth);
  });

  test.each(['report', 'report-t3-error'])('%s: DOCX and the web page it was made from give the same lines', async (name) => {
    expect(lines(await docxToLines(fixture(`${name}.docx`)))).toEqual(lines(htmlToLines(fixture(`${name}.html`))));
  });
});

describe('PDF layout', () => {
  const item = (str: string, x: number, y: number, size = 10): PdfItem => ({ str, x, y, w: [...str].length * size, size, vertical: false, eol: false });

  test('a merged label printed in the middle of its span, wrapped, lands in the first row it covers', () => {
    // Columns at 50 | 110 | 250 | 300 | 350; rows at 100 | 120 | 140 | 160.
    const segments: Segment[] = [
      [50, 100, 350, 100],
      [110, 120, 350, 120], // no rule under the merged label column between rows 1 and 2…
      [110, 140, 350, 140],
      [50, 160, 350, 160],
      [50, 100, 50, 160],
      [110, 100, 110, 160],
      [250, 100, 250, 160],
      [300, 100, 300, 160],
      [350, 100, 350, 160],
    ];
    const items = [
      // "（三）不予公开" wrapped in its narrow merged cell, centred vertically across rows 1–3
      item('（三）不', 55, 125),
      item('予公开', 55, 137),
      item('1.属于国家秘密', 112, 114),
      item('0', 270, 114),
      item('0', 320, 114),
      item('2.其他法律行政法规', 112, 130),
      item('禁止公开', 112, 138), // wrapped label in one cell
      // PDF.js merged the texts of two narrow cells into one item
      { ...item('1', 270, 136), str: '1    1', w: 60 },
      item('3.危及“三安全一稳定”', 112, 154),
      item('0', 270, 154),
      item('0', 320, 154),
    ];
    const page: PdfPage = { width: 400, height: 600, items, segments };
    expect(pagesToLines([page]).lines).toEqual([
      ['（三）不予公开', '1.属于国家秘密', '0', '0'],
      ['2.其他法律行政法规禁止公开', '1', '1'],
      ['3.危及“三安全一稳定”', '0', '0'],
    ]);
  });

  test('paragraphs wrapped at the margin are joined; headings and page numbers are not text', () => {
    const line = (s: string, x: number, y: number) => ({ ...item(s, x, y), w: 500 - x });
    const page1: PdfPage = {
      width: 595,
      height: 842,
      segments: [],
      items: [
        item('一、总体情况', 50, 100),
        line('本机关认真贯彻条例，全面推进政务公开，全年主动公开信', 70, 120),
        { ...item('息1268条。', 50, 134), w: 100 },
        line('（一）主动公开。全年通过门户网站主动公开政府信息共计', 70, 160),
        item('二、主动公开政府信息情况', 50, 174),
        item('- 1 -', 280, 800),
      ],
    };
    const page2: PdfPage = { ...page1, items: [item('2', 290, 30), item('三、收到和处理政府信息公开申请情况', 50, 100)] };
    expect(pagesToLines([page1, page2]).lines).toEqual([
      ['一、总体情况'],
      ['本机关认真贯彻条例，全面推进政务公开，全年主动公开信息1268条。'],
      ['（一）主动公开。全年通过门户网站主动公开政府信息共计'],
      ['二、主动公开政府信息情况'],
      ['三、收到和处理政府信息公开申请情况'],
    ]);
  });

  test('a table drawn without rules: wide gaps split cells', () => {
    const page: PdfPage = { width: 595, height: 842, segments: [], items: [item('规章', 50, 100), item('0', 200, 100), item('0', 300, 100), item('3', 400, 100)] };
    expect(pagesToLines([page]).lines).toEqual([['规章', '0', '0', '3']]);
  });
});

describe('kind detection by content', () => {
  test.each([
    ['\ufeff  \n<!DOCTYPE html><html>', 'html'],
    ['\r\n<TABLE border=1><tr><td>规章</td></tr></TABLE>', 'html'],
    ['<?xml version="1.0"?><!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml">', 'html'],
    ['  {"$schema": "x"}', 'json'],
    ['锦程街道办事处2020年政府信息公开工作年度报告\n一、总体情况', 'text'],
    ['%PDF-1.7', 'pdf'],
  ])('%j → %s', (text, kind) => {
    expect(detectKind(new TextEncoder().encode(text))).toBe(kind);
  });

  test('UTF-16 (Word "Unicode text") JSON and text', () => {
    const u16 = (s: string) => new Uint8Array(iconv.encode(s, 'utf-16le'));
    expect(detectKind(new Uint8Array([0xff, 0xfe, ...u16('{"a":1}')]))).toBe('json');
    expect(detectKind(u16('年度报告\r\n一、总体情况'))).toBe('text');
  });
});
