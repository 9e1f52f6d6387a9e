import type Database from 'better-sqlite3';
import { formatWallDate } from './optima-demo-clock.ts';
import { DEMO_CUSTOMERS, DEMO_EMPLOYEES, DEMO_OPERATORS } from './optima-demo-data.ts';
import { EMPTY_OPTIMA_DATE } from './optima-demo-order.ts';

/**
 * Rows of the demo's CRM tables as Optima stores them: tasks and contacts (CDN.CRMKontakty,
 * `CRK_`), the materialized occurrences of recurring tasks (CDN.CrmKontaktyCykl, `CRC_`) and
 * participants (CDN.CrmUczestnicy, `CrU_`). One prepared INSERT per table; shared by the hand-made
 * rows (optima-demo-crm-special.ts) and the generated ones (optima-demo-crm.ts).
 */

export type DemoCrmRow = Record<string, string | number | null>;

/** Columns the demo fills on every CRM row. */
export const DEMO_CRM_COLUMNS: readonly string[] = [
  'CRK_CRKId', 'CRK_Zadanie', 'CRK_NumerNr', 'CRK_NumerString', 'CRK_NumerPelny', 'CRK_Temat', 'CRK_Opis', 'CRK_Lokalizacja',
  'CRK_DataDok', 'CRK_TerminOd', 'CRK_TerminDo', 'CRK_OpiekunTyp', 'CRK_OpiekunId', 'CRK_Bufor', 'CRK_Anulowany',
  'CRK_Priorytet', 'CRK_Przypomnienie', 'CRK_CzasPrzypomnienia', 'CRK_PodmiotTyp', 'CRK_PodID', 'CRK_OsobaNazwisko',
  'CRK_EtapRealizacji', 'CRK_Cykl', 'CRK_CyklParentId', 'CRK_CyklDataStart', 'CRK_CyklDataEnd', 'CRK_CyklLiczbaWystapien',
  'CRK_TS_Zal', 'CRK_TS_Mod',
];

const OCCURRENCE_COLUMNS: readonly string[] = [
  'CRC_CRCId', 'CRC_CRKId', 'CRC_TerminOd', 'CRC_TerminDo', 'CRC_Przypomnienie', 'CRC_CzasPrzypomnienia', 'CRC_Aktywny', 'CRC_Bufor', 'CRC_CrKWylaczonyId',
];

const PARTICIPANT_COLUMNS: readonly string[] = [
  'CrU_CrUId', 'CrU_CrKId', 'CrU_PodmiotTyp', 'CrU_PodmiotId', 'CrU_Organizator', 'CrU_Akronim', 'CrU_Nazwisko', 'CrU_Email', 'CrU_AutomatycznePrzypomnienia', 'CrU_TelefonSms',
];

export const MINUTE = 60_000;
export const DAY = 24 * 60 * MINUTE;

/** A person who can take part in a CRM task: CrU_PodmiotTyp 3 employee, 8 operator [INF], 1 a customer's contact person. */
export interface DemoParticipant {
  readonly type: 1 | 3 | 8;
  readonly id: number;
  readonly akronim: string;
  readonly nazwisko: string;
  readonly email: string;
}

/** Employees and operators as participants, with the e-mail Optima would copy ('' when none). */
export const DEMO_STAFF_PARTICIPANTS: readonly DemoParticipant[] = [
  ...DEMO_EMPLOYEES.map((e) => ({ type: 3 as const, id: e.id, akronim: e.code, nazwisko: `${e.first} ${e.last}`, email: e.hdkEmail || e.epEmail })),
  ...DEMO_OPERATORS.filter((o) => !o.inactive && o.code !== 'ADMIN').map((o) => ({ type: 8 as const, id: o.id, akronim: o.code, nazwisko: o.name, email: o.email })),
];

/** Contact persons of customers (type 1, the customer's id): some with an e-mail, some without. */
export const DEMO_CONTACT_PARTICIPANTS: readonly DemoParticipant[] = [
  { type: 1, id: 2, akronim: '', nazwisko: 'Ewa Zielińska', email: 'e.zielinska@klient-demo.pl' },
  { type: 1, id: 5, akronim: '', nazwisko: 'Piotr Nowak', email: '' },
  { type: 1, id: 9, akronim: '', nazwisko: 'Żaneta Źrebiec', email: 'gabinet@klient-demo.pl' },
  { type: 1, id: 12, akronim: '', nazwisko: 'Jerzy Wąsik', email: '' },
];

/** The staff participant who owns a task (type 3 or 8 and id), if there is one. */
export function findStaffParticipant(type: number, id: number): DemoParticipant | undefined {
  return DEMO_STAFF_PARTICIPANTS.find((p) => p.type === type && p.id === id);
}

/** Customer subjects a CRM row may point to: CRK_PodmiotTyp 1 and an id from DEMO_CUSTOMERS. */
export function pickCustomerId(n: number): number {
  return DEMO_CUSTOMERS[n % DEMO_CUSTOMERS.length].id;
}

