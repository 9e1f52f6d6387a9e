import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkSelectSql } from '../../server/source/sql-check.ts';

test('accepts one SELECT and reports tables, qualified columns and parameters', () => {
  const result = checkSelectSql(
    `SELECT y.SrY_TwrNazwa, y.SrY_TerminOd
       FROM CDN.SrsCzynnosci AS y
       JOIN CDN.SrsZlecenia AS z ON z.SrZ_SrZId = y.SrY_SrZId
      WHERE y.SrY_SrZId = @SrZ_SrZId AND y.SrY_Zakonczona = @done`,
    { knownParams: ['SrZ_SrZId', 'done', 'unused'] },
  );
  assert.ok(result.ok);
  assert.deepEqual(result.tables, ['CDN.SrsCzynnosci', 'CDN.SrsZlecenia']);
  assert.ok(result.columns.includes('CDN.SrsCzynnosci.SrY_TwrNazwa'));
  assert.ok(result.columns.includes('CDN.SrsZlecenia.SrZ_SrZId'));
  assert.deepEqual(result.params, ['SrZ_SrZId', 'done']);
});

test('unqualified columns of a single-table query belong to that table', () => {
  const result = checkSelectSql('SELECT SrZ_Opis FROM CDN.SrsZlecenia');
  assert.ok(result.ok);
  assert.deepEqual(result.references, [{ table: 'CDN.SrsZlecenia', column: 'SrZ_Opis' }]);
});

test('a WITH … SELECT and a UNION are still one SELECT', () => {
  assert.equal(checkSelectSql('WITH x AS (SELECT a FROM t) SELECT a FROM x').ok, true);
  assert.equal(checkSelectSql('SELECT a FROM t UNION SELECT b FROM u').ok, true);
});

test('rejects statements that write, with a sentence that says what to do', () => {
  for (const sql of ['UPDATE CDN.SrsZlecenia SET SrZ_Opis = @x', 'DELETE FROM CDN.SrsZlecenia', 'DROP TABLE CDN.SrsZlecenia', 'EXEC sp_who']) {
    const result = checkSelectSql(sql);
    assert.equal(result.ok, false, sql);
    if (!result.ok) assert.match(result.message, /tylko polecenie SELECT/);
  }
  const into = checkSelectSql('SELECT SrZ_Opis INTO kopia FROM CDN.SrsZlecenia');
  assert.equal(into.ok, false);
  if (!into.ok) assert.match(into.message, /INTO/);
});

test('rejects more than one statement', () => {
  const result = checkSelectSql('SELECT a FROM t; SELECT b FROM u');
  assert.equal(result.ok, false);
  if (!result.ok) assert.match(result.message, /2 polecenia.*dokładnie jedno/);
  const sneaky = checkSelectSql('SELECT a FROM t; DELETE FROM t');
  assert.equal(sneaky.ok, false);
});

test('reports a syntax error with its line', () => {
  const result = checkSelectSql('SELECT a,\n  b\nFROM t\nWHERE a = = 1');
  assert.equal(result.ok, false);
  if (!result.ok) {
    assert.equal(result.line, 4);
    assert.match(result.message, /wierszu 4/);
  }
});

test('empty text and comments alone are an error, not a crash', () => {
  for (const sql of ['', '   ', '-- tylko komentarz', '/* nic */']) {
    const result = checkSelectSql(sql);
    assert.equal(result.ok, false, JSON.stringify(sql));
    if (!result.ok) assert.match(result.message, /puste/);
  }
});

test('a parameter the program does not pass is named in the error', () => {
  const result = checkSelectSql('SELECT a FROM t WHERE b = @kod', { knownParams: ['SrZ_SrZId'] });
  assert.equal(result.ok, false);
  if (!result.ok) assert.match(result.message, /@kod.*@SrZ_SrZId/);
});
