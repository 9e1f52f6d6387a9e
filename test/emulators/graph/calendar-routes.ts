import { graphError, ok } from './graph-result.ts';
import type { GraphRequest, GraphResult } from './graph-result.ts';
import { calendarId, newCalendar, removeEvent } from './graph-store.ts';
import type { Mailbox, StoredCalendar } from './graph-store.ts';
import { createFilterMatcher, pageOf, parseCollectionQuery, parseItemQuery, shapeItem } from './graph-query.ts';
import { renderCalendar } from './render-event.ts';
import { validateBody } from './validate-body.ts';
import { newChangeKey } from './graph-ids.ts';

/** What every route handler receives. */
export interface RouteContext {
  readonly mailbox: Mailbox;
  /** `https://localhost:PORT`, for absolute links. */
  readonly baseUrl: string;
  readonly now: number;
}

const CALENDAR_COLORS = new Set(['auto', 'lightBlue', 'lightGreen', 'lightOrange', 'lightGray', 'lightYellow', 'lightTeal', 'lightPink', 'lightBrown', 'lightRed', 'maxColor']);

/** `GET /users/{u}/calendars` with `$filter=name eq '…'`, `$select`, `$top`. */
export function listCalendars(ctx: RouteContext, req: GraphRequest): GraphResult {
  const query = parseCollectionQuery(req, 'calendar', 10);
  if (!query.ok) return query.error;
  const matches = createFilterMatcher(query.value.filter);
  const items = [...ctx.mailbox.calendars.values()].map((calendar) => renderCalendar(ctx.mailbox, calendar)).filter((rendered) => matches(() => rendered, []));
  return ok(200, pageOf(req, ctx.baseUrl, query.value, items, `users('${ctx.mailbox.upn}')/calendars`, (rendered) => shapeItem(rendered, [], query.value)));
}

/** `POST /users/{u}/calendars` → 201; a name already used (any case) → 409 ErrorFolderExists. */
export function createCalendar(ctx: RouteContext, req: GraphRequest): GraphResult {
  const check = validateBody('calendar', req.body);
  if (!check.ok) return graphError(400, 'RequestBodyRead', check.message);
  const body = req.body as { name?: string; color?: string };
  const name = body.name?.trim();
  if (!name) return graphError(400, 'ErrorInvalidParameter', 'The calendar name must not be empty.');
  if (findByName(ctx.mailbox, name)) return graphError(409, 'ErrorFolderExists', 'A folder with the specified name already exists.');
  const color = body.color && CALENDAR_COLORS.has(body.color) ? body.color : 'auto';
  const calendar = newCalendar(name, false, color);
  ctx.mailbox.calendars.set(calendar.key, calendar);
  const rendered = renderCalendar(ctx.mailbox, calendar);
  return ok(201, { '@odata.context': `${ctx.baseUrl}/v1.0/$metadata#users('${ctx.mailbox.upn}')/calendars/$entity`, ...rendered }, {
    location: `${ctx.baseUrl}/v1.0/users/${encodeURIComponent(ctx.mailbox.upn)}/calendars/${encodeURIComponent(calendarId(ctx.mailbox, calendar))}`,
  });
}

/** `GET /users/{u}/calendars/{id}` or `/calendar`. */
export function getCalendar(ctx: RouteContext, req: GraphRequest, calendar: StoredCalendar): GraphResult {
  const query = parseItemQuery(req, 'calendar');
  if (!query.ok) return query.error;
  return ok(200, shapeItem(renderCalendar(ctx.mailbox, calendar), [], query.value));
}

/** `PATCH /users/{u}/calendars/{id}`: rename or recolour. */
export function updateCalendar(ctx: RouteContext, req: GraphRequest, calendar: StoredCalendar): GraphResult {
  const check = validateBody('calendar', req.body);
  if (!check.ok) return graphError(400, 'RequestBodyRead', check.message);
  const body = req.body as { name?: string; color?: string };
  const name = body.name === undefined ? calendar.name : body.name.trim();
  if (!name) return graphError(400, 'ErrorInvalidParameter', 'The calendar name must not be empty.');
  const clash = findByName(ctx.mailbox, name);
  if (clash && clash.key !== calendar.key) return graphError(409, 'ErrorFolderExists', 'A folder with the specified name already exists.');
  const updated: StoredCalendar = { ...calendar, name, color: body.color ?? calendar.color, changeKey: newChangeKey() };
  ctx.mailbox.calendars.set(calendar.key, updated);
  return ok(200, renderCalendar(ctx.mailbox, updated));
}

/** `DELETE /users/{u}/calendars/{id}` with its events; the default calendar cannot go. */
export function deleteCalendar(ctx: RouteContext, calendar: StoredCalendar): GraphResult {
  if (calendar.isDefault) return graphError(400, 'ErrorDeleteDistinguishedFolder', 'Distinguished folders cannot be deleted.');
  for (const event of [...ctx.mailbox.events.values()]) if (event.calendarKey === calendar.key) removeEvent(ctx.mailbox, event.key);
  ctx.mailbox.calendars.delete(calendar.key);
  return ok(204, null);
}

function findByName(mailbox: Mailbox, name: string): StoredCalendar | null {
  const lower = name.toLowerCase();
  for (const calendar of mailbox.calendars.values()) if (calendar.name.toLowerCase() === lower) return calendar;
  return null;
}
