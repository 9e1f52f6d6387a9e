/**
 * Microsoft Graph v1.0 calendar emulator over HTTPS, for tests and the embedded demo. The real
 * @microsoft/microsoft-graph-client talks to it configured only by URL (see graph-emulator.test.ts
 * for the exact construction). Behaviour follows /work/shared/reference/graph-calendar.md §1–§7.
 *
 * Known differences from real Graph:
 * - Single events only: no recurrence, attendees stored and returned (each with response status
 *   `none`) but no meeting requests or responses, no attachments, no multi-value extended
 *   properties, no open extensions. Events and master categories only, no mail/contacts.
 * - `importance` and `attendees` read back as `normal` and `[]` when never set, as in Graph.
 * - Master categories (`/outlook/masterCategories`, GET/POST, GET/PATCH/DELETE by id): every
 *   mailbox starts with Outlook's six English defaults (Red category … Purple category). A
 *   duplicate name (any case) → 409 `ErrorDuplicateCategory` (code a best guess); PATCH of a
 *   different name → 400 (the name is fixed after create); no `$filter`/`$top`/paging (query
 *   options ignored). Permission: the token is checked for Calendars.* like every request, not
 *   for MailboxSettings.Read/ReadWrite; a mailbox whose app lacks MailboxSettings.ReadWrite is
 *   played with `setMailboxSettingsAccess(upn, 'denied')` → 403 `ErrorAccessDenied` on these
 *   paths only. Category names on events are not checked against the list (Outlook does not either).
 * - DELETE removes the event for good (no Deleted Items); a later GET by either id → 404.
 * - Ids: one internal key per item, two REST forms that differ visibly (regular `AAMkA…`,
 *   immutable `AAkALg…`); both resolve. Calendars have one form. Ids are much shorter than real.
 * - `transactionId`: a repeat in the same mailbox while the first event lives returns that event
 *   with 201 and changes nothing (real behaviour is unspecified). Changing it by PATCH → 400.
 * - Time zones: Windows names from a table of common ones, any IANA `Area/City` Intl knows;
 *   spring-forward gaps shift forward, repeated hours read as standard time (graph-time-zones.ts).
 *   A `dateTime` with an explicit offset (`Z`, `+02:00`) is taken at that offset; a missing
 *   `timeZone` means UTC. An unknown `Prefer: outlook.timezone` falls back to UTC.
 * - HTML bodies are wrapped in a fixed `<html><head><meta…></head><body>…</body></html>`; no other
 *   rewriting. Text bodies come back as escaped HTML with `<br>`.
 * - `$filter`: the subset in odata-filter.ts; string comparisons ignore case everywhere; `+` in a
 *   query value is a space (send `%2B`). `$orderby` takes one key. Paging uses `$skip` in
 *   nextLink (real calendarView uses `$skiptoken`); both are opaque to clients.
 * - Throttling: per app + mailbox concurrency and 10-minute request count only; Retry-After is
 *   `limits.retryAfterSeconds` (default 1). Batch items run at most 4 at a time.
 * - `$batch`: any acyclic `dependsOn` graph is accepted (Graph asks for fully serial or fully
 *   parallel batches; graph-client's BatchRequestContent enforces that on the client side).
 *   Item urls must leave the version out, as Graph requires (`/v1.0/…` → 400 for that item).
 * - Auth: any token `verifyToken` accepts; app tokens need `roles`, delegated ones `scp`, with
 *   Calendars.ReadWrite (or Calendars.Read for GET); delegated tokens reach only their own mailbox.
 * - Error codes/messages for cases the reference marks [likely]/[unverified] are best guesses
 *   (e.g. 424 FailedDependency, 410 SyncStateNotFound, RequestBroker--ParseUri).
 * - v1.0 only; no `$count`, `$search`, `$orderby` on several keys, `Prefer: return=minimal`.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, startHttpsListener } from '../shared/https-listener.ts';
import type { EmulatorTls } from '../shared/https-listener.ts';
import { createGraphStore, calendarId, eventId, lookupEvent, putEvent, removeEvent } from './graph-store.ts';
import type { MailboxAccess, MailboxSettingsAccess, Mailbox, StoredCategory, StoredEvent } from './graph-store.ts';
import { graphError, withInnerError } from './graph-result.ts';
import type { GraphRequest, GraphResult } from './graph-result.ts';
import { executeGraphRequest } from './graph-pipeline.ts';
import type { Claims, PipelineEnv, RequestLogEntry } from './graph-pipeline.ts';
import { executeBatch } from './json-batch.ts';
import { createMailboxThrottle } from './mailbox-throttle.ts';
import type { ThrottleLimits } from './mailbox-throttle.ts';
import type { ArmedFault, FaultSpec } from './fault-injection.ts';
import { createDeltaTokens } from './calendar-view-delta.ts';
import { parseQueryString } from './parse-query-string.ts';
import { writeEvent } from './write-event.ts';
import { formatGraphTimestamp } from './graph-time-zones.ts';

export type { Claims, RequestLogEntry } from './graph-pipeline.ts';
export type { FaultSpec } from './fault-injection.ts';
export type { ThrottleLimits } from './mailbox-throttle.ts';
export type { MailboxAccess, MailboxSettingsAccess, StoredCategory } from './graph-store.ts';

export interface GraphEmulatorOptions {
  readonly tls: EmulatorTls;
  /** Claims of a valid access token, or null (→ 401). E.g. `entra.verifyAccessToken`. */
  readonly verifyToken: (token: string) => Claims | null | Promise<Claims | null>;
  readonly mailboxes: readonly string[];
  /** 0 or absent = random free port. */
  readonly port?: number;
  /** Simulated processing time per request (ms), during which it counts as in flight. */
  readonly latencyMs?: number;
  readonly limits?: Partial<ThrottleLimits>;
  /** Name of every mailbox's default calendar: 'Calendar' (default) or e.g. 'Kalendarz'. */
  readonly defaultCalendarName?: string;
}

