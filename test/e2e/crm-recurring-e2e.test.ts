/**
 * Recurring CRM tasks end to end on the demo world: each materialized occurrence
 * (CDN.CrmKontaktyCykl) is its own event; an occurrence split off into a standalone task is not
 * synced twice; deleting one occurrence in Optima removes exactly one event. Participants are
 * listed in the body; priority and Optima's reminder reach the event.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { startDemo, type Demo, DEMO_DEFAULT_MAILBOX } from '../../server/demo/start-demo.ts';
import { openOptimaDemoDatabase } from '../../server/demo/optima-demo-writes.ts';
import { deleteCrmOccurrence, updateCrmTask } from '../../server/demo/optima-demo-crm.ts';
import { DEMO_CRM_SPECIAL } from '../../server/demo/optima-demo-crm-special.ts';
import { demoServerApi } from '../support/demo-server-api.ts';
import { readDemoEventsByKey } from '../support/demo-calendars.ts';
import { utcOf } from './crm-world.ts';

let demo: Demo;
let dir: string;
let db: Database.Database;
const { syncNow, waitForFirstRun } = demoServerApi(() => demo.url);

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'optima-recurring-e2e-'));
  demo = await startDemo({
    dir, port: 0, orders: 20, secondCompanyOrders: 0, intervalSeconds: 3600, simulatorMs: 0,
    kinds: ['serwis:zlecenie', 'crm:zadanie', 'crm:wystapienie'],
    // Tasks: a month back at most, so a task moved further back leaves the calendar.
    configure: (raw) => { raw.filters = { default: { daysBack: 400, daysAhead: 400 }, 'crm:zadanie': { daysBack: 30 } }; },
  });
  db = openOptimaDemoDatabase(demo.companyDbPath);
});

after(async () => {
  db?.close();
  await demo?.close();
  rmSync(dir, { recursive: true, force: true });
});

const eventsByKey = () => readDemoEventsByKey(demo);

function occurrenceRow(id: number) {
  return db.prepare('SELECT CRC_TerminOd AS od, CRC_TerminDo AS "do", CRC_Bufor AS bufor FROM CrmKontaktyCykl WHERE CRC_CRCId = ?').get(id) as { od: string; do: string; bufor: number };
}

function ownerMailbox(taskId: number): string {
  const t = db.prepare('SELECT CRK_OpiekunTyp AS typ, CRK_OpiekunId AS kto FROM CRMKontakty WHERE CRK_CRKId = ?').get(taskId) as { typ: number; kto: number };
  const person = demo.people.find((p) => (p.type === 'pracownik' ? 3 : 8) === t.typ && p.id === t.kto);
  return person?.email?.toLowerCase() ?? DEMO_DEFAULT_MAILBOX;
}

test('a recurring task with 5 occurrences gives 5 events at their own times in the owner\'s calendar, and none for the task itself', async () => {
  await waitForFirstRun();
  const events = eventsByKey();
  const task = DEMO_CRM_SPECIAL.fiveOccurrences;
  assert.equal(task.occurrenceIds.length, 5);
  assert.equal(events.has(`crm:zadanie:${task.taskId}`), false, 'the recurring task is not an event of its own');
  const mailbox = ownerMailbox(task.taskId);
  for (const id of task.occurrenceIds) {
    const found = events.get(`crm:wystapienie:${id}`) ?? [];
    assert.equal(found.length, 1, `occurrence ${id}: exactly one event`);
    const [{ mailbox: where, event }] = found;
    const row = occurrenceRow(id);
    assert.equal(where, mailbox, `occurrence ${id} in the owner's calendar`);
    assert.equal(event.startUtc, utcOf(row.od), `occurrence ${id} starts at its own term`);
    assert.equal(event.endUtc, utcOf(row.do));
    // Done occurrences (CRC_Bufor = 0) are marked like closed tasks (crm.closed: mark).
    assert.equal(event.subject.startsWith('✔ '), row.bufor === 0, `occurrence ${id}: "${event.subject}"`);
    assert.equal(event.importance, 'high', 'priority Wysoki → high importance');
    assert.match(event.body.content, /Uczestnicy|Participants/, 'participants are listed in the body');
  }
});

test('an occurrence split off into its own task is synced once, as that task', async () => {
  await waitForFirstRun();
  const events = eventsByKey();
  const t = DEMO_CRM_SPECIAL.withSplitOff;
  assert.equal(events.has(`crm:wystapienie:${t.splitOffOccurrenceId}`), false, 'the split-off occurrence has no occurrence event');
  assert.equal(events.get(`crm:zadanie:${t.standaloneTaskId}`)?.length, 1, 'the standalone task it became has one event');
  for (const id of t.occurrenceIds.filter((x) => x !== t.splitOffOccurrenceId)) {
    assert.equal(events.get(`crm:wystapienie:${id}`)?.length, 1, `occurrence ${id}: one event`);
  }
  const cancelled = DEMO_CRM_SPECIAL.cancelled;
  for (const id of cancelled.occurrenceIds) assert.equal(events.has(`crm:wystapienie:${id}`), false, 'a cancelled series has no events (crm.cancelled: remove)');
});

test('deleting one occurrence in Optima (no stamp moves anywhere) removes exactly that event at the next poll', async () => {
  await waitForFirstRun();
  const task = DEMO_CRM_SPECIAL.fiveOccurrences;
  const before = eventsByKey();
  const victim = task.occurrenceIds[2];
  assert.ok(deleteCrmOccurrence(db, victim, { touchTask: false }));
  const run = await syncNow();
  assert.equal(run.deleted, 1);
  assert.equal(run.created + run.updated + run.moved, 0);
  const after = eventsByKey();
  assert.equal(after.has(`crm:wystapienie:${victim}`), false, 'the deleted occurrence left the calendar');
  for (const id of task.occurrenceIds.filter((x) => x !== victim)) {
    assert.deepEqual(after.get(`crm:wystapienie:${id}`)?.[0].event.changeKey, before.get(`crm:wystapienie:${id}`)?.[0].event.changeKey, `occurrence ${id} untouched`);
  }
});

test('a task moved out of the date window (filters.crm:zadanie.daysBack: 30) is removed from the calendar at the next poll', async () => {
  await waitForFirstRun();
  const before = eventsByKey();
  const key = [...before.keys()].find((k) => k.startsWith('crm:zadanie:'));
  assert.ok(key, 'a CRM task has an event');
  const id = Number(key.split(':').pop());
  const longAgo = new Date(Date.now() - 60 * 86_400_000).toISOString().slice(0, 10);
  assert.ok(updateCrmTask(db, id, { CRK_TerminOd: `${longAgo} 09:00:00.000`, CRK_TerminDo: `${longAgo} 10:00:00.000` }));
  const run = await syncNow();
  assert.equal(run.deleted, 1);
  assert.equal(eventsByKey().has(key), false, 'the task left the calendar');
  const report = await demoServerApi(() => demo.url).api<{ skips: Array<{ sourceKey: string; detail: string }> }>('GET', `/api/runs/${run.runId}`);
  assert.match(report.skips.find((s) => s.sourceKey === key)?.detail ?? '', /starszy niż 30 dni \(filters\.crm:zadanie\.daysBack\)/, 'the run says which setting left it out');
});
