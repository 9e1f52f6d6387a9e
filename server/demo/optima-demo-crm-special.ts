import { formatWallDate, roundToDatetimeTicks } from './optima-demo-clock.ts';
import { DEMO_CUSTOMERS } from './optima-demo-data.ts';
import {
  DAY, DEMO_CONTACT_PARTICIPANTS, MINUTE, buildDemoCrmRow, describeCycle, findStaffParticipant,
  type DemoCrmRow, type DemoCrmWriter, type DemoParticipant, type DemoOccurrence,
} from './optima-demo-crm-rows.ts';
import { PODMIOT_BANK, PODMIOT_KONTRAHENT } from './optima-demo-podmioty.ts';

/**
 * The hand-made CRM rows of the demo world: the first CRM ids, the same in every demo database
 * (dates move with "now"). Recurring tasks with materialized occurrences, one occurrence split off
 * into a standalone task, a recurring contact, closed and cancelled recurring tasks, a customer that
 * is a bank (same id as a customer), a customer missing from PodmiotyView, participants with and
 * without e-mail. Tests find them through DEMO_CRM_SPECIAL instead of hard-coding ids.
 */

export interface DemoRecurringTask {
  /** CRK_CRKId of the recurring task. */
  readonly taskId: number;
  /** CRC_CRCId of every occurrence row, in date order (split-off ones included). */
  readonly occurrenceIds: readonly number[];
}

const range = (from: number, count: number): number[] => Array.from({ length: count }, (_, i) => from + i);

/** A recurring task one of whose occurrences was split off into a standalone task. */
export interface DemoSplitOffTask extends DemoRecurringTask {
  /** CRC_CRCId of the occurrence with CRC_CrKWylaczonyId set. */
  readonly splitOffOccurrenceId: number;
  /** CRK_CRKId of the standalone task it became. */
  readonly standaloneTaskId: number;
}

export const DEMO_CRM_SPECIAL: Readonly<Record<'fiveOccurrences' | 'closed' | 'cancelled' | 'contact' | 'bankSubject' | 'unresolved', DemoRecurringTask> & { readonly withSplitOff: DemoSplitOffTask }> = {
  /** Weekly team meeting, open, exactly 5 occurrences, all in scope; the first (a week ago) closed by CRC_Bufor = 0. High priority, reminders. */
  fiveOccurrences: { taskId: 1, occurrenceIds: range(1, 5) },
  /**
   * Every two weeks at a customer's, 4 occurrence rows; the 3rd (`splitOffOccurrenceId`) was split off
   * into the standalone task `standaloneTaskId` (CRC_CrKWylaczonyId), which syncs as its own crm:zadanie.
   * The 2nd has its reminder flag on but no reminder time.
   */
  withSplitOff: { taskId: 2, occurrenceIds: range(6, 4), splitOffOccurrenceId: 8, standaloneTaskId: 3 },
  /** Daily calls, closed (CRK_Bufor 0): its 3 occurrences are closed too. Low priority. */
  closed: { taskId: 4, occurrenceIds: range(10, 3) },
  /** Monthly supplier meeting, cancelled (CRK_Bufor −1, CRK_Anulowany 1), 3 occurrences. */
  cancelled: { taskId: 5, occurrenceIds: range(13, 3) },
  /** A recurring contact (CRK_Zadanie 0), 3 occurrences: in scope only with contacts. Priority 0. */
  contact: { taskId: 6, occurrenceIds: range(16, 3) },
  /** Training cycle for a bank (CRK_PodmiotTyp 2, id 1 — customer 1 is someone else), CRM stage, 6 occurrences. */
  bankSubject: { taskId: 7, occurrenceIds: range(19, 6) },
  /** A plain task whose customer is missing from PodmiotyView and whose stage id is a service stage (DEt_Typ 1). */
  unresolved: { taskId: 8, occurrenceIds: [] },
};

/** How many CRM rows and occurrence rows are hand-made (generated ones get the ids after them). */
export const DEMO_CRM_SPECIAL_TASKS = Math.max(...Object.values(DEMO_CRM_SPECIAL).map((t) => t.taskId), DEMO_CRM_SPECIAL.withSplitOff.standaloneTaskId);
export const DEMO_CRM_SPECIAL_OCCURRENCES = Math.max(...Object.values(DEMO_CRM_SPECIAL).flatMap((t) => t.occurrenceIds));

