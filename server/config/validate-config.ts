import type { TlsConfig } from './schema.ts';
import type { Checks, Section } from './check-fields.ts';
import { createChecks, quote, readBoolean, readChoice, readEntries, readNumber, readSection, readText, readTextList } from './check-fields.ts';
import type { ConfigError } from './config-error.ts';
import { joinConfigPath } from './config-error.ts';
import type { ActivitiesConfig, CalendarConfig, Config, CrmConfig, FullPassSchedule, GuardsConfig, LogsConfig, MailboxesConfig, ServerConfig, SyncConfig } from './schema.ts';
import type { RecordKind } from '../domain/types.ts';
import { CONFIG_DEFAULTS, LOG_LEVELS, RECORD_KINDS, SYNCABLE_KINDS } from './schema.ts';
import { suggestKey } from './suggest-key.ts';
import { validateMicrosoft } from './validate-microsoft.ts';
import { validateSource } from './validate-source.ts';
import { validateAddin } from './validate-addin.ts';
import { validateCategoryColors, validateFilters, validateLooks } from './validate-looks.ts';
import { validateTemplates } from './validate-templates.ts';
import { isSecretKey } from '../state/redact.ts';

export type ValidateConfigResult =
  | { readonly ok: true; readonly config: Config }
  | { readonly ok: false; readonly errors: readonly ConfigError[] };

const TOP_KEYS = ['source', 'microsoft', 'mailboxes', 'calendar', 'sync', 'activities', 'crm', 'templates', 'looks', 'filters', 'guards', 'server', 'logs', 'addin'];
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** `pracownik:12`, `operator:3`, or for a further company's employee `firma2/pracownik:12`. */
const PERSON_KEY = /^(?:([a-z0-9_-]{1,20})\/)?(pracownik|operator):([1-9]\d*)$/;

/**
 * Checks a parsed configuration and fills in the defaults. Pure: no files, no environment (see
 * `readConfig` for those). Reports every problem at once, each with its dotted path and a sentence
 * naming the fix; no message ever repeats the value of a secret field.
 */
export function validateConfig(raw: unknown): ValidateConfigResult {
  const c = createChecks();
  const top = readSection(c, raw, '', TOP_KEYS, 'plik konfiguracji musi zawierać sekcje source i microsoft (wzór: config.example.yaml).');
  if (!top) return { ok: false, errors: scrubSecrets(c.errors, raw) };
  const source = validateSource(c, top.source, 'source');
  const microsoft = validateMicrosoft(c, top.microsoft, 'microsoft');
  const mailboxes = validateMailboxes(c, top.mailboxes, 'mailboxes');
  const calendar = validateCalendar(c, top.calendar, 'calendar');
  const sync = validateSync(c, top.sync, 'sync');
  const activities = validateActivities(c, top.activities, 'activities');
  const crm = validateCrm(c, top.crm, 'crm');
  const templates = validateTemplates(c, top.templates, 'templates');
  const looks = validateLooks(c, top.looks, 'looks');
  const filters = validateFilters(c, top.filters, 'filters');
  const guards = validateGuards(c, top.guards, 'guards');
  const server = validateServer(c, top.server, 'server');
  const logs = validateLogs(c, top.logs, 'logs');
  const addin = validateAddin(c, top.addin, 'addin', microsoft?.clientId ?? null);
  if (source && mailboxes) checkCompanyMapKeys(c, mailboxes, source.companies.map((x) => x.code));
  if (c.errors.length > 0 || !source || !microsoft || !mailboxes || !calendar || !sync || !activities || !crm || !templates || !looks || !filters || !guards || !server || !logs || !addin) {
    return { ok: false, errors: scrubSecrets(c.errors, raw) };
  }
  return { ok: true, config: { source, microsoft, mailboxes, calendar, sync, activities, crm, templates, looks, filters, guards, server, logs, addin } };
}

