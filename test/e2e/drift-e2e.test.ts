/**
 * End to end: drift — events a person edits or deletes in Outlook — against the Graph and Entra
 * emulators, with the same composition root as production. The person's edits go straight into
 * the emulator's mailbox (as Outlook would make them); assertions read the mailboxes and the
 * emulator's request log.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startDemo, type Demo, DEMO_DEFAULT_MAILBOX } from '../../server/demo/start-demo.ts';
import { runSync, type RunOptions, type SyncSettings } from '../../server/sync/run-sync.ts';
import type { EmulatedEvent } from '../emulators/graph/graph-emulator.ts';

let demo: Demo;
let dir: string;

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'optima-drift-'));
  demo = await startDemo({ dir, port: 0, orders: 40, secondCompanyOrders: 0, intervalSeconds: 3600, simulatorMs: 0, schedule: false });
  const first = await demo.runtime.runOnce();
  assert.equal(first.report.error, null);
  assert.ok(first.report.created > 20, `first run created ${first.report.created}`);
});

after(async () => {
  await demo?.close();
  rmSync(dir, { recursive: true, force: true });
});

function mailboxes(): string[] {
  return [DEMO_DEFAULT_MAILBOX, ...demo.people.flatMap((p) => (p.email ? [p.email.toLowerCase()] : []))];
}

/** Every stamped event in the sync calendars, by source key (one each, or the test fails). */
function eventsByKey(): Map<string, EmulatedEvent & { mailbox: string }> {
  const byKey = new Map<string, EmulatedEvent & { mailbox: string }>();
  for (const mailbox of mailboxes()) {
    for (const e of demo.graph.listEvents(mailbox, demo.config.calendar.name)) {
      const key = Object.values(e.extendedProperties)[0];
      assert.equal(byKey.has(key), false, `${key} has two events`);
      byKey.set(key, { ...e, mailbox });
    }
  }
  return byKey;
}

/** Runs `body` and returns what the emulator saw meanwhile. */
async function watch<T>(body: () => Promise<T>): Promise<{ result: T; seen: Array<{ method: string; path: string; mailbox: string | null }> }> {
  const start = demo.graph.requestLog.length;
  const result = await body();
  return { result, seen: demo.graph.requestLog.slice(start).map((r) => ({ method: r.method, path: r.path, mailbox: r.mailbox })) };
}

/** A run with drift settings as `sync.driftCheck` / `sync.driftPolicy` would give them. */
function runWith(drift: Pick<SyncSettings, 'driftCheck' | 'driftPolicy'>, options: RunOptions) {
  return runSync(demo.runtime.deps, { ...demo.runtime.settings, ...drift }, options);
}

/** The two events a person spoils: one edited, one deleted, in different mailboxes where possible. */
let editedKey = '';
let deletedKey = '';
let optimaSubject = '';
let deletedBefore: EmulatedEvent & { mailbox: string } = null!;

test('an unchanged full pass finds no drift and only lists change keys: one request per mailbox, no write', async () => {
  // The first run created its events in $batch requests: the change keys taken from batch answers hold.
  assert.ok(demo.graph.requestLog.some((r) => r.viaBatch && r.method === 'POST'), 'the first run sent creates in $batch');
  const linkedMailboxes = new Set([...demo.runtime.store.loadLinks().values()].map((l) => l.mailbox));
  const { result, seen } = await watch(() => demo.runtime.runOnce({ mode: 'full' }));
  const { report } = result;
  assert.equal(report.error, null);
  assert.equal(report.mode, 'full');
  assert.deepEqual(report.drift, { restored: 0, reported: 0 });
  assert.deepEqual([report.created, report.updated, report.deleted, report.moved, report.failed], [0, 0, 0, 0, 0]);
  assert.deepEqual(seen.filter((r) => r.method !== 'GET'), [], 'no write reached Graph');
  assert.equal(seen.length, linkedMailboxes.size, 'one change-key listing per mailbox with events');
  assert.deepEqual(new Set(seen.map((r) => r.mailbox)), linkedMailboxes);
  assert.ok(seen.every((r) => /^\/users\/[^/]+\/calendars\/[^/]+\/events$/.test(r.path)), JSON.stringify(seen));
  assert.equal(report.graphRequests, seen.length);
});

