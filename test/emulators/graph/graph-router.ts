import { graphError, ok } from './graph-result.ts';
import type { GraphRequest, GraphResult } from './graph-result.ts';
import { defaultCalendar, lookupCalendar } from './graph-store.ts';
import type { StoredCalendar } from './graph-store.ts';
import { createCalendar, deleteCalendar, getCalendar, listCalendars, updateCalendar } from './calendar-routes.ts';
import type { RouteContext } from './calendar-routes.ts';
import { calendarView, createEvent, deleteEvent, findEvent, getEvent, listEvents, updateEvent } from './event-routes.ts';
import { calendarViewDelta } from './calendar-view-delta.ts';
import type { DeltaTokens } from './calendar-view-delta.ts';
import { translateExchangeIds } from './translate-ids.ts';
import { routeMasterCategories } from './master-category-routes.ts';

/**
 * Dispatches a request on one mailbox. `rest` = the path after `/users/{user}` (or `/me`),
 * matched ignoring case as Graph does.
 */
export function routeMailboxRequest(ctx: RouteContext, req: GraphRequest, rest: readonly string[], tokens: DeltaTokens): GraphResult {
  const path = rest.map((s, i) => (isIdPosition(rest, i) ? s : s.toLowerCase()));
  const method = req.method.toUpperCase();
  const [first, second] = path;
  const notAllowed = () => graphError(405, 'BadRequest', 'Specified HTTP method is not allowed for the request target.');

  if (path.length === 0) {
    if (method !== 'GET') return notAllowed();
    const upn = ctx.mailbox.upn;
    return ok(200, { id: ctx.mailbox.objectId, userPrincipalName: upn, mail: upn, displayName: upn.split('@')[0] });
  }
  if (first === 'translateexchangeids' && path.length === 1) return method === 'POST' ? translateExchangeIds(ctx, req) : notAllowed();
  if (first === 'calendars' && path.length === 1) {
    if (method === 'GET') return listCalendars(ctx, req);
    if (method === 'POST') return createCalendar(ctx, req);
    return notAllowed();
  }
  if (first === 'outlook' && second === 'mastercategories') return routeMasterCategories(ctx, req, method, path.slice(2));
  if (first === 'events') return routeEvents(ctx, req, method, null, path.slice(1));
  if (first === 'calendarview') return routeView(ctx, req, method, null, path.slice(1), tokens);

  let calendar: StoredCalendar;
  let after: readonly string[];
  if (first === 'calendar') {
    calendar = defaultCalendar(ctx.mailbox);
    after = path.slice(1);
  } else if (first === 'calendars' && second !== undefined) {
    const lookup = lookupCalendar(ctx.mailbox, second);
    if ('error' in lookup) {
      return lookup.error === 'malformed' ? graphError(400, 'ErrorInvalidIdMalformed', 'Id is malformed.') : graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    }
    calendar = lookup.found;
    after = path.slice(2);
  } else {
    return unknownSegment(first ?? '');
  }
  if (after.length === 0) {
    if (method === 'GET') return getCalendar(ctx, req, calendar);
    if (method === 'PATCH' && first === 'calendars') return updateCalendar(ctx, req, calendar);
    if (method === 'DELETE' && first === 'calendars') return deleteCalendar(ctx, calendar);
    return notAllowed();
  }
  if (after[0] === 'events') return routeEvents(ctx, req, method, calendar, after.slice(1));
  if (after[0] === 'calendarview') return routeView(ctx, req, method, calendar, after.slice(1), tokens);
  return unknownSegment(after[0]);
}

function routeEvents(ctx: RouteContext, req: GraphRequest, method: string, calendar: StoredCalendar | null, rest: readonly string[]): GraphResult {
  const notAllowed = () => graphError(405, 'BadRequest', 'Specified HTTP method is not allowed for the request target.');
  if (rest.length === 0) {
    if (method === 'GET') return listEvents(ctx, req, calendar);
    if (method === 'POST') return createEvent(ctx, req, calendar ?? defaultCalendar(ctx.mailbox));
    return notAllowed();
  }
  const found = findEvent(ctx.mailbox, rest[0], calendar);
  if ('status' in found) return found;
  if (rest.length === 1) {
    if (method === 'GET') return getEvent(ctx, req, found);
    if (method === 'PATCH') return updateEvent(ctx, req, found);
    if (method === 'DELETE') return deleteEvent(ctx, req, found);
    return notAllowed();
  }
  if (rest.length === 2 && rest[1] === 'permanentdelete') return method === 'POST' ? deleteEvent(ctx, req, found) : notAllowed();
  return unknownSegment(rest[1]);
}

function routeView(ctx: RouteContext, req: GraphRequest, method: string, calendar: StoredCalendar | null, rest: readonly string[], tokens: DeltaTokens): GraphResult {
  if (method !== 'GET') return graphError(405, 'BadRequest', 'Specified HTTP method is not allowed for the request target.');
  if (rest.length === 0) return calendarView(ctx, req, calendar);
  if (rest.length === 1 && rest[0] === 'delta') return calendarViewDelta(ctx, req, calendar, tokens);
  return unknownSegment(rest[0]);
}

/** Ids keep their case; route words do not. */
function isIdPosition(rest: readonly string[], index: number): boolean {
  const previous = rest[index - 1]?.toLowerCase();
  return previous === 'calendars' || previous === 'events';
}

export function unknownSegment(segment: string): GraphResult {
  return graphError(400, 'BadRequest', `Resource not found for the segment '${segment}'.`);
}
