/**
 * The public archive pages, as strings: a top index of years, an index per year (every office with its
 * status), a page per office and year (tables in the national layout, narrative, version history).
 * Everything from a report, an office or an upload is untrusted and goes through escapeHtml; links are
 * relative, so the pages work from any base URL. No scripts: the CSP forbids them.
 */
import type { Report } from '../report/model';
import { TABLE_KEYS } from '../report/model';
import { CHINESE_ORDINALS } from '../report/spec';
import { STATUS_LABELS, type OfficeStatus } from '../common/status';
import { describeChange, diffReports } from './diff';
import { escapeHtml, formatDate, formatDateTime, paragraphs, reportTitle } from './format';
import { formatOf, tableGrid, type GridCell, type TableGrid } from './layout';
import { sitePaths } from '../common/site';
import { link, page, type PageOptions } from './public-shell';
import { yearTotalsHtml, trendHtml, type YearTotals } from './public-record';

export type { PageOptions } from './public-shell';

export interface PublicVersion {
  /** 1, 2, … in order of publication. */
  version: number;
  report: Report;
  submissionId: string;
  sha256: string;
  receivedAt: string;
  acceptedAt?: string | null;
  publishedAt?: string | null;
  /** The original file name as uploaded: shown (escaped), never used in a path. */
  fileName?: string | null;
  /** Why this version replaced the previous one. */
  note?: string | null;
  /** Site-root-relative file locations overriding sitePaths; null hides the link. */
  files?: { pdf?: string | null; json?: string | null; original?: string | null };
}

export interface PublicOffice {
  officeId: string;
  name: string;
  /** null hides the status (a standalone page rendered outside a cycle). */
  status: OfficeStatus | null;
  /** Public versions, oldest first; empty when the office has nothing public yet. */
  versions: PublicVersion[];
  /** Set when the office's public report was withdrawn (撤回) and nothing is public since: the page keeps this notice. */
  withdrawal?: { at: string; reason: string; version: number | null } | null;
}

export interface YearSummary {
  year: number;
  offices: number;
  published: number;
}

export interface OfficePageOptions extends PageOptions {
  /** Where the page lives, site-root-relative (default sitePaths.officePage); links are computed from it. */
  pagePath?: string;
  /** Hide the breadcrumb links to the indexes (a standalone page, e.g. from the CLI). */
  standalone?: boolean;
}

const statusLabel = (s: OfficeStatus | null) => (s ? (STATUS_LABELS[s] ?? s) : '');

// ---- top index ----

export interface TopIndexOptions extends PageOptions {
  /** Each year's totals (the trend chart); absent or empty: no chart. */
  totals?: YearTotals[];
  /** Absolute URL of the search page (web/static/search), when the site has one. */
  searchUrl?: string | null;
}

/** Links every year page shares: the directory, the search page, the spreadsheet of every year. */
function recordLinks(here: string, searchUrl?: string | null): string {
  return `<p class="record-links">${link(here, sitePaths.directory(), '单位目录（按名称）')}${searchUrl ? ` · <a href="${escapeHtml(searchUrl)}">检索单位和年度</a>` : ''} · 历年数据（每个单位每年一行）：${link(here, sitePaths.wideXlsx(), 'Excel')} · ${link(here, sitePaths.wideCsv(), 'CSV')} · ${link(here, sitePaths.dictionaryCsv(), '数据字典')}</p>`;
}

export function renderTopIndex(years: YearSummary[], options: TopIndexOptions = {}): string {
  const here = sitePaths.topIndex();
  const items = [...years]
    .sort((a, b) => b.year - a.year)
    .map(
      (y) =>
        `<li>${link(here, sitePaths.yearIndex(y.year), `${y.year}年度`)}　<span class="muted">共 ${y.offices} 个单位，已公开 ${y.published} 个</span></li>`,
    )
    .join('\n');
  const body = `<h1>政府信息公开工作年度报告</h1>
<p>按年度查看各单位已公开的政府信息公开工作年度报告和开放数据。</p>
${years.length ? `<ul class="years">\n${items}\n</ul>` : '<p class="muted">暂无年度。</p>'}
${recordLinks(here, options.searchUrl)}
${trendHtml(options.totals ?? [])}`;
  return page('政府信息公开工作年度报告', '', body, options);
}

