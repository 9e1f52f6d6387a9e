import { test } from 'node:test';
import assert from 'node:assert/strict';
import Handlebars from 'handlebars';
import { compileTemplates, describeTemplateError } from '../../server/render/templates.ts';
import { DEFAULT_TEMPLATES_EN, DEFAULT_TEMPLATES_PL } from '../../server/render/default-templates.ts';

const ok = { subject: '{{numer}}', body: '<p>{{opis}}</p>', location: '{{klient.adres}}' };

test('the built-in Polish and English sets compile', () => {
  assert.equal(compileTemplates(DEFAULT_TEMPLATES_PL).ok, true);
  assert.equal(compileTemplates(DEFAULT_TEMPLATES_EN).ok, true);
});

test('a syntax error is reported with the template name and its line', () => {
  const r = compileTemplates({ 'serwis:zlecenie': { ...ok, body: '<p>{{numer}}</p>\n<p>{{#if opis}}{{opis}}</p>' } });
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.equal(r.errors.length, 1);
  assert.equal(r.errors[0].template, 'serwis:zlecenie.body');
  assert.equal(r.errors[0].line, 2);
  assert.match(describeTemplateError(r.errors[0]), /serwis:zlecenie\.body, linia 2/);
});

test('a mismatched block, an unknown helper and a partial are reported at compile time with lines', () => {
  const r = compileTemplates({
    'serwis:zlecenie': {
      subject: '{{numer}}\n\n{{#if opis}}x{{/each}}',
      body: '<p>\n{{formatujDate start}}</p>',
      location: '{{> adres}}',
    },
  });
  assert.equal(r.ok, false);
  if (r.ok) return;
  const byTemplate = Object.fromEntries(r.errors.map((e) => [e.template, e]));
  assert.equal(byTemplate['serwis:zlecenie.subject'].line, 3);
  assert.match(byTemplate['serwis:zlecenie.subject'].message, /if doesn't match each/);
  assert.equal(byTemplate['serwis:zlecenie.body'].line, 2);
  assert.match(byTemplate['serwis:zlecenie.body'].message, /Nieznany helper „formatujDate”.*dataGodzina/);
  assert.equal(byTemplate['serwis:zlecenie.location'].line, 1);
  assert.match(byTemplate['serwis:zlecenie.location'].message, /nie są obsługiwane/);
});

test('{{log}} is not available: templates cannot write to the server console', () => {
  const r = compileTemplates({ 'serwis:zlecenie': { ...ok, subject: '{{log numer}}' } });
  assert.equal(r.ok, false);
});

test('every broken kind is reported, not only the first', () => {
  const r = compileTemplates({
    'serwis:zlecenie': { ...ok, subject: '{{' },
    'crm:zadanie': { ...ok, location: '{{a}' },
  });
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.deepEqual(r.errors.map((e) => e.template).sort(), ['crm:zadanie.location', 'serwis:zlecenie.subject']);
});

test('subject and location are not HTML-escaped, body is', () => {
  const r = compileTemplates({ 'serwis:zlecenie': { subject: '{{a}}', body: '{{a}}', location: '{{a}}' } });
  assert.ok(r.ok);
  const t = r.compiled.kinds['serwis:zlecenie']!;
  const ctx = { a: 'Kowalski & Syn <"Serwis">' };
  assert.equal(t.subject(ctx), 'Kowalski & Syn <"Serwis">');
  assert.equal(t.location(ctx), 'Kowalski & Syn <"Serwis">');
  assert.equal(t.body(ctx), 'Kowalski &amp; Syn &lt;&quot;Serwis&quot;&gt;');
});

test('template sets are isolated: nothing is registered on the global Handlebars', () => {
  compileTemplates(DEFAULT_TEMPLATES_PL);
  assert.equal(Handlebars.helpers.skroc, undefined);
  assert.equal(Handlebars.helpers.telefon, undefined);
});
