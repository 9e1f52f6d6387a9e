import type Database from 'better-sqlite3';
import type { PersonRef } from '../domain/types.ts';
import { DEMO_TIME_ZONE, formatOptimaNow, formatWallDate } from './optima-demo-clock.ts';
import { DEMO_EMPLOYEES, createRandom, pickInt, pickOne } from './optima-demo-data.ts';
import { EMPTY_OPTIMA_DATE } from './optima-demo-order.ts';
import { listDemoColumns } from './optima-demo-schema.ts';
import type { DemoWriteOptions } from './optima-demo-writes.ts';

/**
 * CRM tasks and contacts (CDN.CRMKontakty, `CRK_`) of the demo world, the way Optima stores them:
 * CRK_Zadanie 1 = task, 0 = contact; CRK_Bufor 1 open, 0 closed, −1 cancelled (or CRK_Anulowany);
 * owner CRK_OpiekunTyp/Id (3 employee, 8 operator). No recurrence, no participants. Generated with
 * a PRNG of its own, around the demo's "now", so adding them leaves orders and activities as they were.
 */

export type DemoCrmRow = Record<string, string | number | null>;

/** Columns the demo fills on every CRM row (one prepared INSERT). */
export const DEMO_CRM_COLUMNS: readonly string[] = [
  'CRK_CRKId', 'CRK_Zadanie', 'CRK_NumerNr', 'CRK_NumerString', 'CRK_NumerPelny', 'CRK_Temat', 'CRK_Opis', 'CRK_Lokalizacja',
  'CRK_DataDok', 'CRK_TerminOd', 'CRK_TerminDo', 'CRK_OpiekunTyp', 'CRK_OpiekunId', 'CRK_Bufor', 'CRK_Anulowany',
  'CRK_Priorytet', 'CRK_Przypomnienie', 'CRK_CzasPrzypomnienia', 'CRK_PodmiotTyp', 'CRK_PodID', 'CRK_OsobaNazwisko',
  'CRK_Cykl', 'CRK_TS_Zal', 'CRK_TS_Mod',
];

const TOPICS: readonly (readonly [topic: string, location: string])[] = [
  ['Telefon do klienta w sprawie oferty', ''],
  ['Spotkanie handlowe — prezentacja nowej linii', 'Siedziba klienta'],
  ['Przygotować ofertę na przegląd roczny', ''],
  ['Negocjacje umowy serwisowej', 'Sala konferencyjna A'],
  ['Wizyta u klienta — odbiór zamówienia', 'ul. Długa 12, Kraków'],
  ['Przypomnienie o płatności', ''],
  ['Szkolenie produktowe dla działu sprzedaży', 'Biuro, sala 2'],
];
const NOTES: readonly string[] = ['', '', 'Zapytać o termin kolejnego przeglądu.', 'Klient prosi o kontakt po 14:00.\nPrzygotować cennik.'];
const CONTACT_PEOPLE: readonly string[] = ['Anna Kowalska', 'Piotr Nowak', 'Ewa Zielińska', ''];

/** Owners: employees with a mailbox and the two operators 8:2 and 8:3. */
const OWNERS: readonly (readonly [type: 3 | 8, id: number])[] = [
  ...DEMO_EMPLOYEES.filter((e) => e.hdkEmail).map((e) => [3, e.id] as const),
  [8, 2], [8, 3],
];

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * Writes `count` CRM rows around `wallNow` (Optima wall clock in UTC fields): mostly open tasks,
 * about one in five a contact, some closed, some cancelled, a few tasks without a term. Returns the count.
 */
