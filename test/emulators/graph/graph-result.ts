/** One Graph request as the router sees it (from HTTP or from a `$batch` item). */
export interface GraphRequest {
  readonly method: string;
  /** Decoded path segments after `/v1.0`, e.g. `['users', 'a@b.pl', 'events', 'AAMk…']`. */
  readonly segments: readonly string[];
  /** Decoded query options; names as sent (`$filter`). */
  readonly query: ReadonlyMap<string, string>;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  /** Parsed JSON body; undefined when there was none. */
  readonly body: unknown;
  /** Set when the body was present but not valid JSON. */
  readonly bodyError?: string;
}

/** What the router answers; the HTTP layer and `$batch` serialise it. */
export interface GraphResult {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/** Graph's error value (reference §7). The HTTP layer fills `innerError`. */
export function graphError(status: number, code: string, message: string, headers: Record<string, string> = {}): GraphResult {
  return { status, headers, body: { error: { code, message } } };
}

/** Adds Graph's `innerError` (date without Z, request ids) to an error body; other bodies unchanged. */
export function withInnerError(body: unknown, requestId: string, clientRequestId: string): unknown {
  if (!body || typeof body !== 'object' || !('error' in body)) return body;
  const error = (body as { error: Record<string, unknown> }).error;
  return {
    error: {
      ...error,
      innerError: { date: new Date().toISOString().slice(0, 19), 'request-id': requestId, 'client-request-id': clientRequestId },
    },
  };
}

export function ok(status: number, body: unknown, headers: Record<string, string> = {}): GraphResult {
  return { status, headers, body };
}

/** Reads one preference from `Prefer` headers (`IdType="ImmutableId"`, `odata.maxpagesize=50`). */
export function readPreference(headers: Readonly<Record<string, string>>, name: string): string | null {
  const prefer = headers.prefer;
  if (!prefer) return null;
  for (const part of prefer.split(',')) {
    const eq = part.indexOf('=');
    const key = (eq === -1 ? part : part.slice(0, eq)).trim();
    if (key.toLowerCase() !== name.toLowerCase()) continue;
    if (eq === -1) return '';
    return part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
  }
  return null;
}

/** Looks a query option up ignoring case (`$Filter` = `$filter`). */
export function queryOption(query: ReadonlyMap<string, string>, name: string): string | undefined {
  for (const [key, value] of query) if (key.toLowerCase() === name) return value;
  return undefined;
}
