import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Link, RunReport } from '../../server/domain/types.ts';

/** A fresh folder for one test's state.db, removed by the returned cleanup. */
export function makeTempDir(prefix = 'state-'): { readonly dir: string; readonly dbPath: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, dbPath: join(dir, 'state.db'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function makeLink(n: number, overrides: Partial<Link> = {}): Link {
  return {
    sourceKey: `serwis:zlecenie:${n}`,
    mailbox: `osoba${n % 3}@firma.pl`,
    calendarId: 'AAMkCal=',
    remoteId: `AAMkAGI2-event-${n}=`,
    changeKey: `ck-${n}`,
    renderHash: `hash-${n}`,
    sourceModifiedAt: `2026-03-29 01:59:59.${String(n % 1000).padStart(3, '0')}`,
    updatedAt: `2026-03-29T10:00:00.${String(n % 1000).padStart(3, '0')}Z`,
    ...overrides,
  };
}

export function makeReport(runId: string, startedAt: string, overrides: Partial<RunReport> = {}): RunReport {
  return {
    runId, mode: 'incremental', dryRun: false, startedAt, finishedAt: startedAt.replace(/\.\d{3}Z$/, '.900Z'),
    planned: { create: 2, update: 1, move: 0, delete: 1, skip: 1, conflict: 0 },
    created: 2, updated: 1, moved: 0, deleted: 1, skipped: 1, failed: 1, held: null,
    failures: [{ sourceKey: 'serwis:zlecenie:7', action: 'update', mailbox: 'jan@firma.pl', transient: true, message: 'Graph odpowiedział 503 — ponowię.' }],
    skips: [{ sourceKey: 'serwis:zlecenie:9', reason: 'empty-date', detail: 'Zlecenie nie ma daty — uzupełnij „Data przyjęcia”.' }],
    sourceQueries: 2, sourceRowsRead: 14, graphRequests: 5,
    durationsMs: { collect: 12, render: 3, plan: 1, apply: 240, total: 260 },
    error: null,
    ...overrides,
  };
}
