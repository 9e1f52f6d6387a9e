import type { SourceKey } from '../../domain/types.ts';
import type { Logger } from '../../domain/logger.ts';
import { silentLogger } from '../../domain/logger.ts';
import type { TokenSource } from '../../auth/token-source.ts';
import type { CalendarTarget, RemoteEvent, TargetError } from '../calendar-target.ts';
import { isTargetError, OUTCOME_UNKNOWN } from '../describe-target-error.ts';
import {
  quoteODataString,
  REMOTE_EVENT_SELECT,
  STAMP_EXPAND,
  STAMP_PROPERTY_ID,
  toGraphCreateBody,
  toGraphEventFields,
  toRemoteEvent,
} from './graph-event-fields.ts';
import { createGraphSender } from './graph-sender.ts';
import type { GraphReply, GraphSender } from './graph-sender.ts';
import { createMasterCategoryKeeper } from './master-category-keeper.ts';

export interface GraphTargetOptions {
  readonly tokenSource: TokenSource;
  /** e.g. `https://graph.microsoft.com` (a trailing `/v1.0` is accepted). */
  readonly graphBaseUrl: string;
  /** Extra hosts the token may be sent to (`customHosts`, host names without port). */
  readonly graphHosts?: readonly string[];
  /** Retries of one call after 429/5xx/network errors (default 4). */
  readonly maxRetries?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly logger?: Logger;
  /** Abort a request after this long (default 60 s); a create then counts as "outcome unknown". */
  readonly requestTimeoutMs?: number;
  /**
   * Concurrent requests per mailbox as Outlook counts them (default 4, Outlook's limit per app and
   * mailbox): a single request is one, a `$batch` of n items is min(n, 4). Below 4, batches shrink to it.
   */
  readonly maxConcurrentPerMailbox?: number;
  /** Longest `Retry-After` waited for in place (default 120 s); longer goes back to the caller. */
  readonly maxWaitMs?: number;
  /** Jitter source (tests pass a fixed one). */
  readonly random?: () => number;
  /**
   * Category display name → colour (`preset0`…`preset24`; a Polish or English colour name is read
   * by `toCategoryPreset`). Before the first write of an event carrying such a category to a
   * mailbox, the mailbox's master category list gets it in that colour (needs
   * MailboxSettings.ReadWrite; without it events are written uncoloured and a warning says so).
   */
  readonly categoryColors?: ReadonlyMap<string, string>;
}

/** Events per page when listing (Outlook allows up to 1000; 200 keeps responses small). */
const PAGE_SIZE = 200;

/** Events per page when listing change keys only: two short fields each, so Outlook's maximum. */
const CHANGE_KEY_PAGE_SIZE = 1000;

/** `$filter` for "carries our stamp" (any value). */
const STAMPED_FILTER = `singleValueExtendedProperties/Any(ep: ep/id eq ${quoteODataString(STAMP_PROPERTY_ID)} and ep/value ne null)`;

/**
 * `CalendarTarget` on Microsoft Graph v1.0 (reference/graph-calendar.md). Events are written to
 * `/users/{mailbox}` (app-only and delegated alike), read back in UTC with immutable ids, and
 * stamped with their source key. A create whose outcome is unknown (lost response, timeout) is
 * never re-sent blindly: the stamp is looked up first and a found event is adopted.
 *
 * Writes (create, update, delete) issued concurrently for one mailbox are coalesced by the sender
 * into JSON `$batch` requests of up to 20 items; callers see one call, one result, as before.
 *
 * With `categoryColors`, a write carrying a coloured category first makes sure the mailbox's master
 * category list has it in that colour (master-category-keeper.ts: once per mailbox and category
 * per process, plain requests, never failing the write).
 */
