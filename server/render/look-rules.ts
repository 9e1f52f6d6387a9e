import type { SourceRow } from '../domain/types.ts';
import type { LookCondition, LookRule } from '../config/schema.ts';

/**
 * The admin's look rules (config `looks.<kind>`): the first rule whose condition holds for a row
 * decides its category, show-as, subject prefix or removal. Pure.
 */

/** The first matching rule and its position (for messages), or null. */
export function findLookRule(row: SourceRow, rules: readonly LookRule[] | undefined): { readonly rule: LookRule; readonly index: number } | null {
  if (!rules) return null;
  for (let index = 0; index < rules.length; index++) {
    if (matchesLookCondition(row, rules[index].when)) return { rule: rules[index], index };
  }
  return null;
}

/** Whether every listed part of the condition holds for the row. */
export function matchesLookCondition(row: SourceRow, when: LookCondition): boolean {
  if (when.states.length > 0 && !matchesState(row, when.states)) return false;
  if (when.stages.length > 0 && !matchesText(row.fields.etap, when.stages)) return false;
  if (when.draft !== null && isDraft(row) !== when.draft) return false;
  if (when.done !== null && isDone(row) !== when.done) return false;
  return true;
}

/** A state is named by its label (`stan`) or, for service orders, by its code (`stanKod`). */
export function matchesState(row: SourceRow, states: readonly string[]): boolean {
  if (matchesText(row.fields.stan, states)) return true;
  const code = row.fields.stanKod;
  return code !== null && code !== undefined && states.some((s) => s.trim() === String(code));
}

/** Case-insensitive equality of a field's text with one of `wanted`. */
export function matchesText(value: unknown, wanted: readonly string[]): boolean {
  if (value === null || value === undefined) return false;
  const text = String(value).trim().toLocaleLowerCase('pl');
  return text !== '' && wanted.some((w) => w.trim().toLocaleLowerCase('pl') === text);
}

/** A draft (bufor) record: service orders and their activities. */
export function isDraft(row: SourceRow): boolean {
  return isFlagSet(row.fields.bufor);
}

/** Done: an activity marked done, a completed order (state 2), a closed CRM task or occurrence. */
export function isDone(row: SourceRow): boolean {
  if (row.kind === 'serwis:czynnosc') return isFlagSet(row.fields.zakonczona);
  if (row.kind === 'serwis:zlecenie') return row.fields.stanKod !== null && row.fields.stanKod !== undefined && row.fields.stanKod !== '' && Number(row.fields.stanKod) === 2;
  return row.fields.stan === 'zamknięte';
}

function isFlagSet(value: unknown): boolean {
  return value === true || value === 1 || value === '1';
}
