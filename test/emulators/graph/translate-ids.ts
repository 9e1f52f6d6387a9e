import { formatId, fromEwsId, parseId, toEwsId } from './graph-ids.ts';
import { graphError, ok } from './graph-result.ts';
import type { GraphRequest, GraphResult } from './graph-result.ts';
import type { RouteContext } from './calendar-routes.ts';

/**
 * `POST /users/{u}/translateExchangeIds` for `restId`, `restImmutableEntryId` and `ewsId`
 * (entryId forms are not emulated). An id that does not parse, or belongs to another mailbox,
 * gets `errorDetails` instead of `targetId`, per item.
 */
const SUPPORTED = new Set(['restid', 'restimmutableentryid', 'ewsid']);

export function translateExchangeIds(ctx: RouteContext, req: GraphRequest): GraphResult {
  const body = req.body as { inputIds?: unknown; sourceIdType?: unknown; targetIdType?: unknown } | undefined;
  const inputIds = body?.inputIds;
  const source = String(body?.sourceIdType ?? '').toLowerCase();
  const target = String(body?.targetIdType ?? '').toLowerCase();
  if (!Array.isArray(inputIds) || !inputIds.every((id) => typeof id === 'string')) {
    return graphError(400, 'ErrorInvalidParameter', 'inputIds must be an array of strings.');
  }
  if (inputIds.length > 1000) return graphError(400, 'ErrorInvalidParameter', 'At most 1000 ids can be translated in one request.');
  if (!SUPPORTED.has(source) || !SUPPORTED.has(target)) {
    return graphError(400, 'ErrorInvalidRequest', 'The emulator translates restId, restImmutableEntryId and ewsId only.');
  }
  const value = (inputIds as string[]).map((sourceId) => {
    const parsed = parseId(source === 'ewsid' ? fromEwsId(sourceId) : sourceId);
    if (!parsed || parsed.tag !== ctx.mailbox.tag) {
      return { sourceId, errorDetails: { code: 'ErrorInvalidIdMalformed', message: 'Id is malformed.' } };
    }
    const targetId =
      target === 'restimmutableentryid'
        ? formatId('immutable', parsed.tag, parsed.key)
        : target === 'ewsid'
          ? toEwsId(formatId('regular', parsed.tag, parsed.key))
          : formatId('regular', parsed.tag, parsed.key);
    return { sourceId, targetId };
  });
  return ok(200, { '@odata.context': `${ctx.baseUrl}/v1.0/$metadata#Collection(microsoft.graph.convertIdResult)`, value });
}
