import { randomBytes } from 'node:crypto';
import { graphError, ok, queryOption, readPreference } from './graph-result.ts';
import type { GraphRequest, GraphResult } from './graph-result.ts';
import { formatId } from './graph-ids.ts';
import type { StoredCalendar } from './graph-store.ts';
import { eventsIn, readWindow, renderOptionsOf } from './event-routes.ts';
import type { Window } from './event-routes.ts';
import { renderEvent } from './render-event.ts';
import type { RouteContext } from './calendar-routes.ts';

/**
 * `GET …/calendarView/delta` (reference §1): the window only on the first call, then the
 * returned links as they are. Changed and new events come in full; events deleted, or changed
 * so that they left the window, come as `@removed` with reason `deleted`. Tokens live in memory;
 * an unknown or expired one is 410 SyncStateNotFound [unverified code]. No `$select`, `$expand`,
 * `$filter`, `$orderby`. Served for the primary calendar and for a named one.
 */

interface DeltaState {
  readonly mailbox: string;
  readonly calendarKey: string | null;
  readonly window: Window;
  /** event key → change key at the time the token was issued. */
  readonly seen: ReadonlyMap<string, string>;
}

interface PendingPages {
  readonly items: readonly unknown[];
  readonly offset: number;
  readonly pageSize: number;
  readonly next: DeltaState;
}

/** Token store of one emulator. */
export interface DeltaTokens {
  readonly states: Map<string, DeltaState>;
  readonly pages: Map<string, PendingPages>;
}

export function createDeltaTokens(): DeltaTokens {
  return { states: new Map(), pages: new Map() };
}

const UNSUPPORTED = ['$select', '$expand', '$filter', '$orderby', '$search', '$top'];

export function calendarViewDelta(ctx: RouteContext, req: GraphRequest, calendar: StoredCalendar | null, tokens: DeltaTokens): GraphResult {
  const unsupported = UNSUPPORTED.filter((name) => queryOption(req.query, name) !== undefined);
  if (unsupported.length > 0) {
    return graphError(400, 'ErrorInvalidUrlQuery', `The following parameters are not supported with change tracking over the 'CalendarView' resource: '${unsupported.join(', ')}'.`);
  }
  const gone = () => graphError(410, 'SyncStateNotFound', 'The sync state is missing or has expired; start again with a new startDateTime and endDateTime.');
  const calendarKey = calendar?.key ?? null;

  const skipToken = queryOption(req.query, '$skiptoken');
  if (skipToken !== undefined) {
    const pending = tokens.pages.get(skipToken);
    if (!pending || pending.next.mailbox !== ctx.mailbox.upn || pending.next.calendarKey !== calendarKey) return gone();
    tokens.pages.delete(skipToken);
    return respond(ctx, req, tokens, pending);
  }

  let previous: ReadonlyMap<string, string> = new Map();
  let window: Window;
  const deltaToken = queryOption(req.query, '$deltatoken');
  if (deltaToken !== undefined) {
    const state = tokens.states.get(deltaToken);
    if (!state || state.mailbox !== ctx.mailbox.upn || state.calendarKey !== calendarKey) return gone();
    previous = state.seen;
    window = state.window;
  } else {
    const read = readWindow(req);
    if ('status' in read) return read;
    window = read;
  }

  const { options } = renderOptionsOf(req);
  const current = eventsIn(ctx.mailbox, calendar, window);
  const items: unknown[] = current.filter((e) => previous.get(e.key) !== e.changeKey).map((e) => renderEvent(ctx.mailbox, e, options));
  const currentKeys = new Set(current.map((e) => e.key));
  for (const key of previous.keys()) {
    if (currentKeys.has(key)) continue;
    items.push({ '@odata.type': '#microsoft.graph.event', id: formatId(options.idKind, ctx.mailbox.tag, key), '@removed': { reason: 'deleted' } });
  }
  const preferred = Number(readPreference(req.headers, 'odata.maxpagesize') ?? NaN);
  const pageSize = Number.isInteger(preferred) && preferred > 0 ? Math.min(preferred, 1000) : 10;
  const next: DeltaState = { mailbox: ctx.mailbox.upn, calendarKey, window, seen: new Map(current.map((e) => [e.key, e.changeKey])) };
  return respond(ctx, req, tokens, { items, offset: 0, pageSize, next });
}

function respond(ctx: RouteContext, req: GraphRequest, tokens: DeltaTokens, pending: PendingPages): GraphResult {
  const value = pending.items.slice(pending.offset, pending.offset + pending.pageSize);
  const link = (name: string, token: string) => `${ctx.baseUrl}/v1.0/${req.segments.map(encodeURIComponent).join('/')}?${name}=${token}`;
  const body: Record<string, unknown> = { '@odata.context': `${ctx.baseUrl}/v1.0/$metadata#Collection(event)`, value };
  const token = randomBytes(18).toString('base64url');
  if (pending.offset + pending.pageSize < pending.items.length) {
    tokens.pages.set(token, { ...pending, offset: pending.offset + pending.pageSize });
    body['@odata.nextLink'] = link('$skiptoken', token);
  } else {
    tokens.states.set(token, pending.next);
    body['@odata.deltaLink'] = link('$deltatoken', token);
  }
  const applied = renderOptionsOf(req).applied;
  return ok(200, body, applied.length > 0 ? { 'preference-applied': applied.join(', ') } : {});
}
