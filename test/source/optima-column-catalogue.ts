import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Test helper: the real Optima column list (reference/optima-columns.tsv). Tests compare the
 * built-in SQL and the demo schema against it. The shared reference beside the repo (../shared) is
 * the source; a copy is committed next to this file so a bare clone tests the same, and
 * `optima-column-catalogue.test.ts` fails when the copy drifts from the reference.
 */

/** The shared reference, when ../shared sits beside the repository. */
export const SHARED_CATALOGUE_URL = new URL('../../../shared/reference/optima-columns.tsv', import.meta.url);
/** The committed copy of it. */
export const COMMITTED_CATALOGUE_URL = new URL('./reference/optima-columns.tsv', import.meta.url);
export const COLUMN_CATALOGUE_URL = existsSync(fileURLToPath(SHARED_CATALOGUE_URL)) ? SHARED_CATALOGUE_URL : COMMITTED_CATALOGUE_URL;

export interface CatalogueColumn {
  readonly database: 'company' | 'config';
  /** `CDN.SrsZlecenia` */
  readonly table: string;
  readonly column: string;
  readonly typeHint: string;
}

export interface ColumnCatalogue {
  readonly columns: readonly CatalogueColumn[];
  /** Lower-case `cdn.table` → lower-case column names. */
  readonly byTable: ReadonlyMap<string, ReadonlySet<string>>;
  /** Lower-case `cdn.table` → database. */
  readonly databaseOf: ReadonlyMap<string, 'company' | 'config'>;
}

/** Reads the tsv; a missing file is a clear failure, not an empty catalogue. */
export function loadColumnCatalogue(tsv: URL | string = COLUMN_CATALOGUE_URL): ColumnCatalogue {
  const path = tsv instanceof URL ? fileURLToPath(tsv) : tsv;
  if (!existsSync(path)) {
    throw new Error(
      `Brak listy kolumn Optimy '${path}' — testy porównują z nią zapytania; przywróć test/source/reference/optima-columns.tsv z repozytorium albo umieść repozytorium shared (reference/optima-columns.tsv) obok tego repozytorium.`,
    );
  }
  const columns: CatalogueColumn[] = [];
  for (const line of readFileSync(path, 'utf8').split(/\r?\n/)) {
    if (line === '' || line.startsWith('#') || line.startsWith('database\t')) continue;
    const [database, table, column, typeHint = ''] = line.split('\t');
    if (database !== 'company' && database !== 'config') throw new Error(`unexpected line in ${path}: ${line}`);
    columns.push({ database, table, column, typeHint });
  }
  const byTable = new Map<string, Set<string>>();
  const databaseOf = new Map<string, 'company' | 'config'>();
  for (const c of columns) {
    const key = c.table.toLowerCase();
    const set = byTable.get(key) ?? new Set<string>();
    set.add(c.column.toLowerCase());
    byTable.set(key, set);
    databaseOf.set(key, c.database);
  }
  return { columns, byTable, databaseOf };
}
