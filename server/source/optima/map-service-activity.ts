import type { SourceRow } from '../../domain/types.ts';
import { normalizeOptimaTimestamp } from './optima-date.ts';
import { normalizeDriverRow } from './normalize-driver-row.ts';
import { formatAddress, pickStart, toPersonRef } from './map-service-order.ts';
import { describeValue, isFlagSet, readReminder, setDate, text, toInteger } from './row-values.ts';

/**
 * One row of `serwis-czynnosci-changed.sql` → `SourceRow`: one service activity (CDN.SrsCzynnosci)
 * in the calendar of its worker (SrY_SerwisantTyp/Id), from SrY_TerminOd to SrY_TerminDo. The
 * parent order's number, customer, address and phone come along for the templates. Pure.
 */

export const SERVICE_ACTIVITY_KIND = 'serwis:czynnosc';

/** SrZ_Stan labels as Optima shows them (Comarch BI "Raport Serwisu"). */
const ORDER_STATE_LABELS: Readonly<Record<number, string>> = { 0: 'Do realizacji', 1: 'W realizacji', 2: 'Zrealizowane' };

/**
 * Maps one activity row. Throws a plain Error (the reader wraps it) when the row has no usable
 * `SrY_SrYId` or `SrZ_TS_Mod` (the parent's stamp is the activity's watermark: SrsCzynnosci has none).
 */
export function mapServiceActivity(raw: Readonly<Record<string, unknown>>): SourceRow {
  const row = normalizeDriverRow(raw);
  const id = toInteger(row.SrY_SrYId);
  if (id === null) {
    throw new Error(`wiersz bez poprawnego SrY_SrYId (${describeValue(row.SrY_SrYId)}) — zapytanie musi zwracać kolumnę SrY_SrYId`);
  }
  const modifiedAt = normalizeOptimaTimestamp(row.SrZ_TS_Mod);
  if (modifiedAt === null) {
    throw new Error(`czynność ${id} bez poprawnego SrZ_TS_Mod zlecenia (${describeValue(row.SrZ_TS_Mod)}) — zapytanie musi zwracać kolumnę SrZ_TS_Mod zlecenia nadrzędnego`);
  }
  const owner = toPersonRef(row.SrY_SerwisantTyp, row.SrY_SerwisantId);
  const orderNumber = text(row.SrZ_NumerPelny);
  const czynnosc = text(row.SrY_TwrNazwa) ?? text(row.SrY_TwrKod);
  const stanKod = toInteger(row.SrZ_Stan);
  const names = [row.SrZ_PodNazwa1, row.SrZ_PodNazwa2, row.SrZ_PodNazwa3].map(text).filter((n) => n !== null);
  const address = {
    ulica: text(row.SrZ_PodUlica),
    nrDomu: text(row.SrZ_PodNrDomu),
    nrLokalu: text(row.SrZ_PodNrLokalu),
    kodPocztowy: text(row.SrZ_PodKodPocztowy),
    miasto: text(row.SrZ_PodMiasto),
    poczta: text(row.SrZ_PodPoczta),
  };
  return {
    key: `${SERVICE_ACTIVITY_KIND}:${id}`,
    kind: SERVICE_ACTIVITY_KIND,
    id,
    modifiedAt,
    start: pickStart(row.SrY_TerminOd),
    end: pickStart(row.SrY_TerminDo),
    owner,
    fields: {
      // Operator messages name the record "Czynność <order number>/<line>".
      numer: orderNumber === null ? null : `${orderNumber}/${toInteger(row.SrY_Lp) ?? id}`,
      czynnosc,
      czynnoscKod: text(row.SrY_TwrKod),
      lp: toInteger(row.SrY_Lp),
      // The description is kept byte for byte, as for orders.
      opis: row.SrY_Opis === null || row.SrY_Opis === undefined || String(row.SrY_Opis).trim() === '' ? null : String(row.SrY_Opis),
      zakonczona: isFlagSet(row.SrY_Zakonczona),
      rezerwujCzas: isFlagSet(row.SrY_RezerwujCzas),
      dataWykonania: setDate(row.SrY_DataWykonania),
      serwisant: owner,
      zlecenie: {
        id: toInteger(row.SrY_SrZId),
        numer: orderNumber,
        opis: text(row.SrZ_Opis),
        stan: stanKod === null ? null : (ORDER_STATE_LABELS[stanKod] ?? `Stan ${stanKod}`),
        stanKod,
        bufor: (toInteger(row.SrZ_Bufor) ?? 0) > 0,
        prowadzacy: toPersonRef(row.SrZ_ProwadzacyTyp, row.SrZ_ProwadzacyId),
      },
      klient: { nazwa: names.length > 0 ? names.join(' ') : null, ...address, adres: formatAddress(address) },
      telefon: text(row.SrZ_Telefon),
      email: text(row.SrZ_Email),
      osobaKontaktowa: { nazwisko: text(row.SrZ_ZlecajacyNazwisko), telefon: text(row.SrZ_ZlecajacyTelefon) },
      urzadzenie: text(row.SrU_Nazwa) ?? text(row.SrU_Kod),
    },
    columns: row,
    reminderAt: readReminder(row.SrY_Przypomnienie, row.SrY_CzasPrzypomnienia),
  };
}

