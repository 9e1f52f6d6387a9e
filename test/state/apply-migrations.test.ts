import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStateStore } from '../../server/state/sqlite-store.ts';
import { MIGRATIONS_DIR, readMigrations } from '../../server/state/apply-migrations.ts';
import { makeLink, makeTempDir } from './state-fixtures.ts';

const SHIPPED = readMigrations().length;

function inspect(dbPath: string): { version: number; tables: string[]; journal: string } {
  const raw = new Database(dbPath, { readonly: true });
  try {
    const version = Number(raw.pragma('user_version', { simple: true }));
    const tables = raw.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all().map((r) => r.name);
    const journal = String(raw.pragma('journal_mode', { simple: true }));
    return { version, tables, journal };
  } finally {
    raw.close();
  }
}

/** A migrations folder holding the shipped files plus `extra` (file name → SQL). */
function migrationsWith(dir: string, extra: Readonly<Record<string, string>>): string {
  const target = join(dir, 'migrations');
  mkdirSync(target);
  for (const f of readdirSync(MIGRATIONS_DIR)) copyFileSync(join(MIGRATIONS_DIR, f), join(target, f));
  for (const [name, sql] of Object.entries(extra)) writeFileSync(join(target, name), sql);
  return target;
}

const next = (n: number) => String(SHIPPED + n).padStart(3, '0');

test('a new database gets every table, WAL mode and the newest version', (t) => {
  const tmp = makeTempDir();
  t.after(tmp.cleanup);
  openStateStore(join(tmp.dir, 'nested', 'state.db')).close(); // the folder is created too
  const info = inspect(join(tmp.dir, 'nested', 'state.db'));
  assert.equal(info.version, SHIPPED);
  assert.equal(info.journal, 'wal');
  for (const table of ['links', 'runs', 'watermarks', 'approvals', 'logs', 'locks', 'pending_creates']) {
    assert.ok(info.tables.includes(table), `table ${table} missing: ${info.tables.join(', ')}`);
  }
});

test('re-opening keeps the data and does not run migrations again', (t) => {
  const tmp = makeTempDir();
  t.after(tmp.cleanup);
  const first = openStateStore(tmp.dbPath);
  first.saveLink(makeLink(1));
  first.close();
  const second = openStateStore(tmp.dbPath);
  assert.deepEqual(second.getLink('serwis:zlecenie:1'), makeLink(1));
  second.close();
  assert.equal(inspect(tmp.dbPath).version, SHIPPED);
});

test('a later migration is applied on the next open, after the earlier ones, keeping data', (t) => {
  const tmp = makeTempDir();
  t.after(tmp.cleanup);
  const store = openStateStore(tmp.dbPath);
  store.saveLink(makeLink(5));
  store.close();
  const dir = migrationsWith(tmp.dir, {
    [`${next(1)}-add-notes.sql`]: 'CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL) STRICT;',
    [`${next(2)}-fill-notes.sql`]: "INSERT INTO notes (text) SELECT source_key FROM links;",
  });
  const upgraded = openStateStore(tmp.dbPath, { migrationsDir: dir });
  assert.equal(upgraded.countLinks(), 1);
  upgraded.close();
  assert.equal(inspect(tmp.dbPath).version, SHIPPED + 2);
  const raw = new Database(tmp.dbPath, { readonly: true });
  t.after(() => raw.close());
  // The second migration saw the table made by the first: they ran in order.
  assert.deepEqual(raw.prepare('SELECT text FROM notes').all(), [{ text: 'serwis:zlecenie:5' }]);
});

test('a failing migration leaves the database at the previous version, without half of it', (t) => {
  const tmp = makeTempDir();
  t.after(tmp.cleanup);
  openStateStore(tmp.dbPath).close();
  const dir = migrationsWith(tmp.dir, {
    [`${next(1)}-broken.sql`]: 'CREATE TABLE half_done (a TEXT) STRICT;\nINSERT INTO no_such_table VALUES (1);',
  });
  assert.throws(() => openStateStore(tmp.dbPath, { migrationsDir: dir }), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'state-migration-failed');
    assert.match(err.message, new RegExp(`${next(1)}-broken\\.sql`));
    return true;
  });
  const info = inspect(tmp.dbPath);
  assert.equal(info.version, SHIPPED);
  assert.ok(!info.tables.includes('half_done'));
});

test('a database from a newer program is refused with both versions named', (t) => {
  const tmp = makeTempDir();
  t.after(tmp.cleanup);
  openStateStore(tmp.dbPath).close();
  const raw = new Database(tmp.dbPath);
  raw.pragma(`user_version = ${SHIPPED + 3}`);
  raw.close();
  assert.throws(() => openStateStore(tmp.dbPath), (err: Error & { code?: string; dbVersion?: number; codeVersion?: number }) => {
    assert.equal(err.code, 'state-db-too-new');
    assert.equal(err.dbVersion, SHIPPED + 3);
    assert.equal(err.codeVersion, SHIPPED);
    assert.match(err.message, /zaktualizuj/);
    return true;
  });
});

test('a misnamed or missing-number migration file is reported', (t) => {
  const tmp = makeTempDir();
  t.after(tmp.cleanup);
  const gap = migrationsWith(tmp.dir, { [`${next(2)}-skipped-one.sql`]: 'SELECT 1;' });
  assert.throws(() => readMigrations(gap), /kolejno od 001/);
  writeFileSync(join(gap, 'Templates.sql'), 'SELECT 1;');
  assert.throws(() => readMigrations(gap), /Templates\.sql ma złą nazwę/);
});