test('driftPolicy report: an edited and a deleted event are reported as conflicts and left alone, at every full pass', async () => {
  const events = [...eventsByKey().values()];
  const edited = events[0];
  deletedBefore = events.find((e) => e.mailbox !== edited.mailbox) ?? events[1];
  editedKey = Object.values(edited.extendedProperties)[0];
  deletedKey = Object.values(deletedBefore.extendedProperties)[0];
  optimaSubject = edited.subject;
  demo.graph.editEventAsUser(edited.mailbox, edited.id, { subject: 'Klient przełożył — zmienione w Outlooku' });
  demo.graph.deleteEventAsUser(deletedBefore.mailbox, deletedBefore.id);

  for (const pass of [1, 2]) {
    const { result, seen } = await watch(() => runWith({ driftPolicy: 'report' }, { mode: 'full' }));
    const { report, plan } = result;
    assert.equal(report.error, null);
    assert.deepEqual(report.drift, { restored: 0, reported: 2 }, `pass ${pass}`);
    assert.equal(report.planned.conflict, 2);
    assert.deepEqual(plan!.actions.filter((a) => a.type === 'conflict').map((a) => a.sourceKey).sort(), [editedKey, deletedKey].sort());
    assert.deepEqual(seen.filter((r) => r.method !== 'GET'), [], 'nothing written');
    const logged = demo.runtime.store.queryLogs({ runId: report.runId }).filter((l) => l.action === 'drift-report');
    assert.deepEqual(logged.map((l) => [l.sourceKey, l.mailbox]).sort(), [[editedKey, edited.mailbox], [deletedKey, deletedBefore.mailbox]].sort());
  }
  const now = eventsByKey();
  assert.equal(now.get(editedKey)?.subject, 'Klient przełożył — zmienione w Outlooku');
  assert.equal(now.has(deletedKey), false);
});

test('driftPolicy restore (default): the next full pass brings Optima\'s subject back and re-creates the deleted event', async () => {
  assert.ok(editedKey && deletedKey, 'the previous test spoiled two events');
  const { result, seen } = await watch(() => demo.runtime.runOnce({ mode: 'full' }));
  const { report } = result;
  assert.equal(report.error, null);
  assert.deepEqual(report.drift, { restored: 2, reported: 0 });
  assert.deepEqual([report.updated, report.created, report.deleted, report.failed], [1, 1, 0, 0]);
  assert.deepEqual(seen.filter((r) => r.method !== 'GET').map((r) => r.method).sort(), ['PATCH', 'POST']);

  const now = eventsByKey();
  assert.equal(now.get(editedKey)?.subject, optimaSubject, 'Optima\'s subject is back');
  const recreated = now.get(deletedKey);
  assert.ok(recreated, 'the deleted event is back');
  assert.equal(recreated.mailbox, deletedBefore.mailbox);
  assert.equal(recreated.subject, deletedBefore.subject);
  assert.equal(recreated.startUtc, deletedBefore.startUtc);
  const logged = demo.runtime.store.queryLogs({ runId: report.runId }).filter((l) => l.action === 'drift-restore');
  assert.deepEqual(logged.map((l) => l.sourceKey).sort(), [editedKey, deletedKey].sort());

  // What the restore stored is what the calendar holds: no drift, no write after it.
  const { result: again, seen: seenAgain } = await watch(() => demo.runtime.runOnce({ mode: 'full' }));
  assert.deepEqual(again.report.drift, { restored: 0, reported: 0 });
  assert.deepEqual(seenAgain.filter((r) => r.method !== 'GET'), []);
});
