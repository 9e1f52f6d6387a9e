import type { Link, SourceKey } from '../domain/types.ts';
import type { Logger } from '../domain/logger.ts';
import type { CalendarTarget } from '../targets/calendar-target.ts';
import { describeError } from '../domain/describe-error.ts';

/**
 * Drift: an event the sync owns was edited or deleted in the calendar by a person, behind the
 * sync's back. Found by change key: every link stores the change key Graph returned for our last
 * write, so a different current change key means someone else wrote the event since, and a
 * missing event means someone deleted (or moved) it. Our own writes never count as drift.
 */

export type DriftKind = 'edited' | 'deleted';

export interface Drift {
  readonly sourceKey: SourceKey;
  readonly mailbox: string;
  readonly kind: DriftKind;
}

/** A calendar whose change keys could not be listed: its links carry no drift information this run. */
export interface UncheckedCalendar {
  readonly mailbox: string;
  readonly calendarId: string;
  readonly message: string;
}

export interface DriftCheck {
  /**
   * For `planSync`: linked source key → the event's current change key, or null when the event
   * is gone from the calendar. Keys of calendars that could not be listed are absent (= unknown).
   */
  readonly remoteChangeKeys: ReadonlyMap<SourceKey, string | null>;
  /** The links that drifted, by source key. */
  readonly drifted: ReadonlyMap<SourceKey, Drift>;
  readonly unchecked: readonly UncheckedCalendar[];
  /** Calendars listed (one paged request per 1000 events each). */
  readonly calendarsChecked: number;
}

type Listing = ReadonlyMap<string, string | null>;

/**
 * Change-key listings made during one run, by calendar: several record kinds in one calendar
 * share one listing. Nothing is written between planning and listing, so a listing holds for
 * the whole plan phase; make a new one per run.
 */
export type ChangeKeyListings = Map<string, Promise<Listing>>;

export function createChangeKeyListings(): ChangeKeyListings {
  return new Map();
}

export interface DetectDriftOptions {
  readonly runId: string;
  /** Listings of this run (shared between record kinds); a fresh one when absent. */
  readonly listings?: ChangeKeyListings;
  /** Calendars listed at once (each mailbox also has Outlook's own limit in the target). Default 8. */
  readonly concurrency?: number;
}

/**
 * Lists the change keys of every calendar that holds one of `links` and compares them with the
 * stored ones. A calendar whose listing fails is logged and left unchecked — its events are not
 * taken for deleted.
 */
export async function detectDrift(
  links: Iterable<Link>,
  deps: { readonly target: CalendarTarget; readonly logger: Logger },
  options: DetectDriftOptions,
): Promise<DriftCheck> {
  const listings = options.listings ?? createChangeKeyListings();
  const byCalendar = new Map<string, { mailbox: string; calendarId: string; links: Link[] }>();
  for (const link of links) {
    const key = calendarKeyOf(link.mailbox, link.calendarId);
    const group = byCalendar.get(key);
    if (group) group.links.push(link);
    else byCalendar.set(key, { mailbox: link.mailbox, calendarId: link.calendarId, links: [link] });
  }

  const remoteChangeKeys = new Map<SourceKey, string | null>();
  const drifted = new Map<SourceKey, Drift>();
  const unchecked: UncheckedCalendar[] = [];
  await forEachLimited([...byCalendar.entries()], options.concurrency ?? 8, async ([key, group]) => {
    let listing: Listing;
    try {
      let pending = listings.get(key);
      if (!pending) {
        pending = deps.target.listChangeKeys(group.mailbox, group.calendarId);
        listings.set(key, pending);
      }
      listing = await pending;
    } catch (err) {
      const message = describeError(err);
      unchecked.push({ mailbox: group.mailbox, calendarId: group.calendarId, message });
      deps.logger.log({
        level: 'warn', runId: options.runId, mailbox: group.mailbox, action: 'drift-check', requestId: requestIdOf(err),
        message: `Nie sprawdzono, czy ktoś zmienił wydarzenia w kalendarzu ${group.mailbox} (${group.links.length} wydarzeń) — spróbuję w następnym sprawdzeniu. ${message}`,
      });
      return;
    }
    for (const link of group.links) {
      const current = compareWithListing(link, listing);
      if (current === undefined) continue;
      remoteChangeKeys.set(link.sourceKey, current.changeKey);
      if (current.drift) drifted.set(link.sourceKey, { sourceKey: link.sourceKey, mailbox: link.mailbox, kind: current.drift });
    }
  });
  return { remoteChangeKeys, drifted, unchecked, calendarsChecked: byCalendar.size - unchecked.length };
}

/**
 * One link against its calendar's listing: the current change key (null = the event is gone) and
 * the drift it shows, if any. undefined = nothing known (the event is there, its change key was
 * not sent). A link whose stored change key is unknown can only show a deletion.
 */
export function compareWithListing(link: Link, listing: Listing): { changeKey: string | null; drift: DriftKind | null } | undefined {
  if (!listing.has(link.remoteId)) return { changeKey: null, drift: 'deleted' };
  const changeKey = listing.get(link.remoteId) ?? null;
  if (changeKey === null) return undefined;
  const edited = link.changeKey !== null && link.changeKey !== changeKey;
  return { changeKey, drift: edited ? 'edited' : null };
}

/** Mailbox addresses compare without case, as Exchange does; calendar ids are exact. */
function calendarKeyOf(mailbox: string, calendarId: string): string {
  return `${mailbox.toLowerCase()}\n${calendarId}`;
}

async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
}

function requestIdOf(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'requestId' in err && typeof err.requestId === 'string' ? err.requestId : undefined;
}
