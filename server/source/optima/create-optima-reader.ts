import type { RecordKind, SourceRow } from '../../domain/types.ts';
import type { SchemaProblem, SourceChecksum, SourcePerson, SourceReader, SourceStats } from '../source-reader.ts';
import { checkSelectSql } from '../sql-check.ts';
import { SourceError, isSourceError } from '../source-error.ts';
import { buildQueryParams, selectKindQueries, type SourceScope } from './build-query-params.ts';
import { findSchemaProblems, listRequiredTables } from './find-schema-problems.ts';
import { mapOperators, mapEmployees } from './map-people.ts';
import { mapCrmTask } from './map-crm-task.ts';
import { mapServiceActivity } from './map-service-activity.ts';
import { mapServiceOrder } from './map-service-order.ts';
import type { OptimaDatabase, OptimaQueries, QueryName } from './optima-queries.ts';

/**
 * The part of a SourceReader that is the same on SQL Server and SQLite: which query to run with
 * which parameters, mapping, counting, and the schema comparison. An adapter supplies only an
 * `OptimaExecutor` (the driver), like a Kysely dialect.
 *
 * Parameter values handed to the executor are text, numbers, booleans, null, or a `Date` whose
 * UTC fields are the Optima wall clock (the mssql `useUTC` convention); the executor binds them
 * in its driver's terms.
 */
export interface OptimaExecutor {
  /** Runs one SELECT with named parameters on one database and returns the rows. */
  query(database: OptimaDatabase, sql: string, params: Readonly<Record<string, unknown>>): Promise<Record<string, unknown>[]>;
  /** Lower-case table name → lower-case column names in schema CDN, in one query. */
  listColumns(database: OptimaDatabase, tables: readonly string[]): Promise<Map<string, Set<string>>>;
  /** Words for messages, e.g. "bazie firmowej Optimy 'C:\\dane\\firma.db'". Never a secret. */
  describeDatabase(database: OptimaDatabase): string;
  /** Wraps a driver error of a query into a SourceError (transient or not). */
  toQueryError(error: unknown, database: OptimaDatabase, queryName: string): SourceError;
  close(): Promise<void>;
}

export interface OptimaReaderOptions {
  readonly queries: OptimaQueries;
  readonly scope: SourceScope;
}

/** Builds a SourceReader on top of an executor. Every executor call counts as one query. */
export function createOptimaReader(executor: OptimaExecutor, options: OptimaReaderOptions): SourceReader {
  const stats: SourceStats = { queries: 0, rowsRead: 0 };
  const { queries, scope } = options;

  async function run(database: OptimaDatabase, sql: string, params: Readonly<Record<string, unknown>>, queryName: string) {
    stats.queries += 1;
    let rows: Record<string, unknown>[];
    try {
      rows = await executor.query(database, sql, params);
    } catch (error) {
      throw isSourceError(error) ? error : executor.toQueryError(error, database, queryName);
    }
    stats.rowsRead += rows.length;
    return rows;
  }

  function runBuiltin(name: QueryName, since?: string | null, id?: number) {
    const params = buildQueryParams(name, { since, id, scope });
    const bound: Record<string, unknown> = { ...params };
    if (params.since !== undefined) bound.since = wallClockDate(params.since);
    return run(queries[name].database, queries[name].sql, bound, name);
  }

  function mapRow(row: Record<string, unknown>, name: QueryName, kind: RecordKind): SourceRow {
    try {
      if (kind === 'serwis:czynnosc') return mapServiceActivity(row);
      if (kind === 'crm:zadanie') return mapCrmTask(row);
      return mapServiceOrder(row);
    } catch (error) {
      const query = queries[name];
      throw new SourceError(`Zapytanie ${name} ('${query.path}') zwróciło ${(error as Error).message}.`, {
        code: 'bad-row',
        transient: false,
        target: query.path,
      });
    }
  }

  return {
    stats,

    async readChangedRows(kind: RecordKind, since: string | null): Promise<readonly SourceRow[]> {
      const { changed } = selectKindQueries(kind);
      const rows = await runBuiltin(changed, since);
      return rows.map((row) => mapRow(row, changed, kind));
    },

    async readRow(kind: RecordKind, id: number): Promise<SourceRow | null> {
      const { byId } = selectKindQueries(kind);
      const [row] = await runBuiltin(byId, null, id);
      return row ? mapRow(row, byId, kind) : null;
    },

    async readSourceIds(kind: RecordKind): Promise<ReadonlySet<number>> {
      const { ids: idsQuery, idColumn } = selectKindQueries(kind);
      const rows = await runBuiltin(idsQuery);
      const ids = new Set<number>();
      for (const row of rows) {
        const id = Number(row[idColumn]);
        if (Number.isInteger(id)) ids.add(id);
      }
      return ids;
    },

    async readSourceChecksum(kind: RecordKind): Promise<SourceChecksum> {
      const [row] = await runBuiltin(selectKindQueries(kind).checksum);
      return { count: Number(row?.IdCount ?? 0), idSum: BigInt(String(row?.IdSum ?? 0)) };
    },

    async readPeople(): Promise<readonly SourcePerson[]> {
      const employees = mapEmployees(await runBuiltin('pracownicy'));
      const operators = mapOperators(await runBuiltin('operatorzy'));
      return [...employees, ...operators];
    },

    async runExtraQuery(sql: string, params: Readonly<Record<string, unknown>>) {
      const check = checkSelectSql(sql, { knownParams: Object.keys(params) });
      if (!check.ok) {
        throw new SourceError(`Dodatkowe zapytanie jest nieprawidłowe: ${check.message}`, { code: 'query-invalid', transient: false });
      }
      // Only the parameters the text uses: drivers disagree about extra ones.
      const bound = Object.fromEntries(check.params.map((name) => [name, params[name] ?? null]));
      return run('company', sql, bound, 'dodatkowe zapytanie');
    },

    async checkSchema(): Promise<readonly SchemaProblem[]> {
      const required = listRequiredTables(queries);
      const problems: SchemaProblem[] = [];
      for (const database of ['company', 'config'] as const) {
        const tables = required.filter((t) => t.database === database);
        if (tables.length === 0) continue;
        stats.queries += 1;
        let actual: Map<string, Set<string>>;
        try {
          actual = await executor.listColumns(database, tables.map((t) => t.name));
        } catch (error) {
          throw isSourceError(error) ? error : executor.toQueryError(error, database, 'sprawdzenie schematu');
        }
        problems.push(...findSchemaProblems(tables, actual, (db) => executor.describeDatabase(db)));
      }
      return problems;
    },

    close: () => executor.close(),
  };
}

/** `YYYY-MM-DD HH:mm:ss.SSS` (Optima wall clock) → Date with those values in its UTC fields. */
export function wallClockDate(text: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})\.(\d{3})$/.exec(text);
  if (!m) throw new Error(`not a normalized Optima timestamp: ${text}`);
  const date = new Date(0);
  // setUTCFullYear keeps years below 100 literal (Date.UTC would map 0–99 to 1900–1999).
  date.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  date.setUTCHours(Number(m[4]), Number(m[5]), Number(m[6]), Number(m[7]));
  return date;
}
