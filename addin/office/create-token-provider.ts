/// <reference types="office-js" />
/**
 * The SSO token for the server's API (reference/outlook-addin.md §7): nested app authentication
 * through msal-browser where the client supports it (NestedAppAuth 1.1 and the app's client id is
 * known), else the legacy `Office.auth.getAccessToken`. msal-browser is loaded only when needed,
 * so it stays out of the first bundle.
 */

export interface SsoConfig {
  /** Entra application (client) id; NAA needs it. */
  readonly clientId: string | null;
  /** Tenant id or domain for the authority; `common` when not given. */
  readonly tenant: string | null;
  /** The API scope, `api://<host>/<client-id>/access_as_user` unless configured. */
  readonly scope: string | null;
}

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

/** Reads the SSO settings from the taskpane URL (`?clientId=&tenant=&scope=`), set once in the manifest. */
export function readSsoConfig(search: string): SsoConfig {
  const params = new URLSearchParams(search);
  return { clientId: params.get('clientId'), tenant: params.get('tenant'), scope: params.get('scope') };
}

/** The token provider for this client: NAA first, `getAccessToken` as the fallback. */
export function createTokenProvider(config: SsoConfig): TokenProvider {
  let naa: Promise<TokenProvider | null> | null = null;
  return {
    async getToken(request = {}) {
      if (config.clientId && isSetSupported('NestedAppAuth', '1.1')) {
        naa ??= createNaaProvider(config.clientId, config).catch(() => null);
        const provider = await naa;
        if (provider) return provider.getToken(request);
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
  const pca = await msal.createNestablePublicClientApplication({
    auth: { clientId, authority: `https://login.microsoftonline.com/${config.tenant ?? 'common'}` },
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
