import type { LocalDateTime } from '../domain/types.ts';

/**
 * Wall-clock values (`YYYY-MM-DDTHH:mm:ss`, no zone) taken apart and checked. A value is
 * *possible* when it names a real calendar day and time between 1900 and 2200; anything else
 * (month 13, 30 February, year 1753 or 9999) is a data error in the source, not a time to send.
 */

export interface LocalParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

export type ParsedLocal =
  | { readonly ok: true; readonly parts: LocalParts }
  | { readonly ok: false; readonly problem: 'format' | 'out-of-range' | 'no-such-day' | 'no-such-time' };

/** Earliest and latest year accepted as a real appointment date. */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2200;

// Seconds and a fraction are optional so a driver's `2026-03-29 08:30` or `...:00.000` still parses.
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,7})?)?$/;

/** Days in a month of the proleptic Gregorian calendar. */
export function countDaysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Takes a wall-clock value apart; says which rule it breaks when it is not a possible time. */
export function parseLocalDateTime(value: string): ParsedLocal {
  const m = LOCAL.exec(value.trim());
  if (!m) return { ok: false, problem: 'format' };
  const [year, month, day, hour, minute] = [1, 2, 3, 4, 5].map((i) => Number(m[i]));
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (year < MIN_YEAR || year > MAX_YEAR) return { ok: false, problem: 'out-of-range' };
  if (month < 1 || month > 12 || day < 1 || day > countDaysInMonth(year, month)) return { ok: false, problem: 'no-such-day' };
  if (hour > 23 || minute > 59 || second > 59) return { ok: false, problem: 'no-such-time' };
  return { ok: true, parts: { year, month, day, hour, minute, second } };
}

/** Formats parts as `YYYY-MM-DDTHH:mm:ss`. */
export function formatLocalDateTime(p: LocalParts): LocalDateTime {
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${String(p.year).padStart(4, '0')}-${two(p.month)}-${two(p.day)}T${two(p.hour)}:${two(p.minute)}:${two(p.second)}`;
}

/** The wall-clock fields read as if they were UTC, in milliseconds (the zone-free "wall number"). */
export function toWallMillis(p: LocalParts): number {
  const d = new Date(0);
  // setUTCFullYear avoids Date.UTC's 0–99 → 1900–1999 mapping.
  d.setUTCFullYear(p.year, p.month - 1, p.day);
  d.setUTCHours(p.hour, p.minute, p.second, 0);
  return d.getTime();
}

/** Inverse of `toWallMillis`. */
export function fromWallMillis(ms: number): LocalParts {
  const d = new Date(ms);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}
