-- 001: the first shape of state.db. Applied once, inside a transaction, then PRAGMA user_version = 1.
-- Timestamps are TEXT: ISO instants (`2026-03-29T00:59:59.997Z`) for our own clocks, and Optima's
-- local `YYYY-MM-DD HH:mm:ss.SSS` for source stamps, kept exactly as text so no millisecond is lost.
-- STRICT tables refuse a value of the wrong type instead of silently converting it.

-- One source key ↔ one remote event.
CREATE TABLE links (
  source_key         TEXT PRIMARY KEY NOT NULL,
  mailbox            TEXT NOT NULL,
  calendar_id        TEXT NOT NULL,
  remote_id          TEXT NOT NULL UNIQUE,
  change_key         TEXT,
  render_hash        TEXT NOT NULL,
  source_modified_at TEXT NOT NULL,
  updated_at         TEXT NOT NULL
) STRICT;
CREATE INDEX links_by_mailbox ON links (mailbox);

-- A create written before the Graph call and cleared with its link, so a crash between the two
-- is recovered by looking the event up instead of creating it twice.
CREATE TABLE pending_creates (
  source_key     TEXT PRIMARY KEY NOT NULL,
  mailbox        TEXT NOT NULL,
  transaction_id TEXT NOT NULL,
  since          TEXT NOT NULL
) STRICT;

-- Run reports: the whole RunReport as JSON, plus the columns a listing sorts and shows.
CREATE TABLE runs (
  run_id      TEXT PRIMARY KEY NOT NULL,
  started_at  TEXT NOT NULL,
  finished_at TEXT NOT NULL,
  mode        TEXT NOT NULL,
  dry_run     INTEGER NOT NULL,
  created     INTEGER NOT NULL,
  updated     INTEGER NOT NULL,
  moved       INTEGER NOT NULL,
  deleted     INTEGER NOT NULL,
  failed      INTEGER NOT NULL,
  held        INTEGER NOT NULL,
  error       TEXT,
  report      TEXT NOT NULL
) STRICT;
CREATE INDEX runs_by_started_at ON runs (started_at);

-- Per stream (record kind, or a derived key such as a template fingerprint).
CREATE TABLE watermarks (
  stream         TEXT PRIMARY KEY NOT NULL,
  value          TEXT,
  last_full_pass TEXT
) STRICT;

-- Plans held by a guard wait for an approval here; an approval is used once.
CREATE TABLE approvals (
  stream   TEXT PRIMARY KEY NOT NULL,
  approved INTEGER NOT NULL,
  at       TEXT NOT NULL
) STRICT;

-- Structured log events (already redacted when written), pruned by age.
CREATE TABLE logs (
  id          INTEGER PRIMARY KEY,
  at          TEXT NOT NULL,
  level       TEXT NOT NULL,
  message     TEXT NOT NULL,
  run_id      TEXT,
  source_key  TEXT,
  mailbox     TEXT,
  action      TEXT,
  duration_ms REAL,
  request_id  TEXT,
  data        TEXT
) STRICT;
CREATE INDEX logs_by_run_id ON logs (run_id);
CREATE INDEX logs_by_source_key ON logs (source_key);
CREATE INDEX logs_by_at ON logs (at);

-- Named locks shared by every process on this file (server and CLI), taken with BEGIN IMMEDIATE.
CREATE TABLE locks (
  name      TEXT PRIMARY KEY NOT NULL,
  holder    TEXT NOT NULL,
  since     TEXT NOT NULL,
  heartbeat TEXT NOT NULL
) STRICT;
