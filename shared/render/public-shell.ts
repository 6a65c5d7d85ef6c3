/**
 * The shell every public page shares: the CSP (no script of any kind), the stylesheet and the relative link
 * helper. On a phone (≤ 600 px) the list tables of class `reflow` (year index, directory, an office across years)
 * become one block per row, each cell labelled from its data-label, so nothing scrolls sideways; the report
 * tables keep the national layout and scroll inside their own box.
 */
import { escapeHtml, formatDateTime } from './format';
import { relativeHref } from '../common/site';

export interface PageOptions {
  /** Shown in the footer ("页面生成于…"); omitted when absent so the output is deterministic. */
  generatedAt?: string | null;
}

const CSS = `
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans SC",sans-serif;color:#1b1b1b;line-height:1.7;background:#fff}
header,main,footer{max-width:980px;margin:0 auto;padding:0 1rem}
header{padding-top:.8rem;font-size:.9rem}
nav a{margin-right:.8rem}
h1{font-size:1.45rem;line-height:1.4;margin:.6rem 0 1rem}
h2{font-size:1.15rem;margin:1.8rem 0 .6rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
p.para{text-indent:2em;margin:.3rem 0}
a{color:#0b5cad}
.muted{color:#666;font-size:.9rem}
.notice{background:#fff7e0;border:1px solid #e5c46b;padding:.5rem .8rem;border-radius:4px}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0 0 1rem}
dl.meta dt{color:#555}
dl.meta dd{margin:0;overflow-wrap:anywhere}
code{font-size:.85em;overflow-wrap:anywhere}
.wrap{overflow-x:auto;-webkit-overflow-scrolling:touch;margin:.6rem 0 1rem}
table{border-collapse:collapse;font-size:.85rem}
table.report{width:100%;min-width:640px}
table.report th,table.report td{border:1px solid #444;padding:.25rem .35rem;vertical-align:middle}
table.report th{font-weight:normal;text-align:left}
table.report th.head{text-align:center;background:#f4f4f4}
table.report th.note{font-size:.8rem;text-align:left;background:#f4f4f4}
table.report th.block{background:#fafafa}
table.report th.span{text-align:center}
table.report td{text-align:center;min-width:2.6em;font-variant-numeric:tabular-nums}
table.list{width:100%}
table.list th,table.list td{border-bottom:1px solid #ddd;padding:.35rem .5rem;text-align:left;vertical-align:top}
table.list thead th{background:#f4f4f4;font-weight:600}
table.list tbody th{font-weight:600}
table.totals td{font-variant-numeric:tabular-nums;text-align:right}
table.history tbody th{white-space:nowrap}
.status-PUBLISHED{color:#16713a}.status-REJECTED,.status-RETURNED{color:#a4262c}.status-NOT_SUBMITTED{color:#777}
ol.versions{list-style:none;padding-left:0}
ol.versions li{margin-bottom:.8rem;padding-left:.8rem;border-left:3px solid #ddd}
table.t4{min-width:780px}
table.t4 th.head{white-space:nowrap;padding:.25rem .2rem}
footer{margin-top:2rem;padding-bottom:2rem;border-top:1px solid #ddd;color:#666;font-size:.85rem}
figure.chart{margin:1rem 0;max-width:640px}
figure.chart svg{display:block;height:auto}
figure.chart figcaption{margin-top:.2rem}
@media (max-width:600px){body{font-size:15px}h1{font-size:1.2rem}dl.meta{grid-template-columns:1fr}dl.meta dd{margin-bottom:.3rem}
table.reflow thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
table.reflow,table.reflow tbody,table.reflow tr,table.reflow th,table.reflow td{display:block;width:100%}
table.reflow tr{border-bottom:1px solid #ccc;padding:.4rem 0}
table.reflow th,table.reflow td{border:0;padding:.1rem .2rem}
table.reflow td[data-label]::before{content:attr(data-label)"：";color:#555}
table.reflow td:empty{display:none}
table.totals{font-size:.8rem}table.totals th,table.totals td{padding:.3rem .25rem}}
`;

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'none'";

export function page(title: string, nav: string, body: string, options: PageOptions): string {
  const generated = options.generatedAt ? `<p>页面生成于 ${escapeHtml(formatDateTime(options.generatedAt))}（北京时间）</p>` : '';
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>${nav}</header>
<main>
${body}
</main>
<footer>
<p>政府信息公开工作年度报告公开目录。报告内容以各单位报送的原始文件为准，PDF为按国家格式统一生成的版式。</p>
${generated}</footer>
</body>
</html>
`;
}

export const link = (from: string, to: string, text: string) => `<a href="${escapeHtml(relativeHref(from, to))}">${escapeHtml(text)}</a>`;

