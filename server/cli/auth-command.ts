import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/schema.ts';
import type { Logger } from '../domain/logger.ts';
import { silentLogger } from '../domain/logger.ts';
import { describeError } from '../domain/describe-error.ts';
import type { TokenSource } from '../auth/token-source.ts';
import { createClientCredentialsTokenSource } from '../auth/client-credentials.ts';
import { createDelegatedTokenSource, listDelegatedPeople } from '../auth/delegated-token-source.ts';
import type { DelegatedPerson } from '../auth/delegated-token-source.ts';
import { PEOPLE_INDEX_FILE } from '../auth/people-index.ts';
import { readApplicationCertificate } from '../auth/read-certificate.ts';
import type { ApplicationCertificate } from '../auth/read-certificate.ts';
import { createGraphTarget } from '../targets/graph/graph-target.ts';
import { EXIT, formatTable, loadConfigOrReport } from './cli-support.ts';

export interface AuthStatusOptions {
  readonly configPath?: string;
  /**
   * `delegated`: each person's own token (on-behalf-of via the add-in). Default: `delegated` when
   * `delegated.keyPath` is given, else `application`. (Proposed config key: `microsoft.mode`.)
   */
  readonly mode?: 'application' | 'delegated';
  /**
   * Delegated mode's folders. `cacheDir` default `<server.dataDir>/people` (proposed key
   * `microsoft.delegated.cacheDir`); `keyPath` has no default on purpose — it must live apart from
   * the data folder (proposed key `microsoft.delegated.keyPath`). Without `keyPath` the people are
   * listed from the index only, no token is tried.
   */
  readonly delegated?: { readonly cacheDir?: string; readonly keyPath?: string };
  /** When the client secret expires (ISO date), if the operator recorded it (proposed key `microsoft.clientSecretExpiresAt`). */
  readonly secretExpiresAt?: string;
  /** Where the table goes (default stdout). */
  readonly write?: (text: string) => void;
  readonly now?: () => Date;
}

type Status = 'OK' | 'UWAGA' | 'BŁĄD' | 'INFO';

interface Row {
  readonly what: string;
  readonly status: Status;
  readonly detail: string;
}

/** A certificate or secret this close to its end is flagged (renewal takes an admin's visit). */
const WARN_DAYS = 30;
const DAY_MS = 86_400_000;

/**
 * `optima-sync auth status`: how the server signs in to Microsoft 365 and whether that works now —
 * mode and credential, a token obtained now (its permissions, never the token), certificate or
 * secret expiry with days left, each configured mailbox's calendar through the Graph target, and
 * each delegated person's state. Exit code 0 when nothing is `BŁĄD`, 1 otherwise, 3 for a bad config.
 */
