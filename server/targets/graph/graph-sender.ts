import { AuthenticationHandler, AuthenticationHandlerOptions, Client, HTTPMessageHandler, ResponseType } from '@microsoft/microsoft-graph-client';
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import type { Logger } from '../../domain/logger.ts';
import { isTokenError } from '../../auth/token-source.ts';
import type { TokenSource } from '../../auth/token-source.ts';
import type { TargetError } from '../calendar-target.ts';
import { OUTCOME_UNKNOWN, toTargetError } from '../describe-target-error.ts';
import { describeGraphError } from './describe-graph-error.ts';
import { computeRetryDelayMs, isTransientServerStatus, readBatchItemReply, readGraphMessage, readReply, readRetryAfterMs } from './graph-reply.ts';
import type { GraphReply } from './graph-reply.ts';
import { buildBatchPayload, MAX_BATCH_ITEMS, readBatchAnswers } from './json-batch.ts';
import { BATCH_PARALLELISM, createMailboxSlots } from './mailbox-slots.ts';

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
  /** May travel in a `$batch` with other calls to the same mailbox (event writes; not paged reads). */
  readonly batchable?: boolean;
}

export type { GraphReply } from './graph-reply.ts';
export { computeRetryDelayMs, readRetryAfterMs } from './graph-reply.ts';

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
  /** Outlook's concurrent requests per mailbox; a batch counts min(items, 4) of them. */
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

/** A call waiting for its turn, with its own retry state. */
interface QueuedCall {
  readonly mailbox: string;
  readonly call: GraphCall;
  readonly resolve: (reply: GraphReply) => void;
  readonly reject: (error: TargetError) => void;
  attempt: number;
  refreshed: boolean;
  forceRefresh: boolean;
}