function validateMailboxes(c: Checks, raw: unknown, path: string): MailboxesConfig | null {
  const s = readSection(c, raw, path, ['default', 'map', 'unassigned', 'useOptimaEmail']);
  if (!s) return null;
  const checkEmail = (v: string) => EMAIL.test(v) ? null : `${quote(v)} nie wygląda na adres e-mail — wpisz adres skrzynki, np. jan.kowalski@firma.pl.`;
  const fallback = readText(c, s, path, 'default', { check: checkEmail });
  const unassigned = readChoice(c, s, path, 'unassigned', ['default', 'skip'] as const) ?? CONFIG_DEFAULTS.mailboxes.unassigned;
  if (unassigned === 'default' && (s.default == null || (typeof s.default === 'string' && s.default.trim() === ''))) {
    c.add(joinConfigPath(path, 'default'), 'Brak skrzynki domyślnej, a zlecenia bez prowadzącego mają do niej trafiać (unassigned: default) — wpisz adres, np. serwis@firma.pl, albo ustaw mailboxes.unassigned: skip.');
  }
  const map: Record<string, string> = {};
  const mapPath = joinConfigPath(path, 'map');
  for (const [key, value] of readEntries(c, s, path, 'map')) {
    if (!PERSON_KEY.test(key)) {
      c.add(joinConfigPath(mapPath, key), `Klucz ${quote(key)} ma zły format — wpisz pracownik:<id> albo operator:<id> z identyfikatorem z Optimy (np. pracownik:12, operator:3; pracownik innej firmy: <kod firmy>/pracownik:12); kodów i nazwisk nie używamy, bo mogą się zmienić.`);
      continue;
    }
    const mailbox = readText(c, { [key]: value }, mapPath, key, { required: 'wpisz adres skrzynki tej osoby, np. jan.kowalski@firma.pl.', check: checkEmail });
    if (mailbox !== undefined) map[key] = mailbox.toLowerCase();
  }
  return {
    default: fallback?.toLowerCase() ?? null,
    map,
    unassigned,
    useOptimaEmail: readBoolean(c, s, path, 'useOptimaEmail') ?? CONFIG_DEFAULTS.mailboxes.useOptimaEmail,
  };
}

/** Map keys naming a company must name one of `source.companies` (a typo would route nobody). */
function checkCompanyMapKeys(c: Checks, mailboxes: MailboxesConfig, codes: readonly string[]): void {
  for (const key of Object.keys(mailboxes.map)) {
    const company = PERSON_KEY.exec(key)?.[1];
    if (company === undefined) continue;
    if (!codes.includes(company)) {
      c.add(joinConfigPath(joinConfigPath('mailboxes', 'map'), key), `Nie ma firmy o kodzie ${quote(company)} w source.companies — popraw kod${codes.length > 0 ? ` (są: ${codes.join(', ')})` : ''} albo usuń ten wpis.`);
    } else if (key.includes('/operator:')) {
      c.add(joinConfigPath(joinConfigPath('mailboxes', 'map'), key), 'Operatorzy są wspólni dla wszystkich firm (baza konfiguracyjna) — wpisz operator:<id> bez kodu firmy.');
    }
  }
}

function validateCalendar(c: Checks, raw: unknown, path: string): CalendarConfig | null {
  const s = readSection(c, raw, path, ['name', 'timeZone', 'defaultDurationMinutes', 'reminderMinutes', 'categoryColors']);
  if (!s) return null;
  const d = CONFIG_DEFAULTS.calendar;
  const name = readText(c, s, path, 'name', {
    check: (v) => v.length <= 255 && !/[\u0000-\u001f]/.test(v) ? null : 'Nazwa kalendarza może mieć do 255 znaków, bez znaków sterujących.',
  });
  const zoneText = readText(c, s, path, 'timeZone', { check: (v) => canonicalTimeZone(v) ? null : describeBadZone(v) });
  const reminder = readNumber(c, s, path, 'reminderMinutes', { min: 0, max: 20160, unit: 'min (null = bez przypomnienia)', nullable: true });
  const colors = validateCategoryColors(c, s, path);
  return {
    name: name ?? d.name,
    timeZone: zoneText === undefined ? d.timeZone : canonicalTimeZone(zoneText) ?? d.timeZone,
    defaultDurationMinutes: readNumber(c, s, path, 'defaultDurationMinutes', { min: 1, max: 10080, unit: 'min' }) ?? d.defaultDurationMinutes,
    reminderMinutes: reminder === undefined ? d.reminderMinutes : reminder,
    // Undefined = not written: the built-in categories' default colours (main.ts) apply.
    categoryColors: colors === undefined ? {} : colors,
  };
}

