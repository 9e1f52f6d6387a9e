import type { SourceRow } from '../../domain/types.ts';
import { normalizeOptimaTimestamp } from './optima-date.ts';
import { normalizeDriverRow } from './normalize-driver-row.ts';
import { pickStart, toPersonRef } from './map-service-order.ts';
import { buildCrmStateFields, buildCrmTaskFields, readCrmImportance, readCrmTaskState, type CrmTaskState } from './map-crm-task.ts';
import { describeValue, isFlagSet, readReminder, toInteger } from './row-values.ts';

/**
 * One row of `crm-wystapienia-changed.sql` → `SourceRow`: one materialized occurrence of a
 * recurring CRM task (CDN.CrmKontaktyCykl, `CRC_`) as its own event. It inherits everything from
 * its task (owner, topic, description, location, customer, stage, priority) and has its own term
 * (CRC_TerminOd/TerminDo), reminder (CRC_Przypomnienie/CzasPrzypomnienia) and, partly, state.
 * Its watermark is the task's CRK_TS_Mod: CrmKontaktyCykl has no stamp of its own. Pure.
 */

export const CRM_OCCURRENCE_KIND = 'crm:wystapienie';

/**
 * An occurrence's state: cancelled with its task; closed with its task or when CRC_Bufor = 0;
 * otherwise open. That CRC_Bufor follows CRK_Bufor's coding (0 = closed) is inferred [INF],
 * not confirmed on a real Optima database.
 */
export function readCrmOccurrenceState(task: CrmTaskState, occurrenceBufor: unknown): CrmTaskState {
  if (task !== 'otwarte') return task;
  return toInteger(occurrenceBufor) === 0 ? 'zamknięte' : 'otwarte';
}

/**
 * Maps one occurrence row. Throws a plain Error (the reader wraps it) when the row has no usable
 * `CRC_CRCId` or the task's `CRK_TS_Mod`.
 */
export function mapCrmOccurrence(raw: Readonly<Record<string, unknown>>): SourceRow {
  const row = normalizeDriverRow(raw);
  const id = toInteger(row.CRC_CRCId);
  if (id === null) {
    throw new Error(`wiersz bez poprawnego CRC_CRCId (${describeValue(row.CRC_CRCId)}) — zapytanie musi zwracać kolumnę CRC_CRCId`);
  }
  const modifiedAt = normalizeOptimaTimestamp(row.CRK_TS_Mod);
  if (modifiedAt === null) {
    throw new Error(`wystąpienie ${id} bez poprawnego CRK_TS_Mod zadania (${describeValue(row.CRK_TS_Mod)}) — zapytanie musi zwracać kolumnę CRK_TS_Mod zadania cyklicznego`);
  }
  const taskState = readCrmTaskState(row.CRK_Bufor, row.CRK_Anulowany);
  const reminderAt = readReminder(row.CRC_Przypomnienie, row.CRC_CzasPrzypomnienia);
  const importance = readCrmImportance(row.CRK_Priorytet);
  return {
    key: `${CRM_OCCURRENCE_KIND}:${id}`,
    kind: CRM_OCCURRENCE_KIND,
    id,
    modifiedAt,
    start: pickStart(row.CRC_TerminOd),
    end: pickStart(row.CRC_TerminDo),
    owner: toPersonRef(row.CRK_OpiekunTyp, row.CRK_OpiekunId),
    fields: {
      ...buildCrmTaskFields(row),
      ...buildCrmStateFields(readCrmOccurrenceState(taskState, row.CRC_Bufor)),
      przypomnienie: isFlagSet(row.CRC_Przypomnienie),
      czasPrzypomnienia: reminderAt,
      zadanieId: toInteger(row.CRK_CRKId) ?? toInteger(row.CRC_CRKId),
      wystapienie: true,
    },
    columns: row,
    reminderAt,
    ...(importance === undefined ? {} : { importance }),
  };
}