/** A stored event as a test sees it: times as sent plus their UTC instants. */
export interface EmulatedEvent {
  /** Immutable id (what the sync stores as remote id). */
  readonly id: string;
  readonly regularId: string;
  readonly calendarId: string;
  readonly calendarName: string;
  readonly subject: string;
  readonly start: { readonly dateTime: string; readonly timeZone: string };
  readonly end: { readonly dateTime: string; readonly timeZone: string };
  /** `2026-03-29T08:00:00.000Z` */
  readonly startUtc: string;
  readonly endUtc: string;
  readonly body: { readonly contentType: 'text' | 'html'; readonly content: string };
  readonly location: string;
  readonly categories: readonly string[];
  readonly showAs: string;
  readonly isAllDay: boolean;
  readonly isReminderOn: boolean;
  readonly reminderMinutesBeforeStart: number;
  readonly transactionId: string | null;
  /** `low` | `normal` | `high`; `normal` when never set. */
  readonly importance: string;
  /** As sent (`emailAddress: {name, address}`, `type`); [] when never set. */
  readonly attendees: ReadonlyArray<{ readonly name: string; readonly address: string; readonly type: string }>;
  readonly changeKey: string;
  readonly createdDateTime: string;
  readonly lastModifiedDateTime: string;
  /** Canonical extended property id → value. */
  readonly extendedProperties: Readonly<Record<string, string>>;
  /** Every other property as last sent. */
  readonly fields: Readonly<Record<string, unknown>>;
}

