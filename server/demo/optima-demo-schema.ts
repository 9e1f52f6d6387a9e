import type Database from 'better-sqlite3';
import { OPTIMA_DEMO_TABLES, type OptimaDemoTable } from './optima-demo-columns.ts';

/**
 * DDL of the demo database: the real Optima tables with every real column (from
 * optima-demo-columns.ts), declared with their SQL Server type names so a person browsing the
 * file sees Optima's types (SQLite affinity keeps text as text and integers as integers).
 * Columns without a type hint are int/smallint/tinyint in Optima, except descriptions.
 */

/** Hint-less columns that hold text in Optima (nvarchar(max) descriptions, account numbers); SQLite's type syntax has no (max). */
const TEXT_WITHOUT_HINT = /_(Opis|IBAN|IBANMikro)$/;

/**
 * Views in Optima, tables here: PodmiotyView merges customers, banks, employees, partners and
 * offices, so a row is identified by the pair (Pod_PodmiotTyp, Pod_PodId), not by its first column.
 */
const VIEWS_AS_TABLES = new Set(['PodmiotyView']);

/** Creates the Optima tables of one database ('company' or 'config') in `db` (schema main). */
export function createOptimaDemoTables(db: Database.Database, database: OptimaDemoTable['database']): void {
  for (const table of OPTIMA_DEMO_TABLES.filter((t) => t.database === database)) {
    const columns = table.columns.map(([name, type], i) => {
      // The scaffold lists the key first; INTEGER PRIMARY KEY makes it the rowid, as an identity.
      if (i === 0 && !VIEWS_AS_TABLES.has(table.table)) return `  "${name}" INTEGER PRIMARY KEY`;
      const declared = type || (TEXT_WITHOUT_HINT.test(name) ? 'nvarchar' : 'int');
      return `  "${name}" ${declared.replace(/\s+/g, '')}`;
    });
    db.exec(`CREATE TABLE "${table.table}" (\n${columns.join(',\n')}\n)`);
  }
  if (database === 'company') {
    // SQL Server sites usually index the watermark column too; the changed-rows query relies on it.
    db.exec('CREATE INDEX "SrsZleceniaTSMod" ON "SrsZlecenia" ("SrZ_TS_Mod")');
    // Optima's own index on activities (SrZId, Lp, SrYId): the activity queries join through it.
    db.exec('CREATE INDEX "SrsCzynnosciZlecenie" ON "SrsCzynnosci" ("SrY_SrZId", "SrY_Lp", "SrY_SrYId")');
    db.exec('CREATE INDEX "CRMKontaktyTSMod" ON "CRMKontakty" ("CRK_TS_Mod")');
    // Child tables of CRM tasks are read through their task id (a foreign key Optima very likely indexes too [INF]).
    db.exec('CREATE INDEX "CrmKontaktyCyklZadanie" ON "CrmKontaktyCykl" ("CRC_CRKId")');
    db.exec('CREATE INDEX "CrmUczestnicyZadanie" ON "CrmUczestnicy" ("CrU_CrKId")');
    db.exec('CREATE UNIQUE INDEX "PodmiotyViewPodmiot" ON "PodmiotyView" ("Pod_PodmiotTyp", "Pod_PodId")');
  }
}

/** Column names of one demo table (for validating write helpers' patches). */
export function listDemoColumns(table: string): readonly string[] {
  const found = OPTIMA_DEMO_TABLES.find((t) => t.table === table);
  if (!found) throw new Error(`unknown demo table ${table}`);
  return found.columns.map(([name]) => name);
}
