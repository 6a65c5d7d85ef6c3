/**
 * The archive step for one accepted submission: publish it when the cycle publishes automatically, give a
 * published submission its version number, write the version's files (canonical PDF, JSON, original) under
 * public/{year}/{office}/v{n}/ — immutable: an existing file is never overwritten — and regenerate the
 * office page, then the year index, the top index and the open data (coalesced: see refreshYearPages).
 * After a withdrawal (撤回, use-cases/withdraw-office.ts) the same step takes the version out of every listing
 * and leaves the office page with the notice of the withdrawal. Safe to run any number of times.
 */
import { PUBLIC_PREFIX } from '../resources';
import type { Report } from '../report/model';
import { openData, openDataCsv, openDataJsonOf, type OpenData, type OpenDataInput } from '../render/open-data';
import { renderOfficePage, renderTopIndex, renderYearIndex, type PublicOffice, type PublishedAggregate, type PublicVersion, type YearSummary } from '../render/public-pages';
import { sitePaths } from '../common/site';
import { renderDirectory, renderOfficeHistory, searchIndexJson, yearTotals, type DirectoryEntry, type OfficeYear, type YearTotals } from '../render/public-record';
import { dictionaryCsv, wideCsv, wideRows, wideXlsx, type WideRow } from '../render/wide-data';
import { transitionOffice, type CycleDeps } from '../cycle/deps';
import type { Office, Submission } from '../cycle/model';
import type { PutOptions } from '../cycle/ports';
import { ORIGINAL_CONTENT_TYPE, originalContentDisposition } from '../security-headers';
import { parsedStore } from '../cycle/processing';
import { tellPublished } from '../cycle/use-cases/publish-office';

export type ArchiveOutcome =
  | { outcome: 'skipped'; reason: string }
  | { outcome: 'archived'; status: Office['status']; version: number | null; written: string[] };

const pub = (key: string) => `${PUBLIC_PREFIX}${key}`;

export async function archiveSubmission(
  deps: CycleDeps,
  ref: { year: number; officeId: string; submissionId: string },
): Promise<ArchiveOutcome> {
  const store = deps.archive;
  if (!store) throw new Error('archive store not configured');
  const { year, officeId, submissionId } = ref;
  const cycle = await deps.repo.getCycle(year);
  let office = await deps.repo.getOffice(year, officeId);
  let sub = await deps.repo.getSubmission(year, officeId, submissionId);
  if (!cycle || !office || !sub) return { outcome: 'skipped', reason: 'unknown cycle, office or submission' };
  if (sub.verdict !== 'accepted') return { outcome: 'skipped', reason: 'submission not accepted' };

  let justPublished = false;
  if (cycle.autoPublish && office.status === 'ACCEPTED' && office.currentSubmissionId === submissionId) {
    const acceptedSub = sub;
    const published = await transitionOffice(deps, year, officeId, (o) =>
      o.status === 'ACCEPTED' && o.currentSubmissionId === submissionId
        ? {
            set: { status: 'PUBLISHED', publishedSubmissionId: submissionId },
            audit: {
              year,
              officeId,
              at: deps.clock.now().toISOString(),
              actor: 'system',
              action: o.publishedSubmissionId ? 'published_amendment' : 'published',
              from: 'ACCEPTED',
              to: 'PUBLISHED',
              submissionId,
              sha256: acceptedSub.sha256,
              detail: '本年度设置为通过后自动公开',
            },
          }
        : null,
    );
    office = published.office;
    justPublished = published.changed;
  }

  const written: string[] = [];
  if (office.status === 'PUBLISHED' && office.publishedSubmissionId === submissionId && !sub.publishedVersion) {
    const versions = (await deps.repo.listSubmissions(year, officeId)).map((s) => s.publishedVersion ?? 0);
    sub = { ...sub, publishedVersion: Math.max(0, ...versions) + 1, publishedAt: deps.clock.now().toISOString() };
    await deps.repo.updateSubmission(sub);
  }

  if (sub.publishedVersion && !sub.withdrawnAt) {
    const n = sub.publishedVersion;
    const report = await loadReport(deps, sub);
    const putOnce = async (key: string, body: () => Promise<Uint8Array | string>, type: string, options?: PutOptions) => {
      if (await store.head(pub(key))) return;
      await store.put(pub(key), await body(), type, options);
      written.push(pub(key));
    };
    if (report) {
      await putOnce(sitePaths.json(year, officeId, n), async () => JSON.stringify(report, null, 2), 'application/json; charset=utf-8');
      await putOnce(sitePaths.pdf(year, officeId, n), () => canonicalPdf(report, sub!), 'application/pdf');
    }
    const original = await deps.incoming.get(sub.key, sub.versionId);
    if (original) {
      // The office's file as it sent it: served only as a download under a neutral type, never rendered on
      // the site's origin (an uploaded web page may carry script; see shared/security-headers.ts).
      const key = sitePaths.original(year, officeId, n, sub.fileName);
      await putOnce(key, async () => original.bytes, ORIGINAL_CONTENT_TYPE, { contentDisposition: originalContentDisposition(key.split('/').pop()!) });
    }
  }

  const withdrawn = Boolean(sub.withdrawnAt);
  written.push(...(await writeOfficePage(deps, office)), ...(await writeOfficeHistory(deps, office, withdrawn)), ...(await refreshYearPages(deps, year)));
  // Told once its page exists (at most once: a retry finds the office already PUBLISHED).
  if (justPublished) await tellPublished(deps, cycle, office);
  return { outcome: 'archived', status: office.status, version: sub.publishedVersion ?? null, written };
}

