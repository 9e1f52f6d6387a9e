import type { SchemaProblem } from '../source-reader.ts';
import { checkSelectSql } from '../sql-check.ts';
import type { OptimaDatabase, OptimaQueries, QueryName } from './optima-queries.ts';

/**
 * What the queries need from the schema, and what is missing. Shared by the SQLite and SQL
 * Server readers: each one lists the real columns its own way, this compares (case-insensitive,
 * as SQL Server's default collation and SQLite both are).
 */

export interface RequiredTable {
  readonly database: OptimaDatabase;
  /** As written in the query, e.g. `CDN.SrsZlecenia`. */
  readonly table: string;
  /** Table name without schema, e.g. `SrsZlecenia`. */
  readonly name: string;
  readonly columns: readonly string[];
  readonly queries: readonly QueryName[];
}

/** Tables and columns the queries read, per database (from the parsed SQL, not a hand list). */
export function listRequiredTables(queries: OptimaQueries): RequiredTable[] {
  const tables = new Map<string, { database: OptimaDatabase; table: string; name: string; columns: Set<string>; queries: Set<QueryName> }>();
  for (const query of Object.values(queries)) {
    const check = checkSelectSql(query.sql);
    if (!check.ok) continue; // loadOptimaQueries already rejected bad overrides; built-ins are tested.
    for (const ref of check.references) {
      if (ref.table === null || ref.column === '*') continue;
      const name = ref.table.split('.').at(-1) ?? ref.table;
      const key = `${query.database}:${name.toLowerCase()}`;
      const entry = tables.get(key) ?? { database: query.database, table: ref.table, name, columns: new Set(), queries: new Set() };
      entry.columns.add(ref.column);
      entry.queries.add(query.name);
      tables.set(key, entry);
    }
  }
  return [...tables.values()].map((t) => ({ ...t, columns: [...t.columns].sort(), queries: [...t.queries] }));
}

/**
 * `actual` maps lower-case table name → lower-case column names present (a missing key = no
 * such table). Returns one problem per missing table or column, with the fix in the message.
 */
export function findSchemaProblems(
  required: readonly RequiredTable[],
  actual: ReadonlyMap<string, ReadonlySet<string>>,
  describeDatabase: (database: OptimaDatabase) => string,
): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  for (const table of required) {
    const columns = actual.get(table.name.toLowerCase());
    const where = describeDatabase(table.database);
    if (!columns) {
      problems.push({
        table: table.table,
        column: null,
        message: `Brak tabeli ${table.table} w ${where} — sprawdź, czy konfiguracja wskazuje właściwą bazę Optimy (${table.database === 'config' ? 'konfiguracyjną' : 'firmową'}).`,
      });
      continue;
    }
    for (const column of table.columns) {
      if (columns.has(column.toLowerCase())) continue;
      problems.push({
        table: table.table,
        column,
        message: `Brak kolumny ${table.table}.${column} w ${where}, a używa jej zapytanie ${table.queries.join(', ')} — ta wersja Optimy jej nie ma: nadpisz zapytanie własnym plikiem bez tej kolumny albo zaktualizuj Optimę.`,
      });
    }
  }
  return problems;
}
