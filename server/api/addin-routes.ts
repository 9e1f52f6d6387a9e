import { Router, type Request, type Response } from 'express';
import type { ConsentResponse, MeResponse, RecordResponse, ResyncResponse } from '../../shared/addin-api.ts';
import type { SyncDeps, SyncSettings } from '../sync/run-sync.ts';
import { listCompanyCodes } from '../sync/companies.ts';
import type { DelegatedPerson, RedeemError } from '../auth/delegated-token-source.ts';
import type { Link, RecordKind } from '../domain/types.ts';
import { RECORD_KINDS } from '../config/schema.ts';
import { describeError } from '../domain/describe-error.ts';
import { isTokenError } from '../auth/token-source.ts';
import { parseSourceKey, renderRecord, resyncRecord, type ParsedSourceKey, type RenderedRecord, type ResyncResult } from '../sync/resync-record.ts';
import { describeSyncStatus, toRecordView } from './addin-records.ts';
import { sendAddinError, type AddinFailure } from './addin-errors.ts';
import type { AddinAuth, AddinUser } from './addin-auth.ts';

/** Delegated mode's hand-over of a person's SSO token (the delegated token source). */
export interface AddinConsent {
  redeemSsoToken(ssoToken: string): Promise<{ readonly mailbox: string; readonly oid: string }>;
  listPeople(): readonly DelegatedPerson[];
}

export interface AddinRoutesDeps {
  readonly auth: AddinAuth;
  /** Read on every call: templates saved at run time change the settings. */
  readonly sync: () => { readonly deps: SyncDeps; readonly settings: SyncSettings };
  readonly mode: 'application' | 'delegated';
  /** Delegated mode's token source; null in application mode (or when delegated mode lacks its key). */
  readonly consent: AddinConsent | null;
}

const NOT_FROM_OPTIMA = {
  message: 'To wydarzenie nie pochodzi z Optimy — szczegóły zleceń, czynności i zadań są widoczne tylko przy wydarzeniach utworzonych przez synchronizację z Optimą.',
  messageEn: 'This event does not come from Optima — details of orders, activities and tasks are shown only for events created by the Optima sync.',
};

/** How a record of each kind is named in the pane's sentences (Polish genitive, English). */
const KIND_NAMES: Readonly<Record<RecordKind, { readonly pl: string; readonly en: string }>> = {
  'serwis:zlecenie': { pl: 'Zlecenia serwisowego', en: 'The service order' },
  'serwis:czynnosc': { pl: 'Czynności serwisowej', en: 'The service activity' },
  'crm:zadanie': { pl: 'Zadania CRM', en: 'The CRM task' },
  'crm:wystapienie': { pl: 'Wystąpienia zadania cyklicznego', en: 'The occurrence of a recurring task' },
};

/**
 * The add-in's API (shared/addin-api.ts) except templates: `GET /me`, `GET /records`,
 * `POST /records/resync`, `POST /consent`. Mount under `/api/addin`. Every route needs a valid
 * add-in token; a person sees and resyncs only records linked to their own mailbox (admins: all).
 */
