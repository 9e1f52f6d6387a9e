import type Database from 'better-sqlite3';
import type { PersonRef } from '../domain/types.ts';
import { formatWallDate } from './optima-demo-clock.ts';
import { DEMO_EMPLOYEES, createRandom, pickInt, pickOne } from './optima-demo-data.ts';
import { EMPTY_OPTIMA_DATE } from './optima-demo-order.ts';
import { listDemoColumns } from './optima-demo-schema.ts';
import { updateOrder, type DemoWriteOptions } from './optima-demo-writes.ts';

/**
 * Service activities (CDN.SrsCzynnosci, `SrY_`) of the demo orders, the way Optima stores them:
 * a service item's code and name, a worker (3 = employee, 8 = operator), planned start and end,
 * done and "reserve time in the Terminarz" flags. Generated from the orders already written, with
 * a PRNG of their own, so adding activities leaves every order exactly as it was.
 */

export type DemoActivityRow = Record<string, string | number | null>;

/** Columns the demo fills on every activity (one prepared INSERT). */
export const DEMO_ACTIVITY_COLUMNS: readonly string[] = [
  'SrY_SrYId', 'SrY_SrZId', 'SrY_Lp', 'SrY_TwrId', 'SrY_TwrKod', 'SrY_TwrNazwa', 'SrY_Opis',
  'SrY_SerwisantTyp', 'SrY_SerwisantId', 'SrY_TerminOd', 'SrY_TerminDo', 'SrY_DataWykonania',
  'SrY_Zakonczona', 'SrY_RezerwujCzas', 'SrY_Przypomnienie', 'SrY_CzasPrzypomnienia',
  'SrY_CzasTrwania', 'SrY_CzasTrwaniaInt', 'SrY_Ilosc', 'SrY_JM', 'SrY_Fakturowac', 'SrY_Waluta',
];

/** Service items (Towary of type "usługa") an activity names. */
const SERVICE_ITEMS: readonly (readonly [id: number, code: string, name: string])[] = [
  [101, 'USL-DIAG', 'Diagnoza usterki'],
  [102, 'USL-PRZEGLAD', 'Przegląd okresowy'],
  [103, 'USL-NAPRAWA', 'Naprawa urządzenia'],
  [104, 'USL-FILTR', 'Wymiana filtrów'],
  [105, 'USL-URUCH', 'Uruchomienie i konfiguracja'],
  [106, 'USL-DOJAZD', 'Dojazd do klienta'],
  [107, 'USL-SZKOL', 'Szkolenie użytkownika'],
  [108, 'USL-SERWIS-GW', 'Naprawa gwarancyjna — części od producenta'],
];

const NOTES: readonly string[] = ['', '', '', 'Zabrać drabinę i miernik.', 'Klient prosi o telefon 30 min przed przyjazdem.', 'Sprawdzić ciśnienie w instalacji.\nSpisać numery seryjne.'];

/** Technicians: employees with a mailbox and the two service operators (8:2, 8:3). */
const WORKERS: readonly (readonly [type: 3 | 8, id: number])[] = [
  ...DEMO_EMPLOYEES.map((e) => [3, e.id] as const),
  [8, 2], [8, 3],
];

const MINUTE = 60_000;

interface OrderForActivities {
  readonly id: number;
  readonly stan: number;
  readonly realization: string;
  readonly received: string;
  readonly leaderTyp: number | null;
  readonly leaderId: number | null;
}

/**
 * Writes activities for the orders in `db`: about 60% of the orders get one to four, mostly
 * with their leader as the first worker; done when the order is realized; about one in six does
 * not reserve time in the Terminarz. Returns how many were written.
 */
export function insertDemoActivities(db: Database.Database, seed: number): number {
  const orders = db.prepare(
    `SELECT SrZ_SrZId AS id, SrZ_Stan AS stan, SrZ_DataRealizacji AS realization, SrZ_DataPrzyjecia AS received,
            SrZ_ProwadzacyTyp AS leaderTyp, SrZ_ProwadzacyId AS leaderId
     FROM SrsZlecenia ORDER BY SrZ_SrZId`,
  ).all() as OrderForActivities[];
  const insert = db.prepare(`INSERT INTO SrsCzynnosci (${DEMO_ACTIVITY_COLUMNS.join(', ')}) VALUES (${DEMO_ACTIVITY_COLUMNS.map((c) => `@${c}`).join(', ')})`);
  const random = createRandom(seed * 7727 + 101);
  let nextId = 1;
  for (const order of orders) {
    // The first orders are hand-made edge cases (DST, empty dates…): their activities would only blur them.
    if (order.id <= 11 || random() >= 0.6) continue;
    const base = pickBase(order);
    if (base === null) continue;
    const count = pickInt(random, 1, 4);
    let start = base;
    for (let lp = 1; lp <= count; lp++) {
      const row = buildDemoActivity(random, { id: nextId++, lp, order, start });
      insert.run(row);
      start = parseWall(String(row.SrY_TerminDo)) + pickInt(random, 0, 2) * 30 * MINUTE;
    }
  }
  return nextId - 1;
}

