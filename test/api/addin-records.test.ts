/**
 * Record views built from source rows (pure): each kind gets its own layout, and fields a mapping
 * does not (yet) give, or gives empty, come out as null instead of breaking the view.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RecordKind, SourceRow } from '../../server/domain/types.ts';
import type { SourcePerson } from '../../server/source/source-reader.ts';
import { toRecordView } from '../../server/api/addin-records.ts';

const ZONE = 'Europe/Warsaw';
const PEOPLE: readonly SourcePerson[] = [
  { type: 'pracownik', id: 4, code: 'MNOWAK', name: 'Marta Nowak', email: 'marta.nowak@firma.pl' },
  { type: 'operator', id: 2, code: 'SERWIS', name: 'Serwis Optima', email: null },
];

function row(kind: RecordKind, id: number, fields: Record<string, unknown>, extra: Partial<SourceRow> = {}): SourceRow {
  return {
    key: `${kind}:${id}`, kind, id, modifiedAt: '2026-05-10 08:00:00.000', start: '2026-05-14T09:00:00', end: '2026-05-14T10:30:00',
    owner: { type: 'pracownik', id: 4 }, fields, columns: {}, ...extra,
  };
}

test('an occurrence of a recurring task shows its parent task, customer, stage and participants', () => {
  const view = toRecordView(row('crm:wystapienie', 9001, {
    numer: 'ZAD/12/2026', temat: 'Cotygodniowy telefon do klienta', opis: 'Zapytać o zamówienie.\nPotwierdzić termin dostawy.',
    lokalizacja: 'Telefon', zadanie: true, rodzaj: 'Zadanie', stan: 'otwarte', priorytet: 'Wysoki', priorytetKod: 2,
    przypomnienie: true, czasPrzypomnienia: '2026-05-14T08:45:00', etap: 3, etapOpis: 'Negocjacje',
    klient: { nazwa: 'Hurtownia Bławatek', kod: 'BLAWATEK', adres: 'ul. Polna 3, 31-100 Kraków', telefon: '12 300 40 50', email: 'biuro@blawatek.pl' },
    osoba: 'Ewa Zielińska',
    uczestnicy: [
      { nazwisko: 'Marta Nowak', email: 'marta.nowak@firma.pl', organizator: true },
      { nazwisko: 'Jan Wiśniewski', email: null, organizator: false },
      { nazwisko: '', email: null, organizator: false },
    ],
    zadanieId: 12, wystapienie: true,
  }), ZONE, PEOPLE);
  assert.deepEqual(view, {
    kind: 'crm:wystapienie', id: 9001, numer: 'ZAD/12/2026', rodzaj: 'Zadanie',
    temat: 'Cotygodniowy telefon do klienta', opis: 'Zapytać o zamówienie.\nPotwierdzić termin dostawy.', lokalizacja: 'Telefon',
    stan: 'otwarte', etap: 'Negocjacje', priorytet: 'Wysoki', priorytetKod: 2,
    terminOd: '2026-05-14T09:00:00', terminDo: '2026-05-14T10:30:00', przypomnienie: '2026-05-14T08:45:00',
    opiekun: { type: 'pracownik', id: 4, name: 'Marta Nowak' },
    klient: { nazwa: 'Hurtownia Bławatek', adres: 'ul. Polna 3, 31-100 Kraków', telefon: '12 300 40 50', email: 'biuro@blawatek.pl' },
    osoba: 'Ewa Zielińska',
    uczestnicy: [
      { nazwisko: 'Marta Nowak', email: 'marta.nowak@firma.pl', organizator: true },
      { nazwisko: 'Jan Wiśniewski', email: null, organizator: false },
    ],
    wystapienie: true, zadanieId: 12, timeZone: ZONE,
  });
});

test('a CRM contact with only some fields: the rest is null, participants come from the row', () => {
  const view = toRecordView(row('crm:zadanie', 5, { numer: 'KON/5/2026', zadanie: false, zamkniete: true, klient: null, opis: '   ' }, {
    owner: null, end: null, participants: [{ name: 'Anna Kowalska', email: 'anna@klient.pl', organizer: false }],
  }), ZONE, null);
  assert.equal(view.kind, 'crm:zadanie');
  assert.ok(view.kind === 'crm:zadanie');
  assert.equal(view.rodzaj, 'Kontakt');
  assert.equal(view.stan, 'zamknięte');
  assert.equal(view.opis, null, 'a blank description is no description');
  assert.equal(view.temat, null);
  assert.equal(view.etap, null);
  assert.equal(view.przypomnienie, null);
  assert.equal(view.opiekun, null);
  assert.equal(view.terminDo, null);
  assert.deepEqual(view.klient, { nazwa: null, adres: null, telefon: null, email: null });
  assert.deepEqual(view.uczestnicy, [{ nazwisko: 'Anna Kowalska', email: 'anna@klient.pl', organizator: false }]);
  assert.equal(view.wystapienie, false);
  assert.equal(view.zadanieId, null);
});

test('a service activity names its technician, order and customer', () => {
  const view = toRecordView(row('serwis:czynnosc', 77, {
    numer: 'SRW/7/2026/2', czynnosc: 'Przegląd okresowy', czynnoscKod: 'USL-PRZEGLAD', opis: 'Zabrać drabinę.', zakonczona: true,
    zlecenie: { id: 7, numer: 'SRW/7/2026', opis: 'Kocioł gaśnie', stan: 'W realizacji', stanKod: 1 },
    klient: { nazwa: 'Piekarnia Kłos', adres: 'ul. Długa 5, 30-001 Kraków' }, telefon: '600 100 200',
    osobaKontaktowa: { nazwisko: 'Anna Nowak', telefon: '601 000 111' }, urzadzenie: 'Kocioł Vaillant',
  }, { owner: { type: 'operator', id: 2 } }), ZONE, PEOPLE);
  assert.deepEqual(view, {
    kind: 'serwis:czynnosc', id: 77, czynnosc: 'Przegląd okresowy', opis: 'Zabrać drabinę.', zakonczona: true,
    terminOd: '2026-05-14T09:00:00', terminDo: '2026-05-14T10:30:00',
    serwisant: { type: 'operator', id: 2, name: 'Serwis Optima' },
    zlecenie: { numer: 'SRW/7/2026', stan: 'W realizacji', opis: 'Kocioł gaśnie' },
    klient: { nazwa: 'Piekarnia Kłos', adres: 'ul. Długa 5, 30-001 Kraków', telefon: '600 100 200' },
    osobaKontaktowa: { nazwisko: 'Anna Nowak', telefon: '601 000 111' }, urzadzenie: 'Kocioł Vaillant', timeZone: ZONE,
  });
  const bare = toRecordView(row('serwis:czynnosc', 78, {}, { owner: null }), ZONE, null);
  assert.ok(bare.kind === 'serwis:czynnosc');
  assert.equal(bare.czynnosc, null);
  assert.equal(bare.zakonczona, false);
  assert.deepEqual(bare.zlecenie, { numer: null, stan: null, opis: null });
});

test('a service order keeps its own view', () => {
  const view = toRecordView(row('serwis:zlecenie', 3, { numer: 'SRW/3/2026', stan: 'Do realizacji', stanKod: 0 }), ZONE, PEOPLE);
  assert.equal(view.kind, 'serwis:zlecenie');
  assert.ok(view.kind === 'serwis:zlecenie');
  assert.equal(view.numer, 'SRW/3/2026');
  assert.equal(view.prowadzacy?.name, 'Marta Nowak');
});
