import type { DesiredEvent, Link, SkippedRecord, SkipReason, SourceKey, SyncAction, SyncPlan } from '../domain/types.ts';

/**
 * Plan (pure): desired events + stored links → a SyncPlan, one decision per source key. The table
 * is in `decideRecord`; every action carries an operator reason in Polish. The dry run, the
 * add-in's preview and `--json` output all print this value.
 */

/** What to do when an event was changed or deleted in the calendar behind the sync's back. */
export type DriftPolicy = 'restore' | 'report';

/** The membership test the plan needs (a Set, or a view over the source's numeric ids). */
export interface KeySet {
  has(key: SourceKey): boolean;
  readonly size: number;
}

export interface PlanInput {
  readonly desired: ReadonlyMap<SourceKey, DesiredEvent>;
  readonly skipped: readonly SkippedRecord[];
  /** Every source key in scope right now (the ids-only query), for deletions. */
  readonly presentKeys: KeySet;
  readonly links: ReadonlyMap<SourceKey, Link>;
  /** Calendar change keys where drift was checked: a string = current change key, null = event missing. */
  readonly remoteChangeKeys?: ReadonlyMap<SourceKey, string | null>;
  /** Default 'restore': Optima is the source of truth for these events. */
  readonly driftPolicy?: DriftPolicy;
}

/** Everything known about one source key. */
export interface RecordFacts {
  readonly sourceKey: SourceKey;
  readonly desired: DesiredEvent | undefined;
  readonly skip: SkippedRecord | undefined;
  readonly link: Link | undefined;
  readonly present: boolean;
  /** undefined = drift not checked; null = the event is gone from the calendar. */
  readonly remoteChangeKey: string | null | undefined;
  readonly driftPolicy: DriftPolicy;
}

export interface Decision {
  readonly action: SyncAction | null;
  readonly unchanged: boolean;
}

/** Skip reasons caused by our side (a template or query bug): never delete an event because of them. */
const OWN_FAULT: ReadonlySet<SkipReason> = new Set(['template-error', 'query-error']);

/**
 * Builds the plan: one decision per source key, actions sorted by source key. Only the actions
 * are sorted — an idle poll over 100k links decides each key once and sorts almost nothing.
 */
export function planSync(input: PlanInput): SyncPlan {
  const skips = new Map<SourceKey, SkippedRecord>();
  for (const s of input.skipped) if (!skips.has(s.sourceKey)) skips.set(s.sourceKey, s);
  const actions: SyncAction[] = [];
  let unchanged = 0;
  const decide = (sourceKey: SourceKey) => {
    const decision = decideRecord({
      sourceKey,
      desired: input.desired.get(sourceKey),
      skip: skips.get(sourceKey),
      link: input.links.get(sourceKey),
      present: input.presentKeys.has(sourceKey),
      remoteChangeKey: input.remoteChangeKeys?.has(sourceKey) ? input.remoteChangeKeys.get(sourceKey) : undefined,
      driftPolicy: input.driftPolicy ?? 'restore',
    });
    if (decision.action) actions.push(decision.action);
    if (decision.unchanged) unchanged += 1;
  };
  for (const key of input.desired.keys()) decide(key);
  for (const key of skips.keys()) if (!input.desired.has(key)) decide(key);
  for (const key of input.links.keys()) {
    if (input.desired.has(key) || skips.has(key)) continue;
    // Table case "linked, still in the source, not read in this pass" (no drift info) is
    // nothing: tested here first so that an idle poll over 100k links builds no facts.
    if (input.presentKeys.has(key) && !input.remoteChangeKeys?.has(key)) continue;
    decide(key);
  }
  actions.sort((a, b) => compareSourceKeys(a.sourceKey, b.sourceKey));
  return { actions, unchanged, held: null };
}

