import { randomUUID } from 'node:crypto';
import type { DesiredEvent, ItemFailure, Link, SyncAction, SyncPlan } from '../domain/types.ts';
import type { Logger } from '../domain/logger.ts';
import type { CalendarTarget, RemoteEvent } from '../targets/calendar-target.ts';
import type { PendingCreate, StateStore } from '../state/state-store.ts';
import { describeError, isTransientError } from '../domain/describe-error.ts';
import { OUTCOME_UNKNOWN } from '../targets/describe-target-error.ts';

export interface ApplyDeps {
  readonly target: CalendarTarget;
  readonly store: StateStore;
  readonly logger: Logger;
  readonly now: () => Date;
}

export interface ApplySettings {
  readonly runId: string;
  readonly calendarName: string;
  /** Requests in flight per mailbox (Exchange allows 4 concurrent per app and mailbox). */
  readonly concurrencyPerMailbox: number;
  /**
   * Items handed to the target at once per mailbox (default `concurrencyPerMailbox`). A target
   * that batches (Graph: up to 20 writes per `$batch`, its own limit of 4 requests per mailbox)
   * needs more waiting than it sends, e.g. 40, so that one batch can fill while another is out.
   */
  readonly itemsInFlightPerMailbox?: number;
}

export interface ApplyResult {
  readonly created: number;
  readonly updated: number;
  readonly moved: number;
  readonly deleted: number;
  readonly failures: readonly ItemFailure[];
}

type Outcome = 'created' | 'updated' | 'moved' | 'deleted' | 'none';

/**
 * Applies a plan: per mailbox, a few items in flight, mailboxes in parallel. Each finished item
 * commits its link at once, so a crash loses at most the items in flight; those are recovered by
 * the pending entry written before each create and the source-key stamp on the event.
 *
 * A mailbox that cannot be written at all (outside the access policy, no Exchange licence, no
 * such user) stops at its first such error: its remaining items are failed with the same
 * reason without asking Graph again, while the other mailboxes go on.
 */
export async function applyPlan(plan: SyncPlan, deps: ApplyDeps, settings: ApplySettings): Promise<ApplyResult> {
  const counts = { created: 0, updated: 0, moved: 0, deleted: 0 };
  const failures: ItemFailure[] = [];
  if (plan.held) return { ...counts, failures };
  const pending = deps.store.loadPending();
  const byMailbox = groupByMailbox(plan.actions);

  const itemsInFlight = settings.itemsInFlightPerMailbox ?? settings.concurrencyPerMailbox;
  const unwritable = new Map<string, unknown>();
  const fail = (action: SyncAction, err: unknown, started: number) => {
    const message = describeError(err);
    failures.push({ sourceKey: action.sourceKey, action: action.type, mailbox: mailboxOf(action), transient: isTransientError(err), message });
    deps.logger.log({
      level: 'error', message, runId: settings.runId, sourceKey: action.sourceKey,
      mailbox: mailboxOf(action) ?? undefined, action: action.type, durationMs: Date.now() - started,
      requestId: requestIdOf(err),
    });
  };

  await Promise.all([...byMailbox.entries()].map(([mailbox, actions]) =>
    runLimited(actions, itemsInFlight, async (action) => {
      const started = Date.now();
      const stopped = unwritable.get(mailbox);
      if (stopped !== undefined) return fail(action, stopped, started);
      try {
        const outcome = await applyAction(action, deps, settings, pending);
        if (outcome !== 'none') counts[outcome] += 1;
        deps.logger.log({
          level: 'info', message: `${action.type}: ${action.reason}`, runId: settings.runId,
          sourceKey: action.sourceKey, mailbox: mailboxOf(action) ?? undefined, action: action.type,
          durationMs: Date.now() - started,
        });
      } catch (err) {
        // A move also writes to its old mailbox, so its errors say nothing certain about this one.
        if (action.type !== 'move' && (isMailboxUnwritable(err) || isSignInRefused(err)) && !unwritable.has(mailbox)) {
          unwritable.set(mailbox, err);
          deps.logger.log({
            level: 'warn', message: `Pozostałe pozycje skrzynki ${mailbox} nie zostaną wysłane w tym przebiegu: ${describeError(err)}`,
            runId: settings.runId, mailbox, requestId: requestIdOf(err),
          });
        }
        fail(action, err, started);
      }
    })));
  failures.sort((a, b) => a.sourceKey.localeCompare(b.sourceKey));
  return { ...counts, failures };
}

async function applyAction(action: SyncAction, deps: ApplyDeps, settings: ApplySettings, pending: ReadonlyMap<string, PendingCreate>): Promise<Outcome> {
  switch (action.type) {
    case 'create': {
      await createLinked(action.desired, deps, settings, pending.get(action.sourceKey));
      return 'created';
    }
    case 'update': {
      const updated = await updateOrRecreate(action.desired, action.link, deps, settings, pending);
      return updated ? 'updated' : 'created';
    }
    case 'move': {
      // New event first, then the old one removed, then the link points at the new one.
      const created = await createRemote(action.desired, deps, settings, pending.get(action.sourceKey));
      await deps.target.deleteEvent(action.link.mailbox, action.link.remoteId);
      deps.store.commitCreated(linkFor(action.desired, created.calendarId, created.remote, deps.now()));
      return 'moved';
    }
    case 'delete': {
      await deps.target.deleteEvent(action.link.mailbox, action.link.remoteId);
      deps.store.deleteLink(action.sourceKey);
      return 'deleted';
    }
    case 'skip':
    case 'conflict':
      return 'none';
  }
}

