import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { DesiredEvent, ItemFailure, Link, RecordKind, SkippedRecord, SourceKey, SourceRow, SyncAction } from '../domain/types.ts';
import { describeError } from '../domain/describe-error.ts';
import { readPath, readPeopleEmails } from './collect-changes.ts';
import { resolveMailbox } from './route-mailbox.ts';
import { renderEvent } from '../render/render-event.ts';
import { planSync } from './plan-sync.ts';
import { applyPlan } from './apply-plan.ts';
import { isDeadLocalHolder, type SyncDeps, type SyncSettings } from './run-sync.ts';
import { keyPrefixOf, listCompanies, selectRenderContext } from './companies.ts';
import { localToday } from '../render/record-filter.ts';

/** A source key taken apart: `firma2/serwis:zlecenie:123` → company `firma2`, kind `serwis:zlecenie`, id 123. */
export interface ParsedSourceKey {
  readonly kind: RecordKind;
  readonly id: number;
  readonly key: SourceKey;
  /** '' for the main company (keys without a prefix). */
  readonly company: string;
}

/** What one record renders to now: its row (null = gone or out of scope) and the event or the reason it has none. */
export interface RenderedRecord {
  readonly row: SourceRow | null;
  readonly desired: DesiredEvent | null;
  readonly skip: SkippedRecord | null;
}

export type ResyncOutcome = 'created' | 'updated' | 'moved' | 'deleted' | 'unchanged' | 'skipped' | 'failed';

export type ResyncResult =
  | { readonly busy: true; readonly message: string }
  | {
    readonly busy: false;
    readonly outcome: ResyncOutcome;
    /** What the plan decided and why (Polish operator sentence), or null when nothing was to do. */
    readonly action: SyncAction | null;
    readonly failure: ItemFailure | null;
    readonly rendered: RenderedRecord;
  };

/**
 * Parses a source key of a synced kind; null when it is not one (another kind, no id, a company
 * not in `companies`, the codes of the further companies).
 */
export function parseSourceKey(key: string, kinds: readonly RecordKind[], companies: readonly string[] = []): ParsedSourceKey | null {
  const slash = key.indexOf('/');
  const company = slash < 0 ? '' : key.slice(0, slash);
  if (company !== '' && !companies.includes(company)) return null;
  const rest = key.slice(slash + 1);
  const cut = rest.lastIndexOf(':');
  if (cut <= 0) return null;
  const kind = rest.slice(0, cut) as RecordKind;
  const idText = rest.slice(cut + 1);
  if (!kinds.includes(kind) || !/^[1-9]\d{0,15}$/.test(idText)) return null;
  const id = Number(idText);
  return Number.isSafeInteger(id) ? { kind, id, key: `${keyPrefixOf(company)}${kind}:${id}`, company } : null;
}

/**
 * Reads one record from the source (one query, plus its extra queries and, when routing needs it,
 * the people list from the shared cache) and renders it exactly as a run does.
 */
export async function renderRecord(deps: SyncDeps, settings: SyncSettings, parsed: ParsedSourceKey): Promise<RenderedRecord> {
  const company = listCompanies(deps).find((x) => x.code === parsed.company);
  if (!company) return { row: null, desired: null, skip: null };
  const row = await company.reader.readRow(parsed.kind, parsed.id);
  if (!row) return { row: null, desired: null, skip: null };
  const extra: Record<string, readonly Record<string, unknown>[]> = {};
  for (const q of settings.extraQueries) {
    const params: Record<string, unknown> = {};
    for (const [name, path] of Object.entries(q.params)) params[name] = readPath(row, path) ?? null;
    try {
      extra[q.name] = await company.reader.runExtraQuery(q.sql, params);
    } catch (err) {
      return { row, desired: null, skip: { sourceKey: row.key, reason: 'query-error', detail: `Zapytanie dodatkowe „${q.name}” nie powiodło się dla ${row.key}: ${describeError(err)}` } };
    }
  }
  const emails = settings.routing.useOptimaEmail
    ? await readPeopleEmails(company.people, company.reader, company.code, deps.now().getTime())
    : new Map<string, string>();
  const mailbox = resolveMailbox(row.owner, settings.routing, emails, company.code);
  const render = selectRenderContext(settings, company.code);
  const result = renderEvent(row, mailbox, { ...render, extra, today: localToday(deps.now(), render.timeZone) });
  return 'desired' in result ? { row, desired: result.desired, skip: null } : { row, desired: null, skip: result.skip };
}

/**
 * The sync cycle narrowed to one source key ("resync now" in the add-in): read the row, render,
 * check the linked event's change key (so an event edited in Outlook is restored like a run
 * restores it), plan against its link, apply, log. Takes the sync lock like a run; when a run
 * holds it, answers `busy` at once. No guard: one record can delete at most one event. Watermarks
 * are left alone: the next run reads the record again and finds nothing to do.
 */
export async function resyncRecord(deps: SyncDeps, settings: SyncSettings, parsed: ParsedSourceKey): Promise<ResyncResult> {
  const runId = randomUUID();
  const holder = `${hostname()}:${process.pid}:${runId}`;
  let held = deps.store.acquireLock('sync', holder, settings.lockStaleAfterMs);
  if (held && isDeadLocalHolder(held.holder)) held = deps.store.acquireLock('sync', holder, 0);
  if (held) return { busy: true, message: `Synchronizacja już trwa (od ${held.since}) — spróbuj ponownie za chwilę.` };
  try {
    const rendered = await renderRecord(deps, settings, parsed);
    const link = deps.store.getLink(parsed.key);
    const links = new Map<SourceKey, Link>(link ? [[parsed.key, link]] : []);
    const remoteChangeKeys = new Map<SourceKey, string | null>();
    if (link && rendered.desired) {
      // Unreadable now (Graph busy): plan without drift, as a run between drift checks does.
      const remote = await deps.target.readChangeKey(link.mailbox, link.remoteId).catch(() => null);
      if (remote) remoteChangeKeys.set(parsed.key, remote.exists ? remote.changeKey ?? link.changeKey : null);
    }
    const present = new Set<SourceKey>(rendered.row ? [parsed.key] : []);
    const plan = planSync({
      desired: new Map(rendered.desired ? [[parsed.key, rendered.desired]] : []),
      skipped: rendered.skip ? [rendered.skip] : [],
      presentKeys: present, links, remoteChangeKeys, driftPolicy: settings.driftPolicy ?? 'restore',
    });
    const [action] = plan.actions;
    deps.logger.log({ level: 'info', runId, sourceKey: parsed.key, action: 'resync', message: `Synchronizacja jednego rekordu ${parsed.key} na żądanie z dodatku Outlooka.` });
    if (!action) return { busy: false, outcome: 'unchanged', action: null, failure: null, rendered };
    if (action.type === 'skip' || action.type === 'conflict') {
      deps.logger.log({ level: 'warn', runId, sourceKey: parsed.key, action: action.type, message: action.reason });
      return { busy: false, outcome: 'skipped', action, failure: null, rendered };
    }
    const applied = await applyPlan(plan, { target: deps.target, store: deps.store, logger: deps.logger, now: deps.now }, {
      runId, calendarName: settings.calendarName, concurrencyPerMailbox: 1,
    });
    const [failure] = applied.failures;
    if (failure) return { busy: false, outcome: 'failed', action, failure, rendered };
    const outcome: ResyncOutcome = action.type === 'create' ? 'created' : action.type === 'update' ? 'updated' : action.type === 'move' ? 'moved' : 'deleted';
    return { busy: false, outcome, action, failure: null, rendered };
  } finally {
    deps.store.releaseLock('sync', holder);
  }
}
