import type { ConfigError } from './config-error.ts';
import { joinConfigPath } from './config-error.ts';
import { suggestKey } from './suggest-key.ts';
import { redactText } from '../state/redact.ts';

/**
 * Small readers the validator is built from. Each reads one field, records every problem it
 * finds (never stops at the first), and returns the value or `undefined` (absent or invalid), so
 * the caller can fill in the default and go on checking the rest of the file.
 */

export type Section = Readonly<Record<string, unknown>>;

export interface Checks {
  readonly errors: ConfigError[];
  add(path: string, message: string): void;
}

export function createChecks(): Checks {
  const errors: ConfigError[] = [];
  return { errors, add: (path, message) => { errors.push({ path, message }); } };
}

/** `„value”`, shortened and with anything token-like removed, for echoing non-secret input. */
export function quote(value: unknown): string {
  const text = redactText(String(value));
  return `„${text.length > 60 ? `${text.slice(0, 57)}…` : text}”`;
}

/** What the value is, in words, for "expected X, got Y" (never the value itself). */
export function describeType(value: unknown): string {
  if (value === null || value === undefined) return 'pusta wartość';
  if (Array.isArray(value)) return 'lista';
  switch (typeof value) {
    case 'string': return 'tekst';
    case 'number': return 'liczba';
    case 'boolean': return 'wartość logiczna (true/false)';
    case 'object': return 'sekcja (klucz: wartość)';
    default: return typeof value;
  }
}

