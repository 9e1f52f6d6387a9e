import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderEvent } from '../../server/render/render-event.ts';
import type { RenderContext, RenderResult } from '../../server/render/render-event.ts';
import { compileTemplates } from '../../server/render/templates.ts';
import type { CompiledTemplates, TemplateSet } from '../../server/render/templates.ts';
import { DEFAULT_TEMPLATES_PL, selectDefaultTemplates } from '../../server/render/default-templates.ts';
import { zonedToUtc } from '../../server/render/time-zone.ts';
import { computeRenderHash } from '../../server/render/render-hash.ts';
import type { CalendarEvent, DesiredEvent, RecordKind, SkippedRecord, SourceRow } from '../../server/domain/types.ts';
import { makeOrderRow } from './sample-rows.ts';

function compile(set: TemplateSet): CompiledTemplates {
  const r = compileTemplates(set);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.compiled;
}

const PL = compile(DEFAULT_TEMPLATES_PL);
const BASE: RenderContext = { compiled: PL, timeZone: 'Europe/Warsaw', defaultDurationMinutes: 60 };
const MAILBOX = 'Jan.Serwisant@Firma.PL';

function desiredOf(r: RenderResult): DesiredEvent {
  if (!('desired' in r)) throw new Error(`expected an event, got skip: ${JSON.stringify(r.skip)}`);
  return r.desired;
}
function skipOf(r: RenderResult): SkippedRecord {
  if (!('skip' in r)) throw new Error('expected a skip, got an event');
  return r.skip;
}
function render(row: SourceRow, ctx: Partial<RenderContext> = {}, mailbox: string | null = MAILBOX): RenderResult {
  return renderEvent(row, mailbox, { ...BASE, ...ctx });
}
function eventOf(row: SourceRow, ctx: Partial<RenderContext> = {}): CalendarEvent {
  return desiredOf(render(row, ctx)).event;
}
/** The UTC instants an event means, read back the way a calendar would read what we send. */
function instantsOf(e: CalendarEvent): [string, string] {
  return [zonedToUtc(e.start, e.timeZone).utc.toISOString(), zonedToUtc(e.end, e.timeZone).utc.toISOString()];
}

test('a service order renders with Polish defaults into the owner\'s mailbox', () => {
  const d = desiredOf(render(makeOrderRow()));
  assert.equal(d.mailbox, 'jan.serwisant@firma.pl');
  assert.equal(d.sourceKey, 'serwis:zlecenie:12');
  assert.equal(d.sourceModifiedAt, '2026-03-20 10:15:00.123');
  const e = d.event;
  assert.equal(e.subject, 'ZS/12/2026 – Kowalski Sp. z o.o.: Przegląd roczny kotła');
  assert.equal(e.location, 'ul. Długa 1, 30-001 Kraków');
  assert.equal(e.start, '2026-03-30T08:30:00');
  assert.equal(e.end, '2026-03-30T09:30:00');
  assert.equal(e.timeZone, 'Europe/Warsaw');
  assert.equal(e.showAs, 'busy');
  assert.deepEqual(e.categories, ['Optima Serwis', 'W realizacji']);
  assert.equal(e.isReminderOn, true);
  assert.equal(e.reminderMinutesBeforeStart, 15);
  for (const label of ['Zlecenie', 'Stan', 'Etap', 'Klient', 'Adres', 'Telefon', 'Osoba kontaktowa', 'Urządzenie', 'Kategoria', 'Opis']) {
    assert.match(e.bodyHtml, new RegExp(`>${label}<`), label);
  }
  assert.match(e.bodyHtml, /<a href="tel:\+48600100200">600 100 200<\/a>/);
  assert.match(e.bodyHtml, /Jan Kowalski, <a href="tel:\+48501222333">501 222 333<\/a>/);
  assert.match(e.bodyHtml, /Kocioł Vaillant ecoTEC/);
  assert.deepEqual(instantsOf(e), ['2026-03-30T06:30:00.000Z', '2026-03-30T07:30:00.000Z']);
});

