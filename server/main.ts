import { mkdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { CompanyConfig, Config, FiltersConfig, TlsConfig } from './config/schema.ts';
import { RECORD_KINDS } from './config/schema.ts';
import type { RecordKind } from './domain/types.ts';
import type { PlacedFilter } from './render/record-filter.ts';
import { createCompanyReader } from './source/company-reader.ts';
import { compileTemplates } from './render/templates.ts';
import type { Logger } from './domain/logger.ts';
import type { SourceReader } from './source/source-reader.ts';
import type { StateStore } from './state/state-store.ts';
import type { CalendarTarget } from './targets/calendar-target.ts';
import type { TokenSource } from './auth/token-source.ts';
import type { QueryName } from './source/optima/optima-queries.ts';
import { createSqliteSourceReader } from './source/sqlite-source-reader.ts';
import { createMssqlSourceReader } from './source/mssql-source-reader.ts';
import { openStateStore } from './state/sqlite-store.ts';
import { createDbLogger } from './state/db-logger.ts';
import { createClientCredentialsTokenSource } from './auth/client-credentials.ts';
import { readApplicationCertificate } from './auth/read-certificate.ts';
import { createDelegatedTokenSource } from './auth/delegated-token-source.ts';
import { createGraphTarget } from './targets/graph/graph-target.ts';
import type { TemplateSet } from './render/templates.ts';
import { selectDefaultTemplates } from './render/default-templates.ts';
import { DEFAULT_CRM_LOOKS, DEFAULT_DONE_ACTIVITY, type CrmLooks } from './render/render-event.ts';
import { describeTemplateError } from './render/templates.ts';
import { toCanonicalJson } from './render/render-hash.ts';
import { createTemplateService, type ActiveTemplates, type TemplateService } from './render/template-service.ts';
import { openTemplateStore } from './state/template-store.ts';
import { createIdsCache, createPeopleCache } from './sync/collect-changes.ts';
import { isFullPassDue } from './sync/full-pass-schedule.ts';
import type { CompanySource } from './sync/companies.ts';
import { runSync, type RunOptions, type RunResult, type SyncDeps, type SyncSettings } from './sync/run-sync.ts';
import { createScheduler, type Scheduler } from './sync/scheduler.ts';
import { createApi } from './api/create-api.ts';
import { serveTaskpane } from './api/serve-taskpane.ts';
import { mountAddinApi } from './api/mount-addin-api.ts';

export const VERSION = '0.1.0';

/** Everything a running server or a CLI command needs, built from one validated Config. */
export interface Runtime {
  readonly config: Config;
  readonly deps: SyncDeps;
  /** Read anew on each access: it follows the templates in force (a save in Settings changes it). */
  readonly settings: SyncSettings;
  /** Templates in force, preview, save and revert (add-in Settings). */
  readonly templates: TemplateService;
  readonly store: StateStore;
  readonly logger: Logger;
  /** The Graph token source (null when a test supplied the target); delegated mode's redeems add-in SSO tokens. */
  readonly tokenSource: TokenSource | null;
  runOnce(options?: RunOptions): Promise<RunResult>;
  close(): Promise<void>;
}

export interface RuntimeOverrides {
  /** Where log events go besides the database (the CLI prints them). */
  readonly forwardLogs?: Logger;
  readonly reader?: SourceReader;
  readonly target?: CalendarTarget;
  /** Token source in place of the one built from config (tests: delegated mode against the Entra emulator). */
  readonly tokenSource?: TokenSource;
  readonly now?: () => Date;
  /** Graph retries per request (default 4); `check` uses 0 to answer fast. */
  readonly graphMaxRetries?: number;
  /** Readers of further companies by code, in place of the ones built from config (tests). */
  readonly companyReaders?: ReadonlyMap<string, SourceReader>;
}

/**
 * The composition root: the only place that builds real clients (SQL, Graph, MSAL, SQLite).
 * Throws an Error with an operator sentence when templates do not compile.
 */
export function buildRuntime(config: Config, overrides: RuntimeOverrides = {}): Runtime {
  mkdirSync(config.server.dataDir, { recursive: true });
  const store = openStateStore(path.join(config.server.dataDir, 'state.db'));
  const logger = createDbLogger(store, { level: config.logs.level, forward: overrides.forwardLogs });
  const mainReader = overrides.reader ?? createSourceReader(config, null);
  // Rows say which company they come from ({{firma.nazwa}}); further companies' keys carry their code.
  const reader = config.source.companyName !== null || config.source.companies.length > 0
    ? createCompanyReader(mainReader, { code: '', name: config.source.companyName }) : mainReader;
  const companies: CompanySource[] = config.source.companies.map((company) => ({
    code: company.code,
    reader: createCompanyReader(overrides.companyReaders?.get(company.code) ?? createSourceReader(config, company), { code: company.code, name: company.name }),
    people: createPeopleCache(), ids: createIdsCache(),
  }));
  const tokenSource = overrides.tokenSource ?? (overrides.target ? null : createTokenSource(config, logger));
  const target = overrides.target ?? createGraphTarget({
    tokenSource: tokenSource ?? createTokenSource(config, logger), graphBaseUrl: config.microsoft.graphBaseUrl,
    graphHosts: [...config.microsoft.graphHosts], logger, maxRetries: overrides.graphMaxRetries,
    categoryColors: buildCategoryColors(config) ?? undefined,
  });
  const renderBase = {
    timeZone: config.calendar.timeZone,
    defaultDurationMinutes: config.calendar.defaultDurationMinutes, reminderMinutes: config.calendar.reminderMinutes,
    doneActivity: {
      ...DEFAULT_DONE_ACTIVITY, mode: config.activities.done,
      category: config.sync.language === 'en' ? 'Done' : DEFAULT_DONE_ACTIVITY.category,
    },
    crm: buildCrmLooks(config),
    looks: config.looks,
    filters: placeFilters(config.filters, 'filters'),
    participantsAsAttendees: config.crm.participantsAsAttendees,
    participantsInBody: config.crm.participantsInBody,
  };
  // Saved templates (state.db, add-in Settings) over config over built-in defaults.
  const templateStore = openTemplateStore(path.join(config.server.dataDir, 'state.db'));
  const created = createTemplateService({
    store: templateStore, kinds: config.sync.kinds, base: buildTemplateSet(config), render: renderBase,
    now: overrides.now ?? (() => new Date()), logger,
  });
  if (!created.ok) {
    templateStore.close();
    store.close();
    throw new Error(`Szablony zawierają błędy:\n${created.errors.map((e) => `  - ${describeTemplateError(e)}`).join('\n')}`);
  }
  const templateService = created.service;
  const fullPass = config.sync.fullPass;
  // A further company's templates over the ones in force. At start (`strict`) a broken one stops the
  // server; after a save in the add-in the server keeps running and that company uses the global set.
  const companyTemplates = (active: ActiveTemplates, strict: boolean) => new Map(config.source.companies.map((company) => {
    const set: Record<string, unknown> = { ...active.set };
    for (const [kind, texts] of Object.entries(company.templates)) if (set[kind]) set[kind] = { ...(set[kind] as object), ...texts };
    const compiled = compileTemplates(set as TemplateSet);
    if (!compiled.ok) {
      const message = `Szablony firmy ${company.code} (source.companies) zawierają błędy:\n${compiled.errors.map((e) => `  - ${describeTemplateError(e)}`).join('\n')}`;
      if (strict) throw new Error(message);
      logger.log({ level: 'error', message: `${message}\nFirma ${company.code} używa szablonów ogólnych, dopóki ich nie poprawisz.` });
      return [company.code, active.compiled] as const;
    }
    return [company.code, compiled.compiled] as const;
  }));
  const settingsFor = (active: ActiveTemplates, strict = false): SyncSettings => {
    const perCompany = companyTemplates(active, strict);
    return {
      ...otherSettings,
      render: { ...renderBase, compiled: active.compiled },
      companyRender: new Map(config.source.companies.map((company, i) => [company.code, {
        ...renderBase, compiled: perCompany.get(company.code) ?? active.compiled,
        filters: { ...renderBase.filters, ...placeFilters(company.filters, `source.companies[${i}].filters`) },
      }])),
      // Anything that changes what an unchanged record renders to: a change means one full pass.
      renderFingerprint: fingerprint({
        templates: active.set, timeZone: renderBase.timeZone, d: renderBase.defaultDurationMinutes, r: renderBase.reminderMinutes,
        includeDrafts: config.source.includeDrafts, activities: config.activities, crm: config.crm, map: config.mailboxes,
        extra: config.source.extraQueries, looks: config.looks, filters: config.filters, companies: config.source.companies, firma: config.source.companyName,
      }),
    };
  };
  const otherSettings: Omit<SyncSettings, 'render' | 'renderFingerprint'> = {
    kinds: config.sync.kinds, calendarName: config.calendar.name,
    routing: {
      defaultMailbox: config.mailboxes.default, map: config.mailboxes.map,
      unassigned: config.mailboxes.unassigned, useOptimaEmail: config.mailboxes.useOptimaEmail,
    },
    extraQueries: Object.entries(config.source.extraQueries).map(([name, q]) => ({ name, sql: q.sql, params: q.params })),
    overlapSeconds: config.sync.overlapSeconds,
    guards: config.guards,
    // Exchange allows 4 concurrent requests per app and mailbox; the Graph target enforces that
    // and packs up to 20 writes into one $batch, so apply hands it enough items to fill batches.
    concurrencyPerMailbox: 4,
    itemsInFlightPerMailbox: 40,
    lockStaleAfterMs: 10 * 60_000,
    isFullPassDue: (last, now) => isFullPassDue('dailyAt' in fullPass ? { dailyAt: fullPass.dailyAt, timeZone: config.calendar.timeZone } : fullPass, last, now),
    driftCheck: config.sync.driftCheck, driftPolicy: config.sync.driftPolicy,
  };
  // Rebuilt only when a save or revert swapped the templates; a run keeps the settings it started with.
  let cached: { active: ActiveTemplates; settings: SyncSettings };
  try {
    cached = { active: templateService.current(), settings: settingsFor(templateService.current(), true) };
  } catch (err) {
    templateStore.close();
    store.close();
    throw err;
  }
  const currentSettings = (): SyncSettings => {
    const active = templateService.current();
    if (active !== cached.active) cached = { active, settings: settingsFor(active) };
    return cached.settings;
  };
  const deps: SyncDeps = { reader, target, store, logger, now: overrides.now ?? (() => new Date()), people: createPeopleCache(), ids: createIdsCache(), companies };
  return {
    config, deps, store, logger, tokenSource,
    get settings() { return currentSettings(); },
    templates: templateService,
    runOnce: (options) => runSync(deps, currentSettings(), options),
    close: async () => {
      await reader.close();
      for (const company of companies) await company.reader.close();
      templateStore.close();
      store.close();
    },
  };
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly scheduler: Scheduler;
  close(): Promise<void>;
}

/** Starts the HTTP API and the scheduler. `extend` lets the demo mount its page and endpoints. */
export async function startServer(runtime: Runtime, options: { port?: number; demo?: boolean; extend?: (app: import('express').Express) => void } = {}): Promise<RunningServer> {
  const { config } = runtime;
  const retentionMs = config.logs.retentionDays * 86_400_000;
  let lastPrunedAt = 0;
  const scheduler = createScheduler({
    runOnce: () => runtime.runOnce(),
    intervalMs: config.sync.intervalSeconds * 1000,
    logger: runtime.logger,
    onRun: () => {
      // Retention is in days: pruning hourly is plenty, and keeps idle polls free of writes.
      if (Date.now() - lastPrunedAt < 3_600_000) return;
      lastPrunedAt = Date.now();
      runtime.store.pruneLogs(new Date(lastPrunedAt - retentionMs).toISOString());
    },
  });
  const app = createApi({
    store: runtime.store, scheduler, intervalSeconds: config.sync.intervalSeconds, version: VERSION,
    demo: options.demo ?? false, adminToken: config.server.adminToken,
    extend: (api) => {
      mountAddinApi(api, runtime);
      serveTaskpane(api);
      options.extend?.(api);
    },
  });
  const port = options.port ?? config.server.port;
  const tls = config.server.tls ? readServerCertificate(config.server.tls) : null;
  const server: Server = tls ? createHttpsServer(tls, app) : createHttpServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '0.0.0.0', () => resolve());
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  scheduler.start();
  return {
    url: `${tls ? 'https' : 'http'}://localhost:${actualPort}`, port: actualPort, scheduler,
    close: async () => {
      await scheduler.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
    },
  };
}

