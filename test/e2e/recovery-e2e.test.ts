/**
 * End to end: recovery commands against the Graph and Entra emulators, with the same composition
 * root as production. state.db is deleted for real (the files, WAL included) and rebuilt from the
 * source-key stamps; duplicates are planted through the Graph adapter, as a crashed run or a
 * second machine would leave them. Assertions read the emulator's mailboxes and its request log.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CalendarEvent, Link } from '../../server/domain/types.ts';
import { buildRuntime, type Runtime } from '../../server/main.ts';
import { startDemo, type Demo, DEMO_DEFAULT_MAILBOX } from '../../server/demo/start-demo.ts';
import type { EmulatedEvent } from '../emulators/graph/graph-emulator.ts';
import { rebuildState, type CalendarFinder, type RebuildReport } from '../../server/sync/rebuild-state.ts';
import { dedupe, type DedupeReport } from '../../server/sync/dedupe.ts';
import { runRebuildState } from '../../server/cli/rebuild-state-command.ts';
import { runDedupe } from '../../server/cli/dedupe-command.ts';

let demo: Demo;
let dir: string;
/** The runtime the test drives (replaced when state.db is lost). */
let runtime: Runtime;

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'optima-recovery-'));
  demo = await startDemo({ dir, port: 0, orders: 40, secondCompanyOrders: 0, intervalSeconds: 3600, simulatorMs: 0, schedule: false });
  runtime = demo.runtime;
  const first = await runtime.runOnce();
  assert.equal(first.report.error, null);
  assert.ok(first.report.created > 20, `first run created ${first.report.created}`);
});

after(async () => {
  if (runtime !== demo?.runtime) await runtime?.close();
  await demo?.close();
  rmSync(dir, { recursive: true, force: true });
});

function mailboxes(): string[] {
  return [DEMO_DEFAULT_MAILBOX, ...demo.people.flatMap((p) => (p.email ? [p.email.toLowerCase()] : []))];
}

function stamped(): Array<EmulatedEvent & { mailbox: string; sourceKey: string }> {
  return mailboxes().flatMap((mailbox) => demo.graph.listEvents(mailbox, demo.config.calendar.name)
    .map((e) => ({ ...e, mailbox, sourceKey: Object.values(e.extendedProperties)[0] })));
}

/** Graph writes seen by the emulator so far. */
function writes(): number {
  return demo.graph.requestLog.filter((r) => r.method === 'POST' || r.method === 'PATCH' || r.method === 'DELETE').length;
}

/** Looks a calendar up in the emulator without creating it (what a `findCalendar` on the Graph adapter would answer). */
const findCalendar: CalendarFinder = async (mailbox, name) =>
  demo.graph.calendars(mailbox).find((c) => c.name.toLowerCase() === name.toLowerCase())?.id ?? null;

function summary(links: ReadonlyMap<string, Link>) {
  return [...links.values()].map((l) => `${l.sourceKey} ${l.mailbox} ${l.remoteId} ${l.renderHash}`).sort();
}

/** Closes the runtime, deletes state.db with its WAL files, and starts a runtime on the empty state. */
async function loseState(): Promise<void> {
  await runtime.close();
  for (const suffix of ['', '-wal', '-shm']) rmSync(path.join(demo.config.server.dataDir, `state.db${suffix}`), { force: true });
  runtime = buildRuntime(demo.config);
  assert.equal(runtime.store.countLinks(), 0);
}

async function cli<T>(run: typeof runRebuildState, dryRun: boolean): Promise<{ code: number; report: T }> {
  let out = '';
  const code = await run({ configPath: demo.configPath, dryRun, json: true, write: (t) => { out += t; } });
  return { code, report: JSON.parse(out) as T };
}

