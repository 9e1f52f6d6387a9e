import type { LogEvent } from '../domain/logger.ts';
import type { CalendarEvent, RecordKind } from '../domain/types.ts';

/**
 * The server's configuration as the rest of the code sees it: validated, defaults filled in,
 * `${env:NAME}` references substituted, relative paths made absolute (against the config file's
 * folder). Produced only by `validateConfig` / `readConfig`. Every option is explained, in Polish,
 * in `config.example.yaml` at the repository root.
 *
 * Secrets (`password`, `clientSecret`, `passphrase`, `adminToken`) live here in plain text, so a
 * Config is never logged whole; `redactSecrets` (server/state/redact.ts) blanks them by key name.
 */
export interface Config {
  readonly source: SourceConfig;
  readonly microsoft: MicrosoftConfig;
  readonly mailboxes: MailboxesConfig;
  readonly calendar: CalendarConfig;
  readonly sync: SyncConfig;
  readonly activities: ActivitiesConfig;
  readonly crm: CrmConfig;
  readonly templates: TemplatesConfig;
  readonly looks: LooksConfig;
  readonly filters: FiltersConfig;
  readonly guards: GuardsConfig;
  readonly server: ServerConfig;
  readonly logs: LogsConfig;
  readonly addin: AddinConfig;
}

// ── source ──────────────────────────────────────────────────────────────────────────────────

export type SourceConfig =
  | (SourceCommonConfig & { readonly type: 'mssql'; readonly mssql: MssqlConfig })
  | (SourceCommonConfig & { readonly type: 'sqlite'; readonly sqlite: SqliteSourceConfig });

export interface SourceCommonConfig {
  /** Include orders still in the "draft"/not-accepted state (default true). */
  readonly includeDrafts: boolean;
  /** Built-in query name → absolute path of a `.sql` file that replaces it. */
  readonly queryOverrides: Readonly<Record<string, string>>;
  /** Admin-defined queries, run per row; results available to templates under their name. */
  readonly extraQueries: Readonly<Record<string, ExtraQueryConfig>>;
  /** Name of the main company (templates: {{firma.nazwa}}); null = not shown. */
  readonly companyName: string | null;
  /**
   * Further Optima companies (company databases on the same server, sharing the configuration
   * database). Their source keys carry the code: `<code>/serwis:zlecenie:15`; the main company's
   * keys have no prefix, so adding a company never re-creates the main company's events.
   */
  readonly companies: readonly CompanyConfig[];
}

export interface CompanyConfig {
  /** Lower-case letters, digits, `-` and `_` (1–20): goes into source keys and the mailbox map (`<code>/pracownik:<id>`). */
  readonly code: string;
  readonly name: string;
  /** SQL Server: the company database name (same server and login); SQLite: the file path (absolute after reading). */
  readonly database: string;
  /** Over the global `templates`, per kind and part. */
  readonly templates: TemplatesConfig;
  /** Replaces the global filter of a kind for this company's records. */
  readonly filters: FiltersConfig;
}

/**
 * Optima on SQL Server. Sign-in: SQL login (`user` + `password`), or Windows/NTLM (`domain` +
 * `user` + `password`). Integrated "trusted connection" needs a native driver we do not ship.
 */
export interface MssqlConfig {
  /** Host or `HOST\INSTANCE` (named instances are found through SQL Browser when `port` is null). */
  readonly server: string;
  readonly port: number | null;
  readonly user: string;
  readonly password: string;
  readonly domain: string | null;
  readonly encrypt: boolean;
  readonly trustServerCertificate: boolean;
  /** The company database (schema CDN), e.g. `CDN_Firma`. */
  readonly companyDatabase: string;
  /** The configuration database with operators (`CDN.Operatorzy`), default `CDN_KNF_Konfiguracja`. */
  readonly configDatabase: string;
}

/** The same built-in queries run on SQLite files shaped like Optima (demo, tests). */
export interface SqliteSourceConfig {
  readonly companyDb: string;
  readonly configDb: string;
}

export interface ExtraQueryConfig {
  /** One SELECT with named `@parameters`. */
  readonly sql: string;
  /** Parameter name (without `@`) → path in the source row, e.g. `id` or `columns.SrZ_PodmiotId`. */
  readonly params: Readonly<Record<string, string>>;
}

// ── microsoft ───────────────────────────────────────────────────────────────────────────────

