import type { EventImportance, SourceRow } from '../../domain/types.ts';
import { normalizeOptimaTimestamp } from './optima-date.ts';
import { normalizeDriverRow } from './normalize-driver-row.ts';
import { formatAddress, pickStart, toPersonRef } from './map-service-order.ts';
import { describeValue, isFlagSet, readReminder, setDate, text, toInteger } from './row-values.ts';

/**
 * One row of `crm-zadania-changed.sql` → `SourceRow`: one CRM task (or, per config, contact) from
 * CDN.CRMKontakty in the calendar of its owner (CRK_OpiekunTyp/Id: 3 employee, 8 operator), with
 * its customer (CDN.PodmiotyView) and CRM stage (CDN.DefEtapy, DEt_Typ = 2). The fields are built
 * by `buildCrmTaskFields`, which the occurrences of a recurring task (map-crm-occurrence.ts) share.
 * Participants are attached afterwards (map-crm-participants.ts). Pure.
 */

export const CRM_TASK_KIND = 'crm:zadanie';

export type CrmTaskState = 'otwarte' | 'zamknięte' | 'anulowane';

/** CRK_Priorytet labels as Comarch BI shows them: 1 Najwyższy, 2 Wysoki, 3 Niski, anything else Najniższy. */
export function labelCrmPriority(value: unknown): string {
  const n = toInteger(value);
  if (n === 1) return 'Najwyższy';
  if (n === 2) return 'Wysoki';
  if (n === 3) return 'Niski';
  return 'Najniższy';
}

/**
 * CRK_Priorytet → Outlook importance: 1 Najwyższy and 2 Wysoki → high, 3 Niski and 4 Najniższy →
 * low; anything else (0, empty, unknown codes) → undefined, i.e. not sent (Outlook shows normal).
 */
export function readCrmImportance(value: unknown): EventImportance | undefined {
  const n = toInteger(value);
  if (n === 1 || n === 2) return 'high';
  if (n === 3 || n === 4) return 'low';
  return undefined;
}

/** CRK_Bufor −1 or CRK_Anulowany → cancelled; CRK_Bufor 0 → closed; otherwise open. */
export function readCrmTaskState(bufor: unknown, anulowany: unknown): CrmTaskState {
  const b = toInteger(bufor);
  if (isFlagSet(anulowany) || (b !== null && b < 0)) return 'anulowane';
  if (b === 0) return 'zamknięte';
  return 'otwarte';
}

/** The state fields templates and the renderer read (stan, anulowane, zamkniete). */
export function buildCrmStateFields(stan: CrmTaskState): { readonly stan: CrmTaskState; readonly anulowane: boolean; readonly zamkniete: boolean } {
  return { stan, anulowane: stan === 'anulowane', zamkniete: stan === 'zamknięte' };
}

/**
 * Template fields of one CRM row (CRK_ columns plus the joined Pod_ and DEt_ columns): the same
 * for a task and for each occurrence of it. Missing optional columns (an admin's trimmed override)
 * become null.
 */
export function buildCrmTaskFields(row: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const zadanie = isFlagSet(row.CRK_Zadanie);
  const owner = toPersonRef(row.CRK_OpiekunTyp, row.CRK_OpiekunId);
  const osoba = text(row.CRK_OsobaNazwisko);
  return {
    numer: text(row.CRK_NumerPelny),
    temat: text(row.CRK_Temat),
    // The description is kept byte for byte, as for orders.
    opis: row.CRK_Opis === null || row.CRK_Opis === undefined || String(row.CRK_Opis).trim() === '' ? null : String(row.CRK_Opis),
    lokalizacja: text(row.CRK_Lokalizacja),
    zadanie,
    rodzaj: zadanie ? 'Zadanie' : 'Kontakt',
    ...buildCrmStateFields(readCrmTaskState(row.CRK_Bufor, row.CRK_Anulowany)),
    priorytet: labelCrmPriority(row.CRK_Priorytet),
    priorytetKod: toInteger(row.CRK_Priorytet),
    przypomnienie: isFlagSet(row.CRK_Przypomnienie),
    czasPrzypomnienia: readReminder(row.CRK_Przypomnienie, row.CRK_CzasPrzypomnienia),
    dataDok: setDate(row.CRK_DataDok),
    opiekun: owner,
    etap: text(row.DEt_Kod),
    etapOpis: text(row.DEt_Opis),
    klient: buildCrmCustomer(row, osoba),
    osoba,
  };
}

