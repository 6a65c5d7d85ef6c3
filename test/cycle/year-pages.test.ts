import { archiveSubmission } from '../../shared/publishing/archive';
import { processSubmission } from '../../shared/cycle/processing';
import { seeded, upload, type World } from './helpers';

const SLOT = 300;
const YEAR_INDEX = 'public/2026/index.html';

/** Both offices uploaded and accepted (auto-publish); the test clock stands 100 ms into a slot. */
async function twoAccepted(): Promise<World & { yearIndexWrites: () => number }> {
  const w = await seeded({ pagesSlotMs: SLOT }, true);
  await processSubmission(w.deps, upload(w, 'fagai', 'OK'));
  await processSubmission(w.deps, upload(w, 'jincheng', 'OK'));
  w.clock.t = Math.floor(w.clock.t / SLOT) * SLOT + 100;
  const put = w.archive.put.bind(w.archive);
  let writes = 0;
  w.archive.put = async (key, body, type) => {
    if (key === YEAR_INDEX) writes++;
    return put(key, body, type);
  };
  return Object.assign(w, { yearIndexWrites: () => writes });
}

describe('year pages: regenerated once per slot, after every change of the slot', () => {
  test('six concurrent archive steps in one slot: one regeneration that shows both publications', async () => {
    const w = await twoAccepted();
    const outcomes = await Promise.all([...w.archived, ...w.archived, ...w.archived].map((ref) => archiveSubmission(w.deps, ref)));
    expect(w.yearIndexWrites()).toBe(1);
    // Each office page is written by its own steps; the year index by exactly one of the six.
    const written = outcomes.flatMap((o) => (o.outcome === 'archived' ? o.written : []));
    expect(written.filter((k) => k === YEAR_INDEX)).toHaveLength(1);
    expect(written).toContain('public/2026/fagai/index.html');
    expect(written).toContain('public/2026/jincheng/index.html');
    const data = JSON.parse(Buffer.from(w.archive.objects.get('public/data/2026.json')!.bytes).toString('utf8'));
    expect(JSON.stringify(data)).toContain('发展和改革局');
    expect(JSON.stringify(data)).toContain('锦程街道办事处');
    // The slot's claim is gone: nothing piles up in the table.
    const slotEnd = Math.floor(w.clock.t / SLOT + 1) * SLOT;
    expect(await w.repo.isClaimed(`pages#2026#${slotEnd}`)).toBe(false);
  });

  test('a step in a later slot regenerates again', async () => {
    const w = await twoAccepted();
    await archiveSubmission(w.deps, w.archived[0]);
    w.clock.advance(SLOT);
    await archiveSubmission(w.deps, w.archived[1]);
    expect(w.yearIndexWrites()).toBe(2);
  });

  test('a failed regeneration releases the slot: the retried step regenerates', async () => {
    const w = await twoAccepted();
    const put = w.archive.put;
    let failOnce = true;
    w.archive.put = async (key, body, type) => {
      if (key === YEAR_INDEX && failOnce) {
        failOnce = false;
        throw new Error('S3 unavailable');
      }
      return put(key, body, type);
    };
    await expect(archiveSubmission(w.deps, w.archived[0])).rejects.toThrow('S3 unavailable');
    await archiveSubmission(w.deps, w.archived[0]);
    expect(w.yearIndexWrites()).toBe(1);
    expect(Buffer.from(w.archive.objects.get(YEAR_INDEX)!.bytes).toString('utf8')).toContain('发展和改革局');
  });
});
