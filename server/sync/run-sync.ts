import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { DesiredEvent, Link, RecordKind, RunReport, SkippedRecord, SourceKey, SyncActionType, SyncPlan } from '../domain/types.ts';
import type { Logger } from '../domain/logger.ts';
import type { SourceReader } from '../source/source-reader.ts';
import type { CalendarTarget } from '../targets/calendar-target.ts';
import type { StateStore } from '../state/state-store.ts';
import { describeError } from '../domain/describe-error.ts';
import { collectChanges, type Collected, type ExtraQuery, type IdsCache, type PeopleCache } from './collect-changes.ts';
import { renderEvent, type RenderContext } from '../render/render-event.ts';
import { resolveMailbox, type MailboxRouting } from './route-mailbox.ts';
import { planSync, type DriftPolicy } from './plan-sync.ts';
import { createChangeKeyListings, detectDrift, type Drift, type DriftCheck } from './detect-drift.ts';
import { guardPlan } from './guard-plan.ts';
import { applyPlan } from './apply-plan.ts';
import { listCompanies, selectRenderContext, streamName, type CompanySource } from './companies.ts';
import { hasDateWindow, localToday } from '../render/record-filter.ts';

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
  /** Further Optima companies (config `source.companies`); `reader` above is the main company. */
  readonly companies?: readonly CompanySource[];
}

export interface SyncSettings {
  readonly kinds: readonly RecordKind[];
  readonly calendarName: string;
  readonly routing: MailboxRouting;
  readonly render: Omit<RenderContext, 'extra'>;
  /** Fingerprint of templates and render settings: when it moves, the next run is a full pass. */
  readonly renderFingerprint: string;
  /** A further company's render settings (its templates and filters); absent = `render`. */
  readonly companyRender?: ReadonlyMap<string, Omit<RenderContext, 'extra'>>;
  readonly extraQueries: readonly ExtraQuery[];
  readonly overlapSeconds: number;
  readonly guards: { readonly minDeletions: number; readonly maxDeletePercent: number };
  readonly concurrencyPerMailbox: number;
  /** Items handed to the calendar target at once per mailbox, so that its batches can fill. */
  readonly itemsInFlightPerMailbox: number;
  readonly lockStaleAfterMs: number;
  /** Full pass due (from the schedule) for a stream whose last full pass was at `last`. */
  readonly isFullPassDue: (last: string | null, now: Date) => boolean;
  /** When events changed in the calendar by a person are looked for (config `sync.driftCheck`). Default 'full-pass'. */
  readonly driftCheck?: 'full-pass' | 'every-run' | 'off';
  /** What to do with them (config `sync.driftPolicy`). Default 'restore'. */
  readonly driftPolicy?: DriftPolicy;
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
  const companies = listCompanies(deps);
  const sumStats = (what: 'queries' | 'rowsRead') => companies.reduce((n, x) => n + x.reader.stats[what], 0);
  const queries0 = sumStats('queries');
  const rows0 = sumStats('rowsRead');
  const requests0 = deps.target.stats.requests;
  const dryRun = options.dryRun ?? false;
  const durations = { collect: 0, render: 0, plan: 0, apply: 0, total: 0 };

