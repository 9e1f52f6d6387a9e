import { newChangeKey, newICalUId, newKey } from './graph-ids.ts';
import { graphError } from './graph-result.ts';
import type { GraphResult } from './graph-result.ts';
import type { ExtendedProperty, StoredEvent, StoredTime } from './graph-store.ts';
import { localToUtcMs, parseGraphDateTime, resolveTimeZone, utcToLocalMs } from './graph-time-zones.ts';
import { canonicalPropertyId, propertyKey } from './extended-property-id.ts';
import { validateBody } from './validate-body.ts';

/**
 * Turns a create or PATCH body into the next stored event, or into the error Graph would give.
 * PATCH replaces each property sent, complex ones (start, location, body) as a whole; extended
 * properties are upserted by id. Server-managed properties sent by a client are ignored.
 */

const SERVER_MANAGED = new Set([
  'id', 'changeKey', 'createdDateTime', 'lastModifiedDateTime', 'iCalUId', 'webLink', 'bodyPreview', 'hasAttachments',
  'isOrganizer', 'isCancelled', 'seriesMasterId', 'type', 'originalStart', 'originalStartTimeZone', 'originalEndTimeZone',
  'responseStatus', 'organizer', 'onlineMeeting', 'onlineMeetingUrl', 'cancelledOccurrences', 'isDraft',
]);

export type WriteOutcome = { readonly ok: true; readonly event: StoredEvent } | { readonly ok: false; readonly error: GraphResult };

/** Builds the event a create (`existing` null) or an update would store. */
export function writeEvent(body: unknown, existing: StoredEvent | null, calendarKey: string, now: number): WriteOutcome {
  const check = validateBody('event', body);
  if (!check.ok) return fail(graphError(400, 'RequestBodyRead', check.message));
  const input = body as Record<string, unknown>;
  if ('multiValueExtendedProperties' in input) {
    return fail(graphError(400, 'ErrorInvalidRequest', 'The emulator does not support multiValueExtendedProperties; use singleValueExtendedProperties.'));
  }
  if ('recurrence' in input && input.recurrence !== null) {
    return fail(graphError(400, 'ErrorInvalidRequest', 'The emulator supports single events only (no recurrence).'));
  }
  const fields: Record<string, unknown> = { ...(existing?.fields ?? {}) };
  for (const [name, value] of Object.entries(input)) {
    if (name.startsWith('@odata.') || SERVER_MANAGED.has(name)) continue;
    if (['start', 'end', 'body', 'singleValueExtendedProperties', 'transactionId'].includes(name)) continue;
    fields[name] = value;
  }

  let transactionId = existing?.transactionId ?? null;
  if ('transactionId' in input) {
    const sent = input.transactionId as string | null;
    if (existing && sent !== existing.transactionId) {
      return fail(graphError(400, 'ErrorInvalidRequest', 'The transactionId of an event cannot be changed after it is created.'));
    }
    transactionId = sent;
  }

  const start = 'start' in input ? readTime(input.start, 'start') : existing ? { ok: true as const, time: existing.start } : null;
  const end = 'end' in input ? readTime(input.end, 'end') : existing ? { ok: true as const, time: existing.end } : null;
  if (!start || !end) return fail(graphError(400, 'ErrorPropertyValidationFailure', 'An event needs both start and end.'));
  if (!start.ok) return fail(start.error);
  if (!end.ok) return fail(end.error);
  if (end.time.utcMs < start.time.utcMs) {
    return fail(graphError(400, 'ErrorCalendarEndDateIsEarlierThanStartDate', 'The end date occurs before the start date.'));
  }
  if (fields.isAllDay === true && !isAllDayShape(start.time, end.time)) {
    return fail(
      graphError(
        400,
        'ErrorPropertyValidationFailure',
        'When isAllDay is true, start and end must be at midnight in the same time zone and at least one day apart.',
      ),
    );
  }

  let bodyValue = existing?.body ?? { contentType: 'text' as const, content: '' };
  if ('body' in input) {
    const sent = (input.body ?? {}) as { contentType?: string; content?: string | null };
    bodyValue = { contentType: sent.contentType?.toLowerCase() === 'html' ? 'html' : 'text', content: sent.content ?? '' };
  }

  const extended = new Map<string, ExtendedProperty>(existing?.extended ?? []);
  for (const item of (input.singleValueExtendedProperties ?? []) as Array<{ id?: string; value?: string }>) {
    const id = item.id === undefined ? null : canonicalPropertyId(item.id);
    if (!id || item.value === undefined) {
      return fail(graphError(400, 'ErrorInvalidProperty', `The extended property id '${item.id ?? ''}' is not valid; use '{type} {guid} Name {name}'.`));
    }
    extended.set(propertyKey(id), { id, value: item.value });
  }

  return {
    ok: true,
    event: {
      key: existing?.key ?? newKey(),
      calendarKey: existing?.calendarKey ?? calendarKey,
      fields,
      body: bodyValue,
      start: start.time,
      end: end.time,
      extended,
      transactionId,
      changeKey: newChangeKey(),
      createdMs: existing?.createdMs ?? now,
      modifiedMs: now,
      iCalUId: existing?.iCalUId ?? newICalUId(),
    },
  };
}

type TimeRead = { readonly ok: true; readonly time: StoredTime } | { readonly ok: false; readonly error: GraphResult };

function readTime(value: unknown, which: 'start' | 'end'): TimeRead | null {
  if (value === null || value === undefined) return null;
  const { dateTime, timeZone } = value as { dateTime: string; timeZone?: string | null };
  const zoneName = timeZone ?? 'UTC';
  const zone = resolveTimeZone(zoneName);
  if (!zone) {
    return {
      ok: false,
      error: graphError(400, 'TimeZoneNotSupportedException', `A valid TimeZone value must be specified. The following TimeZone value is not supported: '${zoneName}'.`),
    };
  }
  const parsed = parseGraphDateTime(dateTime);
  if (!parsed) return { ok: false, error: graphError(400, 'UnableToDeserializePostBody', `were unable to deserialize ${which}.dateTime '${dateTime}'`) };
  // An offset written in the value wins over the zone (the real rule is undocumented).
  const utcMs = parsed.explicitOffsetMs !== null ? parsed.localAsUtcMs - parsed.explicitOffsetMs : localToUtcMs(parsed.localAsUtcMs, zone.iana);
  return { ok: true, time: { dateTime, timeZone: zoneName, iana: zone.iana, utcMs } };
}

function isAllDayShape(start: StoredTime, end: StoredTime): boolean {
  const midnight = (t: StoredTime) => utcToLocalMs(t.utcMs, t.iana) % 86_400_000 === 0;
  return start.iana === end.iana && midnight(start) && midnight(end) && end.utcMs > start.utcMs;
}

function fail(error: GraphResult): WriteOutcome {
  return { ok: false, error };
}