export function createAddinRouter(deps: AddinRoutesDeps): Router {
  const router = Router();
  const { requireUser } = deps.auth;

  router.get('/me', requireUser, (_req, res) => {
    const user = userOf(res);
    let consent: MeResponse['consent'] = 'not-needed';
    let consentMessage: string | null = null;
    if (deps.mode === 'delegated') {
      const person = deps.consent?.listPeople().find((p) => p.mailbox === user.mailbox);
      consent = !person ? 'missing' : person.state === 'ok' ? 'ok' : 'lapsed';
      consentMessage = consent === 'missing'
        ? 'Serwer nie ma jeszcze Twojej zgody na zapis w kalendarzu — kliknij „Udziel zgody”, aby włączyć synchronizację.'
        // Spoken to the person (the stored pause reason is the admin's sentence about them).
        : consent === 'lapsed' ? `Twoja zgoda wygasła${person?.code ? ` (${person.code})` : ''} — kliknij „Udziel zgody”, aby wznowić synchronizację.` : null;
    }
    const body: MeResponse = { mailbox: user.mailbox, name: user.name, isAdmin: user.isAdmin, mode: deps.mode, consent, consentMessage };
    res.json(body);
  });

  router.get('/records', requireUser, guarded(async (req, res) => {
    const user = userOf(res);
    const { deps: sync, settings } = deps.sync();
    const sourceKey = queryText(req, 'sourceKey');
    const eventId = queryText(req, 'eventId');
    let parsed: ParsedSourceKey | null;
    const companies = listCompanyCodes(sync);
    if (sourceKey) {
      parsed = parseSourceKey(sourceKey, settings.kinds, companies);
      if (!parsed) return reply(res, describeUnsyncedKey(sourceKey, settings.kinds, companies));
    } else if (eventId) {
      const idType = queryText(req, 'idType') ?? 'rest';
      if (idType !== 'ews' && idType !== 'rest') return badRequest(res, 'Parametr idType musi mieć wartość ews albo rest.', 'idType must be ews or rest.');
      const link = await findLinkOfEvent(sync, user.mailbox, eventId, idType);
      parsed = link ? parseSourceKey(link.sourceKey, settings.kinds, companies) : null;
      if (!parsed) return reply(res, link ? describeUnsyncedKey(link.sourceKey, settings.kinds, companies) : { found: false, ...NOT_FROM_OPTIMA });
    } else {
      return badRequest(res, 'Podaj sourceKey albo eventId (z idType) otwartego wydarzenia.', 'Give sourceKey, or eventId (with idType) of the open event.');
    }
    const rendered = await renderRecord(sync, settings, parsed);
    if (!mayAccess(user, sync.store.getLink(parsed.key), rendered)) return forbidden(res);
    if (!rendered.row) {
      const name = KIND_NAMES[parsed.kind] ?? { pl: 'Rekordu', en: 'The record' };
      return reply(res, {
        found: false,
        message: `${name.pl} ${parsed.key} nie ma już w Optimie (usunięte albo poza zakresem synchronizacji) — wydarzenie zniknie przy następnej synchronizacji.`,
        messageEn: `${name.en} ${parsed.key} is no longer in Optima (deleted or out of the sync's scope) — the event goes away at the next sync.`,
      });
    }
    const body: RecordResponse = {
      found: true, sourceKey: parsed.key,
      record: toRecordView(rendered.row, settings.render.timeZone, sync.people.people),
      sync: await describeSyncStatus({ store: sync.store, target: sync.target }, parsed.key, rendered),
    };
    res.json(body);
  }));

  router.post('/records/resync', requireUser, guarded(async (req, res) => {
    const user = userOf(res);
    const { deps: sync, settings } = deps.sync();
    const key = typeof req.body?.sourceKey === 'string' ? req.body.sourceKey : '';
    const parsed = parseSourceKey(key, settings.kinds, listCompanyCodes(sync));
    if (!parsed) {
      return badRequest(res, `„${key}” nie jest kluczem rekordu Optimy — oczekiwano np. serwis:zlecenie:123.`, `"${key}" is not an Optima record key — expected e.g. serwis:zlecenie:123.`);
    }
    const link = sync.store.getLink(parsed.key);
    // Without a link the record's future mailbox decides; rendering it costs one query more.
    if (!mayAccess(user, link, link || user.isAdmin ? null : await renderRecord(sync, settings, parsed))) return forbidden(res);
    let result: ResyncResult;
    try {
      result = await resyncRecord(sync, settings, parsed);
    } catch (err) {
      const message = describeError(err);
      const body: ResyncResponse = {
        outcome: 'failed', message: `Synchronizacja rekordu nie powiodła się: ${message}`, messageEn: `The record could not be synced: ${message}`,
        sync: await describeSyncStatus({ store: sync.store, target: sync.target }, parsed.key, { row: null, desired: null, skip: null }),
      };
      return reply(res, body);
    }
    if (result.busy) {
      return sendAddinError(res, { code: 'busy', message: result.message, messageEn: 'A sync is running — try again in a moment.' });
    }
    const texts = describeOutcome(result);
    const body: ResyncResponse = {
      outcome: result.outcome, ...texts,
      sync: await describeSyncStatus({ store: sync.store, target: sync.target }, parsed.key, result.rendered),
    };
    res.json(body);
  }));

  router.post('/consent', requireUser, guarded(async (_req, res) => {
    const user = userOf(res);
    if (deps.mode === 'application') {
      const body: ConsentResponse = { consent: 'ok', mailbox: user.mailbox };
      return reply(res, body);
    }
    if (!deps.consent) {
      return sendAddinError(res, {
        code: 'internal',
        message: 'Serwer działa w trybie delegowanym, ale nie ma klucza pamięci tokenów (microsoft.delegated.keyPath) — administrator musi go ustawić w konfiguracji.',
        messageEn: 'The server runs in delegated mode but has no token cache key (microsoft.delegated.keyPath) — the admin must set it in the configuration.',
      });
    }
    try {
      const redeemed = await deps.consent.redeemSsoToken(user.token);
      const body: ConsentResponse = { consent: 'ok', mailbox: redeemed.mailbox };
      res.json(body);
    } catch (err) {
      sendAddinError(res, describeRedeemFailure(err));
    }
  }));

  return router;
}

