import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findJsonErrorOffset, lineColumnAt } from '../../server/config/find-json-error.ts';

test('valid JSON of every shape is accepted (no false alarms on a good file)', () => {
  const samples: unknown[] = [
    {}, [], 0, -1.5e-3, 'tekst z „cudzysłowem” i \\ oraz \n', true, null,
    { a: [1, { b: 'x\u0001y' }, []], 'klucz z "cudzysłowem"': { c: null, d: false } },
  ];
  for (const s of samples) {
    assert.equal(findJsonErrorOffset(JSON.stringify(s)), -1, JSON.stringify(s));
    assert.equal(findJsonErrorOffset(JSON.stringify(s, null, 2)), -1);
    assert.equal(findJsonErrorOffset(` \r\n${JSON.stringify(s, null, '\t')}\n`), -1);
  }
});

test('invalid JSON is found at the same place V8 reports, when V8 reports one', () => {
  const broken = ['{"a": 1,}', '{\n  "a": 1\n  "b": 2\n}', '{"a": "x', '{"a":1} x', '[1, 2', '{"a": 01}', '{a: 1}', '{"a": "\\q"}', ''];
  for (const text of broken) {
    const offset = findJsonErrorOffset(text);
    assert.ok(offset >= 0, `missed the error in ${JSON.stringify(text)}`);
    try {
      JSON.parse(text);
      assert.fail(`V8 accepted ${JSON.stringify(text)}`);
    } catch (err) {
      const v8 = /at position (\d+)/.exec((err as Error).message);
      if (v8) assert.equal(offset, Number(v8[1]), `${JSON.stringify(text)}: ${(err as Error).message}`);
    }
  }
});

test('offsets become 1-based lines and columns', () => {
  assert.deepEqual(lineColumnAt('ab\ncd\nef', 0), { line: 1, column: 1 });
  assert.deepEqual(lineColumnAt('ab\ncd\nef', 4), { line: 2, column: 2 });
  assert.deepEqual(lineColumnAt('ab\ncd\nef', 6), { line: 3, column: 1 });
});
