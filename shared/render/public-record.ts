/**
 * The public record across years: a year's totals (the sum of its published reports) with year-on-year
 * charts, an office's page across years, the directory of every office and year, and the search index the
 * search page (web/src/search.ts) reads. Pure: published reports in, strings out. Only published versions
 * ever reach these functions (shared/publishing/archive.ts), so nothing unpublished can appear.
 */
import { emptyReport, type Report } from '../report/model';
import { looksLikeUmbrella, sumTables } from '../report/aggregate';
import { figureValue, HEADLINE_FIGURES, percent } from '../report/aggregate/figures';
import { versionForYear, type FormatVersion } from '../report/spec';
import { groupedBarsSvg, stackedSharesSvg } from './charts';
import { formatNumber } from '../common/text';
import { escapeHtml, formatDate } from './format';
import { link, page, type PageOptions } from './public-shell';
import { sitePaths } from '../common/site';

// ---- a year's totals ----

export interface YearTotals {
  year: number;
  formatVersion: FormatVersion;
  /** Offices whose published reports are added up. */
  offices: number;
  /** Published reports not added: an umbrella report (…人民政府办公室, it already holds the others' figures) or another format. */
  excluded: string[];
  /** HEADLINE_FIGURES key → sum; null when an office left a cell it needs blank (blank is not 0). */
  figures: Record<string, number | null>;
}

/** The year's totals: the published reports of the year's format summed cell by cell (shared/report/aggregate). */
export function yearTotals(year: number, inputs: Array<{ office: string; report: Report }>): YearTotals {
  const version = versionForYear(year);
  const counted = inputs.filter((i) => !looksLikeUmbrella(i.office) && (i.report.formatVersion ?? version) === version);
  const excluded = inputs.filter((i) => !counted.includes(i)).map((i) => i.office);
  const sum = sumTables(counted, version);
  const report: Report = { ...emptyReport(), year, formatVersion: version, table2: sum.table2, table3: sum.table3, table4: sum.table4 };
  const figures = Object.fromEntries(HEADLINE_FIGURES.map((d) => [d.key, counted.length ? figureValue(report, d) : null]));
  return { year, formatVersion: version, offices: counted.length, excluded, figures };
}

const LABEL = Object.fromEntries(HEADLINE_FIGURES.map((d) => [d.key, d.label]));
const SHARE_OF = Object.fromEntries(HEADLINE_FIGURES.filter((d) => d.shareOf).map((d) => [d.key, d.shareOf!]));
/** The figures of the year page's table, in this order. */
const YEAR_FIGURES = ['received', 'carriedIn', 'results', 'disclosed', 'partly', 'withheld', 'unavailable', 'notHandled', 'otherHandling', 'carriedOut', 'reviews', 'lawsuits'];
/** The figures of the year-on-year chart (the ones people quote). */
export const CHART_FIGURES = ['received', 'results', 'disclosed', 'partly', 'withheld', 'carriedOut', 'reviews', 'lawsuits'];
const RESULT_PARTS = [
  { key: 'disclosed', color: '#1f6fb2' },
  { key: 'partly', color: '#58a4d8' },
  { key: 'withheld', color: '#c2563a' },
  { key: 'unavailable', color: '#e0a040' },
  { key: 'notHandled', color: '#8a6bb0' },
  { key: 'otherHandling', color: '#888' },
];
const COLORS = { previous: '#a9b4c2', current: '#1f6fb2' };

const show = (v: number | null | undefined) => (v === null || v === undefined ? '—' : formatNumber(v));

function changeText(cur: number | null, prev: number | null): string {
  if (cur === null || prev === null) return '—';
  const d = Number((cur - prev).toFixed(6));
  const sign = d > 0 ? '+' : '';
  return prev === 0 ? `${sign}${formatNumber(d)}` : `${sign}${formatNumber(d)}（${sign}${percent(d / prev)}）`;
}

function shareText(t: YearTotals | null, key: string): string {
  const of = SHARE_OF[key];
  const v = t?.figures[key];
  const base = of ? t?.figures[of] : null;
  return of && v !== null && v !== undefined && base ? percent(v / base) : '';
}

/**
 * The year page's 「全年数字」: a table of the year's totals against last year's, then the charts (year on year
 * by figure; 办理结果 by kind). `previous` null: this year only.
 */
