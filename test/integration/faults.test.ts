/**
 * Outages mid-cycle, on a runtime of its own (DynamoDB Local keeps its data on disk, as DynamoDB does, so a
 * killed JVM restarted on the same port still has the cycle). Uploads made while DynamoDB is down are
 * stored by S3 but cannot be processed: the handler fails loudly, the local router retries it like Lambda's
 * asynchronous invocation and parks the event in the dead-letter file. While S3 is down too, replays and
 * the sweep fail loudly again. Once both are back, the reconciliation sweep finds every object without a
 * recorded outcome and processes it. Counted: N uploads in, N outcomes out, none lost, none doubled.
 */
import { pidAlive } from '../../local/ports';
import { readFileSync } from 'node:fs';
import type { LocalClient } from '../../local/client';
import { cleanReportFor, defectiveReportFor } from '../../local/fixtures';
import { figure } from '../figures';
import { officeView, setupCycle, startOwnRuntime } from './helpers';

const YEAR = 2020;
const N = 10;
const OFFICES = Array.from({ length: N }, (_, i) => ({ id: `ft-${i}`, name: `青峰区故障测试局${i}`, email: `ft-${i}@example.gov.cn` }));
// Every third report is defective: the sweep must reach the right verdict, not just any.
const bodyFor = (i: number) => (i % 3 === 0 ? defectiveReportFor(OFFICES[i].name) : cleanReportFor(OFFICES[i].name));
const expected = (i: number) => (i % 3 === 0 ? 'REJECTED' : 'ACCEPTED');

let own: Awaited<ReturnType<typeof startOwnRuntime>>;
let c: LocalClient;
let tokens: Record<string, string>;
const keys: string[] = [];

beforeAll(async () => {
  own = await startOwnRuntime({ dynamoOnDisk: true });
  c = own.client;
  tokens = await setupCycle(c, YEAR, OFFICES);
}, 120_000);
afterAll(async () => {
  const survivors = await own?.stop();
  expect(survivors).toEqual([]);
}, 60_000);

const receipts = async (email: string) => (await c.mails()).filter((m) => m.destination.to.includes(email));

