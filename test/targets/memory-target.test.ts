import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryTarget } from '../../server/targets/memory/memory-target.ts';
import { OUTCOME_UNKNOWN } from '../../server/targets/describe-target-error.ts';
import { sampleEvent, targetErrorOf } from '../contract/calendar-target-contract.ts';

const MAILBOX = 'jan.kowalski@firma.pl';

describe('memory target (beyond the contract)', () => {
  it('failCreatesAfterStore: the event is stored although the create failed; the stamp finds it', async () => {
    const target = createMemoryTarget({ failCreatesAfterStore: 1 });
    const calendarId = await target.ensureCalendar(MAILBOX, 'Serwis');
    const err = await targetErrorOf(() => target.createEvent(MAILBOX, calendarId, 'serwis:zlecenie:1', sampleEvent(), 'tx-1'));
    assert.equal(err.code, OUTCOME_UNKNOWN);
    assert.equal(err.transient, true);
    const found = await target.findBySourceKey(MAILBOX, calendarId, 'serwis:zlecenie:1');
    assert.equal(found.length, 1);
    assert.equal(target.events(MAILBOX).length, 1);
    // Only the first create failed.
    await target.createEvent(MAILBOX, calendarId, 'serwis:zlecenie:2', sampleEvent(), 'tx-2');
    assert.equal(target.events(MAILBOX).length, 2);
  });

  it('a repeated transactionId returns the event already created, not a second one', async () => {
    const target = createMemoryTarget();
    const calendarId = await target.ensureCalendar(MAILBOX, 'Serwis');
    const first = await target.createEvent(MAILBOX, calendarId, 'serwis:zlecenie:1', sampleEvent(), 'tx-same');
    const again = await target.createEvent(MAILBOX, calendarId, 'serwis:zlecenie:1', sampleEvent(), 'tx-same');
    assert.equal(again.remoteId, first.remoteId);
    assert.equal(target.events(MAILBOX).length, 1);
  });

  it('counts requests as the Graph adapter does', async () => {
    const target = createMemoryTarget();
    const calendarId = await target.ensureCalendar(MAILBOX, 'Serwis');
    assert.equal(target.stats.requests, 2, 'list calendars + create calendar');
    await target.ensureCalendar(MAILBOX, 'Serwis');
    assert.equal(target.stats.requests, 2, 'calendar id cached');
    for (let i = 0; i < 201; i++) await target.createEvent(MAILBOX, calendarId, `k:${i}`, sampleEvent(), `tx-${i}`);
    assert.equal(target.stats.requests, 203);
    const created = target.events(MAILBOX)[0];
    await target.updateEvent(MAILBOX, created.remoteId, sampleEvent({ subject: 'nowy' }));
    assert.equal(target.stats.requests, 204, 'an update is one request');
    await target.listStampedEvents(MAILBOX, calendarId);
    assert.equal(target.stats.requests, 206, '201 events are two pages');
    for (let i = 201; i < 1001; i++) await target.createEvent(MAILBOX, calendarId, `k:${i}`, sampleEvent(), `tx-${i}`);
    const before = target.stats.requests;
    assert.equal((await target.listChangeKeys(MAILBOX, calendarId)).size, 1001);
    assert.equal(target.stats.requests - before, 2, 'change keys: 1001 events are two pages of 1000');
  });

  it('a person editing or deleting in Outlook: the change key moves; an update then gets 404', async () => {
    const target = createMemoryTarget();
    const calendarId = await target.ensureCalendar(MAILBOX, 'Serwis');
    const created = await target.createEvent(MAILBOX, calendarId, 'serwis:zlecenie:1', sampleEvent(), 'tx-1');
    const edited = target.editEvent(MAILBOX, created.remoteId, { subject: 'Zmienione w Outlooku' });
    assert.notEqual(edited.changeKey, created.changeKey);
    const [found] = await target.findBySourceKey(MAILBOX, calendarId, 'serwis:zlecenie:1');
    assert.equal(found.subject, 'Zmienione w Outlooku');
    target.removeEvent(MAILBOX, created.remoteId);
    const err = await targetErrorOf(() => target.updateEvent(MAILBOX, created.remoteId, sampleEvent()));
    assert.equal(err.status, 404);
  });

  it('a mailbox outside the access policy answers 403 naming the fix; an unknown one 404', async () => {
    const target = createMemoryTarget({ deniedMailboxes: ['obcy@firma.pl'], unknownMailboxes: ['nikt@firma.pl'] });
    const denied = await targetErrorOf(() => target.ensureCalendar('obcy@firma.pl', 'Serwis'));
    assert.equal(denied.status, 403);
    assert.equal(denied.transient, false);
    assert.match(denied.message, /poza zakresem/);
    const unknown = await targetErrorOf(() => target.ensureCalendar('nikt@firma.pl', 'Serwis'));
    assert.equal(unknown.code, 'ErrorInvalidUser');
  });

  it('failNext throws the given error for the next calls only', async () => {
    const target = createMemoryTarget();
    const busy = { kind: 'target-error', status: 503, code: 'ServiceUnavailable', message: 'niedostępny', transient: true, retryAfterMs: null, requestId: null } as const;
    target.failNext(2, busy);
    assert.equal(await targetErrorOf(() => target.ensureCalendar(MAILBOX, 'Serwis')), busy);
    assert.equal(await targetErrorOf(() => target.ensureCalendar(MAILBOX, 'Serwis')), busy);
    assert.ok(await target.ensureCalendar(MAILBOX, 'Serwis'));
  });
});

