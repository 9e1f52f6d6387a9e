/**
 * Reading Optima row values the same way in every mapping: trimmed text or null, numbers that
 * really are numbers, Optima's empty dates as null, flags stored as 0/1.
 */
import type { LocalDateTime } from '../../domain/types.ts';
import { isEmptyOptimaDate, toLocalDateTime } from './optima-date.ts';

export function setDate(value: unknown): LocalDateTime | null {
  const local = toLocalDateTime(value);
  return isEmptyOptimaDate(local) ? null : local;
}

/** Trimmed text, or null when empty. Keeps every other character (control characters, emoji). */
export function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const s = typeof value === 'string' ? value : String(value);
  return s.trim() === '' ? null : s.trim();
}

export function toInteger(value: unknown): number | null {
  const n = toNumber(value);
  return n !== null && Number.isInteger(n) ? n : null;
}

export function toNumber(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

export function describeValue(value: unknown): string {
  return value === undefined ? 'brak kolumny' : JSON.stringify(value) ?? String(value);
}

export function isFlagSet(value: unknown): boolean {
  return value === true || Number(value) > 0;
}

/**
 * Optima's own reminder (`*_Przypomnienie` flag + `*_CzasPrzypomnienia`): the wall-clock time when
 * the flag is on and the time is set; null when the flag is off or the time is empty (1899-12-30).
 */
export function readReminder(flag: unknown, time: unknown): LocalDateTime | null {
  return isFlagSet(flag) ? setDate(time) : null;
}
