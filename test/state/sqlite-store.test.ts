import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openStateStore } from '../../server/state/sqlite-store.ts';
import { makeLink, makeReport, makeTempDir } from './state-fixtures.ts';

function openTemp(t: { after(fn: () => void): void }, now?: () => Date) {
  const tmp = makeTempDir();
  const store = openStateStore(tmp.dbPath, { now });
  t.after(() => { store.close(); tmp.cleanup(); });
  return { store, dbPath: tmp.dbPath };
}

test('links: save, read by key and by remote id, update in place, delete', (t) => {
  const { store } = openTemp(t);
  assert.equal(store.getLink('serwis:zlecenie:1'), null);
  store.saveLink(makeLink(1));
  store.saveLink(makeLink(2, { changeKey: null }));
  assert.deepEqual(store.getLink('serwis:zlecenie:1'), makeLink(1));
  assert.deepEqual(store.findLinkByRemoteId(makeLink(2).remoteId), makeLink(2, { changeKey: null }));
  assert.equal(store.findLinkByRemoteId('no-such-event'), null);

  const moved = makeLink(1, { mailbox: 'anna@firma.pl', remoteId: 'AAMk-moved=', changeKey: 'ck-9', renderHash: 'hash-new' });
  store.saveLink(moved);
  assert.equal(store.countLinks(), 2);
  assert.deepEqual(store.getLink('serwis:zlecenie:1'), moved);
  assert.equal(store.findLinkByRemoteId(makeLink(1).remoteId), null, 'the old remote id no longer points anywhere');

  store.deleteLink('serwis:zlecenie:1');
  assert.equal(store.getLink('serwis:zlecenie:1'), null);
  assert.equal(store.countLinks(), 1);
});

test('loadLinks returns every link keyed by source key', (t) => {
  const { store } = openTemp(t);
  const links = Array.from({ length: 25 }, (_, i) => makeLink(i + 1));
  for (const l of links) store.saveLink(l);
  const map = store.loadLinks();
  assert.equal(map.size, 25);
  for (const l of links) assert.deepEqual(map.get(l.sourceKey), l);
});

test('one remote event cannot be linked to two records; the error names the record holding it', (t) => {
  const { store } = openTemp(t);
  store.saveLink(makeLink(1));
  assert.throws(() => store.saveLink(makeLink(2, { remoteId: makeLink(1).remoteId })), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'link-remote-id-taken');
    assert.match(err.message, /serwis:zlecenie:1/);
    return true;
  });
  assert.equal(store.getLink('serwis:zlecenie:2'), null);
});

test('watermarks keep the exact text, milliseconds included, across a re-open', (t) => {
  const tmp = makeTempDir();
  t.after(tmp.cleanup);
  const store = openStateStore(tmp.dbPath);
  assert.equal(store.getWatermark('serwis:zlecenie'), null);
  store.setWatermark('serwis:zlecenie', '2026-03-29 01:59:59.997');
  store.setLastFullPass('serwis:zlecenie', '2026-03-29T00:00:00.001Z');
  store.setWatermark('crm:zadanie', '2026-03-29 02:00:00.000');
  store.close();
  const again = openStateStore(tmp.dbPath);
  assert.equal(again.getWatermark('serwis:zlecenie'), '2026-03-29 01:59:59.997');
  assert.equal(again.getLastFullPass('serwis:zlecenie'), '2026-03-29T00:00:00.001Z');
  assert.equal(again.getWatermark('crm:zadanie'), '2026-03-29 02:00:00.000');
  assert.equal(again.getLastFullPass('crm:zadanie'), null);
  again.setWatermark('serwis:zlecenie', '2026-03-29 03:00:00.003');
  assert.equal(again.getLastFullPass('serwis:zlecenie'), '2026-03-29T00:00:00.001Z', 'moving the watermark keeps the full-pass time');
  again.close();
});

test('runs round-trip as the same report and list newest first', (t) => {
  const { store } = openTemp(t);
  const older = makeReport('run-a', '2026-03-29T10:00:00.000Z');
  const newer = makeReport('run-b', '2026-03-29T10:00:30.000Z', {
    mode: 'full', failed: 0, failures: [],
    held: { guard: 'mass-delete', message: 'Wstrzymano 40 usunięć.', deletions: 40, links: 100, threshold: 20 },
  });
  store.saveRun(newer);
  store.saveRun(older);
  assert.deepEqual(store.getRun('run-a'), older);
  assert.deepEqual(store.getRun('run-b'), newer);
  assert.equal(store.getRun('run-zzz'), null);
  assert.deepEqual(store.listRuns(10).map((r) => r.runId), ['run-b', 'run-a']);
  assert.deepEqual(store.listRuns(1).map((r) => r.runId), ['run-b']);
  const finished = { ...older, finishedAt: '2026-03-29T10:00:05.000Z', error: 'Optima nie odpowiada.' };
  store.saveRun(finished); // saving the same run again replaces it
  assert.deepEqual(store.getRun('run-a'), finished);
  assert.equal(store.listRuns(10).length, 2);
});

