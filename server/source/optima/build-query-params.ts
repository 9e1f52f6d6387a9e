import type { RecordKind } from '../../domain/types.ts';
import { SourceError } from '../source-error.ts';
import { normalizeOptimaTimestamp } from './optima-date.ts';
import type { QueryName } from './optima-queries.ts';

/** Which service orders are in scope. Drafts (SrZ_Bufor = 1) are included unless configured off. */
export interface SourceScope {
  readonly includeDrafts: boolean;
}

export const DEFAULT_SCOPE: SourceScope = { includeDrafts: true };

/** Lowest SQL Server `datetime`: a full read is "modified since the beginning of time". */
export const FULL_READ_SINCE = '1753-01-01 00:00:00.000';

/** SrZ_Bufor upper bound: 0 keeps only confirmed orders; smallint max keeps every draft value. */
const MAX_BUFOR_WITH_DRAFTS = 32767;

/** Parameter values (adapter-neutral: text and numbers) for one built-in query. */
export interface QueryParams {
  readonly since?: string;
  readonly maxBufor?: number;
  /** `serwis-zlecenia-by-id`: the order's SrZ_SrZId. */
  readonly id?: number;
}

/**
 * Builds the parameters of a built-in query. `since` is a watermark in the `modifiedAt` format
 * (`YYYY-MM-DD HH:mm:ss.SSS`, Optima wall clock); null means a full read.
 */
export function buildQueryParams(name: QueryName, input: { readonly since?: string | null; readonly id?: number; readonly scope: SourceScope }): QueryParams {
  const maxBufor = input.scope.includeDrafts ? MAX_BUFOR_WITH_DRAFTS : 0;
  switch (name) {
    case 'serwis-zlecenia-changed':
      return { since: normalizeWatermark(input.since ?? null), maxBufor };
    case 'serwis-zlecenia-by-id':
      return { id: requireId(input.id), maxBufor };
    case 'serwis-zlecenia-ids':
    case 'serwis-zlecenia-checksum':
      return { maxBufor };
    case 'pracownicy':
    case 'operatorzy':
      return {};
  }
}

/** A record id must be a positive whole number: anything else would read nothing, silently. */
function requireId(id: number | undefined): number {
  if (id !== undefined && Number.isSafeInteger(id) && id > 0) return id;
  throw new SourceError(`Identyfikator rekordu '${String(id)}' nie jest dodatnią liczbą całkowitą — podaj klucz w postaci serwis:zlecenie:<numer>.`, {
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

/** Only service orders have built-in queries so far; other kinds fail loudly, never as "no rows". */
export function assertServiceOrderKind(kind: RecordKind): void {
  if (kind === 'serwis:zlecenie') return;
  throw new SourceError(`Rodzaj rekordów '${kind}' nie jest jeszcze obsługiwany przez czytnik Optimy — usuń go z konfiguracji synchronizacji.`, {
    code: 'unsupported-kind',
    transient: false,
    target: kind,
  });
}
