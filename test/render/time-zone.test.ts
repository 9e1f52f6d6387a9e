import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addMinutesLocal, isValidTimeZone, utcToZoned, zonedToUtc } from '../../server/render/time-zone.ts';
import { parseLocalDateTime } from '../../server/render/local-date-time.ts';

const WAW = 'Europe/Warsaw';

test('ordinary winter and summer times convert with +1h and +2h', () => {
  assert.deepEqual(zonedToUtc('2026-01-15T08:30:00', WAW), { utc: new Date('2026-01-15T07:30:00Z'), adjusted: 'none' });
  assert.deepEqual(zonedToUtc('2026-07-15T08:30:00', WAW), { utc: new Date('2026-07-15T06:30:00Z'), adjusted: 'none' });
});

test('spring-forward gap: 2026-03-29 02:30 in Warsaw does not exist → 03:30 CEST = 01:30Z, reported as gap', () => {
  const r = zonedToUtc('2026-03-29T02:30:00', WAW);
  assert.equal(r.utc.toISOString(), '2026-03-29T01:30:00.000Z');
  assert.equal(r.adjusted, 'gap');
  assert.equal(utcToZoned(r.utc, WAW), '2026-03-29T03:30:00');
});

test('the minutes either side of the gap are ordinary', () => {
  assert.deepEqual(zonedToUtc('2026-03-29T01:59:00', WAW), { utc: new Date('2026-03-29T00:59:00Z'), adjusted: 'none' });
  assert.deepEqual(zonedToUtc('2026-03-29T03:00:00', WAW), { utc: new Date('2026-03-29T01:00:00Z'), adjusted: 'none' });
  assert.equal(zonedToUtc('2026-03-29T02:00:00', WAW).adjusted, 'gap');
});

test('fall-back overlap: 2026-10-25 02:30 happens twice → the first (CEST) instant, reported as ambiguous', () => {
  const r = zonedToUtc('2026-10-25T02:30:00', WAW);
  assert.equal(r.utc.toISOString(), '2026-10-25T00:30:00.000Z');
  assert.equal(r.adjusted, 'ambiguous');
  // Both instants show 02:30 on the wall clock.
  assert.equal(utcToZoned(new Date('2026-10-25T00:30:00Z'), WAW), '2026-10-25T02:30:00');
  assert.equal(utcToZoned(new Date('2026-10-25T01:30:00Z'), WAW), '2026-10-25T02:30:00');
  assert.deepEqual(zonedToUtc('2026-10-25T03:00:00', WAW), { utc: new Date('2026-10-25T02:00:00Z'), adjusted: 'none' });
});

test('other zones: New York gap and overlap, Lord Howe 30-minute gap', () => {
  assert.deepEqual(zonedToUtc('2026-03-08T02:30:00', 'America/New_York'), { utc: new Date('2026-03-08T07:30:00Z'), adjusted: 'gap' });
  assert.deepEqual(zonedToUtc('2026-11-01T01:30:00', 'America/New_York'), { utc: new Date('2026-11-01T05:30:00Z'), adjusted: 'ambiguous' });
  const lh = zonedToUtc('2026-10-04T02:15:00', 'Australia/Lord_Howe');
  assert.equal(lh.adjusted, 'gap');
  assert.equal(utcToZoned(lh.utc, 'Australia/Lord_Howe'), '2026-10-04T02:45:00');
});

test('addMinutesLocal adds real elapsed minutes across both changes', () => {
  assert.equal(addMinutesLocal('2026-10-25T02:30:00', 60, WAW), '2026-10-25T02:30:00'); // CEST → CET
  assert.equal(addMinutesLocal('2026-10-25T01:30:00', 120, WAW), '2026-10-25T02:30:00');
  assert.equal(addMinutesLocal('2026-03-29T01:30:00', 60, WAW), '2026-03-29T03:30:00');
  assert.equal(addMinutesLocal('2026-03-28T23:30:00', 90, WAW), '2026-03-29T01:00:00');
  assert.equal(addMinutesLocal('2026-12-31T23:30:00', 60, WAW), '2027-01-01T00:30:00');
});

test('zonedToUtc refuses impossible values instead of guessing', () => {
  assert.throws(() => zonedToUtc('2026-02-30T08:00:00', WAW), RangeError);
  assert.throws(() => zonedToUtc('nonsense', WAW), RangeError);
});

test('isValidTimeZone accepts IANA names, refuses unknown names and bare offsets', () => {
  assert.equal(isValidTimeZone('Europe/Warsaw'), true);
  assert.equal(isValidTimeZone('UTC'), true);
  assert.equal(isValidTimeZone('Europe/Warszawa'), false);
  assert.equal(isValidTimeZone('+01:00'), false);
  assert.equal(isValidTimeZone(''), false);
});

test('parseLocalDateTime names what is wrong with a date', () => {
  assert.equal(parseLocalDateTime('2028-02-29T10:00:00').ok, true); // leap year
  assert.equal(parseLocalDateTime('2000-02-29 10:00').ok, true); // 400-year leap, driver text form
  assert.deepEqual(parseLocalDateTime('1900-02-29T10:00:00'), { ok: false, problem: 'no-such-day' });
  assert.deepEqual(parseLocalDateTime('2026-02-30T10:00:00'), { ok: false, problem: 'no-such-day' });
  assert.deepEqual(parseLocalDateTime('2026-13-01T10:00:00'), { ok: false, problem: 'no-such-day' });
  assert.deepEqual(parseLocalDateTime('1753-01-01T00:00:00'), { ok: false, problem: 'out-of-range' });
  assert.deepEqual(parseLocalDateTime('9999-12-31T00:00:00'), { ok: false, problem: 'out-of-range' });
  assert.deepEqual(parseLocalDateTime('2026-03-01T24:00:00'), { ok: false, problem: 'no-such-time' });
  assert.deepEqual(parseLocalDateTime('30.03.2026'), { ok: false, problem: 'format' });
});
