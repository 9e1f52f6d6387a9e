/**
 * Last line of defence before anything is stored or printed: code should never log a secret, but
 * if it does by mistake, it leaves here as `[redacted]`. Used by the database logger and by the
 * CLI/API loggers.
 */

export const REDACTED = '[redacted]';

/** Keys whose values are secrets whatever they hold (matched anywhere in the key, any case). */
const SECRET_KEY = /token|secret|passw(or)?d|pwd|authorization|assertion|passphrase|api[-_]?key|private[-_]?key|cookie|credential/i;

/** Compact JWS/JWE (`eyJ<header>.<payload>.<signature>`), including unsigned ones (empty signature). */
const JWT = /\beyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]*){1,3}/g;
/** `Authorization: Bearer <x>` / `Basic <x>` written out in a message. */
const AUTH_SCHEME = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g;
/** `client_secret=...` in a form body or query string, `Password=...;` in a connection string. */
const KEY_VALUE = /\b(client_secret|client_assertion|assertion|access_token|refresh_token|id_token|password|passwd|pwd|secret|token|api[-_]?key)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s&;,"'}]+)/gi;
/** `"password": "..."` inside JSON written into a message. */
const JSON_SECRET = /("[^"]*(?:token|secret|password|passwd|authorization|assertion|passphrase)[^"]*"\s*:\s*)"(?:[^"\\]|\\.)*"/gi;

const MAX_DEPTH = 12;

/** Redacts token-looking text inside one string. */
export function redactText(text: string): string {
  return text
    .replace(JSON_SECRET, `$1"${REDACTED}"`)
    .replace(JWT, REDACTED)
    .replace(AUTH_SCHEME, `$1 ${REDACTED}`)
    .replace(KEY_VALUE, (_m, key: string, sep: string) => `${key}${sep}${REDACTED}`);
}

/** True for a key whose value must never be kept (`clientSecret`, `refresh_token`, `Authorization`, ...). */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/**
 * Returns a copy of `value` with secrets replaced by `[redacted]`: values under secret-named keys,
 * and JWTs, bearer credentials and `secret=...` pairs inside any string. Errors become plain
 * `{ name, message, code? }` records (so they serialise), cycles become `[circular]`. The input is
 * never modified.
 */
export function redactSecrets(value: string): string;
export function redactSecrets<T>(value: T): T;
export function redactSecrets(value: unknown): unknown {
  return redactValue(value, 0, new WeakSet());
}

function redactValue(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactText(value);
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[…]';
  seen.add(value);
  try {
    if (value instanceof Error) return redactError(value, depth, seen);
    if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1, seen));
    if (value instanceof Map) return redactRecord(Object.fromEntries(value), depth, seen);
    if (value instanceof Set) return [...value].map((v) => redactValue(v, depth + 1, seen));
    if (ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
    return redactRecord(value as Record<string, unknown>, depth, seen);
  } finally {
    seen.delete(value);
  }
}

function redactRecord(record: Record<string, unknown>, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(record)) {
    out[key] = isSecretKey(key) && v !== null && v !== undefined && typeof v !== 'boolean' ? REDACTED : redactValue(v, depth + 1, seen);
  }
  return out;
}

function redactError(err: Error, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const out: Record<string, unknown> = { name: err.name, message: redactText(err.message) };
  const extra = err as unknown as Record<string, unknown>;
  for (const key of ['code', 'statusCode', 'status', 'transient', 'requestId']) {
    if (extra[key] !== undefined) out[key] = redactValue(extra[key], depth + 1, seen);
  }
  if (err.cause !== undefined) out.cause = redactValue(err.cause, depth + 1, seen);
  return out;
}
