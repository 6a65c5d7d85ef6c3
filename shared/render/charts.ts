/**
 * Charts of the public record as inline SVG, rendered on the server: the archive pages run no script (their
 * CSP has no script source and the archive is sandboxed), so a chart is markup. Every text goes through
 * escapeHtml; numbers are formatted here. Each bar is a `<rect class="bar">` with data-series and
 * data-value, so a test (or a screen reader user with the table beside it) can check what is drawn.
 */
import { formatNumber } from '../common/text';
import { escapeHtml } from './format';

export interface BarRow {
  label: string;
  /** One value per series, in the order of `series`; null: unknown (a blank cell), drawn as 「未知」. */
  values: Array<number | null>;
}

export interface BarSeries {
  name: string;
  color: string;
}

const WIDTH = 480;
const LABEL_H = 20;
const BAR_H = 16;
const GAP = 12;
const BAR_MAX = 360;

/**
 * Grouped horizontal bars, one group per row with its own scale (the figures differ by orders of magnitude:
 * 新收申请 in thousands, 行政诉讼 in units), one bar per series. Rows whose values are all unknown are skipped.
 */
export function groupedBarsSvg(title: string, series: BarSeries[], rows: BarRow[]): string {
  const shown = rows.filter((r) => r.values.some((v) => v !== null));
  const legendH = 26;
  const groupH = LABEL_H + series.length * (BAR_H + 4) + GAP;
  const height = legendH + shown.length * groupH;
  const legend = series
    .map(
      (s, i) =>
        `<rect x="${i * 130}" y="4" width="14" height="14" fill="${escapeHtml(s.color)}"/><text x="${i * 130 + 20}" y="16" font-size="13">${escapeHtml(s.name)}</text>`,
    )
    .join('');
  const groups = shown
    .map((row, gi) => {
      const top = legendH + gi * groupH;
      const max = Math.max(...row.values.map((v) => v ?? 0));
      const bars = series
        .map((s, si) => {
          const v = row.values[si];
          const y = top + LABEL_H + si * (BAR_H + 4);
          if (v === null || v === undefined) return `<text x="0" y="${y + 12}" font-size="12" fill="#777">${escapeHtml(s.name)}：未知</text>`;
          const w = max > 0 ? Math.max(1, Math.round((v / max) * BAR_MAX)) : 1;
          return `<rect class="bar" data-series="${escapeHtml(s.name)}" data-value="${escapeHtml(formatNumber(v))}" x="0" y="${y}" width="${w}" height="${BAR_H}" fill="${escapeHtml(s.color)}"><title>${escapeHtml(`${s.name} ${row.label}：${formatNumber(v)}`)}</title></rect><text x="${w + 6}" y="${y + 13}" font-size="12">${escapeHtml(formatNumber(v))}</text>`;
        })
        .join('');
      return `<g class="group"><text x="0" y="${top + 14}" font-size="13" font-weight="600">${escapeHtml(row.label)}</text>${bars}</g>`;
    })
    .join('\n');
  return `<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-label="${escapeHtml(title)}" font-family="inherit">
<title>${escapeHtml(title)}</title>
${legend}
${groups}
</svg>`;
}

export interface StackPart {
  label: string;
  color: string;
}

/**
 * One 100 % stacked bar per row (e.g. 办理结果 by kind, one row per year): each segment's share of the row's
 * total, the percentage written inside when it fits. Rows with an unknown part or a zero total are skipped.
 */
export function stackedSharesSvg(title: string, parts: StackPart[], rows: BarRow[]): string {
  const shown = rows.filter((r) => r.values.every((v) => v !== null) && r.values.reduce<number>((a, v) => a + (v ?? 0), 0) > 0);
  const legendRows = Math.ceil(parts.length / 3);
  const legendH = legendRows * 20 + 6;
  const rowH = 34;
  const labelW = 80;
  const barW = WIDTH - labelW;
  const height = legendH + shown.length * rowH;
  const legend = parts
    .map(
      (p, i) =>
        `<rect x="${(i % 3) * 160}" y="${Math.floor(i / 3) * 20 + 4}" width="12" height="12" fill="${escapeHtml(p.color)}"/><text x="${(i % 3) * 160 + 17}" y="${Math.floor(i / 3) * 20 + 15}" font-size="12">${escapeHtml(p.label)}</text>`,
    )
    .join('');
  const bars = shown
    .map((row, ri) => {
      const y = legendH + ri * rowH;
      const total = row.values.reduce<number>((a, v) => a + (v ?? 0), 0);
      let x = labelW;
      const segs = row.values
        .map((v, i) => {
          const w = ((v ?? 0) / total) * barW;
          const share = `${(Math.round(((v ?? 0) / total) * 1000) / 10).toFixed(1)}%`;
          const seg = `<rect class="share" data-part="${escapeHtml(parts[i].label)}" data-value="${escapeHtml(formatNumber(v ?? 0))}" x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="24" fill="${escapeHtml(parts[i].color)}"><title>${escapeHtml(`${row.label} ${parts[i].label}：${formatNumber(v ?? 0)}（${share}）`)}</title></rect>${w >= 44 ? `<text x="${(x + 4).toFixed(1)}" y="${y + 17}" font-size="12" fill="#fff">${share}</text>` : ''}`;
          x += w;
          return seg;
        })
        .join('');
      return `<g><text x="0" y="${y + 17}" font-size="13">${escapeHtml(row.label)}</text>${segs}</g>`;
    })
    .join('\n');
  return `<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-label="${escapeHtml(title)}" font-family="inherit">
<title>${escapeHtml(title)}</title>
${legend}
${bars}
</svg>`;
}
