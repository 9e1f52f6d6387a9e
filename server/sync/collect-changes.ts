import type { Link, RecordKind, SkippedRecord, SourceKey, SourceRow } from '../domain/types.ts';
import type { SourceChecksum, SourcePerson, SourceReader } from '../source/source-reader.ts';
import type { KeySet } from './plan-sync.ts';
import type { StateStore } from '../state/state-store.ts';
import { describeError } from '../domain/describe-error.ts';
import { indexPeopleEmails } from './route-mailbox.ts';
import { keyPrefixOf, streamName } from './companies.ts';

/** An admin's named extra query: one SELECT whose parameters come from the row (config). */
export interface ExtraQuery {
  readonly name: string;
  readonly sql: string;
  /** Parameter name → path in the row, e.g. `id` or `columns.SrZ_PodmiotId`. */
  readonly params: Readonly<Record<string, string>>;
}

/** Optima's people list, kept between runs and re-read when older than `ttlMs`. */
export interface PeopleCache {
  people: readonly SourcePerson[] | null;
  readAt: number;
  readonly ttlMs: number;
}

export function createPeopleCache(ttlMs = 10 * 60_000): PeopleCache {
  return { people: null, readAt: 0, ttlMs };
}

/** One company's people by person key, re-read from `reader` only when the cache is stale. */
export async function readPeopleEmails(cache: PeopleCache, reader: SourceReader, company: string, nowMs: number): Promise<ReadonlyMap<string, string>> {
  if (cache.people === null || nowMs - cache.readAt > cache.ttlMs) {
    cache.people = await reader.readPeople();
    cache.readAt = nowMs;
  }
  return indexPeopleEmails(cache.people, company);
}

/** In-scope ids per kind from the last full ids read, with their count and sum. */
export type IdsCache = Map<RecordKind, CachedIds>;

/** In-scope ids, and the same as source keys (the plan tests 100k links against them per poll). */
interface CachedIds {
  readonly ids: Set<number>;
  readonly keys: Set<SourceKey>;
  count: number;
  idSum: bigint;
}

export function createIdsCache(): IdsCache {
  return new Map();
}

/**
 * Every in-scope id, as cheaply as can be proven right. With a cached set, one checksum row
 * (count and sum of ids) is compared with the cache plus the ids that appeared among the
 * changed rows: equal means nothing was deleted or left the scope, so the cache stands. Any
 * difference (a deletion, a row leaving scope, a change outside Optima's stamps) reads the full
 * list. Inserts and rows entering scope always bump the stamp, so they are among `changed`.
 */
async function resolveSourceIds(
  reader: SourceReader, cache: IdsCache, kind: RecordKind, keyPrefix: string, changed: readonly SourceRow[],
  cached: CachedIds | undefined,
  checksum: SourceChecksum | null,
): Promise<CachedIds> {
  if (cached && checksum) {
    const appeared = new Set<number>();
    for (const row of changed) if (!cached.ids.has(row.id)) appeared.add(row.id);
    let sum = cached.idSum;
    for (const id of appeared) sum += BigInt(id);
    if (checksum.count === cached.count + appeared.size && checksum.idSum === sum) {
      for (const id of appeared) {
        cached.ids.add(id);
        cached.keys.add(`${keyPrefix}${kind}:${id}`);
      }
      cached.count = checksum.count;
      cached.idSum = sum;
      return cached;
    }
  }
  const ids = new Set(await reader.readSourceIds(kind));
  const keys = new Set<SourceKey>();
  let idSum = 0n;
  for (const id of ids) {
    idSum += BigInt(id);
    keys.add(`${keyPrefix}${kind}:${id}`);
  }
  const fresh = { ids, keys, count: ids.size, idSum };
  cache.set(kind, fresh);
  return fresh;
}

export interface CollectedRow {
  readonly row: SourceRow;
  /** Results of the extra queries for this row, by query name. */
  readonly extra: Readonly<Record<string, readonly Record<string, unknown>[]>>;
}