/**
 * The canonical PDF of a submission's report: what the archive holds for a published version, and what the
 * 政务公开办 previews before publishing (review.ts) — the same bytes for the same submission.
 */
export async function canonicalPdf(report: Report, sub: Pick<Submission, 'id' | 'sha256' | 'receivedAt'>): Promise<Buffer> {
  // pdfkit and fontkit load with the first PDF: most archive steps publish nothing (cold start).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { renderPdf } = require('../render/pdf') as typeof import('../render/pdf');
  return renderPdf(report, { submissionId: sub.id, sha256: sub.sha256 ?? undefined, receivedAt: sub.receivedAt });
}

export async function loadReport(deps: CycleDeps, sub: Submission): Promise<Report | null> {
  if (!sub.parsedKey) return null;
  const obj = await parsedStore(deps).get(sub.parsedKey);
  return obj ? (JSON.parse(Buffer.from(obj.bytes).toString('utf8')) as Report) : null;
}

async function publicOffice(deps: CycleDeps, office: Office): Promise<PublicOffice> {
  // Never published (publishedSubmissionId is set once, never cleared): no versions to list. Without this
  // every archive step queried every office's submissions, O(offices) Queries per accepted upload.
  // The public record shows published versions only: the office's workflow status (an accepted report not yet
  // published, a rejected amendment of a published one) is never public.
  if (!office.publishedSubmissionId) return { officeId: office.id, name: office.name, status: null, versions: [] };
  const subs = (await deps.repo.listSubmissions(office.year, office.id))
    .filter((s) => s.publishedVersion && !s.withdrawnAt)
    .sort((a, b) => a.publishedVersion! - b.publishedVersion!);
  const versions: PublicVersion[] = [];
  for (const s of subs) {
    const report = await loadReport(deps, s);
    if (!report) continue;
    versions.push({
      version: s.publishedVersion!,
      report,
      submissionId: s.id,
      sha256: s.sha256 ?? '',
      receivedAt: s.receivedAt,
      acceptedAt: s.checkedAt ?? null,
      publishedAt: s.publishedAt ?? null,
      fileName: s.fileName,
    });
  }
  return { officeId: office.id, name: office.name, status: versions.length ? 'PUBLISHED' : null, versions };
}

async function putPage(deps: CycleDeps, key: string, body: string | Uint8Array, type: string): Promise<string> {
  await deps.archive!.put(pub(key), body, type);
  return pub(key);
}

async function readPublic(deps: CycleDeps, key: string): Promise<string | null> {
  const obj = await deps.archive!.get(pub(key));
  return obj ? Buffer.from(obj.bytes).toString('utf8') : null;
}

/** Writes a file only when its content changed: the key, or null when it was already so. */
async function putIfChanged(deps: CycleDeps, key: string, body: string, type: string): Promise<string | null> {
  return (await readPublic(deps, key)) === body ? null : putPage(deps, key, body, type);
}

async function readPublicJson<T>(deps: CycleDeps, key: string): Promise<T | null> {
  const text = await readPublic(deps, key);
  try {
    return text ? (JSON.parse(text) as T) : null;
  } catch {
    return null;
  }
}

