import type { Checks, Section } from './check-fields.ts';
import { quote, readBoolean, readChoice, readEntries, readNumber, readSection, readText } from './check-fields.ts';
import { joinConfigPath } from './config-error.ts';
import type { CompanyConfig, ExtraQueryConfig, FiltersConfig, MssqlConfig, RecordFilter, SourceConfig, SqliteSourceConfig } from './schema.ts';
import { CONFIG_DEFAULTS, RECORD_KINDS } from './schema.ts';
import { describeType } from './check-fields.ts';
import { validateTemplates } from './validate-templates.ts';
import { validateFilter } from './validate-looks.ts';
import { suggestKey } from './suggest-key.ts';
import { QUERY_NAMES } from '../source/optima/optima-queries.ts';
import { checkSelectSql } from '../source/sql-check.ts';

const SOURCE_KEYS = ['type', 'mssql', 'sqlite', 'includeDrafts', 'queryOverrides', 'extraQueries', 'companyName', 'companies'];
const COMPANY_KEYS = ['code', 'name', 'database', 'templates', 'filters'];
const COMPANY_CODE = /^[a-z0-9_-]{1,20}$/;
const MSSQL_KEYS = ['server', 'port', 'user', 'password', 'domain', 'encrypt', 'trustServerCertificate', 'companyDatabase', 'configDatabase'];
const SQLITE_KEYS = ['companyDb', 'configDb'];
const EXTRA_QUERY_KEYS = ['sql', 'params'];
/** Top-level fields of a source row an extra query's parameter may come from. */
const ROW_FIELDS = ['key', 'kind', 'id', 'modifiedAt', 'start', 'end', 'owner', 'fields', 'columns'];
const NESTED_ROW_FIELDS = ['owner', 'fields', 'columns'];
const NESTED_EXAMPLE: Readonly<Record<string, string>> = { owner: 'owner.id', fields: 'fields.numer', columns: 'columns.SrZ_PodmiotId' };

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DATABASE_NAME = /^[^\][\u0000-\u001f]+$/;

/** The `source` section: where Optima's rows come from, and the admin's query changes. */
export function validateSource(c: Checks, raw: unknown, path: string): SourceConfig | null {
  const s = readSection(c, raw, path, SOURCE_KEYS,
    'dodaj sekcję source z type: mssql (Optima na SQL Server) i danymi połączenia w source.mssql.');
  if (!s) return null;
  const type = readChoice(c, s, path, 'type', ['mssql', 'sqlite'] as const,
    'wpisz mssql (Optima na SQL Server) albo sqlite (pliki demonstracyjne).');
  const common = {
    includeDrafts: readBoolean(c, s, path, 'includeDrafts') ?? CONFIG_DEFAULTS.source.includeDrafts,
    queryOverrides: validateQueryOverrides(c, s, path),
    extraQueries: validateExtraQueries(c, s, path),
    companyName: readText(c, s, path, 'companyName') ?? null,
    companies: validateCompanies(c, s, path, type ?? null),
  };
  // A leftover section for the other type would be silently ignored: say so instead.
  for (const [other, own] of [['sqlite', 'mssql'], ['mssql', 'sqlite']] as const) {
    if (type === own && s[other] !== undefined) {
      c.add(joinConfigPath(path, other), `Sekcja ${other} nie jest używana, bo source.type to ${own} — usuń ją albo zmień source.type.`);
    }
  }
  const mssql = type !== 'sqlite' && (type === 'mssql' || s.mssql !== undefined) ? validateMssql(c, s.mssql, joinConfigPath(path, 'mssql')) : null;
  const sqlite = type !== 'mssql' && (type === 'sqlite' || s.sqlite !== undefined) ? validateSqlite(c, s.sqlite, joinConfigPath(path, 'sqlite')) : null;
  if (type === 'mssql' && mssql) return { type, mssql, ...common };
  if (type === 'sqlite' && sqlite) return { type, sqlite, ...common };
  return null;
}

