import type { Checks, Section } from './check-fields.ts';
import { describeType, quote, readBoolean, readChoice, readEntries, readNumber, readSection, readText, readTextList } from './check-fields.ts';
import { joinConfigPath } from './config-error.ts';
import type { FiltersConfig, LookCondition, LookRule, LooksConfig, RecordFilter } from './schema.ts';
import { CONFIG_DEFAULTS, RECORD_KINDS } from './schema.ts';
import { toCategoryPreset } from '../targets/graph/category-colors.ts';

/**
 * `looks` (state/stage → category with colour, show-as, subject prefix, removal), `filters`
 * (which records reach calendars, and the date window) and `calendar.categoryColors`.
 */

const RULE_KEYS = ['when', 'remove', 'category', 'color', 'showAs', 'subjectPrefix'];
const WHEN_KEYS = ['states', 'stages', 'draft', 'done'];
const FILTER_KEYS = ['states', 'stages', 'people', 'numberPrefixes', 'daysBack', 'daysAhead'];
const SHOW_AS = ['busy', 'tentative', 'free', 'oof', 'workingElsewhere'] as const;
const PERSON_KEY = /^(pracownik|operator):([1-9]\d*)$/;
const COLOR_HINT = 'wpisz nazwę koloru (np. zielony, niebieski, czerwony, szary) albo preset0…preset24';

/** `looks.<kind>`: a list of rules, the first match wins. */
export function validateLooks(c: Checks, raw: unknown, path: string): LooksConfig | null {
  const s = readSection(c, raw, path, RECORD_KINDS);
  if (!s) return null;
  const out: Record<string, LookRule[]> = {};
  for (const kind of RECORD_KINDS) {
    const value = s[kind];
    if (value === undefined || value === null) continue;
    const kindPath = joinConfigPath(path, kind);
    if (!Array.isArray(value)) {
      c.add(kindPath, `Oczekiwano listy reguł (- when: …), a jest ${describeType(value)}.`);
      continue;
    }
    const rules: LookRule[] = [];
    value.forEach((item, i) => {
      const rule = validateRule(c, item, joinConfigPath(kindPath, i));
      if (rule) rules.push(rule);
    });
    out[kind] = rules;
  }
  return out;
}

function validateRule(c: Checks, raw: unknown, path: string): LookRule | null {
  const s = readSection(c, raw, path, RULE_KEYS, 'wpisz regułę z when (warunek) i wyglądem, np. category: Zrealizowane, showAs: free.');
  if (!s) return null;
  const when = validateWhen(c, s.when, joinConfigPath(path, 'when'));
  const remove = readBoolean(c, s, path, 'remove') ?? false;
  const category = readText(c, s, path, 'category', { check: checkCategoryName });
  const color = readColor(c, s, path, 'color');
  const showAs = readChoice(c, s, path, 'showAs', SHOW_AS);
  const subjectPrefix = typeof s.subjectPrefix === 'string' ? s.subjectPrefix : readText(c, s, path, 'subjectPrefix');
  if (color !== undefined && category === undefined) {
    c.add(joinConfigPath(path, 'color'), 'Kolor dotyczy kategorii — dodaj category: <nazwa> w tej regule albo ustaw kolor w calendar.categoryColors.');
  }
  if (!remove && category === undefined && showAs === undefined && subjectPrefix === undefined) {
    c.add(path, 'Reguła niczego nie zmienia — dodaj category, showAs, subjectPrefix albo remove: true.');
  }
  if (!when) return null;
  return {
    when, remove, category: category ?? null, color: color ?? null, showAs: showAs ?? null,
    subjectPrefix: subjectPrefix === undefined || subjectPrefix === '' ? null : subjectPrefix,
  };
}

function validateWhen(c: Checks, raw: unknown, path: string): LookCondition | null {
  const s = readSection(c, raw, path, WHEN_KEYS, 'wpisz warunek, np. when: { states: [Zrealizowane] } (states, stages, draft, done).');
  if (!s) return null;
  const anyText = (v: string) => (v.length <= 255 ? null : 'Za długi tekst — do 255 znaków.');
  return {
    states: readTextList(c, s, path, 'states', anyText) ?? [],
    stages: readTextList(c, s, path, 'stages', anyText) ?? [],
    draft: readBoolean(c, s, path, 'draft') ?? null,
    done: readBoolean(c, s, path, 'done') ?? null,
  };
}

