import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileTemplates } from '../../server/render/templates.ts';
import type { RenderTemplate } from '../../server/render/templates.ts';
import { formatPhone, toTelUri, truncateText } from '../../server/render/helpers.ts';

/** Compiles one body (HTML) and one subject (plain text) template around `source`. */
function compile(source: string): { html: RenderTemplate; text: RenderTemplate } {
  const r = compileTemplates({ 'serwis:zlecenie': { subject: source, body: source, location: '' } });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  const kind = r.compiled.kinds['serwis:zlecenie']!;
  return { html: kind.body, text: kind.subject };
}

test('data, godzina, dataGodzina (and English aliases) format a wall-clock value in Polish style', () => {
  const t = compile('{{data d}}|{{godzina d}}|{{dataGodzina d}}|{{date d}}|{{time d}}|{{dateTime d}}');
  assert.equal(t.text({ d: '2026-03-29T08:05:00' }), '29.03.2026|08:05|29.03.2026 08:05|29.03.2026|08:05|29.03.2026 08:05');
  // A driver Date carries the wall clock in its UTC fields (mssql useUTC).
  assert.equal(t.text({ d: new Date('2026-12-01T17:45:00Z') }), '01.12.2026|17:45|01.12.2026 17:45|01.12.2026|17:45|01.12.2026 17:45');
});

test('date helpers print nothing for null and for Optima\'s empty day', () => {
  const t = compile('[{{data d}}{{godzina d}}{{dataGodzina d}}]');
  assert.equal(t.text({ d: null }), '[]');
  assert.equal(t.text({}), '[]');
  assert.equal(t.text({ d: '1899-12-30T00:00:00' }), '[]');
  assert.equal(t.text({ d: new Date('1899-12-30T00:00:00Z') }), '[]');
  // Text that is not a date is shown as it is rather than hidden.
  assert.equal(compile('{{data d}}').text({ d: 'wkrótce' }), 'wkrótce');
});

test('telefon formats Polish numbers and leaves foreign ones as written', () => {
  assert.equal(formatPhone('600100200'), '600 100 200');
  assert.equal(formatPhone('+48600100200'), '+48 600 100 200');
  assert.equal(formatPhone('0048 600-100-200'), '+48 600 100 200');
  assert.equal(formatPhone('48600100200'), '+48 600 100 200');
  assert.equal(formatPhone('(22) 123-45-67'), '22 123 45 67');
  assert.equal(formatPhone('+49 30 1234567'), '+49 30 1234567');
  assert.equal(formatPhone('600 100 200 wew. 12'), '600 100 200 wew. 12');
  assert.equal(formatPhone(null), '');
  const t = compile('{{telefon a}}/{{phone b}}');
  assert.equal(t.text({ a: '600100200', b: null }), '600 100 200/');
});

test('telefonLink makes a tel: link with the international number, escaped', () => {
  assert.equal(toTelUri('600 100 200'), 'tel:+48600100200');
  assert.equal(toTelUri('0049 30 1234567'), 'tel:+49301234567');
  const t = compile('{{telefonLink a}}');
  assert.equal(t.html({ a: '600100200' }), '<a href="tel:+48600100200">600 100 200</a>');
  assert.equal(t.html({ a: null }), '');
  assert.equal(t.html({ a: '<b>brak</b>' }), '&lt;b&gt;brak&lt;/b&gt;');
});

test('lub gives the first non-empty value, puste tells empty from set', () => {
  const t = compile('{{lub a b "brak"}}|{{or a "none"}}|{{#puste a}}pusto{{else}}jest{{/puste}}|{{#if (puste c)}}P{{/if}}');
  assert.equal(t.text({ a: '  ', b: null, c: [] }), 'brak|none|pusto|P');
  assert.equal(t.text({ a: 'X', b: 'Y', c: ['z'] }), 'X|X|jest|');
  assert.equal(t.text({ a: 0 }), '0|0|jest|P');
});

test('skroc cuts to N characters with an ellipsis and never splits an emoji', () => {
  const t = compile('{{skroc a 10}}|{{truncate a 100}}');
  assert.equal(t.text({ a: 'Przegląd roczny kotła' }), 'Przegląd…|Przegląd roczny kotła');
  assert.equal(compile('{{skroc a}}').text({ a: 'Cały tekst' }), 'Cały tekst'); // no length given: left whole
  assert.equal(truncateText('abc', 3), 'abc');
  assert.equal(truncateText('abcd', 3), 'ab…');
  assert.equal(truncateText('👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦', 2), '👨‍👩‍👧‍👦…');
  // In UTF-16 units an emoji costs 2: no half surrogate pair ever remains.
  assert.equal(truncateText('a😀😀😀', 4, 'utf16'), 'a😀…');
  assert.equal(truncateText('a😀😀😀', 3, 'utf16'), 'a…');
});

test('nl2br escapes first, then turns every kind of newline into <br>', () => {
  const t = compile('{{nl2br a}}');
  assert.equal(t.html({ a: 'linia 1\r\nlinia 2\n<script>x</script>\rkoniec' }), 'linia 1<br>linia 2<br>&lt;script&gt;x&lt;/script&gt;<br>koniec');
  assert.equal(t.html({ a: null }), '');
});

test('rowne compares values as text, for use in #if', () => {
  const t = compile('{{#if (rowne stanKod 2)}}zrealizowane{{else}}otwarte{{/if}}');
  assert.equal(t.text({ stanKod: 2 }), 'zrealizowane');
  assert.equal(t.text({ stanKod: '2' }), 'zrealizowane');
  assert.equal(t.text({ stanKod: 1 }), 'otwarte');
});
