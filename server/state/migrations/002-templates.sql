-- 002: event templates saved by an admin (add-in Settings), one row per saved version.
-- The newest version of a kind is the one in force; none saved = the configuration's / built-in
-- templates. A revert is saved as a new version holding an older version's texts, so the history
-- only grows and always shows who put which texts in force when.
CREATE TABLE template_versions (
  kind     TEXT NOT NULL,
  version  INTEGER NOT NULL,
  saved_at TEXT NOT NULL,
  saved_by TEXT NOT NULL,
  subject  TEXT NOT NULL,
  body     TEXT NOT NULL,
  location TEXT NOT NULL,
  PRIMARY KEY (kind, version)
) STRICT;
