import { randomUUID } from 'node:crypto';
import type { CalendarEvent, SourceKey } from '../../domain/types.ts';
import { isValidTimeZone, zonedToUtc } from '../../render/time-zone.ts';
import type { CalendarTarget, RemoteEvent, TargetError } from '../calendar-target.ts';
import { OUTCOME_UNKNOWN } from '../describe-target-error.ts';
import { describeGraphError } from '../graph/describe-graph-error.ts';
import { toGraphExtendedProperties } from '../graph/graph-event-fields.ts';
import { planMasterCategories, readCategoryColors, selectUnsettled } from '../plan-master-categories.ts';
import type { MasterCategory } from '../plan-master-categories.ts';

export interface MemoryTargetOptions {
  /**
   * The next N creates store the event and then fail as if the response was lost (a transient
   * `OutcomeUnknown` error): the sync must find the event by its stamp, not create a second one.
   */
  readonly failCreatesAfterStore?: number;
  /** Mailboxes outside the application's access scope: every call answers 403 like Graph. */
  readonly deniedMailboxes?: readonly string[];
  /** Mailboxes that do not exist: every call answers 404 `ErrorInvalidUser` like Graph. */
  readonly unknownMailboxes?: readonly string[];
  /**
   * Category name → colour, as for the Graph target: before the first write of an event carrying
   * such a category, the mailbox's master category list gets it (one "GET" per pass plus one
   * "POST"/"PATCH" per change, counted like Graph requests; once per mailbox and category).
   */
  readonly categoryColors?: ReadonlyMap<string, string>;
}

/** One stored event, as the in-memory calendar keeps it (for assertions in tests). */
export interface MemoryEvent extends RemoteEvent {
  readonly mailbox: string;
  readonly calendarId: string;
  readonly transactionId: string | null;
  /** What was last written (by the sync or by `editEvent`). */
  readonly event: CalendarEvent;
  /**
   * Single-value extended properties as the Graph adapter writes them (id → value): the stamp and
   * the add-in's custom properties, set on create and kept by updates, like a Graph PATCH that
   * does not name them.
   */
  readonly extendedProperties: Readonly<Record<string, string>>;
}

export interface MemoryCalendar {
  readonly id: string;
  readonly name: string;
}

/** The in-memory target plus the handles a test needs to look inside and to play a person in Outlook. */
export interface MemoryTarget extends CalendarTarget {
  events(mailbox: string): readonly MemoryEvent[];
  calendars(mailbox: string): readonly MemoryCalendar[];
  /** A person deletes the event in Outlook. */
  removeEvent(mailbox: string, remoteId: string): void;
  /** A person edits the event in Outlook: the change key moves. */
  editEvent(mailbox: string, remoteId: string, changes: Partial<CalendarEvent>): MemoryEvent;
  /** The next `count` calls (any method) throw `error` without doing anything. */
  failNext(count: number, error: TargetError): void;
  /** The mailbox's master category list: display name → colour (`preset0`…), in the order added. */
  masterCategories(mailbox: string): ReadonlyMap<string, string>;
  /** A person adds or recolours a category in Outlook (id kept when the name exists, any case). */
  setMasterCategory(mailbox: string, displayName: string, color: string): void;
}

/** Events per page, as the Graph adapter lists them: `stats.requests` counts pages the same way. */
const PAGE_SIZE = 200;
/** Events per page of a change-key listing (Graph adapter: `$select=id,changeKey`, `$top=1000`). */
const CHANGE_KEY_PAGE_SIZE = 1000;

/**
 * An honest in-memory calendar for fast tests of the sync core: immutable ids, a new change key on
 * every write, source-key stamps, transactionId replay (returns the event already created, as the
 * Graph emulator does), UTC times computed from the event's zone, and the same request counting
 * as the Graph adapter. Knowingly simpler than Graph: IANA zone names only (no Windows names);
 * a mailbox's master category list starts empty (Outlook starts with six default categories).
 */
