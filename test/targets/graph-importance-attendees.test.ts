import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { toGraphEventFields } from '../../server/targets/graph/graph-event-fields.ts';
import { nextTransactionId, sampleEvent } from '../contract/calendar-target-contract.ts';
import { startGraphWorld } from './graph-world.ts';
import type { GraphWorld } from './graph-world.ts';

const ANNA = 'anna.nowak@firma.pl';

/** Body keys of an event create/update as this project sent them before importance and attendees existed. */
const FIELD_KEYS = ['subject', 'body', 'start', 'end', 'location', 'showAs', 'categories', 'isReminderOn', 'reminderMinutesBeforeStart'];
const CREATE_KEYS = [...FIELD_KEYS, 'transactionId', 'singleValueExtendedProperties'];

const PARTICIPANTS = [
  { name: 'Jan Kowalski', email: 'jan.kowalski@klient.pl' },
  { name: 'Ewa Zielińska', email: 'ewa@klient.pl' },
];

let world: GraphWorld;

before(async () => {
  world = await startGraphWorld([ANNA]);
});
after(() => world.close());

/** A fresh target and calendar; `writes()` = event writes logged since (method and body keys). */
async function setUp(calendarName: string) {
  const target = world.makeTarget({ sleep: async () => {}, random: () => 0.5 });
  const calendarId = await target.ensureCalendar(ANNA, calendarName);
  const logStart = world.graph.requestLog.length;
  return {
    target,
    calendarId,
    writes: () =>
      world.graph.requestLog
        .slice(logStart)
        .filter((e) => (e.method === 'POST' || e.method === 'PATCH') && e.path.includes('/events'))
        .map((e) => ({ method: e.method, keys: e.bodyKeys ?? [] })),
    stored: () => world.graph.listEvents(ANNA, calendarName),
  };
}

describe('Graph target: importance and attendees', () => {
  it('an event without them sends exactly the fields it sent before, on create and on update', async () => {
    const { target, calendarId, writes, stored } = await setUp('Bez dodatków');
    const created = await target.createEvent(ANNA, calendarId, 'serwis:zlecenie:1', sampleEvent(), nextTransactionId());
    await target.updateEvent(ANNA, created.remoteId, sampleEvent({ subject: 'Nowy temat' }));
    assert.deepEqual(writes(), [
      { method: 'POST', keys: CREATE_KEYS },
      { method: 'PATCH', keys: FIELD_KEYS },
    ]);
    const [event] = stored();
    assert.equal(event.importance, 'normal', 'Graph reads an unset importance as normal');
    assert.deepEqual(event.attendees, []);
    assert.equal('importance' in event.fields, false);
  });

  it('importance and attendees go out and come back (required attendees, name and address)', async () => {
    const { target, calendarId, writes, stored } = await setUp('Z uczestnikami');
    await target.createEvent(ANNA, calendarId, 'crm:zadanie:7', sampleEvent({ importance: 'high', attendees: PARTICIPANTS }), nextTransactionId());
    assert.deepEqual(writes()[0].keys, [...FIELD_KEYS, 'importance', 'attendees', 'transactionId', 'singleValueExtendedProperties']);
    const [event] = stored();
    assert.equal(event.importance, 'high');
    assert.deepEqual(event.attendees, [
      { name: 'Jan Kowalski', address: 'jan.kowalski@klient.pl', type: 'required' },
      { name: 'Ewa Zielińska', address: 'ewa@klient.pl', type: 'required' },
    ]);
  });

  it('an update with an empty attendee list removes the attendees; one without the field leaves them', async () => {
    const { target, calendarId, writes, stored } = await setUp('Zmiana uczestników');
    const created = await target.createEvent(ANNA, calendarId, 'crm:zadanie:8', sampleEvent({ importance: 'low', attendees: PARTICIPANTS }), nextTransactionId());

    await target.updateEvent(ANNA, created.remoteId, sampleEvent({ subject: 'Bez zmian uczestników' }));
    assert.deepEqual(writes()[1].keys, FIELD_KEYS);
    assert.equal(stored()[0].attendees.length, 2, 'not sent = not changed');
    assert.equal(stored()[0].importance, 'low');

    await target.updateEvent(ANNA, created.remoteId, sampleEvent({ importance: 'normal', attendees: [] }));
    assert.deepEqual(writes()[2].keys, [...FIELD_KEYS, 'importance', 'attendees']);
    assert.deepEqual(stored()[0].attendees, []);
    assert.equal(stored()[0].importance, 'normal');
  });

  it('a create with an empty attendee list sends no attendees (the body stays as before)', () => {
    assert.deepEqual(Object.keys(toGraphEventFields(sampleEvent({ attendees: [] }), 'create')), FIELD_KEYS);
    assert.deepEqual(toGraphEventFields(sampleEvent({ attendees: [] }), 'update').attendees, []);
  });

  it('writes that travel in a $batch carry the same fields', async () => {
    const { target, calendarId, writes, stored } = await setUp('Paczka');
    await Promise.all([
      target.createEvent(ANNA, calendarId, 'crm:zadanie:20', sampleEvent({ importance: 'high', attendees: PARTICIPANTS.slice(0, 1) }), nextTransactionId()),
      target.createEvent(ANNA, calendarId, 'serwis:zlecenie:21', sampleEvent(), nextTransactionId()),
    ]);
    assert.ok(world.graph.requestLog.some((e) => e.path === '/$batch'), 'the two creates went as one batch');
    const keys = writes().map((w) => w.keys.includes('importance') || w.keys.includes('attendees'));
    assert.deepEqual(keys.sort(), [false, true]);
    const byKey = new Map(stored().map((e) => [Object.values(e.extendedProperties)[0], e]));
    assert.equal(byKey.get('crm:zadanie:20')?.importance, 'high');
    assert.equal(byKey.get('crm:zadanie:20')?.attendees[0]?.address, 'jan.kowalski@klient.pl');
    assert.equal(byKey.get('serwis:zlecenie:21')?.importance, 'normal');
  });
});
