import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { COMMITTED_CATALOGUE_URL, SHARED_CATALOGUE_URL, loadColumnCatalogue } from './optima-column-catalogue.ts';

test('the committed column list is the shared reference, byte for byte (when ../shared is beside the repo)', (t) => {
  const shared = fileURLToPath(SHARED_CATALOGUE_URL);
  if (!existsSync(shared)) {
    t.skip('../shared/reference is not beside this clone: only the committed copy is checked');
    return;
  }
  assert.equal(readFileSync(fileURLToPath(COMMITTED_CATALOGUE_URL), 'utf8'), readFileSync(shared, 'utf8'),
    'test/source/reference/optima-columns.tsv differs from ../shared/reference/optima-columns.tsv — copy the reference over it');
});

test('the committed copy reads as the real column list: the tables the built-in queries use, in both databases', () => {
  const catalogue = loadColumnCatalogue(fileURLToPath(COMMITTED_CATALOGUE_URL));
  for (const table of ['cdn.srszlecenia', 'cdn.srsczynnosci', 'cdn.crmkontakty', 'cdn.crmkontaktycykl', 'cdn.crmuczestnicy', 'cdn.operatorzy']) {
    assert.ok(catalogue.byTable.has(table), table);
  }
  assert.equal(catalogue.databaseOf.get('cdn.operatorzy'), 'config');
  assert.ok(catalogue.byTable.get('cdn.crmkontakty')?.has('crk_ts_mod'));
});
