import { test } from 'node:test';
import assert from 'node:assert/strict';
import { labelCrmPriority, mapCrmTask, readCrmImportance } from '../../server/source/optima/map-crm-task.ts';
import { attachCrmParticipants } from '../../server/source/optima/map-crm-participants.ts';
import { renderEvent, type RenderContext } from '../../server/render/render-event.ts';
import { compileTemplates } from '../../server/render/templates.ts';
import { DEFAULT_TEMPLATES_EN, DEFAULT_TEMPLATES_PL } from '../../server/render/default-templates.ts';
import type { TemplateSet } from '../../server/render/templates.ts';
import type { DesiredEvent, SkippedRecord } from '../../server/domain/types.ts';

/** A row as `crm-zadania-changed.sql` returns it from SQLite (text datetimes). */
function taskRow(patch: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    CRK_CRKId: 17,
    CRK_Zadanie: 1,
    CRK_NumerPelny: 'ZAD/17/2026',
    CRK_Temat: '  Spotkanie handlowe — prezentacja  ',
    CRK_Opis: 'Przygotować cennik.\nZabrać próbki.',
    CRK_Lokalizacja: 'Siedziba klienta, Kraków',
    CRK_DataDok: '2026-05-18 00:00:00.000',
    CRK_TerminOd: '2026-05-20 09:30:00.000',
    CRK_TerminDo: '2026-05-20 11:00:00.000',
    CRK_OpiekunTyp: 8,
    CRK_OpiekunId: 3,
    CRK_Bufor: 1,
    CRK_Anulowany: 0,
    CRK_Priorytet: 2,
    CRK_Przypomnienie: 1,
    CRK_CzasPrzypomnienia: '2026-05-20 09:15:00.000',
    CRK_PodmiotTyp: 1,
    CRK_PodID: 4,
    CRK_OsobaNazwisko: 'Anna Kowalska',
    CRK_EtapRealizacji: 7,
    DEt_Kod: 'OFERTA',
    DEt_Opis: 'Oferta wysłana',
    Pod_Kod: 'ZLOTYKLOS',
    Pod_Nazwa1: 'Piekarnia „Złoty Kłos” ',
    Pod_Nazwa2: 's.c.',
    Pod_Ulica: 'Floriańska',
    Pod_NrDomu: '3',
    Pod_NrLokalu: '',
    Pod_KodPocztowy: '31-019',
    Pod_Miasto: 'Kraków',
    Pod_Poczta: '',
    Pod_Telefon1: '+48 601 234 567',
    Pod_Email: 'biuro@zloty-klos.example',
    CRK_TS_Mod: '2026-05-15 09:15:01.237',
    ...patch,
  };
}

/** The columns PodmiotyView gives when the subject is not found (LEFT JOIN). */
const NO_SUBJECT = {
  Pod_Kod: null, Pod_Nazwa1: null, Pod_Nazwa2: null, Pod_Ulica: null, Pod_NrDomu: null, Pod_NrLokalu: null,
  Pod_KodPocztowy: null, Pod_Miasto: null, Pod_Poczta: null, Pod_Telefon1: null, Pod_Email: null,
} as const;

function context(set: TemplateSet, patch: Partial<RenderContext> = {}): RenderContext {
  const compiled = compileTemplates(set);
  assert.ok(compiled.ok, JSON.stringify(!compiled.ok && compiled.errors));
  return { compiled: compiled.compiled, timeZone: 'Europe/Warsaw', defaultDurationMinutes: 60, ...patch };
}

function desiredOf(result: ReturnType<typeof renderEvent>): DesiredEvent {
  assert.ok('desired' in result, JSON.stringify(result));
  return result.desired;
}

function skipOf(result: ReturnType<typeof renderEvent>): SkippedRecord {
  assert.ok('skip' in result, JSON.stringify(result));
  return result.skip;
}

