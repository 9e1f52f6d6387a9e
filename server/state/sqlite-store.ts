import type Database from 'better-sqlite3';
import type { Link, RunReport, SourceKey } from '../domain/types.ts';
import type { LogEvent } from '../domain/logger.ts';
import type { LockHolder, LogFilter, PendingCreate, StateStore, StoredLog } from './state-store.ts';
import { openStateDatabase } from './apply-migrations.ts';
import { redactSecrets } from './redact.ts';

export interface StateStoreOptions {
  /** Clock for log times, lock ages and approvals (tests pass a fixed one). */
  readonly now?: () => Date;
  /** How long a write waits for another process's write before failing (default 5000 ms). */
  readonly busyTimeoutMs?: number;
  /** Where the numbered `.sql` migrations are (default: the shipped `migrations/`). */
  readonly migrationsDir?: string;
}

interface LinkRow {
  source_key: string; mailbox: string; calendar_id: string; remote_id: string; change_key: string | null;
  render_hash: string; source_modified_at: string; updated_at: string;
}
interface PendingRow { source_key: string; mailbox: string; transaction_id: string; since: string }
interface LockRow { holder: string; since: string; heartbeat: string }
interface LogRow {
  id: number; at: string; level: LogEvent['level']; message: string; run_id: string | null; source_key: string | null;
  mailbox: string | null; action: string | null; duration_ms: number | null; request_id: string | null; data: string | null;
}

const LEVEL_RANK: Readonly<Record<LogEvent['level'], number>> = { debug: 0, info: 1, warn: 2, error: 3 };

/**
 * Opens (creating when missing) the SQLite state database and brings it to the newest migration.
 * WAL + `synchronous=NORMAL`: a committed transaction survives a killed process; every write
 * below is its own short transaction, so a crash loses at most the write in flight.
 * Throws a `StateDbError` (code `state-db-too-new`) for a file written by a newer program.
 */
export function openStateStore(path: string, opts: StateStoreOptions = {}): StateStore {
  const now = opts.now ?? (() => new Date());
  const db = openStateDatabase(path, opts);
  return createStore(db, now);
}

