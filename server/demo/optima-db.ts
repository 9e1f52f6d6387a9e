import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { PersonType } from '../domain/types.ts';
import { DEMO_TIME_ZONE, toWallDate } from './optima-demo-clock.ts';
import { DEMO_CATEGORIES, DEMO_DEVICES, DEMO_EMPLOYEES, DEMO_OPERATORS, DEMO_STAGES, createRandom } from './optima-demo-data.ts';
import { DEMO_ORDER_COLUMNS, buildDemoOrder, buildDemoSpecialOrders, type DemoOrderRow } from './optima-demo-order.ts';
import { createOptimaDemoTables } from './optima-demo-schema.ts';
import { insertDemoActivities } from './optima-demo-activities.ts';
import { DEMO_CRM_DEFAULT_COUNT, insertDemoCrm } from './optima-demo-crm.ts';
import { insertDemoPodmioty } from './optima-demo-podmioty.ts';

/**
 * The embedded demo world's Optima: two SQLite files shaped like a company database and the
 * configuration database (real CDN table and column names), filled with a deterministic set of
 * service orders and their service activities, CRM tasks and contacts (some recurring, with
 * occurrences and participants) and the subjects they point to (PodmiotyView). The SQLite source
 * reader attaches them AS CDN and runs the built-in SQL on them.
 */

export const DEMO_COMPANY_DB_FILE = 'optima-demo-firma.db';
export const DEMO_CONFIG_DB_FILE = 'optima-demo-konfiguracja.db';

export interface OptimaDemoOptions {
  /** Folder for the two files; created if missing. Existing demo files there are replaced. */
  readonly dir: string;
  /** Number of service orders (default 320). The first ones are the hand-made edge cases. */
  readonly orders?: number;
  /**
   * Number of CRM rows, CDN.CRMKontakty (default 48). The first ones are the hand-made recurring
   * tasks and edge cases (DEMO_CRM_SPECIAL), written even when this is smaller.
   */
  readonly crmTasks?: number;
  /** PRNG seed (default 1): same seed and same `now` give the same database. */
  readonly seed?: number;
  /** "Now" for the generated history (default: the current time). Dates cluster around it. */
  readonly now?: Date;
  /** Optima's local time zone (default Europe/Warsaw). */
  readonly timeZone?: string;
}

export interface OptimaDemoPerson {
  readonly type: PersonType;
  readonly id: number;
  readonly name: string;
  /** The e-mail the source reader will report for this person, or null when none is set. */
  readonly email: string | null;
}

export interface OptimaDemoDatabase {
  readonly companyDbPath: string;
  readonly configDbPath: string;
  readonly people: readonly OptimaDemoPerson[];
}

/** Builds both files. 100k orders or CRM rows take a few seconds (one transaction, one prepared INSERT per table). */
export function createOptimaDemoDatabase(options: OptimaDemoOptions): OptimaDemoDatabase {
  mkdirSync(options.dir, { recursive: true });
  const companyDbPath = join(options.dir, DEMO_COMPANY_DB_FILE);
  const configDbPath = join(options.dir, DEMO_CONFIG_DB_FILE);
  for (const path of [companyDbPath, configDbPath]) {
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(path + suffix, { force: true });
  }
  const wallNow = toWallDate(options.now ?? new Date(), options.timeZone ?? DEMO_TIME_ZONE);
  writeCompanyDatabase(companyDbPath, { orders: options.orders ?? 320, crmTasks: options.crmTasks ?? DEMO_CRM_DEFAULT_COUNT }, options.seed ?? 1, wallNow);
  writeConfigDatabase(configDbPath);
  return { companyDbPath, configDbPath, people: listDemoPeople() };
}

/** The people of the demo world as the source reader will see them. */
export function listDemoPeople(): OptimaDemoPerson[] {
  return [
    ...DEMO_EMPLOYEES.map((e) => ({ type: 'pracownik' as const, id: e.id, name: `${e.first} ${e.last}`, email: e.hdkEmail || e.epEmail || null })),
    ...DEMO_OPERATORS.map((o) => ({ type: 'operator' as const, id: o.id, name: o.name, email: o.email || null })),
  ];
}

function openForWriting(path: string): Database.Database {
  const db = new Database(path);
  // WAL: the demo simulator writes while the sync reads through its own read-only connection.
  db.pragma('journal_mode = WAL');
  return db;
}

function writeCompanyDatabase(path: string, counts: { readonly orders: number; readonly crmTasks: number }, seed: number, wallNow: Date): void {
  const db = openForWriting(path);
  try {
    createOptimaDemoTables(db, 'company');
    db.transaction(() => {
      insertDictionaries(db);
      insertEmployees(db);
      insertDemoPodmioty(db);
      insertOrders(db, counts.orders, seed, wallNow);
      insertDemoActivities(db, seed);
      insertDemoCrm(db, seed, wallNow, counts.crmTasks);
    })();
  } finally {
    db.close();
  }
}

