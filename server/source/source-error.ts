/**
 * Errors of the source side, as values with data. `transient` says whether the next run may
 * succeed by itself (network, lock, timeout) or a person must fix something (path, login,
 * query text, schema). The message is an operator sentence that names the fix; it never holds
 * a password or a connection string.
 */

export type SourceErrorCode =
  /** The database file / server / database cannot be opened or reached. */
  | 'source-unreachable'
  /** The server refused the login. */
  | 'source-login-failed'
  /** A built-in or admin query failed while running. */
  | 'query-failed'
  /** An admin query or query override is not one valid SELECT. */
  | 'query-invalid'
  /** A query override file cannot be read. */
  | 'query-file-missing'
  /** The watermark handed to `readChangedRows` is not a timestamp. */
  | 'bad-watermark'
  /** A query returned a row the mapping cannot use (e.g. an override dropped the id column). */
  | 'bad-row'
  /** The record kind has no built-in query yet. */
  | 'unsupported-kind';

export interface SourceErrorData {
  readonly code: SourceErrorCode;
  readonly transient: boolean;
  /** What could not be used: a file path, `server/database`, or a query name. Never a secret. */
  readonly target?: string;
}

/** An Error carrying `SourceErrorData`, so it can travel through rejected promises. */
export class SourceError extends Error {
  readonly data: SourceErrorData;
  /** Copy of `data.transient` where `isTransientError` (domain/describe-error.ts) looks for it. */
  readonly transient: boolean;
  constructor(message: string, data: SourceErrorData, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SourceError';
    this.data = data;
    this.transient = data.transient;
  }
}

/** True when `error` came from the source side (any adapter). */
export function isSourceError(error: unknown): error is SourceError {
  return error instanceof SourceError;
}
