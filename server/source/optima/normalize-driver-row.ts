import { normalizeOptimaTimestamp } from './optima-date.ts';

/**
 * Makes a row look the same whichever driver read it: mssql returns `datetime` as a JS Date
 * (wall clock in UTC fields, `useUTC`), SQLite returns the stored text. Dates become Optima
 * wall-clock text `YYYY-MM-DD HH:mm:ss.SSS`; every other value is kept as is.
 */
export function normalizeDriverRow(row: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(row)) {
    out[name] = value instanceof Date ? normalizeOptimaTimestamp(value) : value;
  }
  return out;
}
