import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mapServiceActivity } from '../../server/source/optima/map-service-activity.ts';
import { renderEvent, type RenderContext } from '../../server/render/render-event.ts';
import { compileTemplates } from '../../server/render/templates.ts';
import { DEFAULT_TEMPLATES_EN, DEFAULT_TEMPLATES_PL } from '../../server/render/default-templates.ts';
import type { TemplateSet } from '../../server/render/templates.ts';
import type { DesiredEvent, SkippedRecord } from '../../server/domain/types.ts';

/** A row as `serwis-czynnosci-changed.sql` returns it from SQLite (text datetimes). */
function activityRow(patch: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    SrY_SrYId: 7,
    SrY_SrZId: 42,
    SrY_Lp: 2,
    SrY_TwrKod: 'USL-PRZEGLAD',
    SrY_TwrNazwa: 'Przegląd okresowy',
    SrY_Opis: 'Zabrać drabinę.\nKlient prosi o telefon.',
    SrY_SerwisantTyp: 8,
    SrY_SerwisantId: 3,
    SrY_TerminOd: '2026-05-20 09:30:00.000',
    SrY_TerminDo: '2026-05-20 11:00:00.000',
    SrY_DataWykonania: null,
    SrY_Zakonczona: 0,
    SrY_RezerwujCzas: 1,
    SrY_Przypomnienie: 0,
    SrY_CzasPrzypomnienia: '1899-12-30 00:00:00.000',
    SrZ_NumerPelny: 'SRW/42/2026',
    SrZ_Opis: 'Kocioł nie grzeje',
    SrZ_Stan: 1,
    SrZ_Bufor: 0,
    SrZ_ProwadzacyTyp: 3,
    SrZ_ProwadzacyId: 2,
    SrZ_PodNazwa1: 'Szkoła Podstawowa nr 12',
    SrZ_PodNazwa2: '',
    SrZ_PodNazwa3: '',
    SrZ_PodUlica: 'Żółkiewskiego',
    SrZ_PodNrDomu: '12',
    SrZ_PodNrLokalu: '4',
    SrZ_PodKodPocztowy: '31-539',
    SrZ_PodMiasto: 'Kraków',
    SrZ_PodPoczta: 'Kraków',
    SrZ_Telefon: '+48 601 234 567',
    SrZ_Email: 'biuro@szkola.example',
    SrZ_ZlecajacyNazwisko: 'Łucja Wróbel',
    SrZ_ZlecajacyTelefon: '',
    SrU_Kod: 'URZ/0001',
    SrU_Nazwa: 'Kocioł gazowy Vaillant',
    SrZ_TS_Mod: '2026-05-15 09:15:01.237',
    ...patch,
  };
}

function context(set: TemplateSet, patch: Partial<RenderContext> = {}): RenderContext {
  const compiled = compileTemplates(set);
  assert.ok(compiled.ok, JSON.stringify(!compiled.ok && compiled.errors));
  return { compiled: compiled.compiled, timeZone: 'Europe/Warsaw', defaultDurationMinutes: 60, ...patch };
}

function desiredOf(result: ReturnType<typeof renderEvent>): DesiredEvent {
  assert.ok('desired' in result, JSON.stringify(result));
  return result.desired;
}

test('an activity becomes its own record: key, the parent order\'s stamp as watermark, its worker, its planned times', () => {
  const row = mapServiceActivity(activityRow());
  assert.equal(row.key, 'serwis:czynnosc:7');
  assert.equal(row.kind, 'serwis:czynnosc');
  assert.equal(row.id, 7);
  assert.equal(row.modifiedAt, '2026-05-15 09:15:01.237', 'SrsCzynnosci has no TS_Mod: the order\'s stamp is the watermark');
  assert.deepEqual(row.owner, { type: 'operator', id: 3 }, 'the worker (SrY_Serwisant), not the order\'s leader');
  assert.equal(row.start, '2026-05-20T09:30:00');
  assert.equal(row.end, '2026-05-20T11:00:00');
  assert.equal(row.fields.czynnosc, 'Przegląd okresowy');
  assert.equal(row.fields.zakonczona, false);
  assert.deepEqual(row.fields.zlecenie, {
    id: 42, numer: 'SRW/42/2026', opis: 'Kocioł nie grzeje', stan: 'W realizacji', stanKod: 1, bufor: false, prowadzacy: { type: 'pracownik', id: 2 },
  });
  assert.equal((row.fields.klient as { adres: string }).adres, 'ul. Żółkiewskiego 12/4, 31-539 Kraków');
  assert.equal(row.fields.numer, 'SRW/42/2026/2', 'messages name the order and the line');
});

