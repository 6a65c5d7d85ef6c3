/**
 * The response headers of every kind of response the site serves, one definition for the CDK stack
 * (CloudFront response headers policies, infra/constructs/public-record.ts) and the local runtime
 * (local/runtime.ts), so both send the same policy.
 *
 * The pages, the API and the public record share one origin, and the pages keep tokens in sessionStorage
 * (per origin). So nothing served from the archive may run script as that origin:
 *  - archive responses carry a CSP with `sandbox` (the document gets an opaque origin: no access to the
 *    site's storage, cookies or same-origin requests, even if a script got in) and no script source;
 *  - an office's original upload is served as a download (`Content-Disposition: attachment`, stored with
 *    a neutral Content-Type) and never rendered;
 *  - the pages allow scripts only from their own files ('self', no inline script, no eval);
 *  - every response: nosniff, no framing (`frame-ancestors 'none'`, X-Frame-Options DENY).
 */

export type HeaderKind = 'pages' | 'api' | 'archive' | 'archivePdf' | 'archiveOriginal';

/** The Content-Type stored on (and served for) an office's original upload: never rendered by a browser. */
export const ORIGINAL_CONTENT_TYPE = 'application/octet-stream';

/** Content-Disposition of an office's original upload: always a download, under a plain ASCII name. */
export function originalContentDisposition(fileName: string): string {
  const plain = fileName.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100) || 'original';
  return `attachment; filename="${plain}"`;
}

/** Whether a key under public/ is an office's original upload (…/v{n}/original[.ext]). */
export function isOriginalKey(key: string): boolean {
  return /(^|\/)v\d+\/original(\.[A-Za-z0-9]{1,8})?$/.test(key);
}

const ARCHIVE_PAGE_CSP = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  // An opaque origin for the document; downloads (a page's link to an original) still work.
  'sandbox allow-downloads',
].join('; ');

/**
 * The Content-Security-Policy of a kind of response. `uploadOrigins`: where the office page posts files
 * (the incoming bucket's S3 endpoint), the only place the pages may connect to besides their own origin.
 */
export function contentSecurityPolicy(kind: HeaderKind, uploadOrigins: string[] = []): string {
  switch (kind) {
    case 'pages':
      return [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        ['connect-src', "'self'", ...uploadOrigins].join(' '),
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
      ].join('; ');
    case 'api':
      // JSON and receipt downloads: nothing in them may render as an active document.
      return "default-src 'none'; frame-ancestors 'none'; sandbox";
    case 'archive':
    case 'archiveOriginal':
      return ARCHIVE_PAGE_CSP;
    case 'archivePdf':
      // The browser's PDF viewer does not run in a sandboxed document; a PDF runs no script of the origin.
      return "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
  }
}

/** Every security header of a kind of response, as the local runtime sends them (lower-case names). */
export function securityHeaders(kind: HeaderKind, uploadOrigins: string[] = []): Record<string, string> {
  const headers: Record<string, string> = {
    'content-security-policy': contentSecurityPolicy(kind, uploadOrigins),
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
  };
  if (kind === 'archiveOriginal') headers['content-disposition'] = 'attachment';
  return headers;
}
