import type { LocalDateTime, PersonRef, SourceRow } from '../../domain/types.ts';
import { isEmptyOptimaDate, normalizeOptimaTimestamp, toLocalDateTime } from './optima-date.ts';
import { normalizeDriverRow } from './normalize-driver-row.ts';
import { describeValue, setDate, text, toInteger, toNumber } from './row-values.ts';

/**
 * One row of `serwis-zlecenia-changed.sql` → `SourceRow`. Optima column names stop here:
 * templates see `fields` (friendly Polish names) and `columns` (the raw row, for
 * `{{kolumny.SrZ_...}}`). Pure; missing optional columns (an admin's trimmed override) become null.
 */

export const SERVICE_ORDER_KIND = 'serwis:zlecenie';

/** SrZ_Stan labels as Optima shows them (Comarch BI "Raport Serwisu"). */
const STATE_LABELS: Readonly<Record<number, string>> = {
  0: 'Do realizacji',
  1: 'W realizacji',
  2: 'Zrealizowane',
};

/** Street prefixes people already type into Optima's Ulica field; anything else gets "ul.". */
const STREET_PREFIX = /^(ul\.|al\.|pl\.|os\.|rondo\b|skwer\b|bulwar\b|aleja\b|aleje\b|plac\b|osiedle\b|wybrzeże\b|droga\b|park\b|ulica\b)/i;

export interface ServiceOrderAddress {
  readonly nazwa: string | null;
  readonly ulica: string | null;
  readonly nrDomu: string | null;
  readonly nrLokalu: string | null;
  readonly kodPocztowy: string | null;
  readonly miasto: string | null;
  readonly poczta: string | null;
  /** One line, e.g. `ul. Świętokrzyska 12/4, 00-916 Warszawa`; empty string when nothing is set. */
  readonly adres: string;
}

/**
 * Maps one service-order row. Throws a plain Error (the reader wraps it) when the row has no
 * usable `SrZ_SrZId` or `SrZ_TS_Mod`: without them there is no source key and no watermark.
 */
export function mapServiceOrder(raw: Readonly<Record<string, unknown>>): SourceRow {
  const row = normalizeDriverRow(raw);
  const id = toInteger(row.SrZ_SrZId);
  if (id === null) {
    throw new Error(`wiersz bez poprawnego SrZ_SrZId (${describeValue(row.SrZ_SrZId)}) — zapytanie musi zwracać kolumnę SrZ_SrZId`);
  }
  const modifiedAt = normalizeOptimaTimestamp(row.SrZ_TS_Mod);
  if (modifiedAt === null) {
    throw new Error(`zlecenie ${id} bez poprawnego SrZ_TS_Mod (${describeValue(row.SrZ_TS_Mod)}) — zapytanie musi zwracać kolumnę SrZ_TS_Mod`);
  }
  const stanKod = toInteger(row.SrZ_Stan);
  const owner = toPersonRef(row.SrZ_ProwadzacyTyp, row.SrZ_ProwadzacyId);
  return {
    key: `${SERVICE_ORDER_KIND}:${id}`,
    kind: SERVICE_ORDER_KIND,
    id,
    modifiedAt,
    start: pickStart(row.SrZ_DataRealizacji, row.SrZ_DataPrzyjecia),
    // Optima has no end column for an order: render applies the configured default duration.
    end: null,
    owner,
    fields: {
      numer: text(row.SrZ_NumerPelny),
      // The description is kept byte for byte (leading spaces, line breaks, control characters).
      opis: row.SrZ_Opis === null || row.SrZ_Opis === undefined ? null : String(row.SrZ_Opis),
      stan: stanKod === null ? null : (STATE_LABELS[stanKod] ?? `Stan ${stanKod}`),
      stanKod,
      bufor: (toInteger(row.SrZ_Bufor) ?? 0) > 0,
      etap: text(row.DEt_Kod),
      etapOpis: text(row.DEt_Opis) ?? text(row.SrZ_EtapOpis),
      kategoria: text(row.Kat_KodSzczegol) ?? text(row.Kat_KodOgolny),
      kategoriaOgolna: text(row.Kat_KodOgolny),
      kategoriaOpis: text(row.Kat_Opis),
      urzadzenie: text(row.SrU_Nazwa) ?? text(row.SrU_Kod),
      urzadzenieKod: text(row.SrU_Kod),
      priorytet: toInteger(row.SrZ_Priorytet),
      wykonano: toNumber(row.SrZ_Wykonano),
      klient: toAddress(row, 'SrZ_Pod'),
      odbiorca: toAddress(row, 'SrZ_Odb'),
      telefon: text(row.SrZ_Telefon),
      email: text(row.SrZ_Email),
      osobaKontaktowa: { nazwisko: text(row.SrZ_ZlecajacyNazwisko), telefon: text(row.SrZ_ZlecajacyTelefon) },
      dataDok: setDate(row.SrZ_DataDok),
      dataPrzyjecia: setDate(row.SrZ_DataPrzyjecia),
      dataRealizacji: setDate(row.SrZ_DataRealizacji),
      dataZamkniecia: setDate(row.SrZ_DataZamkniecia),
      prowadzacy: owner,
      zmodyfikowal: text(row.SrZ_OpeModNazwisko) ?? text(row.SrZ_OpeModKod),
    },
    columns: row,
  };
}

