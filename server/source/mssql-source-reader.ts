import mssql from 'mssql';
import type { SourceReader } from './source-reader.ts';
import { SourceError } from './source-error.ts';
import { createOptimaReader, type OptimaExecutor } from './optima/create-optima-reader.ts';
import { DEFAULT_SCOPE, type SourceScope } from './optima/build-query-params.ts';
import { loadOptimaQueries, type OptimaDatabase, type QueryName } from './optima/optima-queries.ts';

/**
 * SourceReader over Optima on SQL Server: one connection pool per database (company DB and the
 * configuration DB `CDN_KNF_Konfiguracja`), the same `.sql` files as the SQLite adapter.
 * Pools connect on first use and reconnect after a failure, so a server that is down at start
 * fails one run with a clear message instead of the process.
 *
 * Datetimes: the pool always runs with `useUTC: true`, which maps a Date's UTC fields to and
 * from `datetime` — Optima's wall clock travels unchanged in both directions.
 */

/** Narrow view of the mssql API this adapter uses (a fake can stand in for it in tests). */
export interface MssqlRequestLike {
  input(name: string, type: mssql.ISqlType | (() => mssql.ISqlType), value: unknown): MssqlRequestLike;
  query(sql: string): Promise<{ readonly recordset: Record<string, unknown>[] }>;
}

export interface MssqlPoolLike {
  request(): MssqlRequestLike;
  close(): Promise<void>;
}

export interface MssqlSourceReaderOptions {
  /** Company database (e.g. database: 'CDN_Firma'). */
  readonly company: mssql.config;
  /** Configuration database (usually the same server, database: 'CDN_KNF_Konfiguracja'). */
  readonly config: mssql.config;
  readonly scope?: SourceScope;
  readonly overrides?: Partial<Record<QueryName, string>>;
  /** Opens a connected pool; defaults to `new mssql.ConnectionPool(config).connect()`. */
  readonly openPool?: (config: mssql.config) => Promise<MssqlPoolLike>;
}

/** Configuration keys named in messages (server/config/schema.ts), so the operator knows what to fix. */
const CONFIG_KEYS: Readonly<Record<OptimaDatabase, string>> = {
  company: 'source.mssql (server, port, companyDatabase)',
  config: 'source.mssql (server, port, configDatabase)',
};

/** Locative ("w bazie …") for where something failed; instrumental ("z bazą …") for connecting. */
const DATABASE_WORDS: Readonly<Record<OptimaDatabase, string>> = {
  company: 'bazie firmowej Optimy',
  config: 'bazie konfiguracyjnej Optimy',
};
const CONNECT_WORDS: Readonly<Record<OptimaDatabase, string>> = {
  company: 'bazą firmową Optimy',
  config: 'bazą konfiguracyjną Optimy',
};

/** mssql error codes after which the next run may succeed without anyone fixing anything. */
const TRANSIENT_CODES = new Set(['ETIMEOUT', 'ESOCKET', 'ECONNCLOSED', 'ENOTOPEN', 'ECONNRESET', 'ECONNREFUSED', 'EREQINPROG']);

/** Creates the reader (reads the query files now, connects later). */
export function createMssqlSourceReader(options: MssqlSourceReaderOptions): SourceReader {
  const queries = loadOptimaQueries(options.overrides);
  return createOptimaReader(createMssqlExecutor(options), { queries, scope: options.scope ?? DEFAULT_SCOPE });
}

/** Connects a real pool, forcing `useUTC` (the wall-clock convention above depends on it). */
export async function openMssqlPool(config: mssql.config): Promise<MssqlPoolLike> {
  const pool = new mssql.ConnectionPool({ ...config, options: { ...config.options, useUTC: true } });
  return await pool.connect();
}