export interface Collected {
  readonly rows: readonly CollectedRow[];
  /** Rows whose extra query failed: skipped this run, with the query's name in the reason. */
  readonly failedRows: readonly SkippedRecord[];
  /** Stamps of those rows: the watermark stays before them, so the next run reads them again. */
  readonly failedStamps: ReadonlyMap<SourceKey, string>;
  readonly presentKeys: KeySet;
  readonly links: ReadonlyMap<SourceKey, Link>;
  readonly emails: ReadonlyMap<string, string>;
  readonly previousWatermark: string | null;
}

/**
 * The I/O half of a run for one kind: rows changed since the watermark (minus an overlap, so a
 * transaction that committed late is not missed), every source id (one ids-only query, for
 * deletions), and the stored links (loaded once). An idle poll is those two queries and no more.
 */
export async function collectChanges(
  deps: { readonly reader: SourceReader; readonly store: StateStore; readonly people: PeopleCache; readonly ids: IdsCache; readonly now: () => Date },
  options: {
    readonly kind: RecordKind;
    /** Code of the company `deps.reader` reads ('' = the main one, the default): names its stream and keys. */
    readonly company?: string;
    readonly full: boolean; readonly overlapSeconds: number; readonly extraQueries: readonly ExtraQuery[]; readonly needPeople: boolean },
): Promise<Collected> {
  const company = options.company ?? '';
  const stream = streamName(company, options.kind);
  const previousWatermark = deps.store.getWatermark(stream);
  const since = options.full || previousWatermark === null ? null : subtractSeconds(previousWatermark, options.overlapSeconds);
  const cached = options.full ? undefined : deps.ids.get(options.kind);
  const [changed, checksum] = await Promise.all([
    deps.reader.readChangedRows(options.kind, since),
    cached ? deps.reader.readSourceChecksum(options.kind) : null,
  ]);
  const { ids, keys: presentKeys } = await resolveSourceIds(deps.reader, deps.ids, options.kind, keyPrefixOf(company), changed, cached, checksum);
  // Rows outside the ids query's scope are not wanted (e.g. moved back to a state we skip).
  const inScope = changed.filter((r) => ids.has(r.id));

  let emails: ReadonlyMap<string, string> = new Map();
  if (options.needPeople && inScope.length > 0) emails = await readPeopleEmails(deps.people, deps.reader, company, deps.now().getTime());

  const rows: CollectedRow[] = [];
  const failedRows: SkippedRecord[] = [];
  const failedStamps = new Map<SourceKey, string>();
  for (const row of inScope) {
    const result = await runExtraQueries(deps.reader, row, options.extraQueries);
    if ('failed' in result) {
      failedRows.push(result.failed);
      failedStamps.set(row.key, row.modifiedAt);
    } else {
      rows.push({ row, extra: result.extra });
    }
  }
  return { rows, failedRows, failedStamps, presentKeys, links: deps.store.loadLinks(stream), emails, previousWatermark };
}

async function runExtraQueries(reader: SourceReader, row: SourceRow, queries: readonly ExtraQuery[]): Promise<{ extra: Record<string, readonly Record<string, unknown>[]> } | { failed: SkippedRecord }> {
  const extra: Record<string, readonly Record<string, unknown>[]> = {};
  for (const q of queries) {
    try {
      extra[q.name] = await reader.runExtraQuery(q.sql, extraQueryParams(row, q));
    } catch (err) {
      return { failed: { sourceKey: row.key, reason: 'query-error', detail: `Zapytanie dodatkowe „${q.name}” nie powiodło się dla ${row.key}: ${describeError(err)}` } };
    }
  }
  return { extra };
}

/** The parameters of an extra query for one row: each named row path's value, null when absent. */
export function extraQueryParams(row: SourceRow, query: ExtraQuery): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [name, path] of Object.entries(query.params)) params[name] = readPath(row, path) ?? null;
  return params;
}

/** Reads `a.b.c` from a row (top-level members, `fields.*`, `columns.*`). */
export function readPath(row: SourceRow, path: string): unknown {
  let value: unknown = row;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** `YYYY-MM-DD HH:mm:ss.SSS` minus whole seconds, kept as wall-clock text (no zone involved). */
export function subtractSeconds(stamp: string, seconds: number): string {
  const asUtc = new Date(stamp.replace(' ', 'T') + 'Z');
  if (Number.isNaN(asUtc.getTime())) return stamp;
  return new Date(asUtc.getTime() - seconds * 1000).toISOString().replace('T', ' ').replace('Z', '');
}