describe('DynamoDB killed mid-cycle, then S3, then both back', () => {
  it('while DynamoDB is down: uploads are stored, their processing fails loudly and is dead-lettered after the retries', async () => {
    // Tickets first (issuing one needs the table), as offices holding an upload form when the outage starts.
    const tickets = [];
    for (const o of OFFICES) tickets.push((await c.requestUpload(YEAR, o.id, tokens[o.id], `${o.id}.txt`)).body);

    const pid = c.endpoints.pids.dynamodb;
    process.kill(pid, 'SIGKILL');
    for (const end = Date.now() + 10_000; pidAlive(pid); ) {
      if (Date.now() > end) throw new Error('DynamoDB Local survived SIGKILL');
      await new Promise((r) => setTimeout(r, 50));
    }

    // The API answers 500 (no made-up data); S3 still takes the uploads.
    const down = await c.api('GET', `/cycles/${YEAR}/offices/${OFFICES[0].id}`, { token: c.coordinator });
    expect(down.status).toBe(500);
    const posted = await Promise.all(tickets.map((t, i) => c.postUpload(t, bodyFor(i), `${OFFICES[i].id}.txt`)));
    expect(posted.map((p) => p.status)).toEqual(Array(N).fill(204));
    keys.push(...tickets.map((t) => t.key));

    const state = await c.idle();
    // Each event: the first attempt and Lambda's two retries, all failed, then parked.
    expect(state.lambda.failures).toBeGreaterThanOrEqual(3 * N);
    const letters = await c.deadLetters();
    expect(letters).toHaveLength(N);
    for (const l of letters) {
      expect(l.function).toBe('process-submission');
      expect(l.attempts).toBe(3);
      expect(l.errors.join()).toMatch(/ECONNREFUSED|connect|socket|Timeout/i);
    }
    expect((await c.listKeys(c.endpoints.buckets.incoming, `incoming/${YEAR}/ft-`)).sort()).toEqual([...keys].sort());
    expect(await c.mails()).toHaveLength(0);
    figure('outage-dynamodb', { uploads: N, stored: keys.length, failedAttempts: state.lambda.failures, retries: state.lambda.retries, deadLetters: letters.length, apiStatusWhileDown: down.status, sampleError: letters[0].errors[0] });
  });

  it('DynamoDB restarted on the same port keeps its data; nothing was recorded for the uploads', async () => {
    const t0 = Date.now();
    const restarted = await c.local('POST', '/_local/faults/dynamodb/restart', {});
    figure('restart-dynamodb', { ms: Date.now() - t0 });
    expect(restarted.status).toBe(200);
    expect(restarted.body.pid).not.toBe(c.endpoints.pids.dynamodb);
    for (const o of OFFICES) {
      const view = await officeView(c, YEAR, o.id);
      expect([o.id, view.office.status, view.submissions]).toEqual([o.id, 'NOT_SUBMITTED', []]);
    }
  });

  it('while S3 is down: a replay of the dead letters and the sweep fail loudly again; new uploads are refused', async () => {
    await c.local('POST', '/_local/faults/s3/crash', {});
    // An office trying to upload now gets an error, not a silent success.
    const ticket = (await c.requestUpload(YEAR, OFFICES[0].id, tokens[OFFICES[0].id], 'retry.txt')).body;
    await expect(c.postUpload(ticket, bodyFor(0), 'retry.txt')).rejects.toThrow();

    expect(await c.replayDeadLetters()).toBe(N);
    await c.idle();
    const letters = await c.deadLetters();
    expect(letters).toHaveLength(N);
    for (const l of letters) expect(l.attempts).toBe(3);

    const sweep = await c.reconcile({ year: YEAR, minAgeSeconds: 0 });
    expect(sweep.status).toBe(500);
    expect(sweep.body.errorMessage).toMatch(/ECONNREFUSED|connect|socket/i);
    figure('outage-s3', { replayed: N, deadLettersAgain: letters.length, sweepStatus: sweep.status, sweepError: String(sweep.body.errorMessage).slice(0, 160) });
    for (const o of OFFICES.slice(0, 3)) expect((await officeView(c, YEAR, o.id)).office.status).toBe('NOT_SUBMITTED');
  });

  it('both back: the sweep processes all N uploads; a late replay of the dead letters changes nothing', async () => {
    await c.local('POST', '/_local/faults/s3/restart', {});
    // The originals survived the S3 restart.
    expect((await c.listKeys(c.endpoints.buckets.incoming, `incoming/${YEAR}/ft-`)).sort()).toEqual([...keys].sort());

    const sweep = await c.reconcile({ year: YEAR, minAgeSeconds: 0 });
    if (sweep.status !== 200) throw new Error(`sweep failed: ${sweep.body.errorMessage}\n${readFileSync(own.logFile, 'utf8').slice(-4000)}`);
    expect(sweep.body).toMatchObject({ objects: N, recorded: 0, failed: [] });
    expect(sweep.body.processed).toHaveLength(N);
    await c.idle();

    const outcomes = [];
    for (const [i, o] of OFFICES.entries()) {
      const view = await officeView(c, YEAR, o.id);
      expect([o.id, view.office.status]).toEqual([o.id, expected(i)]);
      expect(view.submissions).toHaveLength(1);
      expect(view.submissions[0]).toMatchObject({ state: 'done', current: true, fileName: `${o.id}.txt` });
      outcomes.push(view.submissions[0]);
      expect(await receipts(o.email)).toHaveLength(1);
    }
    // N uploads in, N recorded outcomes, 0 lost.
    expect(outcomes).toHaveLength(N);
    figure('recovery', {
      uploads: N,
      sweepProcessed: sweep.body.processed.length,
      recordedOutcomes: outcomes.length,
      accepted: outcomes.filter((o) => o.verdict === 'accepted').length,
      rejected: outcomes.filter((o) => o.verdict === 'rejected').length,
      receipts: (await c.mails()).length,
      lost: N - outcomes.length,
    });

    // The parked events come back later (an operator redrives the queue): same submissions, nothing new.
    const auditBefore = await Promise.all(OFFICES.map((o) => c.audit(YEAR, o.id)));
    expect(await c.replayDeadLetters()).toBe(N);
    await c.idle();
    expect(await c.deadLetters()).toEqual([]);
    for (const [i, o] of OFFICES.entries()) {
      expect((await c.audit(YEAR, o.id)).length).toBe(auditBefore[i].length);
      expect(await receipts(o.email)).toHaveLength(1);
    }
    // And the next sweep finds everything recorded.
    const again = await c.reconcile({ year: YEAR, minAgeSeconds: 0 });
    expect(again.body).toMatchObject({ objects: N, recorded: N, processed: [], failed: [] });
  });
});
