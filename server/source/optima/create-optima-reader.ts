import type { Participant, RecordKind, SourceRow } from '../../domain/types.ts';
import type { SchemaProblem, SourceChecksum, SourcePerson, SourceReader, SourceStats } from '../source-reader.ts';
import { checkSelectSql } from '../sql-check.ts';
import { SourceError, isSourceError } from '../source-error.ts';
import { buildQueryParams, selectKindQueries, type SourceScope } from './build-query-params.ts';
import { findSchemaProblems, listRequiredTables } from './find-schema-problems.ts';
import { mapOperators, mapEmployees } from './map-people.ts';
import { mapCrmTask } from './map-crm-task.ts';
import { mapCrmOccurrence } from './map-crm-occurrence.ts';
import { attachCrmParticipants, mapCrmParticipants, selectCrmTaskId } from './map-crm-participants.ts';
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
    return mapOrFail(name, () => {
      if (kind === 'serwis:czynnosc') return mapServiceActivity(row);
      if (kind === 'crm:zadanie') return mapCrmTask(row);
      if (kind === 'crm:wystapienie') return mapCrmOccurrence(row);
      return mapServiceOrder(row);
    });
  }

  /** A mapping failure is the query's fault (an override without a needed column): name the file. */
  function mapOrFail<T>(name: QueryName, map: () => T): T {
    try {
      return map();
    } catch (error) {
      const query = queries[name];
      throw new SourceError(`Zapytanie ${name} ('${query.path}') zwróciło ${(error as Error).message}.`, {
        code: 'bad-row',
        transient: false,
        target: query.path,
      });
    }
  }

  /** CRM kinds read participants only when the scope asks for them (per config: in the body or as attendees). */
  function wantsParticipants(kind: RecordKind): boolean {
    return scope.crmParticipants === true && (kind === 'crm:zadanie' || kind === 'crm:wystapienie');
  }

  /** Participants of the tasks behind `rows`, by one query, attached to each row. */
  async function attachParticipants(rows: readonly SourceRow[], name: 'crm-uczestnicy-changed' | 'crm-uczestnicy-by-id', since: string | null, id?: number) {
    const found = await runBuiltin(name, since, id);
    const byTask = mapOrFail(name, () => mapCrmParticipants(found));
    return rows.map((row) => attachCrmParticipants(row, byTask));
  }

  /**
   * Participants last read with changed rows, per kind, by task and task stamp. An incremental read
   * overlaps its watermark, so an idle poll gets the newest rows again: when every row's task and
   * stamp is here, their participants are reused instead of re-read. CrmUczestnicy has no stamp of
   * its own, so this loses nothing the stamp would have caught; a full read (since = null) always
   * reads them, which is where edits made without saving the task heal.
   */
  const lastParticipants = new Map<RecordKind, Map<string, readonly Participant[]>>();
  const participantKey = (row: SourceRow) => `${selectCrmTaskId(row) ?? ''}@${row.modifiedAt}`;

  async function attachChangedParticipants(kind: RecordKind, rows: readonly SourceRow[], since: string | null): Promise<readonly SourceRow[]> {
    const known = lastParticipants.get(kind);
    if (since !== null && known && rows.every((row) => known.has(participantKey(row)))) {
      const byTask = new Map(rows.map((row) => [selectCrmTaskId(row) ?? 0, known.get(participantKey(row)) ?? []]));
      return rows.map((row) => attachCrmParticipants(row, byTask));
    }
    // The same watermark: every returned row (an occurrence through its task) has CRK_TS_Mod >= since.
    const attached = await attachParticipants(rows, 'crm-uczestnicy-changed', since);
    lastParticipants.set(kind, new Map(attached.map((row) => [participantKey(row), row.participants ?? []])));
    return attached;
  }

  return {
    stats,

    async readChangedRows(kind: RecordKind, since: string | null): Promise<readonly SourceRow[]> {
      const { changed } = selectKindQueries(kind);
      const rows = (await runBuiltin(changed, since)).map((row) => mapRow(row, changed, kind));
      // Nothing changed, nothing to attach: an idle poll stays one query.
      if (rows.length === 0 || !wantsParticipants(kind)) return rows;
      return attachChangedParticipants(kind, rows, since);
    },

    async readRow(kind: RecordKind, id: number): Promise<SourceRow | null> {
      const { byId } = selectKindQueries(kind);
      const [found] = await runBuiltin(byId, null, id);
      if (!found) return null;
      const row = mapRow(found, byId, kind);
      const taskId = selectCrmTaskId(row);
      if (!wantsParticipants(kind) || taskId === null) return row;
      const [withParticipants] = await attachParticipants([row], 'crm-uczestnicy-by-id', null, taskId);
      // A fresher list than the one kept for idle polls: keep that one in step, or the next poll would undo it.
      const known = lastParticipants.get(kind);
      if (known?.has(participantKey(withParticipants))) known.set(participantKey(withParticipants), withParticipants.participants ?? []);
      return withParticipants;
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
