import type { Link, SourceRow } from '../domain/types.ts';
import type { StateStore } from '../state/state-store.ts';
import type { CalendarTarget } from '../targets/calendar-target.ts';
import type { SourcePerson } from '../source/source-reader.ts';
import type { PersonView, RecordSyncStatus, ServiceOrderView } from '../../shared/addin-api.ts';
import type { RenderedRecord } from '../sync/resync-record.ts';

/** Log actions that mean "the event was written" (apply-plan logs them at info level). */
const WRITE_ACTIONS: ReadonlySet<string> = new Set(['create', 'update', 'move', 'delete', 'adopt']);

/**
 * A service-order row as the taskpane shows it. `people` (Optima's list, may be null when not
 * read) names the leader.
 */
export function toServiceOrderView(row: SourceRow, timeZone: string, people: readonly SourcePerson[] | null): ServiceOrderView {
  const f = row.fields;
  const klient = asRecord(f.klient);
  const kontakt = asRecord(f.osobaKontaktowa);
  const owner = row.owner;
  const leader: PersonView | null = owner
    ? { type: owner.type, id: owner.id, name: people?.find((p) => p.type === owner.type && p.id === owner.id)?.name ?? null }
    : null;
  return {
    kind: 'serwis:zlecenie', id: row.id,
    numer: text(f.numer), stan: text(f.stan), stanKod: typeof f.stanKod === 'number' ? f.stanKod : null,
    etap: text(f.etapOpis) ?? text(f.etap), bufor: f.bufor === true,
    klient: { nazwa: text(klient.nazwa), adres: text(klient.adres), telefon: text(f.telefon), email: text(f.email) },
    osobaKontaktowa: { nazwisko: text(kontakt.nazwisko), telefon: text(kontakt.telefon) },
    urzadzenie: text(f.urzadzenie), kategoria: text(f.kategoria),
    opis: typeof f.opis === 'string' ? f.opis : null,
    prowadzacy: leader,
    dataPrzyjecia: text(f.dataPrzyjecia), dataRealizacji: text(f.dataRealizacji), dataZamkniecia: text(f.dataZamkniecia),
    timeZone,
  };
}

/**
 * Sync status of one record: from its link, what it renders to now, one GET of the event's change
 * key (drift) and the store's log. `target` null skips the drift check ('unknown').
 */
export async function describeSyncStatus(
  deps: { readonly store: StateStore; readonly target: CalendarTarget | null },
  sourceKey: string, rendered: RenderedRecord,
): Promise<RecordSyncStatus> {
  const link = deps.store.getLink(sourceKey);
  const desired = rendered.desired;
  const upToDate = desired
    ? link !== null && link.renderHash === desired.renderHash && link.mailbox === desired.mailbox
    : link === null;
  return {
    linked: link !== null, mailbox: link?.mailbox ?? null, lastSyncedAt: link?.updatedAt ?? null,
    upToDate, pendingChange: !upToDate,
    drift: link ? await readDrift(deps.target, link) : 'none',
    lastError: rendered.skip?.detail ?? findLastError(deps.store, sourceKey),
  };
}

async function readDrift(target: CalendarTarget | null, link: Link): Promise<RecordSyncStatus['drift']> {
  if (!target) return 'unknown';
  try {
    const remote = await target.readChangeKey(link.mailbox, link.remoteId);
    if (!remote.exists) return 'deleted';
    // An unknown change key on either side proves nothing.
    if (remote.changeKey !== null && link.changeKey !== null && remote.changeKey !== link.changeKey) return 'edited';
    return 'none';
  } catch {
    return 'unknown';
  }
}

/** The newest error logged for the record since its last successful write, or null. */
export function findLastError(store: StateStore, sourceKey: string): string | null {
  const logs = store.queryLogs({ sourceKey, level: 'info', limit: 50 });
  for (let i = logs.length - 1; i >= 0; i--) {
    const log = logs[i];
    if (log.level === 'error') return log.message;
    if (log.level === 'info' && log.action && WRITE_ACTIONS.has(log.action)) return null;
  }
  return null;
}

function asRecord(value: unknown): Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const s = String(value).trim();
  return s === '' ? null : s;
}
