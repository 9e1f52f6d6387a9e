import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatGraphDateTime, localToUtcMs, parseGraphDateTime, resolveTimeZone } from './graph/graph-time-zones.ts';

/** UTC ISO instant of a local wall-clock time in `zone` (Windows or IANA). */
function utcOf(local: string, zone: string): string {
  const resolved = resolveTimeZone(zone);
  const parsed = parseGraphDateTime(local);
  assert.ok(resolved && parsed, `${zone} / ${local} should resolve`);
  return new Date(localToUtcMs(parsed.localAsUtcMs, resolved.iana)).toISOString();
}

describe('Graph time zones', () => {
  it('converts Warsaw local times on both sides of each DST change', () => {
    assert.equal(utcOf('2026-03-28T10:00:00', 'Europe/Warsaw'), '2026-03-28T09:00:00.000Z');
    assert.equal(utcOf('2026-03-29T10:00:00', 'Europe/Warsaw'), '2026-03-29T08:00:00.000Z');
    assert.equal(utcOf('2026-10-24T10:00:00', 'Central European Standard Time'), '2026-10-24T08:00:00.000Z');
    assert.equal(utcOf('2026-10-25T10:00:00', 'Central European Standard Time'), '2026-10-25T09:00:00.000Z');
  });

  it('shifts a time in the spring-forward gap forward and reads a repeated hour as standard time', () => {
    assert.equal(utcOf('2026-03-29T02:30:00', 'Europe/Warsaw'), '2026-03-29T01:30:00.000Z');
    assert.equal(utcOf('2026-10-25T02:30:00', 'Europe/Warsaw'), '2026-10-25T01:30:00.000Z');
    assert.equal(utcOf('2026-10-25T01:30:00', 'GMT Standard Time'), '2026-10-25T01:30:00.000Z');
  });

  it('accepts the listed Windows and IANA names and refuses unknown ones', () => {
    for (const zone of ['Europe/Warsaw', 'Europe/Berlin', 'Europe/London', 'UTC', 'Etc/GMT', 'Central European Standard Time', 'W. Europe Standard Time', 'GMT Standard Time']) {
      assert.ok(resolveTimeZone(zone), zone);
    }
    for (const zone of ['Poland/Cracow', 'Central Europe', 'europe/warsaw', '', 'CET+1']) assert.equal(resolveTimeZone(zone), null, zone);
    assert.equal(utcOf('2026-07-01T12:00:00', 'UTC'), '2026-07-01T12:00:00.000Z');
    assert.equal(utcOf('2026-07-01T12:00:00', 'Europe/London'), '2026-07-01T11:00:00.000Z');
  });

  it('parses Graph dateTime values and formats seven fractional digits', () => {
    assert.equal(parseGraphDateTime('2026-02-30T10:00:00'), null);
    assert.equal(parseGraphDateTime('2026-03-10 10:00:00'), null);
    assert.equal(parseGraphDateTime('2026-03-10T10:00:00.1234567')?.localAsUtcMs, Date.UTC(2026, 2, 10, 10, 0, 0, 123));
    assert.equal(parseGraphDateTime('2026-03-10T10:00:00+02:00')?.explicitOffsetMs, 7_200_000);
    assert.equal(formatGraphDateTime(Date.UTC(2026, 2, 10, 7, 0, 0, 5)), '2026-03-10T07:00:00.0050000');
  });
});
