/**
 * Layout writers: a canonical Report → a document laid out the way offices really publish it.
 *
 * Each writer reproduces one real layout (docs/report-format.md, docs/reading-reports.md): a web page with rowspan/colspan and
 * site chrome, a table copied from Chrome (tabs, multi-paragraph cells breaking lines), the
 * one-cell-per-line copy of the seed (tabs, full-width spaces, CRLF), text extracted from a WPS/Word
 * PDF (vertical labels one character per line, labels split over lines and pages, broken column
 * headers, Kangxi radicals), and a Word file with real gridSpan/vMerge merged cells (the `docx`
 * package, or the real 2021 template filled in). The same writers build the fixtures of
 * fixtures/realistic (build.ts) and the property test (property-layouts.test.ts).
 *
 * Cells are written as their raw text; a blank cell stays blank.
 */
import { AlignmentType, Document, Packer, Paragraph, Table as DocxTable, TableCell, TableRow, TextRun, VerticalMergeType, WidthType } from 'docx';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import type { Report, Table } from '../../shared/report/model';
import { SPECS, T4_COLUMNS, T4_GROUPS, versionForYear, type FormatVersion, type RowSpec } from '../../shared/report/spec';

// ---------------------------------------------------------------------------------------------
// The document as a reader sees it: title, paragraphs, sections, tables as grids of merged cells.
// ---------------------------------------------------------------------------------------------

/** One cell as it starts in its row (HTML semantics: a rowspan continuation is not repeated). */
export interface GCell {
  /** Paragraphs of the cell separated by '\n'. */
  text: string;
  rowspan?: number;
  colspan?: number;
  /** A header or label cell (not a value). */
  head?: boolean;
}
export type GRow = GCell[];
export interface Grid {
  cols: number;
  rows: GRow[];
}

export interface LayoutOptions {
  /** Paragraphs before 一、总体情况 (legal basis, period, contact). */
  preamble?: string[];
  /** Override the six headings (index 0 → 一、…). */
  headings?: Partial<Record<number, string>>;
  /** Text lines placed before the title (a web template's `{{ title }}`, a site's chrome…). */
  before?: string[];
  /** 2021 format written with （六）其他处理 as one row of values (the sum of its sub-rows). */
  otherAsOneRow?: boolean;
  /** Label as written → canonical text ("4.保护第三方合法权益" → "4.保护第三方权益"). */
  relabel?: Record<string, string>;
}

