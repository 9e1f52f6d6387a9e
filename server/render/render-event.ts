import type { CalendarEvent, DesiredEvent, EventAttendee, LocalDateTime, RecordKind, SkippedRecord, SkipReason, SourceRow } from '../domain/types.ts';
import { isEmptyOptimaDate } from '../source/optima/optima-date.ts';
import { truncateText } from './helpers.ts';
import { parseLocalDateTime } from './local-date-time.ts';
import type { ParsedLocal } from './local-date-time.ts';
import { describeMissingDate, describeRecord } from './record-label.ts';
import { computeRenderHash } from './render-hash.ts';
import { describeTemplateError, readTemplateError } from './templates.ts';
import type { CompiledTemplates, TemplatePart } from './templates.ts';
import { utcToZoned, zonedToUtc } from './time-zone.ts';
import type { LookRule } from '../config/schema.ts';
import { findLookRule, isDone, isDraft } from './look-rules.ts';
import { filterRecord, type LocalDate, type PlacedFilter } from './record-filter.ts';

/**
 * One source row → the event to send, or the reason it cannot be sent. Pure: no clock, no I/O;
 * every failure is a value naming the record and the fix.
 */

export type ShowAs = CalendarEvent['showAs'];

/** Free/busy per record state: drafts (bufor), completed (stanKod 2), everything else. */
export interface ShowAsRules {
  readonly draft: ShowAs;
  readonly completed: ShowAs;
  readonly other: ShowAs;
}

export const DEFAULT_SHOW_AS: ShowAsRules = { draft: 'tentative', completed: 'free', other: 'busy' };

/**
 * How a done service activity (SrY_Zakonczona) looks: `mark` keeps it, free, with a category and
 * a subject prefix, so the technician sees the day's history; `remove` takes it off the calendar.
 */
export interface DoneActivityLook {
  readonly mode: 'mark' | 'remove';
  readonly category: string;
  readonly subjectPrefix: string;
}

export const DEFAULT_DONE_ACTIVITY: DoneActivityLook = { mode: 'mark', category: 'Wykonane', subjectPrefix: '✔ ' };

/**
 * How closed and cancelled CRM tasks look (config `crm.closed`, `crm.cancelled`): closed ones are
 * kept and marked done by default; cancelled ones are removed by default (the built-in queries
 * leave them out of scope then, this is the second line).
 */
export interface CrmLooks {
  readonly closed: DoneActivityLook;
  readonly cancelled: DoneActivityLook;
}

export const DEFAULT_CRM_LOOKS: CrmLooks = {
  closed: { mode: 'mark', category: 'Zakończone', subjectPrefix: '✔ ' },
  cancelled: { mode: 'remove', category: 'Anulowane', subjectPrefix: '✖ ' },
};
export const DEFAULT_REMINDER_MINUTES = 15;
/** Four weeks: Outlook's longest reminder choice. */
export const MAX_REMINDER_MINUTES = 40_320;
/** Exchange's subject limit, counted in UTF-16 units. */
export const MAX_SUBJECT_LENGTH = 255;
export const MAX_LOCATION_LENGTH = 255;

export interface RenderContext {
  readonly compiled: CompiledTemplates;
  /** IANA zone the source's wall-clock times are in, e.g. Europe/Warsaw. */
  readonly timeZone: string;
  /** Length of an event whose record has no (later) end time. */
  readonly defaultDurationMinutes: number;
  /** Results of the admin's extra queries for this row, shown to templates as {{dodatkowe.<name>}}. */
  readonly extra?: Readonly<Record<string, unknown>>;
  /** Categories on every event (default "Optima Serwis" / "Optima CRM" by kind); the state label follows. */
  readonly categories?: readonly string[];
  /** Add the record's state label (fields.stan) as a category; default true. */
  readonly stateCategory?: boolean;
  readonly showAs?: Partial<ShowAsRules>;
  /** Minutes before start; null turns the reminder off. Default 15. */
  readonly reminderMinutes?: number | null;
  /** Done service activities (config `activities.done`); default DEFAULT_DONE_ACTIVITY. */
  readonly doneActivity?: DoneActivityLook;
  /** Closed and cancelled CRM tasks (config `crm`); default DEFAULT_CRM_LOOKS. */
  readonly crm?: CrmLooks;
  /** The admin's look rules per kind (config `looks`), before the built-in looks. */
  readonly looks?: Readonly<Partial<Record<RecordKind, readonly LookRule[]>>>;
  /** Which records reach calendars, per kind (config `filters`, a company's own over them). */
  readonly filters?: Readonly<Partial<Record<RecordKind, PlacedFilter>>>;
  /** Today in `timeZone` for the filters' date window; absent = no window (previews). */
  readonly today?: LocalDate;
  /** CRM participants with an e-mail become attendees (config `crm.participantsAsAttendees`). */
  readonly participantsAsAttendees?: boolean;
  /** List CRM participants in the body (config `crm.participantsInBody`); default true. */
  readonly participantsInBody?: boolean;
}