export interface MicrosoftConfig {
  /** Directory (tenant) id: a GUID or a verified domain such as `firma.onmicrosoft.com`. */
  readonly tenantId: string;
  /** Application (client) id of the app registration in Entra ID (GUID). */
  readonly clientId: string;
  /** Exactly one of `clientSecret` and `certificate` is set (certificate recommended). */
  readonly clientSecret: string | null;
  readonly certificate: CertificateConfig | null;
  /** Sign-in host as an origin without path, e.g. `https://login.microsoftonline.com`. */
  readonly authority: string;
  /** Graph origin (optionally with a path prefix), no version segment, no trailing slash. */
  readonly graphBaseUrl: string;
  /** `host[:port]` MSAL trusts without instance discovery (emulators); derived from `authority` when not a Microsoft host. */
  readonly knownAuthorities: readonly string[];
  /** Extra Graph host names the Graph client sends tokens to; derived from `graphBaseUrl` when not a Microsoft host. */
  readonly graphHosts: readonly string[];
  /**
   * Resource whose token Graph accepts (`<origin>/.default` scope); defaults to the origin of
   * `graphBaseUrl`, which is right for every Microsoft cloud. Set it when Graph is reached through
   * a proxy or an emulator that stands in for https://graph.microsoft.com.
   */
  readonly graphResource: string;
  /**
   * `application`: the app's own permission (certificate or secret), limited to chosen mailboxes.
   * `delegated`: each person's consent, given and renewed from the add-in (on-behalf-of).
   */
  readonly mode: 'application' | 'delegated';
  readonly delegated: DelegatedConfig | null;
  /** When the client secret expires (`YYYY-MM-DD`), so `auth status` can warn in time. */
  readonly clientSecretExpiresAt: string | null;
}

export interface DelegatedConfig {
  /** Folder of the per-person encrypted token caches; null = `<server.dataDir>/people`. */
  readonly cacheDir: string | null;
  /** Key file that encrypts them, kept apart from the data folder and backed up separately. */
  readonly keyPath: string | null;
}

export interface CertificateConfig {
  /** PEM file with the private key (and the certificate); absolute after reading. */
  readonly path: string;
  /** SHA-256 thumbprint as 64 lower-case hex digits; null = computed from the certificate in the PEM. */
  readonly thumbprintSha256: string | null;
  readonly passphrase: string | null;
}

// ── routing, calendar, sync ─────────────────────────────────────────────────────────────────

export interface MailboxesConfig {
  /** Mailbox for records nobody leads (and people with no mailbox); lower case. */
  readonly default: string | null;
  /** `pracownik:<id>` / `operator:<id>` → mailbox (lower case). Wins over Optima's e-mail. */
  readonly map: Readonly<Record<string, string>>;
  /** Records with no leading person: to the default mailbox, or skipped. */
  readonly unassigned: 'default' | 'skip';
  /** Use the person's e-mail from Optima when the map has no entry. */
  readonly useOptimaEmail: boolean;
}

export interface CalendarConfig {
  /** Name of the calendar the sync creates and writes to in each mailbox. */
  readonly name: string;
  /** IANA zone Optima's local times are in (canonical spelling). */
  readonly timeZone: string;
  readonly defaultDurationMinutes: number;
  /** Minutes before the start; null = no reminder. Optima's own reminder (CRM, activities) wins when set. */
  readonly reminderMinutes: number | null;
  /**
   * Category name → Outlook colour (Graph preset `preset0`…`preset24`, after reading); the sync adds
   * missing ones to each mailbox's category list (needs MailboxSettings.ReadWrite). Built-in
   * categories have default colours; null = never touch the category list.
   */
  readonly categoryColors: Readonly<Record<string, string>> | null;
}

export type FullPassSchedule = { readonly dailyAt: string } | { readonly everyHours: number };

export interface SyncConfig {
  /** Record kinds synced, in this order (default only service orders, as before activities existed). */
  readonly kinds: readonly RecordKind[];
  readonly intervalSeconds: number;
  /** When the periodic full comparison runs (`dailyAt` in `calendar.timeZone`, `HH:MM`). */
  readonly fullPass: FullPassSchedule;
  /** Incremental reads start this many seconds before the watermark (late commits). */
  readonly overlapSeconds: number;
  /** Language of texts the server writes (default templates, messages). */
  readonly language: 'pl' | 'en';
  /**
   * When events edited or deleted by a person in Outlook are looked for (their change keys listed,
   * one request per mailbox and 1000 events): on each full pass (default), on every run, or never.
   */
  readonly driftCheck: 'full-pass' | 'every-run' | 'off';
  /** What to do with such an event: put Optima's version back (default), or only report it. */
  readonly driftPolicy: 'restore' | 'report';
}

