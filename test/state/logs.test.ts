import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import type { LogEvent } from '../../server/domain/logger.ts';
import { openStateStore } from '../../server/state/sqlite-store.ts';
import { createDbLogger } from '../../server/state/db-logger.ts';
import { makeTempDir } from './state-fixtures.ts';

const JWT = 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJqYW5AZmlybWEucGwiLCJhdWQiOiJhcGkifQ.c2lnbmF0dXJlLWJ5dGVzLWhlcmU';

function openTemp(t: { after(fn: () => void): void }) {
  const tmp = makeTempDir();
  const store = openStateStore(tmp.dbPath);
  t.after(() => { store.close(); tmp.cleanup(); });
  return { store, dbPath: tmp.dbPath };
}

test('logs filter by run id, by source key and by lowest level, oldest first', (t) => {
  const { store } = openTemp(t);
  store.appendLog({ level: 'info', message: 'start', runId: 'r1' }, '2026-03-29T10:00:00.000Z');
  store.appendLog({ level: 'info', message: 'create', runId: 'r1', sourceKey: 'serwis:zlecenie:1', mailbox: 'jan@firma.pl', action: 'create', durationMs: 84, requestId: 'req-1' }, '2026-03-29T10:00:01.000Z');
  store.appendLog({ level: 'error', message: 'update failed', runId: 'r1', sourceKey: 'serwis:zlecenie:2', data: { status: 503 } }, '2026-03-29T10:00:02.000Z');
  store.appendLog({ level: 'debug', message: 'noise', runId: 'r2', sourceKey: 'serwis:zlecenie:1' }, '2026-03-29T10:00:03.000Z');
  store.appendLog({ level: 'warn', message: 'held', runId: 'r2' }, '2026-03-29T10:00:04.000Z');

  assert.deepEqual(store.queryLogs({ runId: 'r1' }).map((l) => l.message), ['start', 'create', 'update failed']);
  assert.deepEqual(store.queryLogs({ sourceKey: 'serwis:zlecenie:1' }).map((l) => l.message), ['create', 'noise']);
  assert.deepEqual(store.queryLogs({ runId: 'r2', sourceKey: 'serwis:zlecenie:1' }).map((l) => l.message), ['noise']);
  assert.deepEqual(store.queryLogs({ level: 'warn' }).map((l) => l.message), ['update failed', 'held']);
  assert.deepEqual(store.queryLogs({ limit: 2 }).map((l) => l.message), ['noise', 'held'], 'limit keeps the newest');

  const [created] = store.queryLogs({ sourceKey: 'serwis:zlecenie:1', runId: 'r1' });
  assert.deepEqual({ ...created, id: 0 }, {
    id: 0, at: '2026-03-29T10:00:01.000Z', level: 'info', message: 'create', runId: 'r1', sourceKey: 'serwis:zlecenie:1',
    mailbox: 'jan@firma.pl', action: 'create', durationMs: 84, requestId: 'req-1',
  });
  assert.deepEqual(store.queryLogs({ runId: 'r1', level: 'error' })[0].data, { status: 503 });
});

test('pruneLogs removes events older than the cut-off and says how many', (t) => {
  const { store } = openTemp(t);
  const days = ['2026-02-01', '2026-02-27', '2026-02-28', '2026-03-15', '2026-03-29'];
  for (const d of days) store.appendLog({ level: 'info', message: `day ${d}` }, `${d}T12:00:00.000Z`);
  assert.equal(store.pruneLogs('2026-02-28T00:00:00.000Z'), 2);
  assert.deepEqual(store.queryLogs({}).map((l) => l.message), ['day 2026-02-28', 'day 2026-03-15', 'day 2026-03-29']);
  assert.equal(store.pruneLogs('2026-02-28T00:00:00.000Z'), 0);
});

test('appendLog stores no secrets: secret-named keys and JWTs are redacted in message and data', (t) => {
  const { store, dbPath } = openTemp(t);
  store.appendLog({
    level: 'error',
    message: `Graph 401 for Authorization: Bearer ${JWT} (client_secret=Abc~123.secret)`,
    runId: 'r1',
    data: {
      accessToken: JWT, client_secret: 'Abc~123.secret', password: 'Haslo!2026', Authorization: `Bearer ${JWT}`,
      nested: { assertion: 'signed-assertion', list: [`token was ${JWT}`], status: 401 },
      url: 'https://graph.microsoft.com/v1.0/users/jan@firma.pl/events',
    },
  });
  const [log] = store.queryLogs({ runId: 'r1' });
  assert.equal(log.data?.url, 'https://graph.microsoft.com/v1.0/users/jan@firma.pl/events', 'ordinary values are kept');
  assert.deepEqual(log.data?.nested, { assertion: '[redacted]', list: ['token was [redacted]'], status: 401 });
  assert.match(log.message, /^Graph 401 for Authorization: Bearer \[redacted\]/);
  // Whatever the shape, the raw file holds none of the secrets.
  const raw = new Database(dbPath, { readonly: true });
  t.after(() => raw.close());
  const text = JSON.stringify(raw.prepare('SELECT * FROM logs').all());
  for (const secret of [JWT, 'Abc~123.secret', 'Haslo!2026', 'signed-assertion', 'eyJ']) {
    assert.ok(!text.includes(secret), `found ${secret.slice(0, 12)}… in the logs table`);
  }
});

test('the db logger writes events from its level up, forwards every event redacted, and survives a closed store', (t) => {
  const tmp = makeTempDir();
  const store = openStateStore(tmp.dbPath);
  t.after(tmp.cleanup);
  const forwarded: LogEvent[] = [];
  const logger = createDbLogger(store, { level: 'info', forward: { log: (e) => forwarded.push(e) } });
  logger.log({ level: 'debug', message: 'details' });
  logger.log({ level: 'info', message: `token ${JWT}`, runId: 'r9' });
  assert.deepEqual(store.queryLogs({}).map((l) => l.message), ['token [redacted]']);
  assert.deepEqual(forwarded.map((e) => e.message), ['details', 'token [redacted]']);

  store.close();
  assert.doesNotThrow(() => logger.log({ level: 'error', message: 'after close' }));
  assert.equal(forwarded.at(-1)?.message, 'after close');
  assert.equal(forwarded.at(-2)?.level, 'warn');
  assert.match(forwarded.at(-2)?.message ?? '', /dzienniku bazy stanu/);
});