async function updateOrRecreate(desired: DesiredEvent, link: Link, deps: ApplyDeps, settings: ApplySettings, pending: ReadonlyMap<string, PendingCreate>): Promise<boolean> {
  try {
    const remote = await deps.target.updateEvent(link.mailbox, link.remoteId, desired.event);
    deps.store.saveLink(linkFor(desired, link.calendarId, remote, deps.now()));
    return true;
  } catch (err) {
    // Case "event deleted in Outlook": the record still exists, so the event comes back.
    if (statusOf(err) !== 404) throw err;
    await createLinked(desired, deps, settings, pending.get(desired.sourceKey));
    return false;
  }
}

async function createLinked(desired: DesiredEvent, deps: ApplyDeps, settings: ApplySettings, pending: PendingCreate | undefined): Promise<void> {
  const { calendarId, remote } = await createRemote(desired, deps, settings, pending);
  deps.store.commitCreated(linkFor(desired, calendarId, remote, deps.now()));
}

/**
 * Creates the event, unless an earlier attempt (crashed before its link was saved) already did:
 * then the event found by its stamp is adopted, and any extra copies are removed.
 */
async function createRemote(desired: DesiredEvent, deps: ApplyDeps, settings: ApplySettings, pending: PendingCreate | undefined): Promise<{ calendarId: string; remote: RemoteEvent }> {
  const calendarId = await deps.target.ensureCalendar(desired.mailbox, settings.calendarName);
  if (pending && pending.mailbox === desired.mailbox) {
    const found = await deps.target.findBySourceKey(desired.mailbox, calendarId, desired.sourceKey);
    if (found.length > 0) {
      const [keep, ...extra] = found;
      for (const dup of extra) await deps.target.deleteEvent(desired.mailbox, dup.remoteId);
      deps.logger.log({ level: 'warn', message: 'Przejęto wydarzenie utworzone przed awarią (bez duplikatu).', runId: settings.runId, sourceKey: desired.sourceKey, mailbox: desired.mailbox, action: 'adopt' });
      // Adopted as it was: bring its content up to date too.
      const remote = await deps.target.updateEvent(desired.mailbox, keep.remoteId, desired.event);
      return { calendarId, remote };
    }
  }
  const transactionId = pending && pending.mailbox === desired.mailbox ? pending.transactionId : randomUUID();
  deps.store.markPending({ sourceKey: desired.sourceKey, mailbox: desired.mailbox, transactionId, since: deps.now().toISOString() });
  const remote = await deps.target.createEvent(desired.mailbox, calendarId, desired.sourceKey, desired.event, transactionId);
  return { calendarId, remote };
}

function linkFor(desired: DesiredEvent, calendarId: string, remote: RemoteEvent, now: Date): Link {
  return {
    sourceKey: desired.sourceKey, mailbox: desired.mailbox, calendarId, remoteId: remote.remoteId,
    changeKey: remote.changeKey, renderHash: desired.renderHash, sourceModifiedAt: desired.sourceModifiedAt,
    updatedAt: now.toISOString(),
  };
}

function mailboxOf(action: SyncAction): string | null {
  if ('desired' in action) return action.desired.mailbox;
  if ('link' in action && action.link) return action.link.mailbox;
  return null;
}

/**
 * Graph errors that hold for every call to the mailbox (reference §7): 403 ErrorAccessDenied
 * (outside the application access policy / RBAC scope, or no permission), 404 for a user that
 * does not exist or has no Exchange Online mailbox.
 */
/**
 * True when no token could be had for the mailbox and trying again will not help (a person's
 * consent lapsed, the app's secret expired, ...): its other items wait for the fix, unsent.
 */
export function isSignInRefused(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { kind?: unknown; status?: unknown; code?: unknown; transient?: unknown };
  return e.kind === 'target-error' && e.status === null && e.transient === false && e.code !== OUTCOME_UNKNOWN;
}

export function isMailboxUnwritable(err: unknown): boolean {
  const status = statusOf(err);
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
  if (status === 403) return code === 'ErrorAccessDenied';
  if (status === 404) return code === 'ErrorInvalidUser' || code === 'MailboxNotEnabledForRESTAPI' || code === 'MailboxNotSupportedForRESTAPI';
  return false;
}

function groupByMailbox(actions: readonly SyncAction[]): Map<string, SyncAction[]> {
  const groups = new Map<string, SyncAction[]>();
  for (const action of actions) {
    if (action.type === 'skip' || action.type === 'conflict') continue;
    // A move touches two mailboxes; it is queued on the one it writes to first. Mailbox
    // addresses compare without case, as Exchange does.
    const mailbox = (mailboxOf(action) ?? '').toLowerCase();
    const group = groups.get(mailbox);
    if (group) group.push(action);
    else groups.set(mailbox, [action]);
  }
  return groups;
}

/** Runs `work` over `items` with at most `limit` in flight. */
export async function runLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const item = items[next++];
      await work(item);
    }
  });
  await Promise.all(workers);
}

function statusOf(err: unknown): number | null {
  return typeof err === 'object' && err !== null && 'status' in err && typeof err.status === 'number' ? err.status : null;
}

function requestIdOf(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'requestId' in err && typeof err.requestId === 'string' ? err.requestId : undefined;
}
