import type Database from 'better-sqlite3';
import type { TemplateTexts, TemplateVersion } from '../../shared/addin-api.ts';
import { openStateDatabase } from './apply-migrations.ts';

/**
 * Templates an admin saved in the add-in's Settings, with their whole history, in state.db
 * (table `template_versions`, migration 002). Versions are numbered per kind from 1; the newest
 * is the one in force. Nothing is ever updated or deleted: a revert is a new version.
 *
 * Its own connection to state.db (WAL lets it sit next to the sync's), so the StateStore port
 * the sync uses stays as it is.
 */
export interface TemplateStore {
  /** The newest saved version of `kind`, or null when none was saved (config/defaults apply). */
  getLatest(kind: string): TemplateVersion | null;
  getVersion(kind: string, version: number): TemplateVersion | null;
  /** Every saved version, newest first; of one kind when `kind` is given. */
  listVersions(kind?: string): readonly TemplateVersion[];
  /** Saves `texts` as the next version of `kind` (one transaction) and returns it. */
  saveVersion(entry: { readonly kind: string; readonly texts: TemplateTexts; readonly savedBy: string; readonly savedAt: string }): TemplateVersion;
  close(): void;
}

interface VersionRow {
  kind: string; version: number; saved_at: string; saved_by: string; subject: string; body: string; location: string;
}

/**
 * Opens state.db at `path` (creating it and applying migrations when needed, like the state
 * store does) for template versions. `:memory:` gives a private database (tests).
 */
export function openTemplateStore(path: string, opts: { readonly busyTimeoutMs?: number; readonly migrationsDir?: string } = {}): TemplateStore {
  const db = openStateDatabase(path, opts);
  return createTemplateStore(db);
}

function createTemplateStore(db: Database.Database): TemplateStore {
  const s = {
    latest: db.prepare<[string], VersionRow>('SELECT * FROM template_versions WHERE kind = ? ORDER BY version DESC LIMIT 1'),
    one: db.prepare<[string, number], VersionRow>('SELECT * FROM template_versions WHERE kind = ? AND version = ?'),
    all: db.prepare<[], VersionRow>('SELECT * FROM template_versions ORDER BY saved_at DESC, kind, version DESC'),
    ofKind: db.prepare<[string], VersionRow>('SELECT * FROM template_versions WHERE kind = ? ORDER BY version DESC'),
    nextVersion: db.prepare<[string], { next: number }>('SELECT coalesce(max(version), 0) + 1 AS next FROM template_versions WHERE kind = ?'),
    insert: db.prepare(`INSERT INTO template_versions (kind, version, saved_at, saved_by, subject, body, location)
      VALUES (@kind, @version, @saved_at, @saved_by, @subject, @body, @location)`),
  };
  // BEGIN IMMEDIATE: two saves at once (two admins, two processes) get different numbers.
  const save = db.transaction((entry: Parameters<TemplateStore['saveVersion']>[0]): TemplateVersion => {
    const version = s.nextVersion.get(entry.kind)?.next ?? 1;
    const row: VersionRow = {
      kind: entry.kind, version, saved_at: entry.savedAt, saved_by: entry.savedBy,
      subject: entry.texts.subject, body: entry.texts.body, location: entry.texts.location,
    };
    s.insert.run(row);
    return fromRow(row);
  });
  return {
    getLatest: (kind) => mapOrNull(s.latest.get(kind)),
    getVersion: (kind, version) => mapOrNull(s.one.get(kind, version)),
    listVersions: (kind) => (kind === undefined ? s.all.all() : s.ofKind.all(kind)).map(fromRow),
    saveVersion: (entry) => save.immediate(entry),
    close: () => { if (db.open) db.close(); },
  };
}

function mapOrNull(row: VersionRow | undefined): TemplateVersion | null {
  return row === undefined ? null : fromRow(row);
}

function fromRow(r: VersionRow): TemplateVersion {
  return {
    version: r.version, kind: r.kind, savedAt: r.saved_at, savedBy: r.saved_by,
    texts: { subject: r.subject, body: r.body, location: r.location },
  };
}
