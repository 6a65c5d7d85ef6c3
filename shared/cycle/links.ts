/**
 * Links to the pages, for e-mails. PUBLIC_BASE_URL is the public record's URL, `<site>/archive` both on AWS
 * (CloudFront) and locally; the pages live on the same site: the office page at `<site>/upload/`, the
 * coordinators' dashboard at `<site>/dashboard/`.
 */
import { sitePaths } from '../common/site';

const ARCHIVE_SUFFIX = /\/archive\/?$/;

export function siteUrlOf(publicBaseUrl: string | null | undefined): string | null {
  if (!publicBaseUrl) return null;
  return publicBaseUrl.replace(ARCHIVE_SUFFIX, '').replace(/\/+$/, '');
}

/** The office's upload and status page (the office signs in there with its token). */
export function officePageUrl(publicBaseUrl: string | null | undefined, year: number, officeId: string): string | null {
  const site = siteUrlOf(publicBaseUrl);
  return site ? `${site}/upload/?year=${year}&office=${encodeURIComponent(officeId)}` : null;
}

/** The coordinators' dashboard, optionally opened on one office. */
export function dashboardUrl(publicBaseUrl: string | null | undefined, year: number, officeId?: string): string | null {
  const site = siteUrlOf(publicBaseUrl);
  if (!site) return null;
  return `${site}/dashboard/?year=${year}${officeId ? `&office=${encodeURIComponent(officeId)}` : ''}`;
}

/**
 * The office's one-click sign-in: the office page with the token in the fragment, which browsers never send
 * to a server (so no access log holds it); the page takes it out of the address at once (web/src/upload.ts).
 */
export function signInUrl(publicBaseUrl: string | null | undefined, year: number, officeId: string, token: string): string | null {
  const page = officePageUrl(publicBaseUrl, year, officeId);
  return page ? `${page}#token=${encodeURIComponent(token)}` : null;
}

/** The office's public page of the year in the public record (shared/common/site.ts). */
export function publicOfficePageUrl(publicBaseUrl: string | null | undefined, year: number, officeId: string): string | null {
  return publicBaseUrl ? `${publicBaseUrl.replace(/\/+$/, '')}/${sitePaths.officePage(year, officeId)}` : null;
}
