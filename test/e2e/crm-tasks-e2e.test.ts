/**
 * End to end, CRM tasks (CDN.CRMKontakty, tasks only, no recurrence) with the default config: the
 * real server on the demo world syncing service orders and CRM tasks against the Graph and Entra
 * emulators. The test changes the Optima database the way Optima would and reads the owners' mailboxes.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cancelCrmTask, closeCrmTask } from '../../server/demo/optima-demo-crm.ts';
import { crmEvents, hasTerm, isCancelled, mailboxOf, startWorld, stopWorld, syncNow, tasksInDb, utcOf, waitForFirstRun, type World } from './crm-world.ts';

describe('CRM tasks with the default config (cancelled removed, closed marked)', () => {
  let w: World;
  before(async () => { w = await startWorld(); });
  after(() => stopWorld(w));

  test('every open or closed task with a term lands once in its owner\'s calendar at its times; contacts, cancelled and termless ones do not', async () => {
    await waitForFirstRun(w);
    const events = crmEvents(w);
    const all = tasksInDb(w);
    const expected = all.filter((t) => t.zadanie === 1 && hasTerm(t) && !isCancelled(t));
    assert.ok(expected.length >= 15, `the demo has tasks to sync (${expected.length})`);
    assert.ok(new Set(expected.map((t) => `${t.typ}:${t.kto}`)).size >= 3, 'several owners');
    assert.ok(expected.some((t) => t.bufor === 0), 'some closed tasks');
    for (const t of all) {
      const list = events.get(`crm:zadanie:${t.id}`);
      if (!expected.includes(t)) {
        assert.equal(list, undefined, `CRM row ${t.id} (zadanie ${t.zadanie}, bufor ${t.bufor}, od ${t.od}) is in no calendar`);
        continue;
      }
      assert.equal(list?.length, 1, `task ${t.id} has exactly one event`);
      const [e] = list;
      assert.equal(e.mailbox, mailboxOf(w, t.typ, t.kto), `task ${t.id} in its owner's calendar`);
      assert.equal(e.startUtc, utcOf(t.od), `task ${t.id} starts at CRK_TerminOd`);
      assert.equal(e.endUtc, utcOf(t.do), `task ${t.id} ends at CRK_TerminDo`);
      assert.ok(e.subject.includes(t.temat), `subject "${e.subject}" is the topic`);
      if (t.bufor === 0) {
        assert.ok(e.subject.startsWith('✔ '), `closed task ${t.id} is marked: ${e.subject}`);
        assert.equal(e.showAs, 'free');
        assert.ok(e.categories.includes('Zakończone'), e.categories.join());
      } else {
        assert.equal(e.showAs, 'busy');
        assert.ok(!e.subject.startsWith('✔ ') && !e.categories.includes('Zakończone'));
      }
    }
  });

  test('an idle poll with orders and CRM tasks costs at most 4 source queries and no Graph request', async () => {
    await waitForFirstRun(w);
    await syncNow(w);
    const before = w.demo.graph.requestLog.length;
    const run = await syncNow(w);
    assert.equal(run.graphRequests, 0);
    assert.equal(w.demo.graph.requestLog.length, before);
    assert.ok(run.sourceQueries <= 4, `source queries: ${run.sourceQueries}`);
    assert.equal(run.created + run.updated + run.deleted + run.moved, 0);
  });

  test('a task cancelled in Optima disappears; a task closed in Optima is marked done', async () => {
    await waitForFirstRun(w);
    await syncNow(w);
    const events = crmEvents(w);
    const open = tasksInDb(w).filter((t) => t.bufor === 1 && !isCancelled(t) && events.has(`crm:zadanie:${t.id}`));
    const [cancelling, closing] = open;
    assert.ok(cancelling && closing, 'two open tasks in calendars');
    cancelCrmTask(w.db, cancelling.id);
    closeCrmTask(w.db, closing.id);
    const run = await syncNow(w);
    assert.equal(run.failed, 0);
    const after = crmEvents(w);
    assert.equal(after.has(`crm:zadanie:${cancelling.id}`), false, 'the cancelled task is gone');
    const closed = after.get(`crm:zadanie:${closing.id}`)!;
    assert.equal(closed.length, 1);
    assert.ok(closed[0].subject.startsWith('✔ '), closed[0].subject);
    assert.equal(closed[0].showAs, 'free');
    assert.ok(closed[0].categories.includes('Zakończone'));
  });
});