export interface GraphEmulator {
  /** `https://localhost:PORT` — the Graph client's baseUrl is `${url}/`. */
  readonly url: string;
  /** `'localhost'` — for the Graph client's `customHosts` (host only, no port). */
  readonly host: string;
  /** Every request in arrival order, `$batch` items included (`viaBatch`). */
  readonly requestLog: readonly RequestLogEntry[];
  /** Stored events of a mailbox, or of its calendar named `calendarName` (any case; [] if none). */
  listEvents(mailbox: string, calendarName?: string): EmulatedEvent[];
  calendars(mailbox: string): Array<{ readonly id: string; readonly name: string; readonly isDefault: boolean }>;
  addMailbox(upn: string, defaultCalendarName?: string): void;
  setMailboxAccess(upn: string, access: MailboxAccess): void;
  /** 'denied': the app lacks MailboxSettings.ReadWrite here: `/outlook/masterCategories` answers 403, events work. */
  setMailboxSettingsAccess(upn: string, access: MailboxSettingsAccess): void;
  /** The mailbox's master category list, in the order added (six Outlook defaults to start with). */
  masterCategories(upn: string): StoredCategory[];
  /** A person adds a category in Outlook, or recolours one of the same name (any case). */
  setMasterCategoryAsUser(upn: string, displayName: string, color: string): StoredCategory;
  /** Object id of a mailbox (Graph accepts `/users/{objectId}` as well as the UPN). */
  mailboxObjectId(upn: string): string;
  injectFault(spec: FaultSpec): void;
  clearFaults(): void;
  setLatency(ms: number): void;
  /** How every mailbox answers a repeated transactionId (real behaviour is unspecified). */
  setTransactionIdRepeat(mode: 'return-existing' | 'create-new'): void;
  setLimits(limits: Partial<ThrottleLimits>): void;
  /** Requests in flight for an app + mailbox (for concurrency assertions). */
  inFlight(appId: string, mailbox: string): number;
  /** A person edits the event in Outlook: applies a Graph-shaped patch, new change key. */
  editEventAsUser(mailbox: string, id: string, patch: Record<string, unknown>): EmulatedEvent;
  /** A person deletes the event in Outlook. */
  deleteEventAsUser(mailbox: string, id: string): void;
  /** Forget every delta token (the next delta call with an old link gets 410). */
  expireDeltaTokens(): void;
  close(): Promise<void>;
}

const BODY_LIMIT_BYTES = 4 * 1024 * 1024;

