import { randomUUID } from 'node:crypto';

/** An Entra ID token-endpoint error, shaped like the real service's (reference §11). */
export interface EntraError {
  readonly status: number;
  readonly body: EntraErrorBody;
}

export interface EntraErrorBody {
  readonly error: string;
  readonly error_description: string;
  readonly error_codes: readonly number[];
  readonly timestamp: string;
  readonly trace_id: string;
  readonly correlation_id: string;
  readonly error_uri: string;
  readonly suberror?: string;
  /** Claims challenge (JSON text) the client must satisfy, e.g. with MFA (AADSTS50076). */
  readonly claims?: string;
}

/** The optional parts of an error body that only some errors carry. */
export interface EntraErrorExtras {
  readonly suberror?: string;
  readonly claims?: string;
}

/** Entra's timestamp format: `yyyy-MM-dd HH:mm:ssZ`. */
export function formatEntraTimestamp(date: Date): string {
  return date.toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Builds the error body: the description is the AADSTS message plus Trace ID, Correlation ID and
 * Timestamp lines joined with `\r\n`, as the real service does. `correlationId` echoes the
 * client's `client-request-id` when it sent one. `suberror` and `claims` come last, as Entra sends them.
 */
export function createEntraError(
  status: number,
  error: string,
  aadsts: number,
  message: string,
  errorUriBase: string,
  correlationId: string | undefined,
  extras: EntraErrorExtras = {},
): EntraError {
  const traceId = randomUUID();
  const correlation = correlationId && correlationId.length > 0 ? correlationId : randomUUID();
  const timestamp = formatEntraTimestamp(new Date());
  const description = [`AADSTS${aadsts}: ${message}`, `Trace ID: ${traceId}`, `Correlation ID: ${correlation}`, `Timestamp: ${timestamp}`].join('\r\n');
  return {
    status,
    body: {
      error,
      error_description: description,
      error_codes: [aadsts],
      timestamp,
      trace_id: traceId,
      correlation_id: correlation,
      error_uri: `${errorUriBase}/error?code=${aadsts}`,
      ...(extras.suberror ? { suberror: extras.suberror } : {}),
      ...(extras.claims ? { claims: extras.claims } : {}),
    },
  };
}
