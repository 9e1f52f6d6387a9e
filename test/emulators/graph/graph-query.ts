import { collectRootPaths, evaluateFilter, parseFilter } from './odata-filter.ts';
import type { FilterNode } from './odata-filter.ts';
import { graphError, queryOption, readPreference } from './graph-result.ts';
import type { GraphRequest, GraphResult } from './graph-result.ts';
import { isKnownProperty } from './validate-body.ts';
import { canonicalPropertyId } from './extended-property-id.ts';
import type { ExtendedProperty } from './graph-store.ts';

/**
 * OData query options on collections and single items: `$filter`, `$select`, `$expand` of
 * extended properties, `$orderby` (one key), `$top`/`$skip` and `Prefer: odata.maxpagesize`.
 * Paging links are absolute and carry every option (`$skip` moves), like Graph's nextLink.
 */

export interface ItemQuery {
  readonly select: readonly string[] | null;
  /** `$expand=singleValueExtendedProperties(…)`; null when not expanded. */
  readonly expandExtended: { readonly filter: FilterNode | null } | null;
}

export interface CollectionQuery extends ItemQuery {
  readonly filter: FilterNode | null;
  readonly orderBy: { readonly path: readonly string[]; readonly descending: boolean } | null;
  readonly top: number;
  readonly skip: number;
}

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: GraphResult };

const MAX_PAGE = 1000;

function unknownProperty(typeName: string, name: string): GraphResult {
  return graphError(400, 'RequestBroker--ParseUri', `Could not find a property named '${name}' on type 'microsoft.graph.${typeName}'.`);
}

/** Parses `$select` and `$expand` (valid on single items and collections). */
export function parseItemQuery(req: GraphRequest, typeName: string): Parsed<ItemQuery> {
  const selectText = queryOption(req.query, '$select');
  let select: string[] | null = null;
  if (selectText !== undefined) {
    select = selectText.split(',').map((s) => s.trim()).filter(Boolean);
    const unknown = select.find((name) => !isKnownProperty(typeName, name));
    if (unknown) return { ok: false, error: unknownProperty(typeName, unknown) };
  }
  const expandText = queryOption(req.query, '$expand');
  let expandExtended: ItemQuery['expandExtended'] = null;
  if (expandText !== undefined) {
    for (const item of splitTopLevel(expandText, ',')) {
      const m = /^\s*([\w]+)\s*(?:\((.*)\))?\s*$/s.exec(item);
      if (!m || m[1].toLowerCase() !== 'singlevalueextendedproperties') {
        return { ok: false, error: graphError(400, 'RequestBroker--ParseUri', `Could not find a navigation property named '${m?.[1] ?? item}' that the emulator can expand.`) };
      }
      let filter: FilterNode | null = null;
      for (const option of m[2] ? splitTopLevel(m[2], ';') : []) {
        const eq = option.indexOf('=');
        if (option.slice(0, eq).trim().toLowerCase() !== '$filter') continue;
        const parsed = parseFilter(option.slice(eq + 1));
        if (!parsed.ok) return { ok: false, error: graphError(400, 'BadRequest', `Invalid filter clause: ${parsed.message}`) };
        filter = parsed.node;
      }
      expandExtended = { filter };
    }
  }
  return { ok: true, value: { select, expandExtended } };
}

/** Parses the options of a collection request (`defaultTop` = page size when none is asked). */
export function parseCollectionQuery(req: GraphRequest, typeName: string, defaultTop: number): Parsed<CollectionQuery> {
  const item = parseItemQuery(req, typeName);
  if (!item.ok) return item;
  let filter: FilterNode | null = null;
  const filterText = queryOption(req.query, '$filter');
  if (filterText !== undefined) {
    const parsed = parseFilter(filterText);
    if (!parsed.ok) return { ok: false, error: graphError(400, 'BadRequest', `Invalid filter clause: ${parsed.message}`) };
    const unknown = collectRootPaths(parsed.node).find((path) => !isKnownProperty(typeName, path[0]));
    if (unknown) return { ok: false, error: unknownProperty(typeName, unknown[0]) };
    filter = parsed.node;
  }
  let orderBy: CollectionQuery['orderBy'] = null;
  const orderText = queryOption(req.query, '$orderby');
  if (orderText !== undefined) {
    const m = /^\s*([\w/]+)(?:\s+(asc|desc))?\s*$/i.exec(orderText);
    if (!m) return { ok: false, error: graphError(400, 'BadRequest', `The emulator supports one $orderby key; got '${orderText}'.`) };
    const path = m[1].split('/');
    if (!isKnownProperty(typeName, path[0])) return { ok: false, error: unknownProperty(typeName, path[0]) };
    orderBy = { path, descending: m[2]?.toLowerCase() === 'desc' };
  }
  const preferred = Number(readPreference(req.headers, 'odata.maxpagesize') ?? NaN);
  const top = readCount(queryOption(req.query, '$top'), Number.isInteger(preferred) && preferred > 0 ? preferred : defaultTop);
  const skip = readCount(queryOption(req.query, '$skip'), 0);
  if (top === null || skip === null) return { ok: false, error: graphError(400, 'BadRequest', 'Invalid value for $top or $skip: a non-negative integer is required.') };
  return { ok: true, value: { ...item.value, filter, orderBy, top: Math.min(top, MAX_PAGE), skip } };
}

