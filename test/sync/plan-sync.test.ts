import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareSourceKeys, planSync } from '../../server/sync/plan-sync.ts';
import type { PlanInput } from '../../server/sync/plan-sync.ts';
import type { CalendarEvent, DesiredEvent, Link, SkippedRecord, SkipReason, SyncAction } from '../../server/domain/types.ts';

const EVENT: CalendarEvent = {
  subject: 'ZS/1/2026', bodyHtml: '<p>x</p>', location: '', start: '2026-04-01T08:00:00', end: '2026-04-01T09:00:00',
  timeZone: 'Europe/Warsaw', showAs: 'busy', categories: ['Optima Serwis'], isReminderOn: true, reminderMinutesBeforeStart: 15,
};

const key = (id: number): string => `serwis:zlecenie:${id}`;

function desired(id: number, mailbox = 'jan@firma.pl', renderHash = `h${id}`): DesiredEvent {
  return { sourceKey: key(id), mailbox, event: EVENT, renderHash, sourceModifiedAt: '2026-03-01 10:00:00.000' };
}
function link(id: number, mailbox = 'jan@firma.pl', renderHash = `h${id}`, changeKey: string | null = `ck${id}`): Link {
  return { sourceKey: key(id), mailbox, calendarId: 'cal', remoteId: `r${id}`, changeKey, renderHash, sourceModifiedAt: '2026-02-01 10:00:00.000', updatedAt: '2026-02-01T10:00:00Z' };
}
function skipped(id: number, reason: SkipReason): SkippedRecord {
  return { sourceKey: key(id), reason, detail: `Zlecenie ZS/${id}/2026: powód ${reason}.` };
}

/** Builds a plan input; every desired/skipped/linked key is present in the source unless `gone` says otherwise. */
function input(parts: { desired?: DesiredEvent[]; skipped?: SkippedRecord[]; links?: Link[]; gone?: number[]; remote?: Array<[number, string | null]>; policy?: 'restore' | 'report' }): PlanInput {
  const d = new Map((parts.desired ?? []).map((x) => [x.sourceKey, x]));
  const l = new Map((parts.links ?? []).map((x) => [x.sourceKey, x]));
  const present = new Set([...d.keys(), ...(parts.skipped ?? []).map((s) => s.sourceKey), ...l.keys()]);
  for (const id of parts.gone ?? []) present.delete(key(id));
  return {
    desired: d, skipped: parts.skipped ?? [], presentKeys: present, links: l,
    remoteChangeKeys: parts.remote ? new Map(parts.remote.map(([id, ck]) => [key(id), ck])) : undefined,
    driftPolicy: parts.policy,
  };
}
function only(plan: ReturnType<typeof planSync>): SyncAction {
  assert.equal(plan.actions.length, 1, JSON.stringify(plan.actions));
  return plan.actions[0];
}

test('desired, no link → create in the desired mailbox', () => {
  const plan = planSync(input({ desired: [desired(1)] }));
  const a = only(plan);
  assert.equal(a.type, 'create');
  assert.equal(a.type === 'create' && a.desired.mailbox, 'jan@firma.pl');
  assert.match(a.reason, /jan@firma\.pl/);
  assert.equal(plan.unchanged, 0);
  assert.equal(plan.held, null);
});

test('desired, linked in another mailbox → move (with the old link), reason names both mailboxes', () => {
  const a = only(planSync(input({ desired: [desired(1, 'anna@firma.pl')], links: [link(1, 'jan@firma.pl')] })));
  assert.equal(a.type, 'move');
  assert.equal(a.type === 'move' && a.link.mailbox, 'jan@firma.pl');
  assert.match(a.reason, /jan@firma\.pl.*anna@firma\.pl/);
});

test('desired, same mailbox, hash differs → update', () => {
  const a = only(planSync(input({ desired: [desired(1, 'jan@firma.pl', 'new')], links: [link(1, 'jan@firma.pl', 'old')] })));
  assert.equal(a.type, 'update');
  assert.equal(a.type === 'update' && a.desired.renderHash, 'new');
});

test('desired, same mailbox, same hash → unchanged: counted, no action', () => {
  const plan = planSync(input({ desired: [desired(1), desired(2)], links: [link(1), link(2)] }));
  assert.deepEqual(plan.actions, []);
  assert.equal(plan.unchanged, 2);
});

test('drift under restore: edited in Outlook → update; deleted in Outlook → create again', () => {
  const edited = only(planSync(input({ desired: [desired(1)], links: [link(1)], remote: [[1, 'ck-outlook']] })));
  assert.equal(edited.type, 'update');
  assert.match(edited.reason, /poza synchronizacją/);
  const deleted = only(planSync(input({ desired: [desired(1)], links: [link(1)], remote: [[1, null]], policy: 'restore' })));
  assert.equal(deleted.type, 'create');
  assert.match(deleted.reason, /usunięto/);
});

