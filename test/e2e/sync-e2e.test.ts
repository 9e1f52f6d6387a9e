/**
 * End to end: the real server (same composition root as `npm start`) on a temporary folder,
 * against the Graph and Entra emulators over HTTPS, with an Optima-shaped SQLite database that
 * the test changes the way Optima would. Assertions read the emulator's mailboxes, as a person
 * would look at their calendar.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { startDemo, type Demo, DEMO_DEFAULT_MAILBOX } from '../../server/demo/start-demo.ts';
import { deleteOrder, insertOrder, openOptimaDemoDatabase, reassignOrder, updateOrder } from '../../server/demo/optima-demo-writes.ts';
import type { StatusResponse } from '../../shared/api-types.ts';
import { demoServerApi } from '../support/demo-server-api.ts';
import { findDstDays } from '../../server/demo/optima-demo-order.ts';
import { localToday } from '../../server/render/record-filter.ts';

let demo: Demo;
const { api, syncNow, waitForFirstRun } = demoServerApi(() => demo.url);
let db: Database.Database;
let dir: string;

const CLI = path.resolve(import.meta.dirname, '../../server/cli/optima-sync.ts');

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'optima-e2e-'));
  // A long interval: the server makes its first run by itself, the test triggers the rest.
  demo = await startDemo({ dir, port: 0, orders: 60, intervalSeconds: 3600, simulatorMs: 0 });
  db = openOptimaDemoDatabase(demo.companyDbPath);
});

after(async () => {
  db?.close();
  await demo?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Every stamped event in every mailbox, by source key. */
function eventsByKey() {
  const byKey = new Map<string, Array<{ mailbox: string; subject: string; startUtc: string; endUtc: string; body: string }>>();
  for (const mailbox of allMailboxes()) {
    for (const e of demo.graph.listEvents(mailbox, demo.config.calendar.name)) {
      const key = Object.values(e.extendedProperties)[0];
      const list = byKey.get(key) ?? [];
      list.push({ mailbox, subject: e.subject, startUtc: e.startUtc, endUtc: e.endUtc, body: e.body.content });
      byKey.set(key, list);
    }
  }
  return byKey;
}

function allMailboxes(): string[] {
  return [DEMO_DEFAULT_MAILBOX, ...demo.people.flatMap((p) => (p.email ? [p.email] : []))];
}

function orderRow(id: number) {
  return db.prepare('SELECT SrZ_NumerPelny AS numer, SrZ_DataRealizacji AS realizacja, SrZ_ProwadzacyTyp AS typ, SrZ_ProwadzacyId AS kto FROM SrsZlecenia WHERE SrZ_SrZId = ?').get(id) as
    { numer: string; realizacja: string | null; typ: number | null; kto: number | null };
}

function mailboxOfPerson(typ: number | null, kto: number | null): string {
  const person = demo.people.find((p) => (p.type === 'pracownik' ? 3 : 8) === typ && p.id === kto);
  return person?.email ?? DEMO_DEFAULT_MAILBOX;
}

test('the first run puts every dated order in its leader\'s calendar, once', async () => {
  const status = await waitForFirstRun();
  assert.ok(status.lastRun);
  const events = eventsByKey();
  const dated = db.prepare("SELECT SrZ_SrZId AS id FROM SrsZlecenia WHERE SrZ_Bufor >= 0 AND COALESCE(NULLIF(SrZ_DataRealizacji, ''), SrZ_DataPrzyjecia) IS NOT NULL").all() as { id: number }[];
  assert.ok(events.size > 40, `expected most of 60 orders in calendars, got ${events.size}`);
  assert.equal(status.links, events.size, 'status.links counts the linked events');
  assert.equal(status.lastRun.created, events.size);
  for (const [key, list] of events) assert.equal(list.length, 1, `${key} has ${list.length} events`);
  // Spot-check routing and subject on every event.
  for (const { id } of dated) {
    const list = events.get(`serwis:zlecenie:${id}`);
    if (!list) continue; // skipped with a reason (empty date) — checked below
    const row = orderRow(id);
    assert.equal(list[0].mailbox, mailboxOfPerson(row.typ, row.kto), `order ${row.numer} in the wrong mailbox`);
    assert.ok(list[0].subject.startsWith(row.numer), `subject "${list[0].subject}" starts with ${row.numer}`);
  }
  const run = await api<{ skips: Array<{ sourceKey: string; reason: string }> }>('GET', `/api/runs/${status.lastRun.runId}`);
  assert.ok(run.skips.some((s) => s.reason === 'empty-date'), 'orders with 1899-12-30 dates are skipped with the reason');
  for (const s of run.skips) assert.equal(events.has(s.sourceKey), false, `${s.sourceKey} was skipped but has an event`);
});

test('events land at the right instant across the DST changes, never start = end', async () => {
  await waitForFirstRun();
  const events = eventsByKey();
  // The demo puts these on this year's clock changes (last Sundays of March and October).
  const { spring, autumn } = findDstDays(Number(localToday(new Date(), 'Europe/Warsaw').slice(0, 4)));
  const cases: Array<[string, string]> = [
    [`${spring} 03:00`, `${spring}T01:00:00.000Z`], // first hour of summer time (CEST, UTC+2)
    [`${spring} 02:30`, `${spring}T01:30:00.000Z`], // does not exist: shifted forward to 03:30 CEST
    [`${autumn} 02:30`, `${autumn}T00:30:00.000Z`], // happens twice: the first (CEST) one
  ];
  for (const [local, utc] of cases) {
    const row = db.prepare("SELECT SrZ_SrZId AS id FROM SrsZlecenia WHERE SrZ_DataRealizacji LIKE ? || '%'").get(local) as { id: number } | undefined;
    assert.ok(row, `the demo database has an order at ${local}`);
    const [event] = events.get(`serwis:zlecenie:${row.id}`) ?? [];
    assert.ok(event, `order at ${local} has an event`);
    assert.equal(event.startUtc, utc, `order at ${local} Warsaw`);
  }
  for (const [key, [e]] of events) assert.ok(e.endUtc > e.startUtc, `${key}: end after start`);
});

