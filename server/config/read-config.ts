import { readFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import type { ConfigError } from './config-error.ts';
import { splitConfigPath } from './config-error.ts';
import type { Config } from './schema.ts';
import { findJsonErrorOffset, lineColumnAt } from './find-json-error.ts';
import { substituteEnv } from './substitute-env.ts';
import { validateConfig } from './validate-config.ts';
import { redactText } from '../state/redact.ts';

export { formatConfigErrors } from './format-config-errors.ts';

export type ReadConfigResult =
  | { readonly ok: true; readonly config: Config }
  | { readonly ok: false; readonly errors: readonly ConfigError[] };

/**
 * Reads the configuration file (YAML, or JSON for `.json`), substitutes `${env:NAME}` in string
 * values, validates, applies `PORT` from the environment, and makes relative paths absolute
 * against the file's folder. Every problem comes back at once, with the line in the file where it
 * can be found; no message contains a secret or the value of an environment variable.
 */
export function readConfig(path: string, env: Readonly<Record<string, string | undefined>> = process.env): ReadConfigResult {
  const file = resolve(path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8').replace(/^\uFEFF/, ''); // Notepad's BOM
  } catch (err) {
    const code = (err as { code?: string }).code;
    const message = code === 'ENOENT'
      ? `Nie ma pliku konfiguracji ${file} — skopiuj config.example.yaml pod tę nazwę i uzupełnij go, albo wskaż właściwy plik.`
      : code === 'EISDIR'
        ? `${file} to folder, a nie plik — wskaż plik konfiguracji (np. config.yaml).`
        : `Nie można odczytać pliku konfiguracji ${file} (${code ?? 'błąd odczytu'}) — sprawdź uprawnienia konta, na którym działa usługa.`;
    return { ok: false, errors: [{ path: '', message }] };
  }

  const parsed = extname(file).toLowerCase() === '.json' ? parseJson(text) : parseYaml(text);
  if (!parsed.ok) return { ok: false, errors: [parsed.error] };
  if (parsed.value === null || parsed.value === undefined) {
    return { ok: false, errors: [{ path: '', message: 'Plik konfiguracji jest pusty — skopiuj do niego config.example.yaml i uzupełnij.' }] };
  }

  const env1 = substituteEnv(parsed.value, env);
  const envPaths = new Set(env1.errors.map((e) => e.path));
  const validated = validateConfig(env1.value);
  const errors: ConfigError[] = [...env1.errors];
  if (!validated.ok) {
    // An unresolved `${env:X}` already has its error; its knock-on format error would only confuse.
    for (const e of validated.errors) if (!envPaths.has(e.path)) errors.push(hideEnvValues(e, env1.substituted.get(e.path)));
  }
  const port = readPortVariable(env.PORT);
  if (port === 'invalid') {
    errors.push({ path: 'server.port', message: 'Zmienna środowiskowa PORT ma nieprawidłową wartość — ustaw numer portu od 1 do 65535 albo usuń tę zmienną, by użyć server.port z pliku.' });
  }
  if (errors.length > 0 || !validated.ok) {
    const doc = parsed.locate;
    const located = doc ? errors.map((e): ConfigError => ({ ...locateError(doc, e.path), ...e })) : errors;
    // In file order, so the operator can work down the file; the sort is stable within a line.
    return { ok: false, errors: located.toSorted((a, b) => (a.line ?? 0) - (b.line ?? 0)) };
  }
  const config = typeof port === 'number' ? { ...validated.config, server: { ...validated.config.server, port } } : validated.config;
  return { ok: true, config: resolveConfigPaths(config, dirname(file)) };
}

/** Makes every file and folder path in the config absolute, relative ones against `baseDir`. */
export function resolveConfigPaths(config: Config, baseDir: string): Config {
  const abs = (p: string) => resolve(baseDir, p);
  const source = config.source;
  const common = {
    ...source,
    queryOverrides: Object.fromEntries(Object.entries(source.queryOverrides).map(([k, v]) => [k, abs(v)])),
    // On SQLite a further company's database is a file; on SQL Server it is a name.
    companies: source.type === 'sqlite' ? source.companies.map((x) => ({ ...x, database: abs(x.database) })) : source.companies,
  };
  return {
    ...config,
    source: source.type === 'sqlite'
      ? { ...common, type: 'sqlite', sqlite: { companyDb: abs(source.sqlite.companyDb), configDb: abs(source.sqlite.configDb) } }
      : { ...common, type: 'mssql', mssql: source.mssql },
    microsoft: {
      ...config.microsoft,
      certificate: config.microsoft.certificate ? { ...config.microsoft.certificate, path: abs(config.microsoft.certificate.path) } : null,
      delegated: config.microsoft.delegated ? {
        cacheDir: config.microsoft.delegated.cacheDir === null ? null : abs(config.microsoft.delegated.cacheDir),
        keyPath: config.microsoft.delegated.keyPath === null ? null : abs(config.microsoft.delegated.keyPath),
      } : null,
    },
    server: {
      ...config.server, dataDir: abs(config.server.dataDir),
      tls: config.server.tls ? { ...config.server.tls, path: abs(config.server.tls.path) } : null,
    },
  };
}

type Parsed =
  | { readonly ok: true; readonly value: unknown; readonly locate: Located | null }
  | { readonly ok: false; readonly error: ConfigError };

interface Located {
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
}

const YAML_HINTS: Readonly<Record<string, string>> = {
  BAD_INDENT: 'złe wcięcie — wcinaj spacjami, równo w obrębie jednej sekcji',
  TAB_AS_INDENT: 'wcięcie tabulatorem — YAML wymaga spacji',
  DUPLICATE_KEY: 'to samo ustawienie podano dwa razy w jednej sekcji — zostaw jedno',
  MISSING_CHAR: 'brak znaku zamykającego (cudzysłowu albo nawiasu)',
  BLOCK_AS_IMPLICIT_KEY: 'wartość zawiera „: ” albo brakuje wcięcia — ujmij wartość w cudzysłów albo popraw wcięcie',
  MULTILINE_IMPLICIT_KEY: 'klucz musi być w jednym wierszu — sprawdź cudzysłowy i dwukropki wyżej',
  BAD_SCALAR_START: 'wartość zaczyna się od znaku zastrzeżonego (np. @, `, %) — ujmij ją w cudzysłów',
  MULTIPLE_DOCS: 'plik zawiera kilka dokumentów (---) — zostaw jeden',
  UNEXPECTED_TOKEN: 'nieoczekiwany znak — sprawdź cudzysłowy, nawiasy i dwukropki',
};

function parseYaml(text: string): Parsed {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const { line, col } = lines.linePos(first.pos[0]);
    const hint = YAML_HINTS[first.code] ?? 'popraw zapis w tym miejscu';
    const english = redactText(first.message.split('\n')[0]).replace(/ at line \d+, column \d+:?$/, '');
    return { ok: false, error: { path: '', line, column: col, message: `Błąd składni YAML w linii ${line}, kolumnie ${col}: ${hint} (${english}).` } };
  }
  return { ok: true, value: doc.toJS({ maxAliasCount: 100 }), locate: { doc, lines } };
}

