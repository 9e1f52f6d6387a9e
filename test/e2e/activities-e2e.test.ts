/**
 * End to end, service activities (CDN.SrsCzynnosci): the real server on the demo world syncing
 * orders and activities, against the Graph and Entra emulators. The test changes the Optima
 * database the way Optima would and reads the emulator's mailboxes as the technicians would.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { startDemo, type Demo, DEMO_DEFAULT_MAILBOX } from '../../server/demo/start-demo.ts';
import { openOptimaDemoDatabase } from '../../server/demo/optima-demo-writes.ts';
import { deleteActivity, reassignActivity, updateActivity } from '../../server/demo/optima-demo-activities.ts';
import { zonedToUtc } from '../../server/render/time-zone.ts';
import type { RecordResponse } from '../../shared/addin-api.ts';
import { demoServerApi } from '../support/demo-server-api.ts';

let demo: Demo;
const { api, syncNow, waitForFirstRun } = demoServerApi(() => demo.url);
let db: Database.Database;
let dir: string;

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'optima-activities-e2e-'));
  demo = await startDemo({ dir, port: 0, orders: 80, secondCompanyOrders: 0, intervalSeconds: 3600, simulatorMs: 0, kinds: ['serwis:zlecenie', 'serwis:czynnosc'] });
  db = openOptimaDemoDatabase(demo.companyDbPath);
});

after(async () => {
  db?.close();
  await demo?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface SeenEvent {
  readonly mailbox: string;
  readonly subject: string;
  readonly startUtc: string;
  readonly endUtc: string;
  readonly showAs: string;
  readonly categories: readonly string[];
}

/** Every activity event in every mailbox, by source key. */
function activityEvents(): Map<string, SeenEvent[]> {
  const byKey = new Map<string, SeenEvent[]>();
  const mailboxes = [DEMO_DEFAULT_MAILBOX, ...demo.people.flatMap((p) => (p.email ? [p.email] : []))];
  for (const mailbox of mailboxes) {
    for (const e of demo.graph.listEvents(mailbox, demo.config.calendar.name)) {
      const key = Object.values(e.extendedProperties)[0];
      if (!key.startsWith('serwis:czynnosc:')) continue;
      const list = byKey.get(key) ?? [];
      list.push({ mailbox, subject: e.subject, startUtc: e.startUtc, endUtc: e.endUtc, showAs: e.showAs, categories: e.categories });
      byKey.set(key, list);
    }
  }
  return byKey;
}

interface ActivityInDb {
  readonly id: number;
  readonly orderId: number;
  readonly name: string;
  readonly typ: number;
  readonly kto: number;
  readonly od: string;
  readonly do: string;
  readonly done: number;
  readonly reserved: number;
  readonly bufor: number;
}

function activitiesInDb(): ActivityInDb[] {
  return db.prepare(
    `SELECT y.SrY_SrYId AS id, y.SrY_SrZId AS orderId, y.SrY_TwrNazwa AS name, y.SrY_SerwisantTyp AS typ, y.SrY_SerwisantId AS kto,
            y.SrY_TerminOd AS od, y.SrY_TerminDo AS "do", y.SrY_Zakonczona AS done, y.SrY_RezerwujCzas AS reserved, z.SrZ_Bufor AS bufor
     FROM SrsCzynnosci y JOIN SrsZlecenia z ON z.SrZ_SrZId = y.SrY_SrZId ORDER BY y.SrY_SrYId`,
  ).all() as ActivityInDb[];
}

function mailboxOf(typ: number, kto: number): string {
  const person = demo.people.find((p) => (p.type === 'pracownik' ? 3 : 8) === typ && p.id === kto);
  return person?.email ?? DEMO_DEFAULT_MAILBOX;
}

/** Optima wall clock (Europe/Warsaw) → the instant the emulator reports. */
function utcOf(wall: string): string {
  return zonedToUtc(wall.slice(0, 19).replace(' ', 'T'), 'Europe/Warsaw').utc.toISOString();
}

test('every reserved activity lands once in its technician\'s calendar at its planned times; unreserved ones do not', async () => {
  await waitForFirstRun();
  const events = activityEvents();
  const all = activitiesInDb();
  const inScope = all.filter((a) => a.bufor >= 0 && a.reserved === 1);
  assert.ok(inScope.length > 20, `the demo has activities to sync (${inScope.length})`);
  assert.ok(new Set(inScope.map((a) => `${a.typ}:${a.kto}`)).size >= 4, 'several technicians');
  for (const a of all) {
    const list = events.get(`serwis:czynnosc:${a.id}`);
    if (a.reserved !== 1 || a.bufor < 0) {
      assert.equal(list, undefined, `activity ${a.id} does not reserve time (or its order is cancelled): not in any calendar`);
      continue;
    }
    assert.equal(list?.length, 1, `activity ${a.id} has exactly one event`);
    const [e] = list;
    assert.equal(e.mailbox, mailboxOf(a.typ, a.kto), `activity ${a.id} in its worker's calendar`);
    assert.equal(e.startUtc, utcOf(a.od), `activity ${a.id} starts at SrY_TerminOd`);
    assert.equal(e.endUtc, utcOf(a.do), `activity ${a.id} ends at SrY_TerminDo`);
    assert.ok(e.subject.includes(a.name), `subject "${e.subject}" names the activity`);
    if (a.done === 1) {
      assert.ok(e.subject.startsWith('✔ '), `done activity ${a.id} is marked`);
      assert.equal(e.showAs, 'free');
      assert.ok(e.categories.includes('Wykonane'));
    } else {
      assert.equal(e.showAs, 'busy');
      assert.ok(!e.categories.includes('Wykonane'));
    }
  }
});

