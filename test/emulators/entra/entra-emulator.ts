/**
 * Entra ID (Microsoft identity platform v2.0) sign-in emulator over HTTPS, for tests and the demo.
 * Point msal-node at it with `authority: entra.authority` and `knownAuthorities: [entra.host]`.
 *
 * Serves: `GET /{tenant}/v2.0/.well-known/openid-configuration`, `GET /{tenant}/discovery/v2.0/keys`,
 * `POST /{tenant}/oauth2/v2.0/token`: client credentials, on-behalf-of (`jwt-bearer`) and
 * `refresh_token`, the client authenticated by a secret or a certificate assertion.
 * `issueUserToken` plays the add-in's SSO token (audience `api://<clientId>`) for on-behalf-of;
 * per-person fault switches (`expireRefreshTokens`, `requireMfa`, `revokeConsent`, `revoke`) make
 * that person's user grants fail with Entra's AADSTS700082 / 50076 / 65001 / 50173 (user-grants.ts).
 *
 * Known differences from the real service:
 * - One tenant, addressed by its id only (no domain names, no `common`/`organizations`).
 * - Grants: `client_credentials`, on-behalf-of and `refresh_token`; others answer 400
 *   `unsupported_grant_type` (AADSTS70003). User grants echo the requested Graph scopes as
 *   `<resource>/<permission>` in `scope`; consent is per app (`delegatedScopes`), not per person.
 * - User tokens carry `upn` and `preferred_username` and are v2-shaped like the app tokens;
 *   refresh tokens are opaque, kept in memory, never expire on their own (use the switches).
 * - Access tokens are v2-shaped and issued by `issuer` (the real Graph token is a v1 token from
 *   `https://sts.windows.net/{tid}/`); claims are the useful subset (iss, aud, tid, appid, azp,
 *   roles, oid, sub, iat, nbf, exp, ver, idtyp, uti).
 * - One signing key, never rolled; JWKS without `x5c`.
 * - Assertion errors: AADSTS700027 for key/signature/claim problems, 700024 for the time window
 *   (real texts vary); `jti` replay is not checked.
 * - No instance discovery, no authorize/device-code/logout endpoints, no throttling.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticateClient } from './authenticate-client.ts';
import type { EntraClient } from './authenticate-client.ts';
import { createEntraError } from './entra-errors.ts';
import type { EntraError } from './entra-errors.ts';
import type { GrantHandler, TokenContext } from './grant-types.ts';
import { createSigningKey, signJwt, verifyJwt } from './signing-key.ts';
import { createUserGrants } from './user-grants.ts';
import type { UserFaults, UserTokenOptions } from './user-grants.ts';
import type { JwtClaims, SigningKey } from './signing-key.ts';
import { readBody, startHttpsListener } from '../shared/https-listener.ts';
import type { EmulatorTls } from '../shared/https-listener.ts';

export type { EntraClient } from './authenticate-client.ts';
export type { JwtClaims } from './signing-key.ts';
export type { UserTokenOptions } from './user-grants.ts';

export interface EntraEmulatorOptions {
  readonly tls: EmulatorTls;
  readonly tenantId: string;
  readonly clients: readonly EntraClient[];
  /** 0 or absent = random free port. */
  readonly port?: number;
  /** Lifetime of issued access tokens (default 3599 s, as Entra's `expires_in`). */
  readonly tokenLifetimeSeconds?: number;
  /** Resources a `/.default` scope may name (default Microsoft Graph). */
  readonly resources?: readonly string[];
}

export interface TokenLogEntry {
  readonly at: number;
  readonly grantType: string | null;
  readonly clientId: string | null;
  readonly status: number;
  /** `AADSTS…` code of a refused request. */
  readonly errorCode: number | null;
}