test('a CRM task becomes a record: key, CRK_TS_Mod watermark, its owner, its term, its fields', () => {
  const row = mapCrmTask(taskRow());
  assert.equal(row.key, 'crm:zadanie:17');
  assert.equal(row.kind, 'crm:zadanie');
  assert.equal(row.id, 17);
  assert.equal(row.modifiedAt, '2026-05-15 09:15:01.237');
  assert.deepEqual(row.owner, { type: 'operator', id: 3 });
  assert.equal(row.start, '2026-05-20T09:30:00');
  assert.equal(row.end, '2026-05-20T11:00:00');
  assert.equal(row.fields.temat, 'Spotkanie handlowe — prezentacja');
  assert.equal(row.fields.lokalizacja, 'Siedziba klienta, Kraków');
  assert.equal(row.fields.opis, 'Przygotować cennik.\nZabrać próbki.');
  assert.equal(row.fields.zadanie, true);
  assert.equal(row.fields.stan, 'otwarte');
  assert.equal(row.fields.priorytet, 'Wysoki');
  assert.equal(row.fields.numer, 'ZAD/17/2026');
  assert.equal(row.fields.przypomnienie, true);
  assert.equal(row.fields.czasPrzypomnienia, '2026-05-20T09:15:00');
  assert.equal(row.fields.osoba, 'Anna Kowalska');
});

test('owner types 3 = employee, 8 = operator, else nobody; states from CRK_Bufor and CRK_Anulowany; priority labels as BI', () => {
  assert.deepEqual(mapCrmTask(taskRow({ CRK_OpiekunTyp: 3, CRK_OpiekunId: 5 })).owner, { type: 'pracownik', id: 5 });
  assert.equal(mapCrmTask(taskRow({ CRK_OpiekunTyp: 1 })).owner, null);
  assert.equal(mapCrmTask(taskRow({ CRK_Bufor: 0 })).fields.stan, 'zamknięte');
  assert.equal(mapCrmTask(taskRow({ CRK_Bufor: -1 })).fields.stan, 'anulowane');
  assert.equal(mapCrmTask(taskRow({ CRK_Bufor: 0, CRK_Anulowany: 1 })).fields.stan, 'anulowane');
  assert.deepEqual([1, 2, 3, 4, 0, null].map(labelCrmPriority), ['Najwyższy', 'Wysoki', 'Niski', 'Najniższy', 'Najniższy', 'Najniższy']);
  assert.equal(mapCrmTask(taskRow({ CRK_Przypomnienie: 0 })).fields.czasPrzypomnienia, null);
});

test('the customer comes from PodmiotyView: name lines 1–2, code, one-line address, phone, e-mail; without one, the contact person', () => {
  const row = mapCrmTask(taskRow());
  assert.deepEqual(row.fields.klient, {
    nazwa: 'Piekarnia „Złoty Kłos” s.c.',
    kod: 'ZLOTYKLOS',
    ulica: 'Floriańska',
    nrDomu: '3',
    nrLokalu: null,
    kodPocztowy: '31-019',
    miasto: 'Kraków',
    poczta: null,
    adres: 'ul. Floriańska 3, 31-019 Kraków',
    telefon: '+48 601 234 567',
    email: 'biuro@zloty-klos.example',
    podmiotTyp: 1,
    podmiotId: 4,
  });
  assert.equal(row.fields.osoba, 'Anna Kowalska', 'the contact person stays a field of its own');
  const none = mapCrmTask(taskRow({ ...NO_SUBJECT, CRK_PodmiotTyp: null, CRK_PodID: null }));
  assert.equal((none.fields.klient as { nazwa: string }).nazwa, 'Anna Kowalska');
  assert.equal((none.fields.klient as { adres: string }).adres, '');
  assert.equal((mapCrmTask(taskRow({ ...NO_SUBJECT, CRK_OsobaNazwisko: ' ' })).fields.klient as { nazwa: unknown }).nazwa, null);
  assert.equal((mapCrmTask(taskRow({ Pod_Nazwa2: null })).fields.klient as { nazwa: string }).nazwa, 'Piekarnia „Złoty Kłos”');
});

test('the CRM stage: its code and description, or nothing', () => {
  const row = mapCrmTask(taskRow());
  assert.equal(row.fields.etap, 'OFERTA');
  assert.equal(row.fields.etapOpis, 'Oferta wysłana');
  const none = mapCrmTask(taskRow({ DEt_Kod: null, DEt_Opis: null }));
  assert.equal(none.fields.etap, null);
  assert.equal(none.fields.etapOpis, null);
});