  const finish = (partial: Partial<RunReport>, plan: SyncPlan | null, stored = !dryRun): RunResult => {
    durations.total = Math.round(performance.now() - t0);
    const report: RunReport = {
      runId, mode: 'incremental', dryRun, startedAt: started.toISOString(), finishedAt: deps.now().toISOString(),
      planned: countPlanned(plan), created: 0, updated: 0, moved: 0, deleted: 0, skipped: 0, failed: 0,
      held: plan?.held ?? null, failures: [], skips: [], drift: { restored: 0, reported: 0 }, error: null,
      sourceQueries: sumStats('queries') - queries0, sourceRowsRead: sumStats('rowsRead') - rows0,
      graphRequests: deps.target.stats.requests - requests0, durationsMs: { ...durations },
      ...partial,
    };
    if (stored) deps.store.saveRun(report);
    const drift = report.drift && report.drift.restored + report.drift.reported > 0
      ? `, zmiany w Outlooku: przywrócono ${report.drift.restored}, zgłoszono ${report.drift.reported}` : '';
    deps.logger.log({
      level: report.error || report.failed > 0 ? 'warn' : 'info', runId,
      message: report.error ?? `Przebieg zakończony: +${report.created} ~${report.updated} ↔${report.moved} −${report.deleted}, pominięto ${report.skipped}, błędy ${report.failed}${drift}${report.held ? ', wstrzymany' : ''}`,
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
    const driftCheck = settings.driftCheck ?? 'full-pass';
    const driftPolicy = settings.driftPolicy ?? 'restore';
    const listings = createChangeKeyListings();
    const driftRestores: DriftOutcome[] = [];
    const driftReports: DriftOutcome[] = [];

    const today = localToday(started, settings.render.timeZone);
    for (const company of companies) for (const kind of settings.kinds) {
      const stream = streamName(company.code, kind);
      const render = selectRenderContext(settings, company.code);
      const fingerprintKey = `render:${stream}`;
      // A date window moves with the calendar day: records entering or leaving it changed no stamp
      // in Optima, so the first run of a day reads everything once.
      const renderFingerprint = hasDateWindow(render.filters) ? `${settings.renderFingerprint}|${today}` : settings.renderFingerprint;
      const fingerprintMoved = deps.store.getWatermark(fingerprintKey) !== renderFingerprint;
      let full = options.mode === 'full' || fingerprintMoved || settings.isFullPassDue(deps.store.getLastFullPass(stream), started);
      if (full) mode = 'full';

      let tc = performance.now();
      const collect = (all: boolean) => collectChanges({ reader: company.reader, store: deps.store, people: company.people, ids: company.ids, now: deps.now }, {
        kind, company: company.code, full: all, overlapSeconds: settings.overlapSeconds, extraQueries: settings.extraQueries,
        needPeople: settings.routing.useOptimaEmail,
      });
      let collected = await collect(full);
      durations.collect += performance.now() - tc;

      let drift: DriftCheck | null = null;
      if (driftCheck === 'every-run' || (driftCheck === 'full-pass' && full)) {
        tc = performance.now();
        drift = await detectDrift([...collected.links.values()], { target: deps.target, logger: deps.logger }, { runId, listings });
        if (!full && driftPolicy === 'restore' && needsUnreadRows(drift, collected)) {
          // Restoring takes Optima's version of records this incremental read did not bring:
          // read them all (a full pass). Rare: only when a person changed an event since the last check.
          full = true;
          mode = 'full';
          collected = await collect(true);
        }
        durations.collect += performance.now() - tc;
      }

      tc = performance.now();
      const desired = new Map<SourceKey, DesiredEvent>();
      const kindSkips: SkippedRecord[] = [...collected.failedRows];
      for (const item of collected.rows) {
        const mailbox = resolveMailbox(item.row.owner, settings.routing, collected.emails, company.code);
        const result = renderEvent(item.row, mailbox, { ...render, extra: item.extra, today });
        if ('desired' in result) desired.set(item.row.key, result.desired);
        else kindSkips.push(result.skip);
      }
      durations.render += performance.now() - tc;

      tc = performance.now();
      // Only this kind's links (collect loads them by kind): another kind's events are not "gone"
      // because this kind's ids lack them.
      const kindLinks = collected.links;
      const plan = planSync({
        desired, skipped: kindSkips, presentKeys: collected.presentKeys, links: kindLinks,
        remoteChangeKeys: drift?.remoteChangeKeys, driftPolicy,
      });
      const guard = (allowMassDelete: boolean) => guardPlan(plan, {
        linkCount: kindLinks.size, sourceCount: collected.presentKeys.size, allowMassDelete,
        minDeletions: settings.guards.minDeletions, maxDeletePercent: settings.guards.maxDeletePercent,
      });
      let guarded = guard(options.allowMassDelete ?? false);
      // An approval (API) is spent only on a plan that needs it, so an idle poll writes nothing.
      if (guarded.held && !dryRun && deps.store.consumeApproval(stream)) guarded = guard(true);
      durations.plan += performance.now() - tc;
      actions.push(...guarded.actions);
      if (drift) sortDriftActions(guarded.actions, drift.drifted, driftRestores, driftReports);
      unchanged += guarded.unchanged;
      skips.push(...kindSkips);
      if (guarded.held) {
        held = { ...guarded.held, stream };
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
          if (next !== null) deps.store.setWatermark(stream, next);
          // Failed rows are read again through the watermark, so a failure (a mailbox outside the
          // policy for days) must not turn every poll into a full pass.
          if (full) deps.store.setLastFullPass(stream, started.toISOString());
          deps.store.setWatermark(fingerprintKey, renderFingerprint);
        });
      }
    }

    const plan: SyncPlan = { actions, unchanged, held };
    if (dryRun) {
      // Nothing restored in a dry run; what would be is in the plan (its actions and reasons).
      return finish({ mode, skipped: skips.length, skips, held, drift: { restored: 0, reported: driftReports.length } }, plan);
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
    const restored = logDrift(deps.logger, runId, held ? [] : driftRestores, driftReports, applied.failures);
    return finish({
      mode, created: applied.created, updated: applied.updated, moved: applied.moved, deleted: applied.deleted,
      skipped: skips.length, failed: applied.failures.length, failures: applied.failures, skips, held,
      drift: { restored, reported: driftReports.length },
    }, plan);
  } catch (err) {
    return finish({ error: describeError(err) }, null);
  } finally {
    if (!dryRun) deps.store.releaseLock('sync', holder);
  }
}

/** A drifted event and what the plan does about it. */
interface DriftOutcome extends Drift {
  readonly action: SyncActionType;
  readonly reason: string;
}

/** Whether restoring some drifted event needs a source row this incremental read did not bring. */
function needsUnreadRows(drift: DriftCheck, collected: Collected): boolean {
  if (drift.drifted.size === 0) return false;
  const read = new Set<SourceKey>(collected.rows.map((r) => r.row.key));
  for (const s of collected.failedRows) read.add(s.sourceKey);
  // A record gone from the source is deleted anyway; it needs no row.
  for (const key of drift.drifted.keys()) if (!read.has(key) && collected.presentKeys.has(key)) return true;
  return false;
}

/**
 * Sorts the plan's answers to drift: a create or update of a drifted event restores it, a
 * conflict reports it. Other actions (the record was deleted, moved to another person, or can no
 * longer be rendered) supersede the drift and are reported as what they are.
 */
function sortDriftActions(actions: SyncPlan['actions'], drifted: ReadonlyMap<SourceKey, Drift>, restores: DriftOutcome[], reports: DriftOutcome[]): void {
  for (const action of actions) {
    const drift = drifted.get(action.sourceKey);
    if (!drift) continue;
    if (action.type === 'conflict') reports.push({ ...drift, action: action.type, reason: action.reason });
    else if (action.type === 'create' || action.type === 'update') restores.push({ ...drift, action: action.type, reason: action.reason });
  }
}

/** Logs every drift with its source key, mailbox and what was done; returns how many were restored. */
function logDrift(logger: SyncDeps['logger'], runId: string, restores: readonly DriftOutcome[], reports: readonly DriftOutcome[], failures: RunReport['failures']): number {
  const failed = new Map(failures.map((f) => [f.sourceKey, f.message]));
  let restored = 0;
  for (const d of restores) {
    const what = d.kind === 'deleted' ? 'usunięto' : 'zmieniono';
    const failure = failed.get(d.sourceKey);
    if (failure === undefined) restored += 1;
    logger.log({
      level: 'warn', runId, sourceKey: d.sourceKey, mailbox: d.mailbox, action: 'drift-restore', data: { drift: d.kind, planned: d.action },
      message: failure === undefined
        ? `Wydarzenie ${what} w kalendarzu ${d.mailbox} poza synchronizacją — ${d.kind === 'deleted' ? 'utworzono je ponownie' : 'przywrócono treść z Optimy'}.`
        : `Wydarzenie ${what} w kalendarzu ${d.mailbox} poza synchronizacją — nie udało się go przywrócić (ponowię w następnym sprawdzeniu): ${failure}`,
    });
  }
  for (const d of reports) {
    logger.log({
      level: 'warn', runId, sourceKey: d.sourceKey, mailbox: d.mailbox, action: 'drift-report', data: { drift: d.kind, planned: d.action },
      message: d.reason,
    });
  }
  return restored;
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