test('English templates render the same record with English labels', () => {
  const e = eventOf(makeOrderRow(), { compiled: compile(selectDefaultTemplates('en')) });
  assert.equal(e.subject, 'ZS/12/2026 – Kowalski Sp. z o.o.: Przegląd roczny kotła');
  for (const label of ['Service order', 'Status', 'Customer', 'Address', 'Phone', 'Contact person', 'Device', 'Description']) {
    assert.match(e.bodyHtml, new RegExp(`>${label}<`), label);
  }
  assert.doesNotMatch(e.bodyHtml, />Klient</);
});

test('DST gap: a start at 2026-03-29 02:30 is sent as 03:30 local (01:30Z) and lasts the full default hour', () => {
  const e = eventOf(makeOrderRow({ start: '2026-03-29T02:30:00' }));
  assert.equal(e.timeZone, 'Europe/Warsaw');
  assert.equal(e.start, '2026-03-29T03:30:00');
  assert.equal(e.end, '2026-03-29T04:30:00');
  assert.deepEqual(instantsOf(e), ['2026-03-29T01:30:00.000Z', '2026-03-29T02:30:00.000Z']);
});

test('DST gap: a default duration crossing spring-forward counts real minutes (01:30 + 60 min = 03:30)', () => {
  const e = eventOf(makeOrderRow({ start: '2026-03-29T01:30:00' }));
  assert.equal(e.start, '2026-03-29T01:30:00');
  assert.equal(e.end, '2026-03-29T03:30:00');
  assert.deepEqual(instantsOf(e), ['2026-03-29T00:30:00.000Z', '2026-03-29T01:30:00.000Z']);
});

test('DST overlap: a start at 2026-10-25 02:30 means the first (CEST) instant and is pinned by sending UTC', () => {
  const e = eventOf(makeOrderRow({ start: '2026-10-25T02:30:00' }));
  // Wall time 02:30 → 02:30 would be empty or ambiguous; UTC states the hour exactly.
  assert.equal(e.timeZone, 'UTC');
  assert.deepEqual(instantsOf(e), ['2026-10-25T00:30:00.000Z', '2026-10-25T01:30:00.000Z']);
  assert.notEqual(e.start, e.end);
});

test('DST overlap: a default duration ending in the repeated hour keeps its real length', () => {
  const e = eventOf(makeOrderRow({ start: '2026-10-25T01:30:00' }), { defaultDurationMinutes: 120 });
  assert.deepEqual(instantsOf(e), ['2026-10-24T23:30:00.000Z', '2026-10-25T01:30:00.000Z']);
  // After the overlap, times are local again: 03:00 CET + 60 min.
  const later = eventOf(makeOrderRow({ start: '2026-10-25T03:00:00' }));
  assert.equal(later.timeZone, 'Europe/Warsaw');
  assert.deepEqual([later.start, later.end], ['2026-10-25T03:00:00', '2026-10-25T04:00:00']);
  assert.deepEqual(instantsOf(later), ['2026-10-25T02:00:00.000Z', '2026-10-25T03:00:00.000Z']);
});

test('the record\'s own end is used when it is after the start, otherwise the default duration', () => {
  const withEnd = eventOf(makeOrderRow({ start: '2026-04-01T08:00:00', end: '2026-04-01T11:15:00' }));
  assert.deepEqual([withEnd.start, withEnd.end], ['2026-04-01T08:00:00', '2026-04-01T11:15:00']);
  for (const end of ['2026-04-01T08:00:00', '2026-04-01T07:00:00', '1899-12-30T00:00:00', '2026-02-31T10:00:00']) {
    const e = eventOf(makeOrderRow({ start: '2026-04-01T08:00:00', end }), { defaultDurationMinutes: 90 });
    assert.deepEqual([e.start, e.end], ['2026-04-01T08:00:00', '2026-04-01T09:30:00'], end);
  }
  const zero = eventOf(makeOrderRow({ start: '2026-04-01T08:00:00' }), { defaultDurationMinutes: 0 });
  assert.notEqual(zero.start, zero.end);
});

