import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CalendarEvent, DesiredEvent, Link, SyncAction, SyncPlan } from '../../server/domain/types.ts';
import type { LogEvent } from '../../server/domain/logger.ts';
import { applyPlan, type ApplySettings } from '../../server/sync/apply-plan.ts';
import { openStateStore } from '../../server/state/sqlite-store.ts';
import type { StateStore } from '../../server/state/state-store.ts';
import type { CalendarTarget, TargetError } from '../../server/targets/calendar-target.ts';
import { createMemoryTarget, type MemoryTarget } from '../../server/targets/memory/memory-target.ts';
import { startGraphWorld, type GraphWorld } from '../targets/graph-world.ts';

const ANNA = 'anna@firma.pl';
const JAN = 'jan@firma.pl';
const CALENDAR = 'Optima Serwis';
const NOW = new Date('2026-05-15T10:00:00Z');
const SETTINGS: ApplySettings = { runId: 'run-test', calendarName: CALENDAR, concurrencyPerMailbox: 3 };

function eventFor(n: number, subject = `SRW/${n}/2026 – naprawa`): CalendarEvent {
  return {
    subject, bodyHtml: `<p>Zlecenie ${n}</p>`, location: 'ul. Prosta 1, 00-001 Warszawa',
    start: '2026-05-20T09:00:00', end: '2026-05-20T10:00:00', timeZone: 'Europe/Warsaw',
    showAs: 'busy', categories: ['Optima Serwis'], isReminderOn: true, reminderMinutesBeforeStart: 15,
  };
}

function desired(n: number, mailbox: string, subject?: string): DesiredEvent {
  const event = eventFor(n, subject);
  return { sourceKey: `serwis:zlecenie:${n}`, mailbox, event, renderHash: `hash-${n}-${event.subject}`, sourceModifiedAt: '2026-05-15 11:00:00.000' };
}

function creates(items: readonly DesiredEvent[]): SyncPlan {
  return { actions: items.map((d): SyncAction => ({ type: 'create', sourceKey: d.sourceKey, desired: d, reason: 'test' })), unchanged: 0, held: null };
}

interface World {
  readonly target: MemoryTarget;
  readonly store: StateStore;
  readonly logs: LogEvent[];
  apply(plan: SyncPlan, target?: CalendarTarget): ReturnType<typeof applyPlan>;
}

async function withWorld(options: Parameters<typeof createMemoryTarget>[0], body: (w: World) => Promise<void>): Promise<void> {
  const target = createMemoryTarget(options);
  const store = openStateStore(':memory:');
  const logs: LogEvent[] = [];
  const logger = { log: (e: LogEvent) => { logs.push(e); } };
  try {
    await body({ target, store, logs, apply: (plan, t = target) => applyPlan(plan, { target: t, store, logger, now: () => NOW }, SETTINGS) });
  } finally {
    store.close();
  }
}

function transient(message: string): TargetError {
  return { kind: 'target-error', status: 503, code: 'ServiceUnavailable', message, transient: true, retryAfterMs: null, requestId: 'req-1' };
}

test('creates commit one link per event, with the remote id and change key the calendar gave', async () => {
  await withWorld({}, async ({ target, store, apply }) => {
    const result = await apply(creates([desired(1, ANNA), desired(2, ANNA), desired(3, JAN)]));
    assert.deepEqual({ created: result.created, failures: result.failures.length }, { created: 3, failures: 0 });
    const events = [...target.events(ANNA), ...target.events(JAN)];
    assert.equal(events.length, 3);
    for (const e of events) {
      const link = store.getLink(e.sourceKey as string);
      assert.equal(link?.remoteId, e.remoteId);
      assert.equal(link?.changeKey, e.changeKey);
      assert.equal(link?.mailbox, e.mailbox);
      assert.equal(target.calendars(e.mailbox).find((c) => c.id === e.calendarId)?.name, CALENDAR);
    }
    assert.equal(store.loadPending().size, 0, 'no create left pending');
  });
});

test('a create whose response was lost is adopted by its stamp on the next run, never duplicated', async () => {
  await withWorld({ failCreatesAfterStore: 1 }, async ({ target, store, apply }) => {
    const plan = creates([desired(7, ANNA)]);
    const first = await apply(plan);
    assert.equal(first.created, 0);
    assert.equal(first.failures.length, 1);
    assert.equal(first.failures[0].transient, true);
    assert.equal(target.events(ANNA).length, 1, 'the event exists although the answer was lost');
    assert.equal(store.getLink('serwis:zlecenie:7'), null);
    assert.equal(store.loadPending().has('serwis:zlecenie:7'), true);

    const second = await apply(plan);
    assert.equal(second.created, 1);
    assert.equal(second.failures.length, 0);
    const events = target.events(ANNA);
    assert.equal(events.length, 1, 'no duplicate');
    assert.equal(store.getLink('serwis:zlecenie:7')?.remoteId, events[0].remoteId);
    assert.equal(store.loadPending().size, 0);
  });
});

