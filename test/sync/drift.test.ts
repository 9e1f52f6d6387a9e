import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Link } from '../../server/domain/types.ts';
import type { LogEvent } from '../../server/domain/logger.ts';
import type { TargetError } from '../../server/targets/calendar-target.ts';
import { createChangeKeyListings, detectDrift } from '../../server/sync/detect-drift.ts';
import { runSync, type RunOptions, type SyncSettings } from '../../server/sync/run-sync.ts';
import { createMemoryTarget } from '../../server/targets/memory/memory-target.ts';
import { reassignOrder, updateOrder } from '../../server/demo/optima-demo-writes.ts';
import { sampleEvent } from '../contract/calendar-target-contract.ts';
import { collectEvents, createSyncFixture, demoMailboxes, type SyncFixture } from '../support/sync-fixture.ts';

const ANNA = 'anna@firma.pl';
const OBCY = 'obcy@firma.pl';

function recordingLogger() {
  const events: LogEvent[] = [];
  return { events, log: (e: LogEvent) => void events.push(e) };
}

/** A link as apply stores it after creating `remote` (its change key is the one our write got back). */
function linkOf(sourceKey: string, mailbox: string, calendarId: string, remote: { remoteId: string; changeKey: string | null }): Link {
  return {
    sourceKey, mailbox, calendarId, remoteId: remote.remoteId, changeKey: remote.changeKey, renderHash: 'h',
    sourceModifiedAt: '2026-05-15 10:00:00.000', updatedAt: '2026-05-15T10:00:00.000Z',
  };
}

// ── detectDrift against the in-memory calendar ──────────────────────────────────────────────

test('detectDrift: unchanged, edited by a person, deleted by a person; one listing per calendar', async () => {
  const target = createMemoryTarget();
  const calendarId = await target.ensureCalendar(ANNA, 'Serwis');
  const created = await Promise.all([1, 2, 3, 4].map((n) => target.createEvent(ANNA, calendarId, `serwis:zlecenie:${n}`, sampleEvent(), `tx-${n}`)));
  const updated = await target.updateEvent(ANNA, created[3].remoteId, sampleEvent({ subject: 'Nasza zmiana' }));
  target.editEvent(ANNA, created[1].remoteId, { subject: 'Zmienione w Outlooku' });
  target.removeEvent(ANNA, created[2].remoteId);
  const links = [
    linkOf('serwis:zlecenie:1', ANNA, calendarId, created[0]),
    linkOf('serwis:zlecenie:2', ANNA, calendarId, created[1]),
    linkOf('serwis:zlecenie:3', ANNA, calendarId, created[2]),
    linkOf('serwis:zlecenie:4', ANNA, calendarId, updated),
  ];
  const before = target.stats.requests;
  const check = await detectDrift(links, { target, logger: recordingLogger() }, { runId: 'r1' });
  assert.equal(target.stats.requests - before, 1, 'one listing for the calendar');
  assert.deepEqual([...check.drifted.values()].map((d) => [d.sourceKey, d.mailbox, d.kind]), [
    ['serwis:zlecenie:2', ANNA, 'edited'],
    ['serwis:zlecenie:3', ANNA, 'deleted'],
  ]);
  assert.deepEqual(Object.fromEntries(check.remoteChangeKeys), {
    'serwis:zlecenie:1': created[0].changeKey,
    'serwis:zlecenie:2': target.events(ANNA).find((e) => e.sourceKey === 'serwis:zlecenie:2')?.changeKey,
    'serwis:zlecenie:3': null,
    'serwis:zlecenie:4': updated.changeKey,
  });
  assert.deepEqual(check.unchecked, []);
});

test('detectDrift: a link with no stored change key can only show a deletion', async () => {
  const target = createMemoryTarget();
  const calendarId = await target.ensureCalendar(ANNA, 'Serwis');
  const kept = await target.createEvent(ANNA, calendarId, 'serwis:zlecenie:1', sampleEvent(), 'tx-1');
  const gone = await target.createEvent(ANNA, calendarId, 'serwis:zlecenie:2', sampleEvent(), 'tx-2');
  target.editEvent(ANNA, kept.remoteId, { subject: 'Zmienione' });
  target.removeEvent(ANNA, gone.remoteId);
  const links = [
    linkOf('serwis:zlecenie:1', ANNA, calendarId, { remoteId: kept.remoteId, changeKey: null }),
    linkOf('serwis:zlecenie:2', ANNA, calendarId, { remoteId: gone.remoteId, changeKey: null }),
  ];
  const check = await detectDrift(links, { target, logger: recordingLogger() }, { runId: 'r1' });
  assert.deepEqual([...check.drifted.keys()], ['serwis:zlecenie:2']);
});