test('no date: null and Optima\'s empty day 1899-12-30 skip as empty-date with a sentence naming the order', () => {
  for (const start of [null, '1899-12-30T00:00:00']) {
    const s = skipOf(render(makeOrderRow({ start })));
    assert.equal(s.reason, 'empty-date');
    assert.equal(s.sourceKey, 'serwis:zlecenie:12');
    assert.equal(s.detail, 'Zlecenie ZS/12/2026 nie ma daty realizacji ani przyjęcia — uzupełnij datę w Optimie.');
  }
});

test('impossible dates skip as impossible-date naming the value', () => {
  for (const start of ['2026-02-30T08:00:00', '2026-13-01T08:00:00', '1753-01-01T00:00:00', '2201-01-01T08:00:00', '2026-04-01T25:00:00', 'wtorek']) {
    const s = skipOf(render(makeOrderRow({ start })));
    assert.equal(s.reason, 'impossible-date', start);
    assert.ok(s.detail.includes(`„${start}”`), s.detail);
    assert.match(s.detail, /^Zlecenie ZS\/12\/2026 .*popraw datę w Optimie\.$/);
  }
});

test('no mailbox skips as no-mailbox and says how to fix it', () => {
  const s = skipOf(render(makeOrderRow(), {}, null));
  assert.equal(s.reason, 'no-mailbox');
  assert.match(s.detail, /ZS\/12\/2026.*prowadzący \(pracownik 7\).*konfiguracji/);
  const nobody = skipOf(render(makeOrderRow({ owner: null }), {}, '  '));
  assert.equal(nobody.reason, 'no-mailbox');
  assert.match(nobody.detail, /nie ma prowadzącego/);
});

test('a template that fails at render time skips that record as template-error naming the template', () => {
  const broken = compile({ 'serwis:zlecenie': { subject: '{{numer}}', body: '<ul>\n{{#each}}<li>{{this}}</li>{{/each}}</ul>', location: '' } });
  const s = skipOf(render(makeOrderRow(), { compiled: broken }));
  assert.equal(s.reason, 'template-error');
  assert.match(s.detail, /serwis:zlecenie\.body/);
  assert.match(s.detail, /Must pass iterator/);
  // A kind with no templates at all (not a known kind: every known one has defaults) is a template error too, not a crash.
  const task = makeOrderRow({ kind: 'crm:kontakt' as RecordKind, key: 'crm:kontakt:5' });
  assert.equal(skipOf(render(task)).reason, 'template-error');
});