// ---- year index ----

function files(year: number, office: PublicOffice, v: PublicVersion) {
  return {
    pdf: v.files?.pdf === undefined ? sitePaths.pdf(year, office.officeId, v.version) : v.files.pdf,
    json: v.files?.json === undefined ? sitePaths.json(year, office.officeId, v.version) : v.files.json,
    original: v.files?.original === undefined ? sitePaths.original(year, office.officeId, v.version, v.fileName) : v.files.original,
  };
}

/** A version's files as links: PDF · original · JSON (those it has). */
function fileLinks(year: number, office: PublicOffice, v: PublicVersion, here: string, labels: { pdf: string; json: string }): string {
  const f = files(year, office, v);
  return [
    f.pdf ? link(here, f.pdf, labels.pdf) : '',
    f.original ? link(here, f.original, `原始文件${v.fileName ? `（${v.fileName}）` : ''}`) : '',
    f.json ? link(here, f.json, labels.json) : '',
  ]
    .filter(Boolean)
    .join(' · ');
}

const latest = (o: PublicOffice): PublicVersion | undefined => o.versions[o.versions.length - 1];
const correctedAt = (v: PublicVersion) => v.publishedAt ?? v.acceptedAt ?? v.receivedAt;

/** The latest published version of the 本级 report of a year, as the year index links it. */
export interface PublishedAggregate {
  version: number;
  /** Site-root-relative files (sitePaths.aggregate). */
  files: { pdf: string; docx: string; json: string };
}

export interface YearIndexOptions extends PageOptions {
  aggregate?: PublishedAggregate | null;
  /**
   * Names of the offices that have published nothing yet, listed (names only) when the coordinator turned
   * that on for the cycle; absent or null: not shown at all.
   */
  unpublished?: string[] | null;
  /** The year's totals and last year's (the 全年数字 section with its charts); absent: no such section. */
  totals?: { current: YearTotals; previous: YearTotals | null } | null;
  searchUrl?: string | null;
}

/**
 * The year's public record: only offices with a published version, each shown by its latest published
 * version. Nothing about work that is not published (an accepted report waiting, a rejected amendment of a
 * published report) appears here; the workflow status is the dashboard's business.
 */
export function renderYearIndex(year: number, allOffices: PublicOffice[], options: YearIndexOptions = {}): string {
  const here = sitePaths.yearIndex(year);
  const offices = allOffices.filter((o) => o.versions.length > 0);
  const rows = offices
    .map((o) => {
      const v = latest(o);
      const first = o.versions[0];
      const f = v ? files(year, o, v) : null;
      const links = v
        ? [
            link(here, sitePaths.officePage(year, o.officeId), '查看'),
            f?.pdf ? link(here, f.pdf, 'PDF') : '',
            f?.json ? link(here, f.json, 'JSON') : '',
          ]
            .filter(Boolean)
            .join(' · ')
        : '<span class="muted">—</span>';
      const name = v ? link(here, sitePaths.officePage(year, o.officeId), o.name) : escapeHtml(o.name);
      const corrected = o.versions.length > 1 && v ? `<br><span class="muted">更正于${escapeHtml(formatDate(correctedAt(v)))}</span>` : '';
      return `<tr>
<th scope="row">${name}</th>
<td class="status-PUBLISHED" data-label="状态">${escapeHtml(statusLabel('PUBLISHED'))}</td>
<td data-label="通过日期">${escapeHtml(formatDate(v?.acceptedAt ?? first?.acceptedAt))}</td>
<td data-label="公开日期">${escapeHtml(formatDate(first?.publishedAt))}${corrected}</td>
<td data-label="报告">${links}</td>
</tr>`;
    })
    .join('\n');
  const unpublished = options.unpublished
    ? `<h2>尚未公开报告的单位（${options.unpublished.length} 个）</h2>
${options.unpublished.length ? `<ul class="unpublished">\n${options.unpublished.map((n) => `<li>${escapeHtml(n)}</li>`).join('\n')}\n</ul>` : '<p class="muted">无。</p>'}`
    : '';
  const body = `<h1>${year}年度政府信息公开工作年度报告</h1>
<p>已公开 ${offices.length} 个单位的年度报告。</p>
${
    options.aggregate
      ? `<p>本级汇总报告（第${options.aggregate.version}版）：${link(here, options.aggregate.files.pdf, 'PDF')} · ${link(here, options.aggregate.files.docx, 'Word')} · ${link(here, options.aggregate.files.json, 'JSON')}</p>\n`
      : ''
  }<p>开放数据（全部单位的表格数字）：${link(here, sitePaths.openDataCsv(year), `${year}.csv`)}（Excel 可直接打开）· ${link(here, sitePaths.openDataJson(year), `${year}.json`)}</p>
${recordLinks(here, options.searchUrl)}
${options.totals ? yearTotalsHtml(options.totals.current, options.totals.previous) : ''}
<h2 id="offices">各单位年度报告</h2>
<div class="wrap"><table class="list reflow offices">
<thead><tr><th scope="col">单位</th><th scope="col">状态</th><th scope="col">通过日期</th><th scope="col">公开日期</th><th scope="col">报告</th></tr></thead>
<tbody>
${rows}
</tbody>
</table></div>
${unpublished}`;
  const nav = `<nav>${link(here, sitePaths.topIndex(), '全部年度')}</nav>`;
  return page(`${year}年度政府信息公开工作年度报告`, nav, body, options);
}