test('an update of an event someone deleted in Outlook brings it back and relinks it', async () => {
  await withWorld({}, async ({ target, store, apply }) => {
    await apply(creates([desired(4, ANNA)]));
    const link = store.getLink('serwis:zlecenie:4') as Link;
    target.removeEvent(ANNA, link.remoteId);
    const changed = desired(4, ANNA, 'SRW/4/2026 – zmieniony temat');
    const result = await apply({ actions: [{ type: 'update', sourceKey: changed.sourceKey, desired: changed, link, reason: 'test' }], unchanged: 0, held: null });
    assert.equal(result.failures.length, 0);
    assert.equal(result.created, 1, 'counted as a create');
    const [event] = target.events(ANNA);
    assert.equal(event.subject, 'SRW/4/2026 – zmieniony temat');
    assert.equal(store.getLink('serwis:zlecenie:4')?.remoteId, event.remoteId);
    assert.notEqual(event.remoteId, link.remoteId);
  });
});

test('a move whose old event could not be removed is finished by the next run without a second copy', async () => {
  await withWorld({}, async ({ target, store, apply }) => {
    await apply(creates([desired(5, ANNA)]));
    const link = store.getLink('serwis:zlecenie:5') as Link;
    const moving = desired(5, JAN);
    const plan: SyncPlan = { actions: [{ type: 'move', sourceKey: moving.sourceKey, desired: moving, link, reason: 'test' }], unchanged: 0, held: null };
    const failingDelete: CalendarTarget = { ...target, deleteEvent: async () => { throw transient('Skrzynka chwilowo niedostępna (503).'); } };

    const first = await apply(plan, failingDelete);
    assert.equal(first.moved, 0);
    assert.equal(first.failures.length, 1);
    assert.equal(first.failures[0].mailbox, JAN);
    assert.equal(store.getLink('serwis:zlecenie:5')?.mailbox, ANNA, 'the link still names the old event');

    const second = await apply(plan);
    assert.equal(second.moved, 1);
    assert.equal(second.failures.length, 0);
    assert.equal(target.events(ANNA).length, 0, 'old event removed');
    assert.equal(target.events(JAN).length, 1, 'exactly one event in the new mailbox');
    assert.equal(store.getLink('serwis:zlecenie:5')?.remoteId, target.events(JAN)[0].remoteId);
  });
});

test('a mailbox without permission fails its own items with a permanent error; other mailboxes are applied', async () => {
  await withWorld({ deniedMailboxes: [JAN] }, async ({ target, store, apply, logs }) => {
    const result = await apply(creates([desired(1, JAN), desired(2, ANNA), desired(3, JAN), desired(4, ANNA)]));
    assert.equal(result.created, 2);
    assert.deepEqual(result.failures.map((f) => f.sourceKey), ['serwis:zlecenie:1', 'serwis:zlecenie:3']);
    for (const f of result.failures) {
      assert.equal(f.transient, false);
      assert.equal(f.mailbox, JAN);
      assert.equal(f.action, 'create');
      assert.ok(f.message.length > 20, f.message);
    }
    assert.equal(target.events(ANNA).length, 2);
    assert.equal(store.countLinks(), 2);
    const errors = logs.filter((l) => l.level === 'error');
    assert.deepEqual(errors.map((l) => l.sourceKey).sort(), ['serwis:zlecenie:1', 'serwis:zlecenie:3']);
    assert.ok(errors.every((l) => l.runId === SETTINGS.runId && l.mailbox === JAN));
  });
});

test('at most concurrencyPerMailbox requests in flight per mailbox; mailboxes go in parallel', async () => {
  await withWorld({}, async ({ target, apply }) => {
    const inFlight = new Map<string, number>();
    const maxPerMailbox = new Map<string, number>();
    let total = 0;
    let maxTotal = 0;
    const slow: CalendarTarget = {
      ...target,
      async createEvent(mailbox, calendarId, sourceKey, event, transactionId) {
        inFlight.set(mailbox, (inFlight.get(mailbox) ?? 0) + 1);
        total += 1;
        maxPerMailbox.set(mailbox, Math.max(maxPerMailbox.get(mailbox) ?? 0, inFlight.get(mailbox) ?? 0));
        maxTotal = Math.max(maxTotal, total);
        await new Promise((r) => setTimeout(r, 5));
        inFlight.set(mailbox, (inFlight.get(mailbox) ?? 1) - 1);
        total -= 1;
        return target.createEvent(mailbox, calendarId, sourceKey, event, transactionId);
      },
    };
    const items = [...Array.from({ length: 10 }, (_, i) => desired(i + 1, ANNA)), ...Array.from({ length: 10 }, (_, i) => desired(i + 11, JAN))];
    const result = await apply(creates(items), slow);
    assert.equal(result.created, 20);
    assert.equal(maxPerMailbox.get(ANNA), 3);
    assert.equal(maxPerMailbox.get(JAN), 3);
    assert.ok(maxTotal > 3, `mailboxes in parallel (max ${maxTotal} at once)`);
  });
});

