/**
 * Optima's clock, as the demo imitates it: `datetime` values are the host's local wall clock
 * (Europe/Warsaw) with SQL Server `datetime` resolution — 1/300 s, so milliseconds end in
 * 0, 3 or 7. Stored in SQLite as text `YYYY-MM-DD HH:mm:ss.SSS`.
 *
 * Arithmetic happens on "wall dates": JS Dates whose UTC fields hold the wall clock, the same
 * convention as mssql with `useUTC`.
 */

export const DEMO_TIME_ZONE = 'Europe/Warsaw';

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall clock in `timeZone` at instant `at`, as a wall date (UTC fields = local fields). */
export function toWallDate(at: Date, timeZone: string = DEMO_TIME_ZONE): Date {
  let fmt = formatters.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, fmt);
  }
  const parts = Object.fromEntries(fmt.formatToParts(at).map((p) => [p.type, p.value]));
  return new Date(
    Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second), at.getUTCMilliseconds()),
  );
}

/** Rounds a wall date to SQL Server `datetime` ticks (1/300 s), as Optima's column stores it. */
export function roundToDatetimeTicks(wall: Date): Date {
  const ms = wall.getTime();
  const second = Math.floor(ms / 1000) * 1000;
  const ticks = Math.round(((ms - second) * 300) / 1000);
  return new Date(second + Math.round((ticks * 1000) / 300));
}

/** Wall date → `YYYY-MM-DD HH:mm:ss.SSS`. */
export function formatWallDate(wall: Date): string {
  return wall.toISOString().slice(0, 23).replace('T', ' ');
}

/** What Optima writes into a `*_TS_Mod` column at instant `at`. */
export function formatOptimaNow(at: Date = new Date(), timeZone: string = DEMO_TIME_ZONE): string {
  return formatWallDate(roundToDatetimeTicks(toWallDate(at, timeZone)));
}