/** Service activities (`serwis:czynnosc`, CDN.SrsCzynnosci), when `sync.kinds` lists them. */
export interface ActivitiesConfig {
  /** Done activities (SrY_Zakonczona): `mark` = kept, free, category "Wykonane", subject "✔ …"; `remove` = taken off the calendar. */
  readonly done: 'mark' | 'remove';
  /** Only activities with "Rezerwuj czas w terminarzu" (SrY_RezerwujCzas), as Optima's Terminarz shows them. */
  readonly onlyReserved: boolean;
}

/** CRM tasks (`crm:zadanie`, CDN.CRMKontakty), when `sync.kinds` lists them. No recurrence, participants or companies yet. */
export interface CrmConfig {
  /** Contacts (CRK_Zadanie = 0) as well as tasks; a contact without a term sits at its document date. Default false. */
  readonly contacts: boolean;
  /** Cancelled (CRK_Bufor = -1 or CRK_Anulowany): `remove` (default) = taken off the calendar; `mark` = kept, free, category "Anulowane", subject "✖ …". */
  readonly cancelled: 'remove' | 'mark';
  /** Closed (CRK_Bufor = 0): `mark` (default) = kept, free, category "Zakończone", subject "✔ …"; `remove` = taken off the calendar. */
  readonly closed: 'mark' | 'remove';
  /** List the task's participants (CrmUczestnicy) in the event body (default true). */
  readonly participantsInBody: boolean;
  /** Add participants with an e-mail as attendees (default false: Graph then sends them invitations). */
  readonly participantsAsAttendees: boolean;
}

/**
 * How records look in the calendar by state and stage (config `looks.<kind>`): the first rule
 * whose `when` matches decides; a null property keeps the built-in look. Evaluated before the
 * built-in looks (drafts tentative, completed free, done/closed marked, cancelled removed).
 */
export interface LookRule {
  readonly when: LookCondition;
  /** Take the record off the calendar (its event is deleted). */
  readonly remove: boolean;
  /** Category added to the event. */
  readonly category: string | null;
  /** Colour of that category (Graph preset after reading). */
  readonly color: string | null;
  readonly showAs: CalendarEvent['showAs'] | null;
  readonly subjectPrefix: string | null;
}

/** Every listed condition must hold; an empty condition matches every record. */
export interface LookCondition {
  /** State labels as templates show them (`stan`, case-insensitive), e.g. W realizacji, zamknięte. */
  readonly states: readonly string[];
  /** Stage codes (`etap`, DefEtapy.DEt_Kod), case-insensitive. */
  readonly stages: readonly string[];
  /** true = only drafts (bufor), false = only confirmed; null = either. */
  readonly draft: boolean | null;
  /** true = only done (activity done, CRM closed), false = only not done; null = either. */
  readonly done: boolean | null;
}

export type LooksConfig = Readonly<Partial<Record<RecordKind, readonly LookRule[]>>>;

/**
 * Which records of a kind reach calendars (config `filters`); a record left out is removed from
 * the calendar if it was there. Lists are allow-lists (null = everything).
 */
export interface RecordFilter {
  /** State labels (`stan`), case-insensitive. */
  readonly states: readonly string[] | null;
  /** Stage codes (`etap`), case-insensitive. */
  readonly stages: readonly string[] | null;
  /** Owners: `pracownik:<id>` / `operator:<id>`. */
  readonly people: readonly string[] | null;
  /** The document number starts with one of these (series/type, e.g. `SRW/`, `ZAD/`), case-insensitive. */
  readonly numberPrefixes: readonly string[] | null;
  /** Events that ended more than this many days ago are left out; null = no limit. */
  readonly daysBack: number | null;
  /** Events starting more than this many days ahead are left out; null = no limit. */
  readonly daysAhead: number | null;
}

/** Per kind; `default` applies to kinds without their own entry. */
export type FiltersConfig = Readonly<Partial<Record<RecordKind | 'default', RecordFilter>>>;

export interface TemplateOverride {
  readonly subject?: string;
  readonly body?: string;
  readonly location?: string;
}

/** Per record kind; a missing part keeps the built-in default template. */
export type TemplatesConfig = Readonly<Partial<Record<RecordKind, TemplateOverride>>>;

export interface GuardsConfig {
  /** Deletions below this count never hold a plan. */
  readonly minDeletions: number;
  /** Above `minDeletions`, hold the plan when deletions exceed this percent of links. */
  readonly maxDeletePercent: number;
}

