import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeDeleteThreshold, guardPlan } from '../../server/sync/guard-plan.ts';
import type { Link, SyncAction, SyncPlan } from '../../server/domain/types.ts';

function planWithDeletions(n: number, others = 0): SyncPlan {
  const actions: SyncAction[] = [];
  for (let i = 0; i < n; i++) {
    const link: Link = { sourceKey: `serwis:zlecenie:${i}`, mailbox: 'jan@firma.pl', calendarId: 'c', remoteId: `r${i}`, changeKey: null, renderHash: 'h', sourceModifiedAt: '', updatedAt: '' };
    actions.push({ type: 'delete', sourceKey: link.sourceKey, link, reason: 'Rekordu nie ma już w Optimie.' });
  }
  for (let i = 0; i < others; i++) actions.push({ type: 'skip', sourceKey: `serwis:zlecenie:${1000 + i}`, reason: 'Pomijam.' });
  return { actions, unchanged: 0, held: null };
}

test('with 30 links the floor of 10 deletions applies: 9 pass, 10 are held', () => {
  assert.equal(guardPlan(planWithDeletions(9), { linkCount: 30, sourceCount: 25, allowMassDelete: false }).held, null);
  const held = guardPlan(planWithDeletions(10), { linkCount: 30, sourceCount: 20, allowMassDelete: false }).held;
  assert.equal(held?.guard, 'mass-delete');
  assert.equal(held?.deletions, 10);
  assert.equal(held?.threshold, 10);
});

test('with 100 links 20 % applies: 19 pass, 20 are held', () => {
  assert.equal(guardPlan(planWithDeletions(19), { linkCount: 100, sourceCount: 81, allowMassDelete: false }).held, null);
  const held = guardPlan(planWithDeletions(20), { linkCount: 100, sourceCount: 80, allowMassDelete: false }).held;
  assert.equal(held?.guard, 'mass-delete');
  assert.equal(held?.threshold, 20);
  assert.equal(held?.links, 100);
});

test('a fractional percentage rounds up: 20 of 101 links (19.8 %) pass, 21 are held', () => {
  assert.equal(computeDeleteThreshold(101), 21);
  assert.equal(guardPlan(planWithDeletions(20), { linkCount: 101, sourceCount: 81, allowMassDelete: false }).held, null);
  assert.notEqual(guardPlan(planWithDeletions(21), { linkCount: 101, sourceCount: 80, allowMassDelete: false }).held, null);
});

test('custom thresholds are honoured', () => {
  assert.equal(computeDeleteThreshold(1000, 5, 1), 10);
  assert.equal(guardPlan(planWithDeletions(4), { linkCount: 50, sourceCount: 46, allowMassDelete: false, minDeletions: 5, maxDeletePercent: 1 }).held, null);
  assert.equal(guardPlan(planWithDeletions(5), { linkCount: 50, sourceCount: 45, allowMassDelete: false, minDeletions: 5, maxDeletePercent: 1 }).held?.guard, 'mass-delete');
});

test('an empty source while links exist is held even before anything is planned for deletion', () => {
  const held = guardPlan(planWithDeletions(0), { linkCount: 3, sourceCount: 0, allowMassDelete: false }).held;
  assert.equal(held?.guard, 'empty-source');
  assert.equal(held?.links, 3);
  const withDeletes = guardPlan(planWithDeletions(3), { linkCount: 3, sourceCount: 0, allowMassDelete: false }).held;
  assert.equal(withDeletes?.guard, 'empty-source');
  assert.equal(withDeletes?.deletions, 3);
  // Nothing linked yet: an empty source is just an empty start.
  assert.equal(guardPlan(planWithDeletions(0), { linkCount: 0, sourceCount: 0, allowMassDelete: false }).held, null);
});

test('approval lifts both guards and the actions are kept as planned', () => {
  const plan = planWithDeletions(50, 2);
  const mass = guardPlan(plan, { linkCount: 60, sourceCount: 10, allowMassDelete: true });
  assert.equal(mass.held, null);
  assert.deepEqual(mass.actions, plan.actions);
  assert.equal(guardPlan(planWithDeletions(5), { linkCount: 5, sourceCount: 0, allowMassDelete: true }).held, null);
  const held = guardPlan(plan, { linkCount: 60, sourceCount: 10, allowMassDelete: false });
  assert.deepEqual(held.actions, plan.actions);
});

test('messages are Polish, name the numbers and how to approve', () => {
  const mass = guardPlan(planWithDeletions(25), { linkCount: 100, sourceCount: 75, allowMassDelete: false }).held!;
  assert.match(mass.message, /25 z 100/);
  assert.match(mass.message, /próg wstrzymania: 20/);
  assert.match(mass.message, /optima-sync sync --once --allow-mass-delete` albo zatwierdź w panelu/);
  const empty = guardPlan(planWithDeletions(7), { linkCount: 7, sourceCount: 0, allowMassDelete: false }).held!;
  assert.match(empty.message, /nie zwróciło żadnego rekordu.* 7 wydarzeń/);
  assert.match(empty.message, /--allow-mass-delete` albo zatwierdź w panelu/);
});
