/**
 * Time zones as Graph's `dateTimeTimeZone` understands them: Windows names (mapped to IANA the
 * way CLDR's windowsZones does) and IANA names, converted with Intl so DST is right.
 *
 * Decisions (the real Exchange rules are not documented; say so in reports):
 * - A local time in a spring-forward gap (02:30 on 2026-03-29 in Warsaw) is shifted forward by the
 *   gap, i.e. read with the offset in force before the change: 02:30 → 01:30Z = 03:30 CEST.
 * - A local time that occurs twice (fall back) is read as standard time (the later instant),
 *   as .NET's TimeZoneInfo does.
 * - Any IANA `Area/City` (or `Etc/…`, `UTC`) zone Intl knows is accepted; Graph's published list
 *   is narrower (very new names such as `Europe/Kyiv` may be refused by the real service).
 */

/** Windows zone id → IANA zone (CLDR windowsZones, territory 001). */
const WINDOWS_ZONES: Readonly<Record<string, string>> = {
  'UTC': 'UTC',
  'Coordinated Universal Time': 'UTC',
  'GMT Standard Time': 'Europe/London',
  'Greenwich Standard Time': 'Atlantic/Reykjavik',
  'W. Europe Standard Time': 'Europe/Berlin',
  'Central Europe Standard Time': 'Europe/Budapest',
  'Central European Standard Time': 'Europe/Warsaw',
  'Romance Standard Time': 'Europe/Paris',
  'E. Europe Standard Time': 'Europe/Chisinau',
  'FLE Standard Time': 'Europe/Kiev',
  'GTB Standard Time': 'Europe/Bucharest',
  'Russian Standard Time': 'Europe/Moscow',
  'Belarus Standard Time': 'Europe/Minsk',
  'Turkey Standard Time': 'Europe/Istanbul',
  'Kaliningrad Standard Time': 'Europe/Kaliningrad',
  'W. Central Africa Standard Time': 'Africa/Lagos',
  'South Africa Standard Time': 'Africa/Johannesburg',
  'Egypt Standard Time': 'Africa/Cairo',
  'Israel Standard Time': 'Asia/Jerusalem',
  'Arabian Standard Time': 'Asia/Dubai',
  'India Standard Time': 'Asia/Kolkata',
  'China Standard Time': 'Asia/Shanghai',
  'Singapore Standard Time': 'Asia/Singapore',
  'Tokyo Standard Time': 'Asia/Tokyo',
  'Korea Standard Time': 'Asia/Seoul',
  'AUS Eastern Standard Time': 'Australia/Sydney',
  'New Zealand Standard Time': 'Pacific/Auckland',
  'Eastern Standard Time': 'America/New_York',
  'Central Standard Time': 'America/Chicago',
  'Mountain Standard Time': 'America/Denver',
  'US Mountain Standard Time': 'America/Phoenix',
  'Pacific Standard Time': 'America/Los_Angeles',
  'Alaskan Standard Time': 'America/Anchorage',
  'Hawaiian Standard Time': 'Pacific/Honolulu',
  'Atlantic Standard Time': 'America/Halifax',
  'E. South America Standard Time': 'America/Sao_Paulo',
  'Argentina Standard Time': 'America/Buenos_Aires',
  'Canada Central Standard Time': 'America/Regina',
  'Mexico Standard Time': 'America/Mexico_City',
};

const IANA_SHAPE = /^(UTC|GMT|Etc\/[A-Za-z0-9+\-]+|[A-Z][A-Za-z]+(\/[A-Za-z0-9_+\-]+)+)$/;

export interface ResolvedZone {
  /** The name as the client sent it (echoed in originalStartTimeZone and output). */
  readonly name: string;
  readonly iana: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Resolves a Windows or IANA zone name; null when Graph would answer TimeZoneNotSupportedException. */
export function resolveTimeZone(name: string): ResolvedZone | null {
  const windows = WINDOWS_ZONES[name];
  if (windows) return { name, iana: windows };
  if (!IANA_SHAPE.test(name)) return null;
  return formatterFor(name) ? { name, iana: name } : null;
}

function formatterFor(iana: string): Intl.DateTimeFormat | null {
  const cached = formatters.get(iana);
  if (cached) return cached;
  try {
    const formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: iana,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(iana, formatter);
    return formatter;
  } catch {
    return null;
  }
}

/** Offset of `iana` at instant `utcMs`: local wall clock minus UTC, in ms. */
export function zoneOffsetMs(utcMs: number, iana: string): number {
  const formatter = formatterFor(iana);
  if (!formatter) throw new Error(`Unknown time zone ${iana}`);
  const whole = Math.floor(utcMs / 1000) * 1000;
  const parts: Record<string, number> = {};
  for (const part of formatter.formatToParts(whole)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return asUtc - whole;
}

const DAY_MS = 86_400_000;

/**
 * The UTC instant of a local wall-clock time (given as ms "as if UTC") in `iana`.
 * Gap → shifted forward; overlap → standard time (see the file comment).
 */
export function localToUtcMs(localAsUtcMs: number, iana: string): number {
  const offsetBefore = zoneOffsetMs(localAsUtcMs - DAY_MS, iana);
  const offsetAfter = zoneOffsetMs(localAsUtcMs + DAY_MS, iana);
  const candidates = [localAsUtcMs - offsetBefore, localAsUtcMs - offsetAfter].filter(
    (utc) => zoneOffsetMs(utc, iana) === localAsUtcMs - utc,
  );
  if (candidates.length === 0) return localAsUtcMs - offsetBefore;
  // Standard time has the smaller offset, hence the later instant.
  return Math.max(...candidates);
}

/** Local wall clock of `utcMs` in `iana`, as ms "as if UTC". */
export function utcToLocalMs(utcMs: number, iana: string): number {
  return utcMs + zoneOffsetMs(utcMs, iana);
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?(Z|[+-]\d{2}:\d{2})?$/;

export interface ParsedDateTime {
  /** Wall clock as ms "as if UTC". */
  readonly localAsUtcMs: number;
  /** Offset written in the value (`Z`, `+02:00`) in ms, or null when there was none. */
  readonly explicitOffsetMs: number | null;
}

/** Parses Graph's `dateTime` (`2025-03-10T08:00:00`, optional fraction up to 7 digits, optional offset). */
export function parseGraphDateTime(text: string): ParsedDateTime | null {
  const m = DATE_TIME.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number);
  const second = m[6] ? Number(m[6]) : 0;
  const millis = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  if (new Date(ms).getUTCDate() !== day) return null;
  let explicitOffsetMs: number | null = null;
  if (m[8] === 'Z') explicitOffsetMs = 0;
  else if (m[8]) {
    const sign = m[8].startsWith('-') ? -1 : 1;
    explicitOffsetMs = sign * (Number(m[8].slice(1, 3)) * 60 + Number(m[8].slice(4, 6))) * 60_000;
  }
  return { localAsUtcMs: ms, explicitOffsetMs };
}

/** `2025-03-10T07:00:00.0000000` (Graph's 7 fractional digits, no zone suffix). */
export function formatGraphDateTime(asUtcMs: number): string {
  return `${new Date(asUtcMs).toISOString().slice(0, 23)}0000`;
}

/** `2025-03-10T07:00:00.0000000Z`, Graph's createdDateTime/lastModifiedDateTime form. */
export function formatGraphTimestamp(utcMs: number): string {
  return `${formatGraphDateTime(utcMs)}Z`;
}