export interface EntraEmulator extends UserFaults {
  /** `https://localhost:PORT` */
  readonly url: string;
  /** `localhost:PORT`, for msal-node `knownAuthorities`. */
  readonly host: string;
  /** `${url}/${tenantId}`, for msal-node `auth.authority`. */
  readonly authority: string;
  /** `iss` of issued tokens and of the openid-configuration. */
  readonly issuer: string;
  /** The published key set (`{ keys: [...] }`). */
  readonly jwks: { readonly keys: readonly object[] };
  /** Requests that reached the token endpoint, successful or not. */
  readonly tokenRequests: number;
  readonly tokenLog: readonly TokenLogEntry[];
  /** Claims of a token this emulator issued and that is still valid for Graph; null otherwise. */
  verifyAccessToken(token: string): JwtClaims | null;
  /** A token as the add-in's SSO would get it for the app's own API, to hand to on-behalf-of. */
  issueUserToken(options: UserTokenOptions): string;
  /** Lifetime of access tokens issued from now on (e.g. below MSAL's 5-minute renewal margin). */
  setTokenLifetime(seconds: number): void;
  close(): Promise<void>;
}

export const GRAPH_RESOURCE = 'https://graph.microsoft.com';
const FORM_LIMIT_BYTES = 64 * 1024;
const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);


