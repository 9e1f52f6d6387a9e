import { graphError, ok } from './graph-result.ts';
import type { GraphRequest, GraphResult } from './graph-result.ts';
import type { PipelineOutcome } from './graph-pipeline.ts';
import { parseQueryString } from './parse-query-string.ts';

/**
 * `POST /v1.0/$batch` (reference §5): at most 20 items with unique ids, relative urls without
 * the version, `Content-Type` required with a body, `dependsOn` (a failed dependency → 424).
 * Items without dependencies run in parallel, at most 4 at a time (as Graph feeds Outlook);
 * each counts against the mailbox limits on its own. Outer status 200 whenever the payload
 * parses. Responses come in completion order.
 */

const MAX_ITEMS = 20;
const PARALLEL = 4;
const METHODS = new Set(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']);

interface BatchItem {
  readonly id: string;
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: unknown;
  readonly hasBody: boolean;
  readonly dependsOn: readonly string[];
}

export interface BatchOutcome {
  readonly result: GraphResult;
  /** An item asked for the response to be lost (fault injection). */
  readonly drop: boolean;
}

/** Runs a batch; `runItem` sends one item through the normal pipeline. */
export async function executeBatch(
  body: unknown,
  runItem: (req: GraphRequest) => Promise<PipelineOutcome>,
  decorateBody: (body: unknown, req: { readonly headers: Readonly<Record<string, string>> }) => unknown,
): Promise<BatchOutcome> {
  const parsed = parseBatch(body);
  if ('status' in parsed) return { result: parsed, drop: false };
  const items = parsed;
  const responses: unknown[] = [];
  const statusById = new Map<string, number>();
  const done = new Map<string, Promise<void>>();
  let drop = false;
  let running = 0;
  const waiting: Array<() => void> = [];
  const slot = async () => {
    while (running >= PARALLEL) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
  };
  const freeSlot = () => {
    running--;
    waiting.shift()?.();
  };

  const byId = new Map(items.map((item) => [item.id, item]));
  const start = (id: string): Promise<void> => {
    let promise = done.get(id);
    if (!promise) {
      promise = runOne(byId.get(id) as BatchItem);
      done.set(id, promise);
    }
    return promise;
  };

  const runOne = async (item: BatchItem): Promise<void> => {
    await Promise.all(item.dependsOn.map(start));
    if (item.dependsOn.some((dep) => (statusById.get(dep) ?? 500) >= 400)) {
      record(item, graphError(424, 'FailedDependency', 'The request was not run because a request it depends on failed.'));
      return;
    }
    const request = toRequest(item);
    if ('status' in request) {
      record(item, request);
      return;
    }
    await slot();
    try {
      const outcome = await runItem(request);
      if (outcome.drop) drop = true;
      record(item, outcome.result);
    } finally {
      freeSlot();
    }
  };

  const record = (item: BatchItem, result: GraphResult) => {
    statusById.set(item.id, result.status);
    responses.push({ id: item.id, status: result.status, headers: batchHeaders(result), body: decorateBody(result.body ?? null, item) });
  };

  await Promise.all(items.map((item) => start(item.id)));
  return { result: ok(200, { responses }), drop };
}

function parseBatch(body: unknown): BatchItem[] | GraphResult {
  const invalid = (message: string) => graphError(400, 'BadRequest', message);
  const requests = (body as { requests?: unknown } | null)?.requests;
  if (!Array.isArray(requests)) return invalid('Invalid batch payload format.');
  if (requests.length === 0) return invalid('The batch must contain at least one request.');
  if (requests.length > MAX_ITEMS) return invalid(`The number of requests in the batch exceeds the limit of ${MAX_ITEMS}.`);
  const items: BatchItem[] = [];
  const ids = new Set<string>();
  for (const raw of requests as Array<Record<string, unknown>>) {
    if (!raw || typeof raw !== 'object') return invalid('Invalid batch payload format.');
    const { id, method, url } = raw;
    if (typeof id !== 'string' || id === '') return invalid('Every batch request needs a string id.');
    if (ids.has(id)) return invalid(`Batch request ids must be unique; '${id}' is used twice.`);
    ids.add(id);
    if (typeof method !== 'string' || !METHODS.has(method.toUpperCase())) return invalid(`Batch request '${id}' has an invalid method.`);
    if (typeof url !== 'string' || /^[a-z]+:\/\//i.test(url)) return invalid(`Batch request '${id}' must have a relative url.`);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries((raw.headers ?? {}) as Record<string, unknown>)) headers[name.toLowerCase()] = String(value);
    const dependsOn = raw.dependsOn === undefined ? [] : raw.dependsOn;
    if (!Array.isArray(dependsOn) || !dependsOn.every((d) => typeof d === 'string')) return invalid(`dependsOn of '${id}' must be an array of ids.`);
    items.push({ id, method: method.toUpperCase(), url, headers, body: raw.body, hasBody: raw.body !== undefined && raw.body !== null, dependsOn });
  }
  for (const item of items) {
    const missing = item.dependsOn.find((dep) => !ids.has(dep));
    if (missing !== undefined) return invalid(`Request '${item.id}' depends on '${missing}', which is not in this batch.`);
  }
  const cyclic = findCycle(items);
  if (cyclic) return invalid(`The dependsOn chain of request '${cyclic}' is circular.`);
  return items;
}

function findCycle(items: readonly BatchItem[]): string | null {
  const byId = new Map(items.map((item) => [item.id, item]));
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string): boolean => {
    if (state.get(id) === 'done') return false;
    if (state.get(id) === 'visiting') return true;
    state.set(id, 'visiting');
    const cyclic = (byId.get(id)?.dependsOn ?? []).some(visit);
    state.set(id, 'done');
    return cyclic;
  };
  return items.find((item) => visit(item.id))?.id ?? null;
}

function toRequest(item: BatchItem): GraphRequest | GraphResult {
  if (item.hasBody && !item.headers['content-type']) {
    return graphError(400, 'BadRequest', 'A Content-Type header is required when a request body is present.');
  }
  const questionMark = item.url.indexOf('?');
  const pathText = questionMark === -1 ? item.url : item.url.slice(0, questionMark);
  const query = parseQueryString(questionMark === -1 ? '' : item.url.slice(questionMark + 1));
  if (!query) return graphError(400, 'BadRequest', `The url '${item.url}' is not correctly encoded.`);
  let segments: string[];
  try {
    segments = pathText.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return graphError(400, 'BadRequest', `The url '${item.url}' is not correctly encoded.`);
  }
  let body = item.body;
  if (typeof body === 'string' && item.headers['content-type']?.includes('json')) {
    try {
      body = JSON.parse(body);
    } catch {
      return graphError(400, 'BadRequest', 'The request body is not valid JSON.');
    }
  }
  return { method: item.method, segments, query, headers: item.headers, body: item.hasBody ? body : undefined };
}

const HEADER_NAMES: Readonly<Record<string, string>> = {
  'content-type': 'Content-Type',
  location: 'Location',
  etag: 'ETag',
  'retry-after': 'Retry-After',
  'preference-applied': 'Preference-Applied',
};

function batchHeaders(result: GraphResult): Record<string, string> {
  const headers: Record<string, string> = {};
  if (result.body !== null && result.body !== undefined) headers['Content-Type'] = 'application/json';
  for (const [name, value] of Object.entries(result.headers)) headers[HEADER_NAMES[name] ?? name] = value;
  return headers;
}
