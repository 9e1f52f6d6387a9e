import type { RecordKind } from '../../domain/types.ts';
import { SourceError } from '../source-error.ts';
import { normalizeOptimaTimestamp } from './optima-date.ts';
import type { QueryName } from './optima-queries.ts';

/**
 * Which records are in scope. Drafts (SrZ_Bufor = 1) are included unless configured off; for
 * service activities, the parent order's scope applies, and by default only activities that
 * reserve time in Optima's Terminarz (SrY_RezerwujCzas = 1) — what Optima itself shows there.
 */
export interface SourceScope {
  readonly includeDrafts: boolean;
  /** Service activities: only those with SrY_RezerwujCzas = 1 (default true). */
  readonly onlyReservedActivities?: boolean;
  /** CRM: contacts (CRK_Zadanie = 0) as well as tasks (default false). */
  readonly crmContacts?: boolean;
  /** CRM: keep cancelled tasks in scope so they can be marked (config crm.cancelled = 'mark'); default false = removed. */
  readonly crmCancelled?: boolean;
  /**
   * CRM: occurrences of recurring tasks (CrmKontaktyCykl) are synced as `crm:wystapienie`, so a
   * task that has occurrences leaves the `crm:zadanie` scope (its occurrences are the events).
   * Default false: every task is one event, recurring or not.
   */
  readonly crmOccurrences?: boolean;
  /**
   * CRM: read participants (CrmUczestnicy) with tasks and occurrences — one more query per
   * changed-rows read that returned rows not read just before (an idle poll's overlap reuses
   * them), one more per single-record read. Default false.
   */
  readonly crmParticipants?: boolean;
}

export const DEFAULT_SCOPE: SourceScope = { includeDrafts: true, onlyReservedActivities: true };

/** The four built-in queries that read one record kind. */
export interface KindQueries {
  readonly changed: QueryName;
  readonly byId: QueryName;
  readonly ids: QueryName;
  readonly checksum: QueryName;
  /** Result column holding the record's id (what the ids query returns). */
  readonly idColumn: string;
}

const KIND_QUERIES: Readonly<Partial<Record<RecordKind, KindQueries>>> = {
  'serwis:zlecenie': {
    changed: 'serwis-zlecenia-changed', byId: 'serwis-zlecenia-by-id', ids: 'serwis-zlecenia-ids', checksum: 'serwis-zlecenia-checksum', idColumn: 'SrZ_SrZId',
  },
  'serwis:czynnosc': {
    changed: 'serwis-czynnosci-changed', byId: 'serwis-czynnosci-by-id', ids: 'serwis-czynnosci-ids', checksum: 'serwis-czynnosci-checksum', idColumn: 'SrY_SrYId',
  },
  'crm:zadanie': {
    changed: 'crm-zadania-changed', byId: 'crm-zadania-by-id', ids: 'crm-zadania-ids', checksum: 'crm-zadania-checksum', idColumn: 'CRK_CRKId',
  },
  'crm:wystapienie': {
    changed: 'crm-wystapienia-changed', byId: 'crm-wystapienia-by-id', ids: 'crm-wystapienia-ids', checksum: 'crm-wystapienia-checksum', idColumn: 'CRC_CRCId',
  },
};

/** Lowest SQL Server `datetime`: a full read is "modified since the beginning of time". */
export const FULL_READ_SINCE = '1753-01-01 00:00:00.000';

/** SrZ_Bufor upper bound: 0 keeps only confirmed orders; smallint max keeps every draft value. */
const MAX_BUFOR_WITH_DRAFTS = 32767;

/** Parameter values (adapter-neutral: text and numbers) for one built-in query. */
export interface QueryParams {
  readonly since?: string;
  readonly maxBufor?: number;
  /** Service activities: 1 = only SrY_RezerwujCzas = 1, 0 = every activity. */
  readonly onlyReserved?: number;
  /** CRM: 1 = tasks and contacts, 0 = tasks only. */
  readonly withContacts?: number;
  /** CRM: 1 = cancelled tasks stay in scope, 0 = they leave it. */
  readonly withCancelled?: number;
  /** CRM tasks: 1 = a task with occurrences (CrmKontaktyCykl) is out of scope, 0 = every task is in. */
  readonly occurrencesApart?: number;
  /** `*-by-id`: the record's id (SrZ_SrZId, SrY_SrYId, CRK_CRKId, CRC_CRCId). */
  readonly id?: number;
}