function writeConfigDatabase(path: string): void {
  const db = openForWriting(path);
  try {
    createOptimaDemoTables(db, 'config');
    const insert = db.prepare(
      `INSERT INTO Operatorzy (Ope_OpeID, Ope_Kod, Ope_Nazwisko, Ope_Email, Ope_Nieaktywny, Ope_Administrator, Ope_ModulSRW, Ope_ModulCRM, Ope_Telefon, OPE_TS_Zal, OPE_TS_Mod)
       VALUES (@id, @code, @name, @email, @inactive, @admin, 1, 1, '', '2019-01-02 08:00:00.000', '2024-06-03 12:30:00.000')`,
    );
    db.transaction(() => {
      for (const o of DEMO_OPERATORS) {
        insert.run({ id: o.id, code: o.code, name: o.name, email: o.email, inactive: o.inactive ? 1 : 0, admin: o.code === 'ADMIN' ? 1 : 0 });
      }
    })();
  } finally {
    db.close();
  }
}

function insertDictionaries(db: Database.Database): void {
  const stage = db.prepare('INSERT INTO DefEtapy (DEt_DEtId, DEt_Kod, DEt_Opis, DEt_Typ, DEt_Lp, DEt_CzyData) VALUES (?, ?, ?, ?, ?, 0)');
  DEMO_STAGES.forEach((s, i) => stage.run(s.id, s.code, s.name, s.type, i + 1));
  const category = db.prepare(
    'INSERT INTO Kategorie (Kat_KatID, Kat_KodOgolny, Kat_KodSzczegol, Kat_Opis, Kat_Typ, Kat_Poziom, Kat_Nieaktywny) VALUES (?, ?, ?, ?, 1, 2, 0)',
  );
  for (const c of DEMO_CATEGORIES) category.run(c.id, c.general, c.detail, c.description);
  const device = db.prepare(
    `INSERT INTO SrsUrzadzenia (SrU_SrUId, SrU_Kod, SrU_Nazwa, SrU_Opis, SrU_PodmiotTyp, SrU_PodmiotId, SrU_TS_Zal, SrU_TS_Mod)
     VALUES (?, ?, ?, ?, 1, ?, '2023-02-01 09:00:00.000', '2023-02-01 09:00:00.000')`,
  );
  for (const d of DEMO_DEVICES) device.run(d.id, d.code, d.name, `Nr seryjny: ${d.serial}`, 1 + (d.id % 28));
}

function insertEmployees(db: Database.Database): void {
  const kod = db.prepare('INSERT INTO PracKod (PRA_PraId, PRA_Kod, PRA_Archiwalny, PRA_EPEmail) VALUES (?, ?, 0, ?)');
  const idx = db.prepare('INSERT INTO Pracidx (PRI_PriId, PRI_PraId, PRI_Typ, PRI_Kod, PRI_Imie1, PRI_Nazwisko, PRI_Archiwalny) VALUES (?, ?, 1, ?, ?, ?, 0)');
  const etat = db.prepare(
    `INSERT INTO PracEtaty (PRE_PreId, PRE_PraId, PRE_DataOd, PRE_DataDo, PRE_Imie1, PRE_Nazwisko, PRE_HDKEmail, PRE_TelefonSms, PRE_TS_Zal, PRE_TS_Mod)
     VALUES (@preId, @praId, @from, @to, @first, @last, @email, '', @from, @from)`,
  );
  for (const e of DEMO_EMPLOYEES) {
    kod.run(e.id, e.code, e.epEmail);
    idx.run(e.id, e.id, e.code, e.first, e.last);
    // Two dated versions: the older one carries a private address, the current one the company address.
    const old = `${e.first.toLowerCase()}.${e.id}@poczta-prywatna.example`;
    etat.run({ preId: e.id * 10 + 1, praId: e.id, from: '2018-03-01 00:00:00.000', to: '2022-12-31 00:00:00.000', first: e.first, last: e.last, email: e.hdkEmail ? old : '' });
    etat.run({ preId: e.id * 10 + 2, praId: e.id, from: '2023-01-01 00:00:00.000', to: null, first: e.first, last: e.last, email: e.hdkEmail });
  }
}

function insertOrders(db: Database.Database, count: number, seed: number, wallNow: Date): void {
  const insert = db.prepare(
    `INSERT INTO SrsZlecenia (${DEMO_ORDER_COLUMNS.join(', ')}) VALUES (${DEMO_ORDER_COLUMNS.map((c) => `@${c}`).join(', ')})`,
  );
  const random = createRandom(seed);
  const numbers = new Map<string, number>();
  const specials = buildDemoSpecialOrders(wallNow.getUTCFullYear());
  for (let id = 1; id <= count; id++) {
    const row: DemoOrderRow = buildDemoOrder(random, { id, numberNr: 0, wallNow });
    const special = specials[id - 1];
    if (special) Object.assign(row, special.patch);
    // Numbering per year of the document date, as Optima's SRW/@numer/@rok scheme does.
    const year = String(row.SrZ_DataDok).slice(0, 4);
    const nr = (numbers.get(year) ?? 0) + 1;
    numbers.set(year, nr);
    row.SrZ_NumerNr = nr;
    row.SrZ_NumerString = `SRW/@numer/${year}`;
    row.SrZ_NumerPelny = `SRW/${nr}/${year}`;
    insert.run(row);
  }
}
