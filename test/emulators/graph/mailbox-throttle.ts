/**
 * Outlook's per app + mailbox limits (reference §6): concurrent requests (4) and requests per
 * 10 minutes (10,000). Over either → 429 ApplicationThrottled with Retry-After. The 150 MB
 * upload budget and the global per-app limit are not emulated.
 */

export interface ThrottleLimits {
  /** Requests in flight at once per app + mailbox (Outlook: 4). */
  readonly concurrentPerMailbox: number;
  /** Requests per sliding 10 minutes per app + mailbox (Outlook: 10,000). */
  readonly requestsPer10Min: number;
  /** Retry-After sent with a concurrency 429, seconds. */
  readonly retryAfterSeconds: number;
}

export const OUTLOOK_LIMITS: ThrottleLimits = { concurrentPerMailbox: 4, requestsPer10Min: 10_000, retryAfterSeconds: 1 };

export type Admission =
  | { readonly ok: true; release(): void }
  | { readonly ok: false; readonly retryAfterSeconds: number; readonly message: string };

export interface MailboxThrottle {
  admit(key: string, now: number): Admission;
  inFlight(key: string): number;
  setLimits(limits: Partial<ThrottleLimits>): void;
  readonly limits: ThrottleLimits;
}

const WINDOW_MS = 10 * 60 * 1000;

/** Creates the throttle; `key` is `appId|mailbox`. */
export function createMailboxThrottle(initial: Partial<ThrottleLimits> = {}): MailboxThrottle {
  let limits: ThrottleLimits = { ...OUTLOOK_LIMITS, ...initial };
  const running = new Map<string, number>();
  const history = new Map<string, number[]>();
  return {
    get limits() {
      return limits;
    },
    setLimits(next) {
      limits = { ...limits, ...next };
    },
    inFlight: (key) => running.get(key) ?? 0,
    admit(key, now) {
      const current = running.get(key) ?? 0;
      if (current >= limits.concurrentPerMailbox) {
        return { ok: false, retryAfterSeconds: limits.retryAfterSeconds, message: 'Application is over its MailboxConcurrency limit.' };
      }
      const times = history.get(key) ?? [];
      // Times are appended in order, so expired ones sit at the front.
      let expired = 0;
      while (expired < times.length && times[expired] <= now - WINDOW_MS) expired++;
      if (expired > 0) times.splice(0, expired);
      if (times.length >= limits.requestsPer10Min) {
        const wait = Math.max(1, Math.ceil((times[0] + WINDOW_MS - now) / 1000));
        history.set(key, times);
        return { ok: false, retryAfterSeconds: wait, message: 'Application is over its MailboxRequests limit.' };
      }
      times.push(now);
      history.set(key, times);
      running.set(key, current + 1);
      let released = false;
      return {
        ok: true,
        release() {
          if (released) return;
          released = true;
          const left = (running.get(key) ?? 1) - 1;
          if (left <= 0) running.delete(key);
          else running.set(key, left);
        },
      };
    },
  };
}
