import type { DesiredEvent, Link, SourceKey } from '../domain/types.ts';
import type { RemoteEvent } from '../targets/calendar-target.ts';
import { zonedToUtc } from '../render/time-zone.ts';

/**
 * Pure half of the recovery commands (`rebuild-state`, `dedupe`): stamped events found in the
 * calendars, grouped by source key, with the one event per key the sync should own.
 */

/** A stamped event as found in one mailbox's sync calendar. */
export interface FoundEvent extends RemoteEvent {
  readonly sourceKey: SourceKey;
  readonly mailbox: string;
  readonly calendarId: string;
}

/** Every event found for one source key, the one kept first. */
export interface EventGroup {
  readonly sourceKey: SourceKey;
  readonly keep: FoundEvent;
  /** Other events stamped with the same key: duplicates (`dedupe` deletes them). */
  readonly extra: readonly FoundEvent[];
  /** Why `keep` was chosen (an operator sentence). */
  readonly reason: string;
}

/**
 * Groups found events by source key and picks the one to keep per key, in order: the event the
 * stored link points to (the sync already owns it); one in the mailbox the record routes to now
 * whose subject and times match what the sync would send; one in that mailbox; one whose content
 * matches; else the first by mailbox and id (deterministic, so a dry run and the real run agree).
 * Graph's `lastModifiedDateTime` is not part of `RemoteEvent`, so "newest" is not a criterion.
 */
export function groupFoundEvents(
  events: readonly FoundEvent[],
  links: ReadonlyMap<SourceKey, Link>,
  desired: ReadonlyMap<SourceKey, DesiredEvent>,
): EventGroup[] {
  const byKey = new Map<SourceKey, FoundEvent[]>();
  for (const e of events) {
    const list = byKey.get(e.sourceKey);
    if (list) list.push(e);
    else byKey.set(e.sourceKey, [e]);
  }
  const groups: EventGroup[] = [];
  for (const [sourceKey, list] of byKey) {
    const { keep, reason } = chooseKeeper(list, links.get(sourceKey), desired.get(sourceKey));
    groups.push({ sourceKey, keep, extra: list.filter((e) => e !== keep), reason });
  }
  return groups;
}

/** The event to keep among those stamped with one key (see `groupFoundEvents`). */
export function chooseKeeper(candidates: readonly FoundEvent[], link: Link | undefined, desired: DesiredEvent | undefined): { keep: FoundEvent; reason: string } {
  if (candidates.length === 0) throw new Error('chooseKeeper needs at least one event');
  const ordered = [...candidates].sort((a, b) => (a.mailbox === b.mailbox ? compareText(a.remoteId, b.remoteId) : compareText(a.mailbox, b.mailbox)));
  const linked = link ? ordered.find((e) => e.remoteId === link.remoteId) : undefined;
  if (linked) return { keep: linked, reason: 'powiązane w bazie stanu' };
  if (desired) {
    const inMailbox = ordered.filter((e) => e.mailbox === desired.mailbox);
    const matching = inMailbox.find((e) => matchesRendered(e, desired));
    if (matching) return { keep: matching, reason: 'właściwa skrzynka i treść zgodna z Optimą' };
    if (inMailbox.length > 0) return { keep: inMailbox[0], reason: 'właściwa skrzynka' };
    const anyMatching = ordered.find((e) => matchesRendered(e, desired));
    if (anyMatching) return { keep: anyMatching, reason: 'treść zgodna z Optimą' };
  }
  return { keep: ordered[0], reason: 'pierwsze znalezione' };
}

/**
 * True when the event shows what the sync would send now: same mailbox, subject and start/end
 * instants. The body, location and categories are not read back from the calendar, so an edit
 * of only those in Outlook is not seen here (the next change in Optima rewrites them anyway).
 */
export function matchesRendered(event: FoundEvent, desired: DesiredEvent): boolean {
  if (event.mailbox !== desired.mailbox || event.subject !== desired.event.subject) return false;
  try {
    return event.startUtc === toUtcIso(desired.event.start, desired.event.timeZone)
      && event.endUtc === toUtcIso(desired.event.end, desired.event.timeZone);
  } catch {
    return false;
  }
}

function toUtcIso(local: string, timeZone: string): string {
  return zonedToUtc(local, timeZone).utc.toISOString();
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
