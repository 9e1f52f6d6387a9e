import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LogEvent } from '../../server/domain/logger.ts';
import { STAMP_PROPERTY_ID } from '../../server/targets/graph/graph-event-fields.ts';
import { readRetryAfterMs } from '../../server/targets/graph/graph-sender.ts';
import { nextTransactionId, sampleEvent, targetErrorOf } from '../contract/calendar-target-contract.ts';
import { startGraphWorld } from './graph-world.ts';
import type { GraphWorld } from './graph-world.ts';

const ANNA = 'anna.nowak@firma.pl';
const OBCY = 'obcy@firma.pl';
const BEZ_LICENCJI = 'bez.licencji@firma.pl';

let world: GraphWorld;
let sleeps: number[];
const sleep = async (ms: number) => void sleeps.push(ms);

before(async () => {
  world = await startGraphWorld([ANNA, OBCY, BEZ_LICENCJI]);
  world.graph.setMailboxAccess(OBCY, 'forbidden');
  world.graph.setMailboxAccess(BEZ_LICENCJI, 'no-mailbox');
});
after(() => world.close());
beforeEach(() => {
  sleeps = [];
  world.graph.clearFaults();
});

/** A fresh target (own counters and cache) with a ready calendar, and the request log from here on. */
async function setUp(calendarName: string, options: Parameters<GraphWorld['makeTarget']>[0] = {}) {
  const target = world.makeTarget({ sleep, random: () => 0.5, ...options });
  const calendarId = await target.ensureCalendar(ANNA, calendarName);
  const logStart = world.graph.requestLog.length;
  const requestsStart = target.stats.requests;
  return {
    target,
    calendarId,
    sent: () => world.graph.requestLog.slice(logStart).map((e) => `${e.method} ${e.status}`),
    requests: () => target.stats.requests - requestsStart,
  };
}

describe('Graph target: what reaches the calendar', () => {
  it('writes every field, the stamp and the transactionId; returns the immutable id', async () => {
    const { target, calendarId } = await setUp('Pola');
    const tx = nextTransactionId();
    const created = await target.createEvent(ANNA, calendarId, 'serwis:zlecenie:77', sampleEvent({ categories: ['Serwis', 'Pilne'] }), tx);
    const [stored] = world.graph.listEvents(ANNA, 'Pola');
    assert.equal(stored.id, created.remoteId, 'the remote id is the immutable id');
    assert.notEqual(stored.regularId, created.remoteId);
    assert.equal(stored.subject, 'ZS/1/2026 – Kowalski, przegląd kotła');
    assert.match(stored.body.content, /<p>Przegląd kotła gazowego<\/p>/);
    assert.equal(stored.body.contentType, 'html');
    assert.deepEqual(stored.start, { dateTime: '2026-05-12T09:00:00', timeZone: 'Europe/Warsaw' });
    assert.equal(stored.location, 'ul. Długa 1, Kraków');
    assert.deepEqual(stored.categories, ['Serwis', 'Pilne']);
    assert.equal(stored.showAs, 'busy');
    assert.equal(stored.reminderMinutesBeforeStart, 30);
    assert.equal(stored.transactionId, tx);
    assert.equal(Object.values(stored.extendedProperties)[0], 'serwis:zlecenie:77');
    assert.equal(Object.keys(stored.extendedProperties)[0].toLowerCase(), STAMP_PROPERTY_ID.toLowerCase());
  });

  it('a new target instance finds the existing calendar instead of creating a second one', async () => {
    const first = await world.makeTarget().ensureCalendar(ANNA, 'Wspólny');
    const second = await world.makeTarget().ensureCalendar(ANNA, 'Wspólny');
    assert.equal(second, first);
    assert.equal(world.graph.calendars(ANNA).filter((c) => c.name === 'Wspólny').length, 1);
  });
});

