import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addDays, localToday } from '../../server/render/record-filter.ts';
import { collectEvents, createSyncFixture, demoMailboxes, isInScope, orderKey, readOptimaOrders, type OptimaOrder } from '../support/sync-fixture.ts';

const DAY = 86_400_000;
const BACK = 10;
const AHEAD = 20;

/** The calendar day an order lands on, as a dispatcher reads it in Optima: realization, else reception. */
function dayOf(o: OptimaOrder): string | null {
  for (const d of [o.realization, o.received]) if (d && !d.startsWith('1899-12-30')) return d.slice(0, 10);
  return null;
}

/** Orders a user expects in calendars on `today` with a window of BACK days back and AHEAD ahead. */
function expectedKeys(companyDbPath: string, today: string): Set<string> {
  const from = addDays(today, -BACK);
  const to = addDays(today, AHEAD);
  return new Set(readOptimaOrders(companyDbPath).filter((o) => {
    const day = dayOf(o);
    // An order with no end lasts the default hour, so its end is on its start day.
    return isInScope(o) && day !== null && day >= from && day <= to;
  }).map((o) => orderKey(o.id)));
}

test('the date window keeps calendars to days back and ahead; as days pass, records leave and enter without any change in Optima', async () => {
  const f = createSyncFixture({
    orders: 120,
    configure: (raw) => {
      raw.filters = { default: { daysBack: BACK, daysAhead: AHEAD } };
      raw.guards = { minDeletions: 1000 };
    },
  });
  try {
    const first = await f.runtime.runOnce();
    assert.equal(first.report.error, null);
    const today = localToday(f.clock.now(), 'Europe/Warsaw');
    const inCalendar = () => new Set(collectEvents(f.target, demoMailboxes()).keys());
    const expected = expectedKeys(f.demo.companyDbPath, today);
    assert.ok(expected.size > 5 && expected.size < readOptimaOrders(f.demo.companyDbPath).length / 2, `the window holds some orders, not all (${expected.size})`);
    assert.deepEqual(inCalendar(), expected, 'exactly the orders inside the window are in calendars');
    assert.ok(first.report.skips.some((s) => s.reason === 'filtered' && /filters\.default\.daysBack/.test(s.detail)), 'what was left out says which setting left it out');

    // Same day, nothing changed: an incremental poll.
    const idle = await f.runtime.runOnce();
    assert.equal(idle.report.mode, 'incremental');
    assert.equal(idle.report.created + idle.report.deleted, 0);

    // Fifteen days later, nothing touched in Optima: old orders leave, upcoming ones enter.
    f.clock.advance(15 * DAY);
    const later = await f.runtime.runOnce();
    assert.equal(later.report.error, null);
    assert.equal(later.report.mode, 'full', 'a new day reads everything once (the window moved)');
    const laterToday = localToday(f.clock.now(), 'Europe/Warsaw');
    const laterExpected = expectedKeys(f.demo.companyDbPath, laterToday);
    const left = [...expected].filter((k) => !laterExpected.has(k));
    const entered = [...laterExpected].filter((k) => !expected.has(k));
    assert.ok(left.length > 0 && entered.length > 0, `orders leave (${left.length}) and enter (${entered.length}) the window`);
    assert.equal(later.report.deleted, left.length);
    assert.equal(later.report.created, entered.length);
    assert.deepEqual(inCalendar(), laterExpected);
  } finally {
    await f.close();
  }
});
