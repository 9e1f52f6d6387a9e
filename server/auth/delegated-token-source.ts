import { ConfidentialClientApplication, LogLevel } from '@azure/msal-node';
import type { AccountInfo, AuthenticationResult, Configuration, ICachePlugin } from '@azure/msal-node';
import type { Logger } from '../domain/logger.ts';
import { describeAuthError, describePausedPerson } from './describe-auth-error.ts';
import type { AuthErrorDescription } from './describe-auth-error.ts';
import { createEncryptedCacheStore, isCacheError } from './encrypted-cache.ts';
import type { CacheError } from './encrypted-cache.ts';
import { openPeopleIndex } from './people-index.ts';
import type { PersonEntry } from './people-index.ts';
import { isTokenError } from './token-source.ts';
import type { TokenError, TokenRequestOptions, TokenSource } from './token-source.ts';

export interface DelegatedTokenSourceOptions {
  readonly tenantId: string;
  readonly clientId: string;
  /** On-behalf-of needs a confidential client: a secret or (recommended) a certificate. */
  readonly clientSecret?: string;
  readonly certificate?: { readonly privateKeyPem: string; readonly thumbprintSha256: string };
  /** Login base without the tenant, e.g. `https://login.microsoftonline.com`. */
  readonly authority: string;
  readonly knownAuthorities?: readonly string[];
  /** Resource of the Graph the tokens are for, e.g. `https://graph.microsoft.com`. */
  readonly graphResource: string;
  /** Folder of the per-person encrypted caches and `people.json`. */
  readonly cacheDir: string;
  /** Key file of the caches — apart from the data folder, backed up separately (see encrypted-cache.ts). */
  readonly keyPath: string;
  readonly logger?: Logger;
  readonly now?: () => Date;
}

/** One person known to delegated mode, as `auth status` shows them. No tokens. */
export interface DelegatedPerson {
  readonly mailbox: string;
  readonly lastRefreshAt: string | null;
  readonly state: 'ok' | 'lapsed';
  readonly code?: string;
  /** Operator sentence for a lapsed person (names them and the fix). */
  readonly message?: string;
}

/** A refused on-behalf-of, with what the add-in needs to prompt (MFA claims, consent). */
export interface RedeemError extends TokenError {
  readonly subError?: string;
  /** Claims challenge to pass to the add-in's token request (MFA, Conditional Access). */
  readonly claims?: string;
}

export interface DelegatedTokenSource extends TokenSource {
  /**
   * Exchanges the add-in's SSO token (audience: this app's API) for the person's Graph token
   * (on-behalf-of) and stores their encrypted cache; their sync resumes if it was paused.
   * Throws a `RedeemError`.
   */
  redeemSsoToken(ssoToken: string): Promise<{ readonly mailbox: string; readonly oid: string }>;
  /** Everyone who has signed in through the add-in, with their state. */
  listPeople(): readonly DelegatedPerson[];
}

/** Graph permission the sync needs; `offline_access` (refresh token) is added by msal-node. */
const PERMISSION = 'Calendars.ReadWrite';
/** Entra answers that mean "this person's grant is gone until they sign in again". */
const INTERACTION_CODES = new Set(['invalid_grant', 'interaction_required', 'consent_required', 'login_required', 'bad_token']);
const PERSON_SUBERRORS = new Set(['basic_action', 'additional_action', 'message_only', 'user_password_expired', 'consent_required', 'bad_token']);

/**
 * Delegated `TokenSource`: one token per person. The add-in hands over an SSO token once
 * (`redeemSsoToken`); afterwards `getToken(mailbox)` loads that person's encrypted msal cache and
 * refreshes silently (`acquireTokenSilent({ account })`), falling back to redeeming the cached
 * refresh token with `acquireTokenByRefreshToken` (reference outlook-addin.md §9.2 "Background
 * sync"). An `invalid_grant` pauses only that person (state `lapsed` in `people.json`) until the
 * add-in renews; their later calls fail at once without asking Entra.
 */