/** The link of the event open in Outlook: by the immutable id at once, else translated by Graph in the caller's mailbox. */
async function findLinkOfEvent(sync: SyncDeps, mailbox: string, eventId: string, idType: 'ews' | 'rest'): Promise<Link | null> {
  if (idType === 'rest') {
    const direct = sync.store.findLinkByRemoteId(eventId);
    if (direct) return direct;
  }
  const immutable = await sync.target.translateToRestImmutableId(mailbox, eventId, idType);
  return immutable ? sync.store.findLinkByRemoteId(immutable) : null;
}

/**
 * A key the sync does not serve now: a kind of Optima record that `sync.kinds` leaves out gets a
 * sentence that says so and names the fix; anything else is simply not from Optima.
 */
function describeUnsyncedKey(key: string, synced: readonly RecordKind[], companies: readonly string[]): RecordResponse {
  const known = parseSourceKey(key, RECORD_KINDS, companies);
  if (!known || synced.includes(known.kind)) return { found: false, ...NOT_FROM_OPTIMA };
  return {
    found: false,
    message: `To wydarzenie pochodzi z Optimy (${known.key}), ale rekordy rodzaju ${known.kind} nie są teraz synchronizowane — administrator może je włączyć w konfiguracji (sync.kinds); do tego czasu otwórz rekord w Optimie.`,
    messageEn: `This event comes from Optima (${known.key}), but records of kind ${known.kind} are not synced now — the admin can turn them on in the configuration (sync.kinds); until then open the record in Optima.`,
  };
}

/** Admins see everything; others the records whose event is (or is to be) in their own mailbox. */
function mayAccess(user: AddinUser, link: Link | null, rendered: RenderedRecord | null): boolean {
  if (user.isAdmin) return true;
  const mailbox = link?.mailbox ?? rendered?.desired?.mailbox ?? null;
  return mailbox !== null && mailbox.toLowerCase() === user.mailbox;
}