function createStore(db: Database.Database, now: () => Date): StateStore {
  // Prepared once; every call below only binds parameters.
  const s = {
    allLinks: db.prepare<[], LinkRow>('SELECT * FROM links'),
    linkByKey: db.prepare<[string], LinkRow>('SELECT * FROM links WHERE source_key = ?'),
    linkByRemote: db.prepare<[string], LinkRow>('SELECT * FROM links WHERE remote_id = ?'),
    countLinks: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM links'),
    upsertLink: db.prepare(`INSERT INTO links (source_key, mailbox, calendar_id, remote_id, change_key, render_hash, source_modified_at, updated_at)
      VALUES (@source_key, @mailbox, @calendar_id, @remote_id, @change_key, @render_hash, @source_modified_at, @updated_at)
      ON CONFLICT (source_key) DO UPDATE SET mailbox = excluded.mailbox, calendar_id = excluded.calendar_id,
        remote_id = excluded.remote_id, change_key = excluded.change_key, render_hash = excluded.render_hash,
        source_modified_at = excluded.source_modified_at, updated_at = excluded.updated_at`),
    deleteLink: db.prepare<[string]>('DELETE FROM links WHERE source_key = ?'),
    upsertPending: db.prepare(`INSERT INTO pending_creates (source_key, mailbox, transaction_id, since) VALUES (@source_key, @mailbox, @transaction_id, @since)
      ON CONFLICT (source_key) DO UPDATE SET mailbox = excluded.mailbox, transaction_id = excluded.transaction_id, since = excluded.since`),
    deletePending: db.prepare<[string]>('DELETE FROM pending_creates WHERE source_key = ?'),
    allPending: db.prepare<[], PendingRow>('SELECT * FROM pending_creates'),
    getWatermark: db.prepare<[string], { value: string | null }>('SELECT value FROM watermarks WHERE stream = ?'),
    setWatermark: db.prepare<[string, string]>(`INSERT INTO watermarks (stream, value) VALUES (?, ?)
      ON CONFLICT (stream) DO UPDATE SET value = excluded.value`),
    getFullPass: db.prepare<[string], { last_full_pass: string | null }>('SELECT last_full_pass FROM watermarks WHERE stream = ?'),
    setFullPass: db.prepare<[string, string]>(`INSERT INTO watermarks (stream, last_full_pass) VALUES (?, ?)
      ON CONFLICT (stream) DO UPDATE SET last_full_pass = excluded.last_full_pass`),
    upsertRun: db.prepare(`INSERT INTO runs (run_id, started_at, finished_at, mode, dry_run, created, updated, moved, deleted, failed, held, error, report)
      VALUES (@run_id, @started_at, @finished_at, @mode, @dry_run, @created, @updated, @moved, @deleted, @failed, @held, @error, @report)
      ON CONFLICT (run_id) DO UPDATE SET started_at = excluded.started_at, finished_at = excluded.finished_at, mode = excluded.mode,
        dry_run = excluded.dry_run, created = excluded.created, updated = excluded.updated, moved = excluded.moved,
        deleted = excluded.deleted, failed = excluded.failed, held = excluded.held, error = excluded.error, report = excluded.report`),
    getRun: db.prepare<[string], { report: string }>('SELECT report FROM runs WHERE run_id = ?'),
    listRuns: db.prepare<[number], { report: string }>('SELECT report FROM runs ORDER BY started_at DESC, rowid DESC LIMIT ?'),
    setApproval: db.prepare<[string, number, string]>(`INSERT INTO approvals (stream, approved, at) VALUES (?, ?, ?)
      ON CONFLICT (stream) DO UPDATE SET approved = excluded.approved, at = excluded.at`),
    consumeApproval: db.prepare<[string], { approved: number }>('DELETE FROM approvals WHERE stream = ? RETURNING approved'),
    insertLog: db.prepare(`INSERT INTO logs (at, level, message, run_id, source_key, mailbox, action, duration_ms, request_id, data)
      VALUES (@at, @level, @message, @run_id, @source_key, @mailbox, @action, @duration_ms, @request_id, @data)`),
    pruneLogs: db.prepare<[string]>('DELETE FROM logs WHERE at < ?'),
    // Run reports age like logs, but the newest one always stays (it is /api/status's last run).
    pruneRuns: db.prepare<[string]>('DELETE FROM runs WHERE started_at < ? AND run_id <> (SELECT run_id FROM runs ORDER BY started_at DESC LIMIT 1)'),
    getLock: db.prepare<[string], LockRow>('SELECT holder, since, heartbeat FROM locks WHERE name = ?'),
    takeLock: db.prepare<[string, string, string, string]>(`INSERT INTO locks (name, holder, since, heartbeat) VALUES (?, ?, ?, ?)
      ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, since = excluded.since, heartbeat = excluded.heartbeat`),
    beatLock: db.prepare<[string, string, string]>('UPDATE locks SET heartbeat = ? WHERE name = ? AND holder = ?'),
    releaseLock: db.prepare<[string, string]>('DELETE FROM locks WHERE name = ? AND holder = ?'),
  };
  const logQueries = createLogQueries(db);

  // Links kept in memory between runs so that an idle poll does not re-read 100k rows. Our own
  // writes update the copy; PRAGMA data_version moves when another process (a CLI run) commits.
  let linkCache: Map<string, Link> | null = null;
  // The same links split by record kind, so each kind's plan gets its own map without a scan.
  let kindCache = new Map<string, Map<string, Link>>();
  let cacheVersion = -1;
  const dataVersion = () => Number(db.pragma('data_version', { simple: true }));
  const kindMap = (sourceKey: string): Map<string, Link> => {
    const kind = kindOfKey(sourceKey);
    let map = kindCache.get(kind);
    if (!map) kindCache.set(kind, (map = new Map()));
    return map;
  };
  const loadLinks = (kind?: string): ReadonlyMap<string, Link> => {
    const version = dataVersion();
    if (linkCache === null || version !== cacheVersion) {
      linkCache = new Map(s.allLinks.all().map((r) => [r.source_key, fromLinkRow(r)] as const));
      kindCache = new Map();
      for (const [key, link] of linkCache) kindMap(key).set(key, link);
      cacheVersion = version;
    }
    return kind === undefined ? linkCache : (kindCache.get(kind) ?? new Map());
  };
  const saveLink = (link: Link): void => {
    try {
      s.upsertLink.run(toLinkRow(link));
    } catch (err) {
      throw explainLinkConflict(err, link, s.linkByRemote.get(link.remoteId));
    }
    if (linkCache) {
      linkCache.set(link.sourceKey, link);
      kindMap(link.sourceKey).set(link.sourceKey, link);
    }
  };
  const deleteLink = (sourceKey: string): void => {
    s.deleteLink.run(sourceKey);
    linkCache?.delete(sourceKey);
    kindCache.get(kindOfKey(sourceKey))?.delete(sourceKey);
  };
  const commitCreated = db.transaction((link: Link) => {
    saveLink(link);
    s.deletePending.run(link.sourceKey);
  });
  const acquireLock = db.transaction((name: string, holder: string, staleAfterMs: number): LockHolder | null => {
    const at = now();
    const iso = at.toISOString();
    const row = s.getLock.get(name);
    if (row && row.holder === holder) {
      s.beatLock.run(iso, name, holder); // the holder asking again renews its heartbeat
      return null;
    }
    // NaN (an unreadable heartbeat) counts as stale: a lock nobody can date must not block forever.
    if (row && at.getTime() - Date.parse(row.heartbeat) < staleAfterMs) return { holder: row.holder, since: row.since };
    s.takeLock.run(name, holder, iso, iso);
    return null;
  });

  return {
    loadLinks,
    getLink: (sourceKey) => mapOrNull(s.linkByKey.get(sourceKey), fromLinkRow),
    findLinkByRemoteId: (remoteId) => mapOrNull(s.linkByRemote.get(remoteId), fromLinkRow),
    countLinks: () => s.countLinks.get()?.n ?? 0,
    saveLink,
    deleteLink,

    markPending: (entry) => {
      s.upsertPending.run({ source_key: entry.sourceKey, mailbox: entry.mailbox, transaction_id: entry.transactionId, since: entry.since });
    },
    clearPending: (sourceKey) => { s.deletePending.run(sourceKey); },
    loadPending: () => new Map(s.allPending.all().map((r) => [r.source_key, fromPendingRow(r)] as const)),
    commitCreated: (link) => { commitCreated.immediate(link); },

    getWatermark: (stream) => s.getWatermark.get(stream)?.value ?? null,
    setWatermark: (stream, value) => { s.setWatermark.run(stream, value); },
    getLastFullPass: (stream) => s.getFullPass.get(stream)?.last_full_pass ?? null,
    setLastFullPass: (stream, at) => { s.setFullPass.run(stream, at); },

    saveRun: (report) => { s.upsertRun.run(toRunRow(report)); },
    getRun: (runId) => mapOrNull(s.getRun.get(runId), (r) => JSON.parse(r.report) as RunReport),
    listRuns: (limit) => s.listRuns.all(Math.max(0, Math.trunc(limit))).map((r) => JSON.parse(r.report) as RunReport),

    setApproval: (stream, approved) => { s.setApproval.run(stream, approved ? 1 : 0, now().toISOString()); },
    consumeApproval: (stream) => s.consumeApproval.get(stream)?.approved === 1,

    appendLog: (event, at) => { s.insertLog.run(toLogRow(redactSecrets(event), at ?? now().toISOString())); },
    queryLogs: (filter) => logQueries(filter),
    pruneLogs: (olderThan) => {
      s.pruneRuns.run(olderThan);
      return s.pruneLogs.run(olderThan).changes;
    },

    acquireLock: (name, holder, staleAfterMs) => acquireLock.immediate(name, holder, staleAfterMs),
    releaseLock: (name, holder) => { s.releaseLock.run(name, holder); },

    close: () => { if (db.open) db.close(); },
  };
}