const HTML = 'text/html; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';
const CSV_TYPE = 'text/csv; charset=utf-8';
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * The office's page across years: each year's latest published version. O(years) reads, for this office only;
 * the same office id in two cycles is the same office (as for last year's comparison, processing.ts).
 */
async function writeOfficeHistory(deps: CycleDeps, office: Office, withdrawn = false): Promise<string[]> {
  // After a withdrawal the page is written again, without that year (even with no year left).
  if (!office.publishedSubmissionId && !withdrawn) return [];
  const years: OfficeYear[] = [];
  for (const c of await deps.repo.listCycles()) {
    const o = c.year === office.year ? office : await deps.repo.getOffice(c.year, office.id);
    const sub = o?.publishedSubmissionId ? await deps.repo.getSubmission(c.year, o.id, o.publishedSubmissionId) : null;
    const report = sub?.publishedVersion ? await loadReport(deps, sub) : null;
    if (o && sub?.publishedVersion && !sub.withdrawnAt && report) years.push({ year: c.year, name: o.name, version: sub.publishedVersion, publishedAt: sub.publishedAt ?? null, report });
  }
  if (!years.length && !withdrawn) return [];
  return [await putPage(deps, sitePaths.officeHistory(office.id), renderOfficeHistory(office.id, years, { generatedAt: deps.clock.now().toISOString() }), HTML)];
}

/** The search page of the site (web/static/search), one level above the archive's base URL (…/archive → …/search/). */
function searchUrl(deps: CycleDeps): string | null {
  if (!deps.publicBaseUrl) return null;
  try {
    return new URL('../search/', deps.publicBaseUrl.replace(/\/?$/, '/')).toString();
  } catch {
    return null;
  }
}

/**
 * The office's own page: written at once, it shows only this office; none before its first publication.
 * After a withdrawal it keeps only the notice 「该报告已于…撤回，理由：…」.
 */
async function writeOfficePage(deps: CycleDeps, office: Office): Promise<string[]> {
  const shown = await publicOffice(deps, office);
  if (!shown.versions.length) {
    const withdrawn = (await deps.repo.listSubmissions(office.year, office.id)).filter((s) => s.withdrawnAt).sort((a, b) => b.withdrawnAt!.localeCompare(a.withdrawnAt!))[0];
    if (!withdrawn) return [];
    shown.withdrawal = { at: withdrawn.withdrawnAt!, reason: withdrawn.withdrawnReason ?? '', version: withdrawn.publishedVersion ?? null };
  }
  const page = renderOfficePage(office.year, shown, { generatedAt: deps.clock.now().toISOString() });
  return [await putPage(deps, sitePaths.officePage(office.year, office.id), page, 'text/html; charset=utf-8')];
}

/** Year-level pages are regenerated at most once per slot of this length (CycleDeps.pagesSlotMs). */
const PAGES_SLOT_MS = 5000;
/** A slot's claim left by a crashed regeneration is taken over after this. */
const PAGES_CLAIM_STALE_MS = 5 * 60_000;

/**
 * The year index, open data and top index show every office, so regenerating them costs O(offices); doing
 * it for every accepted upload made a cycle O(offices²) (bench/README.md "The cycle"). Instead the first
 * archive step of each time slot claims the slot, waits for its end and regenerates once, from the state
 * at that moment: every step of the slot changed that state before the slot ended, so each change is
 * shown at most one slot later, and the other steps of the slot write nothing. If the owner fails, its
 * claim is released and Lambda retries its step, which claims a later slot.
 */
export async function refreshYearPages(deps: CycleDeps, year: number): Promise<string[]> {
  const slotMs = deps.pagesSlotMs ?? PAGES_SLOT_MS;
  if (slotMs <= 0) return regenerateYearPages(deps, year);
  const now = deps.clock.now();
  const slotEnd = Math.floor(now.getTime() / slotMs + 1) * slotMs;
  const key = `pages#${year}#${slotEnd}`;
  if ((await deps.repo.claimOnce(key, now, PAGES_CLAIM_STALE_MS)) !== 'claimed') return [];
  try {
    await new Promise((r) => setTimeout(r, Math.max(0, slotEnd - deps.clock.now().getTime())));
    return await regenerateYearPages(deps, year);
  } finally {
    // Nothing to keep: a step that claims this slot again after the regeneration is covered by it anyway.
    await deps.repo.releaseClaim(key, now);
  }
}

/** The latest published version of the year's 本级 report (public/{year}/_aggregate/v{n}/), if any. */
export async function latestAggregate(deps: CycleDeps, year: number): Promise<PublishedAggregate | null> {
  const prefix = pub(`${year}/_aggregate/`);
  const versions = (await deps.archive!.list(prefix))
    .map((o) => /^v(\d+)\/report\.json$/.exec(o.key.slice(prefix.length)))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]));
  if (versions.length === 0) return null;
  const version = Math.max(...versions);
  return { version, files: { pdf: sitePaths.aggregate(year, version, 'pdf'), docx: sitePaths.aggregate(year, version, 'docx'), json: sitePaths.aggregate(year, version, 'json') } };
}

/**
 * The year's index (with its totals and charts), open data and totals, and what spans every year: the top
 * index, the office directory, the search index and the spreadsheet of every year. Returns the keys written.
 * Cheap to repeat: one pass over the year's published reports; other years are read from their own small
 * totals and rows files, never from their reports; the spreadsheet is rebuilt only when its CSV changed.
 * When the year's totals change (a correction) and the next year exists, the next year's page, which
 * compares with them, is regenerated too (once: the cascade stops there).
 */
