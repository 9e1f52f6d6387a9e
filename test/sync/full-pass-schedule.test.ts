import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isFullPassDue } from '../../server/sync/full-pass-schedule.ts';

const nightly = { dailyAt: '02:00', timeZone: 'Europe/Warsaw' } as const;

test('a full pass is due when none was ever made', () => {
  assert.equal(isFullPassDue(nightly, null, new Date('2026-06-10T12:00:00Z')), true);
});

test('nightly at 02:00 Warsaw: done at 02:05 today → not due again until tomorrow 02:00', () => {
  const last = '2026-06-10T00:05:00.000Z'; // 02:05 CEST
  assert.equal(isFullPassDue(nightly, last, new Date('2026-06-10T21:00:00Z')), false);
  assert.equal(isFullPassDue(nightly, last, new Date('2026-06-10T23:59:00Z')), false); // 01:59 CEST next day
  assert.equal(isFullPassDue(nightly, last, new Date('2026-06-11T00:00:30Z')), true); // 02:00:30 CEST
});

test('nightly schedule follows the local clock in winter (CET, UTC+1)', () => {
  const last = '2026-12-01T01:30:00.000Z'; // 02:30 CET
  assert.equal(isFullPassDue(nightly, last, new Date('2026-12-02T00:59:00Z')), false); // 01:59 CET
  assert.equal(isFullPassDue(nightly, last, new Date('2026-12-02T01:00:00Z')), true); // 02:00 CET
});

test('every N hours counts elapsed time', () => {
  const last = '2026-06-10T00:00:00.000Z';
  assert.equal(isFullPassDue({ everyHours: 6 }, last, new Date('2026-06-10T05:59:00Z')), false);
  assert.equal(isFullPassDue({ everyHours: 6 }, last, new Date('2026-06-10T06:00:00Z')), true);
});
