import Database from 'better-sqlite3';

/**
 * The old prototype's idle poll, rebuilt as the baseline: read the WHOLE `CDN.SrsZlecenia`
 * table (`SELECT *`), compare each row's `SrZ_TS_Mod` text with the one stored when the event was
 * written (a Graph call only when it differs), then one `SELECT ... WHERE SrZ_SrZId = ?` per
 * stored link to find deletions (N+1 queries). Runs on the same SQLite file the sync reads,
 * attached AS CDN like the SQLite source reader does, so both ways run the same engine.
 */

export interface PrototypePollResult {
  readonly queries: number;
  readonly rowsRead: number;
  /** Graph calls the prototype would make: rows whose TS_Mod text moved + links whose row is gone. */
  readonly graphRequests: number;
}

export interface PrototypePoller {
  poll(): PrototypePollResult;
  close(): void;
}

/**
 * Opens the company file read-only. `linkedIds` are the stored links (source ids) whose rows the
 * prototype looks up one by one. The stored TS_Mod texts are taken once, untimed, from the file as
 * it is now: what the prototype would hold right after writing every event.
 */
export function createPrototypePoller(companyDbPath: string, linkedIds: readonly number[]): PrototypePoller {
  const db = new Database(companyDbPath, { readonly: true, fileMustExist: true });
  db.prepare('ATTACH ? AS CDN').run(companyDbPath);
  const selectAll = db.prepare('SELECT * FROM CDN.SrsZlecenia');
  const selectOne = db.prepare('SELECT SrZ_SrZId, SrZ_TS_Mod FROM CDN.SrsZlecenia WHERE SrZ_SrZId = ?');
  // The prototype wrote every row it read, so it holds a stamp for each of them.
  const storedStamp = new Map<number, string>();
  for (const row of db.prepare('SELECT SrZ_SrZId, SrZ_TS_Mod FROM CDN.SrsZlecenia').all() as { SrZ_SrZId: number; SrZ_TS_Mod: string }[]) {
    storedStamp.set(row.SrZ_SrZId, row.SrZ_TS_Mod);
  }

  return {
    poll() {
      let queries = 0;
      let rowsRead = 0;
      let graphRequests = 0;
      const rows = selectAll.all() as Record<string, unknown>[];
      queries += 1;
      rowsRead += rows.length;
      for (const row of rows) {
        // The prototype's change test: the TS_Mod text differs from the stored one (or no link yet).
        if (storedStamp.get(row.SrZ_SrZId as number) !== row.SrZ_TS_Mod) graphRequests += 1;
      }
      for (const id of linkedIds) {
        const found = selectOne.get(id);
        queries += 1;
        if (found) rowsRead += 1;
        else graphRequests += 1;
      }
      return { queries, rowsRead, graphRequests };
    },
    close() {
      db.close();
    },
  };
}