/** `filters.<kind>` and `filters.default`; every kind not listed gets the default filter. */
export function validateFilters(c: Checks, raw: unknown, path: string): FiltersConfig | null {
  const s = readSection(c, raw, path, ['default', ...RECORD_KINDS]);
  if (!s) return null;
  const out: Record<string, RecordFilter> = {};
  const base = s.default === undefined || s.default === null ? CONFIG_DEFAULTS.filter : validateFilter(c, s.default, joinConfigPath(path, 'default'), CONFIG_DEFAULTS.filter);
  if (!base) return null;
  out.default = base;
  for (const kind of RECORD_KINDS) {
    if (s[kind] === undefined || s[kind] === null) continue;
    const filter = validateFilter(c, s[kind], joinConfigPath(path, kind), base);
    if (filter) out[kind] = filter;
  }
  return out;
}

/** One filter; unset fields take `base`'s (the default filter, or the global one for a company). */
export function validateFilter(c: Checks, raw: unknown, path: string, base: RecordFilter): RecordFilter | null {
  const s = readSection(c, raw, path, FILTER_KEYS);
  if (!s) return null;
  const anyText = (v: string) => (v.length <= 255 ? null : 'Za długi tekst — do 255 znaków.');
  const people = readTextList(c, s, path, 'people', (v) => PERSON_KEY.test(v) ? null
    : `${quote(v)} ma zły format — wpisz pracownik:<id> albo operator:<id> z identyfikatorem z Optimy (np. pracownik:12).`);
  const days = (key: string) => {
    const n = readNumber(c, s, path, key, { min: 0, max: 36500, unit: 'dni (null = bez ograniczenia)', nullable: true });
    return n === undefined ? base[key as 'daysBack' | 'daysAhead'] : n;
  };
  const list = (key: 'states' | 'stages' | 'numberPrefixes') => {
    if (s[key] === null) return null;
    const v = readTextList(c, s, path, key, anyText);
    return v === undefined ? base[key] : v;
  };
  return {
    states: list('states'),
    stages: list('stages'),
    people: s.people === null ? null : people ?? base.people,
    numberPrefixes: list('numberPrefixes'),
    daysBack: days('daysBack'),
    daysAhead: days('daysAhead'),
  };
}

/** `calendar.categoryColors`: name → colour; `false` turns category colouring off. */
export function validateCategoryColors(c: Checks, s: Section, parent: string): Record<string, string> | null | undefined {
  if (s.categoryColors === false || s.categoryColors === 'false') return null;
  const path = joinConfigPath(parent, 'categoryColors');
  const out: Record<string, string> = {};
  const entries = readEntries(c, s, parent, 'categoryColors');
  if (entries.length === 0) return undefined;
  for (const [name, value] of entries) {
    const problem = checkCategoryName(name);
    if (problem) {
      c.add(joinConfigPath(path, name), problem);
      continue;
    }
    const color = readColor(c, { [name]: value }, path, name);
    if (color) out[name] = color;
  }
  return out;
}

function readColor(c: Checks, s: Section, parent: string, key: string): string | undefined {
  const text = readText(c, s, parent, key);
  if (text === undefined) return undefined;
  const preset = toCategoryPreset(text);
  if (preset === null) {
    c.add(joinConfigPath(parent, key), `Nieznany kolor ${quote(text)} — ${COLOR_HINT}.`);
    return undefined;
  }
  return preset;
}

function checkCategoryName(name: string): string | null {
  if (name.length > 255 || /[\u0000-\u001f]/.test(name)) return 'Nazwa kategorii może mieć do 255 znaków, bez znaków sterujących.';
  if (name.includes(',')) return 'Nazwa kategorii nie może zawierać przecinka (Outlook dzieli po nim kategorie).';
  return null;
}
