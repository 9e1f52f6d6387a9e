/**
 * Dates and errors in the person's language. Record dates are local wall-clock times in the
 * record's time zone (`YYYY-MM-DDTHH:mm:ss`), so they are shown as written, never shifted into the
 * browser's zone.
 */
import type { ApiError } from '../api/client.ts';
import { isApiError } from '../api/client.ts';
import { isSsoError } from '../office/create-token-provider.ts';
import { getLocale, type Language, type Messages } from './messages.ts';

/** Formats a wall-clock `YYYY-MM-DDTHH:mm:ss`; null → null. Midnight shows the date only. */
export function formatWallClock(value: string | null, language: Language, options: { readonly withTime?: boolean } = {}): string | null {
  if (!value) return null;
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(value);
  if (!match) return value;
  const [, y, mo, d, h = '00', mi = '00'] = match;
  const instant = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi)));
  const dateOnly = h === '00' && mi === '00' && !options.withTime;
  return new Intl.DateTimeFormat(getLocale(language), {
    timeZone: 'UTC',
    dateStyle: 'medium',
    ...(dateOnly ? {} : { timeStyle: 'short' }),
  }).format(instant);
}

/**
 * Formats a planned term `from`–`to` (wall clock, as `formatWallClock`): the end's date is left
 * out when it is the same day ("12 mar 2026, 09:30–11:00"). Either side may be missing.
 */
export function formatWallClockRange(from: string | null, to: string | null, language: Language): string | null {
  if (!to || to === from) return formatWallClock(from, language);
  const sameDay = from !== null && from.slice(0, 10) === to.slice(0, 10) && /T\d{2}:\d{2}/.test(to);
  // 00:00–01:00 on one day is a time range, not "the whole day".
  const start = formatWallClock(from, language, { withTime: sameDay });
  const end = sameDay ? formatTimeOfDay(to, language) : formatWallClock(to, language);
  if (!start) return end;
  return sameDay ? `${start}–${end}` : `${start} – ${end}`;
}

function formatTimeOfDay(value: string, language: Language): string {
  const match = /T(\d{2}):(\d{2})/.exec(value);
  if (!match) return value;
  const instant = new Date(Date.UTC(2000, 0, 1, Number(match[1]), Number(match[2])));
  return new Intl.DateTimeFormat(getLocale(language), { timeZone: 'UTC', timeStyle: 'short' }).format(instant);
}

/** Formats an ISO instant in the browser's own time zone. */
export function formatInstant(value: string, language: Language): string {
  const instant = new Date(value);
  if (Number.isNaN(instant.getTime())) return value;
  return new Intl.DateTimeFormat(getLocale(language), { dateStyle: 'medium', timeStyle: 'short' }).format(instant);
}

/** A sentence for any failure: the server's own message in the pane's language where it sent one. */
export function describeFailure(error: unknown, t: Messages, language: Language): string {
  if (isApiError(error)) return describeApiError(error, t, language);
  if (isSsoError(error)) return t.signInFailed;
  return t.networkError;
}

function describeApiError(error: ApiError, t: Messages, language: Language): string {
  if (error.code === 'network') return t.networkError;
  const fromServer = language === 'pl' ? error.message : error.messageEn;
  return fromServer ?? error.message ?? error.messageEn ?? t.networkError;
}
