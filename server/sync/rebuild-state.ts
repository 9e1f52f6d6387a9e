import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { DesiredEvent, Link, SourceKey } from '../domain/types.ts';
import type { CalendarTarget } from '../targets/calendar-target.ts';
import type { StateStore } from '../state/state-store.ts';
import { describeError } from '../domain/describe-error.ts';
import { renderEvent } from '../render/render-event.ts';
import { collectChanges, readPeopleEmails } from './collect-changes.ts';
import { resolveMailbox, type MailboxRouting } from './route-mailbox.ts';
import { isDeadLocalHolder, type SyncDeps, type SyncSettings } from './run-sync.ts';
import { listCompanies, listCompanyCodes, selectRenderContext, streamName } from './companies.ts';
import { localToday } from '../render/record-filter.ts';
import { groupFoundEvents, matchesRendered, type EventGroup, type FoundEvent } from './find-duplicates.ts';

/**
 * `rebuild-state`: state.db lost, or copied from another machine → every link rebuilt from the
 * source-key stamps in the calendars, so the next run neither duplicates nor rewrites events.
 */

/** Finds a calendar by name without creating it; null = the mailbox has none. */
export type CalendarFinder = (mailbox: string, name: string) => Promise<string | null>;

/**
 * The target's "find, never create" lookup. Recovery must not create calendars: a missing
 * calendar simply holds no events, and a dry run must write nothing — not even an empty calendar
 * in every person's mailbox.
 */
export function findCalendarOf(target: CalendarTarget): CalendarFinder {
  return (mailbox, name) => target.findCalendar(mailbox, name);
}

export interface RecoveryOptions {
  readonly dryRun: boolean;
  /** How to find a calendar without creating it (default: `findCalendarOf(deps.target)`). */
  readonly findCalendar?: CalendarFinder | null;
}

/** What one mailbox looked like. `unchecked`: a dry run with no way to look without creating. */
export interface MailboxScan {
  readonly mailbox: string;
  readonly calendar: 'found' | 'missing' | 'unchecked' | 'error';
  readonly calendarId: string | null;
  readonly events: number;
  readonly error: string | null;
}

/** What the sync would send now: desired events by key (records that render). */
export interface CurrentView {
  readonly desired: ReadonlyMap<SourceKey, DesiredEvent>;
  /** Every mailbox the routing can produce, plus those of stored links. */
  readonly mailboxes: readonly string[];
}

export interface RebuildMailboxReport extends MailboxScan {
  /** Links pointing into this mailbox after the rebuild. */
  readonly linked: number;
  /** …of which match what the sync would send now (no write next run). */
  readonly matching: number;
  /** …that the next run updates or moves once (content or person differs). */
  readonly toUpdate: number;
  /** …whose record is gone from Optima or no longer renders (the next run deletes, through the guards). */
  readonly orphaned: number;
  /** Extra events of keys linked elsewhere (left for `dedupe`). */
  readonly duplicates: number;
}

export interface RebuildReport {
  readonly dryRun: boolean;
  readonly mailboxes: readonly RebuildMailboxReport[];
  /** Links written (new or changed). */
  readonly saved: number;
  /** Links already right (same event and change key): left as they were. */
  readonly unchanged: number;
  /** Stored links whose event is in no calendar: removed, so the next run creates the event. */
  readonly removed: number;
  /** Source keys with more than one event: one linked, the rest for `dedupe`. */
  readonly duplicates: readonly EventGroup[];
  /** Set when nothing could be done (lock held, source unreachable). */
  readonly error: string | null;
}

/** Every mailbox the routing can send to: default, the map's values, Optima e-mails, and `extra`. */
export function listRoutingMailboxes(routing: MailboxRouting, emails: ReadonlyMap<string, string>, extra: Iterable<string> = []): string[] {
  const all = [routing.defaultMailbox, ...Object.values(routing.map), ...(routing.useOptimaEmail ? emails.values() : []), ...extra];
  return [...new Set(all.filter((m): m is string => typeof m === 'string' && m.trim() !== '').map((m) => m.trim().toLowerCase()))].sort();
}

/**
 * Reads the whole source and renders it exactly as a full sync pass does (same collect, routing
 * and templates), so the render hashes equal those the next run computes.
 */
