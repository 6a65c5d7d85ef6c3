/**
 * The 本级 report of a cycle (use case): every office's counted report (its published version, or — if the
 * coordinator chooses — its accepted one) read from the parsed JSON, summed by shared/report/aggregate with
 * coverage (missing, rejected, late), and compared with the previous cycle's aggregate when that cycle
 * exists. The files (.json, .docx, .pdf) are rendered on request. Pure domain over the ports.
 */
import { mapLimited } from '../common/map-limited';
import { aggregate, looksLikeUmbrella, type AggregateEntry, type AggregateResult } from '../report/aggregate';
import { summaryNotes } from '../report/aggregate/narrative';
import type { Report } from '../report/model';
import type { CycleDeps } from '../cycle/deps';
import { PUBLIC_PREFIX } from '../resources';
import { notFound } from '../cycle/errors';
import type { Office } from '../cycle/model';
import { parsedStore, previousReport } from '../cycle/processing';
import { deadlineOf } from '../cycle/lookup';

export interface CycleAggregateOptions {
  /** Count accepted reports that are not yet published (default: published versions only). */
  includeAccepted?: boolean;
  /** The 本级 government's name for the title; default "本级政府". */
  name?: string;
  /** Office ids whose report already covers the others (besides names ending 人民政府办公室). */
  umbrella?: string[];
}

async function parsedReport(deps: CycleDeps, key: string | null): Promise<Report | null> {
  if (!key) return null;
  const obj = await parsedStore(deps).get(key);
  if (!obj) return null;
  try {
    return JSON.parse(Buffer.from(obj.bytes).toString('utf8')) as Report;
  } catch {
    return null;
  }
}

async function entryOf(deps: CycleDeps, office: Office, deadline: string, now: Date, options: CycleAggregateOptions): Promise<AggregateEntry> {
  const base = {
    office: office.name,
    officeId: office.id,
    group: office.group,
    status: office.status,
    umbrella: (options.umbrella ?? []).includes(office.id) || looksLikeUmbrella(office.name),
  };
  // The published version counts, also while an amendment is being checked; else an accepted one.
  const basis = office.publishedSubmissionId ? 'published' : office.status === 'ACCEPTED' && office.currentSubmissionId ? 'accepted' : null;
  const id = basis === 'published' ? office.publishedSubmissionId : basis === 'accepted' ? office.currentSubmissionId : null;
  const sub = id ? await deps.repo.getSubmission(office.year, office.id, id) : null;
  const report = sub ? await parsedReport(deps, sub.parsedKey) : null;
  const overdue = Date.parse(deadline) < now.getTime();
  if (!basis || !sub || !report) {
    const latest = office.currentReceivedAt;
    const late = latest ? Date.parse(latest) > Date.parse(deadline) : overdue;
    return { ...base, basis: null, report: null, late, ...(basis && !report ? { problem: '找不到该版本的解析数据' } : {}) };
  }
  return {
    ...base,
    basis,
    report,
    submissionId: sub.id,
    publishedVersion: sub.publishedVersion ?? null,
    late: Date.parse(sub.receivedAt) > Date.parse(deadline),
    // last year's published report of the same office, for the signals (jumps, copied tables)
    previous: await previousReport(deps, office.year - 1, office.id).catch(() => null),
  };
}

async function aggregateYear(deps: CycleDeps, year: number, options: CycleAggregateOptions, previous: Report | null): Promise<AggregateResult | null> {
  const cycle = await deps.repo.getCycle(year);
  if (!cycle) return null;
  const offices = (await deps.repo.listOffices(year)).sort((a, b) => a.id.localeCompare(b.id));
  const now = deps.clock.now();
  const entries = await mapLimited(offices, 8, (o) => entryOf(deps, o, deadlineOf(cycle, o), now, options));
  return aggregate(entries, { year, includeAccepted: options.includeAccepted, name: options.name, previous });
}

