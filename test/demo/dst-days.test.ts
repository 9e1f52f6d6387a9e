import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findDstDays } from '../../server/demo/optima-demo-order.ts';

/** Warsaw's UTC offset at an instant, as the platform's time-zone data says (e.g. "GMT+2"). */
function warsawOffset(iso: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Warsaw', timeZoneName: 'shortOffset' }).formatToParts(new Date(iso))
    .find((p) => p.type === 'timeZoneName')?.value ?? '';
}

test("the demo's DST days are the days Warsaw's clock changes, year after year", () => {
  for (let year = 2025; year <= 2032; year++) {
    const { spring, autumn } = findDstDays(year);
    // 00:30 UTC is before the change (01:00 UTC) and 02:00 UTC after it, on both days.
    assert.deepEqual([warsawOffset(`${spring}T00:30:00Z`), warsawOffset(`${spring}T02:00:00Z`)], ['GMT+1', 'GMT+2'], `${year} spring ${spring}`);
    assert.deepEqual([warsawOffset(`${autumn}T00:30:00Z`), warsawOffset(`${autumn}T02:00:00Z`)], ['GMT+2', 'GMT+1'], `${year} autumn ${autumn}`);
  }
});
