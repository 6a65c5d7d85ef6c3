/**
 * PDF geometry → lines of cells.
 *
 * Tables: a PDF has no table, only text at positions and ruling lines. Reports' tables are ruled, so
 * the cells come from the lines (lattice): the horizontal and vertical rules of one table form a grid,
 * a missing rule between two grid cells means they are merged, and each text item goes to the cell
 * that contains it. This is what makes merged labels work: "三、本年度办理结果" is printed in the middle
 * of its 22-row span and wrapped into fragments, yet lands in one cell of the first row it covers.
 * Text inside a cell is read line by line and joined (no space between Chinese characters), so a
 * label wrapped over several lines, or a vertical header split into single characters, is one text.
 *
 * Outside tables, items are clustered by baseline into lines, split into cells at wide gaps
 * (borderless tables), and lines wrapped at the right margin are joined back into paragraphs.
 * Page numbers in the margins are dropped: a lone "2" would read as a table value.
 */
import type { Location } from '../model';
import { smartJoin } from './html';

export interface PdfItem {
  str: string;
  /** Baseline start, top-down page coordinates (pt). */
  x: number;
  y: number;
  /** Advance width (pt) and font size (pt). */
  w: number;
  size: number;
  vertical: boolean;
  eol: boolean;
}

export type Segment = [number, number, number, number];

export interface PdfPage {
  width: number;
  height: number;
  items: PdfItem[];
  segments: Segment[];
}

interface HLine {
  y: number;
  x0: number;
  x1: number;
}
interface VLine {
  x: number;
  y0: number;
  y1: number;
}

/** Rules closer than this are one rule (double borders, rounding). */
const SNAP = 3;
const TOUCH = 2.5;

const CJK = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]/;

function splitSegments(segments: Segment[]): { h: HLine[]; v: VLine[] } {
  const h: HLine[] = [];
  const v: VLine[] = [];
  for (const [ax, ay, bx, by] of segments) {
    if (![ax, ay, bx, by].every(Number.isFinite)) continue;
    if (Math.abs(ay - by) < 1 && Math.abs(bx - ax) > 1) h.push({ y: (ay + by) / 2, x0: Math.min(ax, bx), x1: Math.max(ax, bx) });
    else if (Math.abs(ax - bx) < 1 && Math.abs(by - ay) > 1) v.push({ x: (ax + bx) / 2, y0: Math.min(ay, by), y1: Math.max(ay, by) });
  }
  return { h: mergeH(h), v: mergeV(v) };
}

function mergeH(lines: HLine[]): HLine[] {
  lines.sort((a, b) => a.y - b.y || a.x0 - b.x0);
  const out: HLine[] = [];
  for (const l of lines) {
    const last = out.find((o) => Math.abs(o.y - l.y) <= 1 && l.x0 <= o.x1 + TOUCH && l.x1 >= o.x0 - TOUCH);
    if (last) {
      last.x0 = Math.min(last.x0, l.x0);
      last.x1 = Math.max(last.x1, l.x1);
    } else out.push({ ...l });
  }
  return out;
}

function mergeV(lines: VLine[]): VLine[] {
  lines.sort((a, b) => a.x - b.x || a.y0 - b.y0);
  const out: VLine[] = [];
  for (const l of lines) {
    const last = out.find((o) => Math.abs(o.x - l.x) <= 1 && l.y0 <= o.y1 + TOUCH && l.y1 >= o.y0 - TOUCH);
    if (last) {
      last.y0 = Math.min(last.y0, l.y0);
      last.y1 = Math.max(last.y1, l.y1);
    } else out.push({ ...l });
  }
  return out;
}

