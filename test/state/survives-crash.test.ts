import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { openStateStore } from '../../server/state/sqlite-store.ts';
import { makeLink, makeTempDir } from './state-fixtures.ts';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

test('every link committed before a SIGKILL is there after re-opening; the open write is not', (t) => {
  const tmp = makeTempDir();
  t.after(tmp.cleanup);
  const count = 150;
  const child = spawnSync(process.execPath, [fixture('write-links-then-die.ts'), tmp.dbPath, String(count)], { encoding: 'utf8' });
  assert.equal(child.signal, 'SIGKILL', `child did not die by SIGKILL: ${child.stderr}`);
  const committed = child.stdout.trim().split('\n');
  assert.equal(committed.length, count);

  const store = openStateStore(tmp.dbPath);
  t.after(() => store.close());
  const links = store.loadLinks();
  for (const key of committed) {
    const n = Number(key.split(':').at(-1));
    assert.deepEqual(links.get(key), makeLink(n));
  }
  assert.equal(links.has('serwis:zlecenie:uncommitted'), false);
  assert.equal(links.size, count);
  assert.equal(store.getWatermark('serwis:zlecenie'), makeLink(count).sourceModifiedAt);
  store.saveLink(makeLink(count + 1)); // and it still takes writes

  const raw = new Database(tmp.dbPath, { readonly: true });
  t.after(() => raw.close());
  assert.equal(raw.pragma('integrity_check', { simple: true }), 'ok');
});

test('processes racing for the sync lock: exactly one gets it, the others are told who', async (t) => {
  const tmp = makeTempDir();
  t.after(tmp.cleanup);
  openStateStore(tmp.dbPath).close(); // migrate once, so the children only race for the lock
  const startAt = Date.now() + 700;
  const answers = await Promise.all(Array.from({ length: 5 }, (_, i) => new Promise<{ holder: string; held: { holder: string } | null }>((resolve, reject) => {
    const child = spawn(process.execPath, [fixture('race-for-lock.ts'), tmp.dbPath, `proc-${i}`, String(startAt)]);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`child ${i} failed: ${err}`))));
  })));
  const winners = answers.filter((a) => a.held === null);
  assert.equal(winners.length, 1, JSON.stringify(answers));
  for (const loser of answers.filter((a) => a.held !== null)) assert.equal(loser.held?.holder, winners[0].holder);
});
