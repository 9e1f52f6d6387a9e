import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Link } from '../../server/domain/types.ts';
import type { Runtime } from '../../server/main.ts';
import { deleteOrder } from '../../server/demo/optima-demo-writes.ts';
import type { MemoryTarget } from '../../server/targets/memory/memory-target.ts';
import { rebuildState, type CalendarFinder } from '../../server/sync/rebuild-state.ts';
import { collectEvents, createSyncFixture, demoMailboxes, type SyncFixture } from '../support/sync-fixture.ts';

/** Looks a calendar up in the in-memory mailboxes without creating it (what a real adapter's findCalendar does). */
function finderOf(target: MemoryTarget): CalendarFinder {
  return async (mailbox, name) => target.calendars(mailbox).find((c) => c.name.toLowerCase() === name.toLowerCase())?.id ?? null;
}

/** state.db and its WAL files removed, as after a lost disk; returns a runtime on the empty state. */
async function loseState(f: SyncFixture, runtime: Runtime): Promise<Runtime> {
  await runtime.close();
  for (const suffix of ['', '-wal', '-shm']) rmSync(join(f.dataDir, `state.db${suffix}`), { force: true });
  return f.buildAnotherRuntime();
}

function linkSummary(links: ReadonlyMap<string, Link>) {
  return [...links.values()].map((l) => ({ sourceKey: l.sourceKey, mailbox: l.mailbox, remoteId: l.remoteId, calendarId: l.calendarId, renderHash: l.renderHash }))
    .sort((a, b) => a.sourceKey.localeCompare(b.sourceKey));
}

async function withFixture(body: (f: SyncFixture) => Promise<void>): Promise<void> {
  const f = createSyncFixture({ orders: 30 });
  try {
    await body(f);
  } finally {
    await f.close();
  }
}

test('state.db lost: rebuild restores every link with its render hash, and the next run writes nothing', async () => {
  await withFixture(async (f) => {
    const first = await f.runtime.runOnce();
    assert.ok(first.report.created > 10, `first run created ${first.report.created}`);
    const before = linkSummary(f.runtime.store.loadLinks());
    const runtime = await loseState(f, f.runtime);
    assert.equal(runtime.store.countLinks(), 0);

    const report = await rebuildState(runtime.deps, runtime.settings, { dryRun: false, findCalendar: finderOf(f.target) });
    assert.equal(report.error, null);
    assert.equal(report.saved, before.length);
    assert.deepEqual(linkSummary(runtime.store.loadLinks()), before);
    assert.equal(report.mailboxes.reduce((n, m) => n + m.matching, 0), before.length);
    assert.deepEqual(report.duplicates, []);

    const requests = f.target.stats.requests;
    const next = await runtime.runOnce();
    assert.equal(next.report.error, null);
    assert.equal(next.report.mode, 'full', 'the lost watermarks make the next run a full pass');
    assert.deepEqual({ created: next.report.created, updated: next.report.updated, moved: next.report.moved, deleted: next.report.deleted }, { created: 0, updated: 0, moved: 0, deleted: 0 });
    const mailboxes = new Set([...runtime.store.loadLinks().values()].map((l) => l.mailbox)).size;
    assert.equal(f.target.stats.requests - requests, mailboxes, 'no write: only the change-key listing of each mailbox (drift check on the full pass)');
  });
});

test('dry run: reports what it would link, writes no link and creates no calendar', async () => {
  await withFixture(async (f) => {
    await f.runtime.runOnce();
    const linked = f.runtime.store.countLinks();
    const runtime = await loseState(f, f.runtime);
    const calendarsBefore = demoMailboxes().map((m) => f.target.calendars(m).length);

    const report = await rebuildState(runtime.deps, runtime.settings, { dryRun: true, findCalendar: finderOf(f.target) });
    assert.equal(report.saved, linked);
    assert.equal(runtime.store.countLinks(), 0, 'nothing written');
    assert.ok(report.mailboxes.some((m) => m.calendar === 'missing'), 'a person with no orders has no sync calendar');
    assert.deepEqual(demoMailboxes().map((m) => f.target.calendars(m).length), calendarsBefore, 'no calendar created');

    // An adapter that cannot look a calendar up without creating it: the dry run leaves the mailboxes unchecked.
    const blind = await rebuildState(runtime.deps, runtime.settings, { dryRun: true, findCalendar: null });
    assert.ok(blind.mailboxes.length > 0 && blind.mailboxes.every((m) => m.calendar === 'unchecked'));
    assert.deepEqual(demoMailboxes().map((m) => f.target.calendars(m).length), calendarsBefore, 'still no calendar created');
    assert.equal(runtime.store.countLinks(), 0);
  });
});

