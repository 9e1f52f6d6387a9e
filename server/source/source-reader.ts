import type { RecordKind, SourceRow } from '../domain/types.ts';

/**
 * Port: where source rows come from. Adapters: Optima on SQL Server (`mssql`) and the same
 * built-in `.sql` files on SQLite (demo, tests). Every call is one query against the source, except
 * that CRM kinds with participants in scope read them with one more query (only when rows were
 * found whose task and stamp the reader has not just read participants for).
 */
export interface SourceReader {
  /** Rows of `kind` whose modification stamp is >= `since` (null = all rows). One query. */
  readChangedRows(kind: RecordKind, since: string | null): Promise<readonly SourceRow[]>;
  /** The one in-scope row of `kind` with this id, or null (deleted or out of scope). One query. */
  readRow(kind: RecordKind, id: number): Promise<SourceRow | null>;
  /** Ids of every in-scope row of `kind` (for deletions). One cheap query. */
  readSourceIds(kind: RecordKind): Promise<ReadonlySet<number>>;
  /** How many in-scope rows of `kind` there are and the sum of their ids: one row, one query. */
  readSourceChecksum(kind: RecordKind): Promise<SourceChecksum>;
  /** People (employees, operators) with their e-mail, for mailbox routing. */
  readPeople(): Promise<readonly SourcePerson[]>;
  /** Runs one admin-defined extra query (one SELECT, named parameters). */
  runExtraQuery(sql: string, params: Readonly<Record<string, unknown>>): Promise<readonly Record<string, unknown>[]>;
  /** Checks that the tables and columns the built-in queries use exist. */
  checkSchema(): Promise<readonly SchemaProblem[]>;
  /** Queries issued and rows read since the reader was made (for reports and the benchmark). */
  readonly stats: SourceStats;
  close(): Promise<void>;
}

export interface SourceChecksum {
  readonly count: number;
  readonly idSum: bigint;
}

export interface SourceStats {
  queries: number;
  rowsRead: number;
}

export interface SourcePerson {
  readonly type: 'pracownik' | 'operator';
  readonly id: number;
  readonly code: string;
  readonly name: string;
  readonly email: string | null;
}

export interface SchemaProblem {
  readonly table: string;
  readonly column: string | null;
  readonly message: string;
}
