import { randomUUID } from 'node:crypto';
import { formatId, mailboxTag, newChangeKey, newKey, parseId } from './graph-ids.ts';
import type { IdKind } from './graph-ids.ts';

/**
 * The emulator's in-memory mailboxes: calendars and events, keyed by internal keys (see
 * graph-ids.ts for the REST forms). Records are replaced, never mutated, on every write.
 */

export type MailboxAccess = 'ok' | 'forbidden' | 'no-mailbox';

/** Whether the app may use the mailbox's settings (master categories): MailboxSettings.ReadWrite granted or not. */
export type MailboxSettingsAccess = 'ok' | 'denied';

/** One entry of the mailbox's master category list (`/outlook/masterCategories`). */
export interface StoredCategory {
  /** A GUID, lower case, as Graph shows it. */
  readonly id: string;
  readonly displayName: string;
  /** `none` or `preset0`…`preset24`. */
  readonly color: string;
}

/** The categories a new Exchange Online mailbox starts with (English names, as an English mailbox shows them). */
const DEFAULT_CATEGORIES: ReadonlyArray<readonly [string, string]> = [
  ['Red category', 'preset0'],
  ['Orange category', 'preset1'],
  ['Yellow category', 'preset3'],
  ['Green category', 'preset4'],
  ['Blue category', 'preset7'],
  ['Purple category', 'preset8'],
];

export interface StoredCalendar {
  readonly key: string;
  readonly name: string;
  readonly changeKey: string;
  readonly isDefault: boolean;
  readonly color: string;
  readonly hexColor: string;
}

/** A start or end as sent, plus its computed UTC instant. */
export interface StoredTime {
  readonly dateTime: string;
  readonly timeZone: string;
  readonly iana: string;
  readonly utcMs: number;
}

export interface ExtendedProperty {
  /** Canonical id, e.g. `String {6c1e7a52-…} Name SourceKey` (GUID lower case). */
  readonly id: string;
  readonly value: string;
}

export interface StoredEvent {
  readonly key: string;
  readonly calendarKey: string;
  /** Writable properties as last sent (subject, location, showAs, categories, …). */
  readonly fields: Readonly<Record<string, unknown>>;
  readonly body: { readonly contentType: 'text' | 'html'; readonly content: string };
  readonly start: StoredTime;
  readonly end: StoredTime;
  /** Keyed by canonical id in lower case. */
  readonly extended: ReadonlyMap<string, ExtendedProperty>;
  readonly transactionId: string | null;
  readonly changeKey: string;
  readonly createdMs: number;
  readonly modifiedMs: number;
  readonly iCalUId: string;
}

export interface Mailbox {
  /** Lower-case UPN: mailboxes are case-insensitive. */
  readonly upn: string;
  readonly objectId: string;
  readonly tag: string;
  access: MailboxAccess;
  /** 'denied': `/outlook/masterCategories` answers 403 (events still work). */
  mailboxSettingsAccess: MailboxSettingsAccess;
  /** Master category list by id, in the order added. */
  readonly masterCategories: Map<string, StoredCategory>;
  readonly calendars: Map<string, StoredCalendar>;
  readonly events: Map<string, StoredEvent>;
  /** transactionId → event key. */
  readonly transactions: Map<string, string>;
  /**
   * How a repeated transactionId is answered: the existing event (default), or a new event as if
   * it were not there — Microsoft does not specify it, so tests can play the worst case.
   */
  transactionIdRepeat?: 'return-existing' | 'create-new';
}

export interface GraphStore {
  addMailbox(upn: string, defaultCalendarName?: string): Mailbox;
  /** By UPN (any case) or object id. */
  findMailbox(userIdOrUpn: string): Mailbox | null;
  readonly mailboxes: ReadonlyMap<string, Mailbox>;
}

