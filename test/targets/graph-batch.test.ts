import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RemoteEvent } from '../../server/targets/calendar-target.ts';
import { computeRetryDelayMs } from '../../server/targets/graph/graph-sender.ts';
import { nextTransactionId, sampleEvent } from '../contract/calendar-target-contract.ts';
import { startGraphWorld } from './graph-world.ts';
import type { GraphWorld } from './graph-world.ts';

/**
 * JSON batching inside the Graph target, against the emulator with Outlook's real limits
 * (4 concurrent per app and mailbox, each batch item counted on its own, 4 items of a batch at once).
 */

const ANNA = 'anna.batch@firma.pl';
const JAN = 'jan.batch@firma.pl';
const PIOTR = 'piotr.batch@firma.pl';

let world: GraphWorld;
let appId: string;
let sleeps: number[];
/** Waits a twentieth of what the target asks, so a Retry-After of 1 s costs 50 ms here. */
const fastSleep = (ms: number) => {
  sleeps.push(ms);
  return new Promise<void>((resolve) => setTimeout(resolve, ms / 20));
};

before(async () => {
  world = await startGraphWorld([ANNA, JAN, PIOTR]);
  const token = await world.tokenSource.getToken(ANNA);
  const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as { appid?: string; azp?: string };
  appId = claims.appid ?? claims.azp ?? '';
});
after(() => world.close());
beforeEach(() => {
  sleeps = [];
  world.graph.clearFaults();
  world.graph.setLimits({ concurrentPerMailbox: 4, retryAfterSeconds: 1 });
  world.graph.setLatency(0);
});

async function setUp(mailbox: string, calendarName: string) {
  const target = world.makeTarget({ sleep: fastSleep, random: () => 0.5 });
  const calendarId = await target.ensureCalendar(mailbox, calendarName);
  const logStart = world.graph.requestLog.length;
  const requestsStart = target.stats.requests;
  return {
    target,
    calendarId,
    log: () => world.graph.requestLog.slice(logStart),
    requests: () => target.stats.requests - requestsStart,
  };
}

/** Samples the emulator's in-flight count per mailbox every millisecond while `work` runs. */
async function watchInFlight<T>(mailboxes: readonly string[], work: () => Promise<T>): Promise<{ value: T; max: Map<string, number>; overlapped: boolean }> {
  const max = new Map(mailboxes.map((m) => [m, 0]));
  let overlapped = false;
  const timer = setInterval(() => {
    const now = mailboxes.map((m) => world.graph.inFlight(appId, m));
    now.forEach((n, i) => max.set(mailboxes[i], Math.max(max.get(mailboxes[i]) ?? 0, n)));
    if (now.filter((n) => n > 0).length > 1) overlapped = true;
  }, 1);
  try {
    return { value: await work(), max, overlapped };
  } finally {
    clearInterval(timer);
  }
}

function createMany(target: ReturnType<GraphWorld['makeTarget']>, mailbox: string, calendarId: string, prefix: string, count: number): Promise<RemoteEvent[]> {
  return Promise.all(
    Array.from({ length: count }, (_, i) =>
      target.createEvent(mailbox, calendarId, `${prefix}:${i}`, sampleEvent({ subject: `${prefix} ${i}` }), nextTransactionId()),
    ),
  );
}

