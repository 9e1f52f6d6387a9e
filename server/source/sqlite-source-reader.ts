import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { SourceReader } from './source-reader.ts';
import { SourceError } from './source-error.ts';
import { createOptimaReader, type OptimaExecutor } from './optima/create-optima-reader.ts';
import { DEFAULT_SCOPE, type SourceScope } from './optima/build-query-params.ts';
import { normalizeOptimaTimestamp } from './optima/optima-date.ts';
import { loadOptimaQueries, type OptimaDatabase, type QueryName } from './optima/optima-queries.ts';

/**
 * SourceReader over SQLite files shaped like Optima (the demo world and the tests). Each file is
 * opened read-only and attached AS CDN, so the built-in SQL Server text (`CDN.SrsZlecenia`) runs
 * unchanged. Files are opened on first use: a missing file fails the call that needs it with an
 * operator sentence, and the next call tries again.
 */

export interface SqliteSourceReaderOptions {
  /** Company database file (SrsZlecenia, DefEtapy, PracKod, ...). */
  readonly companyDbPath: string;
  /** Configuration database file (Operatorzy). */
  readonly configDbPath: string;
  readonly scope?: SourceScope;
  /** Query name → path of an admin's replacement `.sql` file. */
  readonly overrides?: Partial<Record<QueryName, string>>;
}

/** Configuration keys named in messages, so the operator knows what to fix. */
const CONFIG_KEYS: Readonly<Record<OptimaDatabase, string>> = {
  company: 'source.sqlite.companyDb',
  config: 'source.sqlite.configDb',
};

const DATABASE_WORDS: Readonly<Record<OptimaDatabase, string>> = {
  company: 'bazie firmowej Optimy',
  config: 'bazie konfiguracyjnej Optimy',
};

/** Creates the reader. Throws a SourceError at once only when a query override is unusable. */
export function createSqliteSourceReader(options: SqliteSourceReaderOptions): SourceReader {
  const queries = loadOptimaQueries(options.overrides);
  return createOptimaReader(createSqliteExecutor(options), { queries, scope: options.scope ?? DEFAULT_SCOPE });
}

function createSqliteExecutor(options: SqliteSourceReaderOptions): OptimaExecutor {
  const paths: Readonly<Record<OptimaDatabase, string>> = { company: options.companyDbPath, config: options.configDbPath };
  const handles = new Map<OptimaDatabase, Database.Database>();

  function open(database: OptimaDatabase): Database.Database {
    const existing = handles.get(database);
    if (existing) return existing;
    const path = paths[database];
    const fail = (reason: string, transient: boolean, cause?: unknown) =>
      new SourceError(`Nie można otworzyć bazy Optima '${path}': ${reason} — sprawdź ${CONFIG_KEYS[database]} w konfiguracji.`, {
        code: 'source-unreachable',
        transient,
        target: path,
      }, { cause });
    if (!existsSync(path)) throw fail('plik nie istnieje', false);
    let db: Database.Database | undefined;
    try {
      db = new Database(path, { readonly: true, fileMustExist: true });
      // Attached files inherit the read-only flag of the connection.
      db.prepare('ATTACH ? AS CDN').run(path);
      db.prepare('SELECT count(*) AS n FROM CDN.sqlite_master').get();
    } catch (error) {
      db?.close();
      const code = (error as { code?: string }).code;
      if (code === 'SQLITE_NOTADB') throw fail('plik nie jest bazą SQLite', false, error);
      if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') throw fail('baza jest zablokowana przez inny proces', true, error);
      throw fail((error as Error).message, false, error);
    }
    handles.set(database, db);
    return db;
  }

  return {
    async query(database, sql, params) {
      const db = open(database);
      const bound: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(params)) bound[name] = toSqliteValue(name, value);
      return db.prepare(sql).all(bound) as Record<string, unknown>[];
    },

    async listColumns(database) {
      const rows = open(database)
        .prepare(
          `SELECT m.name AS tableName, p.name AS columnName
             FROM CDN.sqlite_master AS m JOIN pragma_table_info(m.name, 'CDN') AS p
            WHERE m.type IN ('table', 'view')`,
        )
        .all() as { tableName: string; columnName: string }[];
      const tables = new Map<string, Set<string>>();
      for (const row of rows) {
        const key = row.tableName.toLowerCase();
        const columns = tables.get(key) ?? new Set<string>();
        columns.add(row.columnName.toLowerCase());
        tables.set(key, columns);
      }
      return tables;
    },

    describeDatabase(database) {
      return `${DATABASE_WORDS[database]} '${paths[database]}'`;
    },

    toQueryError(error, database, queryName) {
      const code = (error as { code?: string }).code ?? '';
      const transient = code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
      return new SourceError(
        `Zapytanie ${queryName} nie powiodło się w ${DATABASE_WORDS[database]} '${paths[database]}': ${(error as Error).message} — ${
          transient ? 'baza jest chwilowo zablokowana, następna synchronizacja spróbuje ponownie' : 'popraw zapytanie albo uruchom sprawdzenie schematu'
        }.`,
        { code: 'query-failed', transient, target: queryName },
        { cause: error },
      );
    },

    async close() {
      for (const db of handles.values()) db.close();
      handles.clear();
    },
  };
}

/** better-sqlite3 binds only numbers, text, bigints, buffers and null. */
function toSqliteValue(name: string, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return normalizeOptimaTimestamp(value);
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'bigint' || Buffer.isBuffer(value)) return value;
  throw new SourceError(`Parametr @${name} ma nieobsługiwany typ (${typeof value}) — przekaż tekst, liczbę, datę albo wartość logiczną.`, {
    code: 'query-invalid',
    transient: false,
    target: name,
  });
}
