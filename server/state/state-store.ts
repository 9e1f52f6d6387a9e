import type { Link, RunReport, SourceKey } from '../domain/types.ts';
import type { LogEvent } from '../domain/logger.ts';

/**
 * Port: everything the server remembers. Adapter: SQLite (`sqlite-store.ts`, better-sqlite3 in
 * WAL mode, numbered migrations in `migrations/`). Every write commits at once, so a crash loses
 * at most the item in flight.
 */
export interface StateStore {
  /**
   * All links, or those of one record kind (`serwis:zlecenie`), kept in memory between runs (a
   * read-only view: write through saveLink/deleteLink).
   */
  loadLinks(kind?: string): ReadonlyMap<SourceKey, Link>;
  getLink(sourceKey: SourceKey): Link | null;
  findLinkByRemoteId(remoteId: string): Link | null;
  countLinks(): number;
  /** Inserts or replaces the link of `link.sourceKey`. */
  saveLink(link: Link): void;
  deleteLink(sourceKey: SourceKey): void;

  /**
   * A create about to be sent: written before the Graph call, cleared with the link commit. A
   * pending entry left by a crash tells the next run to look the event up by its stamp first.
   */
  markPending(entry: PendingCreate): void;
  clearPending(sourceKey: SourceKey): void;
  loadPending(): Map<SourceKey, PendingCreate>;
  /** Saves the link and clears the pending entry of the same key in one transaction. */
  commitCreated(link: Link): void;

  /** Watermark per stream (e.g. `serwis:zlecenie`), stored at full precision as text. */
  getWatermark(stream: string): string | null;
  setWatermark(stream: string, value: string): void;
  /** Last full pass per stream (ISO instant). */
  getLastFullPass(stream: string): string | null;
  setLastFullPass(stream: string, at: string): void;

  saveRun(report: RunReport): void;
  getRun(runId: string): RunReport | null;
  listRuns(limit: number): readonly RunReport[];

  /** A plan held by a guard waits here for approval (`--allow-mass-delete` or the API). */
  setApproval(stream: string, approved: boolean): void;
  consumeApproval(stream: string): boolean;

  /** Logs kept in the database, with retention. */
  appendLog(event: LogEvent, at?: string): void;
  queryLogs(filter: LogFilter): readonly StoredLog[];
  /** Removes log entries, and run reports but the newest, older than `olderThan`; returns the log count. */
  pruneLogs(olderThan: string): number;

  /**
   * Sync lock so two syncs never run at once. Returns null when acquired, otherwise who holds it.
   * A lock older than `staleAfterMs` (holder crashed) is taken over.
   */
  acquireLock(name: string, holder: string, staleAfterMs: number): LockHolder | null;
  releaseLock(name: string, holder: string): void;

  close(): void;
}

export interface PendingCreate {
  readonly sourceKey: SourceKey;
  readonly mailbox: string;
  readonly transactionId: string;
  readonly since: string;
}

export interface LockHolder {
  readonly holder: string;
  readonly since: string;
}

export interface LogFilter {
  readonly runId?: string;
  readonly sourceKey?: string;
  readonly level?: LogEvent['level'];
  readonly limit?: number;
}

export interface StoredLog extends LogEvent {
  readonly id: number;
  readonly at: string;
}