describe('Graph target: writes coalesced into $batch', () => {
  it('40 concurrent creates in one mailbox take 2 batch requests, and each call gets its own event', async () => {
    const { target, calendarId, log, requests } = await setUp(ANNA, 'Paczki');
    world.graph.setLatency(5);
    const created = await createMany(target, ANNA, calendarId, 'paczka', 40);
    const http = log().filter((e) => !e.viaBatch);
    assert.deepEqual(http.map((e) => `${e.method} ${e.path} ${e.status}`), ['POST /$batch 200', 'POST /$batch 200']);
    assert.equal(requests(), 2, 'the target counts HTTP requests: one per batch');
    assert.equal(log().filter((e) => e.viaBatch && e.method === 'POST' && e.status === 201).length, 40);
    const stored = world.graph.listEvents(ANNA, 'Paczki');
    assert.equal(stored.length, 40);
    created.forEach((event, i) => {
      const match = stored.find((s) => s.id === event.remoteId);
      assert.ok(match, `call ${i} got an id that exists`);
      assert.equal(match.subject, `paczka ${i}`, `call ${i} got its own event, not a neighbour's`);
      assert.equal(event.sourceKey, `paczka:${i}`);
      assert.equal(event.subject, `paczka ${i}`);
    });
  });

  it('updates and deletes issued together settle their own calls; an event already gone is fine', async () => {
    const { target, calendarId, log } = await setUp(ANNA, 'Mieszane');
    const created = await createMany(target, ANNA, calendarId, 'mix', 6);
    const before = log().length;
    world.graph.deleteEventAsUser(ANNA, created[5].remoteId);
    const results = await Promise.all([
      ...created.slice(0, 3).map((e, i) => target.updateEvent(ANNA, e.remoteId, sampleEvent({ subject: `zmienione ${i}` }))),
      ...created.slice(3).map((e) => target.deleteEvent(ANNA, e.remoteId)),
    ]);
    const batchHttp = log().slice(before).filter((e) => !e.viaBatch);
    assert.deepEqual(batchHttp.map((e) => e.path), ['/$batch'], 'six writes, one request');
    results.slice(0, 3).forEach((r, i) => assert.equal((r as RemoteEvent).subject, `zmienione ${i}`));
    const stored = world.graph.listEvents(ANNA, 'Mieszane');
    assert.deepEqual(stored.map((s) => s.subject).sort(), ['zmienione 0', 'zmienione 1', 'zmienione 2']);
  });

  it('mailboxes go in parallel, never more than 4 requests in flight in one, and no 429 at the real limits', async () => {
    const a = await setUp(ANNA, 'Równolegle');
    const calendarJan = await a.target.ensureCalendar(JAN, 'Równolegle');
    world.graph.setLatency(10);
    const { max, overlapped } = await watchInFlight([ANNA, JAN], () =>
      Promise.all([createMany(a.target, ANNA, a.calendarId, 'rown-a', 60), createMany(a.target, JAN, calendarJan, 'rown-j', 60)]),
    );
    assert.ok((max.get(ANNA) ?? 0) <= 4 && (max.get(JAN) ?? 0) <= 4, `in flight: ${JSON.stringify([...max])}`);
    assert.equal(max.get(ANNA), 4, 'the mailbox limit is used, not left idle');
    assert.ok(overlapped, 'both mailboxes were written at the same time');
    assert.equal(a.log().filter((e) => e.status === 429).length, 0);
    assert.deepEqual(sleeps, []);
    assert.equal(world.graph.listEvents(ANNA, 'Równolegle').length, 60);
    assert.equal(world.graph.listEvents(JAN, 'Równolegle').length, 60);
  });
});

