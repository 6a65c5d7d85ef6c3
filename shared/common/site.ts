/**
 * The layout of the public site (keys relative to its root) and relative links between its pages, so the
 * pages work from any base URL (S3 website, CloudFront path, a local folder).
 */

/** An id safe as one path segment and one URL segment; anything else is hex-encoded deterministically. */
export function pathSegment(id: string): string {
  if (/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(id)) return id;
  return `x${Buffer.from(id, 'utf8').toString('hex')}`.slice(0, 200);
}

/** The extension of an untrusted file name, if it is a plain one ('.docx'), else ''. */
export function safeExtension(fileName: string | null | undefined): string {
  const m = /\.([A-Za-z0-9]{1,8})$/.exec(fileName ?? '');
  return m ? `.${m[1].toLowerCase()}` : '';
}

export const sitePaths = {
  topIndex: () => 'index.html',
  yearIndex: (year: number) => `${year}/index.html`,
  officePage: (year: number, officeId: string) => `${year}/${pathSegment(officeId)}/index.html`,
  /** Version files are immutable: a correction is a new version folder, never an overwrite. */
  pdf: (year: number, officeId: string, version: number) => `${year}/${pathSegment(officeId)}/v${version}/report.pdf`,
  json: (year: number, officeId: string, version: number) => `${year}/${pathSegment(officeId)}/v${version}/report.json`,
  original: (year: number, officeId: string, version: number, fileName: string | null | undefined) =>
    `${year}/${pathSegment(officeId)}/v${version}/original${safeExtension(fileName)}`,
  /**
   * The published 本级 report (the coordinator's aggregate), immutable per version like an office's files.
   * `_aggregate` can never be an office's folder: office ids are [a-z0-9-], and other ids are hex-encoded as x….
   */
  aggregate: (year: number, version: number, ext: 'pdf' | 'docx' | 'json') => `${year}/_aggregate/v${version}/report.${ext}`,
  openDataJson: (year: number) => `data/${year}.json`,
  openDataCsv: (year: number) => `data/${year}.csv`,
  /** The year's totals (public-record.ts YearTotals): what next year's page and the top index compare with. */
  yearTotals: (year: number) => `data/${year}-totals.json`,
  /** An office across years. `offices/` and `data/` sit beside the year folders, which hold the offices' folders. */
  officeHistory: (officeId: string) => `offices/${pathSegment(officeId)}/index.html`,
  directory: () => 'offices/index.html',
  /** What the search page (web/src/search.ts) filters. */
  searchIndex: () => 'data/offices.json',
  /** One row per office and year, a column per canonical cell (wide-data.ts), and its data dictionary. */
  wideCsv: () => 'data/all-years.csv',
  /** One year's rows of that spreadsheet (JSON): what the other years' regenerations read. */
  yearRows: (year: number) => `data/${year}-rows.json`,
  wideXlsx: () => 'data/all-years.xlsx',
  dictionaryCsv: () => 'data/dictionary.csv',
};

/** Link from the page at `fromPage` to `target` (both site-root-relative), URL-encoded per segment. */
export function relativeHref(fromPage: string, target: string): string {
  const depth = fromPage.split('/').length - 1;
  const encoded = target
    .split('/')
    .map((s) => encodeURIComponent(s))
    .join('/');
  return '../'.repeat(depth) + encoded;
}