function describeOutcome(result: Extract<ResyncResult, { busy: false }>): { message: string; messageEn: string } {
  const mailbox = result.rendered.desired?.mailbox ?? '';
  switch (result.outcome) {
    case 'created': return { message: `Utworzono wydarzenie w kalendarzu ${mailbox}.`, messageEn: `Created the event in ${mailbox}'s calendar.` };
    case 'updated': return { message: 'Zaktualizowano wydarzenie — pokazuje teraz to, co jest w Optimie.', messageEn: 'Updated the event — it now shows what Optima says.' };
    case 'moved': return { message: `Przeniesiono wydarzenie do kalendarza ${mailbox} (zmieniła się osoba odpowiedzialna).`, messageEn: `Moved the event to ${mailbox}'s calendar (the person responsible changed).` };
    case 'deleted': return { message: 'Usunięto wydarzenie: rekord nie należy już do kalendarza.', messageEn: 'Deleted the event: the record no longer belongs in a calendar.' };
    case 'unchanged': return { message: 'Wydarzenie jest aktualne — nic nie trzeba było zmieniać.', messageEn: 'The event is up to date — nothing to change.' };
    case 'skipped': return { message: result.action?.reason ?? 'Pominięto rekord.', messageEn: 'The record was skipped; see the Polish message for the reason.' };
    case 'failed': return { message: result.failure?.message ?? 'Zapis nie powiódł się.', messageEn: 'Writing the event failed; see the Polish message for the reason.' };
  }
}

/** An on-behalf-of refusal → `consent_required` (with Entra's claims challenge) or a plain failure. */
export function describeRedeemFailure(err: unknown): AddinFailure {
  if (!isTokenError(err)) return { code: 'internal', message: `Nie udało się przekazać zgody: ${describeError(err)}`, messageEn: 'Could not hand over the consent.' };
  const e = err as RedeemError;
  const needsPerson = e.claims !== undefined || ['AADSTS65001', 'AADSTS50076', 'AADSTS50079', 'consent_required', 'interaction_required'].includes(e.code)
    || e.subError === 'consent_required' || e.subError === 'basic_action' || e.subError === 'additional_action';
  if (needsPerson) {
    return {
      code: 'consent_required',
      message: `Microsoft wymaga Twojej zgody albo dodatkowego logowania, zanim serwer zapisze Twój kalendarz — zaloguj się ponownie w Outlooku i kliknij „Udziel zgody”; jeśli to nie pomoże, poproś administratora o zgodę dla organizacji. ${e.message}`,
      messageEn: 'Microsoft needs your consent or an extra sign-in step before the server may write your calendar — sign in to Outlook again and click "Grant permission"; if that does not help, ask your administrator to consent for the organization.',
      ...(e.claims ? { claims: e.claims } : {}),
    };
  }
  return {
    code: 'internal', message: e.message,
    messageEn: e.transient ? 'Microsoft sign-in is not reachable now — try again in a moment.' : 'The server could not sign in on your behalf; the admin must fix the app registration (see the Polish message).',
  };
}

function guarded(handler: (req: Request, res: Response) => Promise<unknown>) {
  return (req: Request, res: Response): void => {
    handler(req, res).catch((err: unknown) => {
      if (res.headersSent) return;
      const message = describeError(err);
      sendAddinError(res, { code: 'internal', message: `Błąd serwera: ${message}`, messageEn: 'Server error; see the Polish message for details.' });
    });
  };
}

function userOf(res: Response): AddinUser {
  return res.locals.user as AddinUser;
}

function reply(res: Response, body: unknown): void {
  res.json(body);
}

function forbidden(res: Response): void {
  sendAddinError(res, {
    code: 'forbidden',
    message: 'Ten rekord Optimy jest w kalendarzu innej osoby — możesz oglądać tylko wydarzenia ze swojego kalendarza.',
    messageEn: 'This Optima record is in another person\'s calendar — you can only see events from your own calendar.',
  });
}

function badRequest(res: Response, message: string, messageEn: string): void {
  sendAddinError(res, { code: 'bad_request', message, messageEn });
}

function queryText(req: Request, name: string): string | undefined {
  const v = req.query[name];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}
