import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { DesiredEvent, RecordKind, RunReport, SkippedRecord, SourceKey, SyncActionType, SyncPlan } from '../domain/types.ts';
import type { Logger } from '../domain/logger.ts';
import type { SourceReader } from '../source/source-reader.ts';
import type { CalendarTarget } from '../targets/calendar-target.ts';
import type { StateStore } from '../state/state-store.ts';
import { describeError } from '../domain/describe-error.ts';
import { collectChanges, type ExtraQuery, type IdsCache, type PeopleCache } from './collect-changes.ts';
import { renderEvent, type RenderContext } from '../render/render-event.ts';
import { resolveMailbox, type MailboxRouting } from './route-mailbox.ts';
import { planSync } from './plan-sync.ts';
import { guardPlan } from './guard-plan.ts';
import { applyPlan } from './apply-plan.ts';

export interface SyncDeps {
  readonly reader: SourceReader;
  readonly target: CalendarTarget;
  readonly store: StateStore;
  readonly logger: Logger;
  readonly now: () => Date;
  /** Lives as long as the process: Optima's people list, re-read when stale. */
  readonly people: PeopleCache;
  /** Lives as long as the process: in-scope ids, so an idle poll checks one checksum row. */
  readonly ids: IdsCache;
}

export interface SyncSettings {
  readonly kinds: readonly RecordKind[];
  readonly calendarName: string;
  readonly routing: MailboxRouting;
  readonly render: Omit<RenderContext, 'extra'>;
  /** Fingerprint of templates and render settings: when it moves, the next run is a full pass. */
  readonly renderFingerprint: string;
  readonly extraQueries: readonly ExtraQuery[];
  readonly overlapSeconds: number;
  readonly guards: { readonly minDeletions: number; readonly maxDeletePercent: number };
  readonly concurrencyPerMailbox: number;
  /** Items handed to the calendar target at once per mailbox, so that its batches can fill. */
  readonly itemsInFlightPerMailbox: number;
  readonly lockStaleAfterMs: number;
  /** Full pass due (from the schedule) for a stream whose last full pass was at `last`. */
  readonly isFullPassDue: (last: string | null, now: Date) => boolean;
}

export interface RunOptions {
  readonly mode?: 'auto' | 'full';
  readonly dryRun?: boolean;
  readonly allowMassDelete?: boolean;
}

export interface RunResult {
  readonly report: RunReport;
  readonly plan: SyncPlan | null;
}

/**
 * One sync run: collect → render → plan → guard → apply → report, for every record kind.
 * Level-triggered: each run compares desired with actual, so a missed run heals on the next.
 */
