import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Client, GraphError } from '@microsoft/microsoft-graph-client';
import { startEmulators } from './start-emulators.ts';
import type { EmulatorWorld } from './start-emulators.ts';

const JAN = 'jan.kowalski@firma.pl';
const ANNA = 'anna.nowak@firma.pl';
const IMMUTABLE = { Prefer: 'IdType="ImmutableId"' };
const SOURCE_KEY_ID = 'String {6c1e7a52-0f4e-4f0b-9d1a-3b2c5e7d9a10} Name SourceKey';

let world: EmulatorWorld;
let client: Client;

before(async () => {
  world = await startEmulators({ mailboxes: [JAN, ANNA], defaultCalendarName: 'Kalendarz' });
  client = world.createGraphClient();
});
after(() => world.close());

function serviceOrder(n: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    subject: `ZS/${n}/2026 – Kowalski, przegląd kotła`,
    body: { contentType: 'html', content: `<p>Zlecenie ${n}</p>` },
    start: { dateTime: '2026-03-10T08:00:00', timeZone: 'Europe/Warsaw' },
    end: { dateTime: '2026-03-10T10:00:00', timeZone: 'Europe/Warsaw' },
    location: { displayName: 'ul. Długa 1, Kraków' },
    showAs: 'busy',
    categories: ['Serwis'],
    singleValueExtendedProperties: [{ id: SOURCE_KEY_ID, value: `optima:ZS:${n}` }],
    ...extra,
  };
}

async function graphErrorOf(action: () => Promise<unknown>): Promise<GraphError> {
  try {
    await action();
  } catch (error) {
    return error as GraphError;
  }
  assert.fail('expected a Graph error');
}

async function ensureCalendar(mailbox: string, name: string): Promise<string> {
  const escaped = name.replaceAll("'", "''");
  const found = await client.api(`/users/${mailbox}/calendars`).filter(`name eq '${escaped}'`).get();
  if (found.value.length > 0) return found.value[0].id;
  return (await client.api(`/users/${mailbox}/calendars`).post({ name })).id;
}

describe('calendars', () => {
  it('lists the default calendar, creates one, finds it by name and refuses a duplicate', async () => {
    const initial = await client.api(`/users/${JAN}/calendars`).get();
    assert.deepEqual(
      initial.value.map((c: { name: string; isDefaultCalendar: boolean }) => [c.name, c.isDefaultCalendar]),
      [['Kalendarz', true]],
    );
    const created = await client.api(`/users/${JAN}/calendars`).post({ name: "Serwis O'Brien" });
    assert.equal(created.name, "Serwis O'Brien");
    const found = await client.api(`/users/${JAN}/calendars`).filter("name eq 'Serwis O''Brien'").get();
    assert.deepEqual(found.value.map((c: { id: string }) => c.id), [created.id]);
    const duplicate = await graphErrorOf(() => client.api(`/users/${JAN}/calendars`).post({ name: "serwis o'brien" }));
    assert.equal(duplicate.statusCode, 409);
    assert.equal(duplicate.code, 'ErrorFolderExists');
    assert.deepEqual(world.graph.calendars(JAN).map((c) => c.name), ['Kalendarz', "Serwis O'Brien"]);
  });

  it('treats the mailbox name case-insensitively and refuses unknown users', async () => {
    const listed = await client.api('/users/Jan.Kowalski@FIRMA.pl/calendars').get();
    assert.equal(listed.value[0].name, 'Kalendarz');
    const unknown = await graphErrorOf(() => client.api('/users/nobody@firma.pl/calendars').get());
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.code, 'ErrorInvalidUser');
  });
});