export interface ServerConfig {
  /** HTTP(S) port; the `PORT` environment variable wins. */
  readonly port: number;
  /** Folder for state.db, caches and certificates; absolute after reading. */
  readonly dataDir: string;
  /** Bearer token for admin API calls (approvals, "sync now"); null = admin calls only from this machine. */
  readonly adminToken: string | null;
  /** HTTPS certificate; null = plain HTTP (the demo, or TLS ended by a reverse proxy). */
  readonly tls: TlsConfig | null;
}

export interface TlsConfig {
  /** PEM file with the private key and the certificate chain; absolute after reading. */
  readonly path: string;
  readonly passphrase: string | null;
}

/** The Outlook add-in's API: who may call it and who is an admin there. */
export interface AddinConfig {
  /**
   * Token audiences the add-in API accepts: the configured Application ID URI
   * (`api://<host>/<clientId>`), plus always the bare client id (v2 tokens) and `api://<clientId>`.
   */
  readonly audiences: readonly string[];
  /** Entra app role that makes a person an admin in the add-in (default `OptimaSync.Admin`). */
  readonly adminRole: string;
  /** Entra group object ids whose members are admins (the token's `groups` claim). */
  readonly adminGroupIds: readonly string[];
  /** Mailboxes (lower case) that are admins regardless of roles and groups. */
  readonly adminMailboxes: readonly string[];
}

export interface LogsConfig {
  readonly retentionDays: number;
  readonly level: LogEvent['level'];
}

// ── defaults and vocabularies ───────────────────────────────────────────────────────────────

export const RECORD_KINDS: readonly RecordKind[] = ['serwis:zlecenie', 'serwis:czynnosc', 'crm:zadanie', 'crm:wystapienie'];
/** Kinds the Optima reader has built-in queries for, i.e. what `sync.kinds` may list. */
export const SYNCABLE_KINDS: readonly RecordKind[] = ['serwis:zlecenie', 'serwis:czynnosc', 'crm:zadanie', 'crm:wystapienie'];
export const LOG_LEVELS: readonly LogEvent['level'][] = ['debug', 'info', 'warn', 'error'];

/** Microsoft sign-in hosts MSAL knows by itself (no `knownAuthorities` needed). */
export const MICROSOFT_LOGIN_HOSTS: readonly string[] = [
  'login.microsoftonline.com', 'login.microsoftonline.us', 'login.windows.net', 'login.microsoft.com', 'sts.windows.net',
  'login.chinacloudapi.cn', 'login.partner.microsoftonline.cn', 'login.usgovcloudapi.net', 'login.microsoftonline.de',
];
/** Graph hosts the Graph client knows by itself (no `customHosts` needed). */
export const MICROSOFT_GRAPH_HOSTS: readonly string[] = [
  'graph.microsoft.com', 'graph.microsoft.us', 'dod-graph.microsoft.us', 'microsoftgraph.chinacloudapi.cn', 'graph.microsoft.de',
];

export const CONFIG_DEFAULTS = {
  source: { includeDrafts: true, mssql: { encrypt: true, trustServerCertificate: false, configDatabase: 'CDN_KNF_Konfiguracja' } },
  microsoft: { authority: 'https://login.microsoftonline.com', graphBaseUrl: 'https://graph.microsoft.com' },
  mailboxes: { default: null, unassigned: 'default', useOptimaEmail: true },
  calendar: { name: 'Optima Serwis', timeZone: 'Europe/Warsaw', defaultDurationMinutes: 60, reminderMinutes: 15 },
  /** A 10-year history never floods calendars: 90 days back, a year ahead, unless configured. */
  filter: { states: null, stages: null, people: null, numberPrefixes: null, daysBack: 90, daysAhead: 365 },
  sync: { kinds: ['serwis:zlecenie'] as readonly RecordKind[], intervalSeconds: 30, fullPass: { dailyAt: '02:00' }, overlapSeconds: 120, language: 'pl', driftCheck: 'full-pass', driftPolicy: 'restore' },
  activities: { done: 'mark', onlyReserved: true },
  crm: { contacts: false, cancelled: 'remove', closed: 'mark', participantsInBody: true, participantsAsAttendees: false },
  guards: { minDeletions: 10, maxDeletePercent: 20 },
  server: { port: 3000, dataDir: './data', adminToken: null },
  logs: { retentionDays: 30, level: 'info' },
  addin: { adminRole: 'OptimaSync.Admin' },
} as const;