describe('Graph target: request counts', () => {
  it('create, update and delete are one request each; a cached calendar costs none', async () => {
    const { target, calendarId, requests, sent } = await setUp('Liczenie');
    await target.ensureCalendar(ANNA, 'Liczenie');
    assert.equal(requests(), 0);
    const created = await target.createEvent(ANNA, calendarId, 'serwis:zlecenie:1', sampleEvent(), nextTransactionId());
    assert.equal(requests(), 1);
    await target.updateEvent(ANNA, created.remoteId, sampleEvent({ subject: 'Nowy temat' }));
    assert.equal(requests(), 2, 'an update is exactly one request');
    await target.deleteEvent(ANNA, created.remoteId);
    assert.equal(requests(), 3);
    assert.deepEqual(sent(), ['POST 201', 'PATCH 200', 'DELETE 204']);
  });

  it('listing 201 stamped events takes two pages', async () => {
    const { target, calendarId, requests } = await setUp('Strony');
    for (let i = 0; i < 201; i++) await target.createEvent(ANNA, calendarId, `k:${i}`, sampleEvent(), nextTransactionId());
    const before = requests();
    assert.equal((await target.listStampedEvents(ANNA, calendarId)).length, 201);
    assert.equal(requests() - before, 2);
  });
});

describe('Graph target: change keys for drift detection', () => {
  it('1001 stamped events take two pages (1000 each), ids and change keys only', async () => {
    const { target, calendarId, requests } = await setUp('Zmiany 1001');
    const keys = Array.from({ length: 1001 }, (_, i) => `serwis:zlecenie:${i}`);
    const queue = [...keys];
    // Forty in flight, as apply hands them over: the sender packs them into $batch requests.
    await Promise.all(Array.from({ length: 40 }, async () => {
      for (let key = queue.shift(); key !== undefined; key = queue.shift()) {
        await target.createEvent(ANNA, calendarId, key, sampleEvent(), nextTransactionId());
      }
    }));
    const before = requests();
    const listed = await target.listChangeKeys(ANNA, calendarId);
    assert.equal(requests() - before, 2);
    assert.equal(listed.size, 1001);
    const stored = new Map(world.graph.listEvents(ANNA, 'Zmiany 1001').map((e) => [e.id, e.changeKey]));
    assert.deepEqual([...listed].sort(), [...stored].sort(), 'immutable ids and the current change keys');
  });

  it('asks for id and changeKey only, 1000 per page; a refused listing is an error, not an empty calendar', async () => {
    const { target, calendarId } = await setUp('Zmiany odmowa');
    await target.createEvent(ANNA, calendarId, 'serwis:zlecenie:1', sampleEvent(), nextTransactionId());
    // The fault matches only a request whose query carries exactly these options.
    world.graph.injectFault({ mailbox: ANNA, method: 'GET', pathIncludes: '$select=id,changeKey&$top=1000', kind: 'status', status: 403, code: 'ErrorAccessDenied' });
    const err = await targetErrorOf(() => target.listChangeKeys(ANNA, calendarId));
    assert.equal(err.status, 403);
    assert.equal((await target.listChangeKeys(ANNA, calendarId)).size, 1, 'the next listing reads the event again');
  });
});

describe('Graph target: concurrency per mailbox', () => {
  it('configured for 3 slots against a mailbox limited to 3: batches shrink to 3 items, so a burst is not throttled', async () => {
    const { target, calendarId, sent } = await setUp('Tłok', { maxConcurrentPerMailbox: 3 });
    world.graph.setLimits({ concurrentPerMailbox: 3 });
    world.graph.setLatency(20);
    try {
      await Promise.all(Array.from({ length: 12 }, (_, i) => target.createEvent(ANNA, calendarId, `tlok:${i}`, sampleEvent(), nextTransactionId())));
    } finally {
      world.graph.setLatency(0);
      world.graph.setLimits({ concurrentPerMailbox: 4 });
    }
    assert.deepEqual(sleeps, [], 'no 429 was met');
    assert.equal(sent().filter((s) => s === 'POST 201').length, 12);
    assert.equal(world.graph.listEvents(ANNA, 'Tłok').length, 12);
  });
});