export function yearTotalsHtml(current: YearTotals, previous: YearTotals | null): string {
  const y = current.year;
  const py = previous?.year;
  const rows = YEAR_FIGURES.map((key) => {
    const cur = current.figures[key] ?? null;
    const prev = previous ? (previous.figures[key] ?? null) : null;
    const share = shareText(current, key);
    return `<tr data-figure="${key}"><th scope="row">${escapeHtml(LABEL[key])}</th>${previous ? `<td data-label="${py}年度">${show(prev)}</td>` : ''}<td data-label="${y}年度" data-value="${cur ?? ''}">${show(cur)}</td>${previous ? `<td data-label="增减">${changeText(cur, prev)}</td>` : ''}<td data-label="占办理结果">${share}</td></tr>`;
  }).join('\n');
  const excluded = current.excluded.length
    ? `未相加的报告（已包含其他单位的数字或格式不同）：${current.excluded.map((n) => `“${escapeHtml(n)}”`).join('、')}。`
    : '';
  const note = `<p class="muted">下表为本年度已公开的 ${current.offices} 个单位年度报告的合计${previous ? `，与上年度（${previous.offices} 个单位）比较` : ''}。${excluded}有单位未填写的栏目不合计，显示为“—”（空白不等于0）。本级政府的正式数字以本级汇总报告为准。</p>`;
  const table = `<div class="wrap"><table class="list totals">
<thead><tr><th scope="col">指标</th>${previous ? `<th scope="col">${py}年度</th>` : ''}<th scope="col">${y}年度</th>${previous ? '<th scope="col">增减</th>' : ''}<th scope="col">占办理结果</th></tr></thead>
<tbody>
${rows}
</tbody>
</table></div>`;
  const series = previous
    ? [
        { name: `${py}年度`, color: COLORS.previous },
        { name: `${y}年度`, color: COLORS.current },
      ]
    : [{ name: `${y}年度`, color: COLORS.current }];
  const totals = previous ? [previous, current] : [current];
  const bars = groupedBarsSvg(
    previous ? `${y}年度与${py}年度主要数字对比` : `${y}年度主要数字`,
    series,
    CHART_FIGURES.map((key) => ({ label: LABEL[key], values: totals.map((t) => t.figures[key] ?? null) })),
  );
  const shares = stackedSharesSvg(
    '办理结果构成',
    RESULT_PARTS.map((p) => ({ label: LABEL[p.key], color: p.color })),
    totals.map((t) => ({ label: `${t.year}年度`, values: RESULT_PARTS.map((p) => t.figures[p.key] ?? null) })),
  );
  return `<section id="totals">
<h2>全年数字</h2>
${note}
${table}
<figure class="chart" id="chart-yoy">${bars}<figcaption class="muted">${previous ? '同比：每组上为上年度、下为本年度，各组按本组最大值缩放。' : '尚无上年度数字可比较。'}</figcaption></figure>
<figure class="chart" id="chart-results">${shares}<figcaption class="muted">办理结果中各类的占比。</figcaption></figure>
</section>`;
}

/** The trend of a few figures across every year with totals (the top index). */
export function trendHtml(totals: YearTotals[]): string {
  const years = [...totals].sort((a, b) => a.year - b.year);
  if (years.length === 0) return '';
  const palette = ['#d5dde8', '#a9b4c2', '#7d93ad', '#4f7aa6', '#1f6fb2'];
  const series = years.map((t, i) => ({ name: `${t.year}年度`, color: palette[Math.max(0, palette.length - years.length + i)] ?? '#1f6fb2' }));
  const svg = groupedBarsSvg(
    '历年主要数字',
    series,
    ['received', 'results', 'disclosed', 'reviews', 'lawsuits'].map((key) => ({ label: LABEL[key], values: years.map((t) => t.figures[key] ?? null) })),
  );
  return `<h2>历年主要数字</h2>
<p class="muted">各年度已公开报告的合计。</p>
<figure class="chart" id="chart-trend">${svg}</figure>`;
}

// ---- an office across years ----

export interface OfficeYear {
  year: number;
  /** The office's name that year. */
  name: string;
  /** The published version shown (the latest). */
  version: number;
  publishedAt: string | null;
  report: Report;
}

const HISTORY_FIGURES = ['received', 'results', 'disclosed', 'reviews', 'lawsuits'];