test('NULL fields never print "null" or "undefined" and leave no empty rows or dangling separators', () => {
  const row = makeOrderRow({
    fields: { stan: null, etap: null, klient: null, telefon: null, osobaKontaktowa: null, urzadzenie: undefined, kategoria: null, opis: null, stanKod: null, bufor: null },
  });
  const e = eventOf(row);
  assert.equal(e.subject, 'ZS/12/2026');
  assert.equal(e.location, '');
  assert.deepEqual(e.categories, ['Optima Serwis']);
  assert.equal(e.showAs, 'busy');
  for (const text of [e.subject, e.bodyHtml, e.location]) assert.doesNotMatch(text, /null|undefined|NaN|\[object/);
  assert.equal((e.bodyHtml.match(/<tr>/g) ?? []).length, 1);
  // With no number either, the subject falls back to the record's name.
  assert.equal(eventOf(makeOrderRow({ fields: { numer: null, klient: null, opis: null } })).subject, 'Zlecenie #12');
});

test('a 10 000-character description survives whole in the body; the subject keeps to 80 + the rest', () => {
  const opis = 'Wymiana uszczelki. '.repeat(600).slice(0, 10_000);
  const e = eventOf(makeOrderRow({ fields: { opis } }));
  assert.ok(e.bodyHtml.includes(opis.trim()));
  assert.ok(e.subject.endsWith('…'));
  assert.ok(e.subject.length <= 'ZS/12/2026 – Kowalski Sp. z o.o.: '.length + 80);
});

test('a subject longer than 255 is cut with an ellipsis, counted as Exchange counts', () => {
  const compiled = compile({ 'serwis:zlecenie': { subject: '{{opis}}', body: '', location: '' } });
  const e = eventOf(makeOrderRow({ fields: { opis: '🔧'.repeat(300) } }), { compiled });
  assert.ok(e.subject.length <= 255, String(e.subject.length));
  assert.ok(e.subject.endsWith('🔧…'));
  assert.doesNotMatch(e.subject, /[\uD800-\uDBFF](?![\uDC00-\uDFFF])/); // no half emoji
});

test('control characters: subject and location become one clean line, the body keeps line breaks only', () => {
  const opis = 'Kocioł\u0007 nie\tgrzeje\r\ni\u0000 cieknie\u001b';
  const e = eventOf(makeOrderRow({ fields: { opis, klient: { nazwa: 'Firma\nABC', adres: 'ul. Krótka 2\r\nKraków' } } }));
  assert.equal(e.subject, 'ZS/12/2026 – Firma ABC: Kocioł nie grzeje i cieknie');
  assert.equal(e.location, 'ul. Krótka 2 Kraków');
  assert.doesNotMatch(e.bodyHtml, /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
  assert.match(e.bodyHtml, /Kocioł nie\tgrzeje<br>i cieknie/);
});

test('emoji and Polish diacritics pass through intact', () => {
  const nazwa = 'Zażółć Gęślą Jaźń 🔥👨‍🔧';
  const e = eventOf(makeOrderRow({ fields: { klient: { nazwa, adres: 'Łódź, ul. Źródlana 5' }, opis: 'Ćma w śluzie ✅' } }));
  assert.equal(e.subject, `ZS/12/2026 – ${nazwa}: Ćma w śluzie ✅`);
  assert.equal(e.location, 'Łódź, ul. Źródlana 5');
  assert.ok(e.bodyHtml.includes(nazwa));
});

test('data is HTML-escaped in the body: <script> from Optima stays text', () => {
  const e = eventOf(makeOrderRow({ fields: { opis: '<script>alert("x")</script>', klient: { nazwa: 'A & B <i>', adres: '' } } }));
  assert.doesNotMatch(e.bodyHtml, /<script|<i>/);
  assert.match(e.bodyHtml, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;/);
  assert.match(e.bodyHtml, /A &amp; B &lt;i&gt;/);
  // The subject is plain text: shown literally, not escaped twice.
  assert.equal(e.subject, 'ZS/12/2026 – A & B <i>: <script>alert("x")</script>');
});

test('showAs: tentative for drafts, free for completed orders, busy otherwise; rules can be changed', () => {
  assert.equal(eventOf(makeOrderRow({ fields: { bufor: true } })).showAs, 'tentative');
  assert.equal(eventOf(makeOrderRow({ fields: { stanKod: 2, stan: 'Zrealizowane' } })).showAs, 'free');
  assert.equal(eventOf(makeOrderRow({ fields: { stanKod: 0 } })).showAs, 'busy');
  assert.equal(eventOf(makeOrderRow({ fields: { stanKod: 2 } }), { showAs: { completed: 'oof' } }).showAs, 'oof');
});

test('categories and reminder follow the context', () => {
  const e = eventOf(makeOrderRow(), { categories: ['Serwis', 'serwis', ' '], reminderMinutes: 30 });
  assert.deepEqual(e.categories, ['Serwis', 'W realizacji']);
  assert.equal(e.reminderMinutesBeforeStart, 30);
  const off = eventOf(makeOrderRow(), { reminderMinutes: null, stateCategory: false });
  assert.equal(off.isReminderOn, false);
  assert.deepEqual(off.categories, ['Optima Serwis']);
});

test('templates see raw columns, extra query results and the event times', () => {
  const compiled = compile({
    'serwis:zlecenie': {
      subject: '{{kolumny.SrZ_NumerPelny}} / {{dodatkowe.czesci.0.nazwa}}',
      body: '{{#each dodatkowe.czesci}}<li>{{nazwa}} × {{ilosc}}</li>{{/each}}',
      location: '{{dataGodzina poczatek}}–{{godzina koniec}}',
    },
  });
  const extra = { czesci: [{ nazwa: 'Uszczelka', ilosc: 2 }, { nazwa: 'Zawór', ilosc: 1 }] };
  const e = eventOf(makeOrderRow(), { compiled, extra });
  assert.equal(e.subject, 'ZS/12/2026 / Uszczelka');
  assert.equal(e.bodyHtml, '<li>Uszczelka × 2</li><li>Zawór × 1</li>');
  assert.equal(e.location, '30.03.2026 08:30–09:30');
});

test('render hash: identical input gives an identical hash; the mailbox is not part of it', () => {
  const a = desiredOf(render(makeOrderRow()));
  const b = desiredOf(render(makeOrderRow()));
  const other = desiredOf(render(makeOrderRow(), {}, 'anna@firma.pl'));
  assert.match(a.renderHash, /^[0-9a-f]{64}$/);
  assert.equal(a.renderHash, b.renderHash);
  assert.equal(a.renderHash, other.renderHash);
  assert.notEqual(a.mailbox, other.mailbox);
  // modifiedAt alone is not visible in the event: no rewrite for a touch without change.
  assert.equal(desiredOf(render(makeOrderRow({ modifiedAt: '2026-03-21 00:00:00.000' }))).renderHash, a.renderHash);
});

test('render hash: every visible change moves it', () => {
  const base = desiredOf(render(makeOrderRow())).renderHash;
  const variants: Array<[string, RenderResult]> = [
    ['opis', render(makeOrderRow({ fields: { opis: 'Przegląd roczny kotła.' } }))],
    ['etap (body only)', render(makeOrderRow({ fields: { etap: 'Naprawa' } }))],
    ['adres (location)', render(makeOrderRow({ fields: { klient: { nazwa: 'Kowalski Sp. z o.o.', adres: 'ul. Długa 2, 30-001 Kraków' } } }))],
    ['start', render(makeOrderRow({ start: '2026-03-30T08:31:00' }))],
    ['end', render(makeOrderRow({ end: '2026-03-30T10:00:00' }))],
    ['zone', render(makeOrderRow(), { timeZone: 'Europe/London' })],
    ['showAs', render(makeOrderRow({ fields: { bufor: true } }))],
    ['category', render(makeOrderRow(), { categories: ['Serwis'] })],
    ['reminder', render(makeOrderRow(), { reminderMinutes: 10 })],
    ['template', render(makeOrderRow(), { compiled: compile(selectDefaultTemplates('en')) })],
  ];
  const seen = new Set([base]);
  for (const [name, r] of variants) {
    const hash = desiredOf(r).renderHash;
    assert.ok(!seen.has(hash), `${name} did not change the hash`);
    seen.add(hash);
  }
});

test('render hash does not depend on the order an event object was built in', () => {
  const e = eventOf(makeOrderRow());
  const reversed = Object.fromEntries(Object.entries(e).reverse()) as unknown as CalendarEvent;
  assert.equal(computeRenderHash(reversed), computeRenderHash(e));
  assert.notEqual(computeRenderHash({ ...e, categories: [...e.categories].reverse() }), computeRenderHash(e));
});