export function createDelegatedTokenSource(options: DelegatedTokenSourceOptions): DelegatedTokenSource {
  const secret = options.clientSecret ?? '';
  if (!secret && !options.certificate) {
    throw toTokenError({
      code: 'missing-credential', transient: false,
      message: 'Brak poświadczeń aplikacji: tryb delegowany (on-behalf-of) wymaga certyfikatu (zalecany) albo sekretu klienta z rejestracji aplikacji w Entra ID.',
    });
  }
  const scopes = [`${new URL(options.graphResource).origin}/${PERMISSION}`];
  const caches = createEncryptedCacheStore({ cacheDir: options.cacheDir, keyPath: options.keyPath });
  const index = openPeopleIndex(options.cacheDir);
  const now = options.now ?? (() => new Date());
  const logger = options.logger;
  const apps = new Map<string, ConfidentialClientApplication>();
  const inFlight = new Map<string, Promise<string>>();
  const scrub = (text: string) => (secret.length >= 4 ? text.split(secret).join('***') : text);
  const newApp = (cachePlugin?: ICachePlugin) => new ConfidentialClientApplication(msalConfig(options, cachePlugin, logger, scrub));
  const appFor = (mailbox: string) => {
    let app = apps.get(mailbox);
    if (!app) apps.set(mailbox, (app = newApp(caches.pluginFor(mailbox))));
    return app;
  };

  const pause = (entry: PersonEntry, cause: AuthErrorDescription): TokenError => {
    const paused = describePausedPerson(entry.mailbox, cause);
    index.put({ ...entry, state: 'lapsed', code: paused.code, message: paused.message });
    logger?.log({ level: 'warn', mailbox: entry.mailbox, message: paused.message, data: { code: paused.code } });
    return toTokenError(paused);
  };

  /** A file that cannot be read now is retried; a key or file that will never decrypt pauses the person. */
  const fromCacheError = (entry: PersonEntry, err: CacheError): TokenError =>
    err.code === 'cache-io' ? toTokenError({ code: err.code, transient: true, message: err.message }) : pause(entry, { code: err.code, transient: false, message: err.message });

  const refresh = async (entry: PersonEntry, request: TokenRequestOptions | undefined): Promise<string> => {
    const app = appFor(entry.mailbox);
    let result: AuthenticationResult | null = null;
    try {
      const account = findAccount(await app.getTokenCache().getAllAccounts(), entry);
      if (account) result = await app.acquireTokenSilent({ account, scopes, forceRefresh: request?.forceRefresh === true });
    } catch (err) {
      if (isCacheError(err)) throw fromCacheError(entry, err);
      const described = describeAuthError(err);
      const kind = classify(err, described);
      if (kind === 'person') throw pause(entry, described);
      if (kind !== 'local') throw toTokenError({ ...described, message: scrub(described.message) });
      // msal-node did not find or use what it cached (an upgrade may change that): redeem the refresh token itself.
      logger?.log({ level: 'debug', mailbox: entry.mailbox, message: `msal: odświeżenie z pamięci nie powiodło się (${described.code}), używam zapisanego tokenu odświeżania` });
    }
    if (!result) result = await redeemCachedRefreshToken(app, entry);
    if (!result.fromCache) index.put({ ...entry, state: 'ok', lastRefreshAt: now().toISOString() });
    return result.accessToken;
  };

  const redeemCachedRefreshToken = async (app: ConfidentialClientApplication, entry: PersonEntry): Promise<AuthenticationResult> => {
    let refreshToken: string | null;
    try {
      refreshToken = findRefreshToken(caches.read(entry.mailbox), entry.oid);
    } catch (err) {
      if (isCacheError(err)) throw fromCacheError(entry, err);
      throw err;
    }
    if (!refreshToken) throw pause(entry, { code: 'no-refresh-token', transient: false, message: 'W pamięci tokenów tej osoby nie ma tokenu odświeżania.' });
    try {
      const result = await app.acquireTokenByRefreshToken({ refreshToken, scopes });
      if (!result?.accessToken) throw toTokenError({ code: 'empty-token', transient: true, message: 'Entra ID nie zwrócił tokenu dostępu — synchronizacja ponowi próbę.' });
      return result;
    } catch (err) {
      if (isTokenError(err)) throw err;
      const described = describeAuthError(err);
      const kind = classify(err, described);
      if (kind === 'person' || kind === 'local') throw pause(entry, described);
      throw toTokenError({ ...described, message: scrub(described.message) });
    }
  };

  return {
    async getToken(mailbox, request) {
      const key = mailbox.toLowerCase();
      const entry = index.get(key);
      if (!entry) {
        throw toTokenError({
          code: 'consent-missing', transient: false,
          message: `Osoba ${key} nie zalogowała się jeszcze w dodatku Optima w Outlooku (tryb delegowany): musi raz otworzyć dodatek i wyrazić zgodę; do tego czasu jej kalendarz nie jest synchronizowany.`,
        });
      }
      if (entry.state === 'lapsed') throw toTokenError({ code: entry.code ?? 'lapsed', transient: false, message: entry.message ?? pausedText(entry) });
      // One refresh per person at a time: parallel requests would each spend the refresh token.
      const running = inFlight.get(key);
      if (running && !request?.forceRefresh) return running;
      const attempt = refresh(entry, request).finally(() => inFlight.delete(key));
      inFlight.set(key, attempt);
      return attempt;
    },

    async redeemSsoToken(ssoToken) {
      // A cache of its own: the person is known only from the answer.
      const app = newApp();
      let result: AuthenticationResult | null;
      try {
        result = await app.acquireTokenOnBehalfOf({ oboAssertion: ssoToken, scopes });
      } catch (err) {
        const described = describeAuthError(err);
        const e = err as { subError?: unknown; claims?: unknown };
        throw {
          ...toTokenError({ ...described, message: scrub(described.message) }),
          ...(typeof e.subError === 'string' && e.subError ? { subError: e.subError } : {}),
          ...(typeof e.claims === 'string' && e.claims ? { claims: e.claims } : {}),
        } satisfies RedeemError;
      }
      const account = result?.account;
      if (!result || !account?.username) {
        throw toTokenError({ code: 'no-account', transient: false, message: 'Entra ID nie zwrócił danych konta osoby (id_token) — sprawdź, czy aplikacja ma uprawnienia openid i profile z zgodą administratora.' });
      }
      const serialized = app.getTokenCache().serialize();
      const mailbox = account.username.toLowerCase();
      const oid = account.localAccountId || account.homeAccountId.split('.')[0];
      if (!findRefreshToken(serialized, oid)) {
        throw toTokenError({
          code: 'no-refresh-token', transient: false,
          message: 'Entra ID nie wydał tokenu odświeżania: dodaj aplikacji uprawnienie delegowane offline_access i udziel zgody administratora (Entra ID → Rejestracje aplikacji → Uprawnienia interfejsu API).',
        });
      }
      caches.write(mailbox, serialized);
      const at = now().toISOString();
      index.put({ mailbox, oid, redeemedAt: at, lastRefreshAt: at, state: 'ok' });
      logger?.log({ level: 'info', mailbox, message: `Osoba ${mailbox} zalogowała się w dodatku — synchronizacja jej kalendarza jest aktywna.` });
      return { mailbox, oid };
    },

    listPeople: () => listDelegatedPeople(options.cacheDir),
  };
}

