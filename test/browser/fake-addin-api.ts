/**
 * STAND-IN for the server's add-in API (shared/addin-api.ts), used by the browser tests until the
 * real routes (server/api/addin-*.ts) are wired into a test server. It serves the built taskpane
 * and answers every route of the contract with canned data from one small mutable world, so a
 * test can watch what the taskpane sends and change what it gets. It does not validate JWTs:
 * a token is known or not.
 */
import express from 'express';
import Handlebars from 'handlebars';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  AddinError, AddinErrorCode, CrmRecordView, MeResponse, PreviewResponse, RecordResponse, RecordSyncStatus, RecordView, ResyncResponse,
  SaveTemplatesResponse, ServiceActivityView, ServiceOrderView, TemplatePart, TemplateProblem, TemplatesResponse, TemplateTexts, TemplateVersion,
} from '../../shared/addin-api.ts';
import type { AddinPublicConfig } from '../../server/api/addin-public-config.ts';

export interface FakeUser {
  readonly mailbox: string;
  readonly name: string;
  readonly isAdmin: boolean;
}

export interface FakeWorldOptions {
  /** Bearer token → person. */
  readonly users: Readonly<Record<string, FakeUser>>;
  /** Consent the server reports in /me until POST /consent succeeds. */
  readonly consent?: MeResponse['consent'];
  /** How long a resync takes, so the taskpane's progress can be seen. */
  readonly resyncDelayMs?: number;
  /** What the public `GET /api/addin/config` answers; null = 404 (a server that has none). */
  readonly publicConfig?: AddinPublicConfig | null;
}

/** The SSO settings the stand-in publishes by default (a made-up app registration). */
export const FAKE_PUBLIC_CONFIG: AddinPublicConfig = {
  clientId: '6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  tenantId: '1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b',
  authority: 'https://login.microsoftonline.com/1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b',
  apiScope: 'api://127.0.0.1/6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d/access_as_user',
};

export interface FakeAddinApi {
  readonly url: string;
  /** Every API request, in order: method, path with query, and whose token it carried. */
  readonly requests: Array<{ readonly method: string; readonly path: string; readonly mailbox: string | null; readonly body: unknown }>;
  /** Requests to the public `GET /api/addin/config` (no token needed), with the Authorization header they carried. */
  readonly publicRequests: Array<{ readonly path: string; readonly authorization: string | null }>;
  readonly state: { consent: MeResponse['consent']; templates: Record<string, TemplateTexts>; history: TemplateVersion[] };
  close(): Promise<void>;
}

export const LINKED_SOURCE_KEY = 'serwis:zlecenie:1234';
/** EWS id of the linked event as Outlook shows it, and its REST form (convertToRestId). */
export const LINKED_EWS_ID = 'AAMkADlinked/1234+ev=';
export const LINKED_REST_ID = 'AAMkADlinked-1234_ev=';

export const SERVICE_ORDER: ServiceOrderView = {
  kind: 'serwis:zlecenie',
  id: 1234,
  numer: 'SRW/2026/0042',
  stan: 'W realizacji',
  stanKod: 1,
  etap: 'Diagnoza',
  bufor: false,
  klient: { nazwa: 'Piekarnia Złoty Kłos sp. z o.o.', adres: 'ul. Długa 5, 30-001 Kraków', telefon: '+48 12 345 67 89', email: 'biuro@zlotyklos.pl' },
  osobaKontaktowa: { nazwisko: 'Anna Nowak', telefon: '600 100 200' },
  urzadzenie: 'Piec konwekcyjny Rational SCC 61',
  kategoria: 'Naprawa',
  opis: 'Piec nie grzeje powyżej 120°C.',
  prowadzacy: { type: 'pracownik', id: 7, name: 'Jan Kowalski' },
  dataPrzyjecia: '2026-03-02T00:00:00',
  dataRealizacji: '2026-03-12T09:30:00',
  dataZamkniecia: null,
  timeZone: 'Europe/Warsaw',
};