export type RenderResult = { readonly desired: DesiredEvent } | { readonly skip: SkippedRecord };

/** Renders one row for `mailbox` (null = nobody to send it to). */
export function renderEvent(row: SourceRow, mailbox: string | null, ctx: RenderContext): RenderResult {
  const skip = (reason: SkipReason, detail: string): RenderResult => ({ skip: { sourceKey: row.key, reason, detail } });
  const label = describeRecord(row);
  const custom = findLookRule(row, ctx.looks?.[row.kind]);
  if (custom?.rule.remove) {
    return skip('filtered', `${label} nie trafia do kalendarza: tak mówi reguła looks.${row.kind}[${custom.index}] (remove: true) — zmień regułę, by go pokazywać.`);
  }
  const builtin = isDoneActivity(row) ? (ctx.doneActivity ?? DEFAULT_DONE_ACTIVITY) : selectCrmLook(row, ctx.crm ?? DEFAULT_CRM_LOOKS);
  // The admin's matching rule wins over a built-in "remove" (it says how the record should look).
  const done = custom && builtin?.mode === 'remove' ? null : builtin;
  if (done?.mode === 'remove') {
    if (row.kind === 'serwis:czynnosc') {
      return skip('filtered', `${label} jest zakończona — nie ma jej w kalendarzu (activities.done: remove; ustaw mark, by ją pokazywać jako wykonaną).`);
    }
    const cancelled = row.fields.stan === 'anulowane';
    return skip('filtered', `${label} jest ${cancelled ? 'anulowane' : 'zamknięte'} — nie ma go w kalendarzu (crm.${cancelled ? 'cancelled' : 'closed'}: remove; ustaw mark, by je pokazywać jako ${cancelled ? 'anulowane' : 'zakończone'}).`);
  }

  if (isEmptyOptimaDate(row.start)) return skip('empty-date', `${label} ${describeMissingDate(row.kind)} — uzupełnij datę w Optimie.`);
  const start = row.start as LocalDateTime;
  const parsedStart = parseLocalDateTime(start);
  if (!parsedStart.ok) {
    return skip('impossible-date', `${label} ma niemożliwą datę „${start}” (${describeDateProblem(parsedStart)}) — popraw datę w Optimie.`);
  }

  // Before the mailbox and template checks: a record the admin filtered out (e.g. years old)
  // needs no mailbox, and warning that it has none would only be noise.
  const times = computeTimes(start, row.end, ctx);
  const filtered = filterRecord(row, ctx.filters?.[row.kind], { start: times.localStart, end: times.localEnd }, ctx.today ?? null);
  if (filtered !== null) return skip('filtered', `${label} nie trafia do kalendarza: ${filtered}.`);

  const target = (mailbox ?? '').trim().toLowerCase();
  if (target === '') {
    const who = row.owner === null ? 'nie ma prowadzącego' : `prowadzący (${row.owner.type} ${row.owner.id}) nie ma przypisanej skrzynki`;
    return skip('no-mailbox', `${label} nie trafi do kalendarza: ${who} — ustaw prowadzącego z adresem e-mail w Optimie albo dodaj mapowanie osoby na skrzynkę w konfiguracji.`);
  }

  const templates = ctx.compiled.kinds[row.kind];
  if (!templates) {
    return skip('template-error', `Brak szablonu dla rodzaju „${row.kind}” (${label}) — dodaj szablon w ustawieniach szablonów.`);
  }

  const context = {
    ...row.fields,
    // Read for attendees only (crm.participantsInBody: false): the body does not list them.
    ...(ctx.participantsInBody === false ? { uczestnicy: [] } : {}),
    kolumny: row.columns,
    columns: row.columns,
    dodatkowe: ctx.extra ?? {},
    extra: ctx.extra ?? {},
    klucz: row.key,
    poczatek: times.localStart,
    koniec: times.localEnd,
    strefa: ctx.timeZone,
  };

  const rendered: Partial<Record<TemplatePart, string>> = {};
  for (const part of ['subject', 'body', 'location'] as const) {
    try {
      rendered[part] = templates[part](context);
    } catch (e) {
      return skip('template-error', `${label}: ${describeTemplateError(readTemplateError(`${row.kind}.${part}`, e))}`);
    }
  }

  const ownSubject = toSingleLine(rendered.subject ?? '');
  // An empty subject shows as "(no subject)" in Outlook; the record's name is better.
  const rule = custom?.rule ?? null;
  const prefix = rule?.subjectPrefix ?? (done ? done.subjectPrefix : '');
  const subject = truncateText(`${prefix}${ownSubject === '' ? label : ownSubject}`, MAX_SUBJECT_LENGTH, 'utf16');
  const categories = dedupeCategories([...buildCategories(row, ctx), ...(done ? [done.category] : []), ...(rule?.category ? [rule.category] : [])]);
  const reminder = chooseReminder(row, times.localStart, ctx);
  const attendees = ctx.participantsAsAttendees && row.kind.startsWith('crm:') ? buildAttendees(row, target) : undefined;
  const event: CalendarEvent = {
    subject,
    bodyHtml: stripControlChars(rendered.body ?? ''),
    location: truncateText(toSingleLine(rendered.location ?? ''), MAX_LOCATION_LENGTH, 'utf16'),
    start: times.sendStart,
    end: times.sendEnd,
    timeZone: times.sendZone,
    showAs: rule?.showAs ?? (done ? 'free' : chooseShowAs(row, ctx.showAs ?? {})),
    categories,
    isReminderOn: reminder !== null,
    reminderMinutesBeforeStart: reminder ?? 0,
    // Absent for kinds without a priority, so their events hash as before; a CRM record always
    // sends one, so a priority taken back to none returns the event to normal.
    ...(row.importance || row.kind.startsWith('crm:') ? { importance: row.importance ?? 'normal' } : {}),
    ...(attendees ? { attendees } : {}),
  };
  return {
    desired: { sourceKey: row.key, mailbox: target, event, renderHash: computeRenderHash(event), sourceModifiedAt: row.modifiedAt },
  };
}