/**
 * Log queries by filter shape, each prepared on first use and kept, so a query by run id or
 * source key uses its index. Returns the newest `limit` matches, oldest first; `level` is the
 * lowest severity wanted (`warn` → warn and error).
 */
function createLogQueries(db: Database.Database): (filter: LogFilter) => readonly StoredLog[] {
  const cache = new Map<string, Database.Statement<Record<string, string | number>, LogRow>>();
  return (filter) => {
    const where: string[] = ['CASE level WHEN \'debug\' THEN 0 WHEN \'info\' THEN 1 WHEN \'warn\' THEN 2 ELSE 3 END >= @minRank'];
    const params: Record<string, string | number> = { minRank: filter.level ? LEVEL_RANK[filter.level] : 0, limit: filter.limit ?? -1 };
    if (filter.runId !== undefined) { where.push('run_id = @runId'); params.runId = filter.runId; }
    if (filter.sourceKey !== undefined) { where.push('source_key = @sourceKey'); params.sourceKey = filter.sourceKey; }
    const shape = where.join(' AND ');
    let stmt = cache.get(shape);
    if (!stmt) {
      stmt = db.prepare<Record<string, string | number>, LogRow>(`SELECT * FROM logs WHERE ${shape} ORDER BY id DESC LIMIT @limit`);
      cache.set(shape, stmt);
    }
    return stmt.all(params).reverse().map(fromLogRow);
  };
}