/**
 * Start candidates in order: realization date, then date received. Null/empty and Optima's
 * 1899-12-30 mean "not set" and fall through. Text that is not a timestamp at all is returned
 * as is — never silently dropped or replaced by the next candidate — so render reports the
 * record as 'impossible-date' with the bad value in the message.
 */
export function pickStart(...candidates: readonly unknown[]): LocalDateTime | null {
  for (const value of candidates) {
    if (value === null || value === undefined || (typeof value === 'string' && value.trim() === '')) continue;
    const local = toLocalDateTime(value);
    if (local === null) return String(value);
    if (!isEmptyOptimaDate(local)) return local;
  }
  return null;
}

/** Optima person codes: 3 = employee (PracKod), 8 = operator (config DB). Anything else: nobody. */
export function toPersonRef(type: unknown, id: unknown): PersonRef | null {
  const t = toInteger(type);
  const i = toInteger(id);
  if (i === null || i <= 0) return null;
  if (t === 3) return { type: 'pracownik', id: i };
  if (t === 8) return { type: 'operator', id: i };
  return null;
}

/** Address snapshot fields with prefix `SrZ_Pod` (customer) or `SrZ_Odb` (recipient). */
function toAddress(row: Readonly<Record<string, unknown>>, prefix: 'SrZ_Pod' | 'SrZ_Odb'): ServiceOrderAddress {
  const names = [row[`${prefix}Nazwa1`], row[`${prefix}Nazwa2`], row[`${prefix}Nazwa3`]].map(text).filter((n) => n !== null);
  const parts = {
    ulica: text(row[`${prefix}Ulica`]),
    nrDomu: text(row[`${prefix}NrDomu`]),
    nrLokalu: text(row[`${prefix}NrLokalu`]),
    kodPocztowy: text(row[`${prefix}KodPocztowy`]),
    miasto: text(row[`${prefix}Miasto`]),
    poczta: text(row[`${prefix}Poczta`]),
  };
  return { nazwa: names.length > 0 ? names.join(' ') : null, ...parts, adres: formatAddress(parts) };
}

/**
 * Polish one-line address: "ul. Świętokrzyska 12/4, 00-916 Warszawa". Without a street (villages)
 * the place comes first: "Żabia Wola 12, 05-825 Grodzisk Mazowiecki".
 */
export function formatAddress(a: Omit<ServiceOrderAddress, 'adres' | 'nazwa'>): string {
  const number = a.nrDomu ? (a.nrLokalu ? `${a.nrDomu}/${a.nrLokalu}` : a.nrDomu) : null;
  const postTown = a.poczta ?? a.miasto;
  let first: string | null = null;
  let town = a.miasto;
  if (a.ulica) {
    const street = STREET_PREFIX.test(a.ulica) ? a.ulica : `ul. ${a.ulica}`;
    first = number ? `${street} ${number}` : street;
  } else if (number) {
    first = a.miasto ? `${a.miasto} ${number}` : number;
    town = postTown;
  }
  const second = [a.kodPocztowy, town].filter((p) => p).join(' ');
  return [first, second].filter((p) => p).join(', ');
}

