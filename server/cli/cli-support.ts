import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/schema.ts';
import type { Logger, LogEvent } from '../domain/logger.ts';
import { readConfig, formatConfigErrors } from '../config/read-config.ts';
import { redactSecrets } from '../state/redact.ts';

/** Exit codes shared by every command. */
export const EXIT = { ok: 0, failed: 1, usage: 2, config: 3, held: 4 } as const;

const CANDIDATES = ['optima-sync.yaml', 'optima-sync.yml', 'optima-sync.json'];

/** The config file: --config, then $OPTIMA_SYNC_CONFIG, then ./optima-sync.yaml; null = none. */
export function findConfigPath(explicit: string | undefined): string | null {
  if (explicit) return path.resolve(explicit);
  if (process.env.OPTIMA_SYNC_CONFIG) return path.resolve(process.env.OPTIMA_SYNC_CONFIG);
  for (const name of CANDIDATES) if (existsSync(name)) return path.resolve(name);
  return null;
}

/** Reads and validates the config, printing every error at once; null when unusable. */
export function loadConfigOrReport(explicit: string | undefined): Config | null {
  const file = findConfigPath(explicit);
  if (!file) {
    printError('Nie znaleziono konfiguracji: podaj --config PLIK, ustaw OPTIMA_SYNC_CONFIG albo utwórz ./optima-sync.yaml (wzór: config.example.yaml).');
    return null;
  }
  if (!existsSync(file)) {
    printError(`Plik konfiguracji ${file} nie istnieje — sprawdź ścieżkę.`);
    return null;
  }
  const result = readConfig(file);
  if (!result.ok) {
    process.stderr.write(`${formatConfigErrors(result.errors, file)}\n`);
    return null;
  }
  return result.config;
}

export function printError(message: string): void {
  process.stderr.write(`błąd: ${message}\n`);
}

/** Prints log events at `level` and above to stderr, one line each, secrets redacted. */
export function createConsoleLogger(level: LogEvent['level']): Logger {
  const order = ['debug', 'info', 'warn', 'error'];
  const min = order.indexOf(level);
  return {
    log(event) {
      if (order.indexOf(event.level) < min) return;
      const e = redactSecrets(event);
      const where = [e.sourceKey, e.mailbox].filter(Boolean).join(' ');
      process.stderr.write(`${new Date().toISOString()} ${e.level.toUpperCase().padEnd(5)} ${where ? `[${where}] ` : ''}${e.message}\n`);
    },
  };
}

/** A fixed-width text table (for check and logs). */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
