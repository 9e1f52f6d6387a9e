import { graphError, ok, queryOption, readPreference } from './graph-result.ts';
import type { GraphRequest, GraphResult } from './graph-result.ts';
import { eventId, findByTransactionId, lookupEvent, putEvent, removeEvent } from './graph-store.ts';
import type { Mailbox, StoredCalendar, StoredEvent } from './graph-store.ts';
import { createFilterMatcher, pageOf, parseCollectionQuery, parseItemQuery, shapeItem, sortItems } from './graph-query.ts';
import { renderEvent } from './render-event.ts';
import type { RenderOptions } from './render-event.ts';
import { resolveTimeZone } from './graph-time-zones.ts';
import { writeEvent } from './write-event.ts';
import type { RouteContext } from './calendar-routes.ts';

/** Render options and the `Preference-Applied` header from a request's `Prefer` headers. */
export function renderOptionsOf(req: GraphRequest): { options: RenderOptions; applied: string[] } {
  const applied: string[] = [];
  const idType = readPreference(req.headers, 'IdType');
  const immutable = idType?.toLowerCase() === 'immutableid';
  if (immutable) applied.push('IdType="ImmutableId"');
  const zoneName = readPreference(req.headers, 'outlook.timezone');
  // An unknown preferred zone is ignored (UTC output) rather than refused [unverified].
  const outputZone = zoneName ? resolveTimeZone(zoneName) : null;
  if (outputZone) applied.push(`outlook.timezone="${outputZone.name}"`);
  const textBody = readPreference(req.headers, 'outlook.body-content-type')?.toLowerCase() === 'text';
  if (textBody) applied.push('outlook.body-content-type="text"');
  return { options: { idKind: immutable ? 'immutable' : 'regular', outputZone, textBody }, applied };
}

function headersFor(applied: readonly string[], extra: Record<string, string> = {}): Record<string, string> {
  return applied.length > 0 ? { 'preference-applied': applied.join(', '), ...extra } : extra;
}

const notFound = () => graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
const malformed = () => graphError(400, 'ErrorInvalidIdMalformed', 'Id is malformed.');

/** Resolves an event id in the mailbox (and calendar, when the path names one). */
export function findEvent(mailbox: Mailbox, id: string, calendar: StoredCalendar | null): StoredEvent | GraphResult {
  const lookup = lookupEvent(mailbox, id);
  if ('error' in lookup) return lookup.error === 'malformed' ? malformed() : notFound();
  if (calendar && lookup.found.calendarKey !== calendar.key) return notFound();
  return lookup.found;
}

function eventLocation(ctx: RouteContext, id: string): string {
  return `${ctx.baseUrl}/v1.0/users/${encodeURIComponent(ctx.mailbox.upn)}/events/${encodeURIComponent(id)}`;
}

/**
 * `POST …/events` → 201 with the full event. A transactionId already used by a live event in this
 * mailbox returns that event with 201 and stores nothing (the emulator's documented choice).
 */
export function createEvent(ctx: RouteContext, req: GraphRequest, calendar: StoredCalendar): GraphResult {
  const { options, applied } = renderOptionsOf(req);
  const transactionId = (req.body as { transactionId?: unknown } | null)?.transactionId;
  const earlier = typeof transactionId === 'string' ? findByTransactionId(ctx.mailbox, transactionId) : null;
  const outcome = earlier ? { ok: true as const, event: earlier } : writeEvent(req.body, null, calendar.key, ctx.now);
  if (!outcome.ok) return outcome.error;
  if (!earlier) putEvent(ctx.mailbox, outcome.event);
  const id = eventId(ctx.mailbox, outcome.event, options.idKind);
  const body = { '@odata.context': `${ctx.baseUrl}/v1.0/$metadata#users('${ctx.mailbox.upn}')/events/$entity`, ...renderEvent(ctx.mailbox, outcome.event, options) };
  return ok(201, body, headersFor(applied, { location: eventLocation(ctx, id), etag: `W/"${outcome.event.changeKey}"` }));
}

/** `GET …/events/{id}` with `$select` / `$expand`. */
export function getEvent(ctx: RouteContext, req: GraphRequest, event: StoredEvent): GraphResult {
  const query = parseItemQuery(req, 'event');
  if (!query.ok) return query.error;
  const { options, applied } = renderOptionsOf(req);
  const shaped = shapeItem(renderEvent(ctx.mailbox, event, options), [...event.extended.values()], query.value);
  return ok(200, { '@odata.context': `${ctx.baseUrl}/v1.0/$metadata#users('${ctx.mailbox.upn}')/events/$entity`, ...shaped }, headersFor(applied, { etag: `W/"${event.changeKey}"` }));
}