export const ACTIVITY_SOURCE_KEY = 'serwis:czynnosc:5501';
export const SERVICE_ACTIVITY: ServiceActivityView = {
  kind: 'serwis:czynnosc',
  id: 5501,
  czynnosc: 'Przegląd okresowy pieca',
  opis: 'Zabrać miernik i zestaw uszczelek. Klient prosi o telefon 30 minut przed przyjazdem — wjazd od ulicy Krótkiej, brama zamykana o 15:00.',
  zakonczona: false,
  terminOd: '2026-03-12T09:30:00',
  terminDo: '2026-03-12T11:00:00',
  serwisant: { type: 'pracownik', id: 7, name: 'Jan Kowalski' },
  zlecenie: { numer: 'SRW/2026/0042', stan: 'W realizacji', opis: 'Piec nie grzeje powyżej 120°C.' },
  klient: { nazwa: 'Piekarnia Złoty Kłos sp. z o.o.', adres: 'ul. Długa 5, 30-001 Kraków', telefon: '+48 12 345 67 89' },
  osobaKontaktowa: { nazwisko: 'Anna Nowak', telefon: '600 100 200' },
  urzadzenie: null,
  timeZone: 'Europe/Warsaw',
};

export const CRM_SOURCE_KEY = 'crm:zadanie:812';
export const CRM_TASK: CrmRecordView = {
  kind: 'crm:zadanie',
  id: 812,
  numer: 'ZAD/812/2026',
  rodzaj: 'Zadanie',
  temat: 'Spotkanie handlowe — prezentacja nowej linii pieców',
  opis: 'Przygotować cennik i katalog.\nZapytać o termin kolejnego przeglądu.',
  lokalizacja: 'Sala konferencyjna A',
  stan: 'otwarte',
  etap: 'Negocjacje',
  priorytet: 'Wysoki',
  priorytetKod: 2,
  terminOd: '2026-03-13T10:00:00',
  terminDo: '2026-03-13T11:30:00',
  przypomnienie: '2026-03-13T09:45:00',
  opiekun: { type: 'pracownik', id: 7, name: 'Jan Kowalski' },
  klient: { nazwa: 'Hurtownia Bławatek', adres: 'ul. Polna 3, 31-100 Kraków', telefon: '12 300 40 50', email: 'biuro@blawatek.pl' },
  osoba: 'Ewa Zielińska',
  uczestnicy: [
    { nazwisko: 'Jan Kowalski', email: 'jan.kowalski@example.com', organizator: true },
    { nazwisko: 'Ewa Zielińska', email: 'ewa@blawatek.pl', organizator: false },
    { nazwisko: 'Piotr Wiśniewski', email: null, organizator: false },
  ],
  wystapienie: false,
  zadanieId: null,
  timeZone: 'Europe/Warsaw',
};

export const OCCURRENCE_SOURCE_KEY = 'crm:wystapienie:9001';
export const CRM_OCCURRENCE: CrmRecordView = {
  ...CRM_TASK,
  kind: 'crm:wystapienie',
  id: 9001,
  numer: 'ZAD/15/2026',
  temat: 'Cotygodniowy telefon do klienta',
  lokalizacja: null,
  etap: null,
  priorytet: 'Najniższy',
  priorytetKod: 4,
  przypomnienie: null,
  uczestnicy: [],
  terminOd: '2026-03-16T08:00:00',
  terminDo: '2026-03-16T08:15:00',
  wystapienie: true,
  zadanieId: 15,
};

/** Every record the stand-in knows, by source key (only the order is also found by its event id). */
const RECORDS: Readonly<Record<string, RecordView>> = {
  [LINKED_SOURCE_KEY]: SERVICE_ORDER,
  [ACTIVITY_SOURCE_KEY]: SERVICE_ACTIVITY,
  [CRM_SOURCE_KEY]: CRM_TASK,
  [OCCURRENCE_SOURCE_KEY]: CRM_OCCURRENCE,
};

