import { createHash, randomBytes } from 'node:crypto';

/**
 * Opaque Graph-looking ids. One internal key per item; its two REST forms differ visibly:
 * regular `AAMkA<mailbox><key>AAA=` and immutable `AAkALg<mailbox><key>AAA=` (the real
 * prefixes). Both resolve to the same item, and the mailbox part makes an id from another
 * mailbox a 404, not a malformed id. The EWS form (translateExchangeIds) is the regular id in
 * standard base64 (`+`/`/` instead of `-`/`_`). Ids are case-sensitive, as in Graph.
 */

const REGULAR_PREFIX = 'AAMkA';
const IMMUTABLE_PREFIX = 'AAkALg';
const SUFFIX = 'AAA=';
const MAILBOX_TAG_LENGTH = 16;
const KEY_LENGTH = 22;

export type IdKind = 'regular' | 'immutable';

/** A fresh internal key (16 random bytes, base64url). */
export function newKey(): string {
  return randomBytes(16).toString('base64url');
}

/** The per-mailbox part of every id. */
export function mailboxTag(mailboxObjectId: string): string {
  return createHash('sha256').update(mailboxObjectId).digest('base64url').slice(0, MAILBOX_TAG_LENGTH);
}

export function formatId(kind: IdKind, tag: string, key: string): string {
  return `${kind === 'immutable' ? IMMUTABLE_PREFIX : REGULAR_PREFIX}${tag}${key}${SUFFIX}`;
}

export interface ParsedId {
  readonly kind: IdKind;
  readonly tag: string;
  readonly key: string;
}

/** Parses a REST id of either form; null = malformed (Graph's 400 ErrorInvalidIdMalformed). */
export function parseId(id: string): ParsedId | null {
  const kind: IdKind | null = id.startsWith(IMMUTABLE_PREFIX) ? 'immutable' : id.startsWith(REGULAR_PREFIX) ? 'regular' : null;
  if (!kind || !id.endsWith(SUFFIX)) return null;
  const body = id.slice((kind === 'immutable' ? IMMUTABLE_PREFIX : REGULAR_PREFIX).length, -SUFFIX.length);
  if (body.length !== MAILBOX_TAG_LENGTH + KEY_LENGTH || !/^[A-Za-z0-9_-]+$/.test(body)) return null;
  return { kind, tag: body.slice(0, MAILBOX_TAG_LENGTH), key: body.slice(MAILBOX_TAG_LENGTH) };
}

/** REST id → EWS id (standard base64 alphabet). */
export function toEwsId(restId: string): string {
  return restId.replaceAll('-', '+').replaceAll('_', '/');
}

/** EWS id → REST id. */
export function fromEwsId(ewsId: string): string {
  return ewsId.replaceAll('+', '-').replaceAll('/', '_');
}

/** A new change key; Exchange's look like `DwAAABYAAAA…`. */
export function newChangeKey(): string {
  return `DwAAABYAAAA${randomBytes(12).toString('base64')}`;
}

/** A new iCalendar UID in Exchange's hex form. */
export function newICalUId(): string {
  return `040000008200E00074C5B7101A82E00800000000${randomBytes(24).toString('hex').toUpperCase()}`;
}