// ---- office page ----

export function renderOfficePage(year: number, office: PublicOffice, options: OfficePageOptions = {}): string {
  const here = options.pagePath ?? sitePaths.officePage(year, office.officeId);
  const nav = options.standalone
    ? ''
    : `<nav>${link(here, sitePaths.topIndex(), '全部年度')}${link(here, sitePaths.yearIndex(year), `${year}年度目录`)}${link(here, sitePaths.officeHistory(office.officeId), '本单位历年报告')}</nav>`;
  const v = latest(office);
  if (!v) {
    const title = reportTitle(office.name, year);
    const w = office.withdrawal;
    const body = `<h1>${escapeHtml(title)}</h1>
${office.status ? `<p>状态：<span class="status-${escapeHtml(office.status)}">${escapeHtml(statusLabel(office.status))}</span></p>` : ''}
${w ? `<p class="notice withdrawn">该报告${w.version ? `（第 ${w.version} 版）` : ''}已于${escapeHtml(formatDate(w.at))}撤回，理由：${escapeHtml(w.reason)}</p>` : `<p class="muted">本单位${year}年度报告尚未公开。</p>`}`;
    return page(title, nav, body, options);
  }
  const report = v.report;
  const title = reportTitle(report.office ?? office.name, report.year ?? year);
  const spec = formatOf(report);
  const corrected =
    office.versions.length > 1
      ? `<p class="notice">本报告已更正：当前为第 ${v.version} 版，更正于${escapeHtml(formatDate(correctedAt(v)))}。更正内容见<a href="#versions">版本记录</a>。</p>`
      : '';
  const downloads = fileLinks(year, office, v, here, { pdf: 'PDF（国家格式版式）', json: 'JSON（结构化数据）' });
  const meta = `<dl class="meta">
<dt>单位</dt><dd>${escapeHtml(office.name)}</dd>
${office.status ? `<dt>状态</dt><dd class="status-${escapeHtml(office.status)}">${escapeHtml(statusLabel(office.status))}</dd>` : ''}
<dt>格式</dt><dd>${escapeHtml(spec.notice)}</dd>
<dt>提交编号</dt><dd><code>${escapeHtml(v.submissionId)}</code></dd>
<dt>SHA-256</dt><dd><code>${escapeHtml(v.sha256)}</code></dd>
<dt>接收时间</dt><dd>${escapeHtml(formatDateTime(v.receivedAt))}</dd>
${v.acceptedAt ? `<dt>通过时间</dt><dd>${escapeHtml(formatDateTime(v.acceptedAt))}</dd>` : ''}
${v.publishedAt ? `<dt>公开时间</dt><dd>${escapeHtml(formatDateTime(v.publishedAt))}</dd>` : ''}
<dt>下载</dt><dd>${downloads || '—'}</dd>
</dl>`;

  const sections = spec.sections
    .map((s) => {
      const found = report.sections.filter((x) => x.ordinal === s.ordinal);
      const paras = found.flatMap((x) => paragraphs(x.text));
      const text = found.length
        ? paras.map((p) => `<p class="para">${escapeHtml(p)}</p>`).join('\n')
        : '<p class="muted">（原报告缺少本节）</p>';
      const table = s.table ? gridHtml(tableGrid(spec, s.table, report[TABLE_KEYS[s.table]])) : '';
      return `<section id="s${s.ordinal}">
<h2>${CHINESE_ORDINALS[s.ordinal - 1]}、${escapeHtml(s.title)}</h2>
${text}
${table}
</section>`;
    })
    .join('\n');

  const body = `<h1>${escapeHtml(title)}</h1>
${corrected}
${meta}
${sections}
${versionsHtml(year, office, here)}`;
  return page(title, nav, body, options);
}

