/**
 * Two Optima companies in one install (end to end, demo world): company databases sharing one
 * configuration database, the same numeric ids in both, each company's records under its own
 * source keys, with its own templates.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { startDemo, type Demo, DEMO_SECOND_COMPANY } from '../../server/demo/start-demo.ts';
import { openOptimaDemoDatabase, updateOrder } from '../../server/demo/optima-demo-writes.ts';
import { demoServerApi } from '../support/demo-server-api.ts';
import { readDemoEventsByKey } from '../support/demo-calendars.ts';

let demo: Demo;
let dir: string;
let second: Database.Database;
const { syncNow, waitForFirstRun } = demoServerApi(() => demo.url);

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'optima-companies-e2e-'));
  demo = await startDemo({ dir, port: 0, orders: 40, secondCompanyOrders: 30, intervalSeconds: 3600, simulatorMs: 0, kinds: ['serwis:zlecenie'] });
  assert.ok(demo.secondCompanyDbPath, 'the demo runs two companies');
  second = openOptimaDemoDatabase(demo.secondCompanyDbPath);
});

after(async () => {
  second?.close();
  await demo?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Subjects of every event by source key, with whose calendar each is in. */
function eventsByKey(): Map<string, Array<{ mailbox: string; subject: string }>> {
  return new Map([...readDemoEventsByKey(demo)].map(([key, list]) => [key, list.map((x) => ({ mailbox: x.mailbox, subject: x.event.subject }))]));
}

test('the same order id in two companies gives two events, each once, the second company with its own template', async () => {
  await waitForFirstRun();
  const events = eventsByKey();
  const prefix = `${DEMO_SECOND_COMPANY.code}/`;
  const firstIds = [...events.keys()].filter((k) => k.startsWith('serwis:zlecenie:')).map((k) => Number(k.split(':').pop()));
  const secondIds = new Set([...events.keys()].filter((k) => k.startsWith(`${prefix}serwis:zlecenie:`)).map((k) => Number(k.split(':').pop())));
  const shared = firstIds.filter((id) => secondIds.has(id));
  assert.ok(shared.length >= 10, `many ids exist in both companies (${shared.length})`);
  for (const id of shared) {
    const a = events.get(`serwis:zlecenie:${id}`) ?? [];
    const b = events.get(`${prefix}serwis:zlecenie:${id}`) ?? [];
    assert.equal(a.length, 1, `order ${id} of the main company: one event`);
    assert.equal(b.length, 1, `order ${id} of ${DEMO_SECOND_COMPANY.code}: one event`);
    assert.ok(b[0].subject.startsWith('[Północ] '), `second company's subject: ${b[0].subject}`);
    assert.ok(!a[0].subject.startsWith('[Północ]'), `main company's subject: ${a[0].subject}`);
  }
});

test("a change in the second company's database updates only that company's event", async () => {
  await waitForFirstRun();
  const before = eventsByKey();
  const prefix = `${DEMO_SECOND_COMPANY.code}/`;
  const id = [...before.keys()].filter((k) => k.startsWith(`${prefix}serwis:zlecenie:`)).map((k) => Number(k.split(':').pop()))
    .find((n) => before.has(`serwis:zlecenie:${n}`));
  assert.ok(id !== undefined, 'an id present in both companies');
  const mainBefore = before.get(`serwis:zlecenie:${id}`)?.[0];
  const klient = 'Nowy Klient Północ sp. j.';
  updateOrder(second, id, { SrZ_PodNazwa1: klient });
  const run = await syncNow();
  assert.equal(run.updated, 1, 'one event updated');
  const after = eventsByKey();
  assert.ok(after.get(`${prefix}serwis:zlecenie:${id}`)?.[0].subject.includes(klient), 'the second company\'s event shows the new customer');
  assert.deepEqual(after.get(`serwis:zlecenie:${id}`)?.[0], mainBefore, 'the main company\'s event with the same id is untouched');
});
