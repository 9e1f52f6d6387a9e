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
export function formatWallClock(value: string | null, language: Language): string | null {
  if (!value) return null;
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(value);
  if (!match) return value;
  const [, y, mo, d, h = '00', mi = '00'] = match;
  const instant = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi)));
  const dateOnly = h === '00' && mi === '00';
  return new Intl.DateTimeFormat(getLocale(language), {
    timeZone: 'UTC',
    dateStyle: 'medium',
    ...(dateOnly ? {} : { timeStyle: 'short' }),
  }).format(instant);
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