/**
 * Minutes before the start: Optima's own reminder time when the record has one (CRM, activities),
 * else the calendar's default; null = no reminder.
 */
function chooseReminder(row: SourceRow, localStart: LocalDateTime, ctx: RenderContext): number | null {
  if (row.reminderAt && !isEmptyOptimaDate(row.reminderAt) && parseLocalDateTime(row.reminderAt).ok) {
    const minutes = Math.round((zonedToUtc(localStart, ctx.timeZone).utc.getTime() - zonedToUtc(row.reminderAt, ctx.timeZone).utc.getTime()) / 60_000);
    // A reminder set after the start (Optima allows it) rings at the start.
    return Math.min(Math.max(0, minutes), MAX_REMINDER_MINUTES);
  }
  if (ctx.reminderMinutes === null) return null;
  return Math.max(0, Math.round(ctx.reminderMinutes ?? DEFAULT_REMINDER_MINUTES));
}

/** Participants with an e-mail, the calendar's owner left out (they are the organizer), each once. */
function buildAttendees(row: SourceRow, mailbox: string): readonly EventAttendee[] {
  const seen = new Set<string>([mailbox]);
  const out: EventAttendee[] = [];
  for (const p of row.participants ?? []) {
    const email = p.email?.trim().toLowerCase();
    if (!email || !email.includes('@') || seen.has(email)) continue;
    seen.add(email);
    out.push({ name: toSingleLine(p.name) || email, email });
  }
  return out;
}

interface EventTimes {
  readonly sendStart: LocalDateTime;
  readonly sendEnd: LocalDateTime;
  readonly sendZone: string;
  /** Start and end as wall clock in the configured zone (what templates show). */
  readonly localStart: LocalDateTime;
  readonly localEnd: LocalDateTime;
}

/**
 * Start and end as sent. The end is the record's end when it is after the start, else start +
 * default duration in real minutes (across a DST change too). A start in a spring-forward gap is
 * sent as the shifted wall time. When a time falls in the fall-back overlap, a wall time alone
 * cannot say which of the two instants is meant (Windows reads it as standard time), so that
 * event is sent in UTC, which pins the instant.
 */