test('an unchanged poll reads at most two queries per synced kind and company and sends no Graph request', async () => {
  await waitForFirstRun();
  await syncNow(); // settle anything within the overlap window
  const before = demo.graph.requestLog.length;
  const run = await syncNow();
  assert.equal(run.graphRequests, 0);
  assert.equal(demo.graph.requestLog.length, before, 'the emulator saw no request');
  // Changed rows and the ids checksum, per kind and company: orders, activities, CRM tasks and
  // recurring tasks' occurrences, in two companies → 16.
  assert.deepEqual(demo.config.sync.kinds, ['serwis:zlecenie', 'serwis:czynnosc', 'crm:zadanie', 'crm:wystapienie']);
  assert.equal(demo.config.source.companies.length, 1, 'the demo runs a second company');
  assert.ok(run.sourceQueries <= 2 * demo.config.sync.kinds.length * 2, `source queries: ${run.sourceQueries}`);
  assert.equal(run.created + run.updated + run.deleted + run.moved, 0);
});

test('changes in Optima: edit, add, delete and reassign show up in the calendars', async () => {
  await waitForFirstRun();
  const before = eventsByKey();
  const [editId, deleteId, reassignId] = [...before.keys()].filter((k) => k.startsWith('serwis:zlecenie:')).slice(0, 3).map((k) => Number(k.split(':').pop()));

  updateOrder(db, editId, { SrZ_Opis: 'Wymiana pompy — pilne! Zażółć gęślą jaźń 🔧', SrZ_DataRealizacji: '2026-12-07 09:15:00.000' });
  const newId = insertOrder(db, { SrZ_DataRealizacji: '2026-12-08 13:45:00.000', SrZ_ProwadzacyTyp: null, SrZ_ProwadzacyId: null });
  deleteOrder(db, deleteId);
  const oldMailbox = before.get(`serwis:zlecenie:${reassignId}`)![0].mailbox;
  const newLeader = demo.people.find((p) => p.email && p.email !== oldMailbox)!;
  reassignOrder(db, reassignId, { type: newLeader.type, id: newLeader.id });

  const run = await syncNow();
  assert.deepEqual({ created: run.created, updated: run.updated, deleted: run.deleted, moved: run.moved, failed: run.failed }, { created: 1, updated: 1, deleted: 1, moved: 1, failed: 0 });
  const after = eventsByKey();
  const edited = after.get(`serwis:zlecenie:${editId}`)![0];
  assert.match(edited.subject, /Wymiana pompy — pilne! Zażółć gęślą jaźń 🔧/);
  assert.equal(edited.startUtc, '2026-12-07T08:15:00.000Z'); // 09:15 CET
  const added = after.get(`serwis:zlecenie:${newId}`);
  assert.equal(added?.length, 1);
  assert.equal(added[0].mailbox, DEMO_DEFAULT_MAILBOX, 'an order with nobody leading goes to the default mailbox');
  assert.equal(added[0].startUtc, '2026-12-08T12:45:00.000Z');
  assert.equal(after.has(`serwis:zlecenie:${deleteId}`), false, 'deleted order has no event');
  const moved = after.get(`serwis:zlecenie:${reassignId}`)!;
  assert.equal(moved.length, 1, 'reassigned order has exactly one event');
  assert.equal(moved[0].mailbox, newLeader.email);
});

test('a process killed between Graph\'s create and the link commit leaves no duplicate', async () => {
  await waitForFirstRun();
  await syncNow();
  const added = Array.from({ length: 12 }, (_, i) => insertOrder(db, { SrZ_DataRealizacji: `2026-12-1${i % 10} 10:00:00.000` }));
  demo.graph.setLatency(150);
  // Worst case: Graph does not recognise a repeated transactionId, so only the stamp lookup
  // after the crash stands between us and a duplicate.
  demo.graph.setTransactionIdRepeat('create-new');
  const createsBefore = countCreates();
  const child = spawn(process.execPath, [CLI, 'sync', '--once', '--config', demo.configPath], {
    env: { ...process.env, NODE_EXTRA_CA_CERTS: demo.caPath }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // Kill it as soon as Graph has stored the first event of this run.
  const deadline = Date.now() + 20_000;
  while (countCreates() === createsBefore && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
  child.kill('SIGKILL');
  const code = await exited;
  assert.equal(code, null, `the child was killed mid-run, not finished (stderr: ${stderr})`);
  demo.graph.setLatency(0);
  await new Promise((r) => setTimeout(r, 400)); // let requests already sent land in the emulator
  const run = await syncNow();
  assert.equal(run.error, null, run.error ?? '');
  assert.equal(run.failed, 0);
  const events = eventsByKey();
  for (const id of added) assert.equal(events.get(`serwis:zlecenie:${id}`)?.length, 1, `order ${id} has exactly one event`);
  for (const [key, list] of events) assert.equal(list.length, 1, `${key} duplicated`);
  const status = await api<StatusResponse>('GET', '/api/status');
  assert.equal(status.links, events.size);
});

function countCreates(): number {
  return demo.graph.requestLog.filter((r) => r.method === 'POST' && r.status === 201 && r.path.endsWith('/events')).length;
}

