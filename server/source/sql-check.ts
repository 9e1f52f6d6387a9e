import transactsql from 'node-sql-parser/build/transactsql.js';

/**
 * Checks SQL text before it reaches a database: the built-in Optima queries (in tests) and the
 * extra queries an admin writes in the configuration. Parsed with the T-SQL grammar because
 * SQL Server is where the text must run; SQLite only runs the portable subset of it.
 */

const DIALECT = { database: 'transactsql' } as const;

export interface SqlCheckOptions {
  /** Parameter names (without `@`) the caller will pass; any other `@name` in the text is an error. */
  readonly knownParams?: readonly string[];
}

/** A column the query reads: `table` is `Schema.Table` when it could be resolved, else null. */
export interface SqlColumnReference {
  readonly table: string | null;
  readonly column: string;
}

export type SqlCheckResult =
  | {
      readonly ok: true;
      /** Tables read, as written (`CDN.SrsZlecenia`; CTE names appear without a schema). */
      readonly tables: readonly string[];
      /** Columns read: `CDN.SrsZlecenia.SrZ_Opis`, or the bare name when no table could be resolved. */
      readonly columns: readonly string[];
      readonly references: readonly SqlColumnReference[];
      /** `@parameters` used, without the `@`, in first-use order. */
      readonly params: readonly string[];
    }
  | { readonly ok: false; readonly message: string; readonly line?: number };

interface ParsedStatement {
  readonly type?: string;
  readonly into?: { readonly expr?: unknown } | null;
  readonly _next?: ParsedStatement | null;
}

/**
 * Accepts exactly one SELECT statement (a WITH … SELECT and UNIONs count as one) and nothing that
 * writes (`SELECT … INTO` included). Messages are operator sentences in Polish; syntax errors
 * carry the 1-based line.
 */
export function checkSelectSql(sql: string, opts: SqlCheckOptions = {}): SqlCheckResult {
  if (stripComments(sql).trim() === '') {
    return { ok: false, message: 'Zapytanie jest puste — wpisz jedno polecenie SELECT.' };
  }
  let parsed: { tableList: string[]; columnList: string[]; ast: unknown };
  try {
    parsed = new transactsql.Parser().parse(sql, DIALECT);
  } catch (error) {
    return describeSyntaxError(error);
  }
  const statements = (Array.isArray(parsed.ast) ? parsed.ast : [parsed.ast]) as ParsedStatement[];
  if (statements.length !== 1) {
    return {
      ok: false,
      message: `Zapytanie zawiera ${statements.length} polecenia — dozwolone jest dokładnie jedno polecenie SELECT.`,
    };
  }
  const statement = statements[0];
  if (statement.type !== 'select') {
    return {
      ok: false,
      message: `Dozwolone jest tylko polecenie SELECT, a zapytanie zaczyna się od ${String(statement.type ?? '?').toUpperCase()} — usuń je.`,
    };
  }
  if (writesInto(statement)) {
    return { ok: false, message: 'SELECT … INTO tworzy tabelę — usuń INTO; zapytanie może tylko czytać.' };
  }

  const tables = unique(parsed.tableList.map(tableNameOf));
  const references: SqlColumnReference[] = [];
  const params: string[] = [];
  for (const entry of parsed.columnList) {
    const [, table, column] = entry.split('::');
    if (column === undefined) continue;
    if (column.startsWith('@')) {
      const name = column.slice(1);
      if (!params.includes(name)) params.push(name);
      continue;
    }
    references.push({ table: resolveTable(table, tables), column: column === '(.*)' ? '*' : column });
  }
  if (opts.knownParams) {
    const unknown = params.filter((p) => !opts.knownParams?.includes(p));
    if (unknown.length > 0) {
      return {
        ok: false,
        message: `Zapytanie używa parametru ${unknown.map((p) => `@${p}`).join(', ')}, którego program nie przekazuje — dostępne: ${opts.knownParams.map((p) => `@${p}`).join(', ') || '(brak)'}.`,
      };
    }
  }
  return {
    ok: true,
    tables,
    columns: unique(references.map((r) => (r.table ? `${r.table}.${r.column}` : r.column))),
    references: uniqueBy(references, (r) => `${r.table ?? ''}.${r.column}`),
    params,
  };
}

function describeSyntaxError(error: unknown): SqlCheckResult {
  const e = error as { location?: { start?: { line?: number; column?: number } }; found?: string | null; message?: string };
  const line = e.location?.start?.line;
  const column = e.location?.start?.column;
  if (line === undefined) {
    return { ok: false, message: `Nie można przeanalizować zapytania: ${e.message ?? String(error)} — popraw składnię SQL.` };
  }
  const found = e.found === null || e.found === undefined ? 'koniec zapytania' : `„${e.found}”`;
  return {
    ok: false,
    line,
    message: `Błąd składni SQL w wierszu ${line}, kolumna ${column ?? '?'}: nieoczekiwany ${found} — popraw zapytanie w tym miejscu.`,
  };
}

function writesInto(statement: ParsedStatement): boolean {
  for (let s: ParsedStatement | null | undefined = statement; s; s = s._next) {
    if (s.into && s.into.expr) return true;
  }
  return false;
}

/** `select::CDN::SrsZlecenia` → `CDN.SrsZlecenia`; `select::null::t` → `t`. */
function tableNameOf(entry: string): string {
  const [, schema, table] = entry.split('::');
  return schema && schema !== 'null' ? `${schema}.${table}` : (table ?? entry);
}

/** The parser names a column's table without its schema (aliases already resolved). */
function resolveTable(table: string | undefined, tables: readonly string[]): string | null {
  if (!table || table === 'null') return tables.length === 1 ? tables[0] : null;
  const lower = table.toLowerCase();
  return tables.find((t) => t.toLowerCase() === lower || t.toLowerCase().endsWith(`.${lower}`)) ?? table;
}

function stripComments(sql: string): string {
  return sql.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/--[^\n]*/g, ' ');
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function uniqueBy<T>(values: readonly T[], keyOf: (v: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const v of values) if (!seen.has(keyOf(v))) seen.set(keyOf(v), v);
  return [...seen.values()];
}
