import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './encrypted-cache.ts';

/**
 * The small JSON index next to the per-person token caches: who has signed in through the add-in
 * (delegated mode), when their token was last refreshed, and whether their sync is paused. It
 * holds no tokens, so `auth status` reads it without the cache key.
 */
export interface PersonEntry {
  /** Lower-case UPN, the mailbox synced for this person. */
  readonly mailbox: string;
  /** Entra object id of the person. */
  readonly oid: string;
  /** When the add-in last handed over a sign-in (on-behalf-of), ISO. */
  readonly redeemedAt: string;
  /** When a token was last obtained from Entra for this person, ISO. */
  readonly lastRefreshAt: string | null;
  readonly state: 'ok' | 'lapsed';
  /** Why the sync is paused, e.g. `AADSTS700082`. */
  readonly code?: string;
  /** The operator sentence for a paused person (names them and the fix; never a token). */
  readonly message?: string;
}

export interface PeopleIndex {
  get(mailbox: string): PersonEntry | null;
  list(): readonly PersonEntry[];
  put(entry: PersonEntry): void;
}

export const PEOPLE_INDEX_FILE = 'people.json';

/** Opens the index file `people.json` in `cacheDir`; reads it again on every call (other processes write it). */
export function openPeopleIndex(cacheDir: string): PeopleIndex {
  const file = path.join(cacheDir, PEOPLE_INDEX_FILE);
  const load = (): Record<string, PersonEntry> => {
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as { people?: Record<string, PersonEntry> };
      return parsed.people && typeof parsed.people === 'object' ? parsed.people : {};
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
      // A damaged index only loses states and dates; the caches themselves are intact.
      return {};
    }
  };
  return {
    get: (mailbox) => load()[mailbox.toLowerCase()] ?? null,
    list: () => Object.values(load()).sort((a, b) => a.mailbox.localeCompare(b.mailbox)),
    put(entry) {
      const people = load();
      people[entry.mailbox] = entry;
      mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
      writeFileAtomic(file, `${JSON.stringify({ version: 1, people }, null, 2)}\n`);
    },
  };
}
