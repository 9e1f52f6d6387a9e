import { buildRuntime } from '../main.ts';
import { dedupe, type DedupeReport } from '../sync/dedupe.ts';
import { EXIT, createConsoleLogger, formatTable, loadConfigOrReport } from './cli-support.ts';
import { describeCalendar, describeMailboxProblems, type RecoveryCommandOptions } from './rebuild-state-command.ts';

/**
 * `optima-sync dedupe [--dry-run] [--json]`: one event per source key across every mailbox the
 * routing can send to; the linked one stays, the other copies are deleted. Exit 0 when nothing
 * failed, 1 when a mailbox could not be read or a deletion failed.
 */
export async function runDedupe(options: RecoveryCommandOptions): Promise<number> {
  const write = options.write ?? ((text: string) => { process.stdout.write(text); });
  const config = loadConfigOrReport(options.configPath);
  if (!config) return EXIT.config;
  const runtime = buildRuntime(config, { forwardLogs: options.json ? undefined : createConsoleLogger('warn') });
  try {
    const report = await dedupe(runtime.deps, runtime.settings, { dryRun: options.dryRun });
    write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatDedupeReport(report)}\n`);
    if (report.error || report.failed > 0) return EXIT.failed;
    return report.mailboxes.some((m) => m.calendar === 'error') ? EXIT.failed : EXIT.ok;
  } finally {
    await runtime.close();
  }
}

/** Human-readable dedupe report (Polish). */
export function formatDedupeReport(report: DedupeReport): string {
  if (report.error) return `Usuwanie duplikatów nie powiodło się: ${report.error}`;
  const lines = [report.dryRun ? 'Usuwanie duplikatów — próba, nic nie usunięto.' : 'Usuwanie duplikatów.'];
  lines.push(formatTable(['skrzynka', 'kalendarz', 'zdarzenia'], report.mailboxes.map((m) => [m.mailbox, describeCalendar(m), String(m.events)])));
  if (report.groups.length === 0) {
    lines.push('Brak duplikatów: każdy rekord ma co najwyżej jedno wydarzenie.');
  } else {
    const extra = report.groups.reduce((n, g) => n + g.removed.length + g.failures.length, 0);
    lines.push(report.dryRun
      ? `Zbędne wydarzenia do usunięcia: ${extra} (rekordy z duplikatami: ${report.groups.length}) — uruchom bez --dry-run, żeby je usunąć.`
      : `Usunięte zbędne wydarzenia: ${report.deleted} (rekordy z duplikatami: ${report.groups.length})${report.failed > 0 ? `; nieusunięte z powodu błędu: ${report.failed}` : ''}.`);
    for (const g of report.groups) {
      lines.push(`  ${g.sourceKey}: zostaje „${g.kept.subject}” w ${g.kept.mailbox} (${g.reason}${g.relinked ? ', powiązanie przeniesione' : ''}); ${report.dryRun ? 'do usunięcia' : 'usunięte'}: ${g.removed.length} (${g.removed.map((r) => r.mailbox).join(', ')})`);
      for (const f of g.failures) lines.push(`    błąd usuwania w ${f.mailbox}: ${f.message}`);
    }
  }
  lines.push(...describeMailboxProblems(report.mailboxes));
  return lines.join('\n');
}