/**
 * Sends Graph calls through `@microsoft/microsoft-graph-client` with our own middleware chain:
 * Authentication → request counter → HTTPMessage. The library's RetryHandler is left out on
 * purpose (it re-POSTs creates, reference §9); retries live here: 429, 5xx and network errors
 * wait `Retry-After` (plus jitter) or an exponential back-off with jitter, 401 refreshes the token once.
 *
 * Every call waits in its mailbox's queue. Batchable calls (event writes) that meet in the queue
 * (queued in the same turn of the event loop, or while the mailbox's slots were busy) leave as one
 * JSON `$batch` of up to 20 parallel items; each item's answer settles its own call and is retried
 * on its own. Mailboxes go in parallel; within one, `MailboxSlots` keeps Outlook's limit.
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
  const slots = createMailboxSlots(options.maxConcurrentPerMailbox);
  const queues = new Map<string, { ready: QueuedCall[]; pumpScheduled: boolean }>();

  function queueOf(mailbox: string) {
    const key = mailbox.toLowerCase();
    let queue = queues.get(key);
    if (!queue) {
      queue = { ready: [], pumpScheduled: false };
      queues.set(key, queue);
    }
    return queue;
  }

  function enqueue(item: QueuedCall): void {
    const queue = queueOf(item.mailbox);
    queue.ready.push(item);
    if (queue.ready.length >= MAX_BATCH_ITEMS) return pump(item.mailbox);
    // Calls queued in this turn of the event loop go out together.
    if (!queue.pumpScheduled) {
      queue.pumpScheduled = true;
      setImmediate(() => {
        queue.pumpScheduled = false;
        pump(item.mailbox);
      });
    }
  }

  /** Sends what the mailbox's free slots allow: single calls, or batches of the writes waiting. */
  function pump(mailbox: string): void {
    const queue = queueOf(mailbox);
    while (queue.ready.length > 0) {
      const free = slots.free(mailbox);
      if (free <= 0) return;
      const head = queue.ready[0];
      if (!head.call.batchable) {
        queue.ready.shift();
        dispatch(mailbox, [head], 1);
        continue;
      }
      const capacity = slots.capacity(mailbox);
      // With fewer than 4 slots a batch must be small too: Graph would run 4 of its items at once.
      const maxItems = capacity >= BATCH_PARALLELISM ? MAX_BATCH_ITEMS : capacity;
      const fullWeight = Math.min(capacity, BATCH_PARALLELISM);
      const batchable = queue.ready.filter((q) => q.call.batchable);
      // Rather than many small batches into a few free slots, wait for a full set (a release pumps again).
      if (free < fullWeight && batchable.length > free) return;
      const group = batchable.slice(0, free >= fullWeight ? maxItems : free);
      const taken = new Set(group);
      queue.ready = queue.ready.filter((q) => !taken.has(q));
      dispatch(mailbox, group, Math.min(group.length, BATCH_PARALLELISM));
    }
    if (queue.ready.length === 0 && !queue.pumpScheduled && slots.free(mailbox) === slots.capacity(mailbox)) queues.delete(mailbox.toLowerCase());
  }

  function dispatch(mailbox: string, group: readonly QueuedCall[], weight: number): void {
    slots.take(mailbox, weight);
    void sendGroup(mailbox, group)
      // A bug must not leave a caller waiting forever; settling twice is a no-op.
      .catch((err: unknown) => {
        for (const item of group) item.reject(toTargetError(err));
      })
      .finally(() => {
        slots.release(mailbox, weight);
        pump(mailbox);
      });
  }

  /** One HTTP request for the group (plain for one call, `$batch` for more); settles or requeues each call. */
  async function sendGroup(mailbox: string, group: readonly QueuedCall[]): Promise<void> {
    let token: string;
    try {
      token = await options.tokenSource.getToken(mailbox, { forceRefresh: group.some((q) => q.forceRefresh) });
    } catch (err) {
      const failure = toTokenFailure(err);
      for (const item of group) {
        if (failure.transient && item.attempt < options.maxRetries) retryLater(item, null, failure.code, null);
        else item.reject(failure);
      }
      return;
    }
    for (const item of group) item.forceRefresh = false;

    let replies: (GraphReply | null)[];
    try {
      replies = group.length === 1 ? [await sendOnce(group[0].call, token)] : await sendBatch(group, token);
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err);
      for (const item of group) settleLost(item, detail, null);
      return;
    }
    let throttled = false;
    let succeeded = 0;
    group.forEach((item, index) => {
      const reply = replies[index];
      if (!reply) return settleLost(item, 'brak odpowiedzi na element $batch', null);
      if (reply.status === 429) throttled = true;
      if (reply.status >= 200 && reply.status < 300) succeeded += 1;
      settle(item, reply);
    });
    if (throttled) slots.noteThrottled(mailbox);
    else slots.noteSucceeded(mailbox, succeeded);
  }

  function startRequest(path: string, token: string) {
    // Built just before sending, so that the timeout does not tick while waiting in the queue.
    return client
      .api(path)
      .header('Prefer', PREFER)
      .responseType(ResponseType.RAW)
      .middlewareOptions([new AuthenticationHandlerOptions({ getAccessToken: () => Promise.resolve(token) })])
      .option('signal', AbortSignal.timeout(options.requestTimeoutMs));
  }

  async function sendOnce(call: GraphCall, token: string): Promise<GraphReply> {
    const request = startRequest(buildUrl(call), token);
    let response: Response;
    switch (call.method) {
      case 'GET':
        response = await request.get();
        break;
      case 'POST':
        response = await request.post(call.body ?? {});
        break;
      case 'PATCH':
        response = await request.patch(call.body ?? {});
        break;
      case 'DELETE':
        response = await request.delete();
        break;
    }
    return readReply(response);
  }

  /** The group as one `$batch`; a non-200 answer to the batch itself stands for every item. */
  async function sendBatch(group: readonly QueuedCall[], token: string): Promise<(GraphReply | null)[]> {
    const payload = buildBatchPayload(
      group.map((q) => ({ method: q.call.method, url: buildUrl(q.call), body: q.call.body ?? (q.call.method === 'POST' || q.call.method === 'PATCH' ? {} : undefined) })),
      PREFER,
    );
    const outer = await readReply(await startRequest('/$batch', token).post(payload));
    if (outer.status !== 200) return group.map(() => outer);
    return readBatchAnswers(outer.json, group.length).map((answer) => (answer ? readBatchItemReply(answer, outer.requestId) : null));
  }

  /** The call's answer is lost (network error, timeout, batch item missing). */
  function settleLost(item: QueuedCall, detail: string, requestId: string | null): void {
    if (item.call.unsafeToResend) return item.reject(outcomeUnknown(item.mailbox, detail, requestId));
    if (item.attempt < options.maxRetries) return retryLater(item, null, 'NetworkError', null);
    item.reject(describeGraphError({ status: null, code: 'NetworkError', graphMessage: detail, requestId, retryAfterMs: null, mailbox: item.mailbox }));
  }

  function settle(item: QueuedCall, reply: GraphReply): void {
    const { call, mailbox } = item;
    if (reply.status >= 200 && reply.status < 300) return item.resolve(reply);
    if (call.accept?.(reply)) return item.resolve(reply);
    if (reply.status === 401 && !item.refreshed) {
      // A cached token Graph no longer accepts (revoked, clock skew): one fresh token, one retry.
      item.refreshed = true;
      item.forceRefresh = true;
      return enqueue(item);
    }
    const retryAfterMs = readRetryAfterMs(reply);
    const serverFailure = isTransientServerStatus(reply.status);
    if (call.unsafeToResend && serverFailure) {
      // A server error or a gateway that timed out may have stored the event behind it.
      return item.reject(outcomeUnknown(mailbox, `HTTP ${reply.status} ${reply.code}`, reply.requestId));
    }
    const retryable = reply.status === 429 || serverFailure;
    if (retryable && item.attempt < options.maxRetries && (retryAfterMs === null || retryAfterMs <= options.maxWaitMs)) {
      return retryLater(item, retryAfterMs, reply.code, reply.requestId, reply.status);
    }
    item.reject(
      describeGraphError({ status: reply.status, code: reply.code, graphMessage: readGraphMessage(reply), requestId: reply.requestId, retryAfterMs, mailbox }),
    );
  }

  function retryLater(item: QueuedCall, retryAfterMs: number | null, code: string, requestId: string | null, status?: number): void {
    const attempt = item.attempt++;
    void wait(item.mailbox, attempt, retryAfterMs, code, requestId, status).then(() => enqueue(item));
  }

  async function wait(mailbox: string, attempt: number, retryAfterMs: number | null, code: string, requestId: string | null, status?: number): Promise<void> {
    const delayMs = computeRetryDelayMs(attempt, retryAfterMs, options.random);
    options.logger.log({
      level: 'warn',
      message: 'Graph request will be retried',
      mailbox,
      requestId: requestId ?? undefined,
      data: { status: status ?? null, code, attempt: attempt + 1, delayMs },
    });
    await options.sleep(delayMs);
  }

  return {
    stats,
    send: (mailbox, call) =>
      new Promise<GraphReply>((resolve, reject) => enqueue({ mailbox, call, resolve, reject, attempt: 0, refreshed: false, forceRefresh: false })),
    pause: (mailbox, attempt, reason) => wait(mailbox, attempt, null, reason, null),
  };
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