test('priority → importance: 1 and 2 high, 3 and 4 low, anything else not set', () => {
  assert.deepEqual([1, 2, 3, 4, 0, 5, null, '2'].map(readCrmImportance), ['high', 'high', 'low', 'low', undefined, undefined, undefined, 'high']);
  assert.equal(mapCrmTask(taskRow({ CRK_Priorytet: 1 })).importance, 'high');
  assert.equal(mapCrmTask(taskRow({ CRK_Priorytet: 4 })).importance, 'low');
  const unset = mapCrmTask(taskRow({ CRK_Priorytet: 0 }));
  assert.equal('importance' in unset, false, 'absent, so events made before importance existed keep their render hash');
});

test('Optima\'s reminder: its time when CRK_Przypomnienie is on and the time set, else none', () => {
  assert.equal(mapCrmTask(taskRow()).reminderAt, '2026-05-20T09:15:00');
  assert.equal(mapCrmTask(taskRow({ CRK_Przypomnienie: 0 })).reminderAt, null);
  assert.equal(mapCrmTask(taskRow({ CRK_CzasPrzypomnienia: '1899-12-30 00:00:00.000' })).reminderAt, null);
  assert.equal(mapCrmTask(taskRow({ CRK_CzasPrzypomnienia: null })).reminderAt, null);
});

test('a contact without a term sits at its document date for the default duration; a contact with a term keeps it', () => {
  const bare = mapCrmTask(taskRow({ CRK_Zadanie: 0, CRK_TerminOd: '1899-12-30 00:00:00.000', CRK_TerminDo: '1899-12-30 00:00:00.000', CRK_DataDok: '2026-05-31 23:30:00.000' }));
  assert.equal(bare.fields.zadanie, false);
  assert.equal(bare.start, '2026-05-31T23:30:00');
  assert.equal(bare.end, null, 'no end: the renderer applies calendar.defaultDurationMinutes');
  const event = desiredOf(renderEvent(bare, 'anna@firma.pl', context(DEFAULT_TEMPLATES_PL, { defaultDurationMinutes: 45 }))).event;
  assert.equal(event.end, '2026-06-01T00:15:00', 'the default duration crosses midnight and the month');
  const termed = mapCrmTask(taskRow({ CRK_Zadanie: 0 }));
  assert.equal(termed.start, '2026-05-20T09:30:00');
  assert.equal(termed.end, '2026-05-20T11:00:00');
});

test('a row without an id or without CRK_TS_Mod is refused with the column to return', () => {
  assert.throws(() => mapCrmTask(taskRow({ CRK_CRKId: null })), /CRK_CRKId/);
  assert.throws(() => mapCrmTask(taskRow({ CRK_TS_Mod: undefined })), /CRK_TS_Mod/);
});

test('default templates: subject = topic, location = CRK_Lokalizacja, body with description, priority and state (pl and en)', () => {
  const row = mapCrmTask(taskRow());
  const pl = desiredOf(renderEvent(row, 'anna@firma.pl', context(DEFAULT_TEMPLATES_PL))).event;
  assert.equal(pl.subject, 'Spotkanie handlowe — prezentacja');
  assert.equal(pl.location, 'Siedziba klienta, Kraków');
  assert.match(pl.bodyHtml, /Przygotować cennik\.<br>/);
  assert.match(pl.bodyHtml, /Priorytet<\/th><td>Wysoki/);
  assert.match(pl.bodyHtml, /Stan<\/th><td>otwarte/);
  assert.equal(pl.showAs, 'busy');
  assert.deepEqual(pl.categories, ['Optima CRM']);
  const en = desiredOf(renderEvent(row, 'anna@firma.pl', context(DEFAULT_TEMPLATES_EN))).event;
  assert.match(en.bodyHtml, /Priority<\/th><td>Wysoki/);
  const untitled = desiredOf(renderEvent(mapCrmTask(taskRow({ CRK_Temat: '' })), 'anna@firma.pl', context(DEFAULT_TEMPLATES_PL))).event;
  assert.equal(untitled.subject, 'Zadanie ZAD/17/2026');
});