/** One occurrence to write; times are wall dates in ms (UTC fields = Optima's wall clock). */
export interface DemoOccurrence {
  readonly id: number;
  readonly taskId: number;
  readonly start: number;
  readonly minutes: number;
  /** Minutes before the start; null = no reminder; 'empty' = flag on, time left empty (1899-12-30). */
  readonly reminder: number | null | 'empty';
  readonly bufor: number;
  /** CRC_CrKWylaczonyId: the standalone task this occurrence was split off into. */
  readonly splitOffInto?: number;
}

export interface DemoCrmWriter {
  task(row: DemoCrmRow): void;
  occurrence(o: DemoOccurrence): void;
  /** Writes a participant with the next CrU_CrUId. */
  participant(taskId: number, p: DemoParticipant, organizer: boolean): void;
}

/** Prepared INSERTs for the three tables (inside the caller's transaction). */
export function createDemoCrmWriter(db: Database.Database): DemoCrmWriter {
  const insert = (table: string, columns: readonly string[]) =>
    db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`);
  const tasks = insert('CRMKontakty', DEMO_CRM_COLUMNS);
  const occurrences = insert('CrmKontaktyCykl', OCCURRENCE_COLUMNS);
  const participants = insert('CrmUczestnicy', PARTICIPANT_COLUMNS);
  let nextParticipant = ((db.prepare('SELECT MAX(CrU_CrUId) AS id FROM CrmUczestnicy').get() as { id: number | null }).id ?? 0) + 1;
  return {
    task: (row) => tasks.run(row),
    occurrence(o) {
      occurrences.run({
        CRC_CRCId: o.id,
        CRC_CRKId: o.taskId,
        CRC_TerminOd: formatWallDate(new Date(o.start)),
        CRC_TerminDo: formatWallDate(new Date(o.start + o.minutes * MINUTE)),
        CRC_Przypomnienie: o.reminder === null ? 0 : 1,
        CRC_CzasPrzypomnienia: typeof o.reminder === 'number' ? formatWallDate(new Date(o.start - o.reminder * MINUTE)) : EMPTY_OPTIMA_DATE,
        CRC_Aktywny: 1,
        CRC_Bufor: o.bufor,
        CRC_CrKWylaczonyId: o.splitOffInto ?? null,
      });
    },
    participant(taskId, p, organizer) {
      participants.run({
        CrU_CrUId: nextParticipant++,
        CrU_CrKId: taskId,
        CrU_PodmiotTyp: p.type,
        CrU_PodmiotId: p.id,
        CrU_Organizator: organizer ? 1 : 0,
        CrU_Akronim: p.akronim,
        CrU_Nazwisko: p.nazwisko,
        CrU_Email: p.email,
        CrU_AutomatycznePrzypomnienia: 0,
        CrU_TelefonSms: '',
      });
    },
  };
}

/** A CRM row with Optima's defaults for what a caller leaves out (not recurring, no customer, no stage). */
export function buildDemoCrmRow(id: number, values: DemoCrmRow & { readonly CRK_TerminOd: string; readonly CRK_TS_Mod: string }): DemoCrmRow {
  const zadanie = values.CRK_Zadanie ?? 1;
  const year = String(values.CRK_TerminOd).startsWith('1899') ? String(values.CRK_TS_Mod).slice(0, 4) : String(values.CRK_TerminOd).slice(0, 4);
  return {
    CRK_CRKId: id,
    CRK_Zadanie: zadanie,
    CRK_NumerNr: id,
    CRK_NumerString: `${zadanie ? 'ZAD' : 'KON'}/@numer/${year}`,
    CRK_NumerPelny: `${zadanie ? 'ZAD' : 'KON'}/${id}/${year}`,
    CRK_Temat: '',
    CRK_Opis: '',
    CRK_Lokalizacja: '',
    CRK_DataDok: `${String(values.CRK_TS_Mod).slice(0, 10)} 00:00:00.000`,
    CRK_TerminDo: values.CRK_TerminOd,
    CRK_OpiekunTyp: null,
    CRK_OpiekunId: null,
    CRK_Bufor: 1,
    CRK_Anulowany: 0,
    CRK_Priorytet: 0,
    CRK_Przypomnienie: 0,
    CRK_CzasPrzypomnienia: EMPTY_OPTIMA_DATE,
    CRK_PodmiotTyp: null,
    CRK_PodID: null,
    CRK_OsobaNazwisko: '',
    CRK_EtapRealizacji: null,
    CRK_Cykl: 0,
    CRK_CyklParentId: null,
    CRK_CyklDataStart: null,
    CRK_CyklDataEnd: null,
    CRK_CyklLiczbaWystapien: 1,
    CRK_TS_Zal: values.CRK_TS_Mod,
    ...values,
  };
}

/** Recurrence columns of a task whose occurrences start at `starts` (not a pattern: nothing decodes them). */
export function describeCycle(starts: readonly number[]): DemoCrmRow {
  return {
    CRK_Cykl: 1,
    CRK_CyklDataStart: formatWallDate(new Date(starts[0] - (starts[0] % DAY))),
    CRK_CyklDataEnd: formatWallDate(new Date(starts[starts.length - 1] - (starts[starts.length - 1] % DAY))),
    CRK_CyklLiczbaWystapien: starts.length,
  };
}
