/**
 * The search page (/search/): filters the public record's office index (data/offices.json in the archive,
 * written by the archive function) by name and year, as the user types. Results are links into the archive
 * (each office across years, and each year's report). Text only: names are set as text nodes, never as HTML.
 * The archive itself runs no script; without script this page points to its server-rendered directory.
 */
import { $, add, clear, h, loadConfig, say } from './common';

interface IndexYear {
  year: number;
  name: string;
  group: string | null;
  page: string;
}
interface IndexOffice {
  id: string;
  name: string;
  history: string;
  years: IndexYear[];
}

/** Spaces and case do not matter (全角空格 too). */
const norm = (s: string) => s.replace(/[\s\u3000]+/g, '').toLowerCase();

function matches(office: IndexOffice, query: string, year: number | null): boolean {
  const q = norm(query);
  const years = year === null ? office.years : office.years.filter((y) => y.year === year);
  if (!years.length) return false;
  return !q || norm(office.id) === q || years.some((y) => norm(y.name).includes(q)) || norm(office.name).includes(q);
}

async function main() {
  const { publicBaseUrl } = await loadConfig();
  const base = publicBaseUrl.replace(/\/+$/, '');
  const url = (path: string) => `${base}/${path.split('/').map(encodeURIComponent).join('/')}`;
  ($('directory-link') as HTMLAnchorElement).href = url('offices/index.html');
  ($('archive-link') as HTMLAnchorElement).href = `${base}/`;
  const q = $('q') as HTMLInputElement;
  const yearSelect = $('year') as HTMLSelectElement;
  const results = $('results');
  const msg = $('search-msg');
  let offices: IndexOffice[];
  try {
    const res = await fetch(url('data/offices.json'), { cache: 'no-cache' });
    if (res.status === 404 || res.status === 403) offices = [];
    else if (!res.ok) throw new Error(String(res.status));
    else offices = ((await res.json()) as { offices: IndexOffice[] }).offices;
  } catch {
    say(msg, '暂时无法读取单位索引，请稍后再试，或查看单位目录。', 'error');
    return;
  }
  const years = [...new Set(offices.flatMap((o) => o.years.map((y) => y.year)))].sort((a, b) => b - a);
  for (const y of years) add(yearSelect, h('option', { text: `${y}年度`, attrs: { value: String(y) } }));
  const params = new URLSearchParams(location.search);
  q.value = params.get('q') ?? '';
  if (years.includes(Number(params.get('year')))) yearSelect.value = params.get('year')!;

  const render = () => {
    const year = yearSelect.value ? Number(yearSelect.value) : null;
    const found = offices.filter((o) => matches(o, q.value, year));
    clear(results);
    for (const o of found) {
      const shown = year === null ? o.years : o.years.filter((y) => y.year === year);
      const groups = [...new Set(shown.map((y) => y.group).filter(Boolean))].join('、');
      add(
        results,
        h(
          'li',
          { attrs: { 'data-office': o.id } },
          h('a', { class: 'office-name', text: o.name, attrs: { href: url(o.history) } }),
          groups ? h('span', { class: 'muted', text: `　${groups}` }) : null,
          h('div', { class: 'years' }, ...shown.map((y) => h('a', { text: y.name === o.name ? `${y.year}年度报告` : `${y.year}年度报告（${y.name}）`, attrs: { href: url(y.page) } }))),
        ),
      );
    }
    say(msg, offices.length ? `找到 ${found.length} 个单位${found.length ? '' : '，请换个关键词或年度'}。` : '暂无已公开的报告。', found.length ? 'info' : 'error');
    // The address keeps the search, so it can be bookmarked or shared.
    const next = new URLSearchParams();
    if (q.value.trim()) next.set('q', q.value.trim());
    if (yearSelect.value) next.set('year', yearSelect.value);
    history.replaceState(null, '', next.toString() ? `?${next}` : location.pathname);
  };
  q.addEventListener('input', render);
  yearSelect.addEventListener('change', render);
  $('search-form').addEventListener('submit', (e) => {
    e.preventDefault();
    render();
  });
  render();
}

if (typeof document !== 'undefined') void main();
