import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openStateStore } from '../../server/state/sqlite-store.ts';
import { makeTempDir } from './state-fixtures.ts';

test('a second holder is told who holds the lock and since when; release frees it', (t) => {
  const tmp = makeTempDir();
  let clock = new Date('2026-03-29T10:00:00.000Z');
  const now = () => clock;
  // Two stores on one file: the server and a CLI command, as in production.
  const server = openStateStore(tmp.dbPath, { now });
  const cli = openStateStore(tmp.dbPath, { now });
  t.after(() => { server.close(); cli.close(); tmp.cleanup(); });

  assert.equal(server.acquireLock('sync', 'server:pid-1', 60_000), null);
  clock = new Date('2026-03-29T10:00:10.000Z');
  assert.deepEqual(cli.acquireLock('sync', 'cli:pid-2', 60_000), { holder: 'server:pid-1', since: '2026-03-29T10:00:00.000Z' });
  assert.equal(cli.acquireLock('other-lock', 'cli:pid-2', 60_000), null, 'locks are per name');

  cli.releaseLock('sync', 'cli:pid-2'); // not the holder: no effect
  assert.equal(cli.acquireLock('sync', 'cli:pid-2', 60_000)?.holder, 'server:pid-1');
  server.releaseLock('sync', 'server:pid-1');
  assert.equal(cli.acquireLock('sync', 'cli:pid-2', 60_000), null);
  assert.equal(server.acquireLock('sync', 'server:pid-1', 60_000)?.holder, 'cli:pid-2');
});

test('a stale lock (holder crashed) is taken over; a holder asking again keeps it fresh', (t) => {
  const tmp = makeTempDir();
  let clock = new Date('2026-03-29T10:00:00.000Z');
  const store = openStateStore(tmp.dbPath, { now: () => clock });
  t.after(() => { store.close(); tmp.cleanup(); });

  assert.equal(store.acquireLock('sync', 'crashed', 60_000), null);
  clock = new Date('2026-03-29T10:00:50.000Z');
  assert.equal(store.acquireLock('sync', 'crashed', 60_000), null, 're-acquiring by the holder renews it');
  clock = new Date('2026-03-29T10:01:30.000Z'); // 40 s after the renewal: still fresh
  assert.equal(store.acquireLock('sync', 'newcomer', 60_000)?.holder, 'crashed');
  clock = new Date('2026-03-29T10:02:00.000Z'); // 70 s after the renewal: stale
  assert.equal(store.acquireLock('sync', 'newcomer', 60_000), null);
  assert.deepEqual(store.acquireLock('sync', 'crashed', 60_000), { holder: 'newcomer', since: '2026-03-29T10:02:00.000Z' });
});
