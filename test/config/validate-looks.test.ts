import test from 'node:test';
import assert from 'node:assert/strict';
import { validateConfig } from '../../server/config/validate-config.ts';

function minimal(): Record<string, any> {
  return {
    source: { type: 'mssql', mssql: { server: 'SQL1', user: 'optima_sync', password: 'pw-123456', companyDatabase: 'CDN_Firma' } },
    microsoft: { tenantId: 'firma.onmicrosoft.com', clientId: '11111111-2222-3333-4444-555555555555', clientSecret: 'secret-value-1' },
    mailboxes: { default: 'serwis@firma.pl' },
  };
}

function errorsOf(raw: unknown) {
  const result = validateConfig(raw);
  assert.ok(!result.ok, 'expected errors');
  return result.errors;
}

function messageAt(errors: readonly { path: string; message: string }[], path: string): string {
  const found = errors.find((e) => e.path === path);
  assert.ok(found, `no error at ${path}; got ${errors.map((e) => e.path).join(', ')}`);
  return found.message;
}

test('look rules: conditions, category with a Polish colour name, show-as, prefix and removal are read', () => {
  const result = validateConfig({
    ...minimal(),
    looks: {
      'serwis:zlecenie': [
        { when: { states: ['Zrealizowane'] }, category: 'Gotowe', color: 'zielony', showAs: 'free', subjectPrefix: '✔ ' },
        { when: { stages: ['ANUL'] }, remove: true },
      ],
    },
    calendar: { categoryColors: { 'Optima Serwis': 'niebieski' } },
  });
  assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
  const [first, second] = result.config.looks['serwis:zlecenie'] ?? [];
  assert.deepEqual(first, { when: { states: ['Zrealizowane'], stages: [], draft: null, done: null }, remove: false, category: 'Gotowe', color: 'preset4', showAs: 'free', subjectPrefix: '✔ ' });
  assert.equal(second.remove, true);
  assert.deepEqual(result.config.calendar.categoryColors, { 'Optima Serwis': 'preset7' });
});

test('look rules: an unknown colour, show-as, key or an empty rule is named at its path with the fix', () => {
  const errors = errorsOf({
    ...minimal(),
    looks: {
      'serwis:zlecenie': [
        { when: { states: ['Zrealizowane'] }, category: 'Gotowe', color: 'różowy' },
        { when: { stan: ['x'] }, showAs: 'zajęty' },
        { when: { draft: true } },
      ],
      'crm:zadania': [],
    },
  });
  assert.match(messageAt(errors, 'looks.serwis:zlecenie[0].color'), /Nieznany kolor „różowy” — wpisz nazwę koloru/);
  assert.match(messageAt(errors, 'looks.serwis:zlecenie[1].when.stan'), /Nieznane ustawienie/);
  assert.match(messageAt(errors, 'looks.serwis:zlecenie[1].showAs'), /„busy”/);
  assert.match(messageAt(errors, 'looks.serwis:zlecenie[2]'), /niczego nie zmienia/);
  assert.match(messageAt(errors, 'looks.crm:zadania'), /czy chodziło o „crm:zadanie”/);
});

test('filters: a kind without its own entry gets the default; days may be null (no limit); bad people keys are named', () => {
  const result = validateConfig({
    ...minimal(),
    filters: { default: { daysBack: 30 }, 'crm:zadanie': { people: ['operator:3'], daysAhead: null, numberPrefixes: ['ZAD/'] } },
  });
  assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
  assert.equal(result.config.filters.default?.daysBack, 30);
  assert.equal(result.config.filters.default?.daysAhead, 365);
  assert.deepEqual(result.config.filters['crm:zadanie'], { states: null, stages: null, people: ['operator:3'], numberPrefixes: ['ZAD/'], daysBack: 30, daysAhead: null });
  const errors = errorsOf({ ...minimal(), filters: { default: { daysBack: -1 }, 'serwis:zlecenie': { people: ['Jan Kowalski'] } } });
  assert.match(messageAt(errors, 'filters.default.daysBack'), /poza zakresem/);
  assert.match(messageAt(errors, 'filters.serwis:zlecenie.people[0]'), /pracownik:<id> albo operator:<id>/);
});

test('companies: codes are checked and unique; a map key for another company must name one; operators are never prefixed', () => {
  const ok = validateConfig({
    ...minimal(),
    source: { ...minimal().source, companyName: 'Firma Główna', companies: [{ code: 'polnoc', name: 'Serwis Północ', database: 'CDN_Polnoc', filters: { default: { daysBack: 7 } }, templates: { 'serwis:zlecenie': { subject: 'Północ: {{numer}}' } } }] },
    mailboxes: { default: 'serwis@firma.pl', map: { 'polnoc/pracownik:4': 'ewa@firma.pl' } },
  });
  assert.ok(ok.ok, JSON.stringify(!ok.ok && ok.errors));
  assert.equal(ok.config.source.companies[0].code, 'polnoc');
  assert.equal(ok.config.source.companies[0].filters.default?.daysBack, 7);
  assert.equal(ok.config.source.companies[0].templates['serwis:zlecenie']?.subject, 'Północ: {{numer}}');
  assert.equal(ok.config.mailboxes.map['polnoc/pracownik:4'], 'ewa@firma.pl');

  const errors = errorsOf({
    ...minimal(),
    source: { ...minimal().source, companies: [{ code: 'Północ', name: 'X', database: 'CDN_X' }, { code: 'b', name: 'B', database: 'CDN_B' }, { code: 'b', name: 'B2', database: 'CDN_B2' }, { code: 'c', name: 'C', database: 'CDN_C', templates: { 'serwis:zlecenie': { subject: '{{#if x}}' } } }] },
    mailboxes: { default: 'serwis@firma.pl', map: { 'zachod/pracownik:4': 'ewa@firma.pl', 'b/operator:2': 'jan@firma.pl' } },
  });
  assert.match(messageAt(errors, 'source.companies[0].code'), /małe litery/);
  assert.match(messageAt(errors, 'source.companies[2].code'), /powtarza się/);
  assert.match(messageAt(errors, 'source.companies[3].templates.serwis:zlecenie.subject'), /składni/);
  assert.match(messageAt(errors, 'mailboxes.map["zachod/pracownik:4"]'), /Nie ma firmy o kodzie „zachod”/);
  assert.match(messageAt(errors, 'mailboxes.map["b/operator:2"]'), /bez kodu firmy/);
});