describe('events', () => {
  it('creates, reads, updates and deletes an event with immutable ids', async () => {
    const calendarId = await ensureCalendar(ANNA, 'Serwis');
    const created = await client.api(`/users/${ANNA}/calendars/${calendarId}/events`).headers(IMMUTABLE).post(serviceOrder(1, { transactionId: 'optima-ZS-1' }));
    assert.match(created.id, /^AAkALg/);
    assert.equal(created['@odata.etag'], `W/"${created.changeKey}"`);
    assert.deepEqual(created.start, { dateTime: '2026-03-10T07:00:00.0000000', timeZone: 'UTC' });
    assert.equal(created.originalStartTimeZone, 'Europe/Warsaw');
    assert.equal(created.transactionId, 'optima-ZS-1');
    assert.match(created.createdDateTime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/);
    assert.match(created.body.content, /^<html>[\s\S]*<body>\r\n<p>Zlecenie 1<\/p>\r\n<\/body>[\s\S]*<\/html>/);
    assert.equal(created.singleValueExtendedProperties, undefined, 'extended properties come only through $expand');

    const read = await client.api(`/users/${ANNA}/events/${created.id}`).headers(IMMUTABLE).get();
    assert.equal(read.subject, 'ZS/1/2026 – Kowalski, przegląd kotła');
    const regular = await client.api(`/users/${ANNA}/events/${created.id}`).get();
    assert.match(regular.id, /^AAMkA/);
    assert.equal((await client.api(`/users/${ANNA}/events/${regular.id}`).headers(IMMUTABLE).get()).id, created.id, 'both id forms resolve');

    const patched = await client.api(`/users/${ANNA}/events/${created.id}`).headers(IMMUTABLE).patch({ subject: 'ZS/1/2026 – zmiana' });
    assert.equal(patched.subject, 'ZS/1/2026 – zmiana');
    assert.notEqual(patched.changeKey, created.changeKey);
    assert.equal(patched.start.dateTime, created.start.dateTime, 'PATCH keeps what it does not send');

    const stale = await graphErrorOf(() => client.api(`/users/${ANNA}/events/${created.id}`).header('If-Match', created['@odata.etag']).patch({ subject: 'x' }));
    assert.equal(stale.statusCode, 412);
    assert.equal(stale.code, 'ErrorIrresolvableConflict');

    await client.api(`/users/${ANNA}/events/${created.id}`).header('If-Match', patched['@odata.etag']).delete();
    const gone = await graphErrorOf(() => client.api(`/users/${ANNA}/events/${created.id}`).get());
    assert.equal(gone.statusCode, 404);
    assert.equal(gone.code, 'ErrorItemNotFound');
    assert.equal(world.graph.listEvents(ANNA, 'Serwis').length, 0);
  });

  it('puts POST /users/{u}/events into the default calendar', async () => {
    const created = await client.api(`/users/${JAN}/events`).post(serviceOrder(2));
    const stored = world.graph.listEvents(JAN).find((e) => e.regularId === created.id);
    assert.equal(stored?.calendarName, 'Kalendarz');
    assert.equal(stored?.extendedProperties[SOURCE_KEY_ID], 'optima:ZS:2');
    await client.api(`/users/${JAN}/events/${created.id}`).delete();
  });

  it('converts local times to UTC across both DST changes, with IANA and Windows zone names', async () => {
    const calendarId = await ensureCalendar(JAN, 'Serwis DST');
    const create = (date: string, timeZone: string) =>
      client.api(`/users/${JAN}/calendars/${calendarId}/events`).headers(IMMUTABLE).post(
        serviceOrder(3, { start: { dateTime: `${date}T10:00:00`, timeZone }, end: { dateTime: `${date}T11:00:00`, timeZone } }),
      );
    const spring = await create('2026-03-29', 'Europe/Warsaw');
    const autumn = await create('2026-10-25', 'Central European Standard Time');
    const winter = await create('2026-01-15', 'W. Europe Standard Time');
    const london = await create('2026-07-01', 'GMT Standard Time');
    assert.equal(spring.start.dateTime, '2026-03-29T08:00:00.0000000');
    assert.equal(autumn.start.dateTime, '2026-10-25T09:00:00.0000000');
    assert.equal(winter.start.dateTime, '2026-01-15T09:00:00.0000000');
    assert.equal(london.start.dateTime, '2026-07-01T09:00:00.0000000');
    assert.equal(autumn.originalStartTimeZone, 'Central European Standard Time');

    const local = await client.api(`/users/${JAN}/events/${spring.id}`).header('Prefer', 'outlook.timezone="Central European Standard Time"').get();
    assert.deepEqual(local.start, { dateTime: '2026-03-29T10:00:00.0000000', timeZone: 'Central European Standard Time' });

    // 02:30 does not exist in Warsaw on 2026-03-29: the emulator shifts it forward to 03:30 CEST.
    const gap = await client.api(`/users/${JAN}/calendars/${calendarId}/events`).post(
      serviceOrder(4, { start: { dateTime: '2026-03-29T02:30:00', timeZone: 'Europe/Warsaw' }, end: { dateTime: '2026-03-29T04:00:00', timeZone: 'Europe/Warsaw' } }),
    );
    assert.equal(gap.start.dateTime, '2026-03-29T01:30:00.0000000');
    const stored = world.graph.listEvents(JAN, 'Serwis DST').find((e) => e.id === autumn.id);
    assert.equal(stored?.startUtc, '2026-10-25T09:00:00.000Z');
    assert.deepEqual(stored?.start, { dateTime: '2026-10-25T10:00:00', timeZone: 'Central European Standard Time' });
  });

  it('refuses unknown time zones and unknown properties like Graph', async () => {
    const zone = await graphErrorOf(() =>
      client.api(`/users/${JAN}/events`).post(serviceOrder(5, { start: { dateTime: '2026-03-10T08:00:00', timeZone: 'Poland/Cracow' } })),
    );
    assert.equal(zone.statusCode, 400);
    assert.equal(zone.code, 'TimeZoneNotSupportedException');
    assert.match(zone.message, /'Poland\/Cracow'/);
    const property = await graphErrorOf(() => client.api(`/users/${JAN}/events`).post(serviceOrder(5, { colour: 'red' })));
    assert.equal(property.statusCode, 400);
    assert.equal(property.code, 'RequestBodyRead');
    const nested = await graphErrorOf(() => client.api(`/users/${JAN}/events`).post(serviceOrder(5, { location: { name: 'x' } })));
    assert.equal(nested.code, 'RequestBodyRead');
    const showAs = await graphErrorOf(() => client.api(`/users/${JAN}/events`).post(serviceOrder(5, { showAs: 'sleeping' })));
    assert.equal(showAs.code, 'RequestBodyRead');
    assert.equal(world.graph.listEvents(JAN).filter((e) => e.extendedProperties[SOURCE_KEY_ID] === 'optima:ZS:5').length, 0);
  });

  it('returns the existing event with 201 for a repeated transactionId', async () => {
    const calendarId = await ensureCalendar(ANNA, 'Serwis');
    const first = await client.api(`/users/${ANNA}/calendars/${calendarId}/events`).headers(IMMUTABLE).post(serviceOrder(6, { transactionId: 'optima-ZS-6-a1' }));
    const again = await client.api(`/users/${ANNA}/calendars/${calendarId}/events`).headers(IMMUTABLE).post(serviceOrder(6, { transactionId: 'optima-ZS-6-a1' }));
    assert.equal(again.id, first.id);
    assert.equal(world.graph.listEvents(ANNA).filter((e) => e.transactionId === 'optima-ZS-6-a1').length, 1);
  });
});