const version = (r: Report): FormatVersion => r.formatVersion ?? versionForYear(r.year ?? 2021);
const raw = (t: Table | null, row: string, col: string) => t?.[row]?.[col]?.raw ?? '';
export const T3_COLS = ['自然人', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他', '总计'];
export const T3_NOTE = '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）';
const T4_COLS = T4_COLUMNS.map((c) => c.label);

export function title(r: Report): string {
  return r.title ?? `${r.office ?? ''}${r.year ?? ''}年政府信息公开工作年度报告`;
}

export function headingOf(r: Report, ordinal: number, opts: LayoutOptions = {}): string {
  const o = opts.headings?.[ordinal];
  if (o) return o;
  const found = r.sections.find((s) => s.ordinal === ordinal);
  const spec = SPECS[version(r)].sections[ordinal - 1];
  return found?.heading.trim() || `${'一二三四五六'[ordinal - 1]}、${spec.title}`;
}

export function paragraphsOf(r: Report, ordinal: number): string[] {
  return r.sections
    .filter((s) => s.ordinal === ordinal)
    .flatMap((s) => s.text.split('\n'))
    .map((p) => p.trim())
    .filter(Boolean);
}

const rl = (opts: LayoutOptions, text: string) => opts.relabel?.[text] ?? text;

/** Table 三 rows in document order, with their header context. */
export interface T3Line {
  label: string;
  text: string;
  parent?: string;
  /** First sub-row of its parent. */
  first?: boolean;
  /** Number of sub-rows of its parent (on the first one). */
  span?: number;
  /** Inside 三、本年度办理结果. */
  result?: boolean;
  values: string[];
}

export function t3Lines(r: Report, opts: LayoutOptions = {}): T3Line[] {
  const v = version(r);
  const rows = SPECS[v].tables['三'].rows;
  const out: T3Line[] = [];
  let inResults = false;
  const subCount = (parent: string) => rows.filter((x) => x.parent === parent).length;
  for (const row of rows) {
    if (row.label === '三、本年度办理结果') {
      inResults = true;
      continue;
    }
    if (row.label === '四、结转下年度继续办理') inResults = false;
    if (row.header) {
      if (row.label === '（六）其他处理' && opts.otherAsOneRow) {
        const subs = rows.filter((x) => x.parent === row.label);
        const values = T3_COLS.map((c) => String(subs.reduce((a, s) => a + (r.table3?.[s.label]?.[c]?.value ?? 0), 0)));
        out.push({ label: row.label, text: row.text, result: true, values });
      }
      continue;
    }
    if (row.parent === '（六）其他处理' && opts.otherAsOneRow) continue;
    const line: T3Line = {
      label: row.label,
      text: rl(opts, row.text),
      parent: row.parent,
      result: inResults,
      values: T3_COLS.map((c) => raw(r.table3, row.label, c)),
    };
    if (row.parent && rows.find((x) => x.parent === row.parent) === row) {
      line.first = true;
      line.span = subCount(row.parent);
    }
    out.push(line);
  }
  return out;
}

/** Table 二 rows grouped by block. */
export function t2Blocks(r: Report, opts: LayoutOptions = {}): { block: string; columns: string[]; rows: { text: string; values: string[] }[] }[] {
  const spec = SPECS[version(r)].tables['二'];
  const blocks: { block: string; columns: string[]; rows: { text: string; values: string[] }[] }[] = [];
  for (const row of spec.rows as RowSpec[]) {
    if (row.header) continue;
    const columns = row.columns.map((c) => c.label);
    let b = blocks[blocks.length - 1];
    if (!b || b.block !== row.block || b.columns.join() !== columns.join()) {
      b = { block: row.block ?? '', columns, rows: [] };
      blocks.push(b);
    }
    b.rows.push({ text: row.text, values: columns.map((c) => raw(r.table2, row.label, c)) });
  }
  return blocks.map((b) => ({ ...b, columns: b.columns.map((c) => rl(opts, c)) }));
}

export function t4Values(r: Report): string[] {
  return T4_GROUPS.flatMap((g) => T4_COLS.map((c) => raw(r.table4, g, c)));
}

// ---- grids (what HTML, Word and browser copies share) ----

export function grid2(r: Report, opts: LayoutOptions = {}): Grid {
  const blocks = t2Blocks(r, opts);
  const cols = 1 + Math.max(...blocks.map((b) => b.columns.length));
  const rows: GRow[] = [];
  let lastBlock = '';
  for (const b of blocks) {
    if (b.block !== lastBlock) rows.push([{ text: b.block, colspan: cols, head: true }]);
    lastBlock = b.block;
    const span = (i: number, n: number) => (i === n - 1 ? cols - n : 1);
    rows.push([{ text: '信息内容', head: true }, ...b.columns.map((c, i) => ({ text: c, head: true, colspan: span(i, b.columns.length) }))]);
    for (const row of b.rows) rows.push([{ text: row.text, head: true }, ...row.values.map((v, i) => ({ text: v, colspan: span(i, row.values.length) }))]);
  }
  return { cols, rows: rows.map((r) => r.map((c) => (c.colspan === 1 ? { ...c, colspan: undefined } : c))) };
}

export interface Grid3Options {
  /** Split header texts into paragraphs ("商业\n企业"). */
  brokenHeads?: boolean;
  /** Vertical 三、本年度办理结果 written one character per paragraph. */
  verticalResults?: boolean;
}

export function grid3(r: Report, opts: LayoutOptions = {}, g: Grid3Options = {}): Grid {
  const lines = t3Lines(r, opts);
  const resultRows = lines.filter((l) => l.result).length;
  const h = (t: string) => (g.brokenHeads ? t.replace(/^(..)(..+)$/, '$1\n$2') : t);
  const rows: GRow[] = [
    [
      { text: T3_NOTE, colspan: 3, rowspan: 3, head: true },
      { text: '申请人情况', colspan: 7, head: true },
    ],
    [
      { text: '自然人', rowspan: 2, head: true },
      { text: '法人或其他组织', colspan: 5, head: true },
      { text: '总计', rowspan: 2, head: true },
    ],
    ['商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他'].map((t) => ({ text: h(t), head: true })),
  ];
  let resultsOpen = false;
  for (const l of lines) {
    const lead: GCell[] = [];
    if (l.result && !resultsOpen) {
      resultsOpen = true;
      const t = '三、本年度办理结果';
      lead.push({ text: g.verticalResults ? [...t].join('\n') : t, rowspan: resultRows, head: true });
    }
    if (!l.result) lead.push({ text: l.text, colspan: 3, head: true });
    else if (!l.parent) lead.push({ text: l.text, colspan: 2, head: true });
    else {
      if (l.first) lead.push({ text: l.parent, rowspan: l.span, head: true });
      lead.push({ text: l.text, head: true });
    }
    rows.push([...lead, ...l.values.map((v) => ({ text: v }))]);
  }
  return { cols: 10, rows };
}

export function grid4(r: Report, verticalHead = false): Grid {
  const v = (t: string) => (verticalHead ? [...t].join('\n') : t);
  return {
    cols: 15,
    rows: [
      [
        { text: v('行政复议'), colspan: 5, head: true },
        { text: '行政诉讼', colspan: 10, head: true },
      ],
      [...T4_COLS.map((c) => ({ text: c, rowspan: 2, head: true })), { text: '未经复议直接起诉', colspan: 5, head: true }, { text: '复议后起诉', colspan: 5, head: true }],
      [...T4_COLS, ...T4_COLS].map((c) => ({ text: c, head: true })),
      t4Values(r).map((x) => ({ text: x })),
    ],
  };
}

/** Slots of a grid: for every row, each grid position's cell, where it starts, and if it continues a rowspan. */
export interface Slot {
  cell: GCell;
  col: number;
  start: boolean;
}
export function slots(g: Grid): Slot[][] {
  const out: Slot[][] = g.rows.map(() => []);
  const taken: (GCell | null)[][] = g.rows.map(() => Array<GCell | null>(g.cols).fill(null));
  g.rows.forEach((row, ri) => {
    let c = 0;
    for (const cell of row) {
      while (c < g.cols && taken[ri][c]) c++;
      const rs = cell.rowspan ?? 1;
      const cs = cell.colspan ?? 1;
      for (let k = 0; k < rs && ri + k < g.rows.length; k++) {
        for (let j = 0; j < cs; j++) taken[ri + k][c + j] = cell;
        out[ri + k].push({ cell, col: c, start: k === 0 });
      }
      c += cs;
    }
  });
  for (const row of out) row.sort((a, b) => a.col - b.col);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Text layouts
// ---------------------------------------------------------------------------------------------

/**
 * A table copied from Chrome: one line per row, cells separated by tabs, a rowspan cell only in its
 * first row, a cell's paragraphs breaking the line; an empty spacer row is a line holding one tab.
 */
function chromeRows(g: Grid, spacerAfterRow = -1): string[] {
  const lines: string[] = [];
  g.rows.forEach((row, i) => {
    lines.push(...row.map((c) => c.text).join('\t').split('\n'));
    if (i === spacerAfterRow) lines.push('\t');
  });
  return lines;
}

export function browserCopyText(r: Report, opts: LayoutOptions = {}): string {
  const out: string[] = [...(opts.before ?? []), title(r), ...(opts.preamble ?? [])];
  for (let o = 1; o <= 6; o++) {
    out.push(headingOf(r, o, opts), ...paragraphsOf(r, o));
    if (o === 2 && r.table2) out.push(...chromeRows(grid2(r, opts)), '');
    if (o === 3 && r.table3) {
      // An empty spacer row under the header (Word-made pages have one) copies as a line of one tab.
      out.push(...chromeRows(grid3(r, opts, { brokenHeads: true }), 2), '');
    }
    if (o === 4 && r.table4) out.push(...chromeRows(grid4(r)), '');
  }
  return `${out.join('\n')}\n`;
}

/**
 * One cell per line, as the seed (jincheng-2020.txt): each cell a line starting with a tab and
 * full-width spaces, an empty line between rows, a line holding only a tab where a merged cell was;
 * CRLF line ends (Windows Notepad).
 */
export function cellPerLineText(r: Report, opts: LayoutOptions = {}): string {
  const out: string[] = [...(opts.before ?? []), title(r), '', ...(opts.preamble ?? [])];
  const cellLines = (g: Grid) => {
    const lines: string[] = [];
    for (const row of slots(g)) {
      for (const s of row) {
        if (!s.start) {
          // A merged cell's continuation copies as a line holding only a tab.
          lines.push('\t');
          continue;
        }
        const text = s.cell.text.replace(/\n/g, '');
        lines.push(s.cell.head ? `\t\u3000\u3000${text}` : `\t\u3000${text}`);
      }
      lines.push('');
    }
    return lines;
  };
  for (let o = 1; o <= 6; o++) {
    out.push(headingOf(r, o, opts), ...paragraphsOf(r, o).map((p) => `\u3000\u3000${p}`));
    if (o === 2 && r.table2) out.push('', ...cellLines(grid2(r, opts)));
    if (o === 3 && r.table3) out.push('', ...cellLines(grid3(r, opts)));
    if (o === 4 && r.table4) out.push('', ...cellLines(grid4(r)));
  }
  return `${out.join('\r\n')}\r\n`;
}

// ---- text extracted from a PDF (pdftotext, or a copy from a PDF viewer) ----

export interface PdfTextOptions extends LayoutOptions {
  /** How the vertical 三、本年度办理结果 comes out: one character per line, or spaced fragments. */
  vertical?: 'chars' | 'fragments';
  /** Break the page inside （四）无法提供's label, with the page footer (-2-) between the halves. */
  pageBreak?: boolean;
  /** At that page break, table 三's header printed again (Word's 重复标题行) before the rest of the label. */
  repeatHeader?: boolean;
  /** Write 总体情况, table 三's 一/二/四 rows and section 四 with Kangxi radical code points (⾏ ⼀ ⼈ ⺠), as a WPS font subset does. */
  kangxi?: boolean;
  /** Stop after this table 三 row (a page missing): no more rows, no table 四, no sections 四–六. */
  cutAfterRow?: string;
  /**
   * Laid out in columns, as `pdftotext -layout` or a PDF viewer's copy gives it: cells set apart by runs
   * of spaces, the vertical label's pieces at the start of the row lines beside them.
   */
  columns?: boolean;
}

const KANGXI: Record<string, string> = { 行: '\u2F8F', 一: '\u2F00', 人: '\u2F08', 民: '\u2EA0' };
export const kangxi = (s: string) => s.replace(/[行一人民]/g, (c) => KANGXI[c]);

/** Wrap a paragraph the way a PDF line is ~30 characters wide. */
function wrap(p: string, width = 30): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < p.length) {
    let end = Math.min(p.length, i + width);
    // A line never ends inside a number or a Latin word.
    while (end < p.length && end > i + 1 && /[0-9A-Za-z.]/.test(p[end - 1]) && /[0-9A-Za-z.]/.test(p[end])) end--;
    out.push(p.slice(i, end));
    i = end;
  }
  return out;
}

