import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOptimaDemoDatabase } from '../../server/demo/optima-db.ts';
import { createSqliteSourceReader } from '../../server/source/sqlite-source-reader.ts';
import { readOptimaOrders } from '../support/sync-fixture.ts';
import type { RecordKind } from '../../server/domain/types.ts';

/** `readRow` (serwis-zlecenia-by-id.sql): the add-in's record view and "resync now" read one order. */
let dir: string;
let demo: ReturnType<typeof createOptimaDemoDatabase>;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'optima-read-row-'));
  demo = createOptimaDemoDatabase({ dir, orders: 60, seed: 11, now: new Date('2026-05-15T10:00:00Z') });
});
after(() => rmSync(dir, { recursive: true, force: true }));

it('reads exactly the row readChangedRows gives for the same id, in one query; a missing id is null', async () => {
  const reader = createSqliteSourceReader({ companyDbPath: demo.companyDbPath, configDbPath: demo.configDbPath });
  try {
    const all = await reader.readChangedRows('serwis:zlecenie', null);
    const sample = [all[0], all[Math.floor(all.length / 2)], all[all.length - 1]];
    for (const expected of sample) {
      const queries = reader.stats.queries;
      assert.deepEqual(await reader.readRow('serwis:zlecenie', expected.id), expected);
      assert.equal(reader.stats.queries - queries, 1);
    }
    assert.equal(await reader.readRow('serwis:zlecenie', 987_654), null);
    await assert.rejects(reader.readRow('serwis:zlecenie', -1), /dodatnią liczbą całkowitą/);
    await assert.rejects(reader.readRow('crm:kontakt' as RecordKind, 1), /nie jest jeszcze obsługiwany/);
  } finally {
    await reader.close();
  }
});

it('keeps the sync scope: drafts are null when includeDrafts is off, cancelled orders always', async () => {
  const orders = readOptimaOrders(demo.companyDbPath);
  const draft = orders.find((o) => o.bufor > 0);
  const cancelled = orders.find((o) => o.bufor < 0);
  assert.ok(draft, 'the demo has drafts');
  const withDrafts = createSqliteSourceReader({ companyDbPath: demo.companyDbPath, configDbPath: demo.configDbPath });
  const confirmedOnly = createSqliteSourceReader({ companyDbPath: demo.companyDbPath, configDbPath: demo.configDbPath, scope: { includeDrafts: false } });
  try {
    assert.equal((await withDrafts.readRow('serwis:zlecenie', draft.id))?.id, draft.id);
    assert.equal(await confirmedOnly.readRow('serwis:zlecenie', draft.id), null);
    if (cancelled) assert.equal(await withDrafts.readRow('serwis:zlecenie', cancelled.id), null);
  } finally {
    await withDrafts.close();
    await confirmedOnly.close();
  }
});
