import { ConfidentialClientApplication, LogLevel } from '@azure/msal-node';
import type { Configuration } from '@azure/msal-node';
import type { Logger } from '../domain/logger.ts';
import { describeAuthError } from './describe-auth-error.ts';
import { isTokenError } from './token-source.ts';
import type { TokenError, TokenSource } from './token-source.ts';
import type { AuthErrorDescription } from './describe-auth-error.ts';

export interface ClientCredentialsOptions {
  readonly tenantId: string;
  readonly clientId: string;
  /** Either a secret or a certificate (recommended for unattended sync). */
  readonly clientSecret?: string;
  readonly certificate?: { readonly privateKeyPem: string; readonly thumbprintSha256: string };
  /** Login base without the tenant, e.g. `https://login.microsoftonline.com`. */
  readonly authority: string;
  /** `host[:port]` of a non-Microsoft authority (an Entra emulator); Microsoft hosts need none. */
  readonly knownAuthorities?: readonly string[];
  /** Graph base URL; the scope follows its origin, so national clouds get their own `.default`. */
  readonly graphBaseUrl: string;
  /**
   * Resource the token is for, when `graphBaseUrl` is not Graph itself but stands in for it (an
   * emulator, a proxy): e.g. `https://graph.microsoft.com`. Default: the origin of `graphBaseUrl`.
   */
  readonly graphResource?: string;
  readonly logger?: Logger;
}

/**
 * App-only `TokenSource`: one application token (client credentials) for every mailbox, from
 * msal-node's `ConfidentialClientApplication`, which caches it until shortly before it expires.
 * Throws a `TokenError` (see `describeAuthError`) that never quotes the secret or a token.
 */
export function createClientCredentialsTokenSource(options: ClientCredentialsOptions): TokenSource {
  const secret = options.clientSecret ?? '';
  if (!secret && !options.certificate) {
    throw toTokenError({
      code: 'missing-credential',
      transient: false,
      message: 'Brak poświadczeń aplikacji: podaj w konfiguracji certyfikat (zalecany) albo sekret klienta z rejestracji aplikacji w Entra ID.',
    });
  }
  const authorityBase = options.authority.replace(/\/+$/, '');
  const scopes = [`${new URL(options.graphResource ?? options.graphBaseUrl).origin}/.default`];
  const logger = options.logger;
  const config: Configuration = {
    auth: {
      clientId: options.clientId,
      authority: `${authorityBase}/${options.tenantId}`,
      knownAuthorities: options.knownAuthorities ? [...options.knownAuthorities] : undefined,
      // A certificate wins over a secret: it is the recommended credential and cannot be pasted wrongly.
      ...(options.certificate
        ? { clientCertificate: { privateKey: options.certificate.privateKeyPem, thumbprintSha256: options.certificate.thumbprintSha256 } }
        : { clientSecret: secret }),
    },
    system: {
      loggerOptions: {
        piiLoggingEnabled: false,
        logLevel: LogLevel.Warning,
        loggerCallback: (level, message, containsPii) => {
          if (containsPii || !logger) return;
          // App-only token responses carry no client_info by design; MSAL warns about it on every
          // token, which would bury real warnings, so that one is kept at debug level.
          const routine = message.includes('No client info in response');
          logger.log({ level: level === LogLevel.Error ? 'error' : routine ? 'debug' : 'warn', message: `msal: ${scrub(message, secret)}` });
        },
      },
    },
  };
  const app = new ConfidentialClientApplication(config);
  const discoveryUrl = `${authorityBase}/${encodeURIComponent(options.tenantId)}/v2.0/.well-known/openid-configuration`;

  return {
    async getToken(_mailbox, request) {
      try {
        const result = await app.acquireTokenByClientCredential({ scopes, skipCache: request?.forceRefresh === true });
        if (!result?.accessToken) {
          throw toTokenError({ code: 'empty-token', transient: true, message: 'Entra ID nie zwrócił tokenu dostępu — synchronizacja ponowi próbę.' });
        }
        return result.accessToken;
      } catch (err) {
        if (isTokenError(err)) throw err;
        const described = describeAuthError(err);
        const refined = DISCOVERY_FAILURES.has(described.code) ? await diagnoseDiscovery(discoveryUrl, described) : described;
        throw toTokenError({ ...refined, message: scrub(refined.message, secret) });
      }
    },
  };
}

function toTokenError(d: { code: string; transient: boolean; message: string }): TokenError {
  return { kind: 'token-error', code: d.code, transient: d.transient, message: d.message };
}

/** Belt and braces: a secret never leaves this module, even if some text happened to quote it. */
function scrub(text: string, secret: string): string {
  return secret.length >= 4 ? text.split(secret).join('***') : text;
}

const DISCOVERY_FAILURES = new Set(['endpoints_resolution_error', 'openid_config_error']);

/**
 * msal-node reports "could not read the openid-configuration" the same way for a wrong tenant
 * and for a network failure. One look at that document tells them apart: Entra answers a wrong
 * tenant with AADSTS90002 in JSON; no answer at all is the network.
 */
async function diagnoseDiscovery(url: string, fallback: AuthErrorDescription): Promise<AuthErrorDescription> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  } catch {
    return describeAuthError({ errorCode: 'network_error' });
  }
  if (response.ok) return fallback;
  try {
    const body = (await response.json()) as { error?: unknown; error_codes?: unknown; error_description?: unknown };
    const codes = Array.isArray(body.error_codes) ? body.error_codes : [];
    if (codes.length === 0) return fallback;
    return describeAuthError({ errorCode: body.error, errorNo: String(codes[0]), errorMessage: body.error_description, status: response.status });
  } catch {
    return fallback;
  }
}