export function pdfText(r: Report, opts: PdfTextOptions = {}): string {
  const out: string[] = [];
  let page = 1;
  const footer = () => out.push('', `-${page++}-`, '');
  const k = (s: string) => (opts.kangxi ? kangxi(s) : s);
  const gap = opts.columns ? '        ' : ' ';
  out.push(...(opts.before ?? []), title(r), '', ...(opts.preamble ?? []).flatMap((p) => wrap(p)));
  const vertical = '三、本年度办理结果';
  const verticalPieces =
    opts.vertical === 'fragments' ? ['三 、本 年 度办', '理 结', '果'] : opts.vertical === 'chars' ? ['三、', ...vertical.slice(2)] : [vertical];
  for (let o = 1; o <= 6; o++) {
    const head = headingOf(r, o, opts);
    const paras = paragraphsOf(r, o);
    // Kangxi code points come out of the first section and of table 四's part of the page (a WPS font subset).
    const kk = o === 1 || o === 4 ? k : (s: string) => s;
    out.push(kk(head), ...paras.flatMap((p) => wrap(kk(p))));
    if (o === 1) footer();
    if (o === 2 && r.table2) {
      for (const b of t2Blocks(r, opts)) {
        out.push(b.block.replace('第二十条第', '第二十条 第'), `信息内容 ${b.columns.join(' ')}`);
        for (const row of b.rows) out.push(`${row.text}${gap}${row.values.join(gap)}`.trim());
      }
    }
    if (o === 3 && r.table3) {
      out.push(
        '（本列数据的勾稽关系为：第一项加第二项之和，',
        '等于第三项加第四项之和）',
        '申请人情况',
        '自然人',
        '法人或其他组织',
        '总计',
        '商业企',
        '业',
        '科研机',
        '构',
        '社会',
        '公益',
        '组织',
        '法律服',
        '务机构',
        '其他',
      );
      const lines = t3Lines(r, opts);
      const results = lines.filter((l) => l.result);
      // In columns, a vertical piece starts the row line it stands beside.
      let beside = '';
      const push = (...texts: string[]) => {
        out.push(...texts.map((t, i) => (i === 0 && beside ? `${beside}${gap}${t}` : t)));
        beside = '';
      };
      // Spread the vertical label's pieces between the result rows, as the PDF's text order has them.
      const every = Math.max(1, Math.floor(results.length / verticalPieces.length));
      let vi = 0;
      let ri = 0;
      for (const l of lines) {
        const vals = l.values.join(opts.columns ? '     ' : ' ');
        if (l.result && ri % every === 0 && vi < verticalPieces.length) {
          if (opts.columns) beside = verticalPieces[vi++];
          else out.push(verticalPieces[vi++]);
        }
        if (l.result) ri++;
        if (l.first && l.parent === '（四）无法提供' && opts.pageBreak) {
          // The parent label is split by the page break: "（四）无" | footer | "法提供".
          push(`${l.text}${gap}${vals}`, '（四）无');
          footer();
          if (opts.repeatHeader) out.push('（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）', '申请人情况', '自然人 法人或其他组织 总计', '商业企业 科研机构 社会公益组织 法律服务机构 其他');
          out.push('法提供');
        } else if (l.first && l.parent) {
          push(l.parent, `${l.text}${gap}${vals}`);
        } else if (l.label.startsWith('（二）部分公开')) {
          push('（二）部分公开（区分处理的，', '只计这一情形，不计其他情形）', vals);
        } else if (l.text.length > 22) {
          push(l.text.slice(0, 14), l.text.slice(14), vals);
        } else push(`${l.result ? l.text : k(l.text)}${gap}${vals}`);
        if (opts.cutAfterRow && l.label === opts.cutAfterRow) {
          footer();
          return `${out.join('\n')}\n`;
        }
      }
      while (vi < verticalPieces.length) out.push(verticalPieces[vi++]);
    }
    if (o === 4 && r.table4) {
      out.push(
        k('行政复议 行政诉讼'),
        '未经复议直接起诉 复议后起诉',
        '结果 结果 其他结 尚未',
        '总计 结 果 结果 其他 尚未 总计 结果 结果 其他 尚未审',
        '维持 纠正 果 审结 维持 纠正 结果 审结 维持 纠正 结果 结 总计',
        t4Values(r).join(opts.columns ? '    ' : ' '),
      );
    }
    if (o === 4) footer();
  }
  footer();
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// HTML: a government site's article page
// ---------------------------------------------------------------------------------------------

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export interface HtmlOptions extends LayoutOptions {
  charset?: 'utf-8' | 'gbk';
  /** Site name in the chrome. */
  site?: string;
  /** Vertical table 四 header 行<br>政<br>复<br>议 and vertical 三、本年度办理结果. */
  verticalHeads?: boolean;
}

function htmlTable(g: Grid, verticalBr = false): string {
  const rows = g.rows.map((row, ri) => {
    const cells = row.map((c) => {
      const attrs = `${c.rowspan ? ` rowspan="${c.rowspan}"` : ''}${c.colspan ? ` colspan="${c.colspan}"` : ''}`;
      let inner: string;
      if (c.text === '') inner = '<p style="text-align:center">&nbsp;</p>';
      else if (verticalBr && c.text.includes('\n') && [...c.text.replace(/\n/g, '')].length === c.text.split('\n').length) inner = c.text.split('\n').map(esc).join('<br>');
      else inner = c.text.split('\n').map((p) => `<p style="text-align:center">${c.head ? esc(p) : `&nbsp;${esc(p)}`}</p>`).join('');
      return `<td${attrs} valign="center" style="border:1px solid windowtext;padding:0 4px">${inner}</td>`;
    });
    return `<tr${ri === 0 ? ' class="firstRow"' : ''}>${cells.join('')}</tr>`;
  });
  return `<table border="1" cellspacing="0" align="center" style="border-collapse:collapse"><tbody>${rows.join('\n')}</tbody></table>`;
}

export function govHtml(r: Report, opts: HtmlOptions = {}): string {
  const site = opts.site ?? '青峰区人民政府';
  const t = title(r);
  const charset = opts.charset ?? 'utf-8';
  const meta = charset === 'gbk' ? '<meta http-equiv="Content-Type" content="text/html; charset=gbk">' : '<meta charset="utf-8">';
  const body: string[] = [];
  for (const p of opts.preamble ?? []) body.push(`<p style="text-indent:2em">${esc(p)}</p>`);
  for (let o = 1; o <= 6; o++) {
    body.push(`<p style="text-indent:2em"><strong>&nbsp;${esc(headingOf(r, o, opts))}</strong>&nbsp;</p>`);
    for (const p of paragraphsOf(r, o)) body.push(`<p style="text-indent:2em">${esc(p)}</p>`);
    if (o === 2 && r.table2) body.push(htmlTable(grid2(r, opts)));
    if (o === 3 && r.table3) body.push(htmlTable(grid3(r, opts, { brokenHeads: true, verticalResults: opts.verticalHeads }), opts.verticalHeads));
    if (o === 4 && r.table4) body.push(htmlTable(grid4(r, opts.verticalHeads), opts.verticalHeads));
  }
  body.push('<p>&nbsp;</p>');
  const date = `${(r.year ?? 2021) + 1}-01-2${(r.year ?? 0) % 8}`;
  return `<!DOCTYPE html>
<html>
<head>
${meta}
<title>${esc(t)}_政府信息公开年报_${esc(site)}</title>
<meta name="ArticleTitle" content="${esc(t)}">
<meta name="ColumnName" content="政府信息公开年报">
<link rel="stylesheet" href="/images/xxgk_style.css">
</head>
<body>
<div class="top-bar"><div class="w1200"><span class="welcome">欢迎访问${esc(site)}门户网站</span>
<ul class="top-links"><li><a href="/login">登录</a></li><li><a href="/register">注册</a></li><li><a href="javascript:;" id="wza">无障碍</a></li><li><a href="javascript:;">长者模式</a></li><li><a href="/m/">移动版</a></li></ul></div></div>
<div class="header"><div class="logo"><img src="/images/logo.png" alt="${esc(site)}"></div>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/zwfw/">政务服务</a></li><li><a href="/hdjl/">互动交流</a></li><li><a href="/zjqf/">走进青峰</a></li></ul></div>
<form class="search" action="/search"><input type="text" name="q" placeholder="请输入关键词"><button type="submit">搜索</button></form></div>
<div class="main w1200">
<div class="position">当前位置：<a href="/">首页</a>&gt;<a href="/zwgk/">政务公开</a>&gt;<a href="/zwgk/xxgk/">政府信息公开</a>&gt;<a href="/zwgk/xxgk/nb/">政府信息公开年报</a></div>
<table class="xxgk-info"><tr><td><b>索引号:</b></td><td>11370000MB28${(r.year ?? 0) % 100}0001/${r.year}-000${(r.year ?? 0) % 9}</td><td><b>发布机构:</b></td><td>${esc(r.office ?? '')}</td></tr>
<tr><td><b>名称:</b></td><td colspan="3">${esc(t)}</td></tr>
<tr><td><b>生成日期:</b></td><td>${date}</td><td><b>主题分类:</b></td><td>政府信息公开年报</td></tr></table>
<div class="article">
<h1 class="article-title">${esc(t)}</h1>
<div class="article-meta">发布时间：${date} 来源：${esc(r.office ?? '')} 浏览次数：<span id="views">0</span> 【字体：<a href="javascript:;">大</a> <a href="javascript:;">中</a> <a href="javascript:;">小</a>】</div>
<div class="TRS_Editor">
${body.join('\n')}
</div>
<div class="article-tools"><a href="javascript:window.print()">打印本页</a> <a href="javascript:window.close()">关闭窗口</a></div>
</div>
</div>
<div class="footer"><p>主办单位：${esc(site)}办公室 网站标识码：3700000099 <a href="https://beian.miit.gov.cn">鲁ICP备05000000号</a></p><p>版权所有：${esc(site)}</p></div>
</body>
</html>
`;
}

// ---------------------------------------------------------------------------------------------
// HTML: Word or WPS "save as web page" (MsoNormal), as many sites publish their reports
// ---------------------------------------------------------------------------------------------

const MSO_CELL = "border:solid windowtext 1.0pt;mso-border-alt:solid windowtext .5pt;padding:0cm 5.4pt 0cm 5.4pt";
const MSO_RUN = "font-size:12.0pt;font-family:仿宋_GB2312;mso-bidi-font-family:\"Times New Roman\";mso-font-kerning:1.0pt";

/** One paragraph as Word writes it: the text in runs (a number may be cut into two runs), an empty <o:p>. */
function msoParagraph(text: string, seed: number, opts: { center?: boolean; bold?: boolean; indent?: boolean } = {}): string {
  const style = [opts.center ? 'text-align:center' : '', opts.indent ? 'text-indent:32.0pt' : '', 'line-height:15.0pt;mso-line-height-rule:exactly'].filter(Boolean).join(';');
  const runs: string[] = [];
  if (text === '') runs.push(`<span lang=EN-US style='${MSO_RUN}'><o:p>&nbsp;</o:p></span>`);
  else if (/^\d{2,}$/.test(text) && seed % 3 === 0) {
    // Word splits runs where an edit happened: 12 as <span>1</span><span>2</span>.
    const cut = 1 + (seed % (text.length - 1));
    runs.push(`<span lang=EN-US style='${MSO_RUN}'>${text.slice(0, cut)}</span><span lang=EN-US style='${MSO_RUN}'>${text.slice(cut)}</span>`);
  } else {
    const lead = seed % 4 === 1 && !/^\d/.test(text) ? `<span style='mso-spacerun:yes'>&nbsp;</span>` : '';
    runs.push(`${lead}<span style='${MSO_RUN}'>${esc(text)}</span>`);
  }
  const inner = runs.join('') + (text === '' ? '' : `<span lang=EN-US style='${MSO_RUN}'><o:p></o:p></span>`);
  return `<p class=MsoNormal${opts.center ? ' align=center' : ''} style='${style}'>${opts.bold ? `<b>${inner}</b>` : inner}</p>`;
}

function msoTable(g: Grid): string {
  const widths = Array.from({ length: g.cols }, (_, i) => (i === 0 ? 77 : 52));
  let n = 0;
  const rows = g.rows.map((row, ri) => {
    const cells = row.map((c) => {
      const attrs = `${c.rowspan ? ` rowspan=${c.rowspan}` : ''}${c.colspan ? ` colspan=${c.colspan}` : ''}`;
      const vertical = c.head && (c.rowspan ?? 1) > 3 ? ';layout-flow:vertical-ideographic' : '';
      // A vertical label is one paragraph set vertically; other cells keep their paragraphs.
      const paras = vertical ? [c.text.replace(/\n/g, '')] : c.text.split('\n');
      const inner = paras.map((t) => msoParagraph(t, n++, { center: !c.head || ri < 2, bold: c.head && ri === 0 })).join('\n');
      return `<td width=52 valign=center${attrs} style='${MSO_CELL}${vertical}'>\n${inner}\n</td>`;
    });
    return ` <tr style='mso-yfti-irow:${ri};height:24.5pt'>\n${cells.join('\n')}\n </tr>`;
  });
  // Word's last row for browsers that cannot size merged columns: empty cells, height 0.
  const sizing = `<![if !supportMisc]>\n <tr height=0>\n${widths.map((w) => `  <td width=${w} style='border:none'></td>`).join('\n')}\n </tr>\n<![endif]>`;
  return `<div align=center>\n<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 style='border-collapse:collapse;border:none;mso-border-alt:solid windowtext .5pt;mso-yfti-tbllook:1184'>\n${rows.join('\n')}\n${sizing}\n</table>\n</div>\n<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>`;
}

/** The report as Word (or WPS) saves it "as a web page": what many sites paste into their article pages. */
export function wordHtml(r: Report, opts: LayoutOptions = {}): string {
  const body: string[] = [msoParagraph(title(r), 1, { center: true, bold: true })];
  for (const p of opts.preamble ?? []) body.push(msoParagraph(p, 2, { indent: true }));
  for (let o = 1; o <= 6; o++) {
    body.push(msoParagraph(headingOf(r, o, opts), 5, { indent: true, bold: true }));
    for (const p of paragraphsOf(r, o)) body.push(msoParagraph(p, 4, { indent: true }));
    if (o === 2 && r.table2) body.push(msoTable(grid2(r, opts)));
    if (o === 3 && r.table3) body.push(msoTable(grid3(r, opts, { brokenHeads: true, verticalResults: true })));
    if (o === 4 && r.table4) body.push(msoTable(grid4(r, true)));
  }
  return `<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word" xmlns="http://www.w3.org/TR/REC-html40">
<head>
<meta http-equiv=Content-Type content="text/html; charset=utf-8">
<meta name=ProgId content=Word.Document>
<meta name=Generator content="Microsoft Word 15">
<title>${esc(title(r))}</title>
<!--[if gte mso 9]><xml>
 <o:DocumentProperties><o:Author>Administrator</o:Author><o:Pages>6</o:Pages><o:Words>1</o:Words></o:DocumentProperties>
</xml><![endif]-->
<!--[if gte mso 9]><xml>
 <w:WordDocument><w:View>Print</w:View><w:Zoom>100</w:Zoom><w:DrawingGridVerticalSpacing>7.8 磅</w:DrawingGridVerticalSpacing></w:WordDocument>
</xml><![endif]-->
<style>
<!--
 p.MsoNormal, li.MsoNormal, div.MsoNormal {margin:0cm;text-align:justify;text-justify:inter-ideograph;font-size:10.5pt;font-family:等线;}
@page WordSection1 {size:595.3pt 841.9pt;margin:72.0pt 90.0pt 72.0pt 90.0pt;}
div.WordSection1 {page:WordSection1;}
-->
</style>
</head>
<body lang=ZH-CN style='tab-interval:21.0pt;text-justify-trim:punctuation'>
<div class=WordSection1 style='layout-grid:15.6pt'>
${body.join('\n')}
</div>
</body>
</html>
`;
}

// ---------------------------------------------------------------------------------------------
// Word (.docx)
// ---------------------------------------------------------------------------------------------

const TWIP_WIDTHS: Record<number, number[]> = {
  10: [620, 760, 2100, 700, 620, 620, 700, 700, 560, 620],
  15: Array(15).fill(600),
};

function docxTable(g: Grid): DocxTable {
  const widths = TWIP_WIDTHS[g.cols] ?? Array(g.cols).fill(Math.floor(9000 / g.cols));
  const rows = slots(g).map(
    (row) =>
      new TableRow({
        children: row.map((s) => {
          const paras = (s.start ? s.cell.text : '').split('\n').map((t) => new Paragraph({ alignment: AlignmentType.CENTER, children: t ? [new TextRun({ text: t, size: 21 })] : [] }));
          const span = s.cell.colspan ?? 1;
          const width = widths.slice(s.col, s.col + span).reduce((a, b) => a + b, 0);
          return new TableCell({
            children: paras,
            columnSpan: span > 1 ? span : undefined,
            verticalMerge: (s.cell.rowspan ?? 1) > 1 ? (s.start ? VerticalMergeType.RESTART : VerticalMergeType.CONTINUE) : undefined,
            width: { size: width, type: WidthType.DXA },
          });
        }),
      }),
  );
  return new DocxTable({ rows, columnWidths: widths, width: { size: widths.reduce((a, b) => a + b, 0), type: WidthType.DXA } });
}

/** A Word file built with the `docx` package: real gridSpan and vMerge cells, like the national template. */
export async function docxReport(r: Report, opts: LayoutOptions = {}): Promise<Uint8Array> {
  const p = (text: string, bold = false, center = false) =>
    new Paragraph({ alignment: center ? AlignmentType.CENTER : undefined, indent: center ? undefined : { firstLine: 640 }, children: [new TextRun({ text, bold, size: 32, font: '仿宋_GB2312' })] });
  const children: (Paragraph | DocxTable)[] = [...(opts.before ?? []).map((t) => p(t)), p(title(r), true, true), ...(opts.preamble ?? []).map((t) => p(t))];
  for (let o = 1; o <= 6; o++) {
    children.push(p(headingOf(r, o, opts), true));
    for (const t of paragraphsOf(r, o)) children.push(p(t));
    if (o === 2 && r.table2) children.push(docxTable(grid2(r, opts)));
    if (o === 3 && r.table3) children.push(docxTable(grid3(r, opts)));
    if (o === 4 && r.table4) children.push(docxTable(grid4(r)));
  }
  const doc = new Document({ creator: r.office ?? '', title: title(r), sections: [{ children }] });
  return new Uint8Array(await Packer.toBuffer(doc));
}

/**
 * A Word file laid out so that its tables break across pages, as long real tables do: every row at least
 * `rowHeightTwips` high and, with `repeatHeader`, the first two rows of each table marked 重复标题行
 * (w:tblHeader), which Word and LibreOffice print again at the top of each page.
 */
export function pagedDocx(docx: Uint8Array, opts: { repeatHeader: boolean; rowHeightTwips: number }): Uint8Array {
  const files = unzipSync(docx);
  const xml = strFromU8(files['word/document.xml']).replace(/<w:tbl>[\s\S]*?<\/w:tbl>/g, (tbl) => {
    let row = 0;
    return tbl
      .replace(/<w:trPr>[\s\S]*?<\/w:trPr>|<w:trPr\/>/g, '')
      .replace(/<w:tr(?: [^>]*)?>/g, (tr) => `${tr}<w:trPr>${opts.repeatHeader && ++row <= 2 ? '<w:tblHeader/>' : ''}<w:trHeight w:val="${opts.rowHeightTwips}"/></w:trPr>`);
  });
  return zipSync({ ...files, 'word/document.xml': strToU8(xml) });
}

const xmlEsc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The real 2021 template (fixtures/real/template-2021-blank.docx) filled in the way an office types
 * into it: its empty cells that are not vertical-merge continuations, in document order (10 in 表二,
 * 175 in 表三, 15 in 表四), get the values; the 「（文字描述）」 placeholders get the narrative.
 */
export function fillTemplateDocx(template: Uint8Array, r: Report, opts: LayoutOptions = {}): Uint8Array {
  const files = unzipSync(template);
  let xml = strFromU8(files['word/document.xml']);
  const values: string[][] = [
    t2Blocks(r, opts).flatMap((b) => b.rows.flatMap((row) => row.values)),
    t3Lines(r, opts).flatMap((l) => l.values),
    t4Values(r),
  ];
  let ti = 0;
  xml = xml.replace(/<w:tbl>[\s\S]*?<\/w:tbl>/g, (tbl) => {
    const vals = values[ti++] ?? [];
    let vi = 0;
    const filled = tbl.replace(/<w:tc>[\s\S]*?<\/w:tc>/g, (tc) => {
      const text = [...tc.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
      const cont = /<w:vMerge\/>|<w:vMerge w:val="continue"\/>/.test(tc);
      if (text.replace(/[\s\u3000]/g, '') !== '' || cont) return tc;
      const v = vals[vi++] ?? '';
      const noRuns = tc.replace(/<w:r>[\s\S]*?<\/w:r>|<w:r [\s\S]*?<\/w:r>/g, '');
      return noRuns.replace(/<\/w:p>/, `<w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t>${xmlEsc(v)}</w:t></w:r></w:p>`);
    });
    if (vi !== vals.length) throw new Error(`template table ${ti}: ${vi} empty cells for ${vals.length} values`);
    return filled;
  });
  // Narrative: the title and the 「（文字描述）」 placeholders, one paragraph each.
  const para = (p: string, text: string) => p.replace(/(<w:t(?: [^>]*)?>)[^<]*(<\/w:t>)/, `$1${xmlEsc(text)}$2`).replace(/(<\/w:t><\/w:r>)[\s\S]*?(?=<\/w:p>)/, '$1');
  const placeholder = /<w:p [^>]*>(?:(?!<w:p[ >])[\s\S])*?（文字描述[\s\S]*?<\/w:p>/g;
  // The preamble is typed as body text (the placeholder paragraph's style), under the title.
  const body = xml.match(placeholder)?.[0] ?? '';
  xml = xml.replace(/<w:p [^>]*>(?:(?!<w:p[ >])[\s\S])*?政府信息公开工作年度报告格式模板[\s\S]*?<\/w:p>/, (p) =>
    [...(opts.before ?? []).map((b) => para(body, b)), para(p, title(r)), ...(opts.preamble ?? []).map((b) => para(body, b))].join(''),
  );
  const placeholderSection = [1, 5, 6];
  let pi = 0;
  xml = xml.replace(placeholder, (p) => {
    const o = placeholderSection[pi++];
    const paras = paragraphsOf(r, o);
    return (paras.length ? paras : ['无。']).map((t) => para(p, t)).join('');
  });
  for (let o = 1; o <= 6; o++) {
    const h = opts.headings?.[o];
    if (h) xml = xml.replace(`${'一二三四五六'[o - 1]}、${SPECS['2021'].sections[o - 1].title}`, xmlEsc(h));
  }
  files['word/document.xml'] = strToU8(xml);
  return zipSync(files);
}