/** Starts the Graph emulator; `close()` stops it. */
export async function startGraphEmulator(opts: GraphEmulatorOptions): Promise<GraphEmulator> {
  const store = createGraphStore(opts.defaultCalendarName ?? 'Calendar');
  for (const upn of opts.mailboxes) store.addMailbox(upn);
  const faults: ArmedFault[] = [];
  const log: RequestLogEntry[] = [];
  const tokens = createDeltaTokens();
  const throttle = createMailboxThrottle(opts.limits);
  let latencyMs = opts.latencyMs ?? 0;
  let baseUrl = '';
  const env: PipelineEnv = { store, baseUrl: () => baseUrl, throttle, faults, tokens, latencyMs: () => latencyMs, log };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = randomUUID();
    const clientRequestId = header(req, 'client-request-id') ?? randomUUID();
    const send = (result: GraphResult) => writeResult(res, result, requestId, clientRequestId);
    const url = req.url ?? '/';
    // Requests refused before the pipeline (bad URL, no token) are logged here.
    const refuse = (result: GraphResult, path: readonly string[]) => {
      const mailbox = path[1]?.toLowerCase() === 'users' && path[2] ? path[2].toLowerCase() : null;
      log.push({ method: req.method ?? 'GET', path: `/${path.slice(1).join('/')}`, status: result.status, mailbox, at: Date.now(), viaBatch: false });
      send(result);
    };
    const questionMark = url.indexOf('?');
    const pathText = questionMark === -1 ? url : url.slice(0, questionMark);
    const query = parseQueryString(questionMark === -1 ? '' : url.slice(questionMark + 1));
    let segments: string[];
    try {
      segments = pathText.split('/').filter(Boolean).map(decodeURIComponent);
    } catch {
      segments = [];
    }
    if (!query || segments.length === 0) return refuse(graphError(400, 'BadRequest', 'The request URL is not correctly encoded.'), segments);
    if (segments[0] !== 'v1.0') return refuse(graphError(400, 'BadRequest', `Invalid version: ${segments[0]}. The emulator serves v1.0 only.`), segments);

    const authorization = header(req, 'authorization');
    const token = authorization?.match(/^Bearer\s+(.+)$/i)?.[1];
    const claims = token ? await opts.verifyToken(token) : null;
    if (!claims) {
      req.resume();
      const message = !token ? 'Access token is empty.' : isExpired(token) ? 'Access token has expired or is not yet valid.' : 'Access token validation failure.';
      return refuse(
        graphError(401, 'InvalidAuthenticationToken', message, {
          'www-authenticate': 'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"',
        }),
        segments,
      );
    }

    const raw = await readBody(req, BODY_LIMIT_BYTES);
    if (raw === null) return refuse(graphError(413, 'RequestEntityTooLarge', 'The request body is too large.'), segments);
    let body: unknown;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        return refuse(
          graphError(400, 'BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.'),
          segments,
        );
      }
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    const request: GraphRequest = { method: req.method ?? 'GET', segments: segments.slice(1), query, headers, body };

    if (request.segments.length === 1 && request.segments[0] === '$batch') {
      if (request.method !== 'POST') return refuse(graphError(405, 'BadRequest', 'Specified HTTP method is not allowed for the request target.'), segments);
      const outcome = await executeBatch(
        body,
        (item) => executeGraphRequest(env, item, claims, true),
        (itemBody, item) => withInnerError(itemBody, randomUUID(), item.headers['client-request-id'] ?? clientRequestId),
      );
      log.push({ method: 'POST', path: '/$batch', status: outcome.result.status, mailbox: null, at: Date.now(), viaBatch: false });
      if (outcome.drop) return void res.socket?.destroy();
      return send(outcome.result);
    }
    const outcome = await executeGraphRequest(env, request, claims, false);
    if (outcome.drop) return void res.socket?.destroy();
    send(outcome.result);
  };

  const listener = await startHttpsListener(opts.tls, opts.port ?? 0, handle);
  baseUrl = listener.url;

  const mailboxOf = (upn: string): Mailbox => {
    const mailbox = store.findMailbox(upn);
    if (!mailbox) throw new Error(`The Graph emulator has no mailbox '${upn}'; add it with addMailbox or the mailboxes option.`);
    return mailbox;
  };
  const eventOf = (mailbox: Mailbox, id: string): StoredEvent => {
    const lookup = lookupEvent(mailbox, id);
    if ('error' in lookup) throw new Error(`Mailbox '${mailbox.upn}' has no event '${id}'.`);
    return lookup.found;
  };

  return {
    url: listener.url,
    host: 'localhost',
    requestLog: log,
    listEvents(mailbox, calendarName) {
      const box = mailboxOf(mailbox);
      return [...box.events.values()]
        .filter((e) => calendarName === undefined || box.calendars.get(e.calendarKey)?.name.toLowerCase() === calendarName.toLowerCase())
        .map((e) => describeEvent(box, e));
    },
    calendars(mailbox) {
      const box = mailboxOf(mailbox);
      return [...box.calendars.values()].map((c) => ({ id: calendarId(box, c), name: c.name, isDefault: c.isDefault }));
    },
    addMailbox: (upn, defaultCalendarName) => void store.addMailbox(upn, defaultCalendarName),
    setMailboxAccess: (upn, access) => void (mailboxOf(upn).access = access),
    setMailboxSettingsAccess: (upn, access) => void (mailboxOf(upn).mailboxSettingsAccess = access),
    masterCategories: (upn) => [...mailboxOf(upn).masterCategories.values()].map((c) => ({ ...c })),
    setMasterCategoryAsUser(upn, displayName, color) {
      const box = mailboxOf(upn);
      const existing = [...box.masterCategories.values()].find((c) => c.displayName.toLowerCase() === displayName.toLowerCase());
      const category: StoredCategory = existing ? { ...existing, color } : { id: randomUUID(), displayName, color };
      box.masterCategories.set(category.id, category);
      return { ...category };
    },
    mailboxObjectId: (upn) => mailboxOf(upn).objectId,
    injectFault: (spec) => void faults.push({ spec, remaining: spec.times ?? 1 }),
    clearFaults: () => void faults.splice(0),
    setLatency: (ms) => void (latencyMs = ms),
    setTransactionIdRepeat: (mode) => { for (const box of store.mailboxes.values()) box.transactionIdRepeat = mode; },
    setLimits: (limits) => throttle.setLimits(limits),
    inFlight: (appId, mailbox) => throttle.inFlight(`${appId}|${mailbox.toLowerCase()}`),
    editEventAsUser(mailbox, id, patch) {
      const box = mailboxOf(mailbox);
      const outcome = writeEvent(patch, eventOf(box, id), '', Date.now());
      if (!outcome.ok) throw new Error(`The edit was refused: ${JSON.stringify(outcome.error.body)}`);
      putEvent(box, outcome.event);
      return describeEvent(box, outcome.event);
    },
    deleteEventAsUser(mailbox, id) {
      const box = mailboxOf(mailbox);
      removeEvent(box, eventOf(box, id).key);
    },
    expireDeltaTokens() {
      tokens.states.clear();
      tokens.pages.clear();
    },
    close: () => listener.close(),
  };
}

