/**
 * Domain vocabulary shared by every layer. Defined once here, used everywhere:
 *
 * - **source key**: stable id of a source row, `<kind>:<id>`, e.g. `serwis:zlecenie:1234`.
 * - **remote id**: the calendar's immutable event id (Graph `Prefer: IdType="ImmutableId"`).
 * - **change key**: the calendar's version tag of an event (Graph `changeKey`).
 * - **render hash**: stable hash of what we send for one event (subject, body, times, ...).
 * - **mailbox**: the calendar owner (UPN / e-mail address), always lower case.
 * - **link**: one source key ↔ one remote event, kept in the state store.
 */

/**
 * Kinds of Optima records that become events: service orders (SrsZlecenia), service activities
 * (SrsCzynnosci), CRM tasks and contacts (CRMKontakty) and the materialized occurrences of
 * recurring CRM tasks (CrmKontaktyCykl, one event each).
 */
export type RecordKind = 'serwis:zlecenie' | 'serwis:czynnosc' | 'crm:zadanie' | 'crm:wystapienie';

export type SourceKey = string;

/** Optima's person codes used in every "who" column: 3 = employee (PracKod), 8 = operator. */
export type PersonType = 'pracownik' | 'operator';

export interface PersonRef {
  readonly type: PersonType;
  readonly id: number;
}

/**
 * Local wall-clock time as Optima stores it, `YYYY-MM-DDTHH:mm:ss` (no zone). Interpreted in the
 * configured time zone (Europe/Warsaw by default).
 */
export type LocalDateTime = string;

/**
 * One source record, normalised by the source adapter. Optima column names stay inside
 * `source/optima/`; templates see `fields` (friendly names) and `columns` (raw row).
 */
export interface SourceRow {
  readonly key: SourceKey;
  readonly kind: RecordKind;
  readonly id: number;
  /** Full-precision modification stamp (`YYYY-MM-DD HH:mm:ss.SSS`), the watermark column. */
  readonly modifiedAt: string;
  /** Candidate start times in order of preference; the first valid one wins. Null = empty. */
  readonly start: LocalDateTime | null;
  readonly end: LocalDateTime | null;
  /** Who leads / owns it; null when nobody is set. */
  readonly owner: PersonRef | null;
  /** Template variables (friendly Polish names), e.g. numer, klient, adres, opis, stan, etap. */
  readonly fields: Readonly<Record<string, unknown>>;
  /** The raw row as the query returned it (for `{{kolumny.SrZ_...}}` in templates). */
  readonly columns: Readonly<Record<string, unknown>>;
  /**
   * Optima's own reminder for this record (CRK_/CrC_/SrY_CzasPrzypomnienia when its flag is on),
   * local wall clock; null or absent = Optima sets none, the calendar's default reminder applies.
   */
  readonly reminderAt?: LocalDateTime | null;
  /** Importance in Outlook (CRM priority); absent = not set (Outlook shows normal). */
  readonly importance?: EventImportance;
  /** People taking part (CRM participants, CrmUczestnicy), for the body and, per config, attendees. */
  readonly participants?: readonly Participant[];
}

export type EventImportance = 'low' | 'normal' | 'high';

/** One participant of a CRM task (CDN.CrmUczestnicy). */
export interface Participant {
  readonly name: string;
  /** Lower case; null when Optima has none (such a participant is only listed, never invited). */
  readonly email: string | null;
  readonly organizer: boolean;
}

/** What the sync sends to a calendar for one record. Times are local to `timeZone`. */
export interface CalendarEvent {
  readonly subject: string;
  readonly bodyHtml: string;
  readonly location: string;
  readonly start: LocalDateTime;
  readonly end: LocalDateTime;
  /** IANA zone the local times are in, e.g. `Europe/Warsaw`. */
  readonly timeZone: string;
  readonly showAs: 'free' | 'tentative' | 'busy' | 'oof' | 'workingElsewhere';
  readonly categories: readonly string[];
  readonly isReminderOn: boolean;
  readonly reminderMinutesBeforeStart: number;
  /** Absent = not sent (Outlook's default, normal); kept out of the render hash of older events that way. */
  readonly importance?: EventImportance;
  /**
   * Absent or empty = no attendees (the default: Graph sends invitations to attendees, so they are
   * added only when the admin turns `crm.participantsAsAttendees` on).
   */
  readonly attendees?: readonly EventAttendee[];
}