export async function renderCurrentView(deps: SyncDeps, settings: SyncSettings): Promise<CurrentView> {
  const desired = new Map<SourceKey, DesiredEvent>();
  const routed: string[] = [];
  const today = localToday(deps.now(), settings.render.timeZone);
  for (const company of listCompanies(deps)) {
    let emails: ReadonlyMap<string, string> = new Map();
    if (settings.routing.useOptimaEmail) {
      // Fresh: recovery routes by who is in Optima now, not by a cached list.
      company.people.people = null;
      emails = await readPeopleEmails(company.people, company.reader, company.code, deps.now().getTime());
      routed.push(...emails.values());
    }
    const render = selectRenderContext(settings, company.code);
    for (const kind of settings.kinds) {
      const collected = await collectChanges({ reader: company.reader, store: deps.store, people: company.people, ids: company.ids, now: deps.now }, {
        kind, company: company.code,
        full: true, overlapSeconds: settings.overlapSeconds, extraQueries: settings.extraQueries, needPeople: settings.routing.useOptimaEmail,
      });
      for (const item of collected.rows) {
        const mailbox = resolveMailbox(item.row.owner, settings.routing, emails, company.code);
        const result = renderEvent(item.row, mailbox, { ...render, extra: item.extra, today });
        if ('desired' in result) desired.set(item.row.key, result.desired);
      }
    }
  }
  const linkMailboxes = [...deps.store.loadLinks().values()].map((l) => l.mailbox);
  // Every company's Optima e-mails are routing targets (already filtered by useOptimaEmail above).
  return { desired, mailboxes: listRoutingMailboxes(settings.routing, new Map(), [...routed, ...linkMailboxes]) };
}

/**
 * Lists the stamped events of the sync calendar in each mailbox. A failing mailbox is reported
 * and the others go on; a missing calendar is never created (see `findCalendarOf`).
 */
export async function scanCalendars(
  target: CalendarTarget, mailboxes: readonly string[], calendarName: string, options: RecoveryOptions,
): Promise<{ scans: MailboxScan[]; events: FoundEvent[] }> {
  const finder = options.findCalendar === undefined ? findCalendarOf(target) : options.findCalendar;
  const scans: MailboxScan[] = [];
  const events: FoundEvent[] = [];
  for (const mailbox of mailboxes) {
    try {
      let calendarId: string | null;
      if (finder) calendarId = await finder(mailbox, calendarName);
      else if (options.dryRun) {
        scans.push({ mailbox, calendar: 'unchecked', calendarId: null, events: 0, error: null });
        continue;
      } else calendarId = await target.ensureCalendar(mailbox, calendarName); // the sync creates it on its first write anyway
      if (calendarId === null) {
        scans.push({ mailbox, calendar: 'missing', calendarId: null, events: 0, error: null });
        continue;
      }
      const found = await target.listStampedEvents(mailbox, calendarId);
      let count = 0;
      for (const e of found) {
        if (e.sourceKey === null) continue;
        events.push({ ...e, sourceKey: e.sourceKey, mailbox, calendarId });
        count += 1;
      }
      scans.push({ mailbox, calendar: 'found', calendarId, events: count, error: null });
    } catch (err) {
      scans.push({ mailbox, calendar: 'error', calendarId: null, events: 0, error: describeError(err) });
    }
  }
  return { scans, events };
}

/**
 * The link for a found event. The render hash is the one the next run computes when the event
 * shows what it would send (same mailbox, subject, start and end), so that run writes nothing;
 * otherwise it is empty and the next run sends one update (or a move, or a delete when the
 * record is gone). A link already pointing at this very version of the event is kept as is.
 */
export function linkFoundEvent(event: FoundEvent, desired: DesiredEvent | undefined, existing: Link | undefined, now: string): Link {
  if (existing && existing.remoteId === event.remoteId && existing.mailbox === event.mailbox
    && existing.changeKey !== null && existing.changeKey === event.changeKey) return existing;
  const matches = desired !== undefined && matchesRendered(event, desired);
  return {
    sourceKey: event.sourceKey, mailbox: event.mailbox, calendarId: event.calendarId, remoteId: event.remoteId,
    changeKey: event.changeKey, renderHash: matches ? desired.renderHash : '',
    sourceModifiedAt: desired?.sourceModifiedAt ?? existing?.sourceModifiedAt ?? '', updatedAt: now,
  };
}

/**
 * Takes the sync lock for a recovery command (not in a dry run), so it never races a running
 * sync. Returns a release function, or an operator sentence when someone else holds it.
 */
export function takeRecoveryLock(store: StateStore, staleAfterMs: number): { release: () => void } | { error: string } {
  const holder = `${hostname()}:${process.pid}:${randomUUID()}`;
  let held = store.acquireLock('sync', holder, staleAfterMs);
  if (held && isDeadLocalHolder(held.holder)) held = store.acquireLock('sync', holder, 0);
  if (held) return { error: `Synchronizacja właśnie trwa (${held.holder}, od ${held.since}) — poczekaj na jej koniec albo zatrzymaj usługę i spróbuj ponownie.` };
  return { release: () => store.releaseLock('sync', holder) };
}

