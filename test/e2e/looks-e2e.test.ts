/**
 * Status → look, end to end on the demo world: the admin's rules in config (category with colour,
 * show-as, subject prefix, removal) follow a record's state in Optima into its owner's calendar,
 * and the category's colour reaches the mailbox's category list.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { startDemo, type Demo } from '../../server/demo/start-demo.ts';
import { openOptimaDemoDatabase, updateOrder } from '../../server/demo/optima-demo-writes.ts';
import { demoServerApi } from '../support/demo-server-api.ts';
import { readDemoEventsByKey } from '../support/demo-calendars.ts';

let demo: Demo;
let dir: string;
let db: Database.Database;
const { syncNow, waitForFirstRun } = demoServerApi(() => demo.url);

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'optima-looks-e2e-'));
  demo = await startDemo({
    dir, port: 0, orders: 40, secondCompanyOrders: 0, intervalSeconds: 3600, simulatorMs: 0, kinds: ['serwis:zlecenie'],
    configure: (raw) => {
      raw.looks = {
        'serwis:zlecenie': [
          { when: { states: ['Zrealizowane'] }, category: 'Gotowe do odbioru', color: 'zielony', showAs: 'free', subjectPrefix: '✔ ' },
          { when: { states: ['W realizacji'] }, category: 'U klienta', color: 'pomarańczowy', showAs: 'oof' },
        ],
      };
    },
  });
  db = openOptimaDemoDatabase(demo.companyDbPath);
});

after(async () => {
  db?.close();
  await demo?.close();
  rmSync(dir, { recursive: true, force: true });
});

function findEvent(key: string) {
  return readDemoEventsByKey(demo).get(key)?.[0] ?? null;
}

test("a status change in Optima changes the event's category and show-as; the category gets its colour in the mailbox", async () => {
  await waitForFirstRun();
  const row = db.prepare(`SELECT SrZ_SrZId AS id FROM SrsZlecenia WHERE SrZ_Stan = 0 AND SrZ_Bufor = 0
    AND SrZ_DataRealizacji IS NOT NULL AND SrZ_DataRealizacji NOT LIKE '1899%' ORDER BY SrZ_SrZId LIMIT 1`).get() as { id: number } | undefined;
  assert.ok(row, 'an order waiting for realization');
  const key = `serwis:zlecenie:${row.id}`;
  const before = findEvent(key);
  assert.ok(before, 'it has an event');
  assert.equal(before.event.showAs, 'busy');
  assert.ok(!before.event.categories.includes('U klienta'));

  updateOrder(db, row.id, { SrZ_Stan: 1 });
  await syncNow();
  const working = findEvent(key);
  assert.ok(working);
  assert.equal(working.event.showAs, 'oof');
  assert.ok(working.event.categories.includes('U klienta'), `categories: ${working.event.categories.join(', ')}`);

  updateOrder(db, row.id, { SrZ_Stan: 2 });
  await syncNow();
  const done = findEvent(key);
  assert.ok(done);
  assert.equal(done.event.showAs, 'free');
  assert.ok(done.event.subject.startsWith('✔ '), done.event.subject);
  assert.ok(done.event.categories.includes('Gotowe do odbioru') && !done.event.categories.includes('U klienta'), `categories: ${done.event.categories.join(', ')}`);

  const colors = new Map(demo.graph.masterCategories(done.mailbox).map((c) => [c.displayName, c.color]));
  assert.equal(colors.get('Gotowe do odbioru'), 'preset4', 'green, as configured in Polish');
  assert.equal(colors.get('U klienta'), 'preset1', 'orange');
  assert.equal(colors.get('Optima Serwis'), 'preset7', 'the built-in category has its default colour');
});