test('default templates: customer, address, phone, stage and participants in the body (pl and en); no participants row without them', () => {
  const participants = new Map([[17, [
    { name: 'Katarzyna Nowak', email: 'katarzyna.nowak@firma.pl', organizer: true },
    { name: 'GSOBCZAK', email: null, organizer: false },
  ]]]);
  const row = attachCrmParticipants(mapCrmTask(taskRow()), participants);
  const pl = desiredOf(renderEvent(row, 'anna@firma.pl', context(DEFAULT_TEMPLATES_PL))).event.bodyHtml;
  assert.match(pl, /Klient<\/th><td>Piekarnia „Złoty Kłos” s\.c\./);
  assert.match(pl, /Adres<\/th><td>ul\. Floriańska 3, 31-019 Kraków/);
  assert.match(pl, /Telefon<\/th><td><a href="tel:\+48601234567">/);
  assert.match(pl, /Etap<\/th><td>OFERTA – Oferta wysłana/);
  assert.match(pl, /Uczestnicy<\/th><td>Katarzyna Nowak \(organizator\), katarzyna\.nowak@firma\.pl<br>GSOBCZAK<\/td>/);
  const en = desiredOf(renderEvent(row, 'anna@firma.pl', context(DEFAULT_TEMPLATES_EN))).event.bodyHtml;
  assert.match(en, /Participants<\/th><td>Katarzyna Nowak \(organizer\)/);
  assert.match(en, /Customer<\/th><td>Piekarnia/);
  const alone = desiredOf(renderEvent(attachCrmParticipants(mapCrmTask(taskRow()), new Map()), 'anna@firma.pl', context(DEFAULT_TEMPLATES_PL))).event.bodyHtml;
  assert.doesNotMatch(alone, /Uczestnicy/);
  const personOnly = desiredOf(renderEvent(mapCrmTask(taskRow({ ...NO_SUBJECT })), 'anna@firma.pl', context(DEFAULT_TEMPLATES_PL))).event.bodyHtml;
  assert.doesNotMatch(personOnly, /Klient<\/th>/, 'the contact person is not repeated as the customer');
  assert.match(personOnly, /Osoba kontaktowa<\/th><td>Anna Kowalska/);
});

test('closed tasks are marked done by default or removed; cancelled ones removed by default or marked', () => {
  const ctx = context(DEFAULT_TEMPLATES_PL);
  const closed = desiredOf(renderEvent(mapCrmTask(taskRow({ CRK_Bufor: 0 })), 'anna@firma.pl', ctx)).event;
  assert.ok(closed.subject.startsWith('✔ '), closed.subject);
  assert.equal(closed.showAs, 'free');
  assert.deepEqual(closed.categories, ['Optima CRM', 'Zakończone']);
  const looks = { closed: { mode: 'remove', category: 'Zakończone', subjectPrefix: '✔ ' }, cancelled: { mode: 'mark', category: 'Anulowane', subjectPrefix: '✖ ' } } as const;
  assert.equal(skipOf(renderEvent(mapCrmTask(taskRow({ CRK_Bufor: 0 })), 'anna@firma.pl', context(DEFAULT_TEMPLATES_PL, { crm: looks }))).reason, 'filtered');
  const cancelledRow = mapCrmTask(taskRow({ CRK_Bufor: -1, CRK_Anulowany: 1 }));
  const removed = skipOf(renderEvent(cancelledRow, 'anna@firma.pl', ctx));
  assert.equal(removed.reason, 'filtered');
  assert.match(removed.detail, /crm\.cancelled/);
  const marked = desiredOf(renderEvent(cancelledRow, 'anna@firma.pl', context(DEFAULT_TEMPLATES_PL, { crm: looks }))).event;
  assert.ok(marked.subject.startsWith('✖ '));
  assert.equal(marked.showAs, 'free');
  assert.deepEqual(marked.categories, ['Optima CRM', 'Anulowane']);
});