export interface EventAttendee {
  readonly name: string;
  /** Lower case. */
  readonly email: string;
}

/** A rendered record ready to be planned: where it should be and what it should look like. */
export interface DesiredEvent {
  readonly sourceKey: SourceKey;
  readonly mailbox: string;
  readonly event: CalendarEvent;
  readonly renderHash: string;
  readonly sourceModifiedAt: string;
}

/** A record that cannot become an event this run, with an operator sentence why. */
export interface SkippedRecord {
  readonly sourceKey: SourceKey;
  readonly reason: SkipReason;
  readonly detail: string;
}

export type SkipReason =
  | 'empty-date'
  | 'impossible-date'
  | 'no-mailbox'
  | 'template-error'
  | 'query-error'
  | 'filtered';

/** One stored link: source key ↔ remote event. */
export interface Link {
  readonly sourceKey: SourceKey;
  readonly mailbox: string;
  readonly calendarId: string;
  readonly remoteId: string;
  readonly changeKey: string | null;
  readonly renderHash: string;
  readonly sourceModifiedAt: string;
  readonly updatedAt: string;
}

export type SyncAction =
  | { readonly type: 'create'; readonly sourceKey: SourceKey; readonly desired: DesiredEvent; readonly reason: string }
  | { readonly type: 'update'; readonly sourceKey: SourceKey; readonly desired: DesiredEvent; readonly link: Link; readonly reason: string }
  | { readonly type: 'move'; readonly sourceKey: SourceKey; readonly desired: DesiredEvent; readonly link: Link; readonly reason: string }
  | { readonly type: 'delete'; readonly sourceKey: SourceKey; readonly link: Link; readonly reason: string }
  | { readonly type: 'skip'; readonly sourceKey: SourceKey; readonly reason: string; readonly skip?: SkippedRecord }
  | { readonly type: 'conflict'; readonly sourceKey: SourceKey; readonly reason: string; readonly link?: Link };

export type SyncActionType = SyncAction['type'];

/** Why a whole plan was held by a guard instead of applied. */
export interface HeldPlan {
  readonly guard: 'empty-source' | 'mass-delete';
  readonly message: string;
  /** The stream held (`<kind>` or `<company>/<kind>`): what an approval names. */
  readonly stream?: string;
  readonly deletions: number;
  readonly links: number;
  readonly threshold: number;
}

export interface SyncPlan {
  readonly actions: readonly SyncAction[];
  /** Linked records whose render hash did not move: no write. */
  readonly unchanged: number;
  /** Set when a guard held the plan: nothing is applied until approved. */
  readonly held: HeldPlan | null;
}

export interface ItemFailure {
  readonly sourceKey: SourceKey;
  readonly action: SyncActionType;
  readonly mailbox: string | null;
  readonly transient: boolean;
  readonly message: string;
}

export interface RunReport {
  readonly runId: string;
  readonly mode: 'incremental' | 'full' | 'single';
  readonly dryRun: boolean;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly planned: Readonly<Record<SyncActionType, number>>;
  readonly created: number;
  readonly updated: number;
  readonly moved: number;
  readonly deleted: number;
  readonly skipped: number;
  readonly failed: number;
  readonly held: HeldPlan | null;
  readonly failures: readonly ItemFailure[];
  readonly skips: readonly SkippedRecord[];
  readonly sourceQueries: number;
  readonly sourceRowsRead: number;
  readonly graphRequests: number;
  readonly durationsMs: Readonly<Record<'collect' | 'render' | 'plan' | 'apply' | 'total', number>>;
  /**
   * Events a person changed or deleted in the calendar behind the sync's back, found by change
   * key: put back from Optima (`restored`, policy "restore") or only reported as conflicts
   * (`reported`, policy "report"; no write, reported again at every check until fixed).
   * Absent in runs stored before drift detection existed.
   */
  readonly drift?: { readonly restored: number; readonly reported: number };
  /** Set when the run could not complete at all (source unreachable, lock held, ...). */
  readonly error: string | null;
}