function validateMssql(c: Checks, raw: unknown, path: string): MssqlConfig | null {
  const s = readSection(c, raw, path, MSSQL_KEYS, 'podaj server, user, password i companyDatabase bazy Optimy.');
  if (!s) return null;
  const server = readText(c, s, path, 'server', { required: 'wpisz nazwę serwera SQL Optimy, np. SERWER\\OPTIMA albo serwer.firma.local.' });
  const port = readNumber(c, s, path, 'port', { min: 1, max: 65535 });
  const domain = readText(c, s, path, 'domain');
  const user = readText(c, s, path, 'user', {
    required: domain
      ? 'logowanie domenowe wymaga nazwy użytkownika Windows (bez domeny) i hasła.'
      : 'wpisz login SQL Server (np. optima_sync) z prawem odczytu baz Optimy; dla konta Windows dodaj też domain.',
  });
  const password = readText(c, s, path, 'password', {
    secret: true,
    required: "wpisz hasło, najlepiej jako odwołanie do zmiennej środowiskowej: '${env:OPTIMA_SQL_PASSWORD}'.",
  });
  const databaseName = (what: string) => (v: string) => DATABASE_NAME.test(v) ? null : `Nazwa bazy ${what} zawiera niedozwolone znaki (nawiasy kwadratowe lub znaki sterujące) — wpisz samą nazwę, np. CDN_Firma.`;
  const companyDatabase = readText(c, s, path, 'companyDatabase', {
    required: 'wpisz nazwę bazy firmowej Optimy, np. CDN_Firma (widać ją w Optimie: Pomoc → Informacje o programie, albo w SQL Server Management Studio).',
    check: databaseName('firmowej'),
  });
  const configDatabase = readText(c, s, path, 'configDatabase', { check: databaseName('konfiguracyjnej') });
  const result = {
    server, port: port ?? null, user, password, domain: domain ?? null,
    encrypt: readBoolean(c, s, path, 'encrypt') ?? CONFIG_DEFAULTS.source.mssql.encrypt,
    trustServerCertificate: readBoolean(c, s, path, 'trustServerCertificate') ?? CONFIG_DEFAULTS.source.mssql.trustServerCertificate,
    companyDatabase,
    configDatabase: configDatabase ?? CONFIG_DEFAULTS.source.mssql.configDatabase,
  };
  return server !== undefined && user !== undefined && password !== undefined && companyDatabase !== undefined
    ? { ...result, server, user, password, companyDatabase }
    : null;
}

function validateSqlite(c: Checks, raw: unknown, path: string): SqliteSourceConfig | null {
  const s = readSection(c, raw, path, SQLITE_KEYS, 'podaj companyDb i configDb (ścieżki plików SQLite).');
  if (!s) return null;
  const companyDb = readText(c, s, path, 'companyDb', { required: 'wpisz ścieżkę pliku SQLite z bazą firmową (np. ./demo/firma.db).' });
  const configDb = readText(c, s, path, 'configDb', { required: 'wpisz ścieżkę pliku SQLite z bazą konfiguracyjną (np. ./demo/konfiguracja.db).' });
  return companyDb !== undefined && configDb !== undefined ? { companyDb, configDb } : null;
}

function validateQueryOverrides(c: Checks, s: Section, parent: string): Record<string, string> {
  const path = joinConfigPath(parent, 'queryOverrides');
  const out: Record<string, string> = {};
  for (const [name, value] of readEntries(c, s, parent, 'queryOverrides')) {
    if (!(QUERY_NAMES as readonly string[]).includes(name)) {
      const hint = suggestKey(name, QUERY_NAMES);
      c.add(joinConfigPath(path, name), `Nie ma wbudowanego zapytania ${quote(name)}${hint ? ` — czy chodziło o ${quote(hint)}?` : ''} (dostępne: ${QUERY_NAMES.join(', ')}).`);
      continue;
    }
    const file = readText(c, { [name]: value }, path, name, {
      required: 'wpisz ścieżkę pliku .sql, który zastępuje wbudowane zapytanie.',
      check: (v) => (v.toLowerCase().endsWith('.sql') ? null : 'Oczekiwano ścieżki pliku z rozszerzeniem .sql (np. ./zapytania/zlecenia.sql).'),
    });
    if (file !== undefined) out[name] = file;
  }
  return out;
}

function validateExtraQueries(c: Checks, s: Section, parent: string): Record<string, ExtraQueryConfig> {
  const path = joinConfigPath(parent, 'extraQueries');
  const out: Record<string, ExtraQueryConfig> = {};
  for (const [name, value] of readEntries(c, s, parent, 'extraQueries')) {
    const qPath = joinConfigPath(path, name);
    if (!IDENTIFIER.test(name)) {
      c.add(qPath, 'Nazwa zapytania może mieć tylko litery, cyfry i _ (i nie zaczynać się cyfrą), bo szablony odwołują się do niej po nazwie — np. kontaktyKlienta.');
      continue;
    }
    const q = readSection(c, value, qPath, EXTRA_QUERY_KEYS, 'podaj sql (jedno polecenie SELECT) i params.');
    if (!q) continue;
    const sql = readText(c, q, qPath, 'sql', { required: 'wpisz jedno polecenie SELECT z parametrami @nazwa.' });
    const params = validateParams(c, q, qPath);
    if (sql === undefined) continue;
    // Checked against every parameter named, even one whose row path is wrong: all errors at once.
    const check = checkSelectSql(sql, { knownParams: params.names });
    if (!check.ok) {
      c.add(joinConfigPath(qPath, 'sql'), check.message);
      continue;
    }
    const unused = params.names.filter((p) => !check.params.includes(p));
    for (const p of unused) {
      c.add(joinConfigPath(joinConfigPath(qPath, 'params'), p), `Parametr @${p} nie występuje w sql — usuń go albo użyj go w zapytaniu (literówka?).`);
    }
    if (unused.length === 0 && params.valid) out[name] = { sql, params: params.valid };
  }
  return out;
}