test('detectDrift: a mailbox whose listing fails gets no drift info (not "all deleted"), and it is logged', async () => {
  const target = createMemoryTarget({ deniedMailboxes: [OBCY] });
  const annaCalendar = await target.ensureCalendar(ANNA, 'Serwis');
  const annaEvent = await target.createEvent(ANNA, annaCalendar, 'serwis:zlecenie:1', sampleEvent(), 'tx-1');
  const links = [
    linkOf('serwis:zlecenie:1', ANNA, annaCalendar, annaEvent),
    linkOf('serwis:zlecenie:2', OBCY, 'cal-obcy', { remoteId: 'r-2', changeKey: 'ck-2' }),
    linkOf('serwis:zlecenie:3', OBCY, 'cal-obcy', { remoteId: 'r-3', changeKey: 'ck-3' }),
  ];
  const logger = recordingLogger();
  const check = await detectDrift(links, { target, logger }, { runId: 'r1' });
  assert.deepEqual([...check.remoteChangeKeys.keys()], ['serwis:zlecenie:1']);
  assert.equal(check.drifted.size, 0);
  assert.deepEqual(check.unchecked.map((u) => u.mailbox), [OBCY]);
  assert.equal(check.calendarsChecked, 1);
  const warning = logger.events.find((e) => e.mailbox === OBCY);
  assert.ok(warning, 'the failed listing is logged with its mailbox');
  assert.equal(warning.level, 'warn');
  assert.equal(warning.runId, 'r1');
  assert.match(warning.message, /obcy@firma\.pl.*2 wydarzeń/);
});

test('detectDrift: record kinds sharing a calendar share one listing per run', async () => {
  const target = createMemoryTarget();
  const calendarId = await target.ensureCalendar(ANNA, 'Serwis');
  const a = await target.createEvent(ANNA, calendarId, 'serwis:zlecenie:1', sampleEvent(), 'tx-1');
  const b = await target.createEvent(ANNA, calendarId, 'crm:zadanie:1', sampleEvent(), 'tx-2');
  const listings = createChangeKeyListings();
  const before = target.stats.requests;
  await detectDrift([linkOf('serwis:zlecenie:1', ANNA, calendarId, a)], { target, logger: recordingLogger() }, { runId: 'r', listings });
  // Mailbox spelled differently: Exchange compares addresses without case.
  const second = await detectDrift([linkOf('crm:zadanie:1', 'Anna@Firma.pl', calendarId, b)], { target, logger: recordingLogger() }, { runId: 'r', listings });
  assert.equal(target.stats.requests - before, 1);
  assert.equal(second.drifted.size, 0);
});

// ── runs: the sync core with the in-memory calendar ────────────────────────────────────────

async function withFixture(body: (f: SyncFixture) => Promise<void>): Promise<void> {
  const f = createSyncFixture({ orders: 30 });
  try {
    await body(f);
  } finally {
    await f.close();
  }
}

/** One run with drift settings as the config would give them. */
function run(f: SyncFixture, drift: Pick<SyncSettings, 'driftCheck' | 'driftPolicy'>, options: RunOptions = {}) {
  return runSync(f.runtime.deps, { ...f.runtime.settings, ...drift }, options);
}

/** Writes the memory target received (create, update, delete) during `body`. */
async function countWrites<T>(f: SyncFixture, body: () => Promise<T>): Promise<{ result: T; writes: number }> {
  const snapshot = () => JSON.stringify(demoMailboxes().map((m) => f.target.events(m).map((e) => [e.remoteId, e.changeKey])));
  const before = snapshot();
  const result = await body();
  return { result, writes: before === snapshot() ? 0 : 1 };
}

/** Two linked events in different orders: one a person edits, one a person deletes. */
function spoil(f: SyncFixture) {
  const events = [...collectEvents(f.target, demoMailboxes()).values()].sort((a, b) => a.sourceKey!.localeCompare(b.sourceKey!));
  const [edited, deleted] = [events[0], events[events.length - 1]];
  f.target.editEvent(edited.mailbox, edited.remoteId, { subject: 'Przełożone przez klienta', start: '2026-06-01T08:00:00', end: '2026-06-01T09:00:00' });
  f.target.removeEvent(deleted.mailbox, deleted.remoteId);
  return { edited, deleted };
}