export async function runSync(deps: SyncDeps, settings: SyncSettings, options: RunOptions = {}): Promise<RunResult> {
  const runId = randomUUID();
  const started = deps.now();
  const t0 = performance.now();
  const holder = `${hostname()}:${process.pid}:${runId}`;
  const queries0 = deps.reader.stats.queries;
  const rows0 = deps.reader.stats.rowsRead;
  const requests0 = deps.target.stats.requests;
  const dryRun = options.dryRun ?? false;
  const durations = { collect: 0, render: 0, plan: 0, apply: 0, total: 0 };

  const finish = (partial: Partial<RunReport>, plan: SyncPlan | null, stored = !dryRun): RunResult => {
    durations.total = Math.round(performance.now() - t0);
    const report: RunReport = {
      runId, mode: 'incremental', dryRun, startedAt: started.toISOString(), finishedAt: deps.now().toISOString(),
      planned: countPlanned(plan), created: 0, updated: 0, moved: 0, deleted: 0, skipped: 0, failed: 0,
      held: plan?.held ?? null, failures: [], skips: [], error: null,
      sourceQueries: deps.reader.stats.queries - queries0, sourceRowsRead: deps.reader.stats.rowsRead - rows0,
      graphRequests: deps.target.stats.requests - requests0, durationsMs: { ...durations },
      ...partial,
    };
    if (stored) deps.store.saveRun(report);
    deps.logger.log({
      level: report.error || report.failed > 0 ? 'warn' : 'info', runId,
      message: report.error ?? `Przebieg zakończony: +${report.created} ~${report.updated} ↔${report.moved} −${report.deleted}, pominięto ${report.skipped}, błędy ${report.failed}${report.held ? ', wstrzymany' : ''}`,
      durationMs: durations.total,
    });
    return { report, plan };
  };

  if (!dryRun) {
    let held = deps.store.acquireLock('sync', holder, settings.lockStaleAfterMs);
    // A holder on this machine whose process is gone (killed, crashed) holds nothing.
    if (held && isDeadLocalHolder(held.holder)) held = deps.store.acquireLock('sync', holder, 0);
    if (held) {
      // Not stored as a run: it would show as the "last run" (an error) while the real one is going.
      return finish({ error: `Synchronizacja już trwa (${held.holder}, od ${held.since}) — poczekaj na jej koniec.` }, null, false);
    }
  }
  try {
    let mode: RunReport['mode'] = 'incremental';
    const actions: SyncPlan['actions'][number][] = [];
    const skips: SkippedRecord[] = [];
    let unchanged = 0;
    let held: SyncPlan['held'] = null;
    const watermarkUpdates: Array<() => void> = [];
    let lastFailures: RunReport['failures'] = [];

    for (const kind of settings.kinds) {
      const fingerprintKey = `render:${kind}`;
      const fingerprintMoved = deps.store.getWatermark(fingerprintKey) !== settings.renderFingerprint;
      const full = options.mode === 'full' || fingerprintMoved || settings.isFullPassDue(deps.store.getLastFullPass(kind), started);
      if (full) mode = 'full';

      let tc = performance.now();
      const collected = await collectChanges({ reader: deps.reader, store: deps.store, people: deps.people, ids: deps.ids, now: deps.now }, {
        kind, full, overlapSeconds: settings.overlapSeconds, extraQueries: settings.extraQueries,
        needPeople: settings.routing.useOptimaEmail,
      });
      durations.collect += performance.now() - tc;

      tc = performance.now();
      const desired = new Map<SourceKey, DesiredEvent>();
      const kindSkips: SkippedRecord[] = [...collected.failedRows];
      for (const item of collected.rows) {
        const mailbox = resolveMailbox(item.row.owner, settings.routing, collected.emails);
        const result = renderEvent(item.row, mailbox, { ...settings.render, extra: item.extra });
        if ('desired' in result) desired.set(item.row.key, result.desired);
        else kindSkips.push(result.skip);
      }
      durations.render += performance.now() - tc;

      tc = performance.now();
      const plan = planSync({ desired, skipped: kindSkips, presentKeys: collected.presentKeys, links: collected.links });
      const guard = (allowMassDelete: boolean) => guardPlan(plan, {
        linkCount: collected.links.size, sourceCount: collected.presentKeys.size, allowMassDelete,
        minDeletions: settings.guards.minDeletions, maxDeletePercent: settings.guards.maxDeletePercent,
      });
      let guarded = guard(options.allowMassDelete ?? false);
      // An approval (API) is spent only on a plan that needs it, so an idle poll writes nothing.
      if (guarded.held && !dryRun && deps.store.consumeApproval(kind)) guarded = guard(true);
      durations.plan += performance.now() - tc;
      actions.push(...guarded.actions);
      unchanged += guarded.unchanged;
      skips.push(...kindSkips);
      if (guarded.held) {
        held = guarded.held;
        deps.logger.log({ level: 'warn', runId, message: guarded.held.message, action: 'held' });
      } else {
        watermarkUpdates.push(() => {
          const failedKeys = new Set(lastFailures.map((f) => f.sourceKey));
          // A row whose extra query failed is read again next run, like a row whose write failed.
          const read = [
            ...collected.rows.map((r) => ({ key: r.row.key, modifiedAt: r.row.modifiedAt })),
            ...[...collected.failedStamps].map(([key, modifiedAt]) => ({ key, modifiedAt })),
          ];
          const next = nextWatermark(collected.previousWatermark, read, new Set([...failedKeys, ...collected.failedStamps.keys()]));
          if (next !== null) deps.store.setWatermark(kind, next);
          if (full && failedKeys.size === 0) deps.store.setLastFullPass(kind, started.toISOString());
          deps.store.setWatermark(fingerprintKey, settings.renderFingerprint);
        });
      }
    }

    const plan: SyncPlan = { actions, unchanged, held };
    if (dryRun) {
      return finish({ mode, skipped: skips.length, skips, held }, plan);
    }
    let tc = performance.now();
    const applied = held
      ? { created: 0, updated: 0, moved: 0, deleted: 0, failures: [] }
      : await applyPlan(plan, { target: deps.target, store: deps.store, logger: deps.logger, now: deps.now }, {
        runId, calendarName: settings.calendarName, concurrencyPerMailbox: settings.concurrencyPerMailbox,
        itemsInFlightPerMailbox: settings.itemsInFlightPerMailbox,
      });
    durations.apply += performance.now() - tc;
    lastFailures = applied.failures;
    for (const update of watermarkUpdates) update();
    for (const skip of skips) {
      deps.logger.log({ level: 'warn', runId, sourceKey: skip.sourceKey, action: 'skip', message: skip.detail });
    }
    return finish({
      mode, created: applied.created, updated: applied.updated, moved: applied.moved, deleted: applied.deleted,
      skipped: skips.length, failed: applied.failures.length, failures: applied.failures, skips, held,
    }, plan);
  } catch (err) {
    return finish({ error: describeError(err) }, null);
  } finally {
    if (!dryRun) deps.store.releaseLock('sync', holder);
  }
}

/** True when `holder` (`host:pid:runId`) names a process on this host that no longer runs. */
export function isDeadLocalHolder(holder: string): boolean {
  const [host, pidText] = holder.split(':');
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * The new watermark: the newest stamp read, but never past a row whose write failed (so that the
 * row is read again next time), and never backwards.
 */
export function nextWatermark(previous: string | null, rows: readonly { key: string; modifiedAt: string }[], failedKeys: ReadonlySet<string>): string | null {
  let newest = previous;
  let oldestFailed: string | null = null;
  for (const r of rows) {
    if (failedKeys.has(r.key)) {
      if (oldestFailed === null || r.modifiedAt < oldestFailed) oldestFailed = r.modifiedAt;
    } else if (newest === null || r.modifiedAt > newest) {
      newest = r.modifiedAt;
    }
  }
  if (oldestFailed !== null && (newest === null || oldestFailed < newest)) {
    return previous !== null && previous > oldestFailed ? previous : oldestFailed;
  }
  return newest;
}

function countPlanned(plan: SyncPlan | null): Record<SyncActionType, number> {
  const counts: Record<SyncActionType, number> = { create: 0, update: 0, move: 0, delete: 0, skip: 0, conflict: 0 };
  for (const a of plan?.actions ?? []) counts[a.type] += 1;
  return counts;
}
