import type { Participant, SourceRow } from '../../domain/types.ts';
import { normalizeDriverRow } from './normalize-driver-row.ts';
import { describeValue, isFlagSet, text, toInteger } from './row-values.ts';

/**
 * Participants of CRM tasks (CDN.CrmUczestnicy, `CrU_`), read by `crm-uczestnicy-*.sql` and
 * attached to the task's row and to every occurrence of it (occurrences share their task's
 * participants). Pure.
 */

/** One address, no spaces or list separators: anything else would make Graph refuse the event. */
const EMAIL = /^[^\s@,;<>()"]+@[^\s@,;<>()"]+$/;

/**
 * Groups participant rows by task id (CrU_CrKId), in the order the query returns them. Name =
 * CrU_Nazwisko, else CrU_Akronim, else the e-mail; a row with none of them is left out. The e-mail
 * is lower-cased, or null when empty or not one address. Throws a plain Error (the reader wraps
 * it) for a row without a usable CrU_CrKId: it belongs to no task.
 */
export function mapCrmParticipants(rows: readonly Readonly<Record<string, unknown>>[]): Map<number, Participant[]> {
  const byTask = new Map<number, Participant[]>();
  for (const raw of rows) {
    const row = normalizeDriverRow(raw);
    const taskId = toInteger(row.CrU_CrKId);
    if (taskId === null) {
      throw new Error(`uczestnika bez poprawnego CrU_CrKId (${describeValue(row.CrU_CrKId)}) — zapytanie musi zwracać kolumnę CrU_CrKId`);
    }
    const lower = text(row.CrU_Email)?.toLowerCase() ?? null;
    const email = lower !== null && EMAIL.test(lower) ? lower : null;
    const name = text(row.CrU_Nazwisko) ?? text(row.CrU_Akronim) ?? email;
    if (name === null) continue;
    const list = byTask.get(taskId) ?? [];
    list.push({ name, email, organizer: isFlagSet(row.CrU_Organizator) });
    byTask.set(taskId, list);
  }
  return byTask;
}

/** The CRM task whose participants a row shows: the task itself, or an occurrence's task. */
export function selectCrmTaskId(row: SourceRow): number | null {
  if (row.kind === 'crm:zadanie') return row.id;
  if (row.kind === 'crm:wystapienie') return toInteger(row.fields.zadanieId);
  return null;
}

/**
 * The row with its participants: `participants` for attendees and `fields.uczestnicy`
 * ({ nazwisko, email, organizator }) for templates. A task without participants gets empty lists.
 */
export function attachCrmParticipants(row: SourceRow, byTask: ReadonlyMap<number, readonly Participant[]>): SourceRow {
  const taskId = selectCrmTaskId(row);
  const participants = (taskId === null ? undefined : byTask.get(taskId)) ?? [];
  return {
    ...row,
    participants,
    fields: { ...row.fields, uczestnicy: participants.map((p) => ({ nazwisko: p.name, email: p.email, organizator: p.organizer })) },
  };
}