/** `paramName: path.in.row`, the path starting at a field of the source row. */
function validateParams(c: Checks, q: Section, qPath: string): { readonly names: string[]; readonly valid: Record<string, string> | null } {
  const path = joinConfigPath(qPath, 'params');
  const params: Record<string, string> = {};
  let ok = true;
  const entries = readEntries(c, q, qPath, 'params');
  for (const [name, value] of entries) {
    const field = readText(c, { [name]: value }, path, name, {
      required: 'wpisz pole rekordu, z którego pochodzi wartość, np. id albo columns.SrZ_PodmiotId.',
      check: (v) => checkRowPath(name, v),
    });
    if (field === undefined) ok = false;
    else params[name] = field;
  }
  return { names: entries.map(([name]) => name), valid: ok ? params : null };
}

function checkRowPath(name: string, value: string): string | null {
  if (!IDENTIFIER.test(name)) return 'Nazwa parametru może mieć tylko litery, cyfry i _ (bez @), np. podmiotId.';
  const parts = value.split('.');
  if (!parts.every((p) => IDENTIFIER.test(p))) return 'Oczekiwano ścieżki pola w postaci nazwa albo nazwa.podnazwa, np. id albo columns.SrZ_PodmiotId.';
  if (!ROW_FIELDS.includes(parts[0])) {
    const hint = suggestKey(parts[0], ROW_FIELDS);
    return `Rekord nie ma pola ${quote(parts[0])}${hint ? ` — czy chodziło o ${quote(hint)}?` : ''} (dostępne: ${ROW_FIELDS.join(', ')}).`;
  }
  if (NESTED_ROW_FIELDS.includes(parts[0]) && parts.length < 2) return `Pole ${parts[0]} jest sekcją — wskaż element, np. ${NESTED_EXAMPLE[parts[0]]}.`;
  return null;
}

/**
 * `source.companies`: further company databases read with the same login (SQL Server) or further
 * files (SQLite), each with a code that goes into its source keys.
 */
function validateCompanies(c: Checks, s: Section, parent: string, type: 'mssql' | 'sqlite' | null): CompanyConfig[] {
  const path = joinConfigPath(parent, 'companies');
  const value = s.companies;
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    c.add(path, `Oczekiwano listy firm (- code: …, name: …, database: …), a jest ${describeType(value)}.`);
    return [];
  }
  const out: CompanyConfig[] = [];
  const seen = new Set<string>();
  value.forEach((item, i) => {
    const itemPath = joinConfigPath(path, i);
    const f = readSection(c, item, itemPath, COMPANY_KEYS, 'podaj code, name i database.');
    if (!f) return;
    const code = readText(c, f, itemPath, 'code', {
      required: 'wpisz krótki kod firmy (małe litery, cyfry, - i _), np. firma2; trafia do kluczy rekordów, więc nie zmieniaj go później.',
      check: (v) => COMPANY_CODE.test(v) ? null : `Kod ${quote(v)} może mieć 1–20 znaków: małe litery, cyfry, - i _ (np. firma2).`,
    });
    if (code !== undefined && seen.has(code)) {
      c.add(joinConfigPath(itemPath, 'code'), `Kod ${quote(code)} powtarza się — każda firma potrzebuje własnego kodu, inaczej jej rekordy nadpisałyby rekordy innej.`);
    }
    const name = readText(c, f, itemPath, 'name', { required: 'wpisz nazwę firmy, jak ma się pokazywać w wydarzeniach, np. Serwis Północ sp. z o.o.' });
    const database = readText(c, f, itemPath, 'database', {
      required: type === 'sqlite' ? 'wpisz ścieżkę pliku SQLite z bazą tej firmy.' : 'wpisz nazwę bazy firmowej Optimy tej firmy, np. CDN_Firma2 (ten sam serwer i login co source.mssql).',
      check: (v) => type === 'sqlite' || DATABASE_NAME.test(v) ? null : 'Nazwa bazy zawiera niedozwolone znaki (nawiasy kwadratowe lub znaki sterujące) — wpisz samą nazwę, np. CDN_Firma2.',
    });
    const templates = validateTemplates(c, f.templates, joinConfigPath(itemPath, 'templates'));
    const filters = validateCompanyFilters(c, f.filters, joinConfigPath(itemPath, 'filters'));
    if (code === undefined || name === undefined || database === undefined || !templates || !filters || seen.has(code)) return;
    seen.add(code);
    out.push({ code, name, database, templates, filters });
  });
  return out;
}

/** A company's filters: per kind or `default`; fields not written take the built-in defaults. */
function validateCompanyFilters(c: Checks, raw: unknown, path: string): FiltersConfig | null {
  const s = readSection(c, raw, path, ['default', ...RECORD_KINDS]);
  if (!s) return null;
  const out: Record<string, RecordFilter> = {};
  for (const key of ['default', ...RECORD_KINDS]) {
    if (s[key] === undefined || s[key] === null) continue;
    const filter = validateFilter(c, s[key], joinConfigPath(path, key), CONFIG_DEFAULTS.filter);
    if (filter) out[key] = filter;
  }
  return out;
}