test('restore (default): a full pass puts Optima\'s version back and re-creates the deleted event; logged, counted; then no drift', async () => {
  await withFixture(async (f) => {
    await f.runtime.runOnce();
    const { edited, deleted } = spoil(f);
    const { report } = await f.runtime.runOnce({ mode: 'full' });
    assert.equal(report.error, null);
    assert.deepEqual(report.drift, { restored: 2, reported: 0 });
    assert.deepEqual([report.updated, report.created, report.deleted, report.moved, report.failed], [1, 1, 0, 0, 0]);

    const after = collectEvents(f.target, demoMailboxes());
    const restored = after.get(edited.sourceKey!)!;
    assert.equal(restored.remoteId, edited.remoteId, 'the same event, edited back');
    assert.deepEqual([restored.subject, restored.startUtc, restored.endUtc], [edited.subject, edited.startUtc, edited.endUtc]);
    const recreated = after.get(deleted.sourceKey!)!;
    assert.notEqual(recreated.remoteId, deleted.remoteId);
    assert.deepEqual([recreated.mailbox, recreated.subject, recreated.startUtc], [deleted.mailbox, deleted.subject, deleted.startUtc]);

    const logs = f.store().queryLogs({ runId: report.runId }).filter((l) => l.action === 'drift-restore');
    assert.deepEqual(logs.map((l) => [l.sourceKey, l.mailbox, l.data?.drift]).sort(), [
      [edited.sourceKey, edited.mailbox, 'edited'], [deleted.sourceKey, deleted.mailbox, 'deleted'],
    ].sort());
    assert.match(logs.find((l) => l.sourceKey === deleted.sourceKey)!.message, /usunięto .* utworzono je ponownie/);

    // The change keys stored after the restore are the ones the calendar now has.
    const requests = f.target.stats.requests;
    const { result: again, writes } = await countWrites(f, () => f.runtime.runOnce({ mode: 'full' }));
    assert.deepEqual(again.report.drift, { restored: 0, reported: 0 });
    assert.equal(writes, 0);
    assert.equal(again.report.planned.update + again.report.planned.create, 0);
    assert.equal(f.target.stats.requests - requests, new Set([...f.store().loadLinks().values()].map((l) => l.mailbox)).size, 'one listing per mailbox');
  });
});

test('report: edited and deleted events become conflicts, nothing is written, and they are reported again next full pass', async () => {
  await withFixture(async (f) => {
    await f.runtime.runOnce();
    const { edited, deleted } = spoil(f);
    for (const pass of [1, 2]) {
      const { result, writes } = await countWrites(f, () => run(f, { driftPolicy: 'report' }, { mode: 'full' }));
      const { report, plan } = result;
      assert.equal(report.error, null);
      assert.deepEqual(report.drift, { restored: 0, reported: 2 }, `pass ${pass}`);
      assert.equal(report.planned.conflict, 2);
      assert.deepEqual([report.created, report.updated, report.deleted, writes], [0, 0, 0, 0]);
      const conflicts = plan!.actions.filter((a) => a.type === 'conflict');
      assert.deepEqual(conflicts.map((a) => a.sourceKey).sort(), [edited.sourceKey, deleted.sourceKey].sort());
      assert.ok(conflicts.every((a) => /„report”/.test(a.reason)), 'the reason names the policy and the fix');
      const logs = f.store().queryLogs({ runId: report.runId }).filter((l) => l.action === 'drift-report');
      assert.deepEqual(logs.map((l) => [l.sourceKey, l.mailbox, l.level]).sort(), [
        [edited.sourceKey, edited.mailbox, 'warn'], [deleted.sourceKey, deleted.mailbox, 'warn'],
      ].sort());
    }
    const now = collectEvents(f.target, demoMailboxes());
    assert.equal(now.get(edited.sourceKey!)?.subject, 'Przełożone przez klienta', 'the person\'s edit is left alone');
    assert.equal(now.has(deleted.sourceKey!), false, 'the deleted event is not re-created');
  });
});

test('full-pass (default): an incremental run neither lists change keys nor notices drift', async () => {
  await withFixture(async (f) => {
    await f.runtime.runOnce();
    spoil(f);
    const requests = f.target.stats.requests;
    const { report } = await f.runtime.runOnce();
    assert.equal(report.mode, 'incremental');
    assert.deepEqual(report.drift, { restored: 0, reported: 0 });
    assert.equal(f.target.stats.requests - requests, 0);
  });
});

