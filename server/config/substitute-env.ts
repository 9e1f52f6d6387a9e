import type { ConfigError } from './config-error.ts';
import { joinConfigPath } from './config-error.ts';

/** `${env:NAME}`; `$${env:NAME}` stays literal text `${env:NAME}`. */
const REFERENCE = /\$?\$\{env:([^}]*)\}/g;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface SubstitutedConfig {
  readonly value: unknown;
  readonly errors: readonly ConfigError[];
  /** Path → the environment values put there (so a later message about that path can hide them). */
  readonly substituted: ReadonlyMap<string, readonly string[]>;
}

/**
 * Replaces `${env:NAME}` in every string value (keys are left alone) with the variable's value.
 * A missing or empty variable is an error at that path naming the variable, never its value.
 * Returns a new value; the input is not modified.
 */
export function substituteEnv(raw: unknown, env: Readonly<Record<string, string | undefined>>): SubstitutedConfig {
  const errors: ConfigError[] = [];
  const substituted = new Map<string, string[]>();
  const visit = (value: unknown, path: string): unknown => {
    if (typeof value === 'string') return substituteString(value, path);
    if (Array.isArray(value)) return value.map((v, i) => visit(v, joinConfigPath(path, i)));
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, visit(v, joinConfigPath(path, k))]));
    }
    return value;
  };
  const substituteString = (text: string, path: string): string => text.replace(REFERENCE, (match: string, name: string) => {
    if (match.startsWith('$$')) return match.slice(1);
    if (!VARIABLE_NAME.test(name)) {
      errors.push({ path, message: `Nieprawidłowe odwołanie do zmiennej środowiskowej — wpisz \${env:NAZWA}, gdzie NAZWA ma tylko litery, cyfry i _ (np. \${env:OPTIMA_SQL_PASSWORD}).` });
      return match;
    }
    const value = env[name];
    if (value === undefined) {
      errors.push({ path, message: `Brak zmiennej środowiskowej ${name} — ustaw ją przed uruchomieniem (w usłudze Windows: zmienne środowiskowe usługi; w konsoli: set ${name}=...) albo wpisz wartość w pliku.` });
      return match;
    }
    if (value === '') {
      errors.push({ path, message: `Zmienna środowiskowa ${name} jest pusta — nadaj jej wartość albo wpisz wartość w pliku.` });
      return match;
    }
    substituted.set(path, [...(substituted.get(path) ?? []), value]);
    return value;
  });
  return { value: visit(raw, ''), errors, substituted };
}
