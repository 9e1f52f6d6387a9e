import { AuthenticationHandler, AuthenticationHandlerOptions, Client, HTTPMessageHandler, ResponseType } from '@microsoft/microsoft-graph-client';
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import type { Logger } from '../../domain/logger.ts';
import { isTokenError } from '../../auth/token-source.ts';
import type { TokenSource } from '../../auth/token-source.ts';
import type { TargetError } from '../calendar-target.ts';
import { OUTCOME_UNKNOWN } from '../describe-target-error.ts';
import { describeGraphError } from './describe-graph-error.ts';

/** One Graph call as the adapter describes it; the sender adds auth, Prefer, retries. */
export interface GraphCall {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path under the version (`/users/…`), or an absolute `@odata.nextLink` followed verbatim. */
  readonly path: string;
  /** Query options; values are percent-encoded here (the Graph client does not encode them). */
  readonly query?: Readonly<Record<string, string | number>>;
  readonly body?: unknown;
  /** Non-2xx replies the caller handles itself (e.g. 404 on delete, 409 on calendar create). */
  readonly accept?: (reply: GraphReply) => boolean;
  /**
   * A create: after a network error, a timeout or a gateway timeout the event may have been
   * stored, so the call must not be sent again blindly. The sender throws `OutcomeUnknown` instead.
   */
  readonly unsafeToResend?: boolean;
}

export interface GraphReply {
  readonly status: number;
  readonly json: Record<string, unknown> | null;
  readonly requestId: string | null;
  /** Graph error code (`error.code`) of a non-2xx reply, '' otherwise. */
  readonly code: string;
  readonly retryAfter: string | null;
}

export interface GraphSender {
  send(mailbox: string, call: GraphCall): Promise<GraphReply>;
  /** Waits the back-off of retry number `attempt` (0-based), logged with `reason`. */
  pause(mailbox: string, attempt: number, reason: string): Promise<void>;
  readonly stats: { requests: number };
}

export interface GraphSenderOptions {
  readonly tokenSource: TokenSource;
  readonly graphBaseUrl: string;
  readonly graphHosts?: readonly string[];
  readonly maxRetries: number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly logger: Logger;
  readonly requestTimeoutMs: number;
  readonly maxConcurrentPerMailbox: number;
  /** Longest `Retry-After` waited for in place; a longer one is returned to the caller. */
  readonly maxWaitMs: number;
  readonly random: () => number;
}


/** Microsoft Graph hosts the client authenticates by itself (graph-client Constants.ts). */
const MICROSOFT_GRAPH_HOSTS = new Set([
  'graph.microsoft.com',
  'graph.microsoft.us',
  'dod-graph.microsoft.us',
  'graph.microsoft.de',
  'microsoftgraph.chinacloudapi.cn',
  'canary.graph.microsoft.com',
]);

const PREFER = 'IdType="ImmutableId", outlook.timezone="UTC"';
const BASE_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 60_000;

/**
 * Sends Graph calls through `@microsoft/microsoft-graph-client` with our own middleware chain:
 * Authentication → request counter → HTTPMessage. The library's RetryHandler is left out on
 * purpose (it re-POSTs creates, reference §9); retries live here: 429/503/504 and network errors
 * wait `Retry-After` or an exponential back-off with jitter, 401 refreshes the token once.
 */