describe('Graph target: batch items that fail are retried on their own', () => {
  it('items answered 429 wait their Retry-After (with jitter) and are sent again; the rest are not', async () => {
    const { target, calendarId, log } = await setUp(ANNA, 'Elementy429');
    world.graph.injectFault({ kind: 'status', status: 429, retryAfterSeconds: 2, method: 'POST', pathIncludes: '/events', times: 3 });
    const created = await createMany(target, ANNA, calendarId, 'el429', 10);
    // The retried items may leave together or one by one, as their timers fire.
    const posts = log().filter((e) => e.method === 'POST' && e.path.endsWith('/events'));
    assert.equal(posts.filter((e) => e.status === 429).length, 3);
    assert.equal(posts.filter((e) => e.status === 201).length, 10, 'every create stored once; none re-sent after success');
    assert.equal(sleeps.length, 3);
    for (const ms of sleeps) assert.ok(ms >= 2000 && ms <= 2400, `Retry-After 2 s waited as ${ms} ms`);
    assert.equal(world.graph.listEvents(ANNA, 'Elementy429').length, 10);
    assert.equal(new Set(created.map((e) => e.remoteId)).size, 10);
  });

  it('a 503 item of an update is retried with back-off; a 503 create is looked up before it is sent again', async () => {
    const { target, calendarId, log } = await setUp(ANNA, 'Elementy503');
    const [first] = await createMany(target, ANNA, calendarId, 'el503-pierwsze', 1);
    const before = log().length;
    world.graph.injectFault({ kind: 'status', status: 503, method: 'PATCH', pathIncludes: '/events' });
    world.graph.injectFault({ kind: 'status', status: 503, method: 'POST', pathIncludes: '/events' });
    const [updated, ...created] = await Promise.all([
      target.updateEvent(ANNA, first.remoteId, sampleEvent({ subject: 'po awarii' })),
      ...Array.from({ length: 3 }, (_, i) => target.createEvent(ANNA, calendarId, `el503:${i}`, sampleEvent(), nextTransactionId())),
    ]);
    assert.equal(updated.subject, 'po awarii');
    const after = log().slice(before);
    assert.equal(after.filter((e) => e.method === 'GET').length, 1, 'one stamp lookup, for the create whose outcome was unknown');
    assert.equal(after.filter((e) => e.method === 'PATCH').map((e) => e.status).join(), '503,200');
    assert.equal(world.graph.listEvents(ANNA, 'Elementy503').length, 4, 'one event per create, no duplicate');
    assert.equal(new Set(created.map((e) => e.remoteId)).size, 3);
  });

  it('a 500 item of a delete is retried; the other deletes of the batch are not repeated', async () => {
    const { target, calendarId, log } = await setUp(ANNA, 'Elementy500');
    const created = await createMany(target, ANNA, calendarId, 'el500', 5);
    const before = log().length;
    world.graph.injectFault({ kind: 'status', status: 500, method: 'DELETE', pathIncludes: '/events' });
    await Promise.all(created.map((e) => target.deleteEvent(ANNA, e.remoteId)));
    const deletes = log().slice(before).filter((e) => e.method === 'DELETE');
    assert.deepEqual(deletes.map((e) => e.status).sort(), [204, 204, 204, 204, 204, 500]);
    assert.equal(sleeps.length, 1, 'one back-off');
    assert.equal(world.graph.listEvents(ANNA, 'Elementy500').length, 0);
  });

  it('a batch response lost after Graph stored the creates leaves exactly one event per create', async () => {
    const { target, calendarId, log } = await setUp(ANNA, 'ZgubionaPaczka');
    world.graph.injectFault({ kind: 'drop-response-after-store', method: 'POST', pathIncludes: '/events' });
    const created = await createMany(target, ANNA, calendarId, 'zgubiona', 8);
    const stored = world.graph.listEvents(ANNA, 'ZgubionaPaczka');
    assert.equal(stored.length, 8, 'no create repeated blindly');
    created.forEach((event, i) => assert.equal(stored.find((s) => s.id === event.remoteId)?.subject, `zgubiona ${i}`, `call ${i} adopted its own event`));
    assert.deepEqual(created.map((e) => e.sourceKey), Array.from({ length: 8 }, (_, i) => `zgubiona:${i}`));
    assert.equal(log().filter((e) => e.viaBatch && e.method === 'POST').length, 8, 'each create was posted once');
    assert.equal(log().filter((e) => e.method === 'GET' && e.status === 200).length, 8, 'each was found by its stamp');
    assert.ok(log().filter((e) => e.method === 'GET').every((e) => e.viaBatch), 'the lookups travelled in a batch too');
    assert.equal(log().filter((e) => e.path === '/$batch').length, 2, 'the lost batch and one batch of lookups');
  });
});

describe('Graph target: a throttling storm', () => {
  it('a mailbox that allows only 2 at once: every event is written once, the target backs down to 2', async () => {
    const { target, calendarId, log } = await setUp(PIOTR, 'Burza');
    world.graph.setLimits({ concurrentPerMailbox: 2 });
    world.graph.setLatency(5);
    const { value: created, max } = await watchInFlight([PIOTR], () => createMany(target, PIOTR, calendarId, 'burza', 80));
    assert.ok((max.get(PIOTR) ?? 0) <= 2);
    const stored = world.graph.listEvents(PIOTR, 'Burza');
    assert.equal(stored.length, 80, 'every event, none twice');
    assert.equal(new Set(created.map((e) => e.remoteId)).size, 80);
    const throttled = log().filter((e) => e.status === 429).length;
    assert.ok(throttled > 0, 'the storm happened');
    assert.ok(throttled < 40, `the target adapted instead of hammering (${throttled} items throttled for 80 creates)`);
    for (const ms of sleeps) assert.ok(ms >= 1000, 'Retry-After obeyed');
  });
});

describe('computeRetryDelayMs', () => {
  it('adds at most a fifth (≤ 1 s) of jitter to Retry-After, and backs off exponentially without it', () => {
    assert.equal(computeRetryDelayMs(0, 5000, () => 0), 5000);
    assert.equal(computeRetryDelayMs(0, 5000, () => 1), 6000);
    assert.equal(computeRetryDelayMs(0, 1000, () => 1), 1200);
    assert.equal(computeRetryDelayMs(3, 10_000, () => 0.999), 10_999);
    assert.deepEqual([0, 1, 2].map((a) => computeRetryDelayMs(a, null, () => 0)), [500, 1000, 2000]);
    assert.equal(computeRetryDelayMs(10, null, () => 1), 60_000);
  });
});