class UnionFind {
  private parent: number[];
  constructor(n: number) {
    this.parent = Array.from({ length: n }, (_, i) => i);
  }
  find(i: number): number {
    while (this.parent[i] !== i) i = this.parent[i] = this.parent[this.parent[i]];
    return i;
  }
  union(a: number, b: number) {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

/** Sorted positions, those closer than SNAP collapsed into their mean. */
function cluster(values: number[]): number[] {
  const s = [...values].sort((a, b) => a - b);
  const out: number[][] = [];
  for (const v of s) {
    const g = out[out.length - 1];
    if (g && v - g[g.length - 1] <= SNAP) g.push(v);
    else out.push([v]);
  }
  return out.map((g) => g.reduce((a, b) => a + b, 0) / g.length);
}

interface Region {
  row: number;
  col: number;
  items: PdfItem[];
}

interface Grid {
  xs: number[];
  ys: number[];
  /** grid cell index (row * cols + col) → region */
  cellRegion: Region[];
  regions: Region[];
}

function buildGrid(h: HLine[], v: VLine[]): Grid | null {
  const ys = cluster(h.map((l) => l.y));
  const xs = cluster(v.map((l) => l.x));
  if (ys.length < 2 || xs.length < 2) return null;
  const R = ys.length - 1;
  const C = xs.length - 1;
  const hasV = (x: number, ya: number, yb: number) => {
    const mid = (ya + yb) / 2;
    return v.some((l) => Math.abs(l.x - x) <= SNAP && l.y0 - TOUCH <= mid && l.y1 + TOUCH >= mid);
  };
  const hasH = (y: number, xa: number, xb: number) => {
    const mid = (xa + xb) / 2;
    return h.some((l) => Math.abs(l.y - y) <= SNAP && l.x0 - TOUCH <= mid && l.x1 + TOUCH >= mid);
  };
  const uf = new UnionFind(R * C);
  for (let i = 0; i < R; i++) {
    for (let j = 0; j < C; j++) {
      if (j + 1 < C && !hasV(xs[j + 1], ys[i], ys[i + 1])) uf.union(i * C + j, i * C + j + 1);
      if (i + 1 < R && !hasH(ys[i + 1], xs[j], xs[j + 1])) uf.union(i * C + j, (i + 1) * C + j);
    }
  }
  const byRoot = new Map<number, Region>();
  const cellRegion: Region[] = [];
  for (let i = 0; i < R; i++) {
    for (let j = 0; j < C; j++) {
      const root = uf.find(i * C + j);
      let r = byRoot.get(root);
      // Roots are the smallest index of their set: the top-left cell of a merged region.
      if (!r) byRoot.set(root, (r = { row: Math.floor(root / C), col: root % C, items: [] }));
      cellRegion.push(r);
    }
  }
  return { xs, ys, cellRegion, regions: [...byRoot.values()] };
}

interface Table {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  grid: Grid;
}

/** Connected groups of rules that form a box (at least 2 horizontal and 2 vertical). */
function findTables(h: HLine[], v: VLine[]): Table[] {
  const n = h.length + v.length;
  const uf = new UnionFind(n);
  for (let a = 0; a < h.length; a++) {
    for (let b = 0; b < v.length; b++) {
      const H = h[a];
      const V = v[b];
      if (V.x >= H.x0 - TOUCH && V.x <= H.x1 + TOUCH && H.y >= V.y0 - TOUCH && H.y <= V.y1 + TOUCH) uf.union(a, h.length + b);
    }
  }
  const groups = new Map<number, { h: HLine[]; v: VLine[] }>();
  for (let k = 0; k < n; k++) {
    const root = uf.find(k);
    let g = groups.get(root);
    if (!g) groups.set(root, (g = { h: [], v: [] }));
    if (k < h.length) g.h.push(h[k]);
    else g.v.push(v[k - h.length]);
  }
  const tables: Table[] = [];
  for (const g of groups.values()) {
    if (g.h.length < 2 || g.v.length < 2) continue;
    const grid = buildGrid(g.h, g.v);
    // One column is a frame drawn around text (a boxed preamble or note), not a table: its lines are
    // prose and flow into paragraphs like the rest of the page.
    if (!grid || grid.xs.length < 3) continue;
    tables.push({ x0: grid.xs[0], x1: grid.xs[grid.xs.length - 1], y0: grid.ys[0], y1: grid.ys[grid.ys.length - 1], grid });
  }
  return tables;
}

/** Estimated advance of a character in ems: PDF.js gives one width per item, not per glyph. */
const em = (ch: string) => (CJK.test(ch) ? 1 : /[A-Z0-9]/.test(ch) ? 0.6 : 0.5);

/**
 * PDF.js merges runs on one baseline into one item when the gap between them is small, so the texts of
 * neighbouring narrow cells can arrive as one item "本年制发件数 本年废止件数 现行有效件数". Such an item
 * is split at its spaces, each word placed by its estimated share of the width, when it crosses a rule.
 */
function splitAcrossRules(it: PdfItem, xs: number[]): PdfItem[] {
  if (it.vertical || !/\S\s+\S/.test(it.str)) return [it];
  const x1 = it.x + it.w;
  if (!xs.some((x) => x > it.x + 1 && x < x1 - 1)) return [it];
  const total = [...it.str].reduce((a, ch) => a + em(ch), 0) || 1;
  const scale = it.w / total;
  const out: PdfItem[] = [];
  let pos = it.x;
  for (const part of it.str.split(/(\s+)/)) {
    const w = [...part].reduce((a, ch) => a + em(ch), 0) * scale;
    if (part.trim()) out.push({ ...it, str: part, x: pos, w });
    pos += w;
  }
  return out;
}

function center(it: PdfItem): [number, number] {
  if (it.vertical) return [it.x - it.size / 2, it.y + it.w / 2];
  return [it.x + it.w / 2, it.y - it.size * 0.35];
}

/** Index i with a[i] <= v < a[i+1], or -1. */
function bucket(a: number[], v: number): number {
  if (v < a[0] || v > a[a.length - 1]) return -1;
  let lo = 0;
  let hi = a.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (a[mid] <= v) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Items → visual lines (top to bottom), each sorted left to right. */
function toVisualLines(items: PdfItem[]): PdfItem[][] {
  const sorted = [...items].sort((a, b) => a.y - b.y || a.x - b.x);
  const lines: { y: number; size: number; items: PdfItem[] }[] = [];
  for (const it of sorted) {
    const last = lines[lines.length - 1];
    if (last && Math.abs(it.y - last.y) <= Math.max(1.5, 0.5 * Math.min(last.size, it.size))) last.items.push(it);
    else lines.push({ y: it.y, size: it.size, items: [it] });
  }
  return lines.map((l) => l.items.sort((a, b) => a.x - b.x));
}

/** Items of one visual line → text; a space only where a visible gap separates non-Chinese text. */
function joinLine(items: PdfItem[]): string {
  let s = '';
  let end = -Infinity;
  for (const it of items) {
    const gap = it.x - end;
    if (s && gap > 0.25 * it.size && !CJK.test(s[s.length - 1]) && !CJK.test(it.str[0]) && !/\s$/.test(s)) s += ' ';
    s += it.str;
    end = Math.max(end, it.x + it.w);
  }
  return s.replace(/[\s\u00a0]+/g, ' ').trim();
}

function cellText(items: PdfItem[]): string {
  if (items.length === 0) return '';
  const vertical = items.filter((i) => i.vertical);
  const horizontal = items.filter((i) => !i.vertical);
  const pieces = toVisualLines(horizontal).map(joinLine);
  // Rotated text (a header turned 90°) reads top to bottom.
  if (vertical.length) pieces.push(vertical.sort((a, b) => a.x - b.x || a.y - b.y).map((i) => i.str).join(''));
  return smartJoin(pieces.filter(Boolean));
}

interface Block {
  page: number;
  top: number;
  cells: string[];
  /** Flow lines only: geometry for paragraph joining. */
  flow?: { x0: number; x1: number; size: number; y: number };
  /** A flow line in the top or bottom margin: maybe a running header or footer. */
  inMargin?: boolean;
}

const HEADING = /^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[(（]\s*[一二三四五六七八九十\d]+\s*[)）]|\d+\s*[、.．](?!\d))/;

const PAGE_NUMBER = /^[-—–_\s]*(?:第\s*)?\d{1,3}(?:\s*页)?(?:\s*[/／]\s*\d{1,3}|\s*共\s*\d{1,3}\s*页)?[-—–_\s]*$/;

function pageBlocks(page: PdfPage, pageIndex: number): Block[] {
  const { h, v } = splitSegments(page.segments);
  const tables = findTables(h, v);
  const flowItems: PdfItem[] = [];
  for (const whole of page.items) {
    if (!whole.str.trim()) continue;
    const [wx, wy] = center(whole);
    const t = tables.find((tb) => wx >= tb.x0 - 1 && wx <= tb.x1 + 1 && wy >= tb.y0 - 1 && wy <= tb.y1 + 1);
    if (!t) {
      flowItems.push(whole);
      continue;
    }
    const { xs, ys, cellRegion } = t.grid;
    for (const it of splitAcrossRules(whole, xs)) {
      const [cx, cy] = center(it);
      const i = Math.max(0, bucket(ys, Math.min(Math.max(cy, ys[0]), ys[ys.length - 1] - 0.01)));
      const j = Math.max(0, bucket(xs, Math.min(Math.max(cx, xs[0]), xs[xs.length - 1] - 0.01)));
      cellRegion[i * (xs.length - 1) + j].items.push(it);
    }
  }

  const blocks: Block[] = [];
  for (const t of tables) {
    const rows = new Map<number, Region[]>();
    for (const r of t.grid.regions) {
      const list = rows.get(r.row) ?? [];
      list.push(r);
      rows.set(r.row, list);
    }
    for (const [row, regions] of [...rows.entries()].sort((a, b) => a[0] - b[0])) {
      const cells = regions.sort((a, b) => a.col - b.col).map((r) => cellText(r.items));
      if (cells.some((c) => c !== '')) blocks.push({ page: pageIndex, top: t.grid.ys[row] + 0.001 * row, cells });
    }
  }

  for (const line of toVisualLines(flowItems)) {
    // Wide gaps split a line into cells: a table drawn without rules.
    const groups: PdfItem[][] = [];
    let end = -Infinity;
    for (const it of line) {
      const gap = it.x - end;
      if (!groups.length || gap > Math.max(2.5 * it.size, 12)) groups.push([it]);
      else groups[groups.length - 1].push(it);
      end = Math.max(end, it.x + it.w);
    }
    const cells = groups.map(joinLine).filter((c) => c !== '');
    if (!cells.length) continue;
    const y = line[0].y;
    const size = Math.max(...line.map((i) => i.size));
    const inMargin = y > page.height * 0.88 || y < page.height * 0.08;
    if (inMargin && cells.length === 1 && PAGE_NUMBER.test(cells[0])) continue;
    const x0 = line[0].x;
    const x1 = Math.max(...line.map((i) => i.x + i.w));
    blocks.push({ page: pageIndex, top: y - size, cells, flow: cells.length === 1 ? { x0, x1, size, y } : undefined, inMargin });
  }
  return blocks.sort((a, b) => a.top - b.top);
}

/** Joins body lines wrapped at the right margin back into paragraphs; each line keeps its page and line on the page. */
function joinParagraphs(blocks: Block[]): { lines: string[][]; where: Location[] } {
  // Margins per page, from the flow lines; a page with only a few (a heading and a short paragraph above a
  // table) takes the whole document's, or its widest short line would count as a full one.
  const margins = new Map<number, { left: number; right: number; lines: number }>();
  const whole = { left: Infinity, right: -Infinity, lines: 0 };
  for (const b of blocks) {
    if (!b.flow) continue;
    const m = margins.get(b.page) ?? { left: Infinity, right: -Infinity, lines: 0 };
    for (const x of [m, whole]) {
      x.left = Math.min(x.left, b.flow.x0);
      x.right = Math.max(x.right, b.flow.x1);
      x.lines++;
    }
    margins.set(b.page, m);
  }
  for (const [page, m] of margins) if (m.lines < 5) margins.set(page, whole);
  const out: string[][] = [];
  const where: Location[] = [];
  let prev: Block | null = null;
  let lineOnPage = 0;
  for (const b of blocks) {
    lineOnPage = prev && prev.page === b.page ? lineOnPage + 1 : 1;
    if (prev?.flow && b.flow) {
      const pm = margins.get(prev.page)!;
      const bm = margins.get(b.page)!;
      const size = prev.flow.size;
      const fullLine = prev.flow.x1 >= pm.right - 1.5 * size;
      const startsAtMargin = b.flow.x0 <= bm.left + 0.6 * size;
      const sameSize = Math.abs(b.flow.size - size) < 0.6;
      const close = b.page !== prev.page || b.flow.y - prev.flow.y <= 2.4 * size;
      // A finished sentence or a numbered heading starts something new even at the margin.
      // A title ("…年度报告") ends too, however wide it is.
      const ended = /[。！？!?]$|报告$/.test(out[out.length - 1][0]);
      const heading = HEADING.test(b.cells[0]);
      // A centred title wrapped over two lines: both lines centred on the text block, same size.
      const mid = (pm.left + pm.right) / 2;
      const centred = (f: NonNullable<Block['flow']>) => Math.abs((f.x0 + f.x1) / 2 - mid) < 1.5 * size;
      const wrappedTitle =
        prev.page === b.page && centred(prev.flow) && centred(b.flow) && b.flow.x0 > pm.left + size && prev.flow.x1 - prev.flow.x0 > 0.7 * (pm.right - pm.left);
      if (((fullLine && startsAtMargin) || wrappedTitle) && sameSize && close && !ended && !heading) {
        const last = out[out.length - 1];
        last[0] = smartJoin([last[0], b.cells[0]]);
        prev = b;
        continue;
      }
    }
    out.push([...b.cells]);
    where.push({ page: b.page + 1, line: lineOnPage });
    prev = b;
  }
  return { lines: out, where };
}

/**
 * Running headers and footers: margin lines that come back on other pages, numbers aside — a browser's
 * print (`12/5/26, 6:56 PM  …年度报告_…` / `https://… 3/9`), a document header (`××区人民政府办公室`).
 * Inside a table that breaks across the page they would read as rows.
 */
function withoutRunningLines(blocks: Block[]): Block[] {
  const signature = (b: Block) => b.cells.join(' ').replace(/\d+/g, '#');
  const pagesOf = new Map<string, Set<number>>();
  for (const b of blocks) {
    if (!b.inMargin) continue;
    const pages = pagesOf.get(signature(b)) ?? new Set<number>();
    pages.add(b.page);
    pagesOf.set(signature(b), pages);
  }
  return blocks.filter((b) => !b.inMargin || (pagesOf.get(signature(b))?.size ?? 0) < 2);
}

export function pagesToLines(pages: PdfPage[]): { lines: string[][]; where: Location[] } {
  const blocks: Block[] = [];
  pages.forEach((p, i) => blocks.push(...pageBlocks(p, i)));
  return joinParagraphs(withoutRunningLines(blocks));
}

/** Characters of real text in the extraction (a scanned PDF has none, or only a few stray marks). */
export function textCharCount(pages: PdfPage[]): number {
  let n = 0;
  for (const p of pages) for (const it of p.items) n += it.str.replace(/\s+/g, '').length;
  return n;
}
