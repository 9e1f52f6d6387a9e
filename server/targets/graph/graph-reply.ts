/**
 * What came back from Graph for one call, read the same way for a request of its own and for a
 * `$batch` item, and how long to wait before trying again.
 */
import type { BatchItemAnswer } from './json-batch.ts';

export interface GraphReply {
  readonly status: number;
  readonly json: Record<string, unknown> | null;
  readonly requestId: string | null;
  /** Graph error code (`error.code`) of a non-2xx reply, '' otherwise. */
  readonly code: string;
  readonly retryAfter: string | null;
}

const BASE_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 60_000;

/** Reads a raw fetch response into a `GraphReply` (an HTML page from a proxy reads as no JSON). */
export async function readReply(response: Response): Promise<GraphReply> {
  const text = response.status === 204 ? '' : await response.text();
  let json: Record<string, unknown> | null = null;
  if (text) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null) json = parsed as Record<string, unknown>;
    } catch {
      json = null; // an HTML error page from a proxy: status and headers still tell enough
    }
  }
  const error = (json?.error ?? null) as { code?: unknown; innerError?: Record<string, unknown> } | null;
  const innerRequestId = error?.innerError?.['request-id'];
  return {
    status: response.status,
    json,
    requestId: response.headers.get('request-id') ?? (typeof innerRequestId === 'string' ? innerRequestId : null),
    code: typeof error?.code === 'string' ? error.code : '',
    retryAfter: response.headers.get('retry-after'),
  };
}

/** A `$batch` item's answer as a reply of its own; its request-id, else the batch's. */
export function readBatchItemReply(answer: BatchItemAnswer, batchRequestId: string | null): GraphReply {
  const error = (answer.json?.error ?? null) as { code?: unknown; innerError?: Record<string, unknown> } | null;
  const innerRequestId = error?.innerError?.['request-id'];
  return {
    status: answer.status,
    json: answer.json,
    requestId: answer.headers['request-id'] ?? (typeof innerRequestId === 'string' ? innerRequestId : batchRequestId),
    code: typeof error?.code === 'string' ? error.code : '',
    retryAfter: answer.headers['retry-after'] ?? null,
  };
}

/** Graph's own error message (English; never holds tokens), '' when there is none. */
export function readGraphMessage(reply: GraphReply): string {
  const error = reply.json?.error as { message?: unknown } | undefined;
  return typeof error?.message === 'string' ? error.message : '';
}

/** `Retry-After` in seconds or as an HTTP date (reference §3, §6); null when absent or unreadable. */
export function readRetryAfterMs(reply: Pick<GraphReply, 'retryAfter'>, now: number = Date.now()): number | null {
  const value = reply.retryAfter?.trim();
  if (!value) return null;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** 5xx answers worth another try (500, 502, 503, 504 …); not 501 (not implemented) or 507 (mailbox full). */
export function isTransientServerStatus(status: number): boolean {
  return status >= 500 && status !== 501 && status !== 505 && status !== 507;
}

/**
 * How long before retry number `attempt` (0-based): `Retry-After` plus up to a fifth of it (at
 * most 1 s) of jitter, so that items throttled together do not return together; without it an
 * exponential back-off (1 s, 2 s, 4 s … capped at 60 s) with its upper half random.
 */
export function computeRetryDelayMs(attempt: number, retryAfterMs: number | null, random: () => number): number {
  if (retryAfterMs !== null) return retryAfterMs + Math.round(random() * Math.min(1000, retryAfterMs / 5));
  const ceiling = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
