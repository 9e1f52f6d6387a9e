import type { CalendarEvent, SourceKey } from '../domain/types.ts';

/**
 * Port: where events go. Adapters: Microsoft Graph (`targets/graph/`) and in-memory
 * (`targets/memory/`, tests). Every adapter passes `test/contract/calendar-target.test.ts`.
 *
 * Events are stamped with their source key (a single-value extended property on Graph) so that
 * a lost response or a lost state file never leads to a duplicate: `findBySourceKey` finds them.
 */
export interface CalendarTarget {
  /** Id of the calendar named `name` in `mailbox`, created when missing. */
  ensureCalendar(mailbox: string, name: string): Promise<string>;
  /** Id of the calendar named `name` in `mailbox`, or null; never creates (recovery, dry runs). */
  findCalendar(mailbox: string, name: string): Promise<string | null>;
  /** Creates an event stamped with `sourceKey`; `transactionId` is deterministic per attempt. */
  createEvent(mailbox: string, calendarId: string, sourceKey: SourceKey, event: CalendarEvent, transactionId: string): Promise<RemoteEvent>;
  updateEvent(mailbox: string, remoteId: string, event: CalendarEvent): Promise<RemoteEvent>;
  /** Deletes an event; an event already gone is not an error. */
  deleteEvent(mailbox: string, remoteId: string): Promise<void>;
  /** Events in the calendar stamped with `sourceKey` (normally zero or one). */
  findBySourceKey(mailbox: string, calendarId: string, sourceKey: SourceKey): Promise<readonly RemoteEvent[]>;
  /** Every stamped event in the calendar (for rebuilding state and finding duplicates). */
  listStampedEvents(mailbox: string, calendarId: string): Promise<readonly RemoteEvent[]>;
  /**
   * Remote id → current change key of every stamped event in the calendar, read cheaply (ids and
   * change keys only, up to 1000 per page) for drift detection: an event edited in Outlook has a
   * new change key, a deleted one is missing. A change key Graph did not send reads as null
   * ("present, version unknown"). A reply that cannot be read is an error, never an empty map.
   */
  listChangeKeys(mailbox: string, calendarId: string): Promise<ReadonlyMap<string, string | null>>;
  /**
   * The immutable REST id (the one links keep) of an event whose id Outlook gave in another form:
   * `ews` (Office.js `item.itemId`) or `rest` (`convertToRestId`, regular or immutable). Null when
   * the id is malformed or not an item of this mailbox. One request (Graph `translateExchangeIds`).
   */
  translateToRestImmutableId(mailbox: string, id: string, idType: 'ews' | 'rest'): Promise<string | null>;
  /** Current change key of one event (one GET): `exists: false` when it is gone. */
  readChangeKey(mailbox: string, remoteId: string): Promise<{ readonly exists: boolean; readonly changeKey: string | null }>;
  /** Requests sent so far (for reports and the benchmark). */
  readonly stats: { requests: number };
}

export interface RemoteEvent {
  readonly remoteId: string;
  readonly changeKey: string | null;
  readonly sourceKey: SourceKey | null;
  readonly subject: string;
  /** Start and end as UTC ISO strings. */
  readonly startUtc: string;
  readonly endUtc: string;
}

/** An error from a calendar target, classified for retry and for the operator. */
export interface TargetError {
  readonly kind: 'target-error';
  readonly status: number | null;
  readonly code: string;
  readonly message: string;
  readonly transient: boolean;
  readonly retryAfterMs: number | null;
  readonly requestId: string | null;
}