function createMssqlExecutor(options: MssqlSourceReaderOptions): OptimaExecutor {
  const configs: Readonly<Record<OptimaDatabase, mssql.config>> = { company: options.company, config: options.config };
  const openPool = options.openPool ?? openMssqlPool;
  const pools = new Map<OptimaDatabase, Promise<MssqlPoolLike>>();

  const location = (database: OptimaDatabase) => {
    const c = configs[database];
    return `'${c.database ?? '(domyślna)'}' na serwerze '${c.server}${c.port ? `:${c.port}` : ''}'`;
  };
  const where = (database: OptimaDatabase) => `${DATABASE_WORDS[database]} ${location(database)}`;

  function pool(database: OptimaDatabase): Promise<MssqlPoolLike> {
    let pending = pools.get(database);
    if (!pending) {
      pending = openPool(configs[database]).catch((error: unknown) => {
        pools.delete(database); // the next call tries again
        throw describeConnectError(error, database);
      });
      pools.set(database, pending);
    }
    return pending;
  }

  function describeConnectError(error: unknown, database: OptimaDatabase): SourceError {
    const code = errorCode(error);
    const login = code === 'ELOGIN';
    const reason = login ? 'serwer odrzucił logowanie' : `brak połączenia (${code || 'błąd'}: ${(error as Error).message})`;
    const fix = login
      ? `sprawdź source.mssql.user, source.mssql.password i uprawnienia tego użytkownika do bazy ${configs[database].database ?? ''}`
      : `sprawdź ${CONFIG_KEYS[database]} w konfiguracji, czy serwer działa i czy zapora przepuszcza port`;
    return new SourceError(`Nie można połączyć się z ${CONNECT_WORDS[database]} ${location(database)}: ${reason} — ${fix}.`, {
      code: login ? 'source-login-failed' : 'source-unreachable',
      transient: !login && TRANSIENT_CODES.has(code),
      target: `${configs[database].server}/${configs[database].database ?? ''}`,
    }, { cause: error });
  }

  return {
    async query(database, sql, params) {
      const request = (await pool(database)).request();
      for (const [name, value] of Object.entries(params)) {
        const input = toMssqlInput(name, value);
        request.input(name, input.type, input.value);
      }
      return (await request.query(sql)).recordset;
    },

    async listColumns(database, tables) {
      const request = (await pool(database)).request();
      // Placeholders are generated, the names travel as parameters.
      const names = tables.map((table, i) => {
        request.input(`t${i}`, mssql.NVarChar(128), table);
        return `@t${i}`;
      });
      const result = await request.query(
        `SELECT TABLE_NAME, COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = 'CDN' AND TABLE_NAME IN (${names.join(', ')})`,
      );
      const map = new Map<string, Set<string>>();
      for (const row of result.recordset) {
        const key = String(row.TABLE_NAME).toLowerCase();
        const columns = map.get(key) ?? new Set<string>();
        columns.add(String(row.COLUMN_NAME).toLowerCase());
        map.set(key, columns);
      }
      return map;
    },

    describeDatabase: where,

    toQueryError(error, database, queryName) {
      const code = errorCode(error);
      const transient = TRANSIENT_CODES.has(code) || /deadlock|timeout/i.test((error as Error).message ?? '');
      return new SourceError(
        `Zapytanie ${queryName} nie powiodło się w ${where(database)}: ${(error as Error).message} — ${
          transient ? 'następna synchronizacja spróbuje ponownie' : 'popraw zapytanie albo uruchom sprawdzenie schematu'
        }.`,
        { code: 'query-failed', transient, target: queryName },
        { cause: error },
      );
    },

    async close() {
      const open = [...pools.values()];
      pools.clear();
      for (const pending of open) {
        const p = await pending.catch(() => null);
        await p?.close();
      }
    },
  };
}

/**
 * JS value → mssql parameter. A Date is an Optima wall-clock `datetime` (its UTC fields), bound
 * as `datetime` — not datetime2 — so it compares exactly with `datetime` columns (a datetime2
 * watermark of .007 would sit above the column's .00667 and skip the row it came from).
 */
export function toMssqlInput(name: string, value: unknown): { readonly type: mssql.ISqlType | (() => mssql.ISqlType); readonly value: unknown } {
  if (value === null || value === undefined) return { type: mssql.NVarChar(mssql.MAX), value: null };
  if (value instanceof Date) return { type: mssql.DateTime(), value };
  if (typeof value === 'boolean') return { type: mssql.Bit(), value };
  if (typeof value === 'bigint') return { type: mssql.BigInt(), value: value.toString() };
  if (typeof value === 'number') {
    if (Number.isInteger(value) && Math.abs(value) <= 2147483647) return { type: mssql.Int(), value };
    if (Number.isInteger(value)) return { type: mssql.BigInt(), value };
    return { type: mssql.Float(), value };
  }
  // nvarchar(4000) keeps comparisons with indexed columns sargable; longer text needs MAX.
  if (typeof value === 'string') return { type: mssql.NVarChar(value.length <= 4000 ? 4000 : mssql.MAX), value };
  if (Buffer.isBuffer(value)) return { type: mssql.VarBinary(mssql.MAX), value };
  throw new SourceError(`Parametr @${name} ma nieobsługiwany typ (${typeof value}) — przekaż tekst, liczbę, datę albo wartość logiczną.`, {
    code: 'query-invalid',
    transient: false,
    target: name,
  });
}

function errorCode(error: unknown): string {
  const e = error as { code?: unknown; originalError?: { code?: unknown } };
  return String(e?.code ?? e?.originalError?.code ?? '');
}