/**
 * Builds the parameters of a built-in query. `since` is a watermark in the `modifiedAt` format
 * (`YYYY-MM-DD HH:mm:ss.SSS`, Optima wall clock); null means a full read.
 */
export function buildQueryParams(name: QueryName, input: { readonly since?: string | null; readonly id?: number; readonly scope: SourceScope }): QueryParams {
  const maxBufor = input.scope.includeDrafts ? MAX_BUFOR_WITH_DRAFTS : 0;
  const onlyReserved = input.scope.onlyReservedActivities === false ? 0 : 1;
  const crm = { withContacts: input.scope.crmContacts === true ? 1 : 0, withCancelled: input.scope.crmCancelled === true ? 1 : 0 };
  const tasks = { ...crm, occurrencesApart: input.scope.crmOccurrences === true ? 1 : 0 };
  switch (name) {
    case 'serwis-zlecenia-changed':
      return { since: normalizeWatermark(input.since ?? null), maxBufor };
    case 'serwis-zlecenia-by-id':
      return { id: requireId(input.id), maxBufor };
    case 'serwis-zlecenia-ids':
    case 'serwis-zlecenia-checksum':
      return { maxBufor };
    case 'serwis-czynnosci-changed':
      return { since: normalizeWatermark(input.since ?? null), maxBufor, onlyReserved };
    case 'serwis-czynnosci-by-id':
      return { id: requireId(input.id), maxBufor, onlyReserved };
    case 'serwis-czynnosci-ids':
    case 'serwis-czynnosci-checksum':
      return { maxBufor, onlyReserved };
    case 'crm-zadania-changed':
      return { since: normalizeWatermark(input.since ?? null), ...tasks };
    case 'crm-zadania-by-id':
      return { id: requireId(input.id), ...tasks };
    case 'crm-zadania-ids':
    case 'crm-zadania-checksum':
      return { ...tasks };
    case 'crm-wystapienia-changed':
    case 'crm-uczestnicy-changed':
      return { since: normalizeWatermark(input.since ?? null), ...crm };
    case 'crm-wystapienia-by-id':
      return { id: requireId(input.id), ...crm };
    case 'crm-wystapienia-ids':
    case 'crm-wystapienia-checksum':
      return { ...crm };
    case 'crm-uczestnicy-by-id':
      return { id: requireId(input.id) };
    case 'pracownicy':
    case 'operatorzy':
      return {};
  }
}

/** A record id must be a positive whole number: anything else would read nothing, silently. */
function requireId(id: number | undefined): number {
  if (id !== undefined && Number.isSafeInteger(id) && id > 0) return id;
  throw new SourceError(`Identyfikator rekordu '${String(id)}' nie jest dodatnią liczbą całkowitą — podaj klucz w postaci serwis:zlecenie:<numer>, serwis:czynnosc:<numer>, crm:zadanie:<numer> albo crm:wystapienie:<numer>.`, {
    code: 'query-invalid',
    transient: false,
  });
}

/** Full-precision watermark text, or the floor for a full read. Garbage is a permanent error. */
export function normalizeWatermark(since: string | null): string {
  if (since === null) return FULL_READ_SINCE;
  const normalized = normalizeOptimaTimestamp(since);
  if (normalized === null) {
    throw new SourceError(`Znacznik ostatniej synchronizacji '${since}' nie jest datą — wykonaj pełną synchronizację, aby go odtworzyć.`, {
      code: 'bad-watermark',
      transient: false,
    });
  }
  return normalized;
}

/**
 * The built-in queries of a record kind. Kinds without them fail loudly, never as
 * "no rows", so a configured but unsupported kind cannot silently delete its events.
 */
export function selectKindQueries(kind: RecordKind): KindQueries {
  const found = KIND_QUERIES[kind];
  if (found) return found;
  throw new SourceError(`Rodzaj rekordów '${kind}' nie jest jeszcze obsługiwany przez czytnik Optimy — usuń go z konfiguracji synchronizacji (sync.kinds).`, {
    code: 'unsupported-kind',
    transient: false,
    target: kind,
  });
}
