/**
 * Errors are values with data. Two families: transient (retry later: network, 429, 503, lock
 * timeouts) and permanent (a fix is needed: bad config, 403, consent missing, template error).
 * Every adapter throws or returns errors carrying `message` (an operator sentence that names the
 * fix) and `transient`; these two functions read any of them, and fall back safely on the rest.
 */

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);
const JWT = /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;

/** One operator sentence for any error, with anything token-like removed. */
export function describeError(err: unknown): string {
  const text = rawMessage(err);
  return text.replace(JWT, '[redacted]');
}

/** True when trying again later may succeed without anyone fixing anything. */
export function isTransientError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  if ('transient' in err && typeof err.transient === 'boolean') return err.transient;
  const code = 'code' in err ? String(err.code) : '';
  const cause = 'cause' in err && typeof err.cause === 'object' && err.cause !== null && 'code' in err.cause ? String(err.cause.code) : '';
  return NETWORK_CODES.has(code) || NETWORK_CODES.has(cause);
}

function rawMessage(err: unknown): string {
  if (typeof err === 'string') return err;
  if (typeof err === 'object' && err !== null && 'message' in err && typeof err.message === 'string' && err.message) return err.message;
  return 'Nieznany błąd — szczegóły w dzienniku serwera.';
}