/**
 * The HTTPS key and certificate from `server.tls` (one PEM file). Outlook loads the taskpane only
 * over HTTPS; an unreadable file stops the start with the setting to fix.
 */
function readServerCertificate(tls: TlsConfig): { key: string; cert: string; passphrase?: string } {
  let pem: string;
  try {
    pem = readFileSync(tls.path, 'utf8');
  } catch {
    throw new Error(`Nie można odczytać pliku certyfikatu HTTPS ${tls.path} (server.tls.path) — sprawdź ścieżkę i uprawnienia.`);
  }
  const certs = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  const key = /-----BEGIN (?:ENCRYPTED |RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:ENCRYPTED |RSA |EC )?PRIVATE KEY-----/.exec(pem);
  if (!certs || !key) {
    throw new Error(`Plik ${tls.path} (server.tls.path) musi zawierać klucz prywatny i certyfikat serwera w formacie PEM.`);
  }
  return { key: key[0], cert: certs.join('\n'), passphrase: tls.passphrase ?? undefined };
}

/** Looks of closed and cancelled CRM tasks from config `crm` (category names in the server's language). */
function buildCrmLooks(config: Config): CrmLooks {
  const en = config.sync.language === 'en';
  return {
    closed: { ...DEFAULT_CRM_LOOKS.closed, mode: config.crm.closed, category: en ? 'Completed' : DEFAULT_CRM_LOOKS.closed.category },
    cancelled: { ...DEFAULT_CRM_LOOKS.cancelled, mode: config.crm.cancelled, category: en ? 'Cancelled' : DEFAULT_CRM_LOOKS.cancelled.category },
  };
}