export async function cycleAggregate(deps: CycleDeps, year: number, options: CycleAggregateOptions = {}): Promise<AggregateResult> {
  // The previous cycle's aggregate, when that cycle exists in the system: the same choice of versions.
  const prev = await aggregateYear(deps, year - 1, options, null);
  const result = await aggregateYear(deps, year, options, prev && prev.included.length ? prev.report : null);
  if (!result) throw notFound(`${year}年度尚未创建`);
  return result;
}

export type AggregateFormat = 'json' | 'docx' | 'pdf';

export interface AggregateFile {
  contentType: string;
  fileName: string;
  body: Buffer;
}

/** The aggregate as a download: the JSON object of `nianbao aggregate --json`, the Word file or the PDF. */
export async function cycleAggregateFile(deps: CycleDeps, year: number, format: AggregateFormat, options: CycleAggregateOptions = {}): Promise<AggregateFile> {
  return aggregateFileOf(await cycleAggregate(deps, year, options), year, format);
}

/** One computed aggregate as a file. */
export async function aggregateFileOf(result: AggregateResult, year: number, format: AggregateFormat): Promise<AggregateFile> {
  const base = `${result.report.office ?? '本级政府'}${year}年政府信息公开工作年度报告（汇总）`;
  if (format === 'json') {
    const { report, included, missing, incomplete, findings, ...rest } = result;
    return {
      contentType: 'application/json; charset=utf-8',
      fileName: `${base}.json`,
      body: Buffer.from(JSON.stringify({ report, included, missing, incomplete, findings, ...rest }, null, 2)),
    };
  }
  /* eslint-disable @typescript-eslint/no-require-imports */
  // The writers load on the first download: the API function starts without them.
  if (format === 'docx') {
    const { renderDocx } = require('../render/docx') as typeof import('../render/docx');
    return {
      contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      fileName: `${base}.docx`,
      body: await renderDocx(result.report, { notesAfterTables: true, appendix: { heading: '附：汇总说明', paragraphs: summaryNotes(result) } }),
    };
  }
  const { renderPdf } = require('../render/pdf') as typeof import('../render/pdf');
  /* eslint-enable @typescript-eslint/no-require-imports */
  return { contentType: 'application/pdf', fileName: `${base}.pdf`, body: await renderPdf(result.report) };
}

/**
 * Publishes the 本级 report in the public record: PDF, Word and the canonical JSON under
 * public/{year}/_aggregate/v{n}/ (immutable: a new publication is a new version), then the year index links the
 * latest. Run by the archive function (it may write public/). Idempotent: when the sums equal the latest
 * published version's, nothing new is written (a repeated invocation makes no second version).
 */
export async function publishAggregate(
  deps: CycleDeps,
  year: number,
  options: CycleAggregateOptions = {},
): Promise<{ version: number; created: boolean; written: string[] }> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { latestAggregate, refreshYearPages } = require('./archive') as typeof import('./archive');
  const { sitePaths } = require('../common/site') as typeof import('../common/site');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const store = deps.archive;
  if (!store) throw new Error('archive store not configured');
  const result = await cycleAggregate(deps, year, options);
  const json = JSON.stringify(result.report, null, 2);
  const latest = await latestAggregate(deps, year);
  if (latest) {
    const prev = await store.get(`${PUBLIC_PREFIX}${latest.files.json}`);
    if (prev && Buffer.from(prev.bytes).toString('utf8') === json) return { version: latest.version, created: false, written: [] };
  }
  const version = (latest?.version ?? 0) + 1;
  const written: string[] = [];
  // report.json last: its presence marks a complete version (latestAggregate looks for it).
  for (const format of ['docx', 'pdf', 'json'] as const) {
    const file = format === 'json' ? { body: Buffer.from(json), contentType: 'application/json; charset=utf-8' } : await aggregateFileOf(result, year, format);
    const key = `${PUBLIC_PREFIX}${sitePaths.aggregate(year, version, format)}`;
    await store.put(key, file.body, file.contentType);
    written.push(key);
  }
  written.push(...(await refreshYearPages(deps, year)));
  return { version, created: true, written };
}