function isRecord(value: unknown): value is Section {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An absent value: missing key, YAML `key:` with nothing after it, or blank text. */
function isAbsent(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/**
 * Reads a section (a mapping) and reports keys it does not know, with a "did you mean" hint.
 * Absent → `{}` (defaults apply) unless `required` is given; not a mapping → null.
 */
export function readSection(c: Checks, value: unknown, path: string, known: readonly string[], required?: string): Section | null {
  if (value === undefined || value === null) {
    if (required) c.add(path, `Brak sekcji — ${required}`);
    return required ? null : {};
  }
  if (!isRecord(value)) {
    c.add(path, `Oczekiwano sekcji (klucz: wartość), a jest ${describeType(value)}.`);
    return null;
  }
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const hint = suggestKey(key, known);
    c.add(joinConfigPath(path, key), hint
      ? `Nieznane ustawienie ${quote(key)} — czy chodziło o ${quote(hint)}?`
      : `Nieznane ustawienie ${quote(key)} — usuń je albo popraw nazwę (dozwolone tutaj: ${known.join(', ')}).`);
  }
  return value;
}

/** A mapping whose keys are names chosen by the admin (no fixed list). Absent → []. */
export function readEntries(c: Checks, s: Section, parent: string, key: string): [string, unknown][] {
  const value = s[key];
  if (value === undefined || value === null) return [];
  if (!isRecord(value)) {
    c.add(joinConfigPath(parent, key), `Oczekiwano sekcji (nazwa: wartość), a jest ${describeType(value)}.`);
    return [];
  }
  return Object.entries(value);
}

export interface TextOptions {
  /** Makes the field required; the sentence after "Brak wartości — " says what to write. */
  readonly required?: string;
  /** A secret: kept exactly as written (no trimming) and never echoed. */
  readonly secret?: boolean;
  /** Extra check on the text; returns an error sentence or null. */
  readonly check?: (value: string) => string | null;
}

/** A text field. Digits alone are refused: YAML reads them as a number (`0123` → 123). */
export function readText(c: Checks, s: Section, parent: string, key: string, o: TextOptions = {}): string | undefined {
  const value = s[key];
  const path = joinConfigPath(parent, key);
  if (isAbsent(value)) {
    if (o.required) c.add(path, `Brak wartości — ${o.required}`);
    return undefined;
  }
  if (typeof value !== 'string') {
    c.add(path, typeof value === 'number'
      ? 'Oczekiwano tekstu, a jest liczba — ujmij wartość w cudzysłów (np. \'0123\'), bo YAML czyta same cyfry jako liczbę i gubi zera z przodu.'
      : `Oczekiwano tekstu, a jest ${describeType(value)}.`);
    return undefined;
  }
  const text = o.secret ? value : value.trim();
  const problem = o.check?.(text) ?? null;
  if (problem) {
    c.add(path, problem);
    return undefined;
  }
  return text;
}

export interface NumberOptions {
  readonly min: number;
  readonly max: number;
  /** Unit shown after the range, e.g. `s`, `min`, `%`. */
  readonly unit?: string;
  readonly integer?: boolean;
  readonly required?: string;
  /** `null` written explicitly is a valid value (e.g. "no reminder"). */
  readonly nullable?: boolean;
}

/** A number in a range. Numeric text is accepted, since `${env:...}` always yields text. */
export function readNumber(c: Checks, s: Section, parent: string, key: string, o: NumberOptions): number | null | undefined {
  const value = s[key];
  const path = joinConfigPath(parent, key);
  if (value === null && o.nullable) return null;
  if (isAbsent(value)) {
    if (o.required) c.add(path, `Brak wartości — ${o.required}`);
    return undefined;
  }
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
  const unit = o.unit ? ` ${o.unit}` : '';
  const wanted = `${o.integer === false ? 'liczbę' : 'liczbę całkowitą'} od ${o.min} do ${o.max}${unit}`;
  if (Number.isNaN(n)) {
    c.add(path, `Oczekiwano liczby, a jest ${describeType(value)} — wpisz ${wanted}.`);
    return undefined;
  }
  if ((o.integer !== false && !Number.isInteger(n)) || n < o.min || n > o.max) {
    c.add(path, `Wartość ${n} jest poza zakresem — wpisz ${wanted}.`);
    return undefined;
  }
  return n;
}

/** true/false (also the text `true`/`false`, as an environment variable gives it). */
export function readBoolean(c: Checks, s: Section, parent: string, key: string): boolean | undefined {
  const value = s[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  c.add(joinConfigPath(parent, key), `Oczekiwano true albo false, a jest ${describeType(value)}.`);
  return undefined;
}

/** One of a fixed list of words, with a "did you mean" for near misses. */
export function readChoice<T extends string>(c: Checks, s: Section, parent: string, key: string, choices: readonly T[], required?: string): T | undefined {
  const value = s[key];
  const path = joinConfigPath(parent, key);
  if (isAbsent(value)) {
    if (required) c.add(path, `Brak wartości — ${required}`);
    return undefined;
  }
  if (typeof value === 'string' && (choices as readonly string[]).includes(value.trim())) return value.trim() as T;
  const hint = typeof value === 'string' ? suggestKey(value, choices) : null;
  const allowed = choices.map((x) => quote(x)).join(' albo ');
  c.add(path, typeof value === 'string'
    ? `Nieznana wartość ${quote(value)} — wpisz ${allowed}${hint ? ` (czy chodziło o ${quote(hint)}?)` : ''}.`
    : `Oczekiwano jednej z wartości ${allowed}, a jest ${describeType(value)}.`);
  return undefined;
}

/** A list of texts, each checked; absent → undefined. */
export function readTextList(c: Checks, s: Section, parent: string, key: string, check: (v: string) => string | null): string[] | undefined {
  const value = s[key];
  const path = joinConfigPath(parent, key);
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) {
    c.add(path, `Oczekiwano listy (- wartość w kolejnych wierszach), a jest ${describeType(value)}.`);
    return undefined;
  }
  const out: string[] = [];
  value.forEach((item, i) => {
    const itemPath = joinConfigPath(path, i);
    if (typeof item !== 'string' || item.trim() === '') {
      c.add(itemPath, `Oczekiwano tekstu, a jest ${describeType(item)}.`);
      return;
    }
    const problem = check(item.trim());
    if (problem) c.add(itemPath, problem);
    else out.push(item.trim());
  });
  return out;
}
