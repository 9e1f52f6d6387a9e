import type { LocalDateTime } from '../domain/types.ts';
import { formatLocalDateTime, parseLocalDateTime, toWallMillis } from './local-date-time.ts';
import type { LocalParts } from './local-date-time.ts';

/**
 * Wall clock ↔ UTC in an IANA zone with `Intl` only (no tz library). Optima stores local wall
 * time; twice a year that time is either missing (spring-forward gap) or happens twice
 * (fall-back overlap), and both cases get an explicit, documented answer here.
 */

export type ZoneAdjustment = 'none' | 'gap' | 'ambiguous';

export interface ZonedInstant {
  readonly utc: Date;
  /** 'gap': the wall time does not exist and was shifted forward by the gap; 'ambiguous': it happens twice, the first was taken. */
  readonly adjusted: ZoneAdjustment;
}

const HOUR_MS = 3_600_000;
// Transitions are looked for within a day either side; real zones never change twice in 48 hours.
const PROBE_MS = 24 * HOUR_MS;

const formatters = new Map<string, Intl.DateTimeFormat>();

function getFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function readZonedParts(utcMs: number, timeZone: string): LocalParts {
  const values: Record<string, number> = {};
  for (const part of getFormatter(timeZone).formatToParts(new Date(utcMs))) {
    if (part.type !== 'literal') values[part.type] = Number(part.value);
  }
  return {
    year: values.year,
    month: values.month,
    day: values.day,
    hour: values.hour === 24 ? 0 : values.hour,
    minute: values.minute,
    second: values.second,
  };
}

/** Offset of `timeZone` from UTC at the instant `utcMs`, in milliseconds (east positive). */
function getOffsetMs(utcMs: number, timeZone: string): number {
  const whole = Math.floor(utcMs / 1000) * 1000;
  return toWallMillis(readZonedParts(whole, timeZone)) - whole;
}

/** True when `timeZone` is an IANA zone name `Intl` knows (offsets like `+01:00` are refused: calendars need a zone name). */
export function isValidTimeZone(timeZone: string): boolean {
  if (typeof timeZone !== 'string' || timeZone.trim() === '' || /^[+-]/.test(timeZone)) return false;
  try {
    getFormatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * The UTC instant of a wall-clock time in `timeZone`. A time inside a spring-forward gap is moved
 * forward by the gap (02:30 on 2026-03-29 in Europe/Warsaw → 03:30 CEST = 01:30Z, 'gap'); a time
 * in a fall-back overlap takes the first, earlier instant (summer time, 'ambiguous').
 * Throws RangeError for a value that is not a possible wall time (check with parseLocalDateTime first).
 */
export function zonedToUtc(local: LocalDateTime, timeZone: string): ZonedInstant {
  const parsed = parseLocalDateTime(local);
  if (!parsed.ok) throw new RangeError(`Not a possible local time (${parsed.problem}): ${local}`);
  const wall = toWallMillis(parsed.parts);
  const before = getOffsetMs(wall - PROBE_MS, timeZone);
  const after = getOffsetMs(wall + PROBE_MS, timeZone);
  const offsets = before === after ? [before] : [before, after];
  const valid = offsets.map((o) => wall - o).filter((utc) => getOffsetMs(utc, timeZone) === wall - utc);
  if (valid.length === 0) {
    // Gap: read the wall time with the offset in force before the change, which lands it
    // exactly "gap length" later on the clock after the change.
    return { utc: new Date(wall - before), adjusted: 'gap' };
  }
  if (valid.length === 1) return { utc: new Date(valid[0]), adjusted: 'none' };
  return { utc: new Date(Math.min(...valid)), adjusted: 'ambiguous' };
}

/** The wall-clock time in `timeZone` at a UTC instant (seconds precision). */
export function utcToZoned(date: Date, timeZone: string): LocalDateTime {
  return formatLocalDateTime(readZonedParts(date.getTime(), timeZone));
}

/**
 * Adds real elapsed minutes to a wall-clock time: 60 minutes after 02:30 CEST on the fall-back
 * night is 02:30 CET, and 60 minutes after 01:30 on the spring-forward night is 03:30.
 */
export function addMinutesLocal(local: LocalDateTime, minutes: number, timeZone: string): LocalDateTime {
  const start = zonedToUtc(local, timeZone).utc.getTime();
  return utcToZoned(new Date(start + minutes * 60_000), timeZone);
}