function versionsHtml(year: number, office: PublicOffice, here: string): string {
  const items = office.versions
    .map((v, i) => {
      const prev = i > 0 ? office.versions[i - 1] : null;
      const when = prev
        ? `更正于${escapeHtml(formatDate(correctedAt(v)))}`
        : v.publishedAt
          ? `公开于${escapeHtml(formatDate(v.publishedAt))}`
          : `接收于${escapeHtml(formatDate(v.receivedAt))}`;
      const changes = prev ? diffReports(prev.report, v.report) : [];
      const changeList = prev
        ? changes.length
          ? `<ul>${changes.map((c) => `<li>${escapeHtml(describeChange(c))}</li>`).join('')}</ul>`
          : '<p class="muted">与上一版相比，表格数字和正文没有变化。</p>'
        : '';
      const current = i === office.versions.length - 1 ? '（当前版本）' : '';
      return `<li><strong>第 ${v.version} 版</strong>${current}　${when}　<span class="muted">提交编号 <code>${escapeHtml(v.submissionId)}</code></span>
${v.note ? `<p>更正说明：${escapeHtml(v.note)}</p>` : ''}
${changeList}
<p>${fileLinks(year, office, v, here, { pdf: 'PDF', json: 'JSON' })}</p></li>`;
    })
    .reverse()
    .join('\n');
  return `<section id="versions">
<h2>版本记录</h2>
<ol class="versions" reversed>
${items}
</ol>
</section>`;
}

/** A grid as an HTML table in the national layout (header rows in <thead>, spans kept). */
export function gridHtml(grid: TableGrid): string {
  const total = grid.widths.reduce((a, b) => a + b, 0);
  const cols = grid.widths.map((w) => `<col style="width:${((w / total) * 100).toFixed(2)}%">`).join('');
  const byRow: GridCell[][] = Array.from({ length: grid.rowCount }, () => []);
  for (const c of grid.cells) byRow[c.row].push(c);
  const cell = (c: GridCell) => {
    const span = `${c.rowSpan > 1 ? ` rowspan="${c.rowSpan}"` : ''}${c.colSpan > 1 ? ` colspan="${c.colSpan}"` : ''}`;
    if (c.role === 'value') {
      return `<td${span} data-row="${escapeHtml(c.ref?.row)}" data-col="${escapeHtml(c.ref?.column)}">${escapeHtml(c.text)}</td>`;
    }
    const cls = c.role === 'label' ? (c.rowSpan > 1 ? 'span' : '') : c.role;
    const scope = c.role === 'label' ? ' scope="row"' : c.role === 'head' ? (c.colSpan > 1 ? ' scope="colgroup"' : ' scope="col"') : '';
    return `<th${span}${cls ? ` class="${cls}"` : ''}${scope}>${escapeHtml(c.text)}</th>`;
  };
  const rows = (a: number, b: number) =>
    byRow
      .slice(a, b)
      .map((r) => `<tr>${r.map(cell).join('')}</tr>`)
      .join('\n');
  const head = grid.headerRows ? `<thead>\n${rows(0, grid.headerRows)}\n</thead>\n` : '';
  const absent = grid.absent ? '<p class="muted">（原报告未提供本表，下表按国家格式列出，各栏为空）</p>\n' : '';
  return `${absent}<div class="wrap"><table class="report t${grid.id === '二' ? 2 : grid.id === '三' ? 3 : 4}">
<caption class="muted" style="caption-side:top;text-align:left">表${grid.id}　${escapeHtml(grid.title)}</caption>
<colgroup>${cols}</colgroup>
${head}<tbody>
${rows(grid.headerRows, grid.rowCount)}
</tbody>
</table></div>`;
}