/** Starts the emulator; `close()` stops it. */
export async function startEntraEmulator(opts: EntraEmulatorOptions): Promise<EntraEmulator> {
  const key: SigningKey = createSigningKey();
  const clients = new Map(opts.clients.map((c) => [c.clientId.toLowerCase(), c]));
  const resources = opts.resources ?? [GRAPH_RESOURCE];
  let lifetime = opts.tokenLifetimeSeconds ?? 3599;
  const tokenLog: TokenLogEntry[] = [];
  let base = '';
  const issuerOf = () => `${base}/${opts.tenantId}/v2.0`;
  const jwks = { keys: [key.jwk] };
  const users = createUserGrants({ key, tenantId: opts.tenantId, issuer: issuerOf, lifetime: () => lifetime, resources });

  const issueAppToken = (ctx: TokenContext, resource: string): Record<string, unknown> => {
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      aud: resource,
      iss: issuerOf(),
      iat: now,
      nbf: now,
      exp: now + lifetime,
      tid: opts.tenantId,
      appid: ctx.client.clientId,
      azp: ctx.client.clientId,
      appidacr: ctx.authMethod === 'certificate' ? '2' : '1',
      azpacr: ctx.authMethod === 'certificate' ? '2' : '1',
      app_displayname: ctx.client.displayName ?? ctx.client.clientId,
      idtyp: 'app',
      oid: ctx.client.clientId,
      sub: ctx.client.clientId,
      roles: ctx.client.roles ?? ['Calendars.ReadWrite'],
      uti: randomUUID().replaceAll('-', ''),
      ver: '2.0',
    };
    return { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: signJwt(key, claims) };
  };

  const GRANTS: Readonly<Record<string, GrantHandler>> = {
    client_credentials: (ctx) => {
      const scope = ctx.form.get('scope');
      if (!scope) return { ok: false, error: ctx.fail(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'scope'.") };
      const requested = scope.split(/\s+/).filter((s) => s && !OIDC_SCOPES.has(s));
      if (requested.length !== 1 || !requested[0].endsWith('/.default')) {
        return {
          ok: false,
          error: ctx.fail(
            400,
            'invalid_scope',
            1002012,
            `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
          ),
        };
      }
      const resource = requested[0].slice(0, -'/.default'.length);
      if (!resources.includes(resource)) {
        return {
          ok: false,
          error: ctx.fail(
            400,
            'invalid_resource',
            500011,
            `The resource principal named ${resource} was not found in the tenant named ${opts.tenantId}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
          ),
        };
      }
      return { ok: true, body: issueAppToken(ctx, resource) };
    },
    ...users.handlers,
  };

  const handleToken = async (tenant: string, req: IncomingMessage): Promise<{ status: number; body: object; log: TokenLogEntry }> => {
    const correlationId = headerOf(req, 'client-request-id');
    const raw = await readBody(req, FORM_LIMIT_BYTES);
    const form = new URLSearchParams(raw ? raw.toString('utf8') : '');
    // msal-node puts client-request-id into the form body, not a header.
    const correlation = correlationId ?? form.get('client-request-id') ?? undefined;
    const grantType = form.get('grant_type');
    const clientId = form.get('client_id');
    const errorUriBase = base;
    const failWith = (error: EntraError) => ({
      status: error.status,
      body: error.body,
      log: { at: Date.now(), grantType, clientId, status: error.status, errorCode: error.body.error_codes[0] ?? null },
    });
    const fail: TokenContext['fail'] = (status, error, aadsts, message, extras) =>
      createEntraError(status, error, aadsts, message, errorUriBase, correlation, extras);
    if (tenant.toLowerCase() !== opts.tenantId.toLowerCase()) return failWith(unknownTenant(tenant, 'invalid_request', errorUriBase, correlation));
    if (!grantType) return failWith(fail(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'grant_type'."));
    const grant = GRANTS[grantType];
    if (!grant) return failWith(fail(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.'));
    if (!clientId) return failWith(fail(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_id'."));
    const client = clients.get(clientId.toLowerCase());
    if (!client) {
      return failWith(
        fail(
          400,
          'unauthorized_client',
          700016,
          `Application with identifier '${clientId}' was not found in the directory '${opts.tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
        ),
      );
    }
    const auth = await authenticateClient(form, client, { tokenEndpoint: `${base}/${opts.tenantId}/oauth2/v2.0/token`, errorUriBase, correlationId: correlation });
    if (!auth.ok) return failWith(auth.error);
    const result = grant({ form, client, authMethod: auth.method, fail });
    if (!result.ok) return failWith(result.error);
    return { status: 200, body: result.body, log: { at: Date.now(), grantType, clientId, status: 200, errorCode: null } };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', base);
    const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const tenant = segments[0] ?? '';
    const rest = segments.slice(1).join('/');
    const correlationId = headerOf(req, 'client-request-id');
    if (req.method === 'POST' && rest === 'oauth2/v2.0/token') {
      const outcome = await handleToken(tenant, req);
      tokenLog.push(outcome.log);
      return sendJson(res, outcome.status, outcome.body, correlationId);
    }
    if (req.method === 'GET' && rest === 'v2.0/.well-known/openid-configuration') {
      if (tenant.toLowerCase() !== opts.tenantId.toLowerCase()) {
        const error = unknownTenant(tenant, 'invalid_tenant', base, correlationId);
        return sendJson(res, error.status, error.body, correlationId);
      }
      return sendJson(res, 200, openIdConfiguration(base, opts.tenantId), correlationId);
    }
    if (req.method === 'GET' && rest === 'discovery/v2.0/keys') return sendJson(res, 200, jwks, correlationId);
    req.resume();
    sendJson(res, 404, { error: 'not_found', error_description: `The emulator does not serve ${req.method} ${url.pathname}.` }, correlationId);
  };

  const listener = await startHttpsListener(opts.tls, opts.port ?? 0, handle);
  base = listener.url;
  return {
    url: listener.url,
    host: `localhost:${listener.port}`,
    authority: `${listener.url}/${opts.tenantId}`,
    issuer: issuerOf(),
    jwks,
    get tokenRequests() {
      return tokenLog.length;
    },
    tokenLog,
    verifyAccessToken: (token) => verifyJwt(key, token, { issuer: issuerOf(), audiences: [GRAPH_RESOURCE], skewSeconds: 300 }),
    issueUserToken: users.issueUserToken,
    setTokenLifetime: (seconds) => {
      lifetime = seconds;
    },
    expireRefreshTokens: users.expireRefreshTokens,
    requireMfa: users.requireMfa,
    revokeConsent: users.revokeConsent,
    revoke: users.revoke,
    clearFaults: users.clearFaults,
    close: () => listener.close(),
  };
}

function openIdConfiguration(base: string, tenantId: string): object {
  const root = `${base}/${tenantId}`;
  return {
    token_endpoint: `${root}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${root}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${root}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${base}/oidc/userinfo`,
    authorization_endpoint: `${root}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${root}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${root}/oauth2/v2.0/logout`,
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'at_hash', 'c_hash', 'email'],
    tenant_region_scope: 'EU',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
    rbac_url: 'https://pas.windows.net',
  };
}

function unknownTenant(tenant: string, error: string, errorUriBase: string, correlationId: string | undefined): EntraError {
  return createEntraError(
    400,
    error,
    90002,
    `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
    errorUriBase,
    correlationId,
  );
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function sendJson(res: ServerResponse, status: number, body: object, correlationId: string | undefined): void {
  const text = JSON.stringify(body);
  const traceId = 'trace_id' in body && typeof body.trace_id === 'string' ? body.trace_id : randomUUID();
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store, no-cache',
    'x-ms-request-id': traceId,
    ...(correlationId ? { 'client-request-id': correlationId } : {}),
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