export function insertDemoCrm(db: Database.Database, seed: number, wallNow: Date, count = 40): number {
  const insert = db.prepare(`INSERT INTO CRMKontakty (${DEMO_CRM_COLUMNS.join(', ')}) VALUES (${DEMO_CRM_COLUMNS.map((c) => `@${c}`).join(', ')})`);
  const random = createRandom(seed * 6113 + 29);
  const today = Math.floor(wallNow.getTime() / DAY) * DAY;
  for (let id = 1; id <= count; id++) {
    const zadanie = random() < 0.8 ? 1 : 0;
    const [topic, location] = pickOne(random, TOPICS);
    const owner = pickOne(random, OWNERS);
    const start = today + pickInt(random, -10, 20) * DAY + pickInt(random, 16, 32) * 30 * MINUTE;
    const minutes = pickOne(random, [30, 60, 90, 120]);
    const roll = random();
    const bufor = roll < 0.1 ? -1 : roll < 0.3 ? 0 : 1;
    const noTerm = zadanie === 1 && random() < 0.05;
    const reminder = random() < 0.3;
    const stamp = formatWallDate(new Date(Math.min(start, wallNow.getTime()) - pickInt(random, 1, 5) * DAY));
    insert.run({
      CRK_CRKId: id,
      CRK_Zadanie: zadanie,
      CRK_NumerNr: id,
      CRK_NumerString: 'CRM/@numer/2026',
      CRK_NumerPelny: `${zadanie ? 'ZAD' : 'KON'}/${id}/${new Date(start).getUTCFullYear()}`,
      CRK_Temat: topic,
      CRK_Opis: pickOne(random, NOTES),
      CRK_Lokalizacja: location,
      CRK_DataDok: formatWallDate(new Date(start - (start % DAY))),
      CRK_TerminOd: noTerm ? EMPTY_OPTIMA_DATE : formatWallDate(new Date(start)),
      CRK_TerminDo: noTerm ? EMPTY_OPTIMA_DATE : formatWallDate(new Date(start + minutes * MINUTE)),
      CRK_OpiekunTyp: owner[0],
      CRK_OpiekunId: owner[1],
      CRK_Bufor: bufor,
      CRK_Anulowany: bufor === -1 ? 1 : 0,
      CRK_Priorytet: pickInt(random, 1, 4),
      CRK_Przypomnienie: reminder ? 1 : 0,
      CRK_CzasPrzypomnienia: reminder ? formatWallDate(new Date(start - 15 * MINUTE)) : EMPTY_OPTIMA_DATE,
      CRK_PodmiotTyp: 1,
      CRK_PodID: 1 + (id % 28),
      CRK_OsobaNazwisko: pickOne(random, CONTACT_PEOPLE),
      CRK_Cykl: 0,
      CRK_TS_Zal: stamp,
      CRK_TS_Mod: stamp,
    });
  }
  return count;
}

// ── Writes, as Optima makes them ───────────────────────────────────────────────────────────

const CRM_COLUMNS = new Set(listDemoColumns('CRMKontakty'));

/** Updates columns of one CRM row and bumps CRK_TS_Mod, as saving the form in Optima does. False when there is no such row. */
export function updateCrmTask(db: Database.Database, id: number, patch: DemoCrmRow, options: DemoWriteOptions = {}): boolean {
  const values: DemoCrmRow = { CRK_TS_Mod: formatOptimaNow(options.now ?? new Date(), options.timeZone ?? DEMO_TIME_ZONE), ...patch };
  const columns = Object.keys(values).filter((c) => c !== 'CRK_CRKId');
  const unknown = columns.filter((c) => !CRM_COLUMNS.has(c));
  if (unknown.length > 0) throw new Error(`not a CDN.CRMKontakty column: ${unknown.join(', ')}`);
  return db.prepare(`UPDATE CRMKontakty SET ${columns.map((c) => `"${c}" = @${c}`).join(', ')} WHERE CRK_CRKId = @__id`).run({ ...values, __id: id }).changes > 0;
}

/** Cancels a task the way Optima does: CRK_Bufor = −1 and CRK_Anulowany = 1. */
export function cancelCrmTask(db: Database.Database, id: number, options: DemoWriteOptions = {}): boolean {
  return updateCrmTask(db, id, { CRK_Bufor: -1, CRK_Anulowany: 1 }, options);
}

/** Closes (completes) a task: CRK_Bufor = 0. */
export function closeCrmTask(db: Database.Database, id: number, options: DemoWriteOptions = {}): boolean {
  return updateCrmTask(db, id, { CRK_Bufor: 0 }, options);
}

/** Gives a task to another owner (3 = employee, 8 = operator). */
export function reassignCrmTask(db: Database.Database, id: number, person: PersonRef, options: DemoWriteOptions = {}): boolean {
  return updateCrmTask(db, id, { CRK_OpiekunTyp: person.type === 'pracownik' ? 3 : 8, CRK_OpiekunId: person.id }, options);
}
