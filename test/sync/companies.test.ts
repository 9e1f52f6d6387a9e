import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Link } from '../../server/domain/types.ts';
import { createOptimaDemoDatabase } from '../../server/demo/optima-db.ts';
import { rebuildState } from '../../server/sync/rebuild-state.ts';
import { FIXTURE_NOW, collectEvents, createSyncFixture, demoMailboxes } from '../support/sync-fixture.ts';

/**
 * Two Optima companies through the whole cycle on the in-memory calendar: keys carry the second
 * company's code, each company keeps its own watermark stream, and a lost state.db is rebuilt for
 * both from the calendars' stamps.
 */

function linkSummary(links: ReadonlyMap<string, Link>) {
  return [...links.values()].map((l) => ({ sourceKey: l.sourceKey, mailbox: l.mailbox, remoteId: l.remoteId, renderHash: l.renderHash }))
    .sort((a, b) => a.sourceKey.localeCompare(b.sourceKey));
}

test('a second company: its own keys and watermarks; a lost state.db is rebuilt for both and the next run writes nothing', async () => {
  let secondPath = '';
  const f = createSyncFixture({
    orders: 25,
    configure: (raw) => {
      const second = createOptimaDemoDatabase({ dir: join(String((raw.server as { dataDir: string }).dataDir), '..', 'polnoc'), orders: 20, seed: 2, now: FIXTURE_NOW });
      secondPath = second.companyDbPath;
      raw.source = { ...raw.source, companies: [{ code: 'polnoc', name: 'Serwis Północ', database: second.companyDbPath }] };
    },
  });
  try {
    const first = await f.runtime.runOnce();
    assert.equal(first.report.error, null);
    const events = collectEvents(f.target, demoMailboxes());
    const main = [...events.keys()].filter((k) => k.startsWith('serwis:zlecenie:'));
    const second = [...events.keys()].filter((k) => k.startsWith('polnoc/serwis:zlecenie:'));
    assert.ok(main.length > 5 && second.length > 5, `events of both companies (${main.length}, ${second.length})`);
    assert.equal(first.report.created, events.size);
    assert.notEqual(f.runtime.store.getWatermark('polnoc/serwis:zlecenie'), null, "the second company's watermark is its own");
    assert.notEqual(f.runtime.store.getWatermark('serwis:zlecenie'), null);
    assert.ok(secondPath !== '');

    const before = linkSummary(f.runtime.store.loadLinks());
    await f.runtime.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(join(f.dataDir, `state.db${suffix}`), { force: true });
    const runtime = f.buildAnotherRuntime();
    const finder = async (mailbox: string, name: string) => f.target.calendars(mailbox).find((c) => c.name.toLowerCase() === name.toLowerCase())?.id ?? null;
    const report = await rebuildState(runtime.deps, runtime.settings, { dryRun: false, findCalendar: finder });
    assert.equal(report.error, null);
    assert.deepEqual(linkSummary(runtime.store.loadLinks()), before, 'every link of both companies is back');
    const next = await runtime.runOnce();
    assert.equal(next.report.error, null);
    assert.deepEqual([next.report.created, next.report.updated, next.report.moved, next.report.deleted], [0, 0, 0, 0]);
  } finally {
    await f.close();
  }
});
