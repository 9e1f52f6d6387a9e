import type { SourceKey } from '../domain/types.ts';
import { describeError } from '../domain/describe-error.ts';
import type { SyncDeps, SyncSettings } from './run-sync.ts';
import { groupFoundEvents, type FoundEvent } from './find-duplicates.ts';
import { listCompanyCodes } from './companies.ts';
import { linkFoundEvent, renderCurrentView, requestFullPass, scanCalendars, takeRecoveryLock, type MailboxScan, type RecoveryOptions } from './rebuild-state.ts';

/**
 * `dedupe`: source keys with more than one stamped event (across every mailbox the routing can
 * send to) keep one — the linked one when a link exists — and lose the rest. It never removes a
 * record's last event, so it needs no mass-delete guard.
 */

export interface DedupeGroupReport {
  readonly sourceKey: SourceKey;
  readonly kept: { readonly mailbox: string; readonly remoteId: string; readonly subject: string };
  readonly reason: string;
  /** Events deleted (or, in a dry run, to delete). */
  readonly removed: readonly { readonly mailbox: string; readonly remoteId: string; readonly subject: string }[];
  /** Deletions that failed, with an operator sentence each. */
  readonly failures: readonly { readonly mailbox: string; readonly remoteId: string; readonly message: string }[];
  /** True when the link now points at the kept event (it did not before). */
  readonly relinked: boolean;
}

export interface DedupeReport {
  readonly dryRun: boolean;
  readonly mailboxes: readonly MailboxScan[];
  readonly groups: readonly DedupeGroupReport[];
  /** Events deleted (a dry run: 0). */
  readonly deleted: number;
  readonly failed: number;
  readonly error: string | null;
}

/** Finds duplicated events, keeps one per source key, deletes the rest; `dryRun` only reports. */
export async function dedupe(deps: SyncDeps, settings: SyncSettings, options: RecoveryOptions): Promise<DedupeReport> {
  const empty = (error: string): DedupeReport => ({ dryRun: options.dryRun, mailboxes: [], groups: [], deleted: 0, failed: 0, error });
  const lock = options.dryRun ? { release: () => undefined } : takeRecoveryLock(deps.store, settings.lockStaleAfterMs);
  if ('error' in lock) return empty(lock.error);
  try {
    let view;
    try {
      view = await renderCurrentView(deps, settings);
    } catch (err) {
      return empty(`Nie udało się odczytać Optimy: ${describeError(err)}`);
    }
    const { scans, events } = await scanCalendars(deps.target, view.mailboxes, settings.calendarName, options);
    const links = deps.store.loadLinks();
    const groups = groupFoundEvents(events, links, view.desired).filter((g) => g.extra.length > 0);
    const reports: DedupeGroupReport[] = [];
    let deleted = 0;
    let failed = 0;
    for (const group of groups) {
      const existing = links.get(group.sourceKey);
      const relinked = existing?.remoteId !== group.keep.remoteId;
      const failures: DedupeGroupReport['failures'][number][] = [];
      if (!options.dryRun) {
        if (relinked) {
          // The link moves to the kept event before any copy is deleted: a crash in between
          // leaves a duplicate (found again next time), never a link to a deleted event.
          const link = linkFoundEvent(group.keep, view.desired.get(group.sourceKey), existing, deps.now().toISOString());
          const holder = deps.store.findLinkByRemoteId(link.remoteId);
          if (holder && holder.sourceKey !== link.sourceKey) deps.store.deleteLink(holder.sourceKey);
          deps.store.saveLink(link);
          if (link.renderHash === '') requestFullPass(deps.store, settings.kinds, listCompanyCodes(deps));
        }
        for (const extra of group.extra) {
          try {
            await deps.target.deleteEvent(extra.mailbox, extra.remoteId);
            deleted += 1;
            deps.logger.log({ level: 'info', sourceKey: group.sourceKey, mailbox: extra.mailbox, action: 'delete', message: `Usunięto duplikat wydarzenia (zostaje to w skrzynce ${group.keep.mailbox}: ${group.reason})` });
          } catch (err) {
            failed += 1;
            failures.push({ mailbox: extra.mailbox, remoteId: extra.remoteId, message: describeError(err) });
          }
        }
      }
      reports.push({ sourceKey: group.sourceKey, kept: describe(group.keep), reason: group.reason, removed: group.extra.filter((e) => !failures.some((f) => f.remoteId === e.remoteId)).map(describe), failures, relinked });
    }
    return { dryRun: options.dryRun, mailboxes: scans, groups: reports, deleted, failed, error: null };
  } finally {
    lock.release();
  }
}

function describe(e: FoundEvent): { mailbox: string; remoteId: string; subject: string } {
  return { mailbox: e.mailbox, remoteId: e.remoteId, subject: e.subject };
}
