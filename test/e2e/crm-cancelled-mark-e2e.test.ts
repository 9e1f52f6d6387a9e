/**
 * End to end, CRM tasks with `crm.cancelled: mark`: cancelled tasks stay in the owner's calendar,
 * marked. Its own file (own process): see crm-world.ts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cancelCrmTask } from '../../server/demo/optima-demo-crm.ts';
import { crmEvents, hasTerm, isCancelled, startWorld, stopWorld, syncNow, tasksInDb, waitForFirstRun, type World } from './crm-world.ts';

describe('CRM tasks with crm.cancelled: mark', () => {
  let w: World;
  before(async () => { w = await startWorld({ cancelled: 'mark' }); });
  after(() => stopWorld(w));

  test('cancelled tasks stay, free, marked ✖ with the category "Anulowane"; a newly cancelled one is marked too', async () => {
    await waitForFirstRun(w);
    const events = crmEvents(w);
    const cancelled = tasksInDb(w).filter((t) => t.zadanie === 1 && hasTerm(t) && isCancelled(t));
    assert.ok(cancelled.length > 0, 'the demo has cancelled tasks');
    for (const t of cancelled) {
      const [e] = events.get(`crm:zadanie:${t.id}`) ?? [];
      assert.ok(e, `cancelled task ${t.id} is in a calendar`);
      assert.ok(e.subject.startsWith('✖ '), e.subject);
      assert.equal(e.showAs, 'free');
      assert.ok(e.categories.includes('Anulowane'));
    }
    const open = tasksInDb(w).find((t) => t.bufor === 1 && !isCancelled(t) && events.has(`crm:zadanie:${t.id}`))!;
    cancelCrmTask(w.db, open.id);
    const run = await syncNow(w);
    assert.equal(run.failed, 0);
    const [e] = crmEvents(w).get(`crm:zadanie:${open.id}`) ?? [];
    assert.ok(e?.subject.startsWith('✖ '), e?.subject);
  });
});
