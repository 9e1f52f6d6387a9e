import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MemoryTarget } from '../../server/targets/memory/memory-target.ts';
import { dedupe } from '../../server/sync/dedupe.ts';
import type { CalendarFinder } from '../../server/sync/rebuild-state.ts';
import { chooseKeeper, type FoundEvent } from '../../server/sync/find-duplicates.ts';
import type { DesiredEvent, Link } from '../../server/domain/types.ts';
import { DEFAULT_MAILBOX, createSyncFixture, demoMailboxes, type SyncFixture } from '../support/sync-fixture.ts';

function finderOf(target: MemoryTarget): CalendarFinder {
  return async (mailbox, name) => target.calendars(mailbox).find((c) => c.name.toLowerCase() === name.toLowerCase())?.id ?? null;
}

function eventsFor(f: SyncFixture, sourceKey: string) {
  return demoMailboxes().flatMap((m) => f.target.events(m)).filter((e) => e.sourceKey === sourceKey);
}

/** Three extra events for one linked order: two in its mailbox (one identical), one in the default mailbox. */
async function plantCopies(f: SyncFixture, link: Link): Promise<void> {
  const original = f.target.events(link.mailbox).find((e) => e.remoteId === link.remoteId);
  assert.ok(original);
  await f.target.createEvent(link.mailbox, link.calendarId, link.sourceKey, original.event, 'copy-1');
  await f.target.createEvent(link.mailbox, link.calendarId, link.sourceKey, { ...original.event, subject: 'stara wersja' }, 'copy-2');
  const other = link.mailbox === DEFAULT_MAILBOX ? 'kierownik@firma.pl' : DEFAULT_MAILBOX;
  const calendarId = await f.target.ensureCalendar(other, f.config.calendar.name);
  await f.target.createEvent(other, calendarId, link.sourceKey, original.event, 'copy-3');
}

async function withFixture(body: (f: SyncFixture) => Promise<void>): Promise<void> {
  const f = createSyncFixture({ orders: 30, configure: (raw) => { raw.mailboxes.map = { 'pracownik:99': 'kierownik@firma.pl' }; } });
  try {
    await body(f);
  } finally {
    await f.close();
  }
}

test('dedupe keeps the linked event and deletes the three copies; --dry-run deletes nothing', async () => {
  await withFixture(async (f) => {
    await f.runtime.runOnce();
    const link = [...f.runtime.store.loadLinks().values()].find((l) => l.mailbox !== DEFAULT_MAILBOX) ?? [...f.runtime.store.loadLinks().values()][0];
    await plantCopies(f, link);
    assert.equal(eventsFor(f, link.sourceKey).length, 4);
    const findCalendar = finderOf(f.target);

    const dry = await dedupe(f.runtime.deps, f.runtime.settings, { dryRun: true, findCalendar });
    assert.equal(dry.error, null);
    assert.equal(dry.groups.length, 1);
    assert.equal(dry.groups[0].kept.remoteId, link.remoteId);
    assert.equal(dry.groups[0].removed.length, 3);
    assert.equal(dry.deleted, 0);
    assert.equal(eventsFor(f, link.sourceKey).length, 4, 'the dry run deleted nothing');

    const real = await dedupe(f.runtime.deps, f.runtime.settings, { dryRun: false, findCalendar });
    assert.equal(real.deleted, 3);
    assert.equal(real.failed, 0);
    assert.equal(real.groups[0].relinked, false);
    assert.deepEqual(eventsFor(f, link.sourceKey).map((e) => e.remoteId), [link.remoteId]);
    assert.deepEqual(f.runtime.store.getLink(link.sourceKey), link, 'the link is untouched');

    const again = await dedupe(f.runtime.deps, f.runtime.settings, { dryRun: false, findCalendar });
    assert.deepEqual({ groups: again.groups.length, deleted: again.deleted }, { groups: 0, deleted: 0 });
    const next = await f.runtime.runOnce({ mode: 'full' });
    assert.equal(next.report.created + next.report.updated + next.report.deleted + next.report.moved, 0);
  });
});

test('with no link, dedupe keeps the event in the right mailbox that matches Optima and links it', async () => {
  await withFixture(async (f) => {
    await f.runtime.runOnce();
    const link = [...f.runtime.store.loadLinks().values()][0];
    await plantCopies(f, link);
    f.target.removeEvent(link.mailbox, link.remoteId); // the linked one is gone: three copies remain
    f.runtime.store.deleteLink(link.sourceKey);

    const report = await dedupe(f.runtime.deps, f.runtime.settings, { dryRun: false, findCalendar: finderOf(f.target) });
    assert.equal(report.deleted, 2);
    const [kept] = eventsFor(f, link.sourceKey);
    assert.equal(eventsFor(f, link.sourceKey).length, 1);
    assert.equal(kept.mailbox, link.mailbox);
    assert.notEqual(kept.subject, 'stara wersja');
    const relinked = f.runtime.store.getLink(link.sourceKey);
    assert.equal(relinked?.remoteId, kept.remoteId);
    assert.equal(relinked?.renderHash, link.renderHash, 'content matches, so the hash is the current one');
    const next = await f.runtime.runOnce({ mode: 'full' });
    assert.equal(next.report.created + next.report.updated + next.report.deleted + next.report.moved, 0);
  });
});

test('chooseKeeper: linked first, then the right mailbox with matching content, then the right mailbox', () => {
  const event = (remoteId: string, mailbox: string, subject: string, startUtc = '2026-05-15T08:00:00.000Z'): FoundEvent => ({
    remoteId, mailbox, subject, startUtc, endUtc: '2026-05-15T09:00:00.000Z', changeKey: 'ck', sourceKey: 'serwis:zlecenie:1', calendarId: 'cal',
  });
  const desired = {
    sourceKey: 'serwis:zlecenie:1', mailbox: 'a@firma.pl', renderHash: 'h', sourceModifiedAt: '',
    event: { subject: 'ZS 1', start: '2026-05-15T10:00:00', end: '2026-05-15T11:00:00', timeZone: 'Europe/Warsaw' },
  } as unknown as DesiredEvent;
  const wrongBox = event('1', 'b@firma.pl', 'ZS 1');
  const oldContent = event('2', 'a@firma.pl', 'stare');
  const matching = event('3', 'a@firma.pl', 'ZS 1');
  const wrongTime = event('4', 'a@firma.pl', 'ZS 1', '2026-05-15T10:00:00.000Z');
  const all = [wrongBox, oldContent, wrongTime, matching];
  assert.equal(chooseKeeper(all, { remoteId: '1' } as Link, desired).keep, wrongBox);
  assert.equal(chooseKeeper(all, undefined, desired).keep, matching);
  assert.equal(chooseKeeper([wrongBox, oldContent, wrongTime], undefined, desired).keep, oldContent);
  assert.equal(chooseKeeper([wrongBox, oldContent], undefined, undefined).keep, oldContent, 'no facts: first by mailbox, deterministic');
});