test('every-run: an incremental run finds the drift and restores it at once, reading Optima in full only then', async () => {
  await withFixture(async (f) => {
    await f.runtime.runOnce();
    const quiet = await run(f, { driftCheck: 'every-run' });
    assert.equal(quiet.report.mode, 'incremental', 'no drift: stays incremental');
    assert.deepEqual(quiet.report.drift, { restored: 0, reported: 0 });
    assert.ok(quiet.report.graphRequests > 0, 'the change keys were listed');

    const { edited, deleted } = spoil(f);
    const { report } = await run(f, { driftCheck: 'every-run' });
    assert.equal(report.mode, 'full', 'the drifted records were not among the changed rows: read all');
    assert.deepEqual(report.drift, { restored: 2, reported: 0 });
    const after = collectEvents(f.target, demoMailboxes());
    assert.equal(after.get(edited.sourceKey!)?.subject, edited.subject);
    assert.equal(after.get(deleted.sourceKey!)?.subject, deleted.subject);
  });
});

test('off: no listing even on a full pass, and drift stays', async () => {
  await withFixture(async (f) => {
    await f.runtime.runOnce();
    const { edited } = spoil(f);
    const requests = f.target.stats.requests;
    const { report } = await run(f, { driftCheck: 'off' }, { mode: 'full' });
    assert.deepEqual(report.drift, { restored: 0, reported: 0 });
    assert.equal(f.target.stats.requests - requests, 0);
    assert.equal(collectEvents(f.target, demoMailboxes()).get(edited.sourceKey!)?.subject, 'Przełożone przez klienta');
  });
});

test('our own writes are not drift: after Optima edits and a reassignment, a full pass finds none', async () => {
  await withFixture(async (f) => {
    await f.runtime.runOnce();
    const db = f.openOptima();
    const links = [...f.store().loadLinks().values()];
    const idOf = (l: Link) => Number(l.sourceKey.split(':').pop());
    const toMove = links.find((l) => l.mailbox !== 'katarzyna.nowak@serwis-demo.pl')!;
    const [first, second] = links.filter((l) => l !== toMove);
    updateOrder(db, idOf(first), { SrZ_Opis: 'Nowy opis z Optimy' });
    updateOrder(db, idOf(second), { SrZ_DataRealizacji: '2026-06-02 10:00:00.000' });
    reassignOrder(db, idOf(toMove), { type: 'operator', id: 2 });
    f.clock.advance(60_000);
    const changed = await f.runtime.runOnce();
    assert.deepEqual([changed.report.updated, changed.report.moved, changed.report.failed], [2, 1, 0]);
    const { result, writes } = await countWrites(f, () => f.runtime.runOnce({ mode: 'full' }));
    assert.deepEqual(result.report.drift, { restored: 0, reported: 0 });
    assert.equal(writes, 0);
  });
});

test('dry run: drift is planned and reported, nothing restored or written', async () => {
  await withFixture(async (f) => {
    await f.runtime.runOnce();
    spoil(f);
    const { result, writes } = await countWrites(f, () => f.runtime.runOnce({ mode: 'full', dryRun: true }));
    assert.deepEqual(result.report.drift, { restored: 0, reported: 0 });
    assert.equal(writes, 0);
    assert.deepEqual([result.report.planned.update, result.report.planned.create], [1, 1]);
    const reported = await run(f, { driftPolicy: 'report' }, { mode: 'full', dryRun: true });
    assert.deepEqual(reported.report.drift, { restored: 0, reported: 2 });
  });
});

test('a restore that fails is not counted as restored, is logged as failed, and is tried again at the next check', async () => {
  await withFixture(async (f) => {
    await f.runtime.runOnce();
    const { edited, deleted } = spoil(f);
    const outage: TargetError = { kind: 'target-error', status: 503, code: 'ServiceUnavailable', message: 'Usługa Microsoft 365 chwilowo niedostępna (503).', transient: true, retryAfterMs: null, requestId: null };
    const failingUpdates = { ...f.target, updateEvent: () => Promise.reject(outage) };
    const { report } = await runSync({ ...f.runtime.deps, target: failingUpdates }, f.runtime.settings, { mode: 'full' });
    assert.deepEqual(report.drift, { restored: 1, reported: 0 }, 'only the re-created event');
    assert.deepEqual(report.failures.map((x) => [x.sourceKey, x.action]), [[edited.sourceKey, 'update']]);
    const logs = f.store().queryLogs({ runId: report.runId }).filter((l) => l.action === 'drift-restore');
    assert.match(logs.find((l) => l.sourceKey === edited.sourceKey)!.message, /nie udało się go przywrócić.*503/);
    assert.match(logs.find((l) => l.sourceKey === deleted.sourceKey)!.message, /utworzono je ponownie/);

    const next = await f.runtime.runOnce({ mode: 'full' });
    assert.deepEqual(next.report.drift, { restored: 1, reported: 0 });
    assert.equal(collectEvents(f.target, demoMailboxes()).get(edited.sourceKey!)?.subject, edited.subject);
  });
});
