import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatConfigErrors } from '../../server/config/format-config-errors.ts';

test('lists each error with its path and line, under a count in correct Polish', () => {
  const text = formatConfigErrors([
    { path: 'microsoft.clientId', line: 12, column: 3, message: 'Brak wartości — wpisz identyfikator aplikacji.' },
    { path: 'sync.intervalSeconds', message: 'Wartość 2 jest poza zakresem — wpisz liczbę całkowitą od 5 do 86400 s.' },
  ], 'C:\\optima-sync\\config.yaml');
  assert.equal(text, [
    'Konfiguracja zawiera 2 błędy (plik C:\\optima-sync\\config.yaml) — popraw je i uruchom program ponownie:',
    '  1. microsoft.clientId (linia 12, kolumna 3): Brak wartości — wpisz identyfikator aplikacji.',
    '  2. sync.intervalSeconds: Wartość 2 jest poza zakresem — wpisz liczbę całkowitą od 5 do 86400 s.',
  ].join('\n'));
});

test('counts take the right Polish form', () => {
  const head = (n: number) => formatConfigErrors(Array.from({ length: n }, () => ({ path: 'x', message: 'm' }))).split('\n')[0];
  assert.match(head(1), /1 błąd /);
  assert.match(head(3), /3 błędy /);
  assert.match(head(5), /5 błędów /);
  assert.match(head(12), /12 błędów /);
  assert.match(head(22), /22 błędy /);
});
