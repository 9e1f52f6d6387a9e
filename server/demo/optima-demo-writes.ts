import Database from 'better-sqlite3';
import type { PersonRef } from '../domain/types.ts';
import { DEMO_TIME_ZONE, formatOptimaNow, formatWallDate, toWallDate } from './optima-demo-clock.ts';
import { DEMO_OPERATORS, createRandom, pickInt, pickOne } from './optima-demo-data.ts';
import { DEMO_ORDER_COLUMNS, buildDemoOrder, type DemoOrderRow } from './optima-demo-order.ts';
import { listDemoColumns } from './optima-demo-schema.ts';

/**
 * Changes to the demo company database the way Optima makes them: every write stamps
 * SrZ_TS_Mod with the current wall clock (datetime ticks) and the modifying operator; deletes
 * are physical. Used by the demo simulator and the end-to-end tests.
 */

/** Raw Optima column values (`SrZ_*`), validated against the real column list. */
export type OrderPatch = Readonly<Record<string, string | number | null>>;

export interface DemoWriteOptions {
  /** Instant of the change (default: now). */
  readonly now?: Date;
  readonly timeZone?: string;
  /** Operator recorded as the modifier (default: ADMIN). */
  readonly operatorId?: number;
}

const ORDER_COLUMNS = new Set(listDemoColumns('SrsZlecenia'));
const DAY = 86_400_000;

/** Opens the demo company file for writing (WAL, waits for the reader's locks instead of failing). */
export function openOptimaDemoDatabase(companyDbPath: string): Database.Database {
  const db = new Database(companyDbPath, { fileMustExist: true, timeout: 5000 });
  db.pragma('journal_mode = WAL');
  return db;
}

/**
 * Updates columns of one order and bumps SrZ_TS_Mod. An explicit SrZ_TS_Mod in the patch wins
 * (tests place stamps to the millisecond). Returns false when the order does not exist.
 */
export function updateOrder(db: Database.Database, id: number, patch: OrderPatch, options: DemoWriteOptions = {}): boolean {
  const values: Record<string, string | number | null> = { ...modifierStamp(options), ...patch };
  const columns = validColumns(Object.keys(values)).filter((c) => c !== 'SrZ_SrZId');
  const assignments = columns.map((c) => `"${c}" = @${c}`).join(', ');
  return db.prepare(`UPDATE SrsZlecenia SET ${assignments} WHERE SrZ_SrZId = @__id`).run({ ...values, __id: id }).changes > 0;
}

/**
 * Inserts a new order as if someone just registered it in Optima: dated today, realization in
 * the next days, state "Do realizacji", next number of the year. `values` override any column.
 * Returns the new SrZ_SrZId.
 */
export function insertOrder(db: Database.Database, values: OrderPatch = {}, options: DemoWriteOptions = {}): number {
  validColumns(Object.keys(values));
  const id = ((db.prepare('SELECT MAX(SrZ_SrZId) AS id FROM SrsZlecenia').get() as { id: number | null }).id ?? 0) + 1;
  const at = options.now ?? new Date();
  const wallNow = toWallDate(at, options.timeZone ?? DEMO_TIME_ZONE);
  const random = createRandom(id * 7919 + 17);
  const year = wallNow.getUTCFullYear();
  const numbers = db.prepare('SELECT MAX(SrZ_NumerNr) AS nr FROM SrsZlecenia WHERE SrZ_NumerString = ?').get(`SRW/@numer/${year}`) as { nr: number | null };
  const nr = (numbers.nr ?? 0) + 1;
  const stamp = formatOptimaNow(at, options.timeZone ?? DEMO_TIME_ZONE);
  const today = Math.floor(wallNow.getTime() / DAY) * DAY;
  const realization = today + pickInt(random, 1, 14) * DAY + (pickInt(random, 7, 16) * 60 + pickOne(random, [0, 15, 30, 45])) * 60_000;
  const row: DemoOrderRow = {
    ...buildDemoOrder(random, { id, numberNr: nr, wallNow }),
    SrZ_NumerString: `SRW/@numer/${year}`,
    SrZ_NumerNr: nr,
    SrZ_NumerPelny: `SRW/${nr}/${year}`,
    SrZ_Stan: 0,
    SrZ_Bufor: 0,
    SrZ_Wykonano: 0,
    SrZ_CzasRealizacjiCzynnosci: 0,
    SrZ_DataDok: formatWallDate(new Date(today)),
    SrZ_DataPrzyjecia: formatWallDate(new Date(Math.floor(wallNow.getTime() / 1000) * 1000)),
    SrZ_DataRealizacji: formatWallDate(new Date(realization)),
    SrZ_DataZamkniecia: null,
    SrZ_EtapId: null,
    SrZ_EtapOpis: '',
    SrZ_EtapData: null,
    ...creatorStamp(options),
    ...modifierStamp(options),
    SrZ_TS_Zal: stamp,
    SrZ_TS_Mod: stamp,
    ...values,
    SrZ_SrZId: id,
  };
  const columns = [...new Set([...DEMO_ORDER_COLUMNS, ...Object.keys(row)])];
  db.prepare(`INSERT INTO SrsZlecenia (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`).run(
    Object.fromEntries(columns.map((c) => [c, row[c] ?? null])),
  );
  return id;
}

/** Deletes an order physically, as Optima does. Returns false when it did not exist. */
export function deleteOrder(db: Database.Database, id: number): boolean {
  return db.prepare('DELETE FROM SrsZlecenia WHERE SrZ_SrZId = ?').run(id).changes > 0;
}

/** Changes the leader (SrZ_ProwadzacyTyp/Id: 3 employee, 8 operator; null = nobody) and bumps SrZ_TS_Mod. */
export function reassignOrder(db: Database.Database, id: number, person: PersonRef | null, options: DemoWriteOptions = {}): boolean {
  const type = person === null ? null : person.type === 'pracownik' ? 3 : 8;
  return updateOrder(db, id, { SrZ_ProwadzacyTyp: type, SrZ_ProwadzacyId: person?.id ?? null }, options);
}

function modifierStamp(options: DemoWriteOptions): DemoOrderRow {
  const operator = findOperator(options.operatorId);
  return {
    SrZ_OpeModId: operator.id,
    SrZ_OpeModKod: operator.code,
    SrZ_OpeModNazwisko: operator.name,
    SrZ_TS_Mod: formatOptimaNow(options.now ?? new Date(), options.timeZone ?? DEMO_TIME_ZONE),
  };
}

function creatorStamp(options: DemoWriteOptions): DemoOrderRow {
  const operator = findOperator(options.operatorId);
  return { SrZ_OpeZalId: operator.id, SrZ_OpeZalKod: operator.code, SrZ_OpeZalNazwisko: operator.name };
}

function findOperator(id: number | undefined) {
  const operator = DEMO_OPERATORS.find((o) => o.id === (id ?? 1));
  if (!operator) throw new Error(`demo operator ${id} does not exist (known: ${DEMO_OPERATORS.map((o) => o.id).join(', ')})`);
  return operator;
}

/** Column names go into SQL text, so only real SrsZlecenia columns pass. */
function validColumns(names: readonly string[]): string[] {
  const unknown = names.filter((n) => !ORDER_COLUMNS.has(n));
  if (unknown.length > 0) throw new Error(`not a CDN.SrsZlecenia column: ${unknown.join(', ')}`);
  return [...names];
}