test('events edited in Outlook or whose order is gone are linked, and the next run repairs exactly those', async () => {
  await withFixture(async (f) => {
    await f.runtime.runOnce();
    const events = [...collectEvents(f.target, demoMailboxes()).values()];
    const [edited, gone] = events.map((e) => ({ ...e, sourceKey: e.sourceKey ?? assert.fail('stamped') }));
    f.target.editEvent(edited.mailbox, edited.remoteId, { subject: 'Zmienione ręcznie w Outlooku' });
    const db = f.openOptima();
    deleteOrder(db, Number(gone.sourceKey.split(':').pop()));
    const runtime = await loseState(f, f.runtime);

    const report = await rebuildState(runtime.deps, runtime.settings, { dryRun: false, findCalendar: finderOf(f.target) });
    assert.equal(report.saved, events.length, 'every stamped event is linked, also the one whose order is gone');
    assert.equal(runtime.store.getLink(edited.sourceKey)?.renderHash, '', 'an edited event gets no hash: the next run rewrites it');
    assert.equal(report.mailboxes.reduce((n, m) => n + m.toUpdate, 0), 1);
    assert.equal(report.mailboxes.reduce((n, m) => n + m.orphaned, 0), 1);

    const next = await runtime.runOnce();
    assert.deepEqual({ created: next.report.created, updated: next.report.updated, deleted: next.report.deleted, moved: next.report.moved }, { created: 0, updated: 1, deleted: 1, moved: 0 });
    const after = collectEvents(f.target, demoMailboxes());
    assert.notEqual(after.get(edited.sourceKey)?.subject, 'Zmienione ręcznie w Outlooku');
    assert.equal(after.has(gone.sourceKey), false);
  });
});

test('a state.db from another machine: stale links are dropped, duplicates are reported with one linked', async () => {
  await withFixture(async (f) => {
    await f.runtime.runOnce();
    const store = f.runtime.store;
    const [a, b] = [...store.loadLinks().values()];
    // Copied state: a link to an event that does not exist here, and a second event for `b`.
    store.saveLink({ ...a, remoteId: 'elsewhere-1', changeKey: 'ck-x' });
    f.target.removeEvent(a.mailbox, a.remoteId);
    const original = f.target.events(b.mailbox).find((e) => e.remoteId === b.remoteId);
    assert.ok(original);
    const copy = await f.target.createEvent(b.mailbox, b.calendarId, b.sourceKey, { ...original.event, subject: 'kopia' }, 'planted-copy');
    const total = store.countLinks();

    const report = await rebuildState(f.runtime.deps, f.runtime.settings, { dryRun: false, findCalendar: finderOf(f.target) });
    assert.equal(report.removed, 1, 'the link to a missing event is dropped');
    assert.equal(store.getLink(a.sourceKey), null);
    assert.equal(report.unchanged, total - 1, 'links that were right stay as they were');
    assert.equal(report.duplicates.length, 1);
    assert.equal(report.duplicates[0].sourceKey, b.sourceKey);
    assert.equal(report.duplicates[0].keep.remoteId, b.remoteId, 'the linked event stays linked');
    assert.deepEqual(report.duplicates[0].extra.map((e) => e.remoteId), [copy.remoteId]);

    const next = await f.runtime.runOnce();
    assert.equal(next.report.mode, 'full', 'a rebuild that changed links makes the next run a full pass');
    assert.equal(next.report.created, 1, 'the order whose event was missing gets it back');
    assert.equal(demoMailboxes().flatMap((m) => f.target.events(m)).filter((e) => e.sourceKey === a.sourceKey).length, 1);
  });
});

test('a mailbox that cannot be read keeps its links; a running sync blocks the rebuild', async () => {
  await withFixture(async (f) => {
    await f.runtime.runOnce();
    const store = f.runtime.store;
    const links = store.countLinks();
    f.target.failNext(1, { kind: 'target-error', status: 403, code: 'ErrorAccessDenied', message: 'Brak dostępu do skrzynki (403) — nadaj aplikacji dostęp.', transient: false, retryAfterMs: null, requestId: null });
    const report = await rebuildState(f.runtime.deps, f.runtime.settings, { dryRun: false, findCalendar: finderOf(f.target) });
    const failed = report.mailboxes.filter((m) => m.calendar === 'error');
    assert.equal(failed.length, 1);
    assert.match(failed[0].error ?? '', /403/);
    assert.ok([...store.loadLinks().values()].some((l) => l.mailbox === failed[0].mailbox), 'the unreadable mailbox holds linked events');
    assert.equal(report.removed, 0, 'links into the unreadable mailbox are not dropped');
    assert.equal(store.countLinks(), links);

    assert.equal(store.acquireLock('sync', 'inny-serwer:1:run', 60_000), null);
    const blocked = await rebuildState(f.runtime.deps, f.runtime.settings, { dryRun: false, findCalendar: finderOf(f.target) });
    assert.match(blocked.error ?? '', /trwa/);
    assert.equal(blocked.saved, 0);
  });
});