describe('Graph target: a create whose outcome is unknown is never duplicated', () => {
  it('response dropped after the store: the stamp is found and that event is returned', async () => {
    const { target, calendarId, sent, requests } = await setUp('Utracone');
    world.graph.injectFault({ kind: 'drop-response-after-store', method: 'POST', pathIncludes: '/events' });
    const returned = await target.createEvent(ANNA, calendarId, 'serwis:zlecenie:501', sampleEvent({ subject: 'Raz' }), nextTransactionId());
    const stored = world.graph.listEvents(ANNA, 'Utracone');
    assert.equal(stored.length, 1, 'exactly one event');
    assert.equal(returned.remoteId, stored[0].id);
    assert.equal(returned.sourceKey, 'serwis:zlecenie:501');
    assert.equal(returned.subject, 'Raz');
    assert.equal(requests(), 2, 'the POST and one lookup; no second POST');
    assert.deepEqual(sent(), ['POST 201', 'GET 200']);
    assert.deepEqual(sleeps, [], 'adopted at once, no waiting');
  });

  it('connection dropped before the store: nothing found, so it is created once more with the same transactionId', async () => {
    const { target, calendarId, sent } = await setUp('Zerwane');
    world.graph.injectFault({ kind: 'drop-connection', method: 'POST', pathIncludes: '/events' });
    const tx = nextTransactionId();
    const returned = await target.createEvent(ANNA, calendarId, 'serwis:zlecenie:502', sampleEvent(), tx);
    const stored = world.graph.listEvents(ANNA, 'Zerwane');
    assert.equal(stored.length, 1);
    assert.equal(stored[0].id, returned.remoteId);
    assert.equal(stored[0].transactionId, tx);
    assert.deepEqual(sent(), ['POST 599', 'GET 200', 'POST 201']);
    assert.deepEqual(sleeps, [750], 'one back-off before sending the create again');
  });

  it('a gateway timeout on create is looked up, not re-posted blindly', async () => {
    const { target, calendarId, sent } = await setUp('Bramka');
    world.graph.injectFault({ kind: 'status', status: 504, method: 'POST', pathIncludes: '/events' });
    await target.createEvent(ANNA, calendarId, 'serwis:zlecenie:503', sampleEvent(), nextTransactionId());
    assert.deepEqual(sent(), ['POST 504', 'GET 200', 'POST 201']);
    assert.equal(world.graph.listEvents(ANNA, 'Bramka').length, 1);
  });

  it('a request that times out while Graph is slow still ends with one event', async () => {
    const { target, calendarId, sent } = await setUp('Wolno', { requestTimeoutMs: 50 });
    world.graph.injectFault({ kind: 'delay', delayMs: 300, method: 'POST', pathIncludes: '/events' });
    await target.createEvent(ANNA, calendarId, 'serwis:zlecenie:504', sampleEvent(), nextTransactionId());
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.ok(sent().includes('GET 200'), 'the stamp was looked up after the timeout');
    assert.equal(world.graph.listEvents(ANNA, 'Wolno').length, 1);
  });
});