/** An office's page across years: each year's key figures and links to that year's page, PDF and JSON. */
export function renderOfficeHistory(officeId: string, years: OfficeYear[], options: PageOptions = {}): string {
  const here = sitePaths.officeHistory(officeId);
  const sorted = [...years].sort((a, b) => b.year - a.year);
  const name = sorted[0]?.name ?? officeId;
  const title = `${name} 历年政府信息公开工作年度报告`;
  const headline = (r: Report, key: string) => figureValue(r, HEADLINE_FIGURES.find((d) => d.key === key)!);
  const rows = sorted
    .map((y) => {
      const cells = HISTORY_FIGURES.map((k) => `<td data-label="${escapeHtml(LABEL[k])}">${show(headline(y.report, k))}</td>`).join('');
      const files = [
        link(here, sitePaths.officePage(y.year, officeId), '查看'),
        link(here, sitePaths.pdf(y.year, officeId, y.version), 'PDF'),
        link(here, sitePaths.json(y.year, officeId, y.version), 'JSON'),
      ].join(' · ');
      const renamed = y.name !== name ? `<br><span class="muted">（时称${escapeHtml(y.name)}）</span>` : '';
      return `<tr data-year="${y.year}"><th scope="row">${link(here, sitePaths.yearIndex(y.year), `${y.year}年度`)}${renamed}</th>${cells}<td data-label="报告">${files}<br><span class="muted">第${y.version}版，公开于${escapeHtml(formatDate(y.publishedAt))}</span></td></tr>`;
    })
    .join('\n');
  const chrono = [...sorted].reverse();
  const chart = groupedBarsSvg(
    `${name}历年主要数字`,
    chrono.map((y, i) => ({ name: `${y.year}年度`, color: i === chrono.length - 1 ? COLORS.current : COLORS.previous })),
    HISTORY_FIGURES.map((k) => ({ label: LABEL[k], values: chrono.map((y) => headline(y.report, k)) })),
  );
  const body = `<h1>${escapeHtml(title)}</h1>
<p>本页列出本单位各年度已公开的年度报告（每年为最新公开的版本）及其主要数字。</p>
<div class="wrap"><table class="list reflow history">
<thead><tr><th scope="col">年度</th>${HISTORY_FIGURES.map((k) => `<th scope="col">${escapeHtml(LABEL[k])}</th>`).join('')}<th scope="col">报告</th></tr></thead>
<tbody>
${rows}
</tbody>
</table></div>
<figure class="chart" id="chart-office">${chart}</figure>`;
  const nav = `<nav>${link(here, sitePaths.topIndex(), '全部年度')}${link(here, sitePaths.directory(), '单位目录')}</nav>`;
  return page(title, nav, body, options);
}

// ---- the directory and the search index ----

export interface DirectoryEntry {
  officeId: string;
  /** Every year in which the office has a published report, with its name and group that year. */
  years: Array<{ year: number; name: string; group: string | null }>;
}

const latestName = (e: DirectoryEntry) => [...e.years].sort((a, b) => b.year - a.year)[0]?.name ?? e.officeId;

function sortedEntries(entries: DirectoryEntry[]): DirectoryEntry[] {
  return entries.filter((e) => e.years.length).sort((a, b) => latestName(a).localeCompare(latestName(b), 'zh-CN'));
}

/**
 * Every office with a published report in any year, by name, with a link per year: the record's index
 * without script (the archive runs none). The search page (/search/) filters the same list by name and year.
 */
export function renderDirectory(entries: DirectoryEntry[], options: PageOptions = {}): string {
  const here = sitePaths.directory();
  const shown = sortedEntries(entries);
  const allYears = [...new Set(shown.flatMap((e) => e.years.map((y) => y.year)))].sort((a, b) => b - a);
  const rows = shown
    .map((e) => {
      const name = latestName(e);
      const byYear = new Map(e.years.map((y) => [y.year, y]));
      const cells = allYears
        .map((year) => {
          const y = byYear.get(year);
          return `<td data-label="${year}年度">${y ? link(here, sitePaths.officePage(year, e.officeId), `${year}年度`) : '<span class="muted">—</span>'}</td>`;
        })
        .join('');
      const other = [...new Set(e.years.map((y) => y.name))].filter((n) => n !== name);
      const aka = other.length ? `<br><span class="muted">曾用名：${other.map(escapeHtml).join('、')}</span>` : '';
      return `<tr data-office="${escapeHtml(e.officeId)}"><th scope="row">${link(here, sitePaths.officeHistory(e.officeId), name)}${aka}</th>${cells}</tr>`;
    })
    .join('\n');
  const body = `<h1>单位目录</h1>
<p>已公开年度报告的 ${shown.length} 个单位，按名称排列。点击单位名称查看其历年报告。按年度查看：${allYears.map((y) => link(here, sitePaths.yearIndex(y), `${y}年度`)).join(' · ') || '—'}。</p>
<p class="muted">可在浏览器中按 Ctrl+F（手机浏览器“页内查找”）按名称查找。</p>
<div class="wrap"><table class="list reflow directory">
<thead><tr><th scope="col">单位</th>${allYears.map((y) => `<th scope="col">${y}年度</th>`).join('')}</tr></thead>
<tbody>
${rows}
</tbody>
</table></div>`;
  const nav = `<nav>${link(here, sitePaths.topIndex(), '全部年度')}</nav>`;
  return page('单位目录 — 政府信息公开工作年度报告', nav, body, options);
}

export const SEARCH_INDEX_SCHEMA_ID = 'https://nianbao.cn/schema/search-index/v1.json';

/** data/offices.json: what the search page filters. Paths are site-root-relative (the page prefixes the archive's URL). */
export function searchIndexJson(entries: DirectoryEntry[]): string {
  const offices = sortedEntries(entries).map((e) => ({
    id: e.officeId,
    name: latestName(e),
    history: sitePaths.officeHistory(e.officeId),
    years: [...e.years]
      .sort((a, b) => b.year - a.year)
      .map((y) => ({ year: y.year, name: y.name, group: y.group, page: sitePaths.officePage(y.year, e.officeId) })),
  }));
  return `${JSON.stringify({ $schema: SEARCH_INDEX_SCHEMA_ID, offices })}\n`;
}