/** The reader of the main company (`company` null) or of a further one (its database, same server or folder). */
function createSourceReader(config: Config, company: CompanyConfig | null): SourceReader {
  const source = config.source;
  const scope = {
    includeDrafts: source.includeDrafts, onlyReservedActivities: config.activities.onlyReserved,
    crmContacts: config.crm.contacts, crmCancelled: config.crm.cancelled === 'mark',
    // A recurring task's occurrences are its events; the task itself then stays out.
    crmOccurrences: config.sync.kinds.includes('crm:wystapienie'),
    crmParticipants: config.crm.participantsInBody || config.crm.participantsAsAttendees,
  };
  const overrides = source.queryOverrides as Partial<Record<QueryName, string>>;
  if (source.type === 'sqlite') {
    return createSqliteSourceReader({ companyDbPath: company?.database ?? source.sqlite.companyDb, configDbPath: source.sqlite.configDb, scope, overrides });
  }
  const m = source.mssql;
  const base = {
    server: m.server, port: m.port ?? undefined, user: m.user, password: m.password, domain: m.domain ?? undefined,
    options: { encrypt: m.encrypt, trustServerCertificate: m.trustServerCertificate, useUTC: true },
  };
  return createMssqlSourceReader({ company: { ...base, database: company?.database ?? m.companyDatabase }, config: { ...base, database: m.configDatabase }, scope, overrides });
}

