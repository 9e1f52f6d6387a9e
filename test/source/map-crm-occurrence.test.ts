import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mapCrmOccurrence, readCrmOccurrenceState } from '../../server/source/optima/map-crm-occurrence.ts';
import { mapCrmTask } from '../../server/source/optima/map-crm-task.ts';
import { renderEvent, type RenderContext } from '../../server/render/render-event.ts';
import { compileTemplates, type TemplateSet } from '../../server/render/templates.ts';
import { DEFAULT_TEMPLATES_EN, DEFAULT_TEMPLATES_PL } from '../../server/render/default-templates.ts';
import type { DesiredEvent } from '../../server/domain/types.ts';

/** The task's columns as both crm-zadania-changed.sql and crm-wystapienia-changed.sql return them. */
const TASK: Readonly<Record<string, unknown>> = {
  CRK_CRKId: 40,
  CRK_Zadanie: 1,
  CRK_NumerPelny: 'ZAD/40/2026',
  CRK_Temat: 'Cotygodniowa odprawa działu sprzedaży',
  CRK_Opis: 'Plan tygodnia.',
  CRK_Lokalizacja: 'Biuro, sala 2',
  CRK_DataDok: '2026-05-01 00:00:00.000',
  CRK_OpiekunTyp: 3,
  CRK_OpiekunId: 1,
  CRK_Bufor: 1,
  CRK_Anulowany: 0,
  CRK_Priorytet: 2,
  CRK_EtapRealizacji: 6,
  DEt_Kod: 'KONTAKT',
  DEt_Opis: 'Pierwszy kontakt',
  CRK_PodmiotTyp: 1,
  CRK_PodID: 2,
  CRK_OsobaNazwisko: 'Ewa Zielińska',
  Pod_Kod: 'KLIENT002',
  Pod_Nazwa1: 'Przychodnia Zdrowie Sp. z o.o.',
  Pod_Nazwa2: '',
  Pod_Ulica: 'Żółkiewskiego',
  Pod_NrDomu: '38',
  Pod_NrLokalu: '',
  Pod_KodPocztowy: '31-539',
  Pod_Miasto: 'Kraków',
  Pod_Poczta: '',
  Pod_Telefon1: '+48 617 371 677',
  Pod_Email: 'biuro2@klient-demo.pl',
  CRK_TS_Mod: '2026-05-14 15:00:07.350',
};

function occurrenceRow(patch: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    CRC_CRCId: 3,
    CRC_TerminOd: '2026-05-22 09:00:00.000',
    CRC_TerminDo: '2026-05-22 10:00:00.000',
    CRC_Przypomnienie: 1,
    CRC_CzasPrzypomnienia: '2026-05-22 08:45:00.000',
    CRC_Bufor: 1,
    CRC_Aktywny: 1,
    ...TASK,
    ...patch,
  };
}

function context(set: TemplateSet): RenderContext {
  const compiled = compileTemplates(set);
  assert.ok(compiled.ok, JSON.stringify(!compiled.ok && compiled.errors));
  return { compiled: compiled.compiled, timeZone: 'Europe/Warsaw', defaultDurationMinutes: 60 };
}

function desiredOf(result: ReturnType<typeof renderEvent>): DesiredEvent {
  assert.ok('desired' in result, JSON.stringify(result));
  return result.desired;
}

test('an occurrence is its own record: key by CRC_CRCId, the task\'s stamp as watermark, its own term, the task\'s owner', () => {
  const row = mapCrmOccurrence(occurrenceRow());
  assert.equal(row.key, 'crm:wystapienie:3');
  assert.equal(row.kind, 'crm:wystapienie');
  assert.equal(row.id, 3);
  assert.equal(row.modifiedAt, '2026-05-14 15:00:07.350', 'CrmKontaktyCykl has no TS_Mod: the task\'s stamp is the watermark');
  assert.equal(row.start, '2026-05-22T09:00:00');
  assert.equal(row.end, '2026-05-22T10:00:00');
  assert.deepEqual(row.owner, { type: 'pracownik', id: 1 });
  assert.equal(row.fields.zadanieId, 40);
  assert.equal(row.fields.wystapienie, true);
  assert.equal(row.importance, 'high', 'the task\'s priority');
  assert.equal(row.reminderAt, '2026-05-22T08:45:00', 'the occurrence\'s own reminder');
});

