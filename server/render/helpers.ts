import type Handlebars from 'handlebars';
import { normalizeOptimaTimestamp, OPTIMA_EMPTY_DAY } from '../source/optima/optima-date.ts';

/**
 * Template helpers, Polish names first with English aliases. Every helper turns null, undefined
 * and Optima's empty day into an empty string, never "null"/"undefined", and none of them throws
 * on odd data: a template must not fail because one record has a strange phone number.
 */

export type HandlebarsEnvironment = ReturnType<typeof Handlebars.create>;
type HelperOptions = Handlebars.HelperOptions;

/** Turns any template value into display text ('' for null, undefined, objects). */
export function toText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return Number.isFinite(Number(value)) ? String(value) : '';
  if (typeof value === 'boolean') return String(value);
  if (value instanceof Date) return normalizeOptimaTimestamp(value) ?? '';
  if (Array.isArray(value)) return value.map(toText).filter((t) => t !== '').join(', ');
  // SafeString and friends carry their own text; plain objects have none worth printing.
  if (typeof (value as { toHTML?: unknown }).toHTML === 'function') return String(value);
  return '';
}

/** True for null, undefined, blank text and empty arrays. */
export function isBlank(value: unknown): boolean {
  if (Array.isArray(value)) return value.length === 0;
  if (value === false || value === 0) return false;
  return toText(value).trim() === '';
}

const segmenter = new Intl.Segmenter('pl', { granularity: 'grapheme' });

/**
 * Cuts text to at most `max` units, ending with "…" when cut. Cuts between graphemes, so an emoji
 * or a letter with a combining accent is never split. `unit` 'utf16' counts what Exchange counts.
 */
export function truncateText(text: string, max: number, unit: 'grapheme' | 'utf16' = 'grapheme'): string {
  if (!Number.isFinite(max) || max < 1) return '';
  const graphemes = Array.from(segmenter.segment(text), (s) => s.segment);
  const size = (parts: readonly string[]): number => (unit === 'grapheme' ? parts.length : parts.join('').length);
  if (size(graphemes) <= max) return text;
  const kept: string[] = [];
  let used = 1; // the ellipsis
  for (const g of graphemes) {
    const cost = unit === 'grapheme' ? 1 : g.length;
    if (used + cost > max) break;
    kept.push(g);
    used += cost;
  }
  return kept.join('').trimEnd() + '…';
}

type SplitLocal = { readonly date: string; readonly time: string } | 'empty' | 'not-a-date';

function splitLocal(value: unknown): SplitLocal {
  const ts = normalizeOptimaTimestamp(value);
  if (ts === null) return value === null || value === undefined || value === '' ? 'empty' : 'not-a-date';
  if (ts.startsWith(OPTIMA_EMPTY_DAY)) return 'empty';
  const [y, mo, d] = ts.slice(0, 10).split('-');
  return { date: `${d}.${mo}.${y}`, time: ts.slice(11, 16) };
}

// Text that is not a date is shown as it is: the template author sees what the data holds.
function formatWith(value: unknown, pick: (s: { date: string; time: string }) => string): string {
  const s = splitLocal(value);
  if (s === 'empty') return '';
  if (s === 'not-a-date') return toText(value);
  return pick(s);
}

/** "29.03.2026" for a wall-clock value or driver date; '' when empty or Optima's empty day. */
export function formatDate(value: unknown): string {
  return formatWith(value, (s) => s.date);
}

/** "08:30"; '' when empty. */
export function formatTime(value: unknown): string {
  return formatWith(value, (s) => s.time);
}

/** "29.03.2026 08:30"; '' when empty. */
export function formatDateTime(value: unknown): string {
  return formatWith(value, (s) => `${s.date} ${s.time}`);
}

// Polish geographic area codes; any other 9-digit number (mobile, 800, 70x) is grouped 3-3-3.
const AREA_CODES = new Set([
  '12', '13', '14', '15', '16', '17', '18', '22', '23', '24', '25', '29', '32', '33', '34', '41', '42', '43', '44', '46',
  '48', '52', '54', '55', '56', '58', '59', '61', '62', '63', '65', '67', '68', '71', '74', '75', '76', '77', '81', '82',
  '83', '84', '85', '86', '87', '89', '91', '94', '95',
]);

