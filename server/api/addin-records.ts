import type { Link, SourceRow } from '../domain/types.ts';
import type { StateStore } from '../state/state-store.ts';
import type { CalendarTarget } from '../targets/calendar-target.ts';
import type { SourcePerson } from '../source/source-reader.ts';
import type {
  CrmParticipantView, CrmRecordView, CrmState, PersonView, RecordSyncStatus, RecordView, ServiceActivityView, ServiceOrderView,
} from '../../shared/addin-api.ts';
import type { RenderedRecord } from '../sync/resync-record.ts';

/** Log actions that mean "the event was written" (apply-plan logs them at info level). */
const WRITE_ACTIONS: ReadonlySet<string> = new Set(['create', 'update', 'move', 'delete', 'adopt']);

/**
 * A source row as the taskpane shows it, in the layout of its kind. `people` (Optima's list, may
 * be null when not read) names the person responsible. Fields are read defensively: a mapping
 * that lacks one (an older query an admin overrode, a field not read yet) shows as empty.
 */
export function toRecordView(row: SourceRow, timeZone: string, people: readonly SourcePerson[] | null): RecordView {
  switch (row.kind) {
    case 'serwis:zlecenie': return toServiceOrderView(row, timeZone, people);
    case 'serwis:czynnosc': return toServiceActivityView(row, timeZone, people);
    case 'crm:zadanie':
    case 'crm:wystapienie': return toCrmRecordView(row, timeZone, people);
  }
}

/**
 * A service-order row as the taskpane shows it. `people` (Optima's list, may be null when not
 * read) names the leader.
 */
export function toServiceOrderView(row: SourceRow, timeZone: string, people: readonly SourcePerson[] | null): ServiceOrderView {
  const f = row.fields;
  const klient = asRecord(f.klient);
  const kontakt = asRecord(f.osobaKontaktowa);
  const leader = toPersonView(row.owner, people);
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

/** A service-activity row (SrsCzynnosci) as the taskpane shows it: what, when, where, for which order. */
export function toServiceActivityView(row: SourceRow, timeZone: string, people: readonly SourcePerson[] | null): ServiceActivityView {
  const f = row.fields;
  const klient = asRecord(f.klient);
  const zlecenie = asRecord(f.zlecenie);
  const kontakt = asRecord(f.osobaKontaktowa);
  return {
    kind: 'serwis:czynnosc', id: row.id,
    czynnosc: text(f.czynnosc) ?? text(f.czynnoscKod),
    opis: longText(f.opis),
    zakonczona: f.zakonczona === true,
    terminOd: row.start, terminDo: row.end,
    serwisant: toPersonView(row.owner, people),
    zlecenie: { numer: text(zlecenie.numer), stan: text(zlecenie.stan), opis: longText(zlecenie.opis) },
    klient: { nazwa: text(klient.nazwa), adres: text(klient.adres), telefon: text(f.telefon) ?? text(klient.telefon) },
    osobaKontaktowa: { nazwisko: text(kontakt.nazwisko), telefon: text(kontakt.telefon) },
    urzadzenie: text(f.urzadzenie),
    timeZone,
  };
}

const CRM_STATES: readonly CrmState[] = ['otwarte', 'zamknięte', 'anulowane'];

/**
 * A CRM task or contact (CRMKontakty), or an occurrence of a recurring task (its parent's fields
 * with `zadanieId` and its own term), as the taskpane shows it.
 */
export function toCrmRecordView(row: SourceRow, timeZone: string, people: readonly SourcePerson[] | null): CrmRecordView {
  const f = row.fields;
  const klient = asRecord(f.klient);
  const stanText = text(f.stan)?.toLowerCase() ?? null;
  const stan = CRM_STATES.find((s) => s === stanText)
    ?? (f.anulowane === true ? 'anulowane' : f.zamkniete === true ? 'zamknięte' : null);
  const kontakt = f.rodzaj === 'Kontakt' || f.zadanie === false;
  return {
    kind: row.kind === 'crm:wystapienie' ? 'crm:wystapienie' : 'crm:zadanie', id: row.id,
    numer: text(f.numer), rodzaj: kontakt ? 'Kontakt' : 'Zadanie',
    temat: text(f.temat), opis: longText(f.opis), lokalizacja: text(f.lokalizacja),
    stan, etap: text(f.etapOpis) ?? text(f.etap),
    priorytet: text(f.priorytet), priorytetKod: integer(f.priorytetKod),
    terminOd: row.start, terminDo: row.end,
    przypomnienie: text(f.czasPrzypomnienia) ?? row.reminderAt ?? null,
    opiekun: toPersonView(row.owner, people),
    klient: { nazwa: text(klient.nazwa), adres: text(klient.adres), telefon: text(klient.telefon) ?? text(f.telefon), email: text(klient.email) ?? text(f.email) },
    osoba: text(f.osoba),
    uczestnicy: readParticipants(row),
    wystapienie: row.kind === 'crm:wystapienie' || f.wystapienie === true,
    zadanieId: integer(f.zadanieId),
    timeZone,
  };
}

/** Participants from the mapping's `uczestnicy`, else from the row's domain `participants`. */
function readParticipants(row: SourceRow): CrmParticipantView[] {
  const listed = Array.isArray(row.fields.uczestnicy) ? (row.fields.uczestnicy as unknown[]) : null;
  if (listed) {
    return listed.flatMap((item) => {
      const p = asRecord(item);
      const nazwisko = text(p.nazwisko) ?? text(p.nazwa) ?? text(p.email);
      return nazwisko === null ? [] : [{ nazwisko, email: text(p.email), organizator: p.organizator === true }];
    });
  }
  return (row.participants ?? []).map((p) => ({ nazwisko: p.name, email: p.email, organizator: p.organizer }));
}

function toPersonView(owner: SourceRow['owner'], people: readonly SourcePerson[] | null): PersonView | null {
  return owner
    ? { type: owner.type, id: owner.id, name: people?.find((p) => p.type === owner.type && p.id === owner.id)?.name ?? null }
    : null;
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

/** A description: kept as written (line breaks matter), blank → null. */
function longText(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

function integer(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) ? value : null;
}

function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const s = String(value).trim();
  return s === '' ? null : s;
}
