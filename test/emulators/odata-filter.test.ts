import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateFilter, parseFilter } from './graph/odata-filter.ts';

function matches(filter: string, item: unknown): boolean {
  const parsed = parseFilter(filter);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.message);
  return evaluateFilter(parsed.node, item);
}

const EVENT = {
  subject: "Przegląd u O'Briena",
  isAllDay: false,
  reminderMinutesBeforeStart: 30,
  start: { dateTime: '2026-03-10T07:00:00.0000000', timeZone: 'UTC' },
  singleValueExtendedProperties: [
    { id: 'String {6c1e7a52-0f4e-4f0b-9d1a-3b2c5e7d9a10} Name SourceKey', value: 'optima:ZS:123' },
    { id: 'String {00020329-0000-0000-c000-000000000046} Name cecp-x', value: '{"recordKey":"ZS/123"}' },
  ],
};

describe('OData $filter', () => {
  it('matches extended properties with an any() lambda, keywords in any case', () => {
    const stamp = "ep/id eq 'String {6c1e7a52-0f4e-4f0b-9d1a-3b2c5e7d9a10} Name SourceKey'";
    assert.equal(matches(`singleValueExtendedProperties/Any(ep: ${stamp} and ep/value eq 'optima:ZS:123')`, EVENT), true);
    assert.equal(matches(`singleValueExtendedProperties/any(ep: ${stamp} AND ep/value eq 'optima:ZS:124')`, EVENT), false);
    assert.equal(matches(`singleValueExtendedProperties/Any(ep: ${stamp} and ep/value ne null)`, EVENT), true);
    assert.equal(matches("singleValueExtendedProperties/all(p: p/value ne 'x')", EVENT), true);
  });

  it('reads doubled quotes, precedence, not, functions, numbers and date-times', () => {
    assert.equal(matches("subject eq 'Przegląd u O''Briena'", EVENT), true);
    assert.equal(matches("subject eq 'x' or isAllDay eq false and reminderMinutesBeforeStart ge 30", EVENT), true);
    assert.equal(matches("(subject eq 'x' or isAllDay eq false) and reminderMinutesBeforeStart gt 30", EVENT), false);
    assert.equal(matches("not (reminderMinutesBeforeStart lt 15)", EVENT), true);
    assert.equal(matches("startswith(subject, 'przegląd')", EVENT), true);
    assert.equal(matches("contains(subject,'briena') and not endswith(subject,'x')", EVENT), true);
    assert.equal(matches('start/dateTime ge 2026-03-10T06:59:00Z', EVENT), true);
    assert.equal(matches("start/dateTime lt '2026-03-10T07:00:00'", EVENT), false);
  });

  it('reports syntax errors instead of throwing', () => {
    for (const bad of ["name eq 'open", 'name eq', 'a/any(x: x eq 1', "name eq 'a' extra", '(']) {
      const parsed = parseFilter(bad);
      assert.equal(parsed.ok, false, bad);
    }
  });
});