function parseJson(text: string): Parsed {
  const offset = findJsonErrorOffset(text);
  if (offset >= 0) {
    const { line, column } = lineColumnAt(text, offset);
    return { ok: false, error: { path: '', line, column, message: `Błąd składni JSON w linii ${line}, kolumnie ${column} — sprawdź przecinki, cudzysłowy i nawiasy w tym miejscu (albo zapisz konfigurację jako YAML).` } };
  }
  // JSON is YAML too: parsing it again as YAML only serves to find lines for later messages.
  const located = parseYaml(text);
  return { ok: true, value: JSON.parse(text) as unknown, locate: located.ok ? located.locate : null };
}

/** Line and column of the deepest part of `path` present in the file (the key, for a mapping). */
function locateError(located: Located, path: string): { line?: number; column?: number } {
  let node: unknown = located.doc.contents;
  let offset: number | undefined;
  for (const part of splitConfigPath(path)) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(part));
      if (!pair) break;
      offset = isScalar(pair.key) ? pair.key.range?.[0] : offset;
      node = pair.value;
    } else if (isSeq(node) && typeof part === 'number' && node.items[part] !== undefined) {
      const item = node.items[part];
      offset = isScalar(item) || isMap(item) || isSeq(item) ? item.range?.[0] : offset;
      node = item;
    } else break;
  }
  if (offset === undefined) return {};
  const { line, col } = located.lines.linePos(offset);
  return { line, column: col };
}

function hideEnvValues(error: ConfigError, values: readonly string[] | undefined): ConfigError {
  if (!values) return error;
  let message = error.message;
  for (const v of values) if (v.length >= 3) message = message.split(v).join('[ukryte]');
  return { ...error, message };
}

function readPortVariable(value: string | undefined): number | 'invalid' | null {
  if (value === undefined || value.trim() === '') return null;
  const n = Number(value.trim());
  return /^\d+$/.test(value.trim()) && n >= 1 && n <= 65535 ? n : 'invalid';
}
