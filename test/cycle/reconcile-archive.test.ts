/**
 * A failed archive step (issue 13.4): the office is PUBLISHED but its public files were never (or only partly)
 * written, e.g. the archive invocation failed three times and sits in the dead-letter queue. The daily sweep
 * finds it through the byStatus index (Queries, never a Scan) and requests the archive step again; running
 * that step completes the public record. A complete archive is left alone.
 */
import { archiveSubmission } from '../../shared/publishing/archive';
import { processSubmission } from '../../shared/cycle/processing';
import { reconcile } from '../../shared/cycle/reconcile';
import { publishOffice } from '../../shared/cycle/service';
import { seeded, upload } from './helpers';

const HOUR = 3600_000;

test('a PUBLISHED office whose archive step never ran: found, archived again, then left alone', async () => {
  const w = await seeded();
  const byStatus: string[] = [];
  const orig = w.repo.listOfficesByStatus.bind(w.repo);
  w.repo.listOfficesByStatus = async (year, status) => (byStatus.push(status), orig(year, status));

  await processSubmission(w.deps, upload(w, 'fagai', 'OK'));
  await publishOffice(w.deps, 2026, 'fagai');
  // The archive step requested by the publication failed for good: nothing public.
  expect((await w.repo.getOffice(2026, 'fagai'))?.status).toBe('PUBLISHED');
  expect([...w.archive.objects.keys()].filter((k) => k.startsWith('public/'))).toEqual([]);
  const requested = w.archived.length;

  w.clock.advance(HOUR);
  const run = await reconcile(w.deps, w.clock.now());
  expect(run.archives).toEqual([{ year: 2026, officeId: 'fagai', submissionId: expect.any(String), missing: ['version'] }]);
  expect(w.archived.length).toBe(requested + 1);
  // Found through the byStatus index (a Query per status in the DynamoDB repository), not a listing of all offices.
  expect(byStatus).toEqual(['PUBLISHED']);

  // The archive function runs the requested step: the public record is complete, the next sweep does nothing.
  await archiveSubmission(w.deps, w.archived.at(-1)!);
  expect(w.archive.objects.has('public/2026/fagai/v1/report.pdf')).toBe(true);
  w.clock.advance(HOUR);
  expect((await reconcile(w.deps, w.clock.now())).archives).toEqual([]);
  expect(w.archived.length).toBe(requested + 1);
});

test('a version whose files were only partly written (the step died after the version number) is finished', async () => {
  const w = await seeded({}, true);
  await processSubmission(w.deps, upload(w, 'fagai', 'OK'));
  await archiveSubmission(w.deps, w.archived[0]);
  // Lost: the PDF and the office page (a crash mid-step).
  w.archive.objects.delete('public/2026/fagai/v1/report.pdf');
  w.archive.objects.delete('public/2026/fagai/index.html');
  w.clock.advance(HOUR);
  const run = await reconcile(w.deps, w.clock.now());
  expect(run.archives).toEqual([
    { year: 2026, officeId: 'fagai', submissionId: w.archived[0].submissionId, missing: ['public/2026/fagai/v1/report.pdf', 'public/2026/fagai/index.html'] },
  ]);
  await archiveSubmission(w.deps, w.archived.at(-1)!);
  expect(w.archive.objects.has('public/2026/fagai/v1/report.pdf')).toBe(true);
  expect(w.archive.objects.has('public/2026/fagai/index.html')).toBe(true);
});

test('auto-publish: an ACCEPTED office whose archive step never ran is published by the sweep; a recent one is left to its step', async () => {
  const w = await seeded({}, true);
  await processSubmission(w.deps, upload(w, 'fagai', 'OK'));
  expect((await w.repo.getOffice(2026, 'fagai'))?.status).toBe('ACCEPTED');
  // Moments later: probably still running.
  expect((await reconcile(w.deps, w.clock.now(), { minAgeMs: 600_000 })).archives).toEqual([]);
  w.clock.advance(HOUR);
  const run = await reconcile(w.deps, w.clock.now());
  expect(run.archives.map((a) => [a.officeId, a.missing])).toEqual([['fagai', ['publication']]]);
  await archiveSubmission(w.deps, w.archived.at(-1)!);
  expect((await w.repo.getOffice(2026, 'fagai'))?.status).toBe('PUBLISHED');
  w.clock.advance(HOUR);
  expect((await reconcile(w.deps, w.clock.now())).archives).toEqual([]);
});

test('without auto-publish an ACCEPTED office is waiting for the coordinator: nothing to finish', async () => {
  const w = await seeded();
  await processSubmission(w.deps, upload(w, 'fagai', 'OK'));
  w.clock.advance(HOUR);
  expect((await reconcile(w.deps, w.clock.now())).archives).toEqual([]);
});
