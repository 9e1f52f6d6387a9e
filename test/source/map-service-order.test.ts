import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatAddress, mapServiceOrder, pickStart } from '../../server/source/optima/map-service-order.ts';
import { mapEmployees, mapOperators } from '../../server/source/optima/map-people.ts';

/** A row as `serwis-zlecenia-changed.sql` returns it from SQLite (text datetimes). */
function orderRow(patch: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    SrZ_SrZId: 42,
    SrZ_NumerPelny: 'SRW/42/2026',
    SrZ_Opis: 'Kocioł nie grzeje',
    SrZ_Stan: 1,
    SrZ_Bufor: 0,
    SrZ_Priorytet: 2,
    SrZ_DataDok: '2026-03-27 00:00:00.000',
    SrZ_DataPrzyjecia: '2026-03-27 09:12:00.000',
    SrZ_DataRealizacji: '2026-03-29 02:30:00.000',
    SrZ_DataZamkniecia: '1899-12-30 00:00:00.000',
    SrZ_ProwadzacyTyp: 3,
    SrZ_ProwadzacyId: 2,
    SrZ_PodNazwa1: 'Szkoła Podstawowa nr 12',
    SrZ_PodNazwa2: 'im. Marii Skłodowskiej-Curie',
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
    SrZ_ZlecajacyTelefon: '+48 602 000 111',
    DEt_Kod: 'NAPRAWA',
    DEt_Opis: 'Naprawa w toku',
    Kat_KodOgolny: 'SERWIS',
    Kat_KodSzczegol: 'PRZEGLĄD',
    SrU_Kod: 'URZ/0001',
    SrU_Nazwa: 'Kocioł gazowy Vaillant',
    SrZ_TS_Mod: '2026-03-27 09:15:01.237',
    ...patch,
  };
}

test('maps a service order to its source key, watermark, start and owner', () => {
  const row = mapServiceOrder(orderRow());
  assert.equal(row.key, 'serwis:zlecenie:42');
  assert.equal(row.kind, 'serwis:zlecenie');
  assert.equal(row.id, 42);
  assert.equal(row.modifiedAt, '2026-03-27 09:15:01.237', 'full millisecond precision');
  assert.equal(row.start, '2026-03-29T02:30:00', 'the wall clock is kept, even inside the DST gap');
  assert.equal(row.end, null);
  assert.deepEqual(row.owner, { type: 'pracownik', id: 2 });
});

test('friendly fields carry what a template needs, in Polish', () => {
  const { fields } = mapServiceOrder(orderRow());
  assert.equal(fields.numer, 'SRW/42/2026');
  assert.equal(fields.stan, 'W realizacji');
  assert.equal(fields.stanKod, 1);
  assert.equal(fields.bufor, false);
  assert.equal(fields.etap, 'NAPRAWA');
  assert.equal(fields.kategoria, 'PRZEGLĄD');
  assert.equal(fields.urzadzenie, 'Kocioł gazowy Vaillant');
  assert.equal(fields.priorytet, 2);
  assert.deepEqual(fields.klient, {
    nazwa: 'Szkoła Podstawowa nr 12 im. Marii Skłodowskiej-Curie',
    ulica: 'Żółkiewskiego',
    nrDomu: '12',
    nrLokalu: '4',
    kodPocztowy: '31-539',
    miasto: 'Kraków',
    poczta: 'Kraków',
    adres: 'ul. Żółkiewskiego 12/4, 31-539 Kraków',
  });
  assert.deepEqual(fields.osobaKontaktowa, { nazwisko: 'Łucja Wróbel', telefon: '+48 602 000 111' });
  assert.equal(fields.dataPrzyjecia, '2026-03-27T09:12:00');
  assert.equal(fields.dataZamkniecia, null, "Optima's 1899-12-30 means no date");
  assert.deepEqual(fields.prowadzacy, { type: 'pracownik', id: 2 });
});

test('every SrZ_Stan has its label; buffer rows are flagged', () => {
  assert.equal(mapServiceOrder(orderRow({ SrZ_Stan: 0 })).fields.stan, 'Do realizacji');
  assert.equal(mapServiceOrder(orderRow({ SrZ_Stan: 2 })).fields.stan, 'Zrealizowane');
  assert.equal(mapServiceOrder(orderRow({ SrZ_Stan: 3 })).fields.stan, 'Stan 3');
  assert.equal(mapServiceOrder(orderRow({ SrZ_Bufor: 1 })).fields.bufor, true);
});