export function createMemoryTarget(options: MemoryTargetOptions = {}): MemoryTarget {
  const stats = { requests: 0 };
  const mailboxes = new Map<string, { calendars: MemoryCalendar[]; events: Map<string, MemoryEvent>; masterCategories: MasterCategory[]; settledCategories: Map<string, string> }>();
  const wantedCategories = readCategoryColors(options.categoryColors);
  const calendarCache = new Map<string, string>();
  const denied = new Set((options.deniedMailboxes ?? []).map((m) => m.toLowerCase()));
  const unknown = new Set((options.unknownMailboxes ?? []).map((m) => m.toLowerCase()));
  let failCreatesAfterStore = options.failCreatesAfterStore ?? 0;
  let failures: { count: number; error: TargetError } | null = null;
  let changeCounter = 0;

  function box(mailbox: string) {
    const key = mailbox.toLowerCase();
    let b = mailboxes.get(key);
    if (!b) {
      b = { calendars: [], events: new Map(), masterCategories: [], settledCategories: new Map() };
      mailboxes.set(key, b);
    }
    return b;
  }

  /** One request to the "server": injected failures and mailbox checks happen here, like on Graph. */
  function request(mailbox: string): void {
    stats.requests += 1;
    if (failures && failures.count > 0) {
      failures.count -= 1;
      const error = failures.error;
      if (failures.count === 0) failures = null;
      throw error;
    }
    const key = mailbox.toLowerCase();
    if (unknown.has(key)) throw graphError(mailbox, 404, 'ErrorInvalidUser', `The requested user '${mailbox}' is invalid.`);
    if (denied.has(key)) throw graphError(mailbox, 403, 'ErrorAccessDenied', 'Access to OData is disabled.');
  }

  function requireCalendar(mailbox: string, calendarId: string): void {
    if (!box(mailbox).calendars.some((c) => c.id === calendarId)) {
      throw graphError(mailbox, 404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    }
  }

  function requireEvent(mailbox: string, remoteId: string): MemoryEvent {
    const found = box(mailbox).events.get(remoteId);
    if (!found) throw graphError(mailbox, 404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    return found;
  }

  function toStored(
    base: { mailbox: string; calendarId: string; remoteId: string; sourceKey: SourceKey | null; transactionId: string | null; extendedProperties: Readonly<Record<string, string>> },
    event: CalendarEvent,
  ): MemoryEvent {
    const { startUtc, endUtc } = toUtcTimes(base.mailbox, event);
    changeCounter += 1;
    return { ...base, extendedProperties: { ...base.extendedProperties }, changeKey: `ck-${changeCounter}-${randomUUID().slice(0, 8)}`, subject: event.subject, startUtc, endUtc, event: copyEvent(event) };
  }

  /**
   * The Graph target's master-category pass (master-category-keeper.ts), same requests counted.
   * A failure (an injected one, a denied mailbox) is swallowed as there: the write goes on.
   */
  function ensureCategories(mailbox: string, categories: readonly string[]): void {
    if (wantedCategories.size === 0) return;
    const b = box(mailbox);
    const missing = selectUnsettled(wantedCategories, b.settledCategories, categories);
    if (missing.length === 0) return;
    for (const c of missing) b.settledCategories.set(c.displayName.toLowerCase(), c.color);
    try {
      request(mailbox);
      const plan = planMasterCategories(b.masterCategories, missing);
      for (const c of plan.create) {
        request(mailbox);
        b.masterCategories.push({ id: randomUUID(), displayName: c.displayName, color: c.color });
      }
      for (const c of plan.recolor) {
        request(mailbox);
        b.masterCategories = b.masterCategories.map((m) => (m.id === c.id ? c : m));
      }
    } catch {
      // Like Graph: events are written uncoloured; not retried in this process.
    }
  }

  function listPaged(mailbox: string, calendarId: string, keep: (e: MemoryEvent) => boolean, pageSize = PAGE_SIZE): RemoteEvent[] {
    request(mailbox);
    requireCalendar(mailbox, calendarId);
    const matching = [...box(mailbox).events.values()].filter((e) => e.calendarId === calendarId && keep(e)).map(toRemote);
    // Further pages cost one request each, as @odata.nextLink does on Graph.
    stats.requests += Math.max(0, Math.ceil(matching.length / pageSize) - 1);
    return matching;
  }

  return {
    stats,

    async findCalendar(mailbox, name) {
      request(mailbox);
      return box(mailbox).calendars.find((c) => c.name.toLowerCase() === name.toLowerCase())?.id ?? null;
    },

    async ensureCalendar(mailbox, name) {
      const cacheKey = `${mailbox.toLowerCase()}\n${name}`;
      const cached = calendarCache.get(cacheKey);
      if (cached) return cached;
      request(mailbox);
      const b = box(mailbox);
      let calendar = b.calendars.find((c) => c.name.toLowerCase() === name.toLowerCase());
      if (!calendar) {
        request(mailbox);
        calendar = { id: `cal-${randomUUID()}`, name };
        b.calendars.push(calendar);
      }
      calendarCache.set(cacheKey, calendar.id);
      return calendar.id;
    },

    async createEvent(mailbox, calendarId, sourceKey, event, transactionId) {
      ensureCategories(mailbox, event.categories);
      request(mailbox);
      requireCalendar(mailbox, calendarId);
      const b = box(mailbox);
      const replay = [...b.events.values()].find((e) => e.transactionId === transactionId);
      if (replay) return toRemote(replay);
      const stored = toStored({ mailbox: mailbox.toLowerCase(), calendarId, remoteId: `mem-${randomUUID()}`, sourceKey, transactionId, extendedProperties: toExtendedProperties(sourceKey) }, event);
      b.events.set(stored.remoteId, stored);
      if (failCreatesAfterStore > 0) {
        failCreatesAfterStore -= 1;
        throw {
          kind: 'target-error',
          status: null,
          code: OUTCOME_UNKNOWN,
          message: `Nie wiadomo, czy zdarzenie zostało zapisane w skrzynce ${mailbox} (odpowiedź utracona). Następna próba najpierw odszuka je po znaczniku.`,
          transient: true,
          retryAfterMs: null,
          requestId: null,
        } satisfies TargetError;
      }
      return toRemote(stored);
    },

    async updateEvent(mailbox, remoteId, event) {
      ensureCategories(mailbox, event.categories);
      request(mailbox);
      const current = requireEvent(mailbox, remoteId);
      const stored = toStored(current, keepUnsent(current.event, event));
      box(mailbox).events.set(remoteId, stored);
      // Like Graph's PATCH response: no extended properties, so the stamp reads back as null.
      return { ...toRemote(stored), sourceKey: null };
    },

    async deleteEvent(mailbox, remoteId) {
      request(mailbox);
      box(mailbox).events.delete(remoteId);
    },

    async findBySourceKey(mailbox, calendarId, sourceKey) {
      return listPaged(mailbox, calendarId, (e) => e.sourceKey === sourceKey);
    },

    async listStampedEvents(mailbox, calendarId) {
      return listPaged(mailbox, calendarId, (e) => e.sourceKey !== null);
    },

    async listChangeKeys(mailbox, calendarId) {
      const listed = listPaged(mailbox, calendarId, (e) => e.sourceKey !== null, CHANGE_KEY_PAGE_SIZE);
      return new Map(listed.map((e) => [e.remoteId, e.changeKey]));
    },

    async translateToRestImmutableId(mailbox, id, _idType) {
      request(mailbox);
      // One id form here: the EWS and REST forms of an event are its remote id.
      return box(mailbox).events.has(id) ? id : null;
    },

    async readChangeKey(mailbox, remoteId) {
      request(mailbox);
      const found = box(mailbox).events.get(remoteId);
      return found ? { exists: true, changeKey: found.changeKey } : { exists: false, changeKey: null };
    },

    events(mailbox) {
      return [...box(mailbox).events.values()];
    },

    calendars(mailbox) {
      return [...box(mailbox).calendars];
    },

    removeEvent(mailbox, remoteId) {
      box(mailbox).events.delete(remoteId);
    },

    editEvent(mailbox, remoteId, changes) {
      const current = requireEvent(mailbox, remoteId);
      const stored = toStored(current, { ...current.event, ...changes });
      box(mailbox).events.set(remoteId, stored);
      return stored;
    },

    failNext(count, error) {
      failures = count > 0 ? { count, error } : null;
    },

    masterCategories(mailbox) {
      return new Map(box(mailbox).masterCategories.map((c) => [c.displayName, c.color]));
    },

    setMasterCategory(mailbox, displayName, color) {
      const b = box(mailbox);
      const found = b.masterCategories.find((c) => c.displayName.toLowerCase() === displayName.toLowerCase());
      b.masterCategories = found
        ? b.masterCategories.map((c) => (c === found ? { ...c, color } : c))
        : [...b.masterCategories, { id: randomUUID(), displayName, color }];
    },
  };
}

/** The properties the Graph adapter writes on create (graph-event-fields.ts), so both targets store the same. */
function toExtendedProperties(sourceKey: SourceKey): Record<string, string> {
  return Object.fromEntries(toGraphExtendedProperties(sourceKey).map((p) => [p.id, p.value]));
}

function toRemote(e: MemoryEvent): RemoteEvent {
  return { remoteId: e.remoteId, changeKey: e.changeKey, sourceKey: e.sourceKey, subject: e.subject, startUtc: e.startUtc, endUtc: e.endUtc };
}

function copyEvent(event: CalendarEvent): CalendarEvent {
  return {
    ...event,
    categories: [...event.categories],
    ...(event.attendees !== undefined ? { attendees: event.attendees.map((a) => ({ ...a })) } : {}),
  };
}

/**
 * An update as Graph's PATCH applies it: importance and attendees the Graph target leaves out of
 * the body (absent on the event) keep their values. An empty attendee list is sent, and clears them.
 */
function keepUnsent(current: CalendarEvent, next: CalendarEvent): CalendarEvent {
  return {
    ...next,
    ...(next.importance === undefined && current.importance !== undefined ? { importance: current.importance } : {}),
    ...(next.attendees === undefined && current.attendees !== undefined ? { attendees: current.attendees } : {}),
  };
}

/** Graph refuses an unknown zone with 400 TimeZoneNotSupportedException; so does this. */
function toUtcTimes(mailbox: string, event: CalendarEvent): { startUtc: string; endUtc: string } {
  if (!isValidTimeZone(event.timeZone)) {
    throw graphError(
      mailbox,
      400,
      'TimeZoneNotSupportedException',
      `A valid TimeZone value must be specified. The following TimeZone value is not supported: '${event.timeZone}'.`,
    );
  }
  try {
    return { startUtc: zonedToUtc(event.start, event.timeZone).utc.toISOString(), endUtc: zonedToUtc(event.end, event.timeZone).utc.toISOString() };
  } catch {
    throw graphError(mailbox, 400, 'ErrorPropertyValidationFailure', `Cannot convert the value '${event.start}' / '${event.end}' to a date.`);
  }
}

function graphError(mailbox: string, status: number, code: string, graphMessage: string): TargetError {
  return describeGraphError({ status, code, graphMessage, requestId: null, retryAfterMs: null, mailbox });
}
