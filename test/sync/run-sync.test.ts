import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renameSync } from 'node:fs';
import { deleteOrder, insertOrder, reassignOrder, updateOrder } from '../../server/demo/optima-demo-writes.ts';
import { formatOptimaNow } from '../../server/demo/optima-demo-clock.ts';
import { buildRuntime } from '../../server/main.ts';
import { createSqliteSourceReader } from '../../server/source/sqlite-source-reader.ts';
import { SourceError } from '../../server/source/source-error.ts';
import type { SourceReader } from '../../server/source/source-reader.ts';
import type { TargetError } from '../../server/targets/calendar-target.ts';
import {
  DEFAULT_MAILBOX, collectEvents, createSyncFixture, demoMailboxes, isDated, isInScope, optimaEmailOf, orderKey,
  readOptimaOrders, validateOrThrow, type OptimaOrder, type SyncFixture,
} from '../support/sync-fixture.ts';

const MINUTE = 60_000;
const BOSS = 'kierownik@firma.pl';

/** Where a user expects an order: the explicit map, then the person's e-mail in Optima, then the default. */
function expectedMailbox(order: OptimaOrder, map: Readonly<Record<string, string>>, unassigned: 'default' | 'skip'): string | null {
  if (order.leader === null) return unassigned === 'default' ? DEFAULT_MAILBOX : null;
  return map[`${order.leader.type}:${order.leader.id}`] ?? optimaEmailOf(order.leader) ?? DEFAULT_MAILBOX;
}

async function withFixture(options: Parameters<typeof createSyncFixture>[0], body: (f: SyncFixture) => Promise<void>): Promise<void> {
  const f = createSyncFixture(options);
  try {
    await body(f);
  } finally {
    await f.close();
  }
}

/** Linked events of the fixture, by source key, across every mailbox a demo event may land in. */
function eventsOf(f: SyncFixture) {
  return collectEvents(f.target, demoMailboxes([BOSS]));
}

function transientError(message = 'Usługa Microsoft 365 chwilowo niedostępna (503) — następny przebieg spróbuje ponownie.'): TargetError {
  return { kind: 'target-error', status: 503, code: 'ServiceUnavailable', message, transient: true, retryAfterMs: null, requestId: null };
}