test('owner: 3 is an employee, 8 an operator, anything else nobody', () => {
  assert.deepEqual(mapServiceOrder(orderRow({ SrZ_ProwadzacyTyp: 8, SrZ_ProwadzacyId: 2 })).owner, { type: 'operator', id: 2 });
  assert.equal(mapServiceOrder(orderRow({ SrZ_ProwadzacyTyp: 1, SrZ_ProwadzacyId: 2 })).owner, null);
  assert.equal(mapServiceOrder(orderRow({ SrZ_ProwadzacyTyp: null, SrZ_ProwadzacyId: null })).owner, null);
  assert.equal(mapServiceOrder(orderRow({ SrZ_ProwadzacyTyp: 3, SrZ_ProwadzacyId: 0 })).owner, null);
});

test('start falls back from the realization date to the date received, and is null when neither is set', () => {
  assert.equal(mapServiceOrder(orderRow({ SrZ_DataRealizacji: '1899-12-30 00:00:00.000' })).start, '2026-03-27T09:12:00');
  assert.equal(mapServiceOrder(orderRow({ SrZ_DataRealizacji: null })).start, '2026-03-27T09:12:00');
  assert.equal(mapServiceOrder(orderRow({ SrZ_DataRealizacji: null, SrZ_DataPrzyjecia: '1899-12-30 00:00:00.000' })).start, null);
});

test('text that is not a date is passed on, not dropped, so render can report it', () => {
  assert.equal(pickStart('31.02.2026 10:00', '2026-03-27 09:12:00.000'), '31.02.2026 10:00');
  assert.equal(mapServiceOrder(orderRow({ SrZ_DataRealizacji: 'jutro rano' })).start, 'jutro rano');
  assert.equal(pickStart('2026-02-30 10:00:00.000'), '2026-02-30T10:00:00', 'shape-valid impossible days reach render too');
});

test('mssql Date values (wall clock in UTC fields) map like SQLite text', () => {
  const row = mapServiceOrder(
    orderRow({
      SrZ_DataRealizacji: new Date(Date.UTC(2026, 9, 25, 2, 30)),
      SrZ_TS_Mod: new Date(Date.UTC(2026, 2, 27, 9, 15, 1, 237)),
    }),
  );
  assert.equal(row.start, '2026-10-25T02:30:00');
  assert.equal(row.modifiedAt, '2026-03-27 09:15:01.237');
  assert.equal(row.columns.SrZ_TS_Mod, '2026-03-27 09:15:01.237', 'raw columns look the same whichever driver read them');
});

test('a row of NULLs, a 10k-character description, control characters and emoji map without loss', () => {
  const opis = `  Zgłoszenie:\t„pilne” 👩‍🔧🇵🇱\u0000\u0001\u001b[31m\r\n${'ąęłńóśźż'.repeat(1250)}\n`;
  const nulls = Object.fromEntries(Object.keys(orderRow()).map((k) => [k, null]));
  const row = mapServiceOrder({ ...nulls, SrZ_SrZId: 7, SrZ_TS_Mod: '2026-01-02 03:04:05.007', SrZ_Opis: opis });
  assert.equal(row.fields.opis, opis);
  assert.equal((row.fields.opis as string).length, opis.length);
  assert.equal(row.columns.SrZ_Opis, opis);
  assert.equal(row.start, null);
  assert.equal(row.owner, null);
  assert.equal(row.fields.stan, null);
  assert.equal(row.fields.numer, null);
  assert.equal((row.fields.klient as { adres: string }).adres, '');
  assert.equal((row.fields.klient as { nazwa: string | null }).nazwa, null);
});

test('a row without id or watermark is refused with the column it needs', () => {
  assert.throws(() => mapServiceOrder(orderRow({ SrZ_SrZId: undefined })), /SrZ_SrZId/);
  assert.throws(() => mapServiceOrder(orderRow({ SrZ_TS_Mod: null })), /SrZ_TS_Mod/);
});