/** `If-Match` against the current change key: `*`, `W/"ck"` and `"ck"` are accepted. */
function ifMatchFails(req: GraphRequest, event: StoredEvent): GraphResult | null {
  const header = req.headers['if-match'];
  if (!header || header.trim() === '*') return null;
  const tags = header.split(',').map((t) => t.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1'));
  if (tags.includes(event.changeKey)) return null;
  return graphError(
    412,
    'ErrorIrresolvableConflict',
    'The send or update operation could not be performed because the change key passed in the request does not match the current change key for the item.',
  );
}

/** `PATCH …/events/{id}` → 200 with the full event and a new change key. */
export function updateEvent(ctx: RouteContext, req: GraphRequest, event: StoredEvent): GraphResult {
  const conflict = ifMatchFails(req, event);
  if (conflict) return conflict;
  const outcome = writeEvent(req.body, event, event.calendarKey, ctx.now);
  if (!outcome.ok) return outcome.error;
  putEvent(ctx.mailbox, outcome.event);
  const { options, applied } = renderOptionsOf(req);
  const body = { '@odata.context': `${ctx.baseUrl}/v1.0/$metadata#users('${ctx.mailbox.upn}')/events/$entity`, ...renderEvent(ctx.mailbox, outcome.event, options) };
  return ok(200, body, headersFor(applied, { etag: `W/"${outcome.event.changeKey}"` }));
}

/** `DELETE …/events/{id}` (and `POST …/permanentDelete`) → 204. */
export function deleteEvent(ctx: RouteContext, req: GraphRequest, event: StoredEvent): GraphResult {
  const conflict = ifMatchFails(req, event);
  if (conflict) return conflict;
  removeEvent(ctx.mailbox, event.key);
  return ok(204, null);
}

/** `GET …/events` of one calendar, or of all calendars when `calendar` is null. */
export function listEvents(ctx: RouteContext, req: GraphRequest, calendar: StoredCalendar | null): GraphResult {
  return listWindow(ctx, req, calendar, null);
}

/** `GET …/calendarView?startDateTime=…&endDateTime=…`: events overlapping the window, by start. */
export function calendarView(ctx: RouteContext, req: GraphRequest, calendar: StoredCalendar | null): GraphResult {
  const window = readWindow(req);
  if ('status' in window) return window;
  return listWindow(ctx, req, calendar, window);
}

export interface Window {
  readonly startMs: number;
  readonly endMs: number;
}

/** Reads `startDateTime`/`endDateTime` (an offset is honoured, none = UTC); both required. */
export function readWindow(req: GraphRequest): Window | GraphResult {
  const start = queryOption(req.query, 'startdatetime');
  const end = queryOption(req.query, 'enddatetime');
  if (!start || !end) {
    return graphError(400, 'ErrorInvalidParameter', 'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.');
  }
  const [startMs, endMs] = [start, end].map((text) => Date.parse(/(Z|[+-]\d{2}:\d{2})$/i.test(text) ? text : `${text}Z`));
  if (Number.isNaN(startMs) || Number.isNaN(endMs)) return graphError(400, 'ErrorInvalidParameter', `The time window '${start}' – '${end}' is not valid.`);
  return { startMs, endMs };
}

/** Events of the calendar (or all) overlapping `window`; null window = all. */
export function eventsIn(mailbox: Mailbox, calendar: StoredCalendar | null, window: Window | null): StoredEvent[] {
  const events = [...mailbox.events.values()].filter((e) => !calendar || e.calendarKey === calendar.key);
  if (!window) return events;
  return events
    .filter((e) => e.start.utcMs < window.endMs && (e.end.utcMs > window.startMs || (e.end.utcMs === e.start.utcMs && e.start.utcMs >= window.startMs)))
    .sort((a, b) => a.start.utcMs - b.start.utcMs);
}

function listWindow(ctx: RouteContext, req: GraphRequest, calendar: StoredCalendar | null, window: Window | null): GraphResult {
  const query = parseCollectionQuery(req, 'event', 10);
  if (!query.ok) return query.error;
  const { options, applied } = renderOptionsOf(req);
  // Rendering is the expensive part: render an event once, and only when something reads it.
  const rendered = new Map<StoredEvent, Record<string, unknown>>();
  const render = (event: StoredEvent) => {
    let value = rendered.get(event);
    if (!value) rendered.set(event, (value = renderEvent(ctx.mailbox, event, options)));
    return value;
  };
  const matches = createFilterMatcher(query.value.filter);
  const matching = eventsIn(ctx.mailbox, calendar, window).filter((event) => matches(() => render(event), [...event.extended.values()]));
  const items = sortItems(matching, query.value.orderBy, render);
  const context = `users('${ctx.mailbox.upn}')/${window ? 'calendarView' : 'events'}`;
  const page = pageOf(req, ctx.baseUrl, query.value, items, context, (event) => shapeItem(render(event), [...event.extended.values()], query.value));
  return ok(200, page, headersFor(applied));
}
