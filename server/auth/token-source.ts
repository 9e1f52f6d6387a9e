/**
 * Port: how the server gets a Microsoft Graph access token for a mailbox.
 *
 * Adapters: app-only (`client-credentials.ts`: one application token, certificate or secret,
 * the mailbox is ignored) and, later, delegated (on-behalf-of + the person's encrypted cache,
 * one token per mailbox). Adapters cache tokens themselves; callers ask before every request.
 *
 * Failures are thrown as `TokenError` values: classified transient (network, Entra busy) or
 * permanent (a fix is needed: wrong secret, expired certificate, no consent), with an operator
 * sentence naming the fix. Secrets and tokens never appear in them.
 */
export interface TokenSource {
  getToken(mailbox: string, options?: TokenRequestOptions): Promise<string>;
}

export interface TokenRequestOptions {
  /**
   * Skip the cache and ask Entra for a new token, e.g. after Graph answered 401 to a cached one
   * (revoked, or the clock of one side is off).
   */
  readonly forceRefresh?: boolean;
}

/** A token could not be obtained. `code` is e.g. `AADSTS7000215` or `network`. */
export interface TokenError {
  readonly kind: 'token-error';
  readonly code: string;
  readonly transient: boolean;
  readonly message: string;
}

/** True for a thrown `TokenError` value. */
export function isTokenError(value: unknown): value is TokenError {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'token-error';
}
