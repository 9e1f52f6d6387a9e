import { test } from 'node:test';
import assert from 'node:assert/strict';
import { editDistance, suggestKey } from '../../server/config/suggest-key.ts';

test('suggests the intended option for typical typos, and nothing for unrelated words', () => {
  const keys = ['intervalSeconds', 'fullPass', 'overlapSeconds', 'language'];
  assert.equal(suggestKey('intervalSecond', keys), 'intervalSeconds');
  assert.equal(suggestKey('IntervalSeconds', keys), 'intervalSeconds');
  assert.equal(suggestKey('full_pass', keys), 'fullPass');
  assert.equal(suggestKey('langauge', keys), 'language');
  assert.equal(suggestKey('timeout', keys), null);
  assert.equal(suggestKey('x', keys), null);
});

test('edit distance counts insertions, deletions, substitutions and swaps as one step each', () => {
  assert.equal(editDistance('level', 'level'), 0);
  assert.equal(editDistance('levle', 'level'), 1);
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(editDistance('', 'abc'), 3);
});