export function createGraphSender(options: GraphSenderOptions): GraphSender {
  const stats = { requests: 0 };
  const { baseUrl, host } = splitBaseUrl(options.graphBaseUrl);
  const customHosts = new Set(options.graphHosts ?? []);
  if (!MICROSOFT_GRAPH_HOSTS.has(host)) customHosts.add(host);
  const client = Client.initWithMiddleware({
    baseUrl,
    defaultVersion: 'v1.0',
    customHosts,
    middleware: [
      // Every request carries its own provider (per-request options below); this one never runs.
      new AuthenticationHandler({ getAccessToken: () => Promise.reject(new Error('no token provider for this request')) }),
      createCountingMiddleware(stats),
      new HTTPMessageHandler(),
    ],
  });
  const limiter = createMailboxLimiter(options.maxConcurrentPerMailbox);

  async function sendOnce(mailbox: string, call: GraphCall, token: string): Promise<GraphReply> {
    const response: Response = await limiter.run(mailbox, () => {
      // Built inside the slot so that the timeout does not tick while waiting for it.
      const request = client
        .api(buildUrl(call))
        .header('Prefer', PREFER)
        .responseType(ResponseType.RAW)
        .middlewareOptions([new AuthenticationHandlerOptions({ getAccessToken: () => Promise.resolve(token) })])
        .option('signal', AbortSignal.timeout(options.requestTimeoutMs));
      switch (call.method) {
        case 'GET':
          return request.get();
        case 'POST':
          return request.post(call.body ?? {});
        case 'PATCH':
          return request.patch(call.body ?? {});
        case 'DELETE':
          return request.delete();
      }
    });
    return readReply(response);
  }

  async function send(mailbox: string, call: GraphCall): Promise<GraphReply> {
    let attempt = 0;
    let refreshed = false;
    let forceRefresh = false;
    for (;;) {
      let token: string;
      try {
        token = await options.tokenSource.getToken(mailbox, { forceRefresh });
      } catch (err) {
        const failure = toTokenFailure(err);
        if (failure.transient && attempt < options.maxRetries) {
          await wait(mailbox, attempt++, null, failure.code, null);
          continue;
        }
        throw failure;
      }
      forceRefresh = false;

      let reply: GraphReply;
      try {
        reply = await sendOnce(mailbox, call, token);
      } catch (err) {
        const detail = err instanceof Error ? err.message : String(err);
        if (call.unsafeToResend) throw outcomeUnknown(mailbox, detail, null);
        if (attempt < options.maxRetries) {
          await wait(mailbox, attempt++, null, 'NetworkError', null);
          continue;
        }
        throw describeGraphError({ status: null, code: 'NetworkError', graphMessage: detail, requestId: null, retryAfterMs: null, mailbox });
      }

      if (reply.status >= 200 && reply.status < 300) return reply;
      if (call.accept?.(reply)) return reply;
      if (reply.status === 401 && !refreshed) {
        // A cached token Graph no longer accepts (revoked, clock skew): one fresh token, one retry.
        refreshed = true;
        forceRefresh = true;
        continue;
      }
      const retryAfterMs = readRetryAfterMs(reply);
      if (call.unsafeToResend && (reply.status === 503 || reply.status === 504)) {
        // A gateway that timed out may have stored the event behind it.
        throw outcomeUnknown(mailbox, `HTTP ${reply.status} ${reply.code}`, reply.requestId);
      }
      const retryable = reply.status === 429 || reply.status === 503 || reply.status === 504;
      if (retryable && attempt < options.maxRetries && (retryAfterMs === null || retryAfterMs <= options.maxWaitMs)) {
        await wait(mailbox, attempt++, retryAfterMs, reply.code, reply.requestId, reply.status);
        continue;
      }
      throw describeGraphError({
        status: reply.status,
        code: reply.code,
        graphMessage: readGraphMessage(reply),
        requestId: reply.requestId,
        retryAfterMs,
        mailbox,
      });
    }
  }

  async function wait(mailbox: string, attempt: number, retryAfterMs: number | null, code: string, requestId: string | null, status?: number): Promise<void> {
    const ceiling = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** attempt);
    const delayMs = retryAfterMs ?? Math.round(ceiling / 2 + (options.random() * ceiling) / 2);
    options.logger.log({
      level: 'warn',
      message: 'Graph request will be retried',
      mailbox,
      requestId: requestId ?? undefined,
      data: { status: status ?? null, code, attempt: attempt + 1, delayMs },
    });
    await options.sleep(delayMs);
  }

  return { send, stats, pause: (mailbox, attempt, reason) => wait(mailbox, attempt, null, reason, null) };
}

