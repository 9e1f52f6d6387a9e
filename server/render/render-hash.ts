import { createHash } from 'node:crypto';
import type { CalendarEvent } from '../domain/types.ts';

/**
 * The render hash: sha256 over a canonical JSON of exactly what is sent for one event. Keys are
 * sorted at every level, so the same event always hashes the same whatever order its object was
 * built in; array order is kept (category order is visible). The mailbox is not in it: a move is
 * detected by comparing mailboxes, not content.
 */
export function computeRenderHash(event: CalendarEvent): string {
  return createHash('sha256').update(toCanonicalJson(event)).digest('hex');
}

/** JSON with object keys sorted recursively and undefined members dropped. */
export function toCanonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const member = (value as Record<string, unknown>)[key];
    if (member !== undefined) out[key] = sortKeys(member);
  }
  return out;
}