/** The zone's canonical IANA spelling (`europe/warsaw` → `Europe/Warsaw`), or null when unknown. */
function canonicalTimeZone(zone: string): string | null {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

function describeBadZone(zone: string): string {
  if (/standard time/i.test(zone)) return `${quote(zone)} to nazwa strefy Windows — wpisz nazwę IANA, np. Europe/Warsaw.`;
  return `Nieznana strefa czasowa ${quote(zone)} — wpisz nazwę IANA, np. Europe/Warsaw.`;
}

function validateSync(c: Checks, raw: unknown, path: string): SyncConfig | null {
  const s = readSection(c, raw, path, ['kinds', 'intervalSeconds', 'fullPass', 'overlapSeconds', 'language', 'driftCheck', 'driftPolicy']);
  if (!s) return null;
  const d = CONFIG_DEFAULTS.sync;
  return {
    kinds: validateKinds(c, s, path) ?? d.kinds,
    intervalSeconds: readNumber(c, s, path, 'intervalSeconds', { min: 5, max: 86400, unit: 's' }) ?? d.intervalSeconds,
    fullPass: validateFullPass(c, s.fullPass, joinConfigPath(path, 'fullPass')) ?? d.fullPass,
    overlapSeconds: readNumber(c, s, path, 'overlapSeconds', { min: 0, max: 86400, unit: 's' }) ?? d.overlapSeconds,
    language: readChoice(c, s, path, 'language', ['pl', 'en'] as const) ?? d.language,
    driftCheck: readChoice(c, s, path, 'driftCheck', ['full-pass', 'every-run', 'off'] as const) ?? d.driftCheck,
    driftPolicy: readChoice(c, s, path, 'driftPolicy', ['restore', 'report'] as const) ?? d.driftPolicy,
  };
}

/** `sync.kinds`: which record kinds to sync; each once, at least one, only kinds the reader can read. */
function validateKinds(c: Checks, s: Section, path: string): readonly RecordKind[] | undefined {
  const listed = readTextList(c, s, path, 'kinds', (v) => {
    if ((SYNCABLE_KINDS as readonly string[]).includes(v)) return null;
    if ((RECORD_KINDS as readonly string[]).includes(v)) return `Rodzaj ${quote(v)} nie jest jeszcze obsługiwany — usuń go z listy (dostępne: ${SYNCABLE_KINDS.join(', ')}).`;
    const hint = suggestKey(v, SYNCABLE_KINDS);
    return `Nieznany rodzaj rekordów ${quote(v)}${hint ? ` — czy chodziło o ${quote(hint)}?` : ''} (dostępne: ${SYNCABLE_KINDS.join(', ')}).`;
  });
  if (listed === undefined) return undefined;
  if (listed.length === 0 && Array.isArray(s.kinds) && s.kinds.length === 0) {
    c.add(joinConfigPath(path, 'kinds'), `Pusta lista — wpisz co najmniej jeden rodzaj rekordów, np. - serwis:zlecenie (dostępne: ${SYNCABLE_KINDS.join(', ')}).`);
    return undefined;
  }
  return [...new Set(listed)] as RecordKind[];
}

/** `activities`: how service activities are synced (used when `sync.kinds` lists serwis:czynnosc). */
function validateActivities(c: Checks, raw: unknown, path: string): ActivitiesConfig | null {
  const s = readSection(c, raw, path, ['done', 'onlyReserved']);
  if (!s) return null;
  const d = CONFIG_DEFAULTS.activities;
  return {
    done: readChoice(c, s, path, 'done', ['mark', 'remove'] as const) ?? d.done,
    onlyReserved: readBoolean(c, s, path, 'onlyReserved') ?? d.onlyReserved,
  };
}

/** `crm`: how CRM tasks are synced (used when `sync.kinds` lists crm:zadanie). */
function validateCrm(c: Checks, raw: unknown, path: string): CrmConfig | null {
  const s = readSection(c, raw, path, ['contacts', 'cancelled', 'closed', 'participantsInBody', 'participantsAsAttendees']);
  if (!s) return null;
  const d = CONFIG_DEFAULTS.crm;
  return {
    contacts: readBoolean(c, s, path, 'contacts') ?? d.contacts,
    cancelled: readChoice(c, s, path, 'cancelled', ['remove', 'mark'] as const) ?? d.cancelled,
    closed: readChoice(c, s, path, 'closed', ['mark', 'remove'] as const) ?? d.closed,
    participantsInBody: readBoolean(c, s, path, 'participantsInBody') ?? d.participantsInBody,
    participantsAsAttendees: readBoolean(c, s, path, 'participantsAsAttendees') ?? d.participantsAsAttendees,
  };
}

function validateFullPass(c: Checks, raw: unknown, path: string): FullPassSchedule | null {
  if (raw === undefined || raw === null) return null;
  const s = readSection(c, raw, path, ['dailyAt', 'everyHours']);
  if (!s) return null;
  const dailyAt = readText(c, s, path, 'dailyAt', {
    check: (v) => /^([01]?\d|2[0-3]):[0-5]\d$/.test(v) ? null : `${quote(v)} to nie godzina — wpisz godzinę w postaci GG:MM, np. '02:00' (w cudzysłowie).`,
  });
  const everyHours = readNumber(c, s, path, 'everyHours', { min: 1, max: 168, unit: 'h' });
  if (s.dailyAt != null && s.everyHours != null) {
    c.add(path, 'Podano i dailyAt, i everyHours — zostaw jedno: pełny przebieg codziennie o godzinie albo co kilka godzin.');
    return null;
  }
  if (dailyAt !== undefined) return { dailyAt: dailyAt.padStart(5, '0') };
  if (everyHours != null) return { everyHours };
  if (s.dailyAt == null && s.everyHours == null) c.add(path, "Pusta sekcja — wpisz dailyAt: '02:00' albo everyHours: 6 (albo usuń sekcję, by użyć 02:00).");
  return null;
}

function validateGuards(c: Checks, raw: unknown, path: string): GuardsConfig | null {
  const s = readSection(c, raw, path, ['minDeletions', 'maxDeletePercent']);
  if (!s) return null;
  return {
    minDeletions: readNumber(c, s, path, 'minDeletions', { min: 0, max: 1_000_000 }) ?? CONFIG_DEFAULTS.guards.minDeletions,
    maxDeletePercent: readNumber(c, s, path, 'maxDeletePercent', { min: 0, max: 100, unit: '%', integer: false }) ?? CONFIG_DEFAULTS.guards.maxDeletePercent,
  };
}

function validateServer(c: Checks, raw: unknown, path: string): ServerConfig | null {
  const s = readSection(c, raw, path, ['port', 'dataDir', 'adminToken', 'tls']);
  if (!s) return null;
  const tls = validateTls(c, s.tls, joinConfigPath(path, 'tls'));
  const adminToken = readText(c, s, path, 'adminToken', {
    secret: true,
    check: (v) => v.length >= 16 ? null : 'Token administratora jest za krótki — użyj co najmniej 16 losowych znaków (np. wynik polecenia: node -p "crypto.randomUUID()").',
  });
  return {
    port: readNumber(c, s, path, 'port', { min: 1, max: 65535 }) ?? CONFIG_DEFAULTS.server.port,
    dataDir: readText(c, s, path, 'dataDir') ?? CONFIG_DEFAULTS.server.dataDir,
    adminToken: adminToken ?? null,
    tls,
  };
}

/**
 * `server.tls`: the certificate the server answers HTTPS with (Outlook loads the taskpane only
 * over HTTPS). One PEM file holding the private key and the certificate chain, as for
 * `microsoft.certificate`; absent = plain HTTP (the demo, or behind a reverse proxy).
 */
function validateTls(c: Checks, raw: unknown, path: string): TlsConfig | null {
  if (raw === undefined || raw === null) return null;
  const s = readSection(c, raw, path, ['path', 'passphrase']);
  if (!s) return null;
  const file = readText(c, s, path, 'path', { required: 'wpisz ścieżkę pliku PEM z kluczem prywatnym i certyfikatem serwera (np. ./certs/serwer.pem), albo usuń sekcję tls.' });
  const passphrase = readText(c, s, path, 'passphrase', { secret: true });
  return file === undefined ? null : { path: file, passphrase: passphrase ?? null };
}

function validateLogs(c: Checks, raw: unknown, path: string): LogsConfig | null {
  const s = readSection(c, raw, path, ['retentionDays', 'level']);
  if (!s) return null;
  return {
    retentionDays: readNumber(c, s, path, 'retentionDays', { min: 1, max: 3650, unit: 'dni' }) ?? CONFIG_DEFAULTS.logs.retentionDays,
    level: readChoice(c, s, path, 'level', LOG_LEVELS) ?? CONFIG_DEFAULTS.logs.level,
  };
}

/**
 * Belt and braces: no message ever quotes a secret field, but should a secret have been typed into
 * the wrong field, its value (found by the secret field names anywhere in the input) is blanked.
 */
function scrubSecrets(errors: readonly ConfigError[], raw: unknown): readonly ConfigError[] {
  const secrets = new Set<string>();
  const collect = (value: unknown, secret: boolean, depth: number): void => {
    if (depth > 10) return;
    if (typeof value === 'string' && secret && value.length >= 4) secrets.add(value);
    else if (Array.isArray(value)) for (const v of value) collect(v, secret, depth + 1);
    else if (typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value as Section)) collect(v, secret || isSecretKey(k), depth + 1);
    }
  };
  collect(raw, false, 0);
  if (secrets.size === 0) return errors;
  return errors.map((e) => {
    let message = e.message;
    for (const secret of secrets) message = message.split(secret).join('[ukryte]');
    return message === e.message ? e : { ...e, message };
  });
}