export async function runAuthStatus(options: AuthStatusOptions = {}): Promise<number> {
  const config = loadConfigOrReport(options.configPath);
  if (!config) return EXIT.config;
  const now = options.now ?? (() => new Date());
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  // Options (tests) win over the configuration (microsoft.mode, microsoft.delegated, clientSecretExpiresAt).
  const keyPath = options.delegated?.keyPath ?? config.microsoft.delegated?.keyPath ?? undefined;
  const cacheDir = options.delegated?.cacheDir ?? config.microsoft.delegated?.cacheDir ?? path.join(config.server.dataDir, 'people');
  const mode = options.mode ?? config.microsoft.mode;
  const rows: Row[] = [];
  const ms = config.microsoft;

  let certificate: ApplicationCertificate | undefined;
  if (ms.certificate) {
    try {
      certificate = readApplicationCertificate(ms.certificate);
    } catch (err) {
      rows.push({ what: 'certyfikat', status: 'BŁĄD', detail: describeError(err) });
    }
  }
  const credential = ms.certificate ? 'certyfikat' : 'sekret klienta';
  rows.unshift({
    what: 'tryb',
    status: 'INFO',
    detail: mode === 'application'
      ? `aplikacja (uprawnienia aplikacji), poświadczenie: ${credential}; dzierżawa ${ms.tenantId}, aplikacja ${ms.clientId}`
      : `delegowany (każda osoba loguje się w dodatku, on-behalf-of), poświadczenie aplikacji: ${credential}; dzierżawa ${ms.tenantId}, aplikacja ${ms.clientId}`,
  });
  if (certificate) rows.push(certificateRow(certificate, now()));
  if (ms.clientSecret !== null && !ms.certificate) rows.push(secretRow(options.secretExpiresAt ?? config.microsoft.clientSecretExpiresAt ?? undefined, now()));

  const logger: Logger = silentLogger;
  let tokens: TokenSource | null = null;
  let delegated: ReturnType<typeof createDelegatedTokenSource> | null = null;
  const canSignIn = !ms.certificate || certificate !== undefined;
  if (canSignIn) {
    const common = {
      tenantId: ms.tenantId, clientId: ms.clientId, clientSecret: ms.clientSecret ?? undefined,
      certificate: certificate ? { privateKeyPem: certificate.privateKeyPem, thumbprintSha256: certificate.thumbprintSha256 } : undefined,
      authority: ms.authority, knownAuthorities: [...ms.knownAuthorities], logger,
    };
    try {
      if (mode === 'application') {
        tokens = createClientCredentialsTokenSource({ ...common, graphBaseUrl: ms.graphBaseUrl, graphResource: ms.graphResource });
      } else if (keyPath) {
        tokens = delegated = createDelegatedTokenSource({ ...common, graphResource: ms.graphResource, cacheDir, keyPath });
      }
    } catch (err) {
      rows.push({ what: 'token', status: 'BŁĄD', detail: describeError(err) });
    }
  }

  let signInError: string | null = null;
  if (tokens && mode === 'application') {
    try {
      const token = await tokens.getToken('');
      rows.push({ what: 'token aplikacji', status: 'OK', detail: `uzyskany teraz; ${describePermissions(token)}` });
    } catch (err) {
      signInError = describeError(err);
      rows.push({ what: 'token aplikacji', status: 'BŁĄD', detail: signInError });
    }
  }

  const people = mode === 'delegated' ? await checkPeople(cacheDir, delegated, rows) : [];
  const configured = [config.mailboxes.default, ...Object.values(config.mailboxes.map)];
  // In delegated mode each signed-in person's own mailbox is synced too.
  const mailboxes = [...new Set([...configured, ...people.map((p) => p.mailbox)].filter((m): m is string => !!m).map((m) => m.toLowerCase()))].sort();
  if (tokens) await checkMailboxes(config, tokens, mailboxes, people, signInError, rows);
  else if (mode === 'delegated' && !keyPath && mailboxes.length > 0) {
    rows.push({ what: 'skrzynki', status: 'INFO', detail: 'nie sprawdzono — podaj ścieżkę pliku klucza pamięci tokenów (tryb delegowany), żeby sprawdzić dostęp do kalendarzy.' });
  } else if (mailboxes.length > 0) rows.push({ what: 'skrzynki', status: 'BŁĄD', detail: 'nie sprawdzono — najpierw popraw logowanie (wiersze wyżej).' });
  if (mailboxes.length === 0) rows.push({ what: 'skrzynki', status: 'UWAGA', detail: 'brak skrzynek do sprawdzenia — ustaw mailboxes.default lub mailboxes.map' });

  write(`${formatTable(['logowanie', 'wynik', 'szczegóły / co poprawić'], rows.map((r) => [r.what, r.status, r.detail]))}\n`);
  return rows.some((r) => r.status === 'BŁĄD') ? EXIT.failed : EXIT.ok;
}

/** Delegated people from the index; with the key, a token is tried for each (which may pause them). */
async function checkPeople(cacheDir: string, source: ReturnType<typeof createDelegatedTokenSource> | null, rows: Row[]): Promise<readonly DelegatedPerson[]> {
  if (!existsSync(path.join(cacheDir, PEOPLE_INDEX_FILE))) {
    rows.push({ what: 'osoby (tryb delegowany)', status: 'UWAGA', detail: `nikt jeszcze nie zalogował się w dodatku Optima w Outlooku (brak ${path.join(cacheDir, PEOPLE_INDEX_FILE)})` });
    return [];
  }
  if (source) {
    for (const person of listDelegatedPeople(cacheDir)) {
      if (person.state !== 'ok') continue;
      try {
        await source.getToken(person.mailbox);
      } catch {
        // The person's row below shows the state this left (paused) or, when transient, the last one.
      }
    }
  }
  const people = listDelegatedPeople(cacheDir);
  for (const p of people) {
    rows.push(p.state === 'ok'
      ? { what: `osoba ${p.mailbox}`, status: 'OK', detail: `aktywna; ostatnie odświeżenie tokenu ${p.lastRefreshAt ?? 'nigdy'}${source ? '' : ' (token nie sprawdzony: brak ścieżki klucza)'}` }
      : { what: `osoba ${p.mailbox}`, status: 'BŁĄD', detail: p.message ?? `wstrzymana (${p.code ?? 'nieznany powód'})` });
  }
  return people;
}