describe('Graph target: throttling, outages and sign-in', () => {
  it('429 with Retry-After waits that long (plus at most a fifth, ≤ 1 s, of jitter) and retries', async () => {
    const logs: LogEvent[] = [];
    const { target, calendarId, sent, requests } = await setUp('Dławienie', { logger: { log: (e) => logs.push(e) } });
    world.graph.injectFault({ kind: 'status', status: 429, retryAfterSeconds: 7, method: 'POST', pathIncludes: '/events' });
    await target.createEvent(ANNA, calendarId, 'serwis:zlecenie:601', sampleEvent(), nextTransactionId());
    assert.equal(sleeps.length, 1);
    assert.ok(sleeps[0] >= 7000 && sleeps[0] <= 8000, `waited ${sleeps[0]} ms`);
    assert.deepEqual(sent(), ['POST 429', 'POST 201']);
    assert.equal(requests(), 2, 'retries count as requests');
    assert.equal(world.graph.listEvents(ANNA, 'Dławienie').length, 1);
    assert.ok(logs.some((e) => e.level === 'warn' && e.mailbox === ANNA && e.requestId), 'the retry is logged with the request-id');
  });

  it('503 without Retry-After backs off exponentially', async () => {
    const { target, calendarId } = await setUp('Przerwa');
    world.graph.injectFault({ kind: 'status', status: 503, method: 'GET', pathIncludes: '/events', times: 3 });
    await target.listStampedEvents(ANNA, calendarId);
    assert.deepEqual(sleeps, [750, 1500, 3000]);
  });

  it('throttling that outlasts the retries is a transient TargetError with the wait', async () => {
    const { target, calendarId } = await setUp('Długo', { maxRetries: 2 });
    world.graph.injectFault({ kind: 'status', status: 429, retryAfterSeconds: 3, method: 'GET', times: 10 });
    const err = await targetErrorOf(() => target.findBySourceKey(ANNA, calendarId, 'x'));
    assert.equal(err.status, 429);
    assert.equal(err.transient, true);
    assert.equal(err.retryAfterMs, 3000);
    assert.ok(err.requestId);
    assert.equal(sleeps.length, 2);
  });

  it('a dropped connection on a read is simply retried', async () => {
    const { target, calendarId, sent } = await setUp('Sieć');
    world.graph.injectFault({ kind: 'drop-connection', method: 'GET', pathIncludes: '/events' });
    assert.deepEqual(await target.listStampedEvents(ANNA, calendarId), []);
    assert.deepEqual(sent(), ['GET 599', 'GET 200']);
    assert.equal(sleeps.length, 1);
  });

  it('401 gets a fresh token once and retries', async () => {
    const { target, calendarId, sent } = await setUp('Token');
    const tokensBefore = world.entra.tokenRequests;
    world.graph.injectFault({ kind: 'status', status: 401, method: 'GET' });
    await target.listStampedEvents(ANNA, calendarId);
    assert.deepEqual(sent(), ['GET 401', 'GET 200']);
    assert.equal(world.entra.tokenRequests - tokensBefore, 1, 'one new token from Entra');
    assert.deepEqual(sleeps, []);
  });

  it('a 401 that persists is a permanent sign-in problem', async () => {
    const { target, calendarId } = await setUp('Token2');
    world.graph.injectFault({ kind: 'status', status: 401, method: 'GET', times: 5 });
    const err = await targetErrorOf(() => target.listStampedEvents(ANNA, calendarId));
    assert.equal(err.status, 401);
    assert.equal(err.transient, false);
    assert.match(err.message, /token/);
  });
});

describe('Graph target: mailboxes it may not write', () => {
  it('a mailbox outside the access policy → permanent TargetError naming the fix', async () => {
    const target = world.makeTarget({ sleep });
    const err = await targetErrorOf(() => target.ensureCalendar(OBCY, 'Serwis'));
    assert.equal(err.kind, 'target-error');
    assert.equal(err.status, 403);
    assert.equal(err.code, 'ErrorAccessDenied');
    assert.equal(err.transient, false);
    assert.ok(err.requestId);
    assert.match(err.message, new RegExp(`${OBCY} jest poza zakresem`));
    assert.match(err.message, /New-ApplicationAccessPolicy|New-ManagementScope/);
    assert.equal(target.stats.requests, 1, 'a permanent error is not retried');
  });

  it('a user without an Exchange mailbox, and an unknown user, each get their own fix', async () => {
    const target = world.makeTarget({ sleep });
    const noLicence = await targetErrorOf(() => target.ensureCalendar(BEZ_LICENCJI, 'Serwis'));
    assert.equal(noLicence.code, 'MailboxNotEnabledForRESTAPI');
    assert.match(noLicence.message, /licencj/);
    const unknown = await targetErrorOf(() => target.ensureCalendar('nikt@firma.pl', 'Serwis'));
    assert.equal(unknown.code, 'ErrorInvalidUser');
    assert.match(unknown.message, /nie ma użytkownika nikt@firma.pl/);
  });

  it('deleting in a mailbox that does not exist is an error, not "already gone"', async () => {
    const err = await targetErrorOf(() => world.makeTarget({ sleep }).deleteEvent('nikt@firma.pl', 'AAkALgAAAAA'));
    assert.equal(err.code, 'ErrorInvalidUser');
  });
});

describe('readRetryAfterMs', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('2026-03-10T07:00:00Z');
    assert.equal(readRetryAfterMs({ retryAfter: '2' }, now), 2000);
    assert.equal(readRetryAfterMs({ retryAfter: 'Tue, 10 Mar 2026 07:00:30 GMT' }, now), 30_000);
    assert.equal(readRetryAfterMs({ retryAfter: null }, now), null);
    assert.equal(readRetryAfterMs({ retryAfter: 'soon' }, now), null);
  });
});
