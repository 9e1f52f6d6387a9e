import { utcToZoned, zonedToUtc } from '../render/time-zone.ts';

/** When the periodic full pass runs (config `sync.fullPass`): daily at a local hour, or every N hours. */
export type FullPassSchedule =
  | { readonly dailyAt: string; readonly timeZone: string }
  | { readonly everyHours: number };

/**
 * True when a full pass is due: never done yet, or the last one is older than the most recent
 * scheduled moment. Incremental reads are an optimisation; this pass heals whatever they missed.
 */
export function isFullPassDue(schedule: FullPassSchedule, last: string | null, now: Date): boolean {
  if (last === null) return true;
  const lastMs = Date.parse(last);
  if (Number.isNaN(lastMs)) return true;
  if ('everyHours' in schedule) return now.getTime() - lastMs >= schedule.everyHours * 3_600_000;
  return lastMs < latestScheduledMoment(schedule.dailyAt, schedule.timeZone, now).getTime();
}

/** The latest moment ≤ now at which the local clock in `timeZone` showed `dailyAt` (HH:mm). */
export function latestScheduledMoment(dailyAt: string, timeZone: string, now: Date): Date {
  const today = utcToZoned(now, timeZone).slice(0, 10);
  const todayAt = zonedToUtc(`${today}T${dailyAt}:00`, timeZone).utc;
  if (todayAt.getTime() <= now.getTime()) return todayAt;
  const yesterday = new Date(Date.parse(`${today}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  return zonedToUtc(`${yesterday}T${dailyAt}:00`, timeZone).utc;
}