test('an approval is used once', (t) => {
  const { store } = openTemp(t);
  assert.equal(store.consumeApproval('serwis:zlecenie'), false);
  store.setApproval('serwis:zlecenie', true);
  assert.equal(store.consumeApproval('crm:zadanie'), false);
  assert.equal(store.consumeApproval('serwis:zlecenie'), true);
  assert.equal(store.consumeApproval('serwis:zlecenie'), false);
  store.setApproval('serwis:zlecenie', true);
  store.setApproval('serwis:zlecenie', false); // withdrawn before the run used it
  assert.equal(store.consumeApproval('serwis:zlecenie'), false);
});

test('pending creates are kept until commitCreated saves the link and clears them together', (t) => {
  const { store } = openTemp(t);
  const entry = { sourceKey: 'serwis:zlecenie:3', mailbox: 'jan@firma.pl', transactionId: 'tx-3', since: '2026-03-29T10:00:00.000Z' };
  store.markPending(entry);
  store.markPending({ ...entry, sourceKey: 'serwis:zlecenie:4', transactionId: 'tx-4' });
  assert.deepEqual(store.loadPending().get('serwis:zlecenie:3'), entry);
  store.commitCreated(makeLink(3));
  assert.deepEqual(store.getLink('serwis:zlecenie:3'), makeLink(3));
  assert.deepEqual([...store.loadPending().keys()], ['serwis:zlecenie:4']);
  store.clearPending('serwis:zlecenie:4');
  assert.equal(store.loadPending().size, 0);
});

test('a failed commitCreated keeps the pending entry (nothing half-written)', (t) => {
  const { store } = openTemp(t);
  store.saveLink(makeLink(1));
  store.markPending({ sourceKey: 'serwis:zlecenie:2', mailbox: 'a@firma.pl', transactionId: 'tx', since: '2026-03-29T10:00:00.000Z' });
  assert.throws(() => store.commitCreated(makeLink(2, { remoteId: makeLink(1).remoteId })));
  assert.equal(store.loadPending().size, 1);
  assert.equal(store.getLink('serwis:zlecenie:2'), null);
});

test('retention prunes old run reports with the logs, but never the newest run', () => {
  const store = openStateStore(':memory:');
  store.saveRun(makeReport('old', '2026-01-01T00:00:00.000Z'));
  store.saveRun(makeReport('newer', '2026-02-01T00:00:00.000Z'));
  store.pruneLogs('2026-03-01T00:00:00.000Z');
  assert.deepEqual(store.listRuns(10).map((r) => r.runId), ['newer'], 'the newest run stays even when older than the cutoff');
  store.saveRun(makeReport('latest', '2026-04-01T00:00:00.000Z'));
  store.pruneLogs('2026-03-01T00:00:00.000Z');
  assert.deepEqual(store.listRuns(10).map((r) => r.runId), ['latest']);
  store.close();
});

test('links by kind: each kind its own map, kept in step with writes here and in another process', () => {
  const tmp = makeTempDir();
  const store = openStateStore(tmp.dbPath);
  const other = openStateStore(tmp.dbPath);
  try {
    store.saveLink(makeLink(1));
    store.saveLink(makeLink(12));
    store.saveLink(makeLink(7, { sourceKey: 'serwis:czynnosc:7', remoteId: 'r-czynnosc-7' }));
    const keys = (kind: string) => [...store.loadLinks(kind).keys()].sort();
    assert.deepEqual(keys('serwis:zlecenie'), ['serwis:zlecenie:1', 'serwis:zlecenie:12'], 'orders never see activities (nor delete their events)');
    assert.deepEqual(keys('serwis:czynnosc'), ['serwis:czynnosc:7']);
    assert.deepEqual(keys('crm:zadanie'), []);
    store.deleteLink('serwis:zlecenie:12');
    assert.deepEqual(keys('serwis:zlecenie'), ['serwis:zlecenie:1']);
    other.saveLink(makeLink(7, { sourceKey: 'crm:zadanie:7', remoteId: 'r-crm-7' }));
    assert.deepEqual(keys('crm:zadanie'), ['crm:zadanie:7'], 'a write by another process (a CLI run) shows up');
    assert.equal(store.loadLinks().size, 3);
  } finally {
    other.close();
    store.close();
    tmp.cleanup();
  }
});