/** Creates an empty store; every mailbox gets a default calendar named `defaultCalendarName`. */
export function createGraphStore(defaultCalendarName: string): GraphStore {
  const mailboxes = new Map<string, Mailbox>();
  const byObjectId = new Map<string, Mailbox>();
  return {
    mailboxes,
    addMailbox(upn, calendarName = defaultCalendarName) {
      const existing = mailboxes.get(upn.toLowerCase());
      if (existing) return existing;
      const objectId = randomUUID();
      const mailbox: Mailbox = {
        upn: upn.toLowerCase(),
        objectId,
        tag: mailboxTag(objectId),
        access: 'ok',
        mailboxSettingsAccess: 'ok',
        masterCategories: new Map(DEFAULT_CATEGORIES.map(([displayName, color]) => {
          const id = randomUUID();
          return [id, { id, displayName, color }];
        })),
        calendars: new Map(),
        events: new Map(),
        transactions: new Map(),
      };
      const calendar = newCalendar(calendarName, true);
      mailbox.calendars.set(calendar.key, calendar);
      mailboxes.set(mailbox.upn, mailbox);
      byObjectId.set(objectId, mailbox);
      return mailbox;
    },
    findMailbox(userIdOrUpn) {
      return mailboxes.get(userIdOrUpn.toLowerCase()) ?? byObjectId.get(userIdOrUpn.toLowerCase()) ?? null;
    },
  };
}

export function newCalendar(name: string, isDefault: boolean, color = 'auto'): StoredCalendar {
  return { key: newKey(), name, changeKey: newChangeKey(), isDefault, color, hexColor: '' };
}

export function defaultCalendar(mailbox: Mailbox): StoredCalendar {
  for (const calendar of mailbox.calendars.values()) if (calendar.isDefault) return calendar;
  throw new Error(`Mailbox ${mailbox.upn} has no default calendar`);
}

export function calendarId(mailbox: Mailbox, calendar: StoredCalendar): string {
  return formatId('regular', mailbox.tag, calendar.key);
}

export function eventId(mailbox: Mailbox, event: StoredEvent, kind: IdKind): string {
  return formatId(kind, mailbox.tag, event.key);
}

export type Lookup<T> = { readonly found: T } | { readonly error: 'malformed' | 'not-found' };

/** Finds a calendar by id; `'calendar'` in a path means the default one. */
export function lookupCalendar(mailbox: Mailbox, id: string): Lookup<StoredCalendar> {
  const parsed = parseId(id);
  if (!parsed || parsed.kind !== 'regular') return { error: 'malformed' };
  const calendar = parsed.tag === mailbox.tag ? mailbox.calendars.get(parsed.key) : undefined;
  return calendar ? { found: calendar } : { error: 'not-found' };
}

/** Finds an event by regular or immutable id. */
export function lookupEvent(mailbox: Mailbox, id: string): Lookup<StoredEvent> {
  const parsed = parseId(id);
  if (!parsed) return { error: 'malformed' };
  const event = parsed.tag === mailbox.tag ? mailbox.events.get(parsed.key) : undefined;
  return event ? { found: event } : { error: 'not-found' };
}

/** Stores (creates or replaces) an event and indexes its transactionId. */
export function putEvent(mailbox: Mailbox, event: StoredEvent): void {
  mailbox.events.set(event.key, event);
  if (event.transactionId) mailbox.transactions.set(event.transactionId, event.key);
}

/** Removes an event for good (the emulator has no Deleted Items folder). */
export function removeEvent(mailbox: Mailbox, key: string): boolean {
  const event = mailbox.events.get(key);
  if (!event) return false;
  mailbox.events.delete(key);
  if (event.transactionId && mailbox.transactions.get(event.transactionId) === key) mailbox.transactions.delete(event.transactionId);
  return true;
}

/** The live event created earlier with `transactionId`, if any. */
export function findByTransactionId(mailbox: Mailbox, transactionId: string): StoredEvent | null {
  if (mailbox.transactionIdRepeat === 'create-new') return null;
  const key = mailbox.transactions.get(transactionId);
  return key ? (mailbox.events.get(key) ?? null) : null;
}