function computeTimes(start: LocalDateTime, end: LocalDateTime | null, ctx: RenderContext): EventTimes {
  const zone = ctx.timeZone;
  const startAt = zonedToUtc(start, zone);
  const startMs = startAt.utc.getTime();
  let endMs: number | null = null;
  if (!isEmptyOptimaDate(end) && parseLocalDateTime(end as string).ok) {
    const candidate = zonedToUtc(end as string, zone).utc.getTime();
    if (candidate > startMs) endMs = candidate;
  }
  if (endMs === null) {
    // At least one minute: an event must never start and end at the same instant.
    const minutes = Number.isFinite(ctx.defaultDurationMinutes) ? Math.max(1, Math.round(ctx.defaultDurationMinutes)) : 60;
    endMs = startMs + minutes * 60_000;
  }
  const localStart = utcToZoned(new Date(startMs), zone);
  const localEnd = utcToZoned(new Date(endMs), zone);
  const ambiguous = startAt.adjusted === 'ambiguous' || zonedToUtc(localEnd, zone).adjusted === 'ambiguous';
  if (ambiguous) {
    return {
      sendStart: utcToZoned(new Date(startMs), 'UTC'),
      sendEnd: utcToZoned(new Date(endMs), 'UTC'),
      sendZone: 'UTC',
      localStart,
      localEnd,
    };
  }
  return { sendStart: localStart, sendEnd: localEnd, sendZone: zone, localStart, localEnd };
}

function describeDateProblem(parsed: Extract<ParsedLocal, { ok: false }>): string {
  switch (parsed.problem) {
    case 'format':
      return 'nieczytelny zapis daty';
    case 'out-of-range':
      return 'rok spoza zakresu 1900–2200';
    case 'no-such-day':
      return 'taki dzień nie istnieje';
    case 'no-such-time':
      return 'taka godzina nie istnieje';
  }
}

function chooseShowAs(row: SourceRow, rules: Partial<ShowAsRules>): ShowAs {
  if (isDraft(row)) return rules.draft ?? DEFAULT_SHOW_AS.draft;
  // A completed service order (state 2); done activities and closed CRM records have their own look.
  if (row.kind === 'serwis:zlecenie' && isDone(row)) return rules.completed ?? DEFAULT_SHOW_AS.completed;
  return rules.other ?? DEFAULT_SHOW_AS.other;
}

const DEFAULT_CATEGORY: Readonly<Record<RecordKind, string>> = {
  'serwis:zlecenie': 'Optima Serwis',
  'serwis:czynnosc': 'Optima Serwis',
  'crm:zadanie': 'Optima CRM',
  'crm:wystapienie': 'Optima CRM',
};

/** A service activity Optima marks as done (SrY_Zakonczona). */
function isDoneActivity(row: SourceRow): boolean {
  return row.kind === 'serwis:czynnosc' && isDone(row);
}

/** The look of a closed or cancelled CRM task; null for open ones and other kinds. */
function selectCrmLook(row: SourceRow, looks: CrmLooks): DoneActivityLook | null {
  if (row.kind !== 'crm:zadanie' && row.kind !== 'crm:wystapienie') return null;
  if (row.fields.stan === 'anulowane') return looks.cancelled;
  if (row.fields.stan === 'zamknięte') return looks.closed;
  return null;
}

function buildCategories(row: SourceRow, ctx: RenderContext): readonly string[] {
  const names = [...(ctx.categories ?? [DEFAULT_CATEGORY[row.kind]])];
  // A CRM task's state (otwarte/zamknięte/anulowane) shows through its look (crm.closed/cancelled), not as a category of its own.
  if (ctx.stateCategory !== false && !row.kind.startsWith('crm:') && typeof row.fields.stan === 'string') names.push(row.fields.stan);
  return dedupeCategories(names);
}

function dedupeCategories(names: readonly string[]): readonly string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of names) {
    // Outlook treats category names case-insensitively and splits on commas.
    const name = toSingleLine(String(raw)).replace(/,/g, ' ').trim();
    if (name === '' || seen.has(name.toLowerCase())) continue;
    seen.add(name.toLowerCase());
    out.push(name);
  }
  return out;
}

/** One line of text: line breaks and tabs become spaces, other control characters go, runs of spaces shrink. */
function toSingleLine(text: string): string {
  return text
    .replace(/\r\n|[\r\n\t\v\f\u0085\u2028\u2029]/g, ' ')
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '')
    .replace(/ {2,}/g, ' ')
    .trim();
}

/** HTML may keep line breaks and tabs; other control characters are invalid in it and go. */
function stripControlChars(html: string): string {
  return html.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, '');
}