test('a held plan writes nothing', async () => {
  await withWorld({}, async ({ target, store, apply }) => {
    const plan = { ...creates([desired(1, ANNA)]), held: { guard: 'mass-delete' as const, message: 'wstrzymano', deletions: 12, links: 40, threshold: 10 } };
    const result = await apply(plan);
    assert.equal(result.created, 0);
    assert.equal(target.stats.requests, 0);
    assert.equal(store.countLinks(), 0);
  });
});

const OK1 = 'ok.jeden@firma.pl';
const OK2 = 'ok.dwa@firma.pl';
const FORBIDDEN = 'obcy.apply@firma.pl';
const UNKNOWN = 'nikt.apply@firma.pl';
/** One Graph world for the file: the local CA is trusted once per process. */
let world: GraphWorld;
before(async () => {
  world = await startGraphWorld([OK1, OK2, FORBIDDEN, ANNA, JAN]);
  world.graph.setMailboxAccess(FORBIDDEN, 'forbidden');
});
after(() => world.close());

test('against Graph: a forbidden and an unknown mailbox cost one request each; their items fail with that reason, the others are written', async () => {
  const store = openStateStore(':memory:');
  try {
    const mailboxes = [OK1, FORBIDDEN, OK2, UNKNOWN];
    const items = Array.from({ length: 120 }, (_, i) => desired(i + 1, mailboxes[i % 4]));
    const logs: LogEvent[] = [];
    const result = await applyPlan(creates(items), { target: world.makeTarget({ sleep: async () => {} }), store, logger: { log: (e) => void logs.push(e) }, now: () => NOW }, {
      ...SETTINGS, itemsInFlightPerMailbox: 40,
    });
    assert.equal(result.created, 60);
    assert.equal(world.graph.listEvents(OK1, CALENDAR).length, 30);
    assert.equal(world.graph.listEvents(OK2, CALENDAR).length, 30);
    for (const [mailbox, fix] of [[FORBIDDEN, /poza zakresem/], [UNKNOWN, /nie ma użytkownika/]] as const) {
      const failed = result.failures.filter((f) => f.mailbox === mailbox);
      assert.equal(failed.length, 30, `every item of ${mailbox} is reported`);
      assert.equal(new Set(failed.map((f) => f.message)).size, 1, 'all with the same reason');
      assert.match(failed[0].message, fix);
      assert.ok(failed.every((f) => !f.transient));
      assert.equal(world.graph.requestLog.filter((e) => e.mailbox === mailbox).length, 1, `one Graph request for ${mailbox}`);
      assert.equal(logs.filter((l) => l.level === 'warn' && l.mailbox === mailbox).length, 1, 'one line says the mailbox is skipped');
    }
    assert.equal(result.failures.length, 60);
  } finally {
    store.close();
  }
});

test('against Graph with 40 items in flight per mailbox, 40 creates go out as 2 batch requests and each gets its link', async () => {
  const store = openStateStore(':memory:');
  try {
    const target = world.makeTarget();
    const logStart = world.graph.requestLog.length;
    const items = [...Array.from({ length: 40 }, (_, i) => desired(i + 1, ANNA)), ...Array.from({ length: 40 }, (_, i) => desired(i + 101, JAN))];
    const result = await applyPlan(creates(items), { target, store, logger: { log: () => {} }, now: () => NOW }, { ...SETTINGS, itemsInFlightPerMailbox: 40 });
    assert.equal(result.created, 80);
    assert.equal(result.failures.length, 0);
    for (const mailbox of [ANNA, JAN]) {
      const http = world.graph.requestLog.slice(logStart).filter((e) => !e.viaBatch && e.mailbox === mailbox);
      assert.equal(http.length, 2, 'finding and creating the calendar');
      const events = world.graph.listEvents(mailbox, CALENDAR);
      assert.equal(events.length, 40);
      for (const e of events) assert.equal(store.getLink(Object.values(e.extendedProperties)[0])?.remoteId, e.id, 'each link names its own event');
    }
    assert.equal(world.graph.requestLog.slice(logStart).filter((e) => e.path === '/$batch').length, 4, 'two batches per mailbox');
    assert.equal(target.stats.requests, 8, '2 calendar requests + 2 batches, per mailbox');
  } finally {
    store.close();
  }
});