/** Lists delegated people from `cacheDir` without credentials or the cache key (for `auth status`). */
export function listDelegatedPeople(cacheDir: string): readonly DelegatedPerson[] {
  return openPeopleIndex(cacheDir).list().map((p) => ({
    mailbox: p.mailbox, lastRefreshAt: p.lastRefreshAt, state: p.state,
    ...(p.code ? { code: p.code } : {}),
    ...(p.state === 'lapsed' ? { message: p.message ?? pausedText(p) } : {}),
  }));
}

function pausedText(p: PersonEntry): string {
  return describePausedPerson(p.mailbox, describeAuthError({ errorCode: p.code, errorMessage: p.code })).message;
}

function msalConfig(options: DelegatedTokenSourceOptions, cachePlugin: ICachePlugin | undefined, logger: Logger | undefined, scrub: (t: string) => string): Configuration {
  const authorityBase = options.authority.replace(/\/+$/, '');
  return {
    auth: {
      clientId: options.clientId,
      authority: `${authorityBase}/${options.tenantId}`,
      knownAuthorities: options.knownAuthorities ? [...options.knownAuthorities] : undefined,
      ...(options.certificate
        ? { clientCertificate: { privateKey: options.certificate.privateKeyPem, thumbprintSha256: options.certificate.thumbprintSha256 } }
        : { clientSecret: options.clientSecret ?? '' }),
    },
    cache: cachePlugin ? { cachePlugin } : undefined,
    system: {
      loggerOptions: {
        piiLoggingEnabled: false,
        logLevel: LogLevel.Warning,
        loggerCallback: (level, message, containsPii) => {
          if (containsPii || !logger) return;
          logger.log({ level: level === LogLevel.Error ? 'error' : 'warn', message: `msal: ${scrub(message)}` });
        },
      },
    },
  };
}

function findAccount(accounts: readonly AccountInfo[], entry: PersonEntry): AccountInfo | null {
  return accounts.find((a) => a.localAccountId === entry.oid || a.homeAccountId.startsWith(`${entry.oid}.`))
    ?? accounts.find((a) => a.username.toLowerCase() === entry.mailbox)
    ?? null;
}

/** The person's refresh token from a serialized msal cache (its `RefreshToken` section). */
function findRefreshToken(serialized: string | null, oid: string): string | null {
  if (!serialized) return null;
  let cache: { RefreshToken?: Record<string, { home_account_id?: string; secret?: string }> };
  try {
    cache = JSON.parse(serialized);
  } catch {
    return null;
  }
  const entries = Object.values(cache.RefreshToken ?? {});
  const own = entries.find((e) => e.home_account_id?.startsWith(`${oid}.`)) ?? entries[0];
  return typeof own?.secret === 'string' && own.secret ? own.secret : null;
}

/**
 * `person`: Entra refused this person's grant (invalid_grant, interaction required) — pause them.
 * `transient`: network, Entra busy — retry later. `app`: Entra refused the application itself
 * (secret, certificate, tenant) — every person is affected, so nobody is paused for it.
 * `local`: msal-node's own cache logic gave up — worth redeeming the refresh token directly.
 */
function classify(err: unknown, described: AuthErrorDescription): 'person' | 'transient' | 'app' | 'local' {
  const e = err as { errorCode?: unknown; subError?: unknown; errorNo?: unknown; status?: unknown };
  const fromServer = described.code.startsWith('AADSTS') || e.errorNo !== undefined || typeof e.status === 'number';
  if (fromServer && typeof e.errorCode === 'string' && INTERACTION_CODES.has(e.errorCode)) return 'person';
  if (fromServer && typeof e.subError === 'string' && PERSON_SUBERRORS.has(e.subError)) return 'person';
  if (described.transient) return 'transient';
  return fromServer ? 'app' : 'local';
}

function toTokenError(d: { code: string; transient: boolean; message: string }): TokenError {
  return { kind: 'token-error', code: d.code, transient: d.transient, message: d.message };
}