const staff = (type: number, id: number): DemoParticipant => {
  const found = findStaffParticipant(type, id);
  if (!found) throw new Error(`no demo participant ${type}:${id}`);
  return found;
};

/** Writes the hand-made rows around `wallNow` (Optima wall clock in UTC fields). */
export function insertDemoCrmSpecial(writer: DemoCrmWriter, wallNow: Date): void {
  const today = Math.floor(wallNow.getTime() / DAY) * DAY;
  const at = (days: number, hour: number, minute = 0) => today + days * DAY + (hour * 60 + minute) * MINUTE;
  const wall = (ms: number) => formatWallDate(new Date(ms));
  // Saved yesterday afternoon, each a few seconds apart (datetime ticks).
  const stamp = (n: number) => formatWallDate(roundToDatetimeTicks(new Date(today - DAY + 15 * 60 * MINUTE + n * 7_351)));
  const s = DEMO_CRM_SPECIAL;

  const recurring = (
    task: DemoRecurringTask,
    starts: readonly number[],
    minutes: number,
    row: DemoCrmRow,
    occurrence: (i: number) => Partial<DemoOccurrence>,
  ) => {
    writer.task(buildDemoCrmRow(task.taskId, {
      ...row,
      CRK_TerminOd: wall(starts[0]),
      CRK_TerminDo: wall(starts[0] + minutes * MINUTE),
      ...describeCycle(starts),
      CRK_TS_Mod: stamp(task.taskId),
    }));
    task.occurrenceIds.forEach((id, i) => writer.occurrence({ id, taskId: task.taskId, start: starts[i], minutes, reminder: null, bufor: 1, ...occurrence(i) }));
  };

  const weekly = [-7, 0, 7, 14, 21].map((d) => at(d, 9));
  recurring(s.fiveOccurrences, weekly, 60, {
    CRK_Temat: 'Cotygodniowa odprawa działu sprzedaży', CRK_Opis: 'Plan tygodnia, lejek sprzedaży, sprawy bieżące.', CRK_Lokalizacja: 'Biuro, sala 2',
    CRK_OpiekunTyp: 3, CRK_OpiekunId: 1, CRK_Priorytet: 2, CRK_Przypomnienie: 1, CRK_CzasPrzypomnienia: wall(weekly[0] - 15 * MINUTE), CRK_EtapRealizacji: null,
  }, (i) => ({ bufor: i === 0 ? 0 : 1, reminder: 15 })); // last week's meeting is done
  writer.participant(s.fiveOccurrences.taskId, staff(3, 1), true);
  // Typed in capitals in Optima: the reader lower-cases it.
  writer.participant(s.fiveOccurrences.taskId, { ...staff(8, 2), email: staff(8, 2).email.toUpperCase() }, false);
  // Known only by acronym, no e-mail: listed in the body, never invited.
  writer.participant(s.fiveOccurrences.taskId, { ...staff(8, 4), nazwisko: '' }, false);

  const customer = DEMO_CUSTOMERS[1];
  const fortnightly = [3, 17, 31, 45].map((d) => at(d, 13));
  recurring(s.withSplitOff, fortnightly, 90, {
    CRK_Temat: 'Przegląd kwartalny u klienta', CRK_Opis: 'Przegląd umowy serwisowej i zgłoszeń.', CRK_Lokalizacja: 'Siedziba klienta',
    CRK_OpiekunTyp: 8, CRK_OpiekunId: 2, CRK_Priorytet: 1, CRK_PodmiotTyp: PODMIOT_KONTRAHENT, CRK_PodID: customer.id, CRK_OsobaNazwisko: 'Ewa Zielińska', CRK_EtapRealizacji: 7,
  }, (i) => ({ reminder: i === 1 ? 'empty' : 30, ...(i === 2 ? { splitOffInto: s.withSplitOff.standaloneTaskId } : {}) }));
  writer.participant(s.withSplitOff.taskId, staff(8, 2), true);
  writer.participant(s.withSplitOff.taskId, DEMO_CONTACT_PARTICIPANTS[0], false);
  // The split-off occurrence, moved a day later, as its own task (CRK_CyklParentId points back [INF]).
  const moved = fortnightly[2] + DAY - 3 * 60 * MINUTE;
  writer.task(buildDemoCrmRow(s.withSplitOff.standaloneTaskId, {
    CRK_Temat: 'Przegląd kwartalny u klienta (termin przeniesiony)', CRK_Lokalizacja: 'Siedziba klienta',
    CRK_OpiekunTyp: 8, CRK_OpiekunId: 2, CRK_Priorytet: 1, CRK_PodmiotTyp: PODMIOT_KONTRAHENT, CRK_PodID: customer.id, CRK_OsobaNazwisko: 'Ewa Zielińska',
    CRK_TerminOd: wall(moved), CRK_TerminDo: wall(moved + 90 * MINUTE), CRK_CyklParentId: s.withSplitOff.taskId, CRK_TS_Mod: stamp(s.withSplitOff.standaloneTaskId),
  }));

  const daily = [-3, -2, -1].map((d) => at(d, 8));
  recurring(s.closed, daily, 15, {
    CRK_Temat: 'Codzienny telefon do magazynu', CRK_OpiekunTyp: 3, CRK_OpiekunId: 3, CRK_Bufor: 0, CRK_Priorytet: 3,
    CRK_PodmiotTyp: PODMIOT_KONTRAHENT, CRK_PodID: DEMO_CUSTOMERS[4].id,
  }, () => ({ bufor: 0 }));

  const monthly = [5, 33, 61].map((d) => at(d, 11));
  recurring(s.cancelled, monthly, 60, {
    CRK_Temat: 'Comiesięczne spotkanie z dostawcą', CRK_OpiekunTyp: 3, CRK_OpiekunId: 4, CRK_Bufor: -1, CRK_Anulowany: 1, CRK_Priorytet: 4,
  }, () => ({}));
  writer.participant(s.cancelled.taskId, staff(3, 4), true);

  const calls = [1, 8, 15].map((d) => at(d, 10, 30));
  recurring(s.contact, calls, 30, {
    CRK_Zadanie: 0, CRK_Temat: 'Cotygodniowy telefon do klienta', CRK_OpiekunTyp: 8, CRK_OpiekunId: 3, CRK_Priorytet: 0,
    CRK_PodmiotTyp: PODMIOT_KONTRAHENT, CRK_PodID: DEMO_CUSTOMERS[8].id, CRK_OsobaNazwisko: 'Żaneta Źrebiec',
  }, () => ({}));
  writer.participant(s.contact.taskId, DEMO_CONTACT_PARTICIPANTS[2], false);

  const training = [1, 3, 5, 7, 9, 11].map((d) => at(d, 14));
  recurring(s.bankSubject, training, 120, {
    CRK_Temat: 'Szkolenie z obsługi systemu — cykl', CRK_Opis: 'Sześć spotkań po dwie godziny.', CRK_Lokalizacja: 'Oddział banku, sala szkoleniowa',
    CRK_OpiekunTyp: 8, CRK_OpiekunId: 3, CRK_Priorytet: 2, CRK_PodmiotTyp: PODMIOT_BANK, CRK_PodID: 1, CRK_EtapRealizacji: 8,
    CRK_Przypomnienie: 1, CRK_CzasPrzypomnienia: wall(training[0] - 30 * MINUTE),
  }, () => ({ reminder: 30 }));
  writer.participant(s.bankSubject.taskId, staff(8, 3), true);
  writer.participant(s.bankSubject.taskId, staff(3, 5), false);
  writer.participant(s.bankSubject.taskId, staff(3, 2), false);

  writer.task(buildDemoCrmRow(s.unresolved.taskId, {
    CRK_Temat: 'Telefon w sprawie reklamacji', CRK_OpiekunTyp: 3, CRK_OpiekunId: 2, CRK_Priorytet: 2,
    CRK_PodmiotTyp: PODMIOT_KONTRAHENT, CRK_PodID: 999, CRK_OsobaNazwisko: 'Anna Kowalska', CRK_EtapRealizacji: 2,
    CRK_TerminOd: wall(at(2, 12)), CRK_TerminDo: wall(at(2, 12, 30)), CRK_TS_Mod: stamp(s.unresolved.taskId),
  }));
}