async function checkMailboxes(config: Config, tokens: TokenSource, mailboxes: readonly string[], people: readonly DelegatedPerson[], signInError: string | null, rows: Row[]): Promise<void> {
  const ms = config.microsoft;
  const target = createGraphTarget({ tokenSource: tokens, graphBaseUrl: ms.graphBaseUrl, graphHosts: [...ms.graphHosts], maxRetries: 0 });
  const known = new Map(people.map((p) => [p.mailbox, p]));
  for (const mailbox of mailboxes) {
    const what = `skrzynka ${mailbox}`;
    if (signInError !== null) {
      rows.push({ what, status: 'BŁĄD', detail: 'nie sprawdzono — najpierw popraw logowanie do Microsoft 365 (wiersz wyżej).' });
      continue;
    }
    const person = known.get(mailbox.toLowerCase());
    if (person?.state === 'lapsed') {
      rows.push({ what, status: 'BŁĄD', detail: 'nie sprawdzono — synchronizacja tej osoby jest wstrzymana (wiersz osoby wyżej).' });
      continue;
    }
    try {
      await target.ensureCalendar(mailbox, config.calendar.name);
      // The calendar may have existed already (no write made): the token's permission tells about writing.
      const permissions = permissionsOf(await tokens.getToken(mailbox));
      const writable = permissions.includes('Calendars.ReadWrite');
      // RBAC for Applications: Exchange grants the permission, so the token carries no role.
      if (permissions.length === 0) {
        rows.push({ what, status: 'OK', detail: `kalendarz „${config.calendar.name}” dostępny; uprawnienie nadaje Exchange (RBAC for Applications), token go nie pokazuje — zapis potwierdzi Test-ServicePrincipalAuthorization albo optima-sync check` });
        continue;
      }
      rows.push(writable
        ? { what, status: 'OK', detail: `odczyt i zapis (Calendars.ReadWrite): kalendarz „${config.calendar.name}” jest albo został właśnie utworzony` }
        : { what, status: 'BŁĄD', detail: `tylko odczyt: token nie ma uprawnienia Calendars.ReadWrite — nadaj je aplikacji i udziel zgody administratora (Entra ID → Rejestracje aplikacji → Uprawnienia interfejsu API).` });
    } catch (err) {
      rows.push({ what, status: 'BŁĄD', detail: describeError(err) });
    }
  }
}

function certificateRow(cert: ApplicationCertificate, now: Date): Row {
  const print = `odcisk SHA-256 ${cert.thumbprintSha256.slice(0, 16)}…`;
  if (!cert.validTo) return { what: 'certyfikat', status: 'UWAGA', detail: `plik zawiera tylko klucz — nie można sprawdzić daty ważności; ${print}` };
  return expiryRow('certyfikat', cert.validTo, now, print, 'Wygeneruj nowy certyfikat, wgraj plik .cer w Entra ID → Rejestracje aplikacji → Certyfikaty i wpisy tajne i podmień plik PEM w konfiguracji (microsoft.certificate.path).');
}

function secretRow(expiresAt: string | undefined, now: Date): Row {
  const date = expiresAt ? new Date(expiresAt) : null;
  if (!date || Number.isNaN(date.getTime())) {
    return { what: 'sekret klienta', status: 'INFO', detail: 'data wygaśnięcia nieznana — sprawdź ją w Entra ID → Rejestracje aplikacji → Certyfikaty i wpisy tajne (kolumna „Wygasa”); do synchronizacji bez nadzoru zalecany jest certyfikat.' };
  }
  return expiryRow('sekret klienta', date, now, '', 'Utwórz nowy sekret w Entra ID → Rejestracje aplikacji → Certyfikaty i wpisy tajne i wpisz jego wartość w konfiguracji albo przejdź na certyfikat.');
}

function expiryRow(what: string, validTo: Date, now: Date, extra: string, fix: string): Row {
  const days = Math.floor((validTo.getTime() - now.getTime()) / DAY_MS);
  const date = validTo.toISOString().slice(0, 10);
  const tail = extra ? `; ${extra}` : '';
  if (days < 0) return { what, status: 'BŁĄD', detail: `wygasł ${date} (${-days === 1 ? '1 dzień' : `${-days} dni`} temu). ${fix}${tail}` };
  if (days <= WARN_DAYS) return { what, status: 'UWAGA', detail: `wygasa ${date} — ${daysLeft(days)}. ${fix}${tail}` };
  return { what, status: 'OK', detail: `ważny do ${date} (${daysLeft(days)})${tail}` };
}

/** The permissions inside a token (roles or scp), read without ever printing the token. */
function describePermissions(token: string): string {
  const roles = permissionsOf(token);
  // With RBAC for Applications the permission lives in Exchange, not in the token: no consent
  // must be granted in Entra (it would open every mailbox), so this is not an error.
  if (roles.length === 0) return 'token bez ról — przy RBAC for Applications uprawnienia nadaje Exchange (nie udzielaj zgody w Entra ID); dostęp pokazują wiersze skrzynek';
  const write = roles.includes('Calendars.ReadWrite');
  return `uprawnienia: ${roles.join(', ')}${write ? '' : ' — brak Calendars.ReadWrite: synchronizacja nie zapisze wydarzeń; nadaj je i udziel zgody administratora'}`;
}

function permissionsOf(token: string): readonly string[] {
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { roles?: unknown; scp?: unknown };
    return Array.isArray(claims.roles) ? claims.roles.map(String) : typeof claims.scp === 'string' ? claims.scp.split(' ') : [];
  } catch {
    return [];
  }
}

/** „zostało 5 dni”, „zostały 3 dni”, „został 1 dzień”. */
function daysLeft(days: number): string {
  if (days === 1) return 'został 1 dzień';
  const few = days % 10 >= 2 && days % 10 <= 4 && !(days % 100 >= 12 && days % 100 <= 14);
  return `${few ? 'zostały' : 'zostało'} ${days} dni`;
}
