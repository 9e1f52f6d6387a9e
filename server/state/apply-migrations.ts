import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

/** Folder of the numbered migrations shipped with the code. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/**
 * Error raised while opening state.db, with data for the caller and a message that names the fix.
 * `code` tells the cases apart: the file is from a newer program, or the shipped migrations are
 * malformed (a packaging mistake).
 */
export interface StateDbError extends Error {
  readonly code: 'state-db-too-new' | 'state-migrations-invalid' | 'state-migration-failed';
  readonly transient: false;
  readonly dbVersion?: number;
  readonly codeVersion?: number;
}

function stateDbError(code: StateDbError['code'], message: string, data: { dbVersion?: number; codeVersion?: number; cause?: unknown } = {}): StateDbError {
  const { cause, ...rest } = data;
  return Object.assign(new Error(message, cause === undefined ? undefined : { cause }), { code, transient: false as const, ...rest });
}

const FILE_NAME = /^(\d{3,})-([a-z0-9-]+)\.sql$/;

/**
 * Reads `NNN-name.sql` files in version order. Versions start at 1 and have no gaps, so
 * `PRAGMA user_version` can say exactly which ones a database already has.
 */
export function readMigrations(dir: string = MIGRATIONS_DIR): readonly Migration[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
  const migrations = files.map((file): Migration => {
    const m = FILE_NAME.exec(file);
    if (!m) throw stateDbError('state-migrations-invalid', `Plik migracji ${file} ma złą nazwę — oczekiwano NNN-opis.sql (np. 002-templates.sql).`);
    return { version: Number(m[1]), name: file, sql: readFileSync(join(dir, file), 'utf8') };
  });
  migrations.forEach((mig, i) => {
    if (mig.version !== i + 1) {
      throw stateDbError('state-migrations-invalid', `Migracje muszą być numerowane kolejno od 001; zamiast ${String(i + 1).padStart(3, '0')} jest ${mig.name}.`);
    }
  });
  return migrations;
}

/**
 * Brings the database up to the newest migration. Each migration runs in its own transaction
 * together with its `user_version` bump, so a crash leaves the file at a whole version. A file
 * from a newer program is refused rather than used half-understood.
 */
export function applyMigrations(db: Database.Database, migrations: readonly Migration[] = readMigrations()): { readonly from: number; readonly to: number } {
  const codeVersion = migrations.length;
  const from = Number(db.pragma('user_version', { simple: true }));
  if (from > codeVersion) {
    throw stateDbError(
      'state-db-too-new',
      `Baza stanu ma wersję ${from}, a ten program zna tylko wersje do ${codeVersion} — zaktualizuj optima-sync do nowszej wersji albo wskaż inny plik bazy stanu.`,
      { dbVersion: from, codeVersion },
    );
  }
  for (const mig of migrations.slice(from)) {
    const step = db.transaction(() => {
      // Another process may have migrated while this one waited for the write lock.
      if (Number(db.pragma('user_version', { simple: true })) >= mig.version) return;
      db.exec(mig.sql);
      db.pragma(`user_version = ${mig.version}`);
    });
    try {
      step.immediate();
    } catch (err) {
      throw stateDbError('state-migration-failed', `Migracja ${mig.name} bazy stanu nie powiodła się (${(err as Error).message}) — baza została na wersji ${mig.version - 1}; zgłoś to z tym komunikatem.`, { cause: err, dbVersion: mig.version - 1, codeVersion });
    }
  }
  return { from, to: Math.max(from, codeVersion) };
}

/**
 * Opens state.db (created when missing) the way every part of the server opens it: WAL, a busy
 * timeout so two connections wait for each other, foreign keys, migrations applied. `:memory:`
 * gives a private database (tests). Closes the handle again when migrating fails.
 */
export function openStateDatabase(path: string, opts: { readonly busyTimeoutMs?: number; readonly migrationsDir?: string } = {}): Database.Database {
  const inMemory = path === ':memory:' || path === '';
  if (!inMemory) mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(opts.busyTimeoutMs ?? 5000))}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    applyMigrations(db, readMigrations(opts.migrationsDir));
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}
