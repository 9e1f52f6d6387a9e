import type { TargetError } from './calendar-target.ts';

/**
 * Code of the transient `TargetError` for a create whose outcome is unknown (response lost, time
 * out): the event may exist. Whoever retries must look the stamp up first (`findBySourceKey`).
 */
export const OUTCOME_UNKNOWN = 'OutcomeUnknown';

/** True for a thrown `TargetError` value (both adapters throw plain values, not `Error`s). */
export function isTargetError(value: unknown): value is TargetError {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'target-error';
}

/**
 * Any error out of a calendar target as a `TargetError`: target errors pass through; anything
 * else (a bug, an unexpected library error) becomes a permanent one whose message says so.
 */
export function toTargetError(err: unknown): TargetError {
  if (isTargetError(err)) return err;
  const detail = err instanceof Error ? err.message : String(err);
  return {
    kind: 'target-error',
    status: null,
    code: 'Unexpected',
    message: `Nieoczekiwany błąd zapisu do kalendarza: ${detail}. Zgłoś go razem z dziennikiem serwera.`,
    transient: false,
    retryAfterMs: null,
    requestId: null,
  };
}
