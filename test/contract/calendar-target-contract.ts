import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CalendarEvent } from '../../server/domain/types.ts';
import type { CalendarTarget, TargetError } from '../../server/targets/calendar-target.ts';
import { isTargetError } from '../../server/targets/describe-target-error.ts';
import { ADDIN_ID } from '../../server/addin/render-manifest.ts';

/** What the contract needs from an adapter under test: the target and a mailbox it may write. */
export interface ContractFixture {
  readonly target: CalendarTarget;
  readonly mailbox: string;
  /**
   * Single-value extended properties stored on an event (id → value), read from the calendar
   * itself (the port has no call for it): the add-in reads them from Outlook, not through us.
   */
  readExtendedProperties(mailbox: string, remoteId: string): Promise<Readonly<Record<string, string>>>;
  close(): Promise<void>;
}

/** The add-in's custom-properties property, spelled out here rather than imported, so a change to it fails the contract. */
export const EXPECTED_ADDIN_PROPERTY_ID = `String {00020329-0000-0000-C000-000000000046} Name cecp-${ADDIN_ID.toLowerCase()}`;

/**
 * The value stored under `id`. Exchange compares the property type and GUID ignoring case (Graph
 * may answer the GUID in lower case); the name `cecp-<add-in id>` must match exactly.
 */
export function propertyValue(properties: Readonly<Record<string, string>>, id: string): string | undefined {
  const split = (text: string) => {
    const m = /^(\w+)\s+\{([^}]+)\}\s+Name\s+(.+)$/i.exec(text.trim());
    return m ? `${m[1].toLowerCase()} {${m[2].toLowerCase()}} name ${m[3]}` : text;
  };
  const wanted = split(id);
  const found = Object.entries(properties).find(([key]) => split(key) === wanted);
  return found?.[1];
}

/** A plain service-order event; tests override what they look at. */
export function sampleEvent(overrides: Partial<CalendarEvent> = {}): CalendarEvent {
  return {
    subject: 'ZS/1/2026 – Kowalski, przegląd kotła',
    bodyHtml: '<p>Przegląd kotła gazowego</p>',
    location: 'ul. Długa 1, Kraków',
    start: '2026-05-12T09:00:00',
    end: '2026-05-12T11:00:00',
    timeZone: 'Europe/Warsaw',
    showAs: 'busy',
    categories: ['Serwis'],
    isReminderOn: true,
    reminderMinutesBeforeStart: 30,
    ...overrides,
  };
}

/** Runs `action`, which must throw a `TargetError`, and returns it. */
export async function targetErrorOf(action: () => Promise<unknown>): Promise<TargetError> {
  try {
    await action();
  } catch (err) {
    assert.ok(isTargetError(err), `expected a TargetError, got ${err instanceof Error ? err.stack : JSON.stringify(err)}`);
    return err;
  }
  assert.fail('expected the call to fail');
}

let counter = 0;
/** A transaction id unique within the test run (the sync uses a UUID per attempt). */
export function nextTransactionId(): string {
  counter += 1;
  return `contract-${process.pid}-${Date.now()}-${counter}`;
}

/**
 * The `CalendarTarget` contract. Every adapter runs it (`calendar-target.test.ts`); what it checks
 * is what the sync relies on, seen from the port only.
 */