test('an idle poll with orders and activities costs at most 4 source queries and no Graph request', async () => {
  await waitForFirstRun();
  await syncNow(); // settle anything within the overlap window
  const before = demo.graph.requestLog.length;
  const run = await syncNow();
  assert.equal(run.graphRequests, 0);
  assert.equal(demo.graph.requestLog.length, before);
  assert.ok(run.sourceQueries <= 4, `source queries: ${run.sourceQueries}`);
  assert.equal(run.created + run.updated + run.deleted + run.moved, 0);
});

test('an activity given to another technician (saved from the order form) moves calendars; one marked done is marked', async () => {
  await waitForFirstRun();
  await syncNow();
  const events = activityEvents();
  const open = activitiesInDb().filter((a) => a.reserved === 1 && a.bufor >= 0 && a.done === 0 && events.has(`serwis:czynnosc:${a.id}`));
  const [moving, finishing] = open;
  assert.ok(moving && finishing, 'two open activities');
  const oldMailbox = events.get(`serwis:czynnosc:${moving.id}`)![0].mailbox;
  const newWorker = demo.people.find((p) => p.email && p.email !== oldMailbox && !p.email.startsWith('ewa.'))!;
  reassignActivity(db, moving.id, { type: newWorker.type, id: newWorker.id });
  updateActivity(db, finishing.id, { SrY_Zakonczona: 1, SrY_DataWykonania: finishing.do });

  const run = await syncNow();
  assert.equal(run.failed, 0);
  assert.ok(run.moved >= 1, `moved ${run.moved}`);
  const after = activityEvents();
  const moved = after.get(`serwis:czynnosc:${moving.id}`)!;
  assert.equal(moved.length, 1, 'exactly one event after the move');
  assert.equal(moved[0].mailbox, newWorker.email);
  assert.equal(moved[0].startUtc, utcOf(moving.od));
  const done = after.get(`serwis:czynnosc:${finishing.id}`)!;
  assert.equal(done.length, 1);
  assert.ok(done[0].subject.startsWith('✔ '), done[0].subject);
  assert.equal(done[0].showAs, 'free');
  assert.deepEqual([...done[0].categories].sort(), ['Optima Serwis', 'Wykonane']);
});

test('an activity deleted from the Terminarz (order stamp untouched) disappears at the next poll through the checksum', async () => {
  await waitForFirstRun();
  await syncNow();
  const events = activityEvents();
  const victim = activitiesInDb().find((a) => events.has(`serwis:czynnosc:${a.id}`))!;
  deleteActivity(db, victim.id, { touchOrder: false });
  const run = await syncNow();
  assert.equal(run.deleted, 1);
  assert.equal(activityEvents().has(`serwis:czynnosc:${victim.id}`), false);
});

test('the add-in shows an activity as an activity: what to do, for which order', async () => {
  await waitForFirstRun();
  const link = [...demo.runtime.store.loadLinks().values()].find((l) => l.sourceKey.startsWith('serwis:czynnosc:'));
  assert.ok(link, 'an activity was synced');
  const tokenRes = await fetch(`${demo.url}/api/demo/token?mailbox=${encodeURIComponent(link.mailbox)}`);
  assert.equal(tokenRes.status, 200);
  const { token } = (await tokenRes.json()) as { token: string };
  const res = await fetch(`${demo.url}/api/addin/records?sourceKey=${encodeURIComponent(link.sourceKey)}`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200);
  const body = (await res.json()) as RecordResponse;
  assert.ok(body.found, 'the record is found');
  assert.equal(body.record.kind, 'serwis:czynnosc');
  const id = Number(link.sourceKey.split(':').pop());
  const row = db.prepare(`SELECT y.SrY_TwrNazwa AS czynnosc, z.SrZ_NumerPelny AS numer FROM SrsCzynnosci y
    JOIN SrsZlecenia z ON z.SrZ_SrZId = y.SrY_SrZId WHERE y.SrY_SrYId = ?`).get(id) as { czynnosc: string; numer: string };
  assert.equal(body.record.czynnosc, row.czynnosc);
  assert.equal(body.record.zlecenie.numer, row.numer);
});