test('drift under report → conflict, nothing overwritten', () => {
  const edited = only(planSync(input({ desired: [desired(1)], links: [link(1)], remote: [[1, 'ck-outlook']], policy: 'report' })));
  assert.equal(edited.type, 'conflict');
  assert.equal(edited.type === 'conflict' && edited.link?.remoteId, 'r1');
  const deleted = only(planSync(input({ desired: [desired(1, 'jan@firma.pl', 'new')], links: [link(1)], remote: [[1, null]], policy: 'report' })));
  assert.equal(deleted.type, 'conflict');
});

test('no drift when the remote change key matches, or when ours was never known', () => {
  const same = planSync(input({ desired: [desired(1)], links: [link(1)], remote: [[1, 'ck1']] }));
  assert.deepEqual([same.actions.length, same.unchanged], [0, 1]);
  const unknown = planSync(input({ desired: [desired(1)], links: [link(1, 'jan@firma.pl', 'h1', null)], remote: [[1, 'whatever']] }));
  assert.deepEqual([unknown.actions.length, unknown.unchanged], [0, 1]);
});

test('skipped with a link because of our own bug (template-error, query-error) → skip, the event stays', () => {
  for (const reason of ['template-error', 'query-error'] as const) {
    const a = only(planSync(input({ skipped: [skipped(1, reason)], links: [link(1)] })));
    assert.equal(a.type, 'skip', reason);
    assert.equal(a.type === 'skip' && a.skip?.reason, reason);
    assert.match(a.reason, /bez zmian/);
  }
});

test('skipped with a link because the record no longer fits (empty-date, impossible-date, no-mailbox, filtered) → delete with that reason', () => {
  for (const reason of ['empty-date', 'impossible-date', 'no-mailbox', 'filtered'] as const) {
    const a = only(planSync(input({ skipped: [skipped(1, reason)], links: [link(1)] })));
    assert.equal(a.type, 'delete', reason);
    assert.equal(a.type === 'delete' && a.link.remoteId, 'r1');
    assert.ok(a.reason.includes(`powód ${reason}`), a.reason);
  }
});

test('skipped without a link → skip carrying the skip record', () => {
  const a = only(planSync(input({ skipped: [skipped(1, 'empty-date')] })));
  assert.equal(a.type, 'skip');
  assert.equal(a.type === 'skip' && a.skip?.sourceKey, key(1));
});

test('link whose record is gone from the source → delete', () => {
  const a = only(planSync(input({ links: [link(1)], gone: [1] })));
  assert.equal(a.type, 'delete');
  assert.match(a.reason, /nie ma już w Optimie/);
});

test('link still in the source but not read in this incremental pass → nothing', () => {
  const plan = planSync(input({ links: [link(1)] }));
  assert.deepEqual(plan.actions, []);
  assert.equal(plan.unchanged, 0);
});

test('actions come sorted by source key (numeric ids in number order), whatever the input order', () => {
  const plan = planSync(input({
    desired: [desired(10), desired(9)],
    skipped: [skipped(100, 'filtered')],
    links: [link(100), link(2), link(11)],
    gone: [2, 11],
  }));
  assert.deepEqual(plan.actions.map((a) => a.sourceKey), [key(2), key(9), key(10), key(11), key(100)]);
  assert.deepEqual(plan.actions.map((a) => a.type), ['delete', 'create', 'create', 'delete', 'delete']);
  assert.ok(compareSourceKeys('crm:zadanie:5', 'serwis:zlecenie:1') < 0);
  // Same input twice → same plan.
  assert.deepEqual(planSync(input({ desired: [desired(3), desired(1)] })), planSync(input({ desired: [desired(1), desired(3)] })));
});

test('every action carries a non-empty Polish reason', () => {
  const plan = planSync(input({
    desired: [desired(1), desired(2, 'anna@firma.pl'), desired(3, 'jan@firma.pl', 'new')],
    skipped: [skipped(4, 'template-error'), skipped(5, 'no-mailbox'), skipped(6, 'empty-date')],
    links: [link(2), link(3), link(4), link(5), link(7)],
    gone: [7],
  }));
  assert.deepEqual(plan.actions.map((a) => a.type), ['create', 'move', 'update', 'skip', 'delete', 'skip', 'delete']);
  for (const a of plan.actions) assert.ok(a.reason.length > 10, a.reason);
});