/** The sign-in the admin picked: the app's own permission, or each person's delegated consent. */
function createTokenSource(config: Config, logger: Logger): TokenSource {
  const ms = config.microsoft;
  const certificate = ms.certificate ? readApplicationCertificate(ms.certificate) : undefined;
  const common = {
    tenantId: ms.tenantId, clientId: ms.clientId, clientSecret: ms.clientSecret ?? undefined, certificate,
    authority: ms.authority, knownAuthorities: [...ms.knownAuthorities], graphResource: ms.graphResource, logger,
  };
  if (ms.mode === 'delegated' && ms.delegated?.keyPath) {
    return createDelegatedTokenSource({
      ...common, cacheDir: ms.delegated.cacheDir ?? path.join(config.server.dataDir, 'people'), keyPath: ms.delegated.keyPath,
    });
  }
  return createClientCredentialsTokenSource({ ...common, graphBaseUrl: ms.graphBaseUrl });
}

function buildTemplateSet(config: Config): TemplateSet {
  const defaults = selectDefaultTemplates(config.sync.language);
  const set: Record<string, unknown> = {};
  for (const kind of config.sync.kinds) {
    const base = defaults[kind];
    if (!base) continue;
    set[kind] = { ...base, ...(config.templates[kind] ?? {}) };
  }
  return set as TemplateSet;
}

/** Config filters with the place they were written (named in "left out because" messages). */
function placeFilters(filters: FiltersConfig, path: string): Partial<Record<RecordKind, PlacedFilter>> {
  const out: Partial<Record<RecordKind, PlacedFilter>> = {};
  for (const kind of RECORD_KINDS) {
    const own = filters[kind];
    if (own) out[kind] = { filter: own, path: `${path}.${kind}` };
    else if (filters.default) out[kind] = { filter: filters.default, path: `${path}.default` };
  }
  return out;
}

/** Colours of the categories the sync uses (built-in defaults, look rules, `calendar.categoryColors`); null = off. */
export function buildCategoryColors(config: Config): ReadonlyMap<string, string> | null {
  if (config.calendar.categoryColors === null) return null;
  // Each person consented to calendar access only; colouring would ask them for more. Explicit colours opt in.
  if (config.microsoft.mode === 'delegated' && Object.keys(config.calendar.categoryColors).length === 0) return null;
  const colors = new Map<string, string>(Object.entries(DEFAULT_CATEGORY_COLORS));
  for (const rules of Object.values(config.looks)) {
    for (const rule of rules ?? []) if (rule.category && rule.color) colors.set(rule.category, rule.color);
  }
  for (const [name, color] of Object.entries(config.calendar.categoryColors)) colors.set(name, color);
  return colors;
}

/** Built-in categories (both languages) and Optima's service states: what a dispatcher expects to see coloured. */
const DEFAULT_CATEGORY_COLORS: Readonly<Record<string, string>> = {
  'Optima Serwis': 'preset7', 'Optima CRM': 'preset8',
  'Do realizacji': 'preset3', 'W realizacji': 'preset1', 'Zrealizowane': 'preset4',
  'Wykonane': 'preset4', 'Done': 'preset4', 'Zakończone': 'preset4', 'Completed': 'preset4',
  'Anulowane': 'preset12', 'Cancelled': 'preset12',
};

function fingerprint(value: unknown): string {
  return createHash('sha256').update(toCanonicalJson(value)).digest('hex').slice(0, 32);
}