function describeEvent(mailbox: Mailbox, event: StoredEvent): EmulatedEvent {
  const f = event.fields;
  const location = (f.location ?? {}) as { displayName?: string };
  const calendar = mailbox.calendars.get(event.calendarKey);
  return {
    id: eventId(mailbox, event, 'immutable'),
    regularId: eventId(mailbox, event, 'regular'),
    calendarId: calendar ? calendarId(mailbox, calendar) : '',
    calendarName: calendar?.name ?? '',
    subject: typeof f.subject === 'string' ? f.subject : '',
    start: { dateTime: event.start.dateTime, timeZone: event.start.timeZone },
    end: { dateTime: event.end.dateTime, timeZone: event.end.timeZone },
    startUtc: new Date(event.start.utcMs).toISOString(),
    endUtc: new Date(event.end.utcMs).toISOString(),
    body: event.body,
    location: location.displayName ?? '',
    categories: Array.isArray(f.categories) ? (f.categories as string[]) : [],
    showAs: typeof f.showAs === 'string' ? f.showAs : 'busy',
    isAllDay: f.isAllDay === true,
    isReminderOn: f.isReminderOn !== false,
    reminderMinutesBeforeStart: typeof f.reminderMinutesBeforeStart === 'number' ? f.reminderMinutesBeforeStart : 15,
    transactionId: event.transactionId,
    importance: typeof f.importance === 'string' ? f.importance : 'normal',
    attendees: Array.isArray(f.attendees)
      ? (f.attendees as Array<{ emailAddress?: { name?: unknown; address?: unknown }; type?: unknown }>).map((a) => ({
          name: typeof a.emailAddress?.name === 'string' ? a.emailAddress.name : '',
          address: typeof a.emailAddress?.address === 'string' ? a.emailAddress.address : '',
          type: typeof a.type === 'string' ? a.type : 'required',
        }))
      : [],
    changeKey: event.changeKey,
    createdDateTime: formatGraphTimestamp(event.createdMs),
    lastModifiedDateTime: formatGraphTimestamp(event.modifiedMs),
    extendedProperties: Object.fromEntries([...event.extended.values()].map((p) => [p.id, p.value])),
    fields: f,
  };
}

function writeResult(res: ServerResponse, result: GraphResult, requestId: string, clientRequestId: string): void {
  const headers: Record<string, string | number> = {
    'request-id': requestId,
    'client-request-id': clientRequestId,
    'odata-version': '4.0',
    'cache-control': 'no-cache',
    ...result.headers,
  };
  if (result.status === 204 || result.body === null || result.body === undefined) {
    res.writeHead(result.status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(withInnerError(result.body, requestId, clientRequestId));
  headers['content-type'] = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
  headers['content-length'] = Buffer.byteLength(text);
  res.writeHead(result.status, headers);
  res.end(text);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function isExpired(token: string): boolean {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof payload.exp === 'number' && payload.exp * 1000 < Date.now();
  } catch {
    return false;
  }
}
