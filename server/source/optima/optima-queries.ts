import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkSelectSql } from '../sql-check.ts';
import { SourceError } from '../source-error.ts';

/**
 * The built-in Optima queries: `.sql` files beside this module, in the portable subset that runs
 * unchanged on SQL Server and on SQLite. An admin may replace any of them by a file of their own;
 * the replacement must keep the result column names the mapping reads.
 */

export type QueryName =
  | 'serwis-zlecenia-changed' | 'serwis-zlecenia-by-id' | 'serwis-zlecenia-ids' | 'serwis-zlecenia-checksum'
  | 'serwis-czynnosci-changed' | 'serwis-czynnosci-by-id' | 'serwis-czynnosci-ids' | 'serwis-czynnosci-checksum'
  | 'crm-zadania-changed' | 'crm-zadania-by-id' | 'crm-zadania-ids' | 'crm-zadania-checksum'
  | 'crm-wystapienia-changed' | 'crm-wystapienia-by-id' | 'crm-wystapienia-ids' | 'crm-wystapienia-checksum'
  | 'crm-uczestnicy-changed' | 'crm-uczestnicy-by-id'
  | 'pracownicy' | 'operatorzy';

/** Which Optima database a query runs against: the company DB or the configuration DB. */
export type OptimaDatabase = 'company' | 'config';

export const QUERY_NAMES: readonly QueryName[] = [
  'serwis-zlecenia-changed', 'serwis-zlecenia-by-id', 'serwis-zlecenia-ids', 'serwis-zlecenia-checksum',
  'serwis-czynnosci-changed', 'serwis-czynnosci-by-id', 'serwis-czynnosci-ids', 'serwis-czynnosci-checksum',
  'crm-zadania-changed', 'crm-zadania-by-id', 'crm-zadania-ids', 'crm-zadania-checksum',
  'crm-wystapienia-changed', 'crm-wystapienia-by-id', 'crm-wystapienia-ids', 'crm-wystapienia-checksum',
  'crm-uczestnicy-changed', 'crm-uczestnicy-by-id',
  'pracownicy', 'operatorzy',
];

const QUERY_DATABASE: Readonly<Record<QueryName, OptimaDatabase>> = {
  'serwis-zlecenia-changed': 'company',
  'serwis-zlecenia-by-id': 'company',
  'serwis-zlecenia-ids': 'company',
  'serwis-zlecenia-checksum': 'company',
  'serwis-czynnosci-changed': 'company',
  'serwis-czynnosci-by-id': 'company',
  'serwis-czynnosci-ids': 'company',
  'serwis-czynnosci-checksum': 'company',
  'crm-zadania-changed': 'company',
  'crm-zadania-by-id': 'company',
  'crm-zadania-ids': 'company',
  'crm-zadania-checksum': 'company',
  'crm-wystapienia-changed': 'company',
  'crm-wystapienia-by-id': 'company',
  'crm-wystapienia-ids': 'company',
  'crm-wystapienia-checksum': 'company',
  'crm-uczestnicy-changed': 'company',
  'crm-uczestnicy-by-id': 'company',
  pracownicy: 'company',
  operatorzy: 'config',
};

/** Parameters each query receives (names without `@`). */
export const QUERY_PARAMS: Readonly<Record<QueryName, readonly string[]>> = {
  'serwis-zlecenia-changed': ['since', 'maxBufor'],
  'serwis-zlecenia-by-id': ['id', 'maxBufor'],
  'serwis-zlecenia-ids': ['maxBufor'],
  'serwis-zlecenia-checksum': ['maxBufor'],
  'serwis-czynnosci-changed': ['since', 'maxBufor', 'onlyReserved'],
  'serwis-czynnosci-by-id': ['id', 'maxBufor', 'onlyReserved'],
  'serwis-czynnosci-ids': ['maxBufor', 'onlyReserved'],
  'serwis-czynnosci-checksum': ['maxBufor', 'onlyReserved'],
  'crm-zadania-changed': ['since', 'withContacts', 'withCancelled', 'occurrencesApart'],
  'crm-zadania-by-id': ['id', 'withContacts', 'withCancelled', 'occurrencesApart'],
  'crm-zadania-ids': ['withContacts', 'withCancelled', 'occurrencesApart'],
  'crm-zadania-checksum': ['withContacts', 'withCancelled', 'occurrencesApart'],
  'crm-wystapienia-changed': ['since', 'withContacts', 'withCancelled'],
  'crm-wystapienia-by-id': ['id', 'withContacts', 'withCancelled'],
  'crm-wystapienia-ids': ['withContacts', 'withCancelled'],
  'crm-wystapienia-checksum': ['withContacts', 'withCancelled'],
  'crm-uczestnicy-changed': ['since', 'withContacts', 'withCancelled'],
  'crm-uczestnicy-by-id': ['id'],
  pracownicy: [],
  operatorzy: [],
};

export interface OptimaQuery {
  readonly name: QueryName;
  readonly database: OptimaDatabase;
  readonly sql: string;
  /** File the text was read from. */
  readonly path: string;
  readonly overridden: boolean;
}

export type OptimaQueries = Readonly<Record<QueryName, OptimaQuery>>;

/** Path of a built-in query file. */
export function builtinQueryPath(name: QueryName): string {
  return fileURLToPath(new URL(`./sql/${name}.sql`, import.meta.url));
}

/**
 * Reads every query once (at startup). Override files are checked as one SELECT using only the
 * parameters the program passes; a bad override is a permanent `SourceError` naming the file.
 */
export function loadOptimaQueries(overrides: Partial<Record<QueryName, string>> = {}): OptimaQueries {
  const entries = QUERY_NAMES.map((name): [QueryName, OptimaQuery] => {
    const override = overrides[name];
    const path = override ?? builtinQueryPath(name);
    const sql = readQueryFile(name, path, override !== undefined);
    if (override !== undefined) {
      const check = checkSelectSql(sql, { knownParams: QUERY_PARAMS[name] });
      if (!check.ok) {
        throw new SourceError(`Zapytanie ${name} z pliku '${path}' jest nieprawidłowe: ${check.message}`, {
          code: 'query-invalid',
          transient: false,
          target: path,
        });
      }
    }
    return [name, { name, database: QUERY_DATABASE[name], sql, path, overridden: override !== undefined }];
  });
  return Object.fromEntries(entries) as Record<QueryName, OptimaQuery>;
}

/** Reads one query file; a BOM left by Windows editors is dropped. */
function readQueryFile(name: QueryName, path: string, isOverride: boolean): string {
  try {
    return readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    const fix = isOverride
      ? `sprawdź ścieżkę nadpisania zapytania ${name} w konfiguracji albo usuń nadpisanie, by użyć wbudowanego`
      : 'instalacja jest niekompletna — zainstaluj program ponownie';
    throw new SourceError(`Nie można odczytać pliku zapytania ${name} '${path}' — ${fix}.`, {
      code: 'query-file-missing',
      transient: false,
      target: path,
    }, { cause: error });
  }
}