describe('finding events by their stamp', () => {
  it('filters by extended property, expands it on read and pages with absolute nextLinks', async () => {
    const calendarId = await ensureCalendar(JAN, 'Serwis stamp');
    for (let n = 100; n < 112; n++) await client.api(`/users/${JAN}/calendars/${calendarId}/events`).post(serviceOrder(n));
    const unstamped = await client.api(`/users/${JAN}/calendars/${calendarId}/events`).post({ ...serviceOrder(999), singleValueExtendedProperties: undefined });

    const value = encodeURIComponent('optima:ZS:107');
    const found = await client
      .api(`/users/${JAN}/calendars/${calendarId}/events`)
      .headers(IMMUTABLE)
      .filter(`singleValueExtendedProperties/Any(ep: ep/id eq '${SOURCE_KEY_ID}' and ep/value eq '${value}')`)
      .expand(`singleValueExtendedProperties($filter=id eq '${SOURCE_KEY_ID}')`)
      .select('id,subject,changeKey')
      .get();
    assert.equal(found.value.length, 1);
    assert.equal(found.value[0].subject, 'ZS/107/2026 – Kowalski, przegląd kotła');
    assert.deepEqual(found.value[0].singleValueExtendedProperties, [{ id: SOURCE_KEY_ID, value: 'optima:ZS:107' }]);
    assert.equal(found.value[0].start, undefined, '$select limits the fields');

    const bare = await client.api(`/users/${JAN}/events/${unstamped.id}`).expand(`singleValueExtendedProperties($filter=id eq '${SOURCE_KEY_ID}')`).get();
    assert.equal('singleValueExtendedProperties' in bare, false);

    const seen: string[] = [];
    let page = await client.api(`/users/${JAN}/calendars/${calendarId}/events`).filter(`singleValueExtendedProperties/Any(ep: ep/id eq '${SOURCE_KEY_ID}' and ep/value ne null)`).top(5).get();
    let pages = 1;
    for (;;) {
      seen.push(...page.value.map((e: { id: string }) => e.id));
      const next: string | undefined = page['@odata.nextLink'];
      if (!next) break;
      assert.ok(next.startsWith(`${world.graph.url}/v1.0/`), 'nextLink is absolute');
      page = await client.api(next).get();
      pages++;
    }
    assert.equal(pages, 3);
    assert.equal(new Set(seen).size, 12);
  });

  it('serves calendarView for a window and requires both ends', async () => {
    const calendarId = await ensureCalendar(ANNA, 'Okno');
    await client.api(`/users/${ANNA}/calendars/${calendarId}/events`).post(serviceOrder(200));
    await client.api(`/users/${ANNA}/calendars/${calendarId}/events`).post(
      serviceOrder(201, { start: { dateTime: '2026-04-01T08:00:00', timeZone: 'UTC' }, end: { dateTime: '2026-04-01T09:00:00', timeZone: 'UTC' } }),
    );
    const march = await client.api(`/users/${ANNA}/calendars/${calendarId}/calendarView`).query({ startDateTime: '2026-03-01T00:00:00Z', endDateTime: '2026-03-31T00:00:00Z' }).get();
    assert.deepEqual(march.value.map((e: { subject: string }) => e.subject.slice(0, 6)), ['ZS/200']);
    const missing = await graphErrorOf(() => client.api(`/users/${ANNA}/calendars/${calendarId}/calendarView`).query({ startDateTime: '2026-03-01T00:00:00Z' }).get());
    assert.equal(missing.statusCode, 400);
    assert.equal(missing.code, 'ErrorInvalidParameter');
  });
});
