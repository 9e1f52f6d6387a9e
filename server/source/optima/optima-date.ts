import type { LocalDateTime } from '../../domain/types.ts';

/**
 * Optima keeps local wall-clock `datetime` values and writes 1899-12-30 (SQL Server's day 0 in
 * Optima's Delphi heritage) where a date is "not set". These helpers normalise what a driver
 * returns (a JS Date from mssql with useUTC, or text from SQLite) without touching the wall time.
 */

/** Day Optima writes for "no date". */
export const OPTIMA_EMPTY_DAY = '1899-12-30';

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?$/;

/**
 * Normalises a driver value to `YYYY-MM-DD HH:mm:ss.SSS` (full precision, sortable text).
 * Returns null for null/empty input and for text that is not a date.
 */
export function normalizeOptimaTimestamp(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return null;
    // mssql with useUTC (the default) maps the wall clock onto UTC fields.
    return value.toISOString().replace('T', ' ').replace('Z', '');
  }
  const m = DATE_TIME.exec(String(value).trim());
  if (!m) return null;
  const ms = (m[7] ?? '0').padEnd(3, '0').slice(0, 3);
  return `${m[1]}-${m[2]}-${m[3]} ${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}.${ms}`;
}

/** Normalises to a `LocalDateTime` (`YYYY-MM-DDTHH:mm:ss`), or null when empty. */
export function toLocalDateTime(value: unknown): LocalDateTime | null {
  const ts = normalizeOptimaTimestamp(value);
  return ts === null ? null : ts.slice(0, 19).replace(' ', 'T');
}

/** True for null and for Optima's "no date" day (1899-12-30 at any time). */
export function isEmptyOptimaDate(value: LocalDateTime | null): boolean {
  return value === null || value.startsWith(OPTIMA_EMPTY_DAY);
}

/** First candidate that is set (not null and not Optima's empty day), or null. */
export function firstSetDate(...candidates: readonly unknown[]): LocalDateTime | null {
  for (const c of candidates) {
    const local = toLocalDateTime(c);
    if (!isEmptyOptimaDate(local)) return local;
  }
  return null;
}
