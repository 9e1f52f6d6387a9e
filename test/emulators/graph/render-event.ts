import { calendarId, eventId } from './graph-store.ts';
import type { Mailbox, StoredCalendar, StoredEvent, StoredTime } from './graph-store.ts';
import type { IdKind } from './graph-ids.ts';
import type { ResolvedZone } from './graph-time-zones.ts';
import { formatGraphDateTime, formatGraphTimestamp, utcToLocalMs } from './graph-time-zones.ts';

/** How the caller asked to see items (from `Prefer` headers). */
export interface RenderOptions {
  readonly idKind: IdKind;
  /** `Prefer: outlook.timezone`; null = UTC. */
  readonly outputZone: ResolvedZone | null;
  /** `Prefer: outlook.body-content-type="text"`. */
  readonly textBody: boolean;
}

/**
 * The full v1.0 event as Graph returns it: start/end in UTC (7 fractional digits) or in the
 * preferred zone, HTML body wrapped by "Exchange", location mirrored into `locations`.
 * Extended properties are not included (they come only through `$expand`).
 */
export function renderEvent(mailbox: Mailbox, event: StoredEvent, options: RenderOptions): Record<string, unknown> {
  const f = event.fields;
  const location = renderLocation(f.location);
  const text = bodyAsText(event.body);
  const id = eventId(mailbox, event, options.idKind);
  return {
    '@odata.etag': `W/"${event.changeKey}"`,
    id,
    createdDateTime: formatGraphTimestamp(event.createdMs),
    lastModifiedDateTime: formatGraphTimestamp(event.modifiedMs),
    changeKey: event.changeKey,
    categories: f.categories ?? [],
    ...(event.transactionId !== null ? { transactionId: event.transactionId } : {}),
    originalStartTimeZone: event.start.timeZone,
    originalEndTimeZone: event.end.timeZone,
    iCalUId: event.iCalUId,
    reminderMinutesBeforeStart: f.reminderMinutesBeforeStart ?? 15,
    isReminderOn: f.isReminderOn ?? true,
    hasAttachments: false,
    subject: f.subject ?? '',
    bodyPreview: text.replace(/\s+/g, ' ').trim().slice(0, 255),
    importance: f.importance ?? 'normal',
    sensitivity: f.sensitivity ?? 'normal',
    isAllDay: f.isAllDay ?? false,
    isCancelled: false,
    isOrganizer: true,
    responseRequested: f.responseRequested ?? true,
    seriesMasterId: null,
    showAs: f.showAs ?? 'busy',
    type: 'singleInstance',
    webLink: `https://outlook.office365.com/owa/?itemid=${encodeURIComponent(id)}&exvsurl=1&path=/calendar/item`,
    onlineMeetingUrl: null,
    isOnlineMeeting: f.isOnlineMeeting ?? false,
    onlineMeetingProvider: f.onlineMeetingProvider ?? 'unknown',
    allowNewTimeProposals: f.allowNewTimeProposals ?? true,
    isDraft: false,
    hideAttendees: f.hideAttendees ?? false,
    responseStatus: { response: 'organizer', time: '0001-01-01T00:00:00Z' },
    body: options.textBody ? { contentType: 'text', content: text } : { contentType: 'html', content: bodyAsHtml(event.body) },
    start: renderTime(event.start, options.outputZone, f.isAllDay === true),
    end: renderTime(event.end, options.outputZone, f.isAllDay === true),
    location,
    locations: Array.isArray(f.locations) ? f.locations : location.displayName ? [location] : [],
    recurrence: null,
    attendees: renderAttendees(f.attendees),
    organizer: { emailAddress: { name: mailbox.upn.split('@')[0], address: mailbox.upn } },
    onlineMeeting: null,
  };
}

/**
 * Attendees as sent plus the response status Graph adds to each (no one has answered: the
 * emulator sends no meeting requests).
 */
function renderAttendees(value: unknown): unknown[] {
  if (!Array.isArray(value)) return [];
  return value.map((a: Record<string, unknown>) => ({
    type: a.type ?? 'required',
    status: { response: 'none', time: '0001-01-01T00:00:00Z' },
    emailAddress: a.emailAddress ?? {},
  }));
}

/** A calendar as Graph returns it. */
export function renderCalendar(mailbox: Mailbox, calendar: StoredCalendar): Record<string, unknown> {
  return {
    id: calendarId(mailbox, calendar),
    name: calendar.name,
    color: calendar.color,
    hexColor: calendar.hexColor,
    isDefaultCalendar: calendar.isDefault,
    changeKey: calendar.changeKey,
    canShare: true,
    canViewPrivateItems: true,
    canEdit: true,
    allowedOnlineMeetingProviders: ['teamsForBusiness'],
    defaultOnlineMeetingProvider: 'teamsForBusiness',
    isTallyingResponses: true,
    isRemovable: !calendar.isDefault,
    owner: { name: mailbox.upn.split('@')[0], address: mailbox.upn },
  };
}

function renderTime(time: StoredTime, zone: ResolvedZone | null, allDay: boolean): { dateTime: string; timeZone: string } {
  // All-day events float: their dates stay at midnight whatever zone the reader asks for.
  if (allDay) return { dateTime: formatGraphDateTime(utcToLocalMs(time.utcMs, time.iana)), timeZone: zone?.name ?? 'UTC' };
  if (!zone) return { dateTime: formatGraphDateTime(time.utcMs), timeZone: 'UTC' };
  return { dateTime: formatGraphDateTime(utcToLocalMs(time.utcMs, zone.iana)), timeZone: zone.name };
}

function renderLocation(value: unknown): Record<string, unknown> & { displayName: string } {
  const sent = (value ?? {}) as Record<string, unknown>;
  const displayName = typeof sent.displayName === 'string' ? sent.displayName : '';
  if (!displayName) return { displayName: '', locationType: 'default', uniqueIdType: 'unknown', address: {}, coordinates: {} };
  return {
    ...sent,
    displayName,
    locationType: sent.locationType ?? 'default',
    uniqueId: sent.uniqueId ?? displayName,
    uniqueIdType: sent.uniqueIdType ?? 'private',
  };
}

/** Exchange stores HTML wrapped in a full document; text bodies become escaped HTML. */
function bodyAsHtml(body: StoredEvent['body']): string {
  const inner = body.contentType === 'html' ? body.content : escapeHtml(body.content).replace(/\r?\n/g, '<br>\r\n');
  if (/<html[\s>]/i.test(inner)) return inner;
  return `<html>\r\n<head>\r\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\r\n</head>\r\n<body>\r\n${inner}\r\n</body>\r\n</html>\r\n`;
}

function bodyAsText(body: StoredEvent['body']): string {
  if (body.contentType === 'text') return body.content;
  return body.content
    .replace(/<br\s*\/?>/gi, '\r\n')
    .replace(/<\/(p|div|li|h\d)>/gi, '\r\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
