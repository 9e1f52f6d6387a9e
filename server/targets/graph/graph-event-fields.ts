import type { CalendarEvent, SourceKey } from '../../domain/types.ts';
import type { RemoteEvent } from '../calendar-target.ts';
import { ADDIN_ID } from '../../addin/render-manifest.ts';

/**
 * The source-key stamp: a single-value extended property (reference/graph-calendar.md §4) in this
 * project's own property set. The GUID is fixed forever: changing it would orphan every stamped
 * event in every calendar.
 */
export const STAMP_PROPERTY_ID = 'String {d9524fd2-172a-48de-a060-854060337e55} Name OptimaSourceKey';

/**
 * The Outlook add-in's custom properties (reference/graph-calendar.md §4): Office.js keeps every
 * `CustomProperties` value of the add-in as ONE JSON string in the named property `cecp-<add-in
 * Id>` of PS_PUBLIC_STRINGS. Writing it on every event lets the taskpane read the source key with
 * `loadCustomPropertiesAsync` → `get('sourceKey')`, without asking the server to translate the
 * event's id. The GUID of the add-in is written in lower case, as in the manifest and the docs.
 * The stamp above stays the property the server searches by: this one is for the add-in only.
 */
export const ADDIN_CUSTOM_PROPERTIES_ID = `String {00020329-0000-0000-C000-000000000046} Name cecp-${ADDIN_ID.toLowerCase()}`;

/** Key inside the add-in's custom properties that holds the source key (addin/office/read-selected-item.ts reads it). */
export const ADDIN_SOURCE_KEY_PROPERTY = 'sourceKey';

/** The value of the add-in's custom-properties property: `{"sourceKey":"<key>"}` as a JSON string. */
export function toAddinCustomProperties(sourceKey: SourceKey): string {
  return JSON.stringify({ [ADDIN_SOURCE_KEY_PROPERTY]: sourceKey });
}

/** Extended properties every synced event carries: the stamp and the add-in's custom properties. */
export function toGraphExtendedProperties(sourceKey: SourceKey): Array<{ id: string; value: string }> {
  return [
    { id: STAMP_PROPERTY_ID, value: sourceKey },
    { id: ADDIN_CUSTOM_PROPERTIES_ID, value: toAddinCustomProperties(sourceKey) },
  ];
}

/** Fields read back for a stamped event: enough for a `RemoteEvent`, nothing more. */
export const REMOTE_EVENT_SELECT = 'id,changeKey,subject,start,end';

/** `$expand` clause that brings the stamp (and only the stamp) along with each event. */
export const STAMP_EXPAND = `singleValueExtendedProperties($filter=id eq ${quoteODataString(STAMP_PROPERTY_ID)})`;

/** A string literal for an OData `$filter`: single quotes, `'` doubled inside. */
export function quoteODataString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * The event fields written on create (`purpose: 'create'`) and on update (Graph property names, §2).
 * `importance` and `attendees` go out only when the event has them, so an event that never had
 * them produces the same request as before they existed. An empty attendee list is sent on update
 * only: it removes attendees an earlier write added (a create without attendees has none anyway).
 */
export function toGraphEventFields(event: CalendarEvent, purpose: 'create' | 'update'): Record<string, unknown> {
  const attendees = event.attendees;
  return {
    subject: event.subject,
    body: { contentType: 'html', content: event.bodyHtml },
    start: { dateTime: event.start, timeZone: event.timeZone },
    end: { dateTime: event.end, timeZone: event.timeZone },
    location: { displayName: event.location },
    showAs: event.showAs,
    categories: [...event.categories],
    isReminderOn: event.isReminderOn,
    reminderMinutesBeforeStart: event.reminderMinutesBeforeStart,
    ...(event.importance !== undefined ? { importance: event.importance } : {}),
    ...(attendees !== undefined && (attendees.length > 0 || purpose === 'update')
      ? { attendees: attendees.map((a) => ({ emailAddress: { name: a.name, address: a.email }, type: 'required' })) }
      : {}),
  };
}

/** Body of the create request: the fields, the idempotency key, the stamp and the add-in's custom properties. */
export function toGraphCreateBody(event: CalendarEvent, sourceKey: SourceKey, transactionId: string): Record<string, unknown> {
  return {
    ...toGraphEventFields(event, 'create'),
    transactionId,
    singleValueExtendedProperties: toGraphExtendedProperties(sourceKey),
  };
}

interface GraphDateTime {
  readonly dateTime?: unknown;
  readonly timeZone?: unknown;
}

/**
 * Reads a Graph event (requested with `Prefer: outlook.timezone="UTC"`) into a `RemoteEvent`.
 * `knownSourceKey` is used when the response carries no stamp (create/PATCH responses do not
 * expand extended properties).
 */
export function toRemoteEvent(json: Record<string, unknown>, knownSourceKey: SourceKey | null): RemoteEvent {
  return {
    remoteId: String(json.id),
    changeKey: typeof json.changeKey === 'string' ? json.changeKey : null,
    sourceKey: readStamp(json) ?? knownSourceKey,
    subject: typeof json.subject === 'string' ? json.subject : '',
    startUtc: toUtcIso(json.start as GraphDateTime | undefined),
    endUtc: toUtcIso(json.end as GraphDateTime | undefined),
  };
}

function readStamp(json: Record<string, unknown>): string | null {
  const props = json.singleValueExtendedProperties;
  if (!Array.isArray(props)) return null;
  for (const p of props as { id?: unknown; value?: unknown }[]) {
    if (typeof p.id === 'string' && p.id.toLowerCase() === STAMP_PROPERTY_ID.toLowerCase() && typeof p.value === 'string') return p.value;
  }
  return null;
}

/**
 * Graph answers `{"dateTime":"2026-03-29T08:00:00.0000000","timeZone":"UTC"}`; we return
 * `2026-03-29T08:00:00.000Z`. A zone other than UTC means the Prefer header was lost: refuse
 * rather than silently shift times.
 */
function toUtcIso(value: GraphDateTime | undefined): string {
  const dateTime = typeof value?.dateTime === 'string' ? value.dateTime : '';
  const zone = typeof value?.timeZone === 'string' ? value.timeZone : 'UTC';
  if (!/^(UTC|Etc\/UTC|Etc\/GMT|Coordinated Universal Time)$/i.test(zone)) {
    throw new Error(`Graph returned a time in zone "${zone}" although UTC was requested`);
  }
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z)?$/.exec(dateTime);
  if (!match) throw new Error(`Graph returned an unreadable time "${dateTime}"`);
  const millis = (match[2] ?? '.000').slice(1, 4).padEnd(3, '0');
  return `${match[1]}.${millis}Z`;
}