async function regenerateYearPages(deps: CycleDeps, year: number, cascade = true): Promise<string[]> {
  const now = deps.clock.now().toISOString();
  const offices = (await deps.repo.listOffices(year)).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
  const publics: PublicOffice[] = [];
  for (const o of offices) publics.push(await publicOffice(deps, o));
  const inputs: OpenDataInput[] = publics
    .filter((p) => p.versions.length)
    .map((p) => {
      const v = p.versions[p.versions.length - 1];
      return { office: p.name, officeId: p.officeId, version: v.version, report: v.report };
    });
  const cycle = await deps.repo.getCycle(year);
  // Names only, and only when the coordinator turned the list on for the cycle.
  const unpublished = cycle?.listUnpublished ? publics.filter((p) => !p.versions.length).map((p) => p.name) : null;
  const aggregate = await latestAggregate(deps, year);
  const aggregateReport = aggregate ? await readPublicJson<Report>(deps, aggregate.files.json) : null;
  const agg = aggregate && aggregateReport ? { version: aggregate.version, report: aggregateReport } : null;
  const data = openData(year, inputs, agg);

  const totals = yearTotals(year, inputs);
  // The spreadsheet of every year: this year's rows, and each other year's from its own small rows file
  // (a year archived before that file existed: from its open data, once).
  const yearRows = wideRows([data]);
  const totalsWritten = await putIfChanged(deps, sitePaths.yearTotals(year), `${JSON.stringify(totals)}\n`, JSON_TYPE);
  const written = [totalsWritten, await putIfChanged(deps, sitePaths.yearRows(year), `${JSON.stringify({ year, rows: yearRows })}\n`, JSON_TYPE)].filter(
    (k): k is string => k !== null,
  );

  // Every year: its summary, its totals (top index), its rows, its offices with a published report (directory).
  const cycles = (await deps.repo.listCycles()).sort((a, b) => b.year - a.year);
  const years: YearSummary[] = [];
  const allTotals: YearTotals[] = [];
  const rows: WideRow[] = [];
  const entries = new Map<string, DirectoryEntry>();
  for (const c of cycles) {
    const list = c.year === year ? offices : await deps.repo.listOffices(c.year);
    years.push({ year: c.year, offices: list.length, published: list.filter((o) => o.publishedSubmissionId).length });
    const t = c.year === year ? totals : await readPublicJson<YearTotals>(deps, sitePaths.yearTotals(c.year));
    if (t) allTotals.push(t);
    if (c.year !== year) {
      const stored = await readPublicJson<{ rows: WideRow[] }>(deps, sitePaths.yearRows(c.year));
      const old = stored ? null : await readPublicJson<OpenData>(deps, sitePaths.openDataJson(c.year));
      rows.push(...(stored?.rows ?? (old ? wideRows([old]) : [])));
    }
    for (const o of list.filter((x) => x.publishedSubmissionId)) {
      const e = entries.get(o.id) ?? { officeId: o.id, years: [] };
      e.years.push({ year: c.year, name: o.name, group: c.groups.find((g) => g.id === o.group)?.name ?? null });
      entries.set(o.id, e);
    }
  }
  const previous = allTotals.find((t) => t.year === year - 1) ?? null;
  const search = searchUrl(deps);
  written.push(
    await putPage(deps, sitePaths.yearIndex(year), renderYearIndex(year, publics, { generatedAt: now, unpublished, aggregate, totals: { current: totals, previous }, searchUrl: search }), HTML),
    await putPage(deps, sitePaths.openDataJson(year), openDataJsonOf(data), JSON_TYPE),
    await putPage(deps, sitePaths.openDataCsv(year), openDataCsv(year, inputs, agg), CSV_TYPE),
    await putPage(deps, sitePaths.topIndex(), renderTopIndex(years, { generatedAt: now, totals: allTotals, searchUrl: search }), HTML),
    await putPage(deps, sitePaths.directory(), renderDirectory([...entries.values()], { generatedAt: now }), HTML),
    await putPage(deps, sitePaths.searchIndex(), searchIndexJson([...entries.values()]), JSON_TYPE),
  );
  rows.push(...yearRows);
  rows.sort((a, b) => a.year - b.year);
  const csv = wideCsv(rows);
  if ((await readPublic(deps, sitePaths.wideCsv())) !== csv) {
    written.push(
      await putPage(deps, sitePaths.wideXlsx(), wideXlsx(rows), XLSX_TYPE),
      await putPage(deps, sitePaths.wideCsv(), csv, CSV_TYPE),
      await putPage(deps, sitePaths.dictionaryCsv(), dictionaryCsv(), CSV_TYPE),
    );
  }
  if (cascade && totalsWritten && cycles.some((c) => c.year === year + 1)) written.push(...(await regenerateYearPages(deps, year + 1, false)));
  return written;
}