/**
 * The customer (CRK_PodmiotTyp/CRK_PodID resolved through CDN.PodmiotyView): name lines 1–2,
 * code, a one-line address, phone and e-mail. Without a resolvable subject the name is the
 * contact person's (CRK_OsobaNazwisko), so a template's {{klient.nazwa}} still says who it is about.
 */
function buildCrmCustomer(row: Readonly<Record<string, unknown>>, osoba: string | null): Record<string, unknown> {
  const names = [row.Pod_Nazwa1, row.Pod_Nazwa2].map(text).filter((n) => n !== null);
  const address = {
    ulica: text(row.Pod_Ulica),
    nrDomu: text(row.Pod_NrDomu),
    nrLokalu: text(row.Pod_NrLokalu),
    kodPocztowy: text(row.Pod_KodPocztowy),
    miasto: text(row.Pod_Miasto),
    poczta: text(row.Pod_Poczta),
  };
  return {
    nazwa: names.length > 0 ? names.join(' ') : osoba,
    kod: text(row.Pod_Kod),
    ...address,
    adres: formatAddress(address),
    telefon: text(row.Pod_Telefon1),
    email: text(row.Pod_Email),
    podmiotTyp: toInteger(row.CRK_PodmiotTyp),
    podmiotId: toInteger(row.CRK_PodID),
  };
}

/**
 * Maps one CRM row. Throws a plain Error (the reader wraps it) when the row has no usable
 * `CRK_CRKId` or `CRK_TS_Mod`.
 */
export function mapCrmTask(raw: Readonly<Record<string, unknown>>): SourceRow {
  const row = normalizeDriverRow(raw);
  const id = toInteger(row.CRK_CRKId);
  if (id === null) {
    throw new Error(`wiersz bez poprawnego CRK_CRKId (${describeValue(row.CRK_CRKId)}) — zapytanie musi zwracać kolumnę CRK_CRKId`);
  }
  const modifiedAt = normalizeOptimaTimestamp(row.CRK_TS_Mod);
  if (modifiedAt === null) {
    throw new Error(`zadanie CRM ${id} bez poprawnego CRK_TS_Mod (${describeValue(row.CRK_TS_Mod)}) — zapytanie musi zwracać kolumnę CRK_TS_Mod`);
  }
  const zadanie = isFlagSet(row.CRK_Zadanie);
  // A contact without a planned term is placed at its document date; with no end, the renderer
  // gives it calendar.defaultDurationMinutes.
  const start = zadanie ? pickStart(row.CRK_TerminOd) : pickStart(row.CRK_TerminOd, row.CRK_DataDok);
  const plannedEnd = pickStart(row.CRK_TerminDo);
  const end = zadanie || (plannedEnd !== null && start !== null && plannedEnd >= start) ? plannedEnd : null;
  const importance = readCrmImportance(row.CRK_Priorytet);
  return {
    key: `${CRM_TASK_KIND}:${id}`,
    kind: CRM_TASK_KIND,
    id,
    modifiedAt,
    start,
    end,
    owner: toPersonRef(row.CRK_OpiekunTyp, row.CRK_OpiekunId),
    fields: buildCrmTaskFields(row),
    columns: row,
    reminderAt: readReminder(row.CRK_Przypomnienie, row.CRK_CzasPrzypomnienia),
    ...(importance === undefined ? {} : { importance }),
  };
}