/**
 * Makes the next run a full pass: a link rebuilt without a hash (or a dropped one) is repaired
 * only when its row is read again, and an incremental run reads changed rows only. The last full
 * pass is dated to the epoch, which every schedule treats as long overdue.
 */
export function requestFullPass(store: StateStore, kinds: SyncSettings['kinds'], companies: readonly string[] = []): void {
  for (const company of ['', ...companies]) {
    for (const kind of kinds) store.setLastFullPass(streamName(company, kind), new Date(0).toISOString());
  }
}

/** Rebuilds every link from the stamps in the calendars; `dryRun` only reports. */
export async function rebuildState(deps: SyncDeps, settings: SyncSettings, options: RecoveryOptions): Promise<RebuildReport> {
  const empty = (error: string): RebuildReport => ({ dryRun: options.dryRun, mailboxes: [], saved: 0, unchanged: 0, removed: 0, duplicates: [], error });
  const lock = options.dryRun ? { release: () => undefined } : takeRecoveryLock(deps.store, settings.lockStaleAfterMs);
  if ('error' in lock) return empty(lock.error);
  try {
    let view: CurrentView;
    try {
      view = await renderCurrentView(deps, settings);
    } catch (err) {
      return empty(`Nie udało się odczytać Optimy: ${describeError(err)}`);
    }
    const { scans, events } = await scanCalendars(deps.target, view.mailboxes, settings.calendarName, options);
    const links = deps.store.loadLinks();
    const groups = groupFoundEvents(events, links, view.desired);
    const now = deps.now().toISOString();

    const perMailbox = new Map(scans.map((s) => [s.mailbox, { linked: 0, matching: 0, toUpdate: 0, orphaned: 0, duplicates: 0 }]));
    const planned: Link[] = [];
    let unchanged = 0;
    for (const group of groups) {
      const desired = view.desired.get(group.sourceKey);
      const existing = links.get(group.sourceKey);
      const link = linkFoundEvent(group.keep, desired, existing, now);
      if (link === existing) unchanged += 1;
      else planned.push(link);
      const counts = perMailbox.get(link.mailbox);
      if (counts) {
        counts.linked += 1;
        if (!desired) counts.orphaned += 1;
        else if (link.renderHash === desired.renderHash && link.mailbox === desired.mailbox) counts.matching += 1;
        else counts.toUpdate += 1;
      }
      for (const e of group.extra) {
        const c = perMailbox.get(e.mailbox);
        if (c) c.duplicates += 1;
      }
    }
    // A stored link whose event is in no calendar we could read points at nothing: drop it so
    // the next run creates the event. Links into mailboxes we could not read are kept.
    const readable = new Set(scans.filter((s) => s.calendar === 'found' || s.calendar === 'missing').map((s) => s.mailbox));
    const foundKeys = new Set(groups.map((g) => g.sourceKey));
    const stale = [...links.values()].filter((l) => !foundKeys.has(l.sourceKey) && readable.has(l.mailbox)).map((l) => l.sourceKey);

    if (!options.dryRun) {
      for (const key of stale) deps.store.deleteLink(key);
      for (const link of planned) {
        // A remote id is one event with one stamp: another key's link to it is stale.
        const holder = deps.store.findLinkByRemoteId(link.remoteId);
        if (holder && holder.sourceKey !== link.sourceKey) deps.store.deleteLink(holder.sourceKey);
        deps.store.saveLink(link);
        deps.store.clearPending(link.sourceKey);
      }
      if (planned.length > 0 || stale.length > 0) requestFullPass(deps.store, settings.kinds, listCompanyCodes(deps));
      deps.logger.log({ level: 'info', message: `Odbudowano powiązania: zapisano ${planned.length}, bez zmian ${unchanged}, usunięto nieaktualnych ${stale.length}, duplikatów ${groups.filter((g) => g.extra.length > 0).length}` });
    }
    return {
      dryRun: options.dryRun,
      mailboxes: scans.map((s) => ({ ...s, ...(perMailbox.get(s.mailbox) ?? { linked: 0, matching: 0, toUpdate: 0, orphaned: 0, duplicates: 0 }) })),
      saved: planned.length, unchanged, removed: stale.length,
      duplicates: groups.filter((g) => g.extra.length > 0), error: null,
    };
  } finally {
    lock.release();
  }
}