test('worker types: 3 = employee, 8 = operator, anything else nobody; the item code stands in for a missing name', () => {
  assert.deepEqual(mapServiceActivity(activityRow({ SrY_SerwisantTyp: 3, SrY_SerwisantId: 5 })).owner, { type: 'pracownik', id: 5 });
  assert.equal(mapServiceActivity(activityRow({ SrY_SerwisantTyp: 1, SrY_SerwisantId: 5 })).owner, null);
  assert.equal(mapServiceActivity(activityRow({ SrY_SerwisantId: 0 })).owner, null);
  assert.equal(mapServiceActivity(activityRow({ SrY_TwrNazwa: '  ' })).fields.czynnosc, 'USL-PRZEGLAD');
  assert.equal(mapServiceActivity(activityRow({ SrY_Zakonczona: 1 })).fields.zakonczona, true);
});

test('Optima\'s reminder of an activity: its time when the flag is on and the time set, else none', () => {
  assert.equal(mapServiceActivity(activityRow()).reminderAt, null, 'flag off');
  assert.equal(mapServiceActivity(activityRow({ SrY_Przypomnienie: 1, SrY_CzasPrzypomnienia: '2026-05-20 09:00:00.000' })).reminderAt, '2026-05-20T09:00:00');
  assert.equal(mapServiceActivity(activityRow({ SrY_Przypomnienie: 1 })).reminderAt, null, 'flag on, empty date 1899-12-30');
  assert.equal(mapServiceActivity(activityRow({ SrY_Przypomnienie: 0, SrY_CzasPrzypomnienia: '2026-05-20 09:00:00.000' })).reminderAt, null, 'a time without the flag');
  assert.equal(mapServiceActivity(activityRow({ SrY_Przypomnienie: 1, SrY_CzasPrzypomnienia: new Date(Date.UTC(2026, 4, 20, 9, 5)) })).reminderAt, '2026-05-20T09:05:00', 'mssql Date, wall clock in UTC fields');
});

test('a row without an activity id or without the order\'s stamp is refused with the column to return', () => {
  assert.throws(() => mapServiceActivity(activityRow({ SrY_SrYId: null })), /SrY_SrYId/);
  assert.throws(() => mapServiceActivity(activityRow({ SrZ_TS_Mod: undefined })), /SrZ_TS_Mod/);
});

test('default templates: the subject names the activity, the order and the customer; the body carries both descriptions', () => {
  const row = mapServiceActivity(activityRow());
  const pl = desiredOf(renderEvent(row, 'anna@firma.pl', context(DEFAULT_TEMPLATES_PL))).event;
  assert.equal(pl.subject, 'Przegląd okresowy – SRW/42/2026 Szkoła Podstawowa nr 12');
  assert.equal(pl.location, 'ul. Żółkiewskiego 12/4, 31-539 Kraków');
  assert.match(pl.bodyHtml, /Opis czynności<\/th><td>Zabrać drabinę\.<br/);
  assert.match(pl.bodyHtml, /Opis zlecenia<\/th><td>Kocioł nie grzeje/);
  assert.doesNotMatch(pl.bodyHtml, /Osoba kontaktowa<\/th><td>Łucja Wróbel, /, 'no dangling comma without a phone');
  assert.equal(pl.start, '2026-05-20T09:30:00');
  assert.equal(pl.end, '2026-05-20T11:00:00', 'the activity\'s own end, not the default duration');
  assert.equal(pl.showAs, 'busy');
  assert.deepEqual(pl.categories, ['Optima Serwis']);
  const en = desiredOf(renderEvent(row, 'anna@firma.pl', context(DEFAULT_TEMPLATES_EN))).event;
  assert.match(en.bodyHtml, /Activity description/);
  const unnamed = desiredOf(renderEvent(mapServiceActivity(activityRow({ SrY_TwrNazwa: null, SrY_TwrKod: null })), 'anna@firma.pl', context(DEFAULT_TEMPLATES_PL))).event;
  assert.match(unnamed.subject, /^Czynność – SRW\/42\/2026/);
});

test('a done activity is marked (free, "Wykonane", ✔ prefix) by default, or removed when configured', () => {
  const done = mapServiceActivity(activityRow({ SrY_Zakonczona: 1 }));
  const marked = desiredOf(renderEvent(done, 'anna@firma.pl', context(DEFAULT_TEMPLATES_PL))).event;
  assert.equal(marked.subject, '✔ Przegląd okresowy – SRW/42/2026 Szkoła Podstawowa nr 12');
  assert.equal(marked.showAs, 'free');
  assert.deepEqual(marked.categories, ['Optima Serwis', 'Wykonane']);
  const removed = renderEvent(done, 'anna@firma.pl', context(DEFAULT_TEMPLATES_PL, { doneActivity: { mode: 'remove', category: 'Wykonane', subjectPrefix: '✔ ' } }));
  assert.ok('skip' in removed);
  const skip: SkippedRecord = removed.skip;
  assert.equal(skip.reason, 'filtered', 'filtered: a linked event is deleted by the plan');
  assert.match(skip.detail, /zakończona.*activities\.done/);
  // An open activity is not touched by the setting.
  const open = mapServiceActivity(activityRow());
  assert.ok('desired' in renderEvent(open, 'anna@firma.pl', context(DEFAULT_TEMPLATES_PL, { doneActivity: { mode: 'remove', category: 'Wykonane', subjectPrefix: '✔ ' } })));
});