/** The decision table for one source key. */
export function decideRecord(f: RecordFacts): Decision {
  const act = (action: SyncAction): Decision => ({ action, unchanged: false });
  const { sourceKey, desired, link } = f;

  if (desired) {
    // Case: new record → create.
    if (!link) return act({ type: 'create', sourceKey, desired, reason: `Nowy rekord — tworzę wydarzenie w kalendarzu ${desired.mailbox}.` });
    // Case: the person changed → move to the other mailbox (a move also rewrites the content).
    if (link.mailbox !== desired.mailbox) {
      return act({ type: 'move', sourceKey, desired, link, reason: `Zmiana osoby: przenoszę wydarzenie z kalendarza ${link.mailbox} do ${desired.mailbox}.` });
    }
    // Case: drift — the event was deleted in the calendar.
    if (f.remoteChangeKey === null) {
      if (f.driftPolicy === 'report') {
        return act({ type: 'conflict', sourceKey, link, reason: `Wydarzenie usunięto z kalendarza ${link.mailbox} poza synchronizacją — nie odtwarzam, bo polityka zmian to „report”; ustaw „restore”, żeby je odtworzyć.` });
      }
      return act({ type: 'create', sourceKey, desired, reason: `Wydarzenie usunięto z kalendarza ${link.mailbox} poza synchronizacją — tworzę je ponownie.` });
    }
    // Case: drift — the event was edited in the calendar (an unknown stored change key proves nothing).
    if (f.remoteChangeKey !== undefined && link.changeKey !== null && f.remoteChangeKey !== link.changeKey) {
      if (f.driftPolicy === 'report') {
        return act({ type: 'conflict', sourceKey, link, reason: `Wydarzenie zmieniono w kalendarzu ${link.mailbox} poza synchronizacją — nie nadpisuję, bo polityka zmian to „report”; ustaw „restore”, żeby przywrócić treść z Optimy.` });
      }
      return act({ type: 'update', sourceKey, desired, link, reason: 'Wydarzenie zmieniono w kalendarzu poza synchronizacją — przywracam treść z Optimy.' });
    }
    // Case: content changed (record edited in Optima or templates changed) → update.
    if (link.renderHash !== desired.renderHash) {
      return act({ type: 'update', sourceKey, desired, link, reason: 'Rekord albo szablon zmienił się — aktualizuję wydarzenie.' });
    }
    // Case: nothing moved → no write.
    return { action: null, unchanged: true };
  }

  if (f.skip) {
    const skip = f.skip;
    // Case: cannot render and nothing in the calendar yet → just report the skip.
    if (!link) return act({ type: 'skip', sourceKey, reason: `Pomijam: ${skip.detail}`, skip });
    // Case: our own template/query bug → keep the existing event untouched.
    if (OWN_FAULT.has(skip.reason)) {
      return act({ type: 'skip', sourceKey, reason: `Pomijam, istniejące wydarzenie zostaje bez zmian: ${skip.detail}`, skip });
    }
    // Case: the record no longer belongs in a calendar (no date, no person, filtered out) → delete.
    return act({ type: 'delete', sourceKey, link, reason: `Usuwam wydarzenie: ${skip.detail}` });
  }

  if (link && !f.present) {
    // Case: the source record is gone (deleted or out of scope) → delete.
    return act({ type: 'delete', sourceKey, link, reason: 'Rekordu nie ma już w Optimie (usunięty albo poza zakresem synchronizacji) — usuwam wydarzenie.' });
  }
  // Case: linked and still in the source, just not read in this incremental pass → nothing.
  return { action: null, unchanged: false };
}

/** Orders `serwis:zlecenie:9` before `serwis:zlecenie:10`: kind as text, then the id as a number. */
export function compareSourceKeys(a: SourceKey, b: SourceKey): number {
  const ma = /^(.*?)(\d+)$/.exec(a);
  const mb = /^(.*?)(\d+)$/.exec(b);
  if (ma && mb && ma[1] === mb[1] && ma[2] !== mb[2]) {
    const byNumber = Number(ma[2]) - Number(mb[2]);
    if (byNumber !== 0) return byNumber;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}