export function createGraphTarget(options: GraphTargetOptions): CalendarTarget {
  const logger = options.logger ?? silentLogger;
  const maxRetries = options.maxRetries ?? 4;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const sender = createGraphSender({
    tokenSource: options.tokenSource,
    graphBaseUrl: options.graphBaseUrl,
    graphHosts: options.graphHosts,
    maxRetries,
    sleep,
    logger,
    requestTimeoutMs: options.requestTimeoutMs ?? 60_000,
    maxConcurrentPerMailbox: options.maxConcurrentPerMailbox ?? 4,
    maxWaitMs: options.maxWaitMs ?? 120_000,
    random: options.random ?? Math.random,
  });
  const calendarIds = new Map<string, Promise<string>>();
  const categories = options.categoryColors && options.categoryColors.size > 0 ? createMasterCategoryKeeper(sender, logger, options.categoryColors) : null;

  async function findBySourceKey(mailbox: string, calendarId: string, sourceKey: SourceKey): Promise<readonly RemoteEvent[]> {
    const filter = `singleValueExtendedProperties/Any(ep: ep/id eq ${quoteODataString(STAMP_PROPERTY_ID)} and ep/value eq ${quoteODataString(sourceKey)})`;
    // The first page may share a `$batch` with other lookups (after a lost batch of creates, say).
    return listEvents(sender, mailbox, calendarId, filter, true);
  }

  return {
    stats: sender.stats,

    findCalendar: (mailbox, name) => findCalendar(sender, mailbox, name),

    ensureCalendar(mailbox, name) {
      const key = `${mailbox.toLowerCase()}\n${name}`;
      let pending = calendarIds.get(key);
      if (!pending) {
        pending = findOrCreateCalendar(sender, mailbox, name);
        calendarIds.set(key, pending);
        // A failure is not cached: the next call asks Graph again.
        pending.catch(() => calendarIds.delete(key));
      }
      return pending;
    },

    async createEvent(mailbox, calendarId, sourceKey, event, transactionId) {
      const path = `/users/${enc(mailbox)}/calendars/${enc(calendarId)}/events`;
      const body = toGraphCreateBody(event, sourceKey, transactionId);
      await categories?.ensure(mailbox, event.categories);
      for (let round = 0; ; round++) {
        try {
          const reply = await sender.send(mailbox, { method: 'POST', path, body, unsafeToResend: true, batchable: true });
          return readEvent(reply, sourceKey);
        } catch (err) {
          if (!isTargetError(err) || err.code !== OUTCOME_UNKNOWN || round >= maxRetries) throw err;
          logger.log({ level: 'warn', message: 'Create outcome unknown; looking up the stamp before retrying', mailbox, sourceKey, data: { round } });
        }
        // The event may have been stored: adopt it if the stamp is there; else re-create with the
        // same transactionId (reference §2: the stamp, not transactionId, is the guarantee).
        const found = await findBySourceKey(mailbox, calendarId, sourceKey);
        if (found.length > 0) {
          logger.log({ level: 'info', message: 'Adopted an event created by an attempt whose response was lost', mailbox, sourceKey });
          return found[0];
        }
        await sender.pause(mailbox, round, OUTCOME_UNKNOWN);
      }
    },

    async updateEvent(mailbox, remoteId, event) {
      await categories?.ensure(mailbox, event.categories);
      const reply = await sender.send(mailbox, {
        method: 'PATCH',
        path: `/users/${enc(mailbox)}/events/${enc(remoteId)}`,
        body: toGraphEventFields(event, 'update'),
        batchable: true,
      });
      // A PATCH response carries no extended properties, so the stamp reads back as null.
      return readEvent(reply, null);
    },

    async deleteEvent(mailbox, remoteId) {
      await sender.send(mailbox, {
        method: 'DELETE',
        path: `/users/${enc(mailbox)}/events/${enc(remoteId)}`,
        batchable: true,
        // Already gone is fine; a missing user or mailbox is not.
        accept: (reply) => reply.status === 404 && (reply.code === 'ErrorItemNotFound' || reply.code === ''),
      });
    },

    findBySourceKey,

    listStampedEvents(mailbox, calendarId) {
      return listEvents(sender, mailbox, calendarId, STAMPED_FILTER);
    },

    listChangeKeys: (mailbox, calendarId) => listChangeKeys(sender, mailbox, calendarId),

    async translateToRestImmutableId(mailbox, id, idType) {
      const reply = await sender.send(mailbox, {
        method: 'POST',
        path: `/users/${enc(mailbox)}/translateExchangeIds`,
        body: { inputIds: [id], sourceIdType: idType === 'ews' ? 'ewsId' : 'restId', targetIdType: 'restImmutableEntryId' },
        // A malformed id may be refused as a whole request; for the caller it is "no such event".
        accept: (r) => r.status === 400 || r.status === 404,
      });
      if (reply.status >= 400) return null;
      const [first] = readValue(reply);
      return first && typeof first.targetId === 'string' ? first.targetId : null;
    },

    async readChangeKey(mailbox, remoteId) {
      const reply = await sender.send(mailbox, {
        method: 'GET',
        path: `/users/${enc(mailbox)}/events/${enc(remoteId)}`,
        query: { $select: 'id,changeKey' },
        accept: (r) => r.status === 404 && (r.code === 'ErrorItemNotFound' || r.code === ''),
      });
      if (reply.status === 404) return { exists: false, changeKey: null };
      const changeKey = reply.json?.changeKey;
      return { exists: true, changeKey: typeof changeKey === 'string' ? changeKey : null };
    },
  };
}

/**
 * Remote id → change key of every stamped event, `$select=id,changeKey`, 1000 per page. A page
 * without a `value` list (a proxy's HTML page, say) is an error: read as "no events", it would
 * make every event look deleted and the sync would re-create them all.
 */