/** Splits `https://host[:port][/v1.0]` into the client's baseUrl and the bare host name. */
function splitBaseUrl(graphBaseUrl: string): { baseUrl: string; host: string } {
  const url = new URL(graphBaseUrl);
  const path = url.pathname.replace(/\/+$/, '').replace(/\/(v1\.0|beta)$/, '');
  return { baseUrl: `${url.origin}${path}/`, host: url.hostname.toLowerCase() };
}

function buildUrl(call: GraphCall): string {
  const entries = Object.entries(call.query ?? {});
  if (entries.length === 0) return call.path;
  const query = entries.map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`).join('&');
  return `${call.path}${call.path.includes('?') ? '&' : '?'}${query}`;
}

async function readReply(response: Response): Promise<GraphReply> {
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

function readGraphMessage(reply: GraphReply): string {
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

function outcomeUnknown(mailbox: string, detail: string, requestId: string | null): TargetError {
  return {
    kind: 'target-error',
    status: null,
    code: OUTCOME_UNKNOWN,
    message: `Nie wiadomo, czy Microsoft Graph zapisał zdarzenie w skrzynce ${mailbox} (${detail}). Następna próba najpierw odszuka je po znaczniku, więc nie powstanie duplikat.`,
    transient: true,
    retryAfterMs: null,
    requestId,
  };
}

function toTokenFailure(err: unknown): TargetError {
  if (isTokenError(err)) {
    return { kind: 'target-error', status: null, code: err.code, message: err.message, transient: err.transient, retryAfterMs: null, requestId: null };
  }
  return {
    kind: 'target-error',
    status: null,
    code: 'TokenSourceFailed',
    message: 'Nie udało się uzyskać tokenu dostępu do Microsoft Graph. Sprawdź konfigurację logowania aplikacji (dzierżawa, aplikacja, poświadczenia).',
    transient: false,
    retryAfterMs: null,
    requestId: null,
  };
}

/**
 * Counts every HTTP request actually handed to fetch (retries included), and keeps the network
 * cause (ECONNRESET, timeout, ...) in the message, which the Graph client would otherwise drop.
 */
function createCountingMiddleware(stats: { requests: number }): Middleware {
  let next: Middleware | null = null;
  return {
    async execute(context: Context): Promise<void> {
      stats.requests += 1;
      try {
        await next!.execute(context);
      } catch (err) {
        throw withCause(err);
      }
    },
    setNext(middleware: Middleware): void {
      next = middleware;
    },
  };
}

function withCause(err: unknown): Error {
  if (!(err instanceof Error)) return new Error(String(err));
  const cause = (err as { cause?: { code?: unknown; message?: unknown } }).cause;
  const detail = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : '';
  const wrapped = new Error(detail ? `${err.message}: ${detail}` : err.message);
  wrapped.name = err.name;
  return wrapped;
}

/** At most `limit` requests in flight per mailbox (Outlook allows 4 per app and mailbox, §6). */
function createMailboxLimiter(limit: number): { run<T>(mailbox: string, task: () => Promise<T>): Promise<T> } {
  const queues = new Map<string, { active: number; waiting: (() => void)[] }>();
  return {
    async run<T>(mailbox: string, task: () => Promise<T>): Promise<T> {
      const key = mailbox.toLowerCase();
      let q = queues.get(key);
      if (!q) {
        q = { active: 0, waiting: [] };
        queues.set(key, q);
      }
      const queue = q;
      // A finishing task hands its slot straight to the next waiter, so no newcomer can overtake.
      if (queue.active >= limit) await new Promise<void>((resolve) => queue.waiting.push(resolve));
      else queue.active += 1;
      try {
        return await task();
      } finally {
        const wake = queue.waiting.shift();
        if (wake) wake();
        else if (--queue.active === 0) queues.delete(key);
      }
    },
  };
}
