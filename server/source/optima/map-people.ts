import type { SourcePerson } from '../source-reader.ts';
import { normalizeDriverRow } from './normalize-driver-row.ts';

/**
 * Rows of `pracownicy.sql` and `operatorzy.sql` → `SourcePerson`s (type 3 and type 8 people).
 * Pure. E-mails are trimmed and lower-cased (mailboxes are compared in lower case); an empty
 * e-mail becomes null so routing can say "no mailbox" instead of sending to "".
 */

/** `pracownicy.sql` returns one row per employment version; keep the latest per employee. */
export function mapEmployees(rows: readonly Readonly<Record<string, unknown>>[]): SourcePerson[] {
  const byId = new Map<number, Record<string, unknown>[]>();
  for (const raw of rows) {
    const row = normalizeDriverRow(raw);
    const id = toId(row.PRA_PraId);
    if (id === null) continue;
    const list = byId.get(id) ?? [];
    list.push(row);
    byId.set(id, list);
  }
  const people: SourcePerson[] = [];
  for (const [id, versions] of byId) {
    // Latest version first: greatest PRE_DataOd, then greatest PRE_PreId (what HR tools also pick).
    const ordered = [...versions].sort((a, b) => compareVersions(b, a));
    const latest = ordered[0];
    const first = text(latest.PRE_Imie1) ?? text(latest.PRI_Imie1);
    const last = text(latest.PRE_Nazwisko) ?? text(latest.PRI_Nazwisko);
    const code = text(latest.PRA_Kod) ?? String(id);
    // An older version may carry the only e-mail; the newest non-empty one wins, then the e-Pracownik login.
    const email = ordered.map((v) => toEmail(v.PRE_HDKEmail)).find((e) => e !== null) ?? toEmail(latest.PRA_EPEmail);
    people.push({ type: 'pracownik', id, code, name: [first, last].filter((p) => p).join(' ') || code, email });
  }
  return people.sort((a, b) => a.id - b.id);
}

/** One row per operator in the configuration database. */
export function mapOperators(rows: readonly Readonly<Record<string, unknown>>[]): SourcePerson[] {
  const people: SourcePerson[] = [];
  for (const raw of rows) {
    const row = normalizeDriverRow(raw);
    const id = toId(row.Ope_OpeID);
    if (id === null) continue;
    const code = text(row.Ope_Kod) ?? String(id);
    people.push({ type: 'operator', id, code, name: text(row.Ope_Nazwisko) ?? code, email: toEmail(row.Ope_Email) });
  }
  return people;
}

function compareVersions(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): number {
  const da = String(a.PRE_DataOd ?? '');
  const db = String(b.PRE_DataOd ?? '');
  if (da !== db) return da < db ? -1 : 1;
  const ia = Number(a.PRE_PreId ?? -1);
  const ib = Number(b.PRE_PreId ?? -1);
  if (ia !== ib) return ia - ib;
  // Same version joined to several Pracidx rows: prefer the lowest PRI_Typ (1 = employee).
  return Number(b.PRI_Typ ?? 99) - Number(a.PRI_Typ ?? 99);
}

function toEmail(value: unknown): string | null {
  const t = text(value);
  return t === null ? null : t.toLowerCase();
}

function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const s = String(value).trim();
  return s === '' ? null : s;
}

function toId(value: unknown): number | null {
  const n = Number(value);
  return value !== null && value !== undefined && Number.isInteger(n) && n > 0 ? n : null;
}
