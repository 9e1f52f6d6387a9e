import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openTemplateStore } from '../../server/state/template-store.ts';
import { openStateStore } from '../../server/state/sqlite-store.ts';
import { makeLink, makeTempDir } from './state-fixtures.ts';

const KIND = 'serwis:zlecenie';
const texts = (n: number) => ({ subject: `Temat ${n} {{numer}}`, body: `<p>Treść ${n}</p>`, location: `Miejsce ${n}` });

test('nothing saved: no latest version and an empty history', () => {
  const store = openTemplateStore(':memory:');
  try {
    assert.equal(store.getLatest(KIND), null);
    assert.deepEqual(store.listVersions(), []);
    assert.equal(store.getVersion(KIND, 1), null);
  } finally {
    store.close();
  }
});

test('saves number versions per kind; the newest is the latest; history is newest first', () => {
  const store = openTemplateStore(':memory:');
  try {
    const v1 = store.saveVersion({ kind: KIND, texts: texts(1), savedBy: 'anna@firma.pl', savedAt: '2026-05-15T10:00:00.000Z' });
    const v2 = store.saveVersion({ kind: KIND, texts: texts(2), savedBy: 'jan@firma.pl', savedAt: '2026-05-15T10:05:00.000Z' });
    const other = store.saveVersion({ kind: 'crm:zadanie', texts: texts(9), savedBy: 'anna@firma.pl', savedAt: '2026-05-15T10:06:00.000Z' });
    assert.equal(v1.version, 1);
    assert.equal(v2.version, 2);
    assert.equal(other.version, 1, 'numbering is per kind');
    assert.deepEqual(store.getLatest(KIND), { version: 2, kind: KIND, savedAt: '2026-05-15T10:05:00.000Z', savedBy: 'jan@firma.pl', texts: texts(2) });
    assert.deepEqual(store.getVersion(KIND, 1)?.texts, texts(1));
    assert.deepEqual(store.listVersions(KIND).map((v) => v.version), [2, 1]);
    assert.deepEqual(store.listVersions().map((v) => `${v.kind}#${v.version}`), ['crm:zadanie#1', `${KIND}#2`, `${KIND}#1`]);
  } finally {
    store.close();
  }
});

test('a revert stored as a new version keeps the whole history', () => {
  const store = openTemplateStore(':memory:');
  try {
    store.saveVersion({ kind: KIND, texts: texts(1), savedBy: 'anna@firma.pl', savedAt: '2026-05-15T10:00:00.000Z' });
    store.saveVersion({ kind: KIND, texts: texts(2), savedBy: 'anna@firma.pl', savedAt: '2026-05-15T10:01:00.000Z' });
    const old = store.getVersion(KIND, 1);
    assert.ok(old);
    const back = store.saveVersion({ kind: KIND, texts: old.texts, savedBy: 'jan@firma.pl', savedAt: '2026-05-15T10:02:00.000Z' });
    assert.equal(back.version, 3);
    assert.deepEqual(store.getLatest(KIND)?.texts, texts(1));
    assert.deepEqual(store.listVersions(KIND).map((v) => [v.version, v.texts.subject, v.savedBy]), [
      [3, 'Temat 1 {{numer}}', 'jan@firma.pl'], [2, 'Temat 2 {{numer}}', 'anna@firma.pl'], [1, 'Temat 1 {{numer}}', 'anna@firma.pl'],
    ]);
  } finally {
    store.close();
  }
});

test('versions live in state.db next to the links and survive reopening', (t) => {
  const tmp = makeTempDir();
  t.after(tmp.cleanup);
  const state = openStateStore(tmp.dbPath);
  const first = openTemplateStore(tmp.dbPath);
  state.saveLink(makeLink(1));
  first.saveVersion({ kind: KIND, texts: texts(1), savedBy: 'anna@firma.pl', savedAt: '2026-05-15T10:00:00.000Z' });
  first.close();
  state.close();
  const again = openTemplateStore(tmp.dbPath);
  const stateAgain = openStateStore(tmp.dbPath);
  try {
    assert.deepEqual(again.getLatest(KIND)?.texts, texts(1));
    assert.deepEqual(stateAgain.getLink('serwis:zlecenie:1'), makeLink(1));
  } finally {
    again.close();
    stateAgain.close();
  }
});

test('two stores on one file never hand out the same version number', (t) => {
  const tmp = makeTempDir();
  t.after(tmp.cleanup);
  const a = openTemplateStore(tmp.dbPath);
  const b = openTemplateStore(tmp.dbPath);
  try {
    const versions = [
      a.saveVersion({ kind: KIND, texts: texts(1), savedBy: 'a@firma.pl', savedAt: '2026-05-15T10:00:00.000Z' }).version,
      b.saveVersion({ kind: KIND, texts: texts(2), savedBy: 'b@firma.pl', savedAt: '2026-05-15T10:00:01.000Z' }).version,
      a.saveVersion({ kind: KIND, texts: texts(3), savedBy: 'a@firma.pl', savedAt: '2026-05-15T10:00:02.000Z' }).version,
    ];
    assert.deepEqual(versions, [1, 2, 3]);
  } finally {
    a.close();
    b.close();
  }
});