function readCount(text: string | undefined, fallback: number): number | null {
  if (text === undefined) return fallback;
  return /^\d+$/.test(text.trim()) ? Number(text) : null;
}

const canonicalLiterals = new Map<string, string>();

/** Extended-property literals compare in canonical form (GUID case etc.); memoised per literal. */
const normalizeLiteral = (path: readonly string[], literal: string): string => {
  if (path[path.length - 1]?.toLowerCase() !== 'id') return literal;
  let canonical = canonicalLiterals.get(literal);
  if (canonical === undefined) {
    canonical = canonicalPropertyId(literal) ?? literal;
    if (canonicalLiterals.size > 10_000) canonicalLiterals.clear();
    canonicalLiterals.set(literal, canonical);
  }
  return canonical;
};

/**
 * Whether an item passes `$filter`. `render` is called only when the filter reads more than the
 * extended properties: stamp lookups over big calendars stay cheap.
 */
export function createFilterMatcher(filter: FilterNode | null): (render: () => Record<string, unknown>, extended: readonly ExtendedProperty[]) => boolean {
  if (!filter) return () => true;
  const onlyExtended = collectRootPaths(filter).every((path) => path[0].toLowerCase() === 'singlevalueextendedproperties');
  return (render, extended) => {
    const root = onlyExtended ? { singleValueExtendedProperties: extended } : { ...render(), singleValueExtendedProperties: extended };
    return evaluateFilter(filter, root, { normalizeLiteral });
  };
}

/** Applies `$select` and `$expand` to one rendered item. */
export function shapeItem(rendered: Record<string, unknown>, extended: readonly ExtendedProperty[], query: ItemQuery): Record<string, unknown> {
  let shaped = rendered;
  if (query.select) {
    shaped = {};
    for (const key of ['@odata.etag', 'id']) if (key in rendered) shaped[key] = rendered[key];
    for (const name of query.select) if (name in rendered) shaped[name] = rendered[name];
  }
  if (query.expandExtended) {
    const filter = query.expandExtended.filter;
    const picked = extended.filter((p) => !filter || evaluateFilter(filter, p, { normalizeLiteral }));
    // An absent property leaves the key out entirely (reference §4).
    if (picked.length > 0) shaped = { ...shaped, singleValueExtendedProperties: picked.map((p) => ({ id: p.id, value: p.value })) };
  }
  return shaped;
}

/** Sorts items by `$orderby`, reading each through `render`. */
export function sortItems<T>(items: T[], orderBy: CollectionQuery['orderBy'], render: (item: T) => Record<string, unknown>): T[] {
  if (!orderBy) return items;
  const valueOf = (item: T): unknown => orderBy.path.reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), render(item));
  const sorted = [...items].sort((a, b) => {
    const [x, y] = [valueOf(a), valueOf(b)];
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x ?? '').localeCompare(String(y ?? ''));
    return orderBy.descending ? -order : order;
  });
  return sorted;
}

/** One page of a collection: `{ value, @odata.nextLink? }` with an absolute link; only the page is shaped. */
export function pageOf<T>(
  req: GraphRequest,
  baseUrl: string,
  query: CollectionQuery,
  items: readonly T[],
  context: string,
  shape: (item: T) => unknown,
): Record<string, unknown> {
  const value = items.slice(query.skip, query.skip + query.top).map(shape);
  const page: Record<string, unknown> = { '@odata.context': `${baseUrl}/v1.0/$metadata#${context}`, value };
  if (query.skip + query.top < items.length) page['@odata.nextLink'] = linkWith(req, baseUrl, { $skip: String(query.skip + query.top), $top: String(query.top) });
  return page;
}

/** The request's own absolute URL with some query options replaced. */
export function linkWith(req: GraphRequest, baseUrl: string, replace: Readonly<Record<string, string>>): string {
  const options = new Map<string, string>();
  for (const [key, value] of req.query) if (!(key.toLowerCase() in lowerKeys(replace))) options.set(key, value);
  for (const [key, value] of Object.entries(replace)) options.set(key, value);
  const path = req.segments.map(encodeURIComponent).join('/');
  const search = [...options].map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join('&');
  return `${baseUrl}/v1.0/${path}${search ? `?${search}` : ''}`;
}

function lowerKeys(record: Readonly<Record<string, string>>): Record<string, true> {
  return Object.fromEntries(Object.keys(record).map((k) => [k.toLowerCase(), true]));
}

/** Splits on `separator` outside parentheses and quotes. */
function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (const c of text) {
    if (c === "'") quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')') depth--;
    if (c === separator && depth === 0 && !quoted) {
      parts.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  if (current.trim()) parts.push(current);
  return parts;
}