describe('memory target: importance, attendees and category colours', () => {
  const PARTICIPANTS = [{ name: 'Jan Kowalski', email: 'jan@klient.pl' }];

  it('stores importance and attendees; an update without them keeps them (as a Graph PATCH), an empty list clears', async () => {
    const target = createMemoryTarget();
    const calendarId = await target.ensureCalendar(MAILBOX, 'CRM');
    const created = await target.createEvent(MAILBOX, calendarId, 'crm:zadanie:1', sampleEvent({ importance: 'high', attendees: PARTICIPANTS }), 'tx-1');
    assert.equal(target.events(MAILBOX)[0].event.importance, 'high');
    assert.deepEqual(target.events(MAILBOX)[0].event.attendees, PARTICIPANTS);
    await target.updateEvent(MAILBOX, created.remoteId, sampleEvent({ subject: 'Zmiana' }));
    assert.equal(target.events(MAILBOX)[0].event.importance, 'high');
    assert.deepEqual(target.events(MAILBOX)[0].event.attendees, PARTICIPANTS);
    await target.updateEvent(MAILBOX, created.remoteId, sampleEvent({ importance: 'low', attendees: [] }));
    assert.equal(target.events(MAILBOX)[0].event.importance, 'low');
    assert.deepEqual(target.events(MAILBOX)[0].event.attendees, []);
  });

  it('an event without importance or attendees is stored without them', async () => {
    const target = createMemoryTarget();
    const calendarId = await target.ensureCalendar(MAILBOX, 'Serwis');
    await target.createEvent(MAILBOX, calendarId, 'serwis:zlecenie:1', sampleEvent(), 'tx-1');
    const [stored] = target.events(MAILBOX);
    assert.equal('importance' in stored.event, false);
    assert.equal('attendees' in stored.event, false);
  });

  it('keeps a master category list per mailbox, ensured once, counted like the Graph target', async () => {
    const target = createMemoryTarget({ categoryColors: new Map([['Serwis', 'preset7'], ['Pilne', 'czerwony']]) });
    const calendarId = await target.ensureCalendar(MAILBOX, 'Serwis');
    assert.deepEqual([...target.masterCategories(MAILBOX)], []);
    const start = target.stats.requests;
    await target.createEvent(MAILBOX, calendarId, 'serwis:zlecenie:1', sampleEvent({ categories: ['Serwis', 'Pilne', 'Inna'] }), 'tx-1');
    assert.deepEqual([...target.masterCategories(MAILBOX)], [['Serwis', 'preset7'], ['Pilne', 'preset0']]);
    assert.equal(target.stats.requests - start, 4, 'list + two adds + the create');
    await target.createEvent(MAILBOX, calendarId, 'serwis:zlecenie:2', sampleEvent({ categories: ['serwis'] }), 'tx-2');
    assert.equal(target.stats.requests - start, 5, 'already ensured: the create only');
    assert.deepEqual([...target.masterCategories('inna.osoba@firma.pl')], [], 'per mailbox');
  });

  it('recolours a category a person coloured differently', async () => {
    const target = createMemoryTarget({ categoryColors: new Map([['Serwis', 'niebieski']]) });
    target.setMasterCategory(MAILBOX, 'SERWIS', 'preset4');
    const calendarId = await target.ensureCalendar(MAILBOX, 'Serwis');
    const start = target.stats.requests;
    await target.createEvent(MAILBOX, calendarId, 'serwis:zlecenie:1', sampleEvent({ categories: ['Serwis'] }), 'tx-1');
    assert.deepEqual([...target.masterCategories(MAILBOX)], [['SERWIS', 'preset7']]);
    assert.equal(target.stats.requests - start, 3, 'list + recolour + the create');
  });

  it('without categoryColors no category request is made', async () => {
    const target = createMemoryTarget();
    const calendarId = await target.ensureCalendar(MAILBOX, 'Serwis');
    const start = target.stats.requests;
    await target.createEvent(MAILBOX, calendarId, 'serwis:zlecenie:1', sampleEvent({ categories: ['Serwis'] }), 'tx-1');
    assert.equal(target.stats.requests - start, 1);
    assert.equal(target.masterCategories(MAILBOX).size, 0);
  });
});
