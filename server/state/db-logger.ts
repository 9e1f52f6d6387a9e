import type { LogEvent, Logger } from '../domain/logger.ts';
import type { StateStore } from './state-store.ts';
import { redactSecrets } from './redact.ts';

export interface DbLoggerOptions {
  /** Lowest level kept in the database (default `info`: debug chatter stays out of state.db). */
  readonly level?: LogEvent['level'];
  /** Another logger that gets every event too (console, file), already redacted. */
  readonly forward?: Logger;
}

const RANK: Readonly<Record<LogEvent['level'], number>> = { debug: 0, info: 1, warn: 2, error: 3 };

/**
 * A Logger that writes events into the state store (redacted there as well), so the API and the
 * taskpane can show them per run and per record. A failed write never breaks the caller's work:
 * it is reported to the forward logger, if any, and the event is forwarded as usual.
 */
export function createDbLogger(store: Pick<StateStore, 'appendLog'>, opts: DbLoggerOptions = {}): Logger {
  const minRank = RANK[opts.level ?? 'info'];
  return {
    log(event) {
      const safe = redactSecrets(event);
      if ((RANK[safe.level] ?? RANK.error) >= minRank) {
        try {
          store.appendLog(safe);
        } catch (err) {
          opts.forward?.log({
            level: 'warn',
            message: 'Nie udało się zapisać zdarzenia w dzienniku bazy stanu — sprawdź miejsce na dysku i uprawnienia do folderu danych.',
            data: { error: redactSecrets(err) },
          });
        }
      }
      opts.forward?.log(safe);
    },
  };
}
