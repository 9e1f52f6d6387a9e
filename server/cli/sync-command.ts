import type { RunReport, SyncPlan } from '../domain/types.ts';
import { buildRuntime } from '../main.ts';
import { EXIT, createConsoleLogger, loadConfigOrReport } from './cli-support.ts';

/** `optima-sync sync --once`: one run; prints the plan (dry run) or the RunReport. */
export async function runSyncCommand(options: { configPath?: string; dryRun: boolean; json: boolean; allowMassDelete: boolean; full: boolean }): Promise<number> {
  const config = loadConfigOrReport(options.configPath);
  if (!config) return EXIT.config;
  const runtime = buildRuntime(config, { forwardLogs: options.json ? undefined : createConsoleLogger('warn') });
  try {
    const { report, plan } = await runtime.runOnce({ dryRun: options.dryRun, allowMassDelete: options.allowMassDelete, mode: options.full ? 'full' : 'auto' });
    if (options.json) {
      process.stdout.write(`${JSON.stringify(options.dryRun ? { plan, report } : report, null, 2)}\n`);
    } else {
      process.stdout.write(`${formatReport(report, options.dryRun ? plan : null)}\n`);
    }
    if (report.error) return EXIT.failed;
    if (report.held) return EXIT.held;
    return report.failed > 0 ? EXIT.failed : EXIT.ok;
  } finally {
    await runtime.close();
  }
}

/** Human-readable report (Polish), with the plan's actions on a dry run. */
export function formatReport(report: RunReport, plan: SyncPlan | null): string {
  const lines: string[] = [];
  if (plan) {
    lines.push(`Plan (próba, nic nie zapisano) — bez zmian: ${plan.unchanged}`);
    for (const a of plan.actions) lines.push(`  ${a.type.padEnd(8)} ${a.sourceKey.padEnd(26)} ${a.reason}`);
  }
  if (report.error) lines.push(`Przebieg nie powiódł się: ${report.error}`);
  lines.push(`Przebieg ${report.runId} (${report.mode}${report.dryRun ? ', próba' : ''}): utworzono ${report.created}, zmieniono ${report.updated}, przeniesiono ${report.moved}, usunięto ${report.deleted}, pominięto ${report.skipped}, błędy ${report.failed}`);
  lines.push(`  zapytania do Optimy: ${report.sourceQueries} (wierszy ${report.sourceRowsRead}), żądania Graph: ${report.graphRequests}, czas ${report.durationsMs.total} ms`);
  if (report.drift && report.drift.restored + report.drift.reported > 0) {
    lines.push(`  zmiany w Outlooku: przywrócono ${report.drift.restored}, zgłoszono ${report.drift.reported}`);
  }
  if (report.held) lines.push(`  WSTRZYMANO: ${report.held.message}`);
  for (const f of report.failures) lines.push(`  błąd ${f.sourceKey} (${f.action}${f.mailbox ? `, ${f.mailbox}` : ''}): ${f.message}`);
  for (const s of report.skips.slice(0, 20)) lines.push(`  pominięto ${s.sourceKey}: ${s.detail}`);
  if (report.skips.length > 20) lines.push(`  … oraz ${report.skips.length - 20} innych pominiętych (optima-sync logs --run ${report.runId})`);
  return lines.join('\n');
}
