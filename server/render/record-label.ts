import type { RecordKind, SourceRow } from '../domain/types.ts';

/**
 * How a record is named in operator messages: "Zlecenie ZS/12/2026", "Zadanie #41" when the
 * record has no number. Also what a date is called for each kind, for the "no date" message.
 */

const KIND_NOUN: Readonly<Record<RecordKind, string>> = {
  'serwis:zlecenie': 'Zlecenie',
  'serwis:czynnosc': 'Czynność',
  'crm:zadanie': 'Zadanie',
  'crm:wystapienie': 'Wystąpienie zadania',
};

const MISSING_DATE: Readonly<Record<RecordKind, string>> = {
  'serwis:zlecenie': 'nie ma daty realizacji ani przyjęcia',
  'serwis:czynnosc': 'nie ma daty wykonania',
  'crm:zadanie': 'nie ma terminu',
  'crm:wystapienie': 'nie ma terminu',
};

/**
 * "Zlecenie ZS/12/2026" (or "Zlecenie #1234" without a number); a further company's record says
 * whose it is, "Zlecenie ZS/12/2026 (Serwis Północ)", since numbers repeat across companies.
 */
export function describeRecord(row: Pick<SourceRow, 'kind' | 'id' | 'fields'>): string {
  const numer = row.fields.numer;
  const label = typeof numer === 'string' && numer.trim() !== '' ? numer.trim() : typeof numer === 'number' ? String(numer) : `#${row.id}`;
  const firma = row.fields.firma as { kod?: unknown; nazwa?: unknown } | undefined;
  const company = firma && typeof firma.kod === 'string' ? ` (${typeof firma.nazwa === 'string' && firma.nazwa.trim() !== '' ? firma.nazwa.trim() : firma.kod})` : '';
  return `${KIND_NOUN[row.kind] ?? 'Rekord'} ${label}${company}`;
}

/** "nie ma daty realizacji ani przyjęcia" for a service order, and the like for other kinds. */
export function describeMissingDate(kind: RecordKind): string {
  return MISSING_DATE[kind] ?? 'nie ma daty';
}