const DEFAULT_TEXTS: TemplateTexts = {
  subject: '{{numer}} – {{klient.nazwa}}',
  body: '<p>{{opis}}</p>\n<p>{{urzadzenie}}</p>',
  location: '{{klient.adres}}',
};

/** Starts the stand-in on a free port, serving `distDir` (the built taskpane) at `/`. */
export async function startFakeAddinApi(distDir: string, options: FakeWorldOptions): Promise<FakeAddinApi> {
  const requests: FakeAddinApi['requests'] = [];
  const state: FakeAddinApi['state'] = { consent: options.consent ?? 'not-needed', templates: {}, history: [] };
  let sync: RecordSyncStatus = {
    linked: true,
    mailbox: 'jan.kowalski@example.com',
    lastSyncedAt: '2026-03-10T07:15:00Z',
    upToDate: false,
    pendingChange: true,
    drift: 'edited',
    lastError: 'Serwer kalendarza odpowiedział 503; ponowię przy następnym przebiegu.',
  };

  const publicRequests: FakeAddinApi['publicRequests'] = [];
  const app = express();
  app.use(express.json());
  // Public, before the token check, as server/api/mount-addin-api.ts mounts it.
  app.get('/api/addin/config', (req, res) => {
    publicRequests.push({ path: req.originalUrl, authorization: req.get('authorization') ?? null });
    const config = options.publicConfig === undefined ? FAKE_PUBLIC_CONFIG : options.publicConfig;
    if (!config) return void sendError(res, 404, 'not_found', 'Brak konfiguracji.', 'No configuration.');
    res.json(config);
  });
  app.use('/api/addin', (req, res, next) => {
    const token = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1] ?? null;
    const user = token === null ? undefined : options.users[token];
    requests.push({ method: req.method, path: req.originalUrl, mailbox: user?.mailbox ?? null, body: req.body });
    if (!user) return void sendError(res, 401, 'unauthenticated', 'Brak ważnego tokenu.', 'No valid token.');
    res.locals.user = user;
    next();
  });

  app.get('/api/addin/me', (_req, res) => {
    const user = res.locals.user as FakeUser;
    const body: MeResponse = {
      mailbox: user.mailbox, name: user.name, isAdmin: user.isAdmin, mode: 'delegated', consent: state.consent,
      consentMessage: state.consent === 'lapsed' ? 'Zgoda na zapis w Twoim kalendarzu wygasła 3 dni temu.' : null,
    };
    res.json(body);
  });

  app.get('/api/addin/records', (req, res) => {
    const { sourceKey, eventId, idType } = req.query as Record<string, string | undefined>;
    const byEvent = (idType === 'rest' && eventId === LINKED_REST_ID) || (idType === 'ews' && eventId === LINKED_EWS_ID);
    const key = byEvent ? LINKED_SOURCE_KEY : sourceKey;
    if (!sourceKey && !eventId) return void sendError(res, 400, 'bad_request', 'Podaj sourceKey albo eventId.', 'Give sourceKey or eventId.');
    const record = key && Object.hasOwn(RECORDS, key) ? RECORDS[key] : undefined;
    const body: RecordResponse = key && record
      ? { found: true, sourceKey: key, record, sync }
      : { found: false, message: 'To wydarzenie nie pochodzi z Optimy.', messageEn: 'This event does not come from Optima.' };
    res.json(body);
  });

  app.post('/api/addin/records/resync', async (req, res) => {
    if (req.body?.sourceKey !== LINKED_SOURCE_KEY) return void sendError(res, 404, 'not_found', 'Nie znam tego rekordu.', 'Unknown record.');
    await new Promise((resolve) => setTimeout(resolve, options.resyncDelayMs ?? 0));
    sync = { ...sync, lastSyncedAt: new Date().toISOString(), upToDate: true, pendingChange: false, drift: 'none', lastError: null };
    const body: ResyncResponse = { outcome: 'updated', message: 'Zaktualizowano wydarzenie w kalendarzu.', messageEn: 'Updated the calendar event.', sync };
    res.json(body);
  });

  app.post('/api/addin/consent', (_req, res) => {
    state.consent = 'ok';
    res.json({ consent: 'ok', mailbox: (res.locals.user as FakeUser).mailbox });
  });

  app.use('/api/addin/templates', (_req, res, next) => {
    if (!(res.locals.user as FakeUser).isAdmin) return void sendError(res, 403, 'forbidden', 'Tylko administrator zmienia szablony.', 'Only an administrator changes templates.');
    next();
  });

  app.get('/api/addin/templates', (_req, res) => res.json(describeTemplates()));

  app.post('/api/addin/templates/preview', (req, res) => {
    const texts = req.body?.texts as TemplateTexts;
    const problems = checkTexts(texts);
    if (req.body?.sourceKey !== LINKED_SOURCE_KEY) return void sendError(res, 404, 'not_found', 'Nie znam tego rekordu.', 'Unknown record.');
    const body: PreviewResponse = problems.length > 0
      ? { ok: false, problems }
      : {
          ok: true,
          event: {
            subject: render(texts.subject), bodyHtml: render(texts.body), location: render(texts.location),
            start: '2026-03-12T09:30:00', end: '2026-03-12T11:30:00', timeZone: 'Europe/Warsaw',
          },
        };
    res.json(body);
  });

  app.put('/api/addin/templates/:kind', (req, res) => res.json(saveTexts(req.params.kind, req.body as TemplateTexts, (res.locals.user as FakeUser).mailbox)));

  app.post('/api/addin/templates/:kind/revert', (req, res) => {
    const version = state.history.find((v) => v.kind === req.params.kind && v.version === req.body?.version);
    if (!version) return void sendError(res, 404, 'not_found', 'Nie ma takiej wersji.', 'No such version.');
    res.json(saveTexts(req.params.kind, version.texts, (res.locals.user as FakeUser).mailbox));
  });

  app.use(express.static(distDir));

  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    publicRequests,
    state,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };

  function describeTemplates(): TemplatesResponse {
    const saved = state.templates['serwis:zlecenie'];
    const versions = state.history.filter((v) => v.kind === 'serwis:zlecenie');
    return {
      kinds: { 'serwis:zlecenie': { texts: saved ?? DEFAULT_TEXTS, isDefault: !saved, version: versions.at(-1)?.version ?? null } },
      history: [...state.history].reverse(),
    };
  }

  function saveTexts(kind: string, texts: TemplateTexts, savedBy: string): SaveTemplatesResponse {
    const problems = checkTexts(texts);
    if (problems.length > 0) return { ok: false, problems };
    const version = state.history.length + 1;
    state.templates[kind] = texts;
    state.history.push({ version, kind, savedAt: new Date().toISOString(), savedBy, texts });
    return { ok: true, version };
  }
}

function render(text: string): string {
  return Handlebars.compile(text)(SERVICE_ORDER);
}

/** Handlebars parse errors name their line ("Parse error on line 2"); that is what the pane shows. */
function checkTexts(texts: TemplateTexts): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  for (const part of ['subject', 'body', 'location'] as const satisfies readonly TemplatePart[]) {
    try {
      Handlebars.precompile(texts[part] ?? '');
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const line = /line (\d+)/.exec(message)?.[1];
      problems.push({ part, line: line ? Number(line) : null, message: message.split('\n')[0] });
    }
  }
  return problems;
}

function sendError(res: express.Response, status: number, code: AddinErrorCode, message: string, messageEn: string): void {
  const body: AddinError = { error: { code, message, messageEn } };
  res.status(status).json(body);
}
