import type { SourceRow } from '../../domain/types.ts';
import { normalizeOptimaTimestamp } from './optima-date.ts';
import { normalizeDriverRow } from './normalize-driver-row.ts';
import { pickStart, toPersonRef } from './map-service-order.ts';
import { describeValue, isFlagSet, setDate, text, toInteger } from './row-values.ts';

/**
 * One row of `crm-zadania-changed.sql` → `SourceRow`: one CRM task (or, per config, contact) from
 * CDN.CRMKontakty in the calendar of its owner (CRK_OpiekunTyp/Id: 3 employee, 8 operator).
 * Recurrence (CRK_Cykl*, CrmKontaktyCykl) and participants are not read here. Pure.
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

/** CRK_Bufor −1 or CRK_Anulowany → cancelled; CRK_Bufor 0 → closed; otherwise open. */
export function readCrmTaskState(bufor: unknown, anulowany: unknown): CrmTaskState {
  const b = toInteger(bufor);
  if (isFlagSet(anulowany) || (b !== null && b < 0)) return 'anulowane';
  if (b === 0) return 'zamknięte';
  return 'otwarte';
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
  const stan = readCrmTaskState(row.CRK_Bufor, row.CRK_Anulowany);
  const owner = toPersonRef(row.CRK_OpiekunTyp, row.CRK_OpiekunId);
  return {
    key: `${CRM_TASK_KIND}:${id}`,
    kind: CRM_TASK_KIND,
    id,
    modifiedAt,
    start,
    end,
    owner,
    fields: {
      numer: text(row.CRK_NumerPelny),
      temat: text(row.CRK_Temat),
      // The description is kept byte for byte, as for orders.
      opis: row.CRK_Opis === null || row.CRK_Opis === undefined || String(row.CRK_Opis).trim() === '' ? null : String(row.CRK_Opis),
      lokalizacja: text(row.CRK_Lokalizacja),
      zadanie,
      rodzaj: zadanie ? 'Zadanie' : 'Kontakt',
      stan,
      anulowane: stan === 'anulowane',
      zamkniete: stan === 'zamknięte',
      priorytet: labelCrmPriority(row.CRK_Priorytet),
      priorytetKod: toInteger(row.CRK_Priorytet),
      przypomnienie: isFlagSet(row.CRK_Przypomnienie),
      czasPrzypomnienia: isFlagSet(row.CRK_Przypomnienie) ? setDate(row.CRK_CzasPrzypomnienia) : null,
      dataDok: setDate(row.CRK_DataDok),
      opiekun: owner,
      // The customer's name needs a join per subject type (Kontrahenci, Pracownicy, …): only the
      // contact person's name is read here; the subject's type and id are kept for extra queries.
      klient: { nazwa: text(row.CRK_OsobaNazwisko), podmiotTyp: toInteger(row.CRK_PodmiotTyp), podmiotId: toInteger(row.CRK_PodID) },
      osoba: text(row.CRK_OsobaNazwisko),
    },
    columns: row,
  };
}