async function listChangeKeys(sender: GraphSender, mailbox: string, calendarId: string): Promise<ReadonlyMap<string, string | null>> {
  const keys = new Map<string, string | null>();
  let reply = await sender.send(mailbox, {
    method: 'GET',
    path: `/users/${enc(mailbox)}/calendars/${enc(calendarId)}/events`,
    query: { $filter: STAMPED_FILTER, $select: 'id,changeKey', $top: CHANGE_KEY_PAGE_SIZE },
  });
  for (;;) {
    const value = reply.json?.value;
    if (!Array.isArray(value)) throw unexpected(mailbox, 'lista wydarzeń bez pola „value”', reply.requestId);
    for (const item of value as Record<string, unknown>[]) {
      if (typeof item?.id !== 'string' || item.id === '') throw unexpected(mailbox, 'wydarzenie bez identyfikatora na liście', reply.requestId);
      keys.set(item.id, typeof item.changeKey === 'string' && item.changeKey !== '' ? item.changeKey : null);
    }
    const next = reply.json?.['@odata.nextLink'];
    if (typeof next !== 'string' || next === '') return keys;
    reply = await sender.send(mailbox, { method: 'GET', path: next });
  }
}

async function listEvents(sender: GraphSender, mailbox: string, calendarId: string, filter: string, batchable = false): Promise<readonly RemoteEvent[]> {
  const events: RemoteEvent[] = [];
  let reply = await sender.send(mailbox, {
    method: 'GET',
    path: `/users/${enc(mailbox)}/calendars/${enc(calendarId)}/events`,
    query: { $filter: filter, $expand: STAMP_EXPAND, $select: REMOTE_EVENT_SELECT, $top: PAGE_SIZE },
    batchable,
  });
  for (;;) {
    for (const item of readValue(reply)) events.push(parseEvent(item, null));
    const next = reply.json?.['@odata.nextLink'];
    if (typeof next !== 'string' || next === '') return events;
    reply = await sender.send(mailbox, { method: 'GET', path: next });
  }
}

async function findOrCreateCalendar(sender: GraphSender, mailbox: string, name: string): Promise<string> {
  const existing = await findCalendar(sender, mailbox, name);
  if (existing) return existing;
  const reply = await sender.send(mailbox, {
    method: 'POST',
    path: `/users/${enc(mailbox)}/calendars`,
    body: { name },
    // 409: created meanwhile by someone else (another run, a person in Outlook): list again.
    accept: (r) => r.status === 409,
  });
  if (reply.status !== 409 && typeof reply.json?.id === 'string') return reply.json.id;
  const created = await findCalendar(sender, mailbox, name);
  if (created) return created;
  throw unexpected(mailbox, `kalendarz „${name}” nie powstał i nie da się go odnaleźć`, reply.requestId);
}

async function findCalendar(sender: GraphSender, mailbox: string, name: string): Promise<string | null> {
  const reply = await sender.send(mailbox, {
    method: 'GET',
    path: `/users/${enc(mailbox)}/calendars`,
    query: { $filter: `name eq ${quoteODataString(name)}`, $select: 'id,name' },
  });
  const calendars = readValue(reply);
  // Exchange folder names compare case-insensitively; prefer an exact match when there are two.
  const exact = calendars.find((c) => c.name === name) ?? calendars[0];
  return exact && typeof exact.id === 'string' ? exact.id : null;
}

function readValue(reply: GraphReply): Record<string, unknown>[] {
  const value = reply.json?.value;
  return Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
}

function readEvent(reply: GraphReply, sourceKey: SourceKey | null): RemoteEvent {
  if (!reply.json || typeof reply.json.id !== 'string') throw unexpected('', 'odpowiedź bez identyfikatora zdarzenia', reply.requestId);
  return parseEvent(reply.json, sourceKey, reply.requestId);
}

function parseEvent(json: Record<string, unknown>, sourceKey: SourceKey | null, requestId: string | null = null): RemoteEvent {
  try {
    return toRemoteEvent(json, sourceKey);
  } catch (err) {
    throw unexpected('', err instanceof Error ? err.message : String(err), requestId);
  }
}

function unexpected(mailbox: string, detail: string, requestId: string | null): TargetError {
  return {
    kind: 'target-error',
    status: null,
    code: 'UnexpectedResponse',
    message: `Microsoft Graph zwrócił nieoczekiwaną odpowiedź${mailbox ? ` dla ${mailbox}` : ''}: ${detail}. Sprawdź adres Graph w konfiguracji (serwer pośredniczący?).`,
    transient: false,
    retryAfterMs: null,
    requestId,
  };
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}