test('state.db deleted: rebuild-state --dry-run writes nothing; rebuild-state restores every link; the next run writes nothing', async () => {
  const before = summary(runtime.store.loadLinks());
  assert.equal(before.length, stamped().length, 'one link per stamped event before the loss');
  await loseState();

  const writes0 = writes();
  const dryCli = await cli<RebuildReport>(runRebuildState, true);
  assert.equal(dryCli.code, 0);
  // The Graph adapter has no find-without-create yet: the CLI dry run then checks no mailbox.
  const unchecked = dryCli.report.mailboxes.every((m) => m.calendar === 'unchecked');
  assert.equal(dryCli.report.saved, unchecked ? 0 : before.length);
  const dry = await rebuildState(runtime.deps, runtime.settings, { dryRun: true, findCalendar });
  assert.equal(dry.saved, before.length, 'the dry run finds every event');
  assert.equal(dry.mailboxes.reduce((n, m) => n + m.matching, 0), before.length);
  assert.equal(writes(), writes0, 'dry runs send no Graph write');
  assert.equal(runtime.store.countLinks(), 0, 'dry runs write no link');

  const real = await cli<RebuildReport>(runRebuildState, false);
  assert.equal(real.code, 0, JSON.stringify(real.report.mailboxes.filter((m) => m.error)));
  assert.equal(real.report.saved, before.length);
  assert.deepEqual(summary(runtime.store.loadLinks()), before, 'every link restored, with the render hash the sync computes');

  const writes1 = writes();
  const next = await runtime.runOnce();
  assert.equal(next.report.error, null);
  assert.deepEqual({ created: next.report.created, updated: next.report.updated, moved: next.report.moved, deleted: next.report.deleted }, { created: 0, updated: 0, moved: 0, deleted: 0 });
  assert.equal(writes(), writes1, 'the next run sends no POST, PATCH or DELETE');
});

test('three duplicates planted for one order: dedupe --dry-run changes nothing, dedupe leaves exactly the linked one', async () => {
  const link = [...runtime.store.loadLinks().values()].find((l) => l.mailbox !== DEMO_DEFAULT_MAILBOX);
  assert.ok(link, 'an order routed to a person');
  const original = stamped().find((e) => e.id === link.remoteId);
  assert.ok(original);
  const event: CalendarEvent = {
    subject: original.subject, bodyHtml: original.body.content, location: original.location,
    start: original.start.dateTime.slice(0, 19), end: original.end.dateTime.slice(0, 19), timeZone: original.start.timeZone,
    showAs: 'busy', categories: [...original.categories], isReminderOn: true, reminderMinutesBeforeStart: 15,
  };
  const target = runtime.deps.target;
  await target.createEvent(link.mailbox, link.calendarId, link.sourceKey, event, 'planted-1');
  await target.createEvent(link.mailbox, link.calendarId, link.sourceKey, { ...event, subject: `${event.subject} (stara wersja)` }, 'planted-2');
  const otherCalendar = await target.ensureCalendar(DEMO_DEFAULT_MAILBOX, demo.config.calendar.name);
  await target.createEvent(DEMO_DEFAULT_MAILBOX, otherCalendar, link.sourceKey, event, 'planted-3');
  const copies = () => stamped().filter((e) => e.sourceKey === link.sourceKey);
  assert.equal(copies().length, 4);

  const writes0 = writes();
  const dryCli = await cli<DedupeReport>(runDedupe, true);
  assert.equal(dryCli.code, 0);
  const dry = await dedupe(runtime.deps, runtime.settings, { dryRun: true, findCalendar });
  assert.deepEqual(dry.groups.map((g) => ({ key: g.sourceKey, kept: g.kept.remoteId, removed: g.removed.length })), [{ key: link.sourceKey, kept: link.remoteId, removed: 3 }]);
  assert.equal(writes(), writes0, 'dry runs send no Graph write');
  assert.equal(copies().length, 4, 'dry runs delete nothing');

  const real = await cli<DedupeReport>(runDedupe, false);
  assert.equal(real.code, 0);
  assert.equal(real.report.deleted, 3);
  assert.deepEqual(copies().map((e) => [e.mailbox, e.id]), [[link.mailbox, link.remoteId]], 'exactly one event left: the linked one');
  assert.equal(demo.graph.requestLog.slice(-3).every((r) => r.method === 'DELETE'), true);
  assert.deepEqual(runtime.store.getLink(link.sourceKey), link, 'the link is untouched');

  const writes1 = writes();
  const next = await runtime.runOnce({ mode: 'full' });
  assert.equal(next.report.created + next.report.updated + next.report.moved + next.report.deleted, 0);
  assert.equal(writes(), writes1);
});
