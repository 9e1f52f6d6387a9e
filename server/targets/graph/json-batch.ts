/**
 * JSON batching (reference/graph-calendar.md §5), built by hand: graph-client 3.0.7's
 * `BatchRequestContent.getContent()` keeps `/v1.0` in item urls, which Graph refuses. Items are
 * parallel (no `dependsOn`); each answer is found by its id, in any order.
 */

/** Most items Graph accepts in one `$batch`. */
export const MAX_BATCH_ITEMS = 20;

export interface BatchItemRequest {
  readonly method: string;
  /** Relative url without the version: `/users/…/events?…`. */
  readonly url: string;
  readonly body?: unknown;
}

/** One item's answer, shaped like a reply to a request of its own. */
export interface BatchItemAnswer {
  readonly status: number;
  readonly json: Record<string, unknown> | null;
  /** Item headers with lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
}

/** The `$batch` payload: item ids are their 1-based positions. */
export function buildBatchPayload(items: readonly BatchItemRequest[], prefer: string): { requests: unknown[] } {
  if (items.length === 0 || items.length > MAX_BATCH_ITEMS) throw new Error(`A batch holds 1 to ${MAX_BATCH_ITEMS} items, not ${items.length}.`);
  return {
    requests: items.map((item, index) => {
      const hasBody = item.body !== undefined;
      return {
        id: String(index + 1),
        method: item.method,
        url: item.url,
        // Content-Type is required with a body (§5); Prefer asks for immutable ids and UTC per item.
        headers: hasBody ? { 'Content-Type': 'application/json', Prefer: prefer } : { Prefer: prefer },
        ...(hasBody ? { body: item.body } : {}),
      };
    }),
  };
}

/**
 * Answers of a `$batch` reply by item position; an item Graph did not answer is null (the caller
 * treats it like a lost response).
 */
export function readBatchAnswers(json: Record<string, unknown> | null, count: number): (BatchItemAnswer | null)[] {
  const answers: (BatchItemAnswer | null)[] = Array.from({ length: count }, () => null);
  const responses = json?.responses;
  if (!Array.isArray(responses)) return answers;
  for (const raw of responses as unknown[]) {
    if (typeof raw !== 'object' || raw === null) continue;
    const { id, status, headers, body } = raw as Record<string, unknown>;
    const index = Number(id) - 1;
    if (!Number.isInteger(index) || index < 0 || index >= count || typeof status !== 'number') continue;
    const lowered: Record<string, string> = {};
    if (typeof headers === 'object' && headers !== null) {
      for (const [name, value] of Object.entries(headers)) lowered[name.toLowerCase()] = String(value);
    }
    answers[index] = { status, json: typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : null, headers: lowered };
  }
  return answers;
}