function buildDemoActivity(random: () => number, ctx: { id: number; lp: number; order: OrderForActivities; start: number }): DemoActivityRow {
  const { order } = ctx;
  const [twrId, code, name] = pickOne(random, SERVICE_ITEMS);
  const leader: readonly [number, number] | null = order.leaderTyp !== null && order.leaderId !== null && WORKERS.some(([t, i]) => t === order.leaderTyp && i === order.leaderId)
    ? [order.leaderTyp, order.leaderId] : null;
  const worker = ctx.lp === 1 && leader && random() < 0.7 ? leader : pickOne(random, WORKERS);
  const minutes = pickOne(random, [30, 45, 60, 90, 120, 180]);
  const end = ctx.start + minutes * MINUTE;
  const done = order.stan === 2 || (order.stan === 1 && random() < 0.5);
  const reminder = random() < 0.3;
  return {
    SrY_SrYId: ctx.id,
    SrY_SrZId: order.id,
    SrY_Lp: ctx.lp,
    SrY_TwrId: twrId,
    SrY_TwrKod: code,
    SrY_TwrNazwa: name,
    SrY_Opis: pickOne(random, NOTES),
    SrY_SerwisantTyp: worker[0],
    SrY_SerwisantId: worker[1],
    SrY_TerminOd: formatWallDate(new Date(ctx.start)),
    SrY_TerminDo: formatWallDate(new Date(end)),
    SrY_DataWykonania: done ? formatWallDate(new Date(end)) : null,
    SrY_Zakonczona: done ? 1 : 0,
    SrY_RezerwujCzas: random() < 0.84 ? 1 : 0,
    SrY_Przypomnienie: reminder ? 1 : 0,
    SrY_CzasPrzypomnienia: reminder ? formatWallDate(new Date(ctx.start - 15 * MINUTE)) : EMPTY_OPTIMA_DATE,
    // Durations are datetimes counted from 1899-12-30, as Optima keeps them.
    SrY_CzasTrwania: formatWallDate(new Date(Date.UTC(1899, 11, 30) + minutes * MINUTE)),
    SrY_CzasTrwaniaInt: minutes,
    SrY_Ilosc: 1,
    SrY_JM: 'godz.',
    SrY_Fakturowac: 1,
    SrY_Waluta: '',
  };
}

/** The first activity starts at the order's realization time (or its reception), never on an empty date. */
function pickBase(order: OrderForActivities): number | null {
  for (const value of [order.realization, order.received]) {
    if (!value || value.startsWith('1899-12-30')) continue;
    const ms = parseWall(value);
    if (!Number.isNaN(ms)) return Math.floor(ms / MINUTE) * MINUTE;
  }
  return null;
}

function parseWall(text: string): number {
  return new Date(`${text.replace(' ', 'T')}Z`).getTime();
}

// ── Writes, as Optima makes them ───────────────────────────────────────────────────────────

const ACTIVITY_COLUMNS = new Set(listDemoColumns('SrsCzynnosci'));

/**
 * Updates columns of one activity. Saving it from the order form also saves the order, so by
 * default the parent's SrZ_TS_Mod is bumped too; `touchOrder: false` is an edit from the
 * Terminarz, which (as far as is known) leaves the order's stamp alone. False when there is no such activity.
 */
export function updateActivity(db: Database.Database, id: number, patch: DemoActivityRow, options: DemoWriteOptions & { readonly touchOrder?: boolean } = {}): boolean {
  const columns = Object.keys(patch).filter((c) => c !== 'SrY_SrYId');
  const unknown = columns.filter((c) => !ACTIVITY_COLUMNS.has(c));
  if (unknown.length > 0) throw new Error(`not a CDN.SrsCzynnosci column: ${unknown.join(', ')}`);
  const found = db.prepare('SELECT SrY_SrZId AS orderId FROM SrsCzynnosci WHERE SrY_SrYId = ?').get(id) as { orderId: number } | undefined;
  if (!found) return false;
  if (columns.length > 0) {
    db.prepare(`UPDATE SrsCzynnosci SET ${columns.map((c) => `"${c}" = @${c}`).join(', ')} WHERE SrY_SrYId = @__id`).run({ ...patch, __id: id });
  }
  if (options.touchOrder !== false) updateOrder(db, found.orderId, {}, options);
  return true;
}

/** Gives an activity to another worker (3 = employee, 8 = operator), saved from the order form. */
export function reassignActivity(db: Database.Database, id: number, person: PersonRef, options: DemoWriteOptions = {}): boolean {
  return updateActivity(db, id, { SrY_SerwisantTyp: person.type === 'pracownik' ? 3 : 8, SrY_SerwisantId: person.id }, options);
}

/** Deletes one activity (physically, as Optima does); the order form's save bumps the order unless `touchOrder` is false. */
export function deleteActivity(db: Database.Database, id: number, options: DemoWriteOptions & { readonly touchOrder?: boolean } = {}): boolean {
  const found = db.prepare('SELECT SrY_SrZId AS orderId FROM SrsCzynnosci WHERE SrY_SrYId = ?').get(id) as { orderId: number } | undefined;
  if (!found) return false;
  db.prepare('DELETE FROM SrsCzynnosci WHERE SrY_SrYId = ?').run(id);
  if (options.touchOrder !== false) updateOrder(db, found.orderId, {}, options);
  return true;
}