test('addresses read the Polish way', () => {
  const base = { ulica: null, nrDomu: null, nrLokalu: null, kodPocztowy: null, miasto: null, poczta: null };
  assert.equal(formatAddress({ ...base, ulica: 'Piotrkowska', nrDomu: '104', kodPocztowy: '90-406', miasto: 'Łódź' }), 'ul. Piotrkowska 104, 90-406 Łódź');
  assert.equal(formatAddress({ ...base, ulica: 'al. Grunwaldzka', nrDomu: '5', miasto: 'Gdańsk' }), 'al. Grunwaldzka 5, Gdańsk');
  assert.equal(formatAddress({ ...base, ulica: 'Aleje Jerozolimskie', nrDomu: '41', kodPocztowy: '02-001', miasto: 'Warszawa' }), 'Aleje Jerozolimskie 41, 02-001 Warszawa');
  assert.equal(
    formatAddress({ ...base, nrDomu: '12', kodPocztowy: '05-825', miasto: 'Żabia Wola', poczta: 'Grodzisk Mazowiecki' }),
    'Żabia Wola 12, 05-825 Grodzisk Mazowiecki',
  );
  assert.equal(formatAddress({ ...base, miasto: 'Gdańsk' }), 'Gdańsk');
  assert.equal(formatAddress(base), '');
});

test('employees: the latest employment version wins, e-mails are lower case, empty means none', () => {
  const people = mapEmployees([
    { PRA_PraId: 1, PRA_Kod: 'JK', PRA_EPEmail: '', PRI_Imie1: 'Jan', PRI_Nazwisko: 'Kowalski', PRE_PreId: 11, PRE_DataOd: '2018-01-01 00:00:00.000', PRE_Imie1: 'Jan', PRE_Nazwisko: 'Kowalski', PRE_HDKEmail: 'jan@prywatny.example' },
    { PRA_PraId: 1, PRA_Kod: 'JK', PRA_EPEmail: '', PRI_Imie1: 'Jan', PRI_Nazwisko: 'Kowalski', PRE_PreId: 12, PRE_DataOd: '2023-01-01 00:00:00.000', PRE_Imie1: 'Jan', PRE_Nazwisko: 'Kowalski-Nowak', PRE_HDKEmail: ' Jan.Kowalski@Firma.PL ' },
    { PRA_PraId: 2, PRA_Kod: 'AD', PRA_EPEmail: 'agnieszka@firma.pl', PRI_Imie1: 'Agnieszka', PRI_Nazwisko: 'Dąbrowska', PRE_PreId: null, PRE_DataOd: null, PRE_Imie1: null, PRE_Nazwisko: null, PRE_HDKEmail: null },
    { PRA_PraId: 3, PRA_Kod: 'XX', PRA_EPEmail: '', PRI_Imie1: null, PRI_Nazwisko: null, PRE_PreId: 31, PRE_DataOd: '2020-01-01 00:00:00.000', PRE_Imie1: null, PRE_Nazwisko: null, PRE_HDKEmail: '' },
  ]);
  assert.deepEqual(people, [
    { type: 'pracownik', id: 1, code: 'JK', name: 'Jan Kowalski-Nowak', email: 'jan.kowalski@firma.pl' },
    { type: 'pracownik', id: 2, code: 'AD', name: 'Agnieszka Dąbrowska', email: 'agnieszka@firma.pl' },
    { type: 'pracownik', id: 3, code: 'XX', name: 'XX', email: null },
  ]);
});

test('operators: empty Ope_Email becomes null', () => {
  assert.deepEqual(
    mapOperators([
      { Ope_OpeID: 1, Ope_Kod: 'ADMIN', Ope_Nazwisko: 'Administrator', Ope_Email: '', Ope_Nieaktywny: 0 },
      { Ope_OpeID: 2, Ope_Kod: 'KNOWAK', Ope_Nazwisko: 'Katarzyna Nowak', Ope_Email: 'katarzyna.nowak@serwis-demo.pl', Ope_Nieaktywny: 0 },
    ]),
    [
      { type: 'operator', id: 1, code: 'ADMIN', name: 'Administrator', email: null },
      { type: 'operator', id: 2, code: 'KNOWAK', name: 'Katarzyna Nowak', email: 'katarzyna.nowak@serwis-demo.pl' },
    ],
  );
});
