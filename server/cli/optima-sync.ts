#!/usr/bin/env node
/**
 * `optima-sync` — the command line. One file per command lives beside this one; this file only
 * finds the configuration and dispatches.
 *
 *   optima-sync start [--config F]            server + scheduler (the demo when no config is found)
 *   optima-sync sync --once [--dry-run] [--json] [--allow-mass-delete] [--full] [--config F]
 *   optima-sync check [--config F]            config, source tables, sign-in, each mailbox
 *   optima-sync logs [--run ID] [--key KEY] [--limit N] [--config F]
 *   optima-sync rebuild-state [--dry-run] [--json]   links rebuilt from the stamps in the calendars
 *   optima-sync dedupe [--dry-run] [--json]          extra events of one record removed
 *   optima-sync auth status                          sign-in mode, token, certificate, mailboxes
 *   optima-sync manifest [--url https://serwer:3443] [--client-id GUID] [--out manifest.xml]
 */
import { parseArgs } from 'node:util';
import { runStart } from './start-command.ts';
import { runSyncCommand } from './sync-command.ts';
import { runCheck } from './check-command.ts';
import { runLogs } from './logs-command.ts';
import { runRebuildState } from './rebuild-state-command.ts';
import { runDedupe } from './dedupe-command.ts';
import { runAuthStatus } from './auth-command.ts';
import { runManifest } from './manifest-command.ts';
import { EXIT, printError } from './cli-support.ts';

const USAGE = `Użycie / usage: optima-sync <polecenie> [opcje]

  start                    serwer i harmonogram (bez konfiguracji: wbudowane demo)
  sync --once              jeden przebieg; --dry-run (tylko plan), --json, --allow-mass-delete, --full
  check                    sprawdza konfigurację, tabele Optimy, logowanie i skrzynki
  logs                     dziennik z bazy; --run ID, --key KLUCZ (np. serwis:zlecenie:12), --limit N
  rebuild-state            odtwarza powiązania z oznaczeń wydarzeń w kalendarzach; --dry-run, --json
  dedupe                   usuwa nadmiarowe wydarzenia tego samego rekordu; --dry-run, --json
  auth status              logowanie do Microsoft 365: tryb, token, ważność certyfikatu, skrzynki
  manifest                 manifest dodatku Outlooka; --url https://serwer:3443, --client-id GUID, --out PLIK

  --config PLIK            plik konfiguracji (domyślnie $OPTIMA_SYNC_CONFIG albo ./optima-sync.yaml)
`;

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...afterCommand] = argv;
  // `auth` takes a subcommand word (`auth status`) before the options.
  const subcommand = command === 'auth' ? afterCommand[0] : undefined;
  const rest = command === 'auth' ? afterCommand.slice(1) : afterCommand;
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      options: {
        config: { type: 'string' }, once: { type: 'boolean' }, 'dry-run': { type: 'boolean' }, json: { type: 'boolean' },
        'allow-mass-delete': { type: 'boolean' }, full: { type: 'boolean' }, run: { type: 'string' }, key: { type: 'string' },
        limit: { type: 'string' }, help: { type: 'boolean', short: 'h' },
      url: { type: 'string' }, 'client-id': { type: 'string' }, out: { type: 'string' },
      },
      strict: true,
    });
  } catch (err) {
    // A mistyped option is a usage error (exit 2 with the usage), not a failed run.
    printError(`Nieprawidłowe opcje: ${err instanceof Error ? err.message : String(err)}`);
    process.stderr.write(USAGE);
    return EXIT.usage;
  }
  const { values } = parsed;
  switch (command) {
    case 'start':
      return runStart({ configPath: values.config });
    case 'sync':
      if (!values.once) {
        printError('Polecenie sync wymaga --once (stały tryb to `optima-sync start`).');
        return EXIT.usage;
      }
      return runSyncCommand({
        configPath: values.config, dryRun: values['dry-run'] ?? false, json: values.json ?? false,
        allowMassDelete: values['allow-mass-delete'] ?? false, full: values.full ?? false,
      });
    case 'check':
      return runCheck({ configPath: values.config });
    case 'logs':
      return runLogs({ configPath: values.config, runId: values.run, sourceKey: values.key, limit: values.limit ? Number(values.limit) : 100 });
    case 'auth':
      if (subcommand !== 'status') {
        printError('Użyj: optima-sync auth status [--config PLIK].');
        return EXIT.usage;
      }
      return runAuthStatus({ configPath: values.config });
    case 'manifest':
      return runManifest({ url: values.url, clientId: values['client-id'], out: values.out, configPath: values.config });
    case 'rebuild-state':
      return runRebuildState({ configPath: values.config, dryRun: values['dry-run'] ?? false, json: values.json ?? false });
    case 'dedupe':
      return runDedupe({ configPath: values.config, dryRun: values['dry-run'] ?? false, json: values.json ?? false });
    case undefined:
    case 'help':
      process.stdout.write(USAGE);
      return command === undefined ? EXIT.usage : EXIT.ok;
    default:
      printError(`Nieznane polecenie „${command}”.`);
      process.stderr.write(USAGE);
      return EXIT.usage;
  }
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    printError(err instanceof Error ? err.message : String(err));
    process.exitCode = EXIT.failed;
  },
);