interface PolishNumber {
  readonly national: string;
  readonly international: boolean;
}

function readPolishNumber(raw: string): PolishNumber | null {
  const compact = raw.trim().replace(/[\s\-().\/]/g, '');
  const m = /^(\+48|0048|48(?=\d{9}$))?(\d{9})$/.exec(compact);
  return m ? { national: m[2], international: m[1] !== undefined } : null;
}

function groupNational(n: string): string {
  return AREA_CODES.has(n.slice(0, 2))
    ? `${n.slice(0, 2)} ${n.slice(2, 5)} ${n.slice(5, 7)} ${n.slice(7)}`
    : `${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`;
}

/** "+48 600 100 200" / "600 100 200" / "22 123 45 67"; foreign and odd numbers stay as written. */
export function formatPhone(value: unknown): string {
  const raw = toText(value).trim();
  const pl = readPolishNumber(raw);
  if (!pl) return raw;
  return pl.international ? `+48 ${groupNational(pl.national)}` : groupNational(pl.national);
}

/** `tel:` target for a phone number: Polish numbers as +48…, others digits with a leading + kept; null when no digits. */
export function toTelUri(value: unknown): string | null {
  const raw = toText(value).trim();
  const pl = readPolishNumber(raw);
  if (pl) return `tel:+48${pl.national}`;
  const digits = raw.replace(/[^\d]/g, '');
  if (digits.length < 3) return null;
  const plus = /^\s*(\+|00)/.test(raw) ? '+' : '';
  return `tel:${plus}${raw.trim().startsWith('00') ? digits.slice(2) : digits}`;
}

function optionsOf(args: readonly unknown[]): { values: unknown[]; options: HelperOptions } {
  return { values: args.slice(0, -1), options: args[args.length - 1] as HelperOptions };
}

/** Registers every helper (Polish name and English alias) on an isolated Handlebars environment. */
export function registerHelpers(hb: HandlebarsEnvironment): void {
  // {{log}} would write to the console; core code reports through values, not stdout.
  hb.unregisterHelper('log');
  const add = (names: readonly string[], fn: (...args: unknown[]) => unknown): void => {
    for (const name of names) hb.registerHelper(name, fn as Handlebars.HelperDelegate);
  };

  add(['data', 'date'], (value) => formatDate(value));
  add(['godzina', 'time'], (value) => formatTime(value));
  add(['dataGodzina', 'dateTime'], (value) => formatDateTime(value));
  add(['telefon', 'phone'], (value) => formatPhone(value));
  add(['telefonLink', 'phoneLink'], (value) => {
    const text = formatPhone(value);
    const uri = toTelUri(value);
    if (uri === null) return text;
    return new hb.SafeString(`<a href="${hb.escapeExpression(uri)}">${hb.escapeExpression(text)}</a>`);
  });
  // {{lub a b "brak"}}: the first value that is not empty, else ''.
  add(['lub', 'or'], (...args) => optionsOf(args).values.find((v) => !isBlank(v)) ?? '');
  // {{#puste x}}…{{else}}…{{/puste}} or (puste x) in an #if: true when null, blank or an empty list.
  add(['puste', 'empty'], function (this: unknown, ...args: unknown[]) {
    const { values, options } = optionsOf(args);
    const blank = values.every(isBlank);
    if (typeof options.fn !== 'function') return blank;
    return blank ? options.fn(this) : options.inverse(this);
  });
  add(['rowne', 'eq'], (...args) => {
    const { values } = optionsOf(args);
    return values.length >= 2 && values.every((v) => String(v) === String(values[0]));
  });
  // Without a usable length ({{skroc opis}}) the text is left whole rather than emptied.
  add(['skroc', 'truncate'], (value, max) => (typeof max === 'number' || typeof max === 'string') && Number.isFinite(Number(max)) ? truncateText(toText(value), Number(max)) : toText(value));
  add(['nl2br'], (value) => new hb.SafeString(hb.escapeExpression(toText(value)).replace(/\r\n|\r|\n/g, '<br>')));
}