export function describeCalendarTargetContract(name: string, setup: () => Promise<ContractFixture>): void {
  describe(`CalendarTarget contract: ${name}`, () => {
    let fx: ContractFixture;
    before(async () => {
      fx = await setup();
    });
    after(() => fx?.close());

    it('ensureCalendar is idempotent and tells calendars apart (quotes in names included)', async () => {
      const first = await fx.target.ensureCalendar(fx.mailbox, 'Serwis');
      const again = await fx.target.ensureCalendar(fx.mailbox, 'Serwis');
      const quoted = await fx.target.ensureCalendar(fx.mailbox, "Serwis O'Brien");
      const quotedAgain = await fx.target.ensureCalendar(fx.mailbox, "Serwis O'Brien");
      assert.equal(again, first);
      assert.equal(quotedAgain, quoted);
      assert.notEqual(quoted, first);
    });

    it('create → find by stamp → update (subject and change key move) → delete → gone', async () => {
      const calendarId = await fx.target.ensureCalendar(fx.mailbox, 'Serwis');
      const key = 'serwis:zlecenie:1001';
      const created = await fx.target.createEvent(fx.mailbox, calendarId, key, sampleEvent({ subject: 'ZS/1001/2026' }), nextTransactionId());
      assert.equal(created.sourceKey, key);
      assert.equal(created.subject, 'ZS/1001/2026');
      assert.ok(created.remoteId);
      assert.ok(created.changeKey);

      const found = await fx.target.findBySourceKey(fx.mailbox, calendarId, key);
      assert.deepEqual(found.map((e) => [e.remoteId, e.sourceKey, e.subject, e.changeKey]), [[created.remoteId, key, 'ZS/1001/2026', created.changeKey]]);

      const updated = await fx.target.updateEvent(fx.mailbox, created.remoteId, sampleEvent({ subject: 'ZS/1001/2026 (przesunięte)', start: '2026-05-13T12:00:00', end: '2026-05-13T13:30:00' }));
      assert.equal(updated.remoteId, created.remoteId, 'an update keeps the immutable id');
      assert.equal(updated.subject, 'ZS/1001/2026 (przesunięte)');
      assert.notEqual(updated.changeKey, created.changeKey);
      assert.equal(updated.startUtc, '2026-05-13T10:00:00.000Z');
      assert.equal(updated.endUtc, '2026-05-13T11:30:00.000Z');
      const afterUpdate = await fx.target.findBySourceKey(fx.mailbox, calendarId, key);
      assert.deepEqual(afterUpdate.map((e) => [e.remoteId, e.subject, e.changeKey]), [[created.remoteId, 'ZS/1001/2026 (przesunięte)', updated.changeKey]]);

      await fx.target.deleteEvent(fx.mailbox, created.remoteId);
      assert.deepEqual(await fx.target.findBySourceKey(fx.mailbox, calendarId, key), []);
    });

    it('every event carries the add-in custom properties {"sourceKey":…} (cecp-<add-in id>), after create and after update', async () => {
      const calendarId = await fx.target.ensureCalendar(fx.mailbox, 'Serwis');
      const key = 'serwis:zlecenie:12';
      const created = await fx.target.createEvent(fx.mailbox, calendarId, key, sampleEvent({ subject: 'ZS/12/2026' }), nextTransactionId());
      const afterCreate = await fx.readExtendedProperties(fx.mailbox, created.remoteId);
      assert.equal(propertyValue(afterCreate, EXPECTED_ADDIN_PROPERTY_ID), '{"sourceKey":"serwis:zlecenie:12"}');
      assert.deepEqual(JSON.parse(propertyValue(afterCreate, EXPECTED_ADDIN_PROPERTY_ID) ?? 'null'), { sourceKey: key }, 'Office.js reads it as one JSON object');
      assert.equal(propertyValue(afterCreate, 'String {00020329-0000-0000-C000-000000000046} Name cecp-' + ADDIN_ID.toUpperCase()), undefined, 'the add-in id is written in lower case');

      await fx.target.updateEvent(fx.mailbox, created.remoteId, sampleEvent({ subject: 'ZS/12/2026 (przesunięte)', start: '2026-05-14T09:00:00', end: '2026-05-14T10:00:00' }));
      const afterUpdate = await fx.readExtendedProperties(fx.mailbox, created.remoteId);
      assert.equal(propertyValue(afterUpdate, EXPECTED_ADDIN_PROPERTY_ID), '{"sourceKey":"serwis:zlecenie:12"}', 'an update keeps it');
      // The stamp the server searches by is still there and still found.
      const found = await fx.target.findBySourceKey(fx.mailbox, calendarId, key);
      assert.deepEqual(found.map((e) => [e.remoteId, e.sourceKey]), [[created.remoteId, key]]);
      await fx.target.deleteEvent(fx.mailbox, created.remoteId);
    });

    it('deleting an event that is already gone is fine', async () => {
      const calendarId = await fx.target.ensureCalendar(fx.mailbox, 'Serwis');
      const created = await fx.target.createEvent(fx.mailbox, calendarId, 'serwis:zlecenie:1002', sampleEvent(), nextTransactionId());
      await fx.target.deleteEvent(fx.mailbox, created.remoteId);
      await fx.target.deleteEvent(fx.mailbox, created.remoteId);
    });

    it('updating an event deleted meanwhile is a permanent 404 (the sync then re-creates it)', async () => {
      const calendarId = await fx.target.ensureCalendar(fx.mailbox, 'Serwis');
      const created = await fx.target.createEvent(fx.mailbox, calendarId, 'serwis:zlecenie:1003', sampleEvent(), nextTransactionId());
      await fx.target.deleteEvent(fx.mailbox, created.remoteId);
      const err = await targetErrorOf(() => fx.target.updateEvent(fx.mailbox, created.remoteId, sampleEvent()));
      assert.equal(err.status, 404);
      assert.equal(err.transient, false);
    });

    it('local times land at the right UTC instant on both sides of DST (Europe/Warsaw)', async () => {
      const calendarId = await fx.target.ensureCalendar(fx.mailbox, 'Serwis');
      const spring = await fx.target.createEvent(
        fx.mailbox, calendarId, 'serwis:zlecenie:2001',
        sampleEvent({ start: '2026-03-29T10:00:00', end: '2026-03-29T11:00:00' }), nextTransactionId(),
      );
      const autumn = await fx.target.createEvent(
        fx.mailbox, calendarId, 'serwis:zlecenie:2002',
        sampleEvent({ start: '2026-10-25T10:00:00', end: '2026-10-25T12:15:00' }), nextTransactionId(),
      );
      assert.deepEqual([spring.startUtc, spring.endUtc], ['2026-03-29T08:00:00.000Z', '2026-03-29T09:00:00.000Z']);
      assert.deepEqual([autumn.startUtc, autumn.endUtc], ['2026-10-25T09:00:00.000Z', '2026-10-25T11:15:00.000Z']);
      const [readBack] = await fx.target.findBySourceKey(fx.mailbox, calendarId, 'serwis:zlecenie:2001');
      assert.equal(readBack.startUtc, '2026-03-29T08:00:00.000Z', 'times read back in UTC too');
    });

    it('an unknown time zone is refused as a permanent error naming the zone setting', async () => {
      const calendarId = await fx.target.ensureCalendar(fx.mailbox, 'Serwis');
      const err = await targetErrorOf(() =>
        fx.target.createEvent(fx.mailbox, calendarId, 'serwis:zlecenie:2003', sampleEvent({ timeZone: 'Europe/Atlantyda' }), nextTransactionId()),
      );
      assert.equal(err.transient, false);
      assert.equal(err.code, 'TimeZoneNotSupportedException');
      assert.match(err.message, /stref/);
    });

    it('diacritics, emoji and odd characters survive in subjects and source keys', async () => {
      const calendarId = await fx.target.ensureCalendar(fx.mailbox, 'Serwis');
      const subject = 'Zażółć gęślą jaźń 🔧 – „Łódź” & <Kraków> #1 100%';
      const key = "serwis:zlecenie:ZS/7 O'Brien+ąę?#&=%";
      const created = await fx.target.createEvent(fx.mailbox, calendarId, key, sampleEvent({ subject }), nextTransactionId());
      assert.equal(created.subject, subject);
      const found = await fx.target.findBySourceKey(fx.mailbox, calendarId, key);
      assert.deepEqual(found.map((e) => [e.remoteId, e.subject, e.sourceKey]), [[created.remoteId, subject, key]]);
      assert.deepEqual(await fx.target.findBySourceKey(fx.mailbox, calendarId, "serwis:zlecenie:ZS/7 O'Brien"), [], 'a prefix is not a match');
    });

    it('listChangeKeys lists the change key our last write returned, batched writes included; deleted events are gone', async () => {
      const calendarId = await fx.target.ensureCalendar(fx.mailbox, 'Zmiany');
      const otherId = await fx.target.ensureCalendar(fx.mailbox, 'Zmiany obok');
      const elsewhere = await fx.target.createEvent(fx.mailbox, otherId, 'serwis:zlecenie:8999', sampleEvent(), nextTransactionId());
      // Issued together, as apply does: the Graph adapter sends them in one $batch.
      const created = await Promise.all([8001, 8002, 8003, 8004].map((n) =>
        fx.target.createEvent(fx.mailbox, calendarId, `serwis:zlecenie:${n}`, sampleEvent({ subject: `ZS/${n}` }), nextTransactionId())));
      const [a, b, c, d] = created;
      const updated = await Promise.all([a, b].map((e) => fx.target.updateEvent(fx.mailbox, e.remoteId, sampleEvent({ subject: 'Po zmianie' }))));
      await fx.target.deleteEvent(fx.mailbox, c.remoteId);

      const keys = await fx.target.listChangeKeys(fx.mailbox, calendarId);
      assert.deepEqual(
        [...keys].sort(),
        [[a.remoteId, updated[0].changeKey], [b.remoteId, updated[1].changeKey], [d.remoteId, d.changeKey]].sort(),
        'exactly the live stamped events of this calendar, each with the change key of our last write',
      );
      assert.ok(updated.every((u) => typeof u.changeKey === 'string' && u.changeKey !== ''));
      assert.equal(keys.has(elsewhere.remoteId), false, 'another calendar is not listed');
      assert.deepEqual([...await fx.target.listChangeKeys(fx.mailbox, otherId)], [[elsewhere.remoteId, elsewhere.changeKey]]);
    });

    it('translateToRestImmutableId finds the id links keep; readChangeKey reads one event, gone after delete', async () => {
      const calendarId = await fx.target.ensureCalendar(fx.mailbox, 'Serwis');
      const created = await fx.target.createEvent(fx.mailbox, calendarId, 'serwis:zlecenie:1003', sampleEvent(), nextTransactionId());
      assert.equal(await fx.target.translateToRestImmutableId(fx.mailbox, created.remoteId, 'rest'), created.remoteId);
      assert.equal(await fx.target.translateToRestImmutableId(fx.mailbox, 'not-an-outlook-id', 'rest'), null);
      assert.deepEqual(await fx.target.readChangeKey(fx.mailbox, created.remoteId), { exists: true, changeKey: created.changeKey });
      const updated = await fx.target.updateEvent(fx.mailbox, created.remoteId, sampleEvent({ subject: 'zmienione' }));
      assert.deepEqual(await fx.target.readChangeKey(fx.mailbox, created.remoteId), { exists: true, changeKey: updated.changeKey });
      await fx.target.deleteEvent(fx.mailbox, created.remoteId);
      assert.deepEqual(await fx.target.readChangeKey(fx.mailbox, created.remoteId), { exists: false, changeKey: null });
    });

    it('listChangeKeys of an empty calendar is an empty map', async () => {
      const calendarId = await fx.target.ensureCalendar(fx.mailbox, 'Zmiany pusty');
      assert.equal((await fx.target.listChangeKeys(fx.mailbox, calendarId)).size, 0);
    });

    it('listStampedEvents returns every stamped event of the calendar, over pages of 200', async () => {
      const calendarId = await fx.target.ensureCalendar(fx.mailbox, 'Duży kalendarz');
      const otherId = await fx.target.ensureCalendar(fx.mailbox, 'Inny kalendarz');
      await fx.target.createEvent(fx.mailbox, otherId, 'serwis:zlecenie:9999', sampleEvent(), nextTransactionId());
      const keys = Array.from({ length: 205 }, (_, i) => `serwis:zlecenie:${5000 + i}`);
      const queue = [...keys];
      // Three at a time, as the sync does per mailbox (Outlook allows four).
      await Promise.all([0, 1, 2].map(async () => {
        for (let key = queue.shift(); key !== undefined; key = queue.shift()) {
          await fx.target.createEvent(fx.mailbox, calendarId, key, sampleEvent({ subject: key }), nextTransactionId());
        }
      }));
      const listed = await fx.target.listStampedEvents(fx.mailbox, calendarId);
      assert.equal(listed.length, 205);
      assert.deepEqual(listed.map((e) => e.sourceKey).sort(), [...keys].sort());
      assert.equal(new Set(listed.map((e) => e.remoteId)).size, 205);
      assert.ok(listed.every((e) => e.subject === e.sourceKey && e.startUtc === '2026-05-12T07:00:00.000Z'));
    });
  });
}
