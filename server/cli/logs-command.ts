import { existsSync } from 'node:fs';
import path from 'node:path';
import { openStateStore } from '../state/sqlite-store.ts';
import { EXIT, formatTable, loadConfigOrReport, printError } from './cli-support.ts';

/** `optima-sync logs`: the log kept in state.db, by run or by source key. */
export async function runLogs(options: { configPath?: string; runId?: string; sourceKey?: string; limit: number }): Promise<number> {
  const config = loadConfigOrReport(options.configPath);
  if (!config) return EXIT.config;
  const file = path.join(config.server.dataDir, 'state.db');
  if (!existsSync(file)) {
    printError(`Brak bazy stanu ${file} — synchronizacja jeszcze nie działała (uruchom optima-sync sync --once).`);
    return EXIT.failed;
  }
  const store = openStateStore(file);
  try {
    const logs = store.queryLogs({ runId: options.runId, sourceKey: options.sourceKey, limit: Number.isFinite(options.limit) ? options.limit : 100 });
    process.stdout.write(`${formatTable(['czas', 'poziom', 'klucz', 'skrzynka', 'komunikat'], logs.map((l) => [l.at, l.level, l.sourceKey ?? '', l.mailbox ?? '', l.message]))}\n`);
    return EXIT.ok;
  } finally {
    store.close();
  }
}