function mapOrNull<R, T>(row: R | undefined, map: (row: R) => T): T | null {
  return row === undefined ? null : map(row);
}

function toLinkRow(link: Link): LinkRow {
  return {
    source_key: link.sourceKey, mailbox: link.mailbox, calendar_id: link.calendarId, remote_id: link.remoteId,
    change_key: link.changeKey, render_hash: link.renderHash, source_modified_at: link.sourceModifiedAt, updated_at: link.updatedAt,
  };
}

function fromLinkRow(r: LinkRow): Link {
  return {
    sourceKey: r.source_key, mailbox: r.mailbox, calendarId: r.calendar_id, remoteId: r.remote_id,
    changeKey: r.change_key, renderHash: r.render_hash, sourceModifiedAt: r.source_modified_at, updatedAt: r.updated_at,
  };
}

function fromPendingRow(r: PendingRow): PendingCreate {
  return { sourceKey: r.source_key, mailbox: r.mailbox, transactionId: r.transaction_id, since: r.since };
}

function toRunRow(report: RunReport): Record<string, string | number | null> {
  return {
    run_id: report.runId, started_at: report.startedAt, finished_at: report.finishedAt, mode: report.mode,
    dry_run: report.dryRun ? 1 : 0, created: report.created, updated: report.updated, moved: report.moved,
    deleted: report.deleted, failed: report.failed, held: report.held ? 1 : 0, error: report.error,
    report: JSON.stringify(report),
  };
}

function toLogRow(event: LogEvent, at: string): Omit<LogRow, 'id'> {
  return {
    at, level: event.level, message: event.message, run_id: event.runId ?? null, source_key: event.sourceKey ?? null,
    mailbox: event.mailbox ?? null, action: event.action ?? null,
    duration_ms: typeof event.durationMs === 'number' && Number.isFinite(event.durationMs) ? event.durationMs : null,
    request_id: event.requestId ?? null, data: event.data === undefined ? null : JSON.stringify(event.data),
  };
}

function fromLogRow(r: LogRow): StoredLog {
  // Only the fields that were set, so a stored event reads back like the one logged.
  const optional = {
    runId: r.run_id, sourceKey: r.source_key, mailbox: r.mailbox, action: r.action,
    durationMs: r.duration_ms, requestId: r.request_id, data: r.data === null ? null : JSON.parse(r.data) as Record<string, unknown>,
  };
  const present = Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== null));
  return { id: r.id, at: r.at, level: r.level, message: r.message, ...present };
}

/** A remote id already linked to another record is a bug upstream: say which record holds it. */
function explainLinkConflict(err: unknown, link: Link, holder: LinkRow | undefined): unknown {
  const code = (err as { code?: unknown }).code;
  if (code !== 'SQLITE_CONSTRAINT_UNIQUE' || !holder || holder.source_key === link.sourceKey) return err;
  return Object.assign(
    new Error(`Wydarzenie kalendarza jest już powiązane z rekordem ${holder.source_key}, więc nie można go powiązać z ${link.sourceKey} — uruchom pełny przebieg synchronizacji; jeśli błąd wraca, zgłoś go.`, { cause: err }),
    { code: 'link-remote-id-taken', transient: false, sourceKey: link.sourceKey, heldBy: holder.source_key },
  );
}

/** `serwis:zlecenie:12` → `serwis:zlecenie`: a source key is its kind, a colon and the id. */
function kindOfKey(sourceKey: string): string {
  const i = sourceKey.lastIndexOf(':');
  return i < 0 ? '' : sourceKey.slice(0, i);
}
