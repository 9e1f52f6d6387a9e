/// <reference types="office-js" />
/**
 * The SSO token for the server's API (reference/outlook-addin.md §7): nested app authentication
 * through msal-browser where the client supports it (NestedAppAuth 1.1 and the app's client id is
 * known), else the legacy `Office.auth.getAccessToken`. msal-browser is loaded only when needed,
 * so it stays out of the first bundle.
 *
 * NAA needs the app's client id and authority at run time. They come from one place, the server's
 * configuration, through the public `GET /api/addin/config` (server/api/addin-public-config.ts),
 * fetched when the provider is created; `?clientId=&tenant=&scope=` on the taskpane URL overrides
 * them for development.
 */
import type { AddinPublicConfig } from '../../shared/addin-api.ts';

export interface SsoConfig {
  /** Entra application (client) id; NAA needs it. */
  readonly clientId: string | null;
  /** Tenant id or domain for the authority; `common` when not given. */
  readonly tenant: string | null;
  /** The API scope, `api://<host>/<client-id>/access_as_user` unless configured. */
  readonly scope: string | null;
  /** Full MSAL authority (`https://login.microsoftonline.com/<tenant>`); built from `tenant` when null. */
  readonly authority?: string | null;
}


/** Where the server publishes the SSO settings (no token needed). */
export const PUBLIC_CONFIG_PATH = '/api/addin/config';

/** A config request that gets no answer in this long counts as failed (SSO then falls back). */
const CONFIG_TIMEOUT_MS = 10_000;

export interface TokenRequest {
  /** Skip any cached token (after the server said consent is required). */
  readonly fresh?: boolean;
  /** Claims challenge from Entra (MFA / conditional access), passed on to the sign-in prompt. */
  readonly claims?: string;
}

export interface TokenProvider {
  getToken(request?: TokenRequest): Promise<string>;
}

/** A sign-in that did not produce a token; `code` is the Office 13xxx code or an MSAL error code. */
export interface SsoError {
  readonly kind: 'sso';
  readonly code: string;
}

/** Reads the development override from the taskpane URL (`?clientId=&tenant=&scope=`). */
export function readSsoConfig(search: string): SsoConfig {
  const params = new URLSearchParams(search);
  return { clientId: params.get('clientId'), tenant: params.get('tenant'), scope: params.get('scope') };
}

/**
 * The SSO settings in force: the URL's when it names a client id (development), else the server's
 * (`GET /api/addin/config`) with any `tenant`/`scope` from the URL on top. A server that cannot be
 * asked leaves the client id unknown, so sign-in falls back to `getAccessToken` as before.
 */
export async function loadSsoConfig(override: SsoConfig, baseUrl = '', fetchImpl: typeof fetch = fetch): Promise<SsoConfig> {
  if (override.clientId) return override;
  const server = await fetchPublicConfig(baseUrl, fetchImpl);
  if (!server) return override;
  return {
    clientId: server.clientId,
    tenant: override.tenant ?? server.tenantId,
    scope: override.scope ?? server.apiScope,
    authority: override.tenant ? null : server.authority,
  };
}

async function fetchPublicConfig(baseUrl: string, fetchImpl: typeof fetch): Promise<AddinPublicConfig | null> {
  try {
    const response = await fetchImpl(`${baseUrl}${PUBLIC_CONFIG_PATH}`, {
      headers: { Accept: 'application/json' },
      signal: AbortSignal.timeout(CONFIG_TIMEOUT_MS),
    });
    if (!response.ok) return null;
    const body = (await response.json()) as Partial<AddinPublicConfig> | null;
    const text = (value: unknown) => typeof value === 'string' && value.trim() !== '';
    if (!body || !text(body.clientId) || !text(body.tenantId) || !text(body.authority) || !text(body.apiScope)) return null;
    return body as AddinPublicConfig;
  } catch {
    return null;
  }
}

/**
 * The token provider for this client: NAA first, `getAccessToken` as the fallback. Given the URL
 * override, it starts reading the server's settings at once (`loadSsoConfig`); a ready config
 * (tests, a host page that knows it) is used as it is.
 */
export function createTokenProvider(source: SsoConfig | Promise<SsoConfig>, baseUrl = ''): TokenProvider {
  const ready: Promise<SsoConfig> = source instanceof Promise ? source : loadSsoConfig(source, baseUrl);
  let naa: Promise<TokenProvider | null> | null = null;
  return {
    async getToken(request = {}) {
      const config = await ready;
      if (config.clientId && isSetSupported('NestedAppAuth', '1.1')) {
        naa ??= createNaaProvider(config.clientId, config).catch(() => null);
        const provider = await naa;
        if (provider) {
          try {
            return await provider.getToken(request);
          } catch (error) {
            // A person who closed the sign-in window meant it; anything else (an app registration
            // without the brk-multihub redirect URI, say) gets the legacy path before failing.
            if (isSsoError(error) && error.code === 'user_cancelled') throw error;
            try {
              return await getOfficeAccessToken(request);
            } catch {
              throw error;
            }
          }
        }
      }
      return getOfficeAccessToken(request);
    },
  };
}

function isSetSupported(name: string, version: string): boolean {
  try {
    return Office.context?.requirements?.isSetSupported(name, version) === true;
  } catch {
    return false;
  }
}

async function createNaaProvider(clientId: string, config: SsoConfig): Promise<TokenProvider> {
  const msal = await import(/* webpackChunkName: "msal" */ '@azure/msal-browser');
  const authority = config.authority ?? `https://login.microsoftonline.com/${config.tenant ?? 'common'}`;
  const authorityHost = new URL(authority).host;
  const pca = await msal.createNestablePublicClientApplication({
    auth: {
      clientId,
      authority,
      // A sign-in host other than Microsoft's (an emulator) must be named, or MSAL refuses it.
      ...(MICROSOFT_LOGIN_HOST.test(authorityHost) ? {} : { knownAuthorities: [authorityHost] }),
    },
  });
  const scopes = [config.scope ?? `api://${location.host}/${clientId}/access_as_user`];
  return {
    async getToken(request = {}) {
      if (!request.claims) {
        try {
          return (await pca.acquireTokenSilent({ scopes, forceRefresh: request.fresh === true })).accessToken;
        } catch (error) {
          if (!(error instanceof msal.InteractionRequiredAuthError)) throw toSsoError(error);
        }
      }
      try {
        return (await pca.acquireTokenPopup({ scopes, claims: request.claims })).accessToken;
      } catch (error) {
        throw toSsoError(error);
      }
    },
  };
}

const MICROSOFT_LOGIN_HOST = /^login\.(microsoftonline\.(com|us|de)|windows\.net|microsoft\.com|chinacloudapi\.cn|partner\.microsoftonline\.cn)$/i;

async function getOfficeAccessToken(request: TokenRequest): Promise<string> {
  if (typeof Office === 'undefined' || !Office.auth?.getAccessToken) throw ssoError('13000');
  const options: Office.AuthOptions = { allowSignInPrompt: true, allowConsentPrompt: true };
  if (request.claims) options.authChallenge = request.claims;
  try {
    return await Office.auth.getAccessToken(options);
  } catch (error) {
    throw toSsoError(error);
  }
}

function toSsoError(error: unknown): SsoError {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code)
    : typeof error === 'object' && error !== null && 'errorCode' in error ? String((error as { errorCode: unknown }).errorCode)
    : 'unknown';
  return ssoError(code);
}

function ssoError(code: string): SsoError {
  return { kind: 'sso', code };
}

/** Whether a thrown value is an `SsoError`. */
export function isSsoError(value: unknown): value is SsoError {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'sso';
}
