/**
 * Faults a test arms on the Graph emulator. Matching is by mailbox, method and a substring of
 * the path (with query); each fault fires `times` times (default 1), oldest first.
 *
 * - `status`: answer `status` with Graph error `code` instead of handling (nothing stored).
 * - `drop-response-after-store`: handle the request (the event is stored), then destroy the
 *   socket without answering: a crash or lost response between Graph's create and our commit.
 *   Inside `$batch` the whole batch response is dropped after every item ran.
 * - `drop-connection`: destroy the socket before handling (nothing stored).
 * - `delay`: wait `delayMs` before handling (the request counts as in flight meanwhile).
 */
export interface FaultSpec {
  readonly mailbox?: string;
  readonly method?: string;
  readonly pathIncludes?: string;
  readonly times?: number;
  readonly kind: 'status' | 'drop-response-after-store' | 'drop-connection' | 'delay';
  readonly status?: number;
  readonly code?: string;
  readonly message?: string;
  /** Sent as Retry-After with a `status` fault (e.g. 429, 503). */
  readonly retryAfterSeconds?: number;
  readonly delayMs?: number;
}

export interface ArmedFault {
  readonly spec: FaultSpec;
  remaining: number;
}

export interface FaultTarget {
  readonly mailbox: string | null;
  readonly method: string;
  /** Path after `/v1.0`, with the query string. */
  readonly path: string;
}

/** Finds and consumes the first armed fault matching `target`. */
export function takeFault(faults: ArmedFault[], target: FaultTarget): FaultSpec | null {
  const index = faults.findIndex(
    (f) =>
      f.remaining > 0 &&
      (!f.spec.mailbox || f.spec.mailbox.toLowerCase() === target.mailbox) &&
      (!f.spec.method || f.spec.method.toUpperCase() === target.method.toUpperCase()) &&
      (!f.spec.pathIncludes || target.path.includes(f.spec.pathIncludes)),
  );
  if (index === -1) return null;
  const fault = faults[index];
  fault.remaining--;
  if (fault.remaining <= 0) faults.splice(index, 1);
  return fault.spec;
}

/** Default error codes for status faults. */
export function defaultFaultCode(status: number): string {
  if (status === 429) return 'ApplicationThrottled';
  if (status === 503) return 'ServiceUnavailable';
  if (status === 504) return 'GatewayTimeout';
  if (status === 500) return 'InternalServerError';
  if (status === 401) return 'InvalidAuthenticationToken';
  if (status === 403) return 'ErrorAccessDenied';
  return 'ErrorInternalServerError';
}
