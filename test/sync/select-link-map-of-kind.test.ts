import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectLinkMapOfKind } from '../../server/sync/run-sync.ts';
import type { Link } from '../../server/domain/types.ts';

function link(sourceKey: string): Link {
  return { sourceKey, mailbox: 'jan@firma.pl', calendarId: 'c', remoteId: `r-${sourceKey}`, changeKey: null, renderHash: 'h', sourceModifiedAt: '2026-05-15 10:00:00.000', updatedAt: '2026-05-15T08:00:00Z' };
}

test('a kind\'s plan sees only its own links, so orders never delete activities\' events and back', () => {
  const links = new Map(['serwis:zlecenie:1', 'serwis:zlecenie:12', 'serwis:czynnosc:1', 'serwis:czynnosc:7'].map((k) => [k, link(k)]));
  assert.deepEqual([...selectLinkMapOfKind(links, 'serwis:zlecenie').keys()], ['serwis:zlecenie:1', 'serwis:zlecenie:12']);
  assert.deepEqual([...selectLinkMapOfKind(links, 'serwis:czynnosc').keys()], ['serwis:czynnosc:1', 'serwis:czynnosc:7']);
  const ordersOnly = new Map([...links].filter(([k]) => k.startsWith('serwis:zlecenie:')));
  assert.equal(selectLinkMapOfKind(ordersOnly, 'serwis:zlecenie'), ordersOnly, 'one kind only: the same map, no copy per poll');
  // The store edits its map in place: a foreign key added later is seen, and an edited link is the current one.
  const growing = new Map(ordersOnly);
  assert.equal(selectLinkMapOfKind(growing, 'serwis:zlecenie'), growing);
  assert.equal(selectLinkMapOfKind(growing, 'serwis:zlecenie', true), growing, 'orders the only kind synced: remembered');
  growing.set('serwis:czynnosc:9', link('serwis:czynnosc:9'));
  assert.deepEqual([...selectLinkMapOfKind(growing, 'serwis:zlecenie').keys()], ['serwis:zlecenie:1', 'serwis:zlecenie:12']);
  const mixed = selectLinkMapOfKind(growing, 'serwis:czynnosc');
  growing.set('serwis:czynnosc:9', { ...link('serwis:czynnosc:9'), changeKey: 'v2' });
  assert.equal(selectLinkMapOfKind(growing, 'serwis:czynnosc').get('serwis:czynnosc:9')?.changeKey, 'v2');
  assert.equal(mixed.get('serwis:czynnosc:9')?.changeKey, null, 'an earlier copy is not reused');
});
