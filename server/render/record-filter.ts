import type { LocalDateTime, SourceRow } from '../domain/types.ts';
import type { RecordFilter } from '../config/schema.ts';
import { personKey } from '../sync/route-mailbox.ts';
import { matchesState, matchesText } from './look-rules.ts';
import { utcToZoned } from './time-zone.ts';

/**
 * Config `filters`: whether a record belongs in calendars at all. A record left out is removed
 * from the calendar when it was there (the plan deletes a linked record that is filtered). Pure.
 */

/** A filter and where in the configuration it was written (named in messages). */
export interface PlacedFilter {
  readonly filter: RecordFilter;
  /** e.g. `filters.crm:zadanie`, `filters.default`, `source.companies[1].filters.default`. */
  readonly path: string;
}

/** The calendar day the date window is counted from, in the configured zone (`YYYY-MM-DD`). */
export type LocalDate = string;

/**
 * Null when the record passes; else the operator sentence why not. `start`/`end` are the event's
 * local wall-clock times; `today` null skips the date window (no clock, e.g. a template preview).
 */
export function filterRecord(row: SourceRow, found: PlacedFilter | undefined, times: { readonly start: LocalDateTime; readonly end: LocalDateTime }, today: LocalDate | null): string | null {
  if (!found) return null;
  const { filter, path } = found;
  if (filter.states !== null && !matchesState(row, filter.states)) {
    return `stan „${String(row.fields.stan ?? '')}” nie jest na liście ${path}.states (${filter.states.join(', ')})`;
  }
  if (filter.stages !== null && !matchesText(row.fields.etap, filter.stages)) {
    return `etap „${String(row.fields.etap ?? '')}” nie jest na liście ${path}.stages (${filter.stages.join(', ')})`;
  }
  if (filter.people !== null && (row.owner === null || !filter.people.includes(personKey(row.owner)))) {
    return `${row.owner === null ? 'nie ma osoby odpowiedzialnej' : `osoba ${personKey(row.owner)}`} — spoza listy ${path}.people`;
  }
  if (filter.numberPrefixes !== null) {
    const numer = String(row.fields.numer ?? '').trim().toLocaleLowerCase('pl');
    if (!filter.numberPrefixes.some((p) => numer.startsWith(p.trim().toLocaleLowerCase('pl')))) {
      return `numer „${String(row.fields.numer ?? '')}” nie zaczyna się od żadnego z ${path}.numberPrefixes (${filter.numberPrefixes.join(', ')})`;
    }
  }
  if (today !== null && filter.daysBack !== null) {
    const from = addDays(today, -filter.daysBack);
    if (times.end.slice(0, 10) < from) return `termin ${times.end.slice(0, 10)} jest starszy niż ${filter.daysBack} dni (${path}.daysBack)`;
  }
  if (today !== null && filter.daysAhead !== null) {
    const to = addDays(today, filter.daysAhead);
    if (times.start.slice(0, 10) > to) return `termin ${times.start.slice(0, 10)} wypada później niż za ${filter.daysAhead} dni (${path}.daysAhead)`;
  }
  return null;
}

/** Whether any of these filters has a date window (which moves with the calendar day). */
export function hasDateWindow(filters: Readonly<Partial<Record<string, PlacedFilter>>> | undefined): boolean {
  return Object.values(filters ?? {}).some((f) => f !== undefined && (f.filter.daysBack !== null || f.filter.daysAhead !== null));
}

/** Today in `timeZone` (`YYYY-MM-DD`), the day the date window is counted from. */
export function localToday(now: Date, timeZone: string): LocalDate {
  return utcToZoned(now, timeZone).slice(0, 10);
}

/** `YYYY-MM-DD` plus whole days (calendar arithmetic, no zone involved). */
export function addDays(day: LocalDate, days: number): LocalDate {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
