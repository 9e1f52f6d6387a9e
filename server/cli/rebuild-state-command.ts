import { buildRuntime } from '../main.ts';
import type { MailboxScan } from '../sync/rebuild-state.ts';
import { rebuildState, type RebuildReport } from '../sync/rebuild-state.ts';
import { EXIT, createConsoleLogger, formatTable, loadConfigOrReport } from './cli-support.ts';

export interface RecoveryCommandOptions {
  readonly configPath?: string;
  readonly dryRun: boolean;
  readonly json: boolean;
  /** Where the report goes (default stdout; tests collect it). */
  readonly write?: (text: string) => void;
}

/**
 * `optima-sync rebuild-state [--dry-run] [--json]`: rebuilds every link in state.db from the
 * source-key stamps in the calendars (after state.db was lost or copied from another machine).
 * Exit 0 when every mailbox was read, 1 when one failed or nothing could be done.
 */
export async function runRebuildState(options: RecoveryCommandOptions): Promise<number> {
  const write = options.write ?? ((text: string) => { process.stdout.write(text); });
  const config = loadConfigOrReport(options.configPath);
  if (!config) return EXIT.config;
  const runtime = buildRuntime(config, { forwardLogs: options.json ? undefined : createConsoleLogger('warn') });
  try {
    const report = await rebuildState(runtime.deps, runtime.settings, { dryRun: options.dryRun });
    write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatRebuildReport(report)}\n`);
    if (report.error) return EXIT.failed;
    return report.mailboxes.some((m) => m.calendar === 'error') ? EXIT.failed : EXIT.ok;
  } finally {
    await runtime.close();
  }
}

/** Human-readable rebuild report (Polish): one row per mailbox, then what the next run will do. */
export function formatRebuildReport(report: RebuildReport): string {
  if (report.error) return `Odbudowa powiązań nie powiodła się: ${report.error}`;
  const lines = [report.dryRun ? 'Odbudowa powiązań — próba, nic nie zapisano.' : 'Odbudowa powiązań z oznaczeń w kalendarzach.'];
  lines.push(formatTable(
    ['skrzynka', 'kalendarz', 'zdarzenia', 'powiązane', 'zgodne z Optimą', 'do aktualizacji', 'bez rekordu', 'duplikaty'],
    report.mailboxes.map((m) => [m.mailbox, describeCalendar(m), String(m.events), String(m.linked), String(m.matching), String(m.toUpdate), String(m.orphaned), String(m.duplicates)]),
  ));
  lines.push(report.dryRun
    ? `Powiązania do zapisania: ${report.saved}; bez zmian: ${report.unchanged}; nieaktualne do usunięcia (wydarzenia nie ma w kalendarzu): ${report.removed}.`
    : `Powiązania zapisane: ${report.saved}; bez zmian: ${report.unchanged}; nieaktualne usunięte (wydarzenia nie ma w kalendarzu): ${report.removed}.`);
  const toUpdate = report.mailboxes.reduce((n, m) => n + m.toUpdate, 0);
  const orphaned = report.mailboxes.reduce((n, m) => n + m.orphaned, 0);
  if (toUpdate + orphaned > 0) {
    lines.push(`Następny przebieg synchronizacji — do aktualizacji lub przeniesienia (treść albo osoba różni się od Optimy): ${toUpdate}; do usunięcia (rekordu nie ma już w Optimie; z ochroną przed masowym usuwaniem): ${orphaned}.`);
  } else if (!report.mailboxes.some((m) => m.calendar === 'unchecked')) {
    lines.push('Następny przebieg synchronizacji nie zmieni istniejących wydarzeń (doda tylko brakujące).');
  }
  if (report.duplicates.length > 0) {
    lines.push(`Rekordy z więcej niż jednym wydarzeniem: ${report.duplicates.length} — powiązano po jednym wydarzeniu; uruchom \`optima-sync dedupe\`, żeby usunąć pozostałe.`);
    for (const d of report.duplicates.slice(0, 20)) lines.push(`  ${d.sourceKey}: wydarzenia ${d.extra.length + 1}, zostaje w ${d.keep.mailbox} (${d.reason})`);
    if (report.duplicates.length > 20) lines.push(`  … i ${report.duplicates.length - 20} kolejnych (pełna lista: --json)`);
  }
  lines.push(...describeMailboxProblems(report.mailboxes));
  return lines.join('\n');
}

/** Calendar state in a table cell. */
export function describeCalendar(m: MailboxScan): string {
  return { found: 'jest', missing: 'brak', unchecked: 'nie sprawdzono', error: 'BŁĄD' }[m.calendar];
}

/** One line per mailbox that could not be read, and the dry-run limitation when it applies. */
export function describeMailboxProblems(mailboxes: readonly MailboxScan[]): string[] {
  const lines = mailboxes.filter((m) => m.error).map((m) => `Błąd skrzynki ${m.mailbox}: ${m.error} Jej powiązania zostały bez zmian.`);
  if (mailboxes.some((m) => m.calendar === 'unchecked')) {
    lines.push('Nie sprawdzono części skrzynek: próba niczego nie tworzy, a ten adapter kalendarza nie umie wyszukać kalendarza bez tworzenia go — uruchom polecenie bez --dry-run.');
  }
  return lines;
}