test('first run: one event per dated in-scope order, in the mailbox the map, Optima or the default names', async () => {
  const map = { 'pracownik:1': BOSS };
  await withFixture({ configure: (raw) => { raw.mailboxes.map = map; } }, async (f) => {
    const { report } = await f.runtime.runOnce();
    const orders = readOptimaOrders(f.demo.companyDbPath);
    const inScope = orders.filter(isInScope);
    const dated = inScope.filter(isDated);
    const undated = inScope.filter((o) => !isDated(o));
    assert.ok(undated.length > 0 && orders.some((o) => !isInScope(o)), 'the demo has undated and cancelled orders');
    assert.ok(orders.some((o) => o.leader?.type === 'pracownik' && o.leader.id === 1), 'someone leads orders mapped explicitly');

    assert.equal(report.error, null);
    assert.equal(report.created, dated.length);
    assert.equal(report.planned.create, dated.length);
    assert.equal(report.failed, 0);
    assert.equal(report.skipped, undated.length);

    const events = eventsOf(f);
    assert.equal(events.size, dated.length);
    assert.equal(f.store().countLinks(), dated.length);
    for (const order of dated) {
      const event = events.get(orderKey(order.id));
      assert.ok(event, `order ${order.number} has an event`);
      assert.equal(event.mailbox, expectedMailbox(order, map, 'default'), `order ${order.number} (leader ${JSON.stringify(order.leader)})`);
      assert.ok(event.subject.includes(order.number), `subject "${event.subject}" names ${order.number}`);
    }
    // The map wins over the e-mail Optima has for employee 1.
    assert.ok(optimaEmailOf({ type: 'pracownik', id: 1 }));
    assert.ok(f.target.events(BOSS).length > 0);
    assert.equal(f.target.events(optimaEmailOf({ type: 'pracownik', id: 1 }) as string).length, 0);
    // Nobody leads, or the leader has no e-mail → the default mailbox.
    assert.ok(dated.some((o) => o.leader === null) && dated.some((o) => o.leader?.type === 'operator' && o.leader.id === 4));
    for (const o of dated.filter((x) => x.leader === null || optimaEmailOf(x.leader) === null)) {
      assert.equal(events.get(orderKey(o.id))?.mailbox, DEFAULT_MAILBOX, o.number);
    }
    // A plain order lands at its realization time, in Optima's zone.
    const plain = dated.find((o) => o.id > 11 && o.realization !== null && !o.realization.startsWith('1899'));
    assert.ok(plain);
    const plainEvent = events.get(orderKey(plain.id));
    assert.equal(plainEvent?.event.start, (plain.realization as string).slice(0, 19).replace(' ', 'T'));
    assert.equal(plainEvent?.event.timeZone, 'Europe/Warsaw');
    // Cancelled orders are out of scope: no event, no skip.
    for (const o of orders.filter((x) => !isInScope(x))) {
      assert.equal(events.has(orderKey(o.id)), false);
      assert.equal(report.skips.some((s) => s.sourceKey === orderKey(o.id)), false);
    }
    // Orders with Optima's empty day (1899-12-30) are reported, with the reason.
    for (const o of undated) {
      const skip = report.skips.find((s) => s.sourceKey === orderKey(o.id));
      assert.equal(skip?.reason, 'empty-date', o.number);
      assert.match(skip.detail, new RegExp(o.number.replace(/\//g, '\\/')));
      assert.match(skip.detail, /uzupełnij datę/);
    }
  });
});

test('unassigned: skip → orders nobody leads are skipped with the reason; a leader without e-mail still goes to the default', async () => {
  await withFixture({ configure: (raw) => { raw.mailboxes.unassigned = 'skip'; } }, async (f) => {
    const { report } = await f.runtime.runOnce();
    const dated = readOptimaOrders(f.demo.companyDbPath).filter((o) => isInScope(o) && isDated(o));
    const nobody = dated.filter((o) => o.leader === null);
    assert.ok(nobody.length > 0);
    const events = eventsOf(f);
    for (const o of nobody) {
      assert.equal(events.has(orderKey(o.id)), false, o.number);
      const skip = report.skips.find((s) => s.sourceKey === orderKey(o.id));
      assert.equal(skip?.reason, 'no-mailbox');
      assert.match(skip.detail, /nie ma prowadzącego/);
    }
    assert.equal(report.created, dated.length - nobody.length);
    const noEmail = dated.filter((o) => o.leader !== null && optimaEmailOf(o.leader) === null);
    assert.ok(noEmail.length > 0);
    for (const o of noEmail) assert.equal(events.get(orderKey(o.id))?.mailbox, DEFAULT_MAILBOX, o.number);
  });
});

test('a second run with nothing changed makes no calendar request and at most two source queries', async () => {
  await withFixture({}, async (f) => {
    await f.runtime.runOnce();
    const requests = f.target.stats.requests;
    const before = [...eventsOf(f).values()].map((e) => `${e.remoteId}:${e.changeKey}`).sort();
    f.clock.advance(MINUTE);
    const { report } = await f.runtime.runOnce();
    assert.equal(report.error, null);
    assert.equal(report.graphRequests, 0);
    assert.equal(f.target.stats.requests, requests);
    assert.ok(report.sourceQueries <= 2, `${report.sourceQueries} source queries`);
    assert.deepEqual([report.created, report.updated, report.moved, report.deleted, report.failed], [0, 0, 0, 0, 0]);
    assert.deepEqual([...eventsOf(f).values()].map((e) => `${e.remoteId}:${e.changeKey}`).sort(), before);
  });
});

test('update, insert, delete and reassign in Optima become update, create, delete and move in the next run', async () => {
  await withFixture({}, async (f) => {
    await f.runtime.runOnce();
    const orders = readOptimaOrders(f.demo.companyDbPath);
    const linked = orders.filter((o) => isInScope(o) && isDated(o) && o.id > 11);
    const edited = linked.find((o) => o.leader !== null) as OptimaOrder;
    const removed = linked.find((o) => o !== edited) as OptimaOrder;
    // Reassigned from someone to employee 2, whose mailbox is another one.
    const newLeader = { type: 'pracownik' as const, id: 2 };
    const newMailbox = optimaEmailOf(newLeader) as string;
    const moved = linked.find((o) => o !== edited && o !== removed && expectedMailbox(o, {}, 'default') !== newMailbox) as OptimaOrder;
    const oldMailbox = expectedMailbox(moved, {}, 'default') as string;
    const before = eventsOf(f);
    assert.ok(edited && removed && moved && before.has(orderKey(removed.id)));

    const at = f.clock.advance(5 * MINUTE);
    const db = f.openOptima();
    updateOrder(db, edited.id, { SrZ_Opis: 'Wymiana sterownika — klient prosi o telefon przed przyjazdem' }, { now: at });
    const insertedId = insertOrder(db, { SrZ_ProwadzacyTyp: 3, SrZ_ProwadzacyId: 3, SrZ_Opis: 'Nowe zlecenie z dzisiaj' }, { now: at });
    deleteOrder(db, removed.id);
    reassignOrder(db, moved.id, newLeader, { now: at });
    f.clock.advance(MINUTE);

    const { report } = await f.runtime.runOnce();
    assert.equal(report.error, null);
    assert.deepEqual(
      { created: report.created, updated: report.updated, deleted: report.deleted, moved: report.moved, failed: report.failed },
      { created: 1, updated: 1, deleted: 1, moved: 1, failed: 0 },
    );
    const after = eventsOf(f);
    assert.equal(after.size, before.size);
    assert.equal(f.store().countLinks(), after.size);

    const editedEvent = after.get(orderKey(edited.id));
    assert.match(editedEvent?.event.bodyHtml ?? '', /Wymiana sterownika — klient prosi o telefon/);
    assert.equal(editedEvent?.remoteId, before.get(orderKey(edited.id))?.remoteId, 'updated in place');

    const inserted = readOptimaOrders(f.demo.companyDbPath).find((o) => o.id === insertedId) as OptimaOrder;
    const insertedEvent = after.get(orderKey(insertedId));
    assert.equal(insertedEvent?.mailbox, optimaEmailOf({ type: 'pracownik', id: 3 }));
    assert.ok(insertedEvent?.subject.includes(inserted.number));

    assert.equal(after.has(orderKey(removed.id)), false);
    const removedMailbox = before.get(orderKey(removed.id))?.mailbox as string;
    assert.equal(f.target.events(removedMailbox).some((e) => e.sourceKey === orderKey(removed.id)), false);

    assert.equal(after.get(orderKey(moved.id))?.mailbox, newMailbox);
    assert.equal(f.target.events(oldMailbox).some((e) => e.sourceKey === orderKey(moved.id)), false, 'gone from the old mailbox');
    assert.equal(f.target.events(newMailbox).filter((e) => e.sourceKey === orderKey(moved.id)).length, 1);
    assert.equal(f.store().getLink(orderKey(moved.id))?.mailbox, newMailbox);
  });
});

test('mass delete: deleting at least max(10, 20 %) of the orders holds the run; --allow-mass-delete applies it', async () => {
  await withFixture({}, async (f) => {
    await f.runtime.runOnce();
    const links = f.store().countLinks();
    const threshold = Math.max(10, Math.ceil(links * 0.2));
    const victims = readOptimaOrders(f.demo.companyDbPath).filter((o) => isInScope(o) && isDated(o)).slice(0, threshold);
    const db = f.openOptima();
    for (const o of victims) deleteOrder(db, o.id);
    const events = eventsOf(f).size;
    f.clock.advance(MINUTE);

    const held = await f.runtime.runOnce();
    assert.ok(held.report.held, 'run held');
    assert.equal(held.report.held.deletions, victims.length);
    assert.match(held.report.held.message, /allow-mass-delete/);
    assert.equal(held.report.deleted, 0);
    assert.equal(eventsOf(f).size, events, 'nothing deleted from the calendars');
    assert.equal(f.store().countLinks(), links);
    assert.ok(f.store().getRun(held.report.runId)?.held, 'the held run is stored with its reason');

    // Still held on the next run: nothing was approved.
    f.clock.advance(MINUTE);
    assert.ok((await f.runtime.runOnce()).report.held);

    f.clock.advance(MINUTE);
    const allowed = await f.runtime.runOnce({ allowMassDelete: true });
    assert.equal(allowed.report.held, null);
    assert.equal(allowed.report.deleted, victims.length);
    const remaining = eventsOf(f);
    assert.equal(remaining.size, events - victims.length);
    for (const o of victims) assert.equal(remaining.has(orderKey(o.id)), false);
  });
});

test('fewer deletions than the threshold are applied without holding', async () => {
  await withFixture({}, async (f) => {
    await f.runtime.runOnce();
    const victims = readOptimaOrders(f.demo.companyDbPath).filter((o) => isInScope(o) && isDated(o)).slice(0, 9);
    const db = f.openOptima();
    for (const o of victims) deleteOrder(db, o.id);
    f.clock.advance(MINUTE);
    const { report } = await f.runtime.runOnce();
    assert.equal(report.held, null);
    assert.equal(report.deleted, 9);
  });
});

test('a broken admin template stops buildRuntime with a message naming the template and the line', async () => {
  await withFixture({}, async (f) => {
    // Templates saved from the add-in skip the config file's syntax check: buildRuntime is the last gate.
    const broken = { ...f.config, templates: { 'serwis:zlecenie': { subject: '{{#if}}' } } };
    assert.throws(() => buildRuntime(broken, { target: f.target, now: f.clock.now }), (err: Error) => {
      assert.match(err.message, /serwis:zlecenie\.subject/);
      assert.match(err.message, /linia 1/);
      return true;
    });
    // An unknown helper passes the config's syntax check but not the compiler, with its line.
    const raw = structuredClone(f.raw) as Record<string, Record<string, unknown>>;
    raw.templates = { 'serwis:zlecenie': { body: '<p>{{numer}}</p>\n<p>{{opis}}</p>\n{{wielkimiLiterami klient.nazwa}}' } };
    const config = validateOrThrow(raw);
    assert.throws(() => buildRuntime(config, { target: f.target, now: f.clock.now }), (err: Error) => {
      assert.match(err.message, /serwis:zlecenie\.body, linia 3/);
      assert.match(err.message, /wielkimiLiterami/);
      return true;
    });
    // The state store was closed again: the good runtime still works on the same folder.
    assert.equal((await f.runtime.runOnce()).report.error, null);
  });
});

test('a template that fails at render time for one record skips only that record; the run goes on', async () => {
  const victim = 14;
  await withFixture({
    configure: (raw) => {
      raw.templates = { 'serwis:zlecenie': { body: `<p>{{opis}}</p>{{#if (rowne klucz "serwis:zlecenie:${victim}")}}{{#each}}x{{/each}}{{/if}}` } };
    },
  }, async (f) => {
    const { report } = await f.runtime.runOnce();
    const dated = readOptimaOrders(f.demo.companyDbPath).filter((o) => isInScope(o) && isDated(o));
    assert.ok(dated.some((o) => o.id === victim));
    assert.equal(report.error, null);
    assert.equal(report.created, dated.length - 1);
    const skip = report.skips.find((s) => s.sourceKey === orderKey(victim));
    assert.equal(skip?.reason, 'template-error');
    assert.match(skip.detail, /serwis:zlecenie\.body/);
    assert.equal(eventsOf(f).has(orderKey(victim)), false);
  });
});

test('an extra query that fails for one record skips only that record, naming the query', async () => {
  const victim = 20;
  await withFixture({
    configure: (raw) => {
      (raw.source as Record<string, unknown>).extraQueries = {
        // Integer overflow in SQLite, only when the order's priority is 99.
        priorytetowe: { sql: 'SELECT CASE WHEN @prio = 99 THEN abs(-9223372036854775807 - 1) ELSE 0 END AS x', params: { prio: 'columns.SrZ_Priorytet' } },
      };
    },
  }, async (f) => {
    const db = f.openOptima();
    const stamp = readOptimaOrders(f.demo.companyDbPath).find((o) => o.id === victim)?.modifiedAt as string;
    updateOrder(db, victim, { SrZ_Priorytet: 99, SrZ_TS_Mod: stamp });
    const { report } = await f.runtime.runOnce();
    const dated = readOptimaOrders(f.demo.companyDbPath).filter((o) => isInScope(o) && isDated(o));
    assert.equal(report.error, null);
    assert.equal(report.created, dated.length - 1);
    const skip = report.skips.find((s) => s.sourceKey === orderKey(victim));
    assert.equal(skip?.reason, 'query-error');
    assert.match(skip.detail, /priorytetowe/);
    assert.equal(eventsOf(f).has(orderKey(victim)), false);
  });
});

test('a record whose extra query failed for a moment gets its event on the next run', async () => {
  await withFixture({
    configure: (raw) => {
      (raw.source as Record<string, unknown>).extraQueries = {
        szczegoly: { sql: 'SELECT z.SrZ_Opis AS opis FROM CDN.SrsZlecenia AS z WHERE z.SrZ_SrZId = @id', params: { id: 'id' } },
      };
    },
  }, async (f) => {
    // The order changed longest ago: an incremental read starting at the newest stamp would never see it again.
    const dated = readOptimaOrders(f.demo.companyDbPath).filter((o) => isInScope(o) && isDated(o));
    const victim = [...dated].sort((a, b) => a.modifiedAt.localeCompare(b.modifiedAt))[0];
    const inner = createSqliteSourceReader({ companyDbPath: f.demo.companyDbPath, configDbPath: f.demo.configDbPath });
    let locked = true;
    const reader: SourceReader = {
      ...inner,
      stats: inner.stats,
      async runExtraQuery(sql, params) {
        if (locked && params.id === victim.id) {
          throw new SourceError('Zapytanie przekroczyło czas oczekiwania na blokadę — następna synchronizacja spróbuje ponownie.', { code: 'query-failed', transient: true });
        }
        return inner.runExtraQuery(sql, params);
      },
    };
    const runtime = f.buildAnotherRuntime({ reader });
    const first = await runtime.runOnce();
    assert.equal(first.report.skips.find((s) => s.sourceKey === orderKey(victim.id))?.reason, 'query-error');
    assert.equal(first.report.created, dated.length - 1);

    locked = false;
    f.clock.advance(MINUTE);
    const second = await runtime.runOnce();
    assert.equal(second.report.created, 1, 'the record left out is read again and created');
    assert.ok(eventsOf(f).has(orderKey(victim.id)));
  });
});

test('an unreachable source fails the run with the path and the config key, loses no link, and the next run works', async () => {
  await withFixture({}, async (f) => {
    await f.runtime.runOnce();
    const links = f.store().countLinks();
    const events = eventsOf(f).size;
    await f.runtime.close();
    const moved = `${f.demo.companyDbPath}.gdzie-indziej`;
    renameSync(f.demo.companyDbPath, moved);

    // A restart (a fresh process) with the file missing.
    const runtime = f.buildAnotherRuntime();
    f.clock.advance(MINUTE);
    const failed = await runtime.runOnce();
    assert.ok(failed.report.error, 'the run reports an error');
    assert.ok(failed.report.error.includes(f.demo.companyDbPath), failed.report.error);
    assert.match(failed.report.error, /source\.sqlite\.companyDb/);
    assert.match(failed.report.error, /sprawdź/);
    assert.equal(failed.report.deleted, 0);
    assert.equal(runtime.store.countLinks(), links, 'links kept');
    assert.equal(eventsOf(f).size, events, 'events kept');
    assert.equal(runtime.store.getRun(failed.report.runId)?.error, failed.report.error, 'the failed run is recorded');

    renameSync(moved, f.demo.companyDbPath);
    f.clock.advance(MINUTE);
    const healed = await runtime.runOnce();
    assert.equal(healed.report.error, null);
    assert.deepEqual([healed.report.created, healed.report.deleted], [0, 0]);
    assert.equal(runtime.store.countLinks(), links);
  });
});

test('a transient calendar failure fails only that item; the next run retries it', async () => {
  await withFixture({ configure: (raw) => { raw.sync.overlapSeconds = 0; } }, async (f) => {
    await f.runtime.runOnce();
    const mailbox = optimaEmailOf({ type: 'pracownik', id: 2 }) as string;
    const same = readOptimaOrders(f.demo.companyDbPath)
      .filter((o) => isInScope(o) && isDated(o) && o.leader?.type === 'pracownik' && o.leader.id === 2)
      .sort((a, b) => a.id - b.id);
    assert.ok(same.length >= 2);
    const [older, newer] = same;
    const db = f.openOptima();
    // The lower key changes first and is applied first; its stamp is an hour older than the other's.
    updateOrder(db, older.id, { SrZ_Opis: 'Zmiana A' }, { now: f.clock.advance(MINUTE) });
    updateOrder(db, newer.id, { SrZ_Opis: 'Zmiana B' }, { now: f.clock.advance(60 * MINUTE) });
    f.target.failNext(1, transientError());

    const first = await f.runtime.runOnce();
    assert.equal(first.report.error, null);
    assert.equal(first.report.failed, 1);
    assert.equal(first.report.updated, 1);
    const [failure] = first.report.failures;
    assert.equal(failure.transient, true);
    assert.equal(failure.mailbox, mailbox);
    assert.match(failure.message, /503|chwilowo/);
    const failedKey = failure.sourceKey;
    const appliedKey = failedKey === orderKey(older.id) ? orderKey(newer.id) : orderKey(older.id);
    const bodies = () => new Map(f.target.events(mailbox).map((e) => [e.sourceKey, e.event.bodyHtml]));
    assert.match(bodies().get(appliedKey) ?? '', /Zmiana [AB]/);
    assert.doesNotMatch(bodies().get(failedKey) ?? '', /Zmiana [AB]/);

    f.clock.advance(MINUTE);
    const second = await f.runtime.runOnce();
    assert.equal(second.report.failed, 0);
    assert.equal(second.report.updated, 1, 'the failed item is retried, the applied one is not rewritten');
    assert.match(bodies().get(failedKey) ?? '', /Zmiana [AB]/);
  });
});

test('a second run while one is in progress is refused with a message naming the holder', async () => {
  await withFixture({}, async (f) => {
    const other = f.buildAnotherRuntime();
    const firstRun = f.runtime.runOnce();
    const refused = await other.runOnce();
    const first = await firstRun;
    assert.equal(first.report.error, null);
    assert.ok(refused.report.error);
    assert.match(refused.report.error, /już trwa/);
    assert.ok(refused.report.error.includes(first.report.runId), `names the holder: ${refused.report.error}`);
    assert.ok(refused.report.error.includes(String(process.pid)));
    assert.equal(refused.report.created, 0);
    // The status page keeps showing the real run, not the refusal.
    assert.deepEqual(f.store().listRuns(5).map((r) => r.runId), [first.report.runId]);
    assert.ok(f.store().queryLogs({ runId: refused.report.runId }).some((l) => /już trwa/.test(l.message)), 'the refusal is logged');
    // The lock is released: the next run goes through.
    f.clock.advance(MINUTE);
    assert.equal((await other.runOnce()).report.error, null);
  });
});

test('dry run returns the plan and writes nothing', async () => {
  await withFixture({}, async (f) => {
    const dated = readOptimaOrders(f.demo.companyDbPath).filter((o) => isInScope(o) && isDated(o));
    const { report, plan } = await f.runtime.runOnce({ dryRun: true });
    assert.ok(plan);
    assert.equal(report.dryRun, true);
    assert.equal(plan.actions.filter((a) => a.type === 'create').length, dated.length);
    const create = plan.actions.find((a) => a.type === 'create' && a.sourceKey === orderKey(dated[0].id));
    assert.ok(create && create.type === 'create' && create.desired.event.subject.includes(dated[0].number));
    assert.equal(f.store().countLinks(), 0);
    assert.equal(f.store().listRuns(10).length, 0);
    assert.equal(f.target.stats.requests, 0);
    assert.equal(eventsOf(f).size, 0);
    // Nothing remembered either: the same plan again, then the real run creates it all.
    const again = await f.runtime.runOnce({ dryRun: true });
    assert.equal(again.plan?.actions.length, plan.actions.length);
    assert.equal((await f.runtime.runOnce()).report.created, dated.length);
  });
});

test('a row with NULLs, a 10k description, control characters and emoji gives an intact, escaped event', async () => {
  await withFixture({}, async (f) => {
    await f.runtime.runOnce();
    const unit = '<b>Uwaga</b> & "cudzysłów" \u0001\u0007 🔧🔥 zażółć gęślą jaźń\n';
    const repeats = Math.ceil(10_000 / unit.length);
    const description = unit.repeat(repeats) + 'KONIEC OPISU';
    assert.ok(description.length >= 10_000);
    const nulls = Object.fromEntries([
      'SrZ_PodNazwa1', 'SrZ_PodNazwa2', 'SrZ_PodNazwa3', 'SrZ_PodUlica', 'SrZ_PodNrDomu', 'SrZ_PodNrLokalu', 'SrZ_PodKodPocztowy',
      'SrZ_PodMiasto', 'SrZ_PodPoczta', 'SrZ_Telefon', 'SrZ_Email', 'SrZ_ZlecajacyNazwisko', 'SrZ_ZlecajacyTelefon', 'SrZ_KatID',
      'SrZ_SrUId', 'SrZ_EtapId', 'SrZ_EtapOpis', 'SrZ_Priorytet', 'SrZ_Stan', 'SrZ_Wykonano', 'SrZ_ProwadzacyTyp', 'SrZ_ProwadzacyId',
      'SrZ_DataPrzyjecia', 'SrZ_OdbNazwa1', 'SrZ_OdbUlica', 'SrZ_OdbMiasto',
    ].map((c) => [c, null]));
    const db = f.openOptima();
    const id = insertOrder(db, { ...nulls, SrZ_Opis: description }, { now: f.clock.advance(MINUTE) });
    f.clock.advance(MINUTE);
    const { report } = await f.runtime.runOnce();
    assert.equal(report.created, 1);
    assert.equal(report.failed, 0);
    const order = readOptimaOrders(f.demo.companyDbPath).find((o) => o.id === id) as OptimaOrder;
    const event = eventsOf(f).get(orderKey(id));
    assert.ok(event);
    assert.equal(event.mailbox, DEFAULT_MAILBOX);
    assert.ok(event.subject.includes(order.number));
    assert.ok(event.subject.length <= 255);
    const body = event.event.bodyHtml;
    assert.equal(body.split('🔧🔥 zażółć gęślą jaźń').length - 1, repeats, 'every copy of the text is in the body');
    assert.ok(body.includes('KONIEC OPISU'));
    assert.ok(body.includes('&lt;b&gt;Uwaga&lt;/b&gt; &amp;'), 'HTML in the description is escaped');
    assert.equal(body.includes('<b>Uwaga'), false);
    assert.doesNotMatch(body, /[\u0001\u0007]/);
    assert.doesNotMatch(event.subject, /[\u0000-\u001f]/);
    for (const text of [event.subject, body, event.event.location]) {
      assert.doesNotMatch(text, /undefined|null|NaN|\[object Object\]/);
    }
  });
});

test('the event body shows the contact person and the phone as text', async () => {
  await withFixture({}, async (f) => {
    await f.runtime.runOnce();
    const db = f.openOptima();
    const id = insertOrder(db, { SrZ_ZlecajacyNazwisko: 'Halina Kiepska', SrZ_Telefon: '600 100 200', SrZ_Opis: 'Kontakt' }, { now: f.clock.advance(MINUTE) });
    f.clock.advance(MINUTE);
    await f.runtime.runOnce();
    const body = eventsOf(f).get(orderKey(id))?.event.bodyHtml ?? '';
    assert.doesNotMatch(body, /\[object Object\]/);
    assert.match(body, /Halina Kiepska/);
    assert.match(body, /600 100 200/);
  });
});

test('the watermark is never moved back by a run that reads older stamps only', async () => {
  await withFixture({}, async (f) => {
    await f.runtime.runOnce();
    const watermark = f.store().getWatermark('serwis:zlecenie');
    assert.ok(watermark);
    // An order edited with a stamp older than the watermark (a clock set back on one workstation).
    const db = f.openOptima();
    const order = readOptimaOrders(f.demo.companyDbPath).find((o) => isInScope(o) && isDated(o)) as OptimaOrder;
    updateOrder(db, order.id, { SrZ_Opis: 'Zmiana z cofniętym zegarem', SrZ_TS_Mod: formatOptimaNow(new Date(f.clock.now().getTime() - 30 * 86_400_000)) });
    f.clock.advance(MINUTE);
    await f.runtime.runOnce();
    assert.equal(f.store().getWatermark('serwis:zlecenie'), watermark);
  });
});