test('the fields are the task\'s fields, except state and reminder, plus the task id', () => {
  const occurrence = mapCrmOccurrence(occurrenceRow({ CRC_Bufor: 0 }));
  const task = mapCrmTask({ ...TASK, CRK_TerminOd: '2026-05-01 09:00:00.000', CRK_TerminDo: '2026-05-01 10:00:00.000', CRK_Przypomnienie: 0, CRK_CzasPrzypomnienia: null });
  const own = new Set(['stan', 'anulowane', 'zamkniete', 'przypomnienie', 'czasPrzypomnienia', 'zadanieId', 'wystapienie']);
  for (const [name, value] of Object.entries(task.fields)) {
    if (own.has(name)) continue;
    assert.deepEqual(occurrence.fields[name], value, `fields.${name}`);
  }
  assert.deepEqual(Object.keys(occurrence.fields).filter((k) => !(k in task.fields)).sort(), ['wystapienie', 'zadanieId']);
  assert.equal(occurrence.fields.stan, 'zamknięte');
  assert.equal(occurrence.fields.zamkniete, true);
  assert.equal(occurrence.fields.przypomnienie, true);
  assert.equal(occurrence.fields.czasPrzypomnienia, '2026-05-22T08:45:00');
  assert.equal((occurrence.fields.klient as { nazwa: string }).nazwa, 'Przychodnia Zdrowie Sp. z o.o.');
});

test('state: cancelled with its task, closed with its task or by CRC_Bufor 0, else open', () => {
  assert.equal(readCrmOccurrenceState('anulowane', 1), 'anulowane');
  assert.equal(readCrmOccurrenceState('anulowane', 0), 'anulowane');
  assert.equal(readCrmOccurrenceState('zamknięte', 1), 'zamknięte');
  assert.equal(readCrmOccurrenceState('otwarte', 0), 'zamknięte');
  assert.equal(readCrmOccurrenceState('otwarte', 1), 'otwarte');
  assert.equal(readCrmOccurrenceState('otwarte', null), 'otwarte');
  assert.equal(mapCrmOccurrence(occurrenceRow({ CRK_Bufor: -1, CRK_Anulowany: 1 })).fields.anulowane, true);
  assert.equal(mapCrmOccurrence(occurrenceRow({ CRK_Bufor: 0 })).fields.stan, 'zamknięte');
  assert.equal(mapCrmOccurrence(occurrenceRow({ CRK_Anulowany: 1, CRC_Bufor: 0 })).fields.stan, 'anulowane');
});

test('reminder: none without the flag or with Optima\'s empty date; priority 0 leaves importance unset', () => {
  assert.equal(mapCrmOccurrence(occurrenceRow({ CRC_Przypomnienie: 0 })).reminderAt, null);
  assert.equal(mapCrmOccurrence(occurrenceRow({ CRC_CzasPrzypomnienia: '1899-12-30 00:00:00.000' })).reminderAt, null);
  assert.equal(mapCrmOccurrence(occurrenceRow({ CRC_Przypomnienie: 0 })).fields.czasPrzypomnienia, null);
  const low = mapCrmOccurrence(occurrenceRow({ CRK_Priorytet: 3 }));
  assert.equal(low.importance, 'low');
  assert.equal('importance' in mapCrmOccurrence(occurrenceRow({ CRK_Priorytet: 0 })), false);
});

test('a row without CRC_CRCId or without the task\'s CRK_TS_Mod is refused with the column to return', () => {
  assert.throws(() => mapCrmOccurrence(occurrenceRow({ CRC_CRCId: null })), /CRC_CRCId/);
  assert.throws(() => mapCrmOccurrence(occurrenceRow({ CRK_TS_Mod: undefined })), /CRK_TS_Mod/);
});

test('default templates: an occurrence reads like its task, the body says it is an occurrence of a cycle (pl and en)', () => {
  const row = mapCrmOccurrence(occurrenceRow());
  const pl = desiredOf(renderEvent(row, 'jan.kowalski@firma.pl', context(DEFAULT_TEMPLATES_PL))).event;
  assert.equal(pl.subject, 'Cotygodniowa odprawa działu sprzedaży');
  assert.equal(pl.location, 'Biuro, sala 2');
  assert.equal(pl.start, '2026-05-22T09:00:00');
  assert.equal(pl.end, '2026-05-22T10:00:00');
  assert.match(pl.bodyHtml, /Dokument CRM<\/th><td>Zadanie ZAD\/40\/2026 \(wystąpienie zadania cyklicznego\)/);
  assert.match(pl.bodyHtml, /Klient<\/th><td>Przychodnia Zdrowie/);
  const en = desiredOf(renderEvent(row, 'jan.kowalski@firma.pl', context(DEFAULT_TEMPLATES_EN))).event;
  assert.match(en.bodyHtml, /\(occurrence of a recurring task\)/);
  const task = desiredOf(renderEvent(mapCrmTask({ ...TASK, CRK_TerminOd: '2026-05-01 09:00:00.000', CRK_TerminDo: '2026-05-01 10:00:00.000' }), 'jan.kowalski@firma.pl', context(DEFAULT_TEMPLATES_PL))).event;
  assert.doesNotMatch(task.bodyHtml, /wystąpienie/, 'a task is not called an occurrence');
});
