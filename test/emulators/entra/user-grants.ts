import { randomBytes, randomUUID } from 'node:crypto';
import type { GrantHandler, GrantResult, TokenContext } from './grant-types.ts';
import { decodeSegment, signJwt, verifyJwt } from './signing-key.ts';
import type { SigningKey } from './signing-key.ts';

/**
 * Delegated (per-person) grants of the Entra emulator: on-behalf-of (`jwt-bearer`) and
 * `refresh_token`, with per-person fault switches that answer like Entra does (reference
 * graph-calendar.md §11). The refresh tokens are opaque strings remembered here; old ones stay
 * valid after a refresh (Entra rotates but does not revoke them for confidential clients).
 */

export const OBO_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Delegated permissions an app registration has consent for unless it says otherwise. */
export const DEFAULT_DELEGATED_SCOPES: readonly string[] = ['Calendars.ReadWrite', 'User.Read'];
/** Microsoft Graph's application id, as Entra names it in MFA messages. */
const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);
const SKEW_SECONDS = 300;

/** A token the add-in's SSO would get for the app's own API (`api://<clientId>`). */
export interface UserTokenOptions {
  readonly oid: string;
  readonly upn: string;
  /** `api://<clientId>` (v1 style) or the bare client id (v2). */
  readonly audience: string;
  /** Space-separated scopes, default `access_as_user`. */
  readonly scp?: string;
  readonly name?: string;
  /** Authentication methods; include `mfa` to pass `requireMfa`. Default `['pwd']`. */
  readonly amr?: readonly string[];
  /** Default 3600 s; negative makes an already expired token. */
  readonly lifetimeSeconds?: number;
  /** App roles assigned to the person (`roles` claim), e.g. `OptimaSync.Admin`. */
  readonly roles?: readonly string[];
  /** Group object ids (`groups` claim, when the app registration emits group claims). */
  readonly groups?: readonly string[];
}

/** Per-person switches that make the next user grants fail like Entra does. */
export interface UserFaults {
  /** Refresh tokens issued so far to this person answer AADSTS700082 (inactive for 90 days). */
  expireRefreshTokens(upn: string): void;
  /** Refresh grants, and OBO with an assertion without `mfa` in `amr`, answer AADSTS50076 + claims. */
  requireMfa(upn: string): void;
  /** Every user grant for this person answers AADSTS65001 (consent_required). */
  revokeConsent(upn: string): void;
  /** Refresh tokens issued so far answer AADSTS50173 (revoked, e.g. password changed). */
  revoke(upn: string): void;
  /** Lifts `requireMfa` and `revokeConsent` (expired/revoked refresh tokens stay dead). */
  clearFaults(upn: string): void;
}

export interface UserGrants extends UserFaults {
  readonly handlers: Readonly<Record<string, GrantHandler>>;
  issueUserToken(options: UserTokenOptions): string;
}

export interface UserGrantsDeps {
  readonly key: SigningKey;
  readonly tenantId: string;
  readonly issuer: () => string;
  /** Lifetime of issued access tokens, seconds (read on every grant). */
  readonly lifetime: () => number;
  readonly resources: readonly string[];
}

interface RefreshRecord {
  readonly clientId: string;
  readonly oid: string;
  readonly upn: string;
  readonly name: string;
  readonly resource: string;
  readonly permissions: readonly string[];
  readonly issuedAt: Date;
  state: 'ok' | 'expired' | 'revoked';
}

interface Person {
  readonly oid: string;
  readonly upn: string;
  readonly name: string;
}

/** Creates the OBO and refresh-token grant handlers and their fault switches. */
export function createUserGrants(deps: UserGrantsDeps): UserGrants {
  const refreshTokens = new Map<string, RefreshRecord>();
  const mfaRequired = new Set<string>();
  const consentRevoked = new Set<string>();
  const now = () => Math.floor(Date.now() / 1000);

  const markRefreshTokens = (upn: string, state: 'expired' | 'revoked') => {
    for (const record of refreshTokens.values()) if (record.upn.toLowerCase() === upn.toLowerCase() && record.state === 'ok') record.state = state;
  };

  const issueUserToken = (o: UserTokenOptions): string => {
    const t = now();
    return signJwt(deps.key, {
      aud: o.audience, iss: deps.issuer(), iat: t, nbf: t, exp: t + (o.lifetimeSeconds ?? 3600),
      tid: deps.tenantId, oid: o.oid, sub: o.oid, upn: o.upn, preferred_username: o.upn, name: o.name ?? o.upn,
      scp: o.scp ?? 'access_as_user', amr: [...(o.amr ?? ['pwd'])], idtyp: 'user', uti: randomUUID().replaceAll('-', ''), ver: '2.0',
      ...(o.roles ? { roles: [...o.roles] } : {}), ...(o.groups ? { groups: [...o.groups] } : {}),
    });
  };

  /** Checks consent and MFA for a person; null when the grant may go ahead. */
  const personFault = (ctx: TokenContext, upn: string, hasMfa: boolean): GrantResult | null => {
    if (consentRevoked.has(upn.toLowerCase())) return consentMissing(ctx);
    if (mfaRequired.has(upn.toLowerCase()) && !hasMfa) {
      const claims = JSON.stringify({ access_token: { capolids: { essential: true, values: [randomUUID()] } } });
      return {
        ok: false,
        error: ctx.fail(400, 'invalid_grant', 50076,
          `Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '${GRAPH_APP_ID}'.`,
          { suberror: 'basic_action', claims }),
      };
    }
    return null;
  };

  const issueUserTokens = (ctx: TokenContext, person: Person, resource: string, permissions: readonly string[]): Record<string, unknown> => {
    const t = now();
    const lifetime = deps.lifetime();
    const clientId = ctx.client.clientId;
    const access = signJwt(deps.key, {
      aud: resource, iss: deps.issuer(), iat: t, nbf: t, exp: t + lifetime, tid: deps.tenantId,
      oid: person.oid, sub: `${person.oid}:${clientId}`, upn: person.upn, preferred_username: person.upn, unique_name: person.upn, name: person.name,
      scp: permissions.join(' '), appid: clientId, azp: clientId, appidacr: ctx.authMethod === 'certificate' ? '2' : '1',
      app_displayname: ctx.client.displayName ?? clientId, idtyp: 'user', uti: randomUUID().replaceAll('-', ''), ver: '2.0',
    });
    const idToken = signJwt(deps.key, {
      aud: clientId, iss: deps.issuer(), iat: t, nbf: t, exp: t + 3600, tid: deps.tenantId, oid: person.oid,
      sub: `${person.oid}:${clientId}:id`, preferred_username: person.upn, name: person.name, ver: '2.0',
    });
    const refresh = `1.AX${randomBytes(48).toString('base64url')}`;
    refreshTokens.set(refresh, { clientId, oid: person.oid, upn: person.upn, name: person.name, resource, permissions, issuedAt: new Date(), state: 'ok' });
    return {
      token_type: 'Bearer',
      scope: permissions.map((p) => `${resource}/${p}`).join(' '),
      expires_in: lifetime,
      ext_expires_in: lifetime,
      access_token: access,
      refresh_token: refresh,
      id_token: idToken,
      client_info: Buffer.from(JSON.stringify({ uid: person.oid, utid: deps.tenantId })).toString('base64url'),
    };
  };

  const onBehalfOf: GrantHandler = (ctx) => {
    const assertion = ctx.form.get('assertion');
    if (ctx.form.get('requested_token_use') !== 'on_behalf_of') {
      return { ok: false, error: ctx.fail(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'requested_token_use'.") };
    }
    if (!assertion) return { ok: false, error: ctx.fail(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'assertion'.") };
    const scope = parseScope(ctx, deps.resources);
    if (!scope.ok) return scope.result;
    // Signature, issuer and audience first (with any lifetime), then the time window on its own:
    // Entra names an expired assertion differently (500133) from a foreign one (50013).
    const audiences = [`api://${ctx.client.clientId}`, ctx.client.clientId];
    const claims = verifyJwt(deps.key, assertion, { issuer: deps.issuer(), audiences, skewSeconds: 10 * 365 * 86_400 });
    if (!claims) {
      const aud = decodeSegment(assertion.split('.')[1] ?? '')?.aud;
      return {
        ok: false,
        error: ctx.fail(400, 'invalid_grant', 50013, typeof aud === 'string' && !audiences.includes(aud)
          ? `Assertion audience does not match the Client app presenting the assertion. The audience in the assertion was '${aud}' and the expected audience is '${ctx.client.clientId}' or one of the Application Id URIs of this application.`
          : 'Assertion failed signature validation. [Reason - The key was not found.]'),
      };
    }
    const exp = typeof claims.exp === 'number' ? claims.exp : 0;
    if (exp + SKEW_SECONDS < now()) {
      return {
        ok: false,
        error: ctx.fail(400, 'invalid_grant', 500133,
          `Assertion is not within its valid time range. Ensure that the access token is not expired before using it for user assertion, or request a new token. Current time: ${new Date().toISOString()}, expiry time of assertion ${new Date(exp * 1000).toISOString()}.`),
      };
    }
    const person = { oid: String(claims.oid), upn: String(claims.preferred_username ?? claims.upn), name: String(claims.name ?? claims.upn) };
    const amr = Array.isArray(claims.amr) ? claims.amr.map(String) : [];
    const fault = personFault(ctx, person.upn, amr.includes('mfa'));
    if (fault) return fault;
    return { ok: true, body: issueUserTokens(ctx, person, scope.resource, scope.permissions) };
  };

  const refreshGrant: GrantHandler = (ctx) => {
    const token = ctx.form.get('refresh_token');
    if (!token) return { ok: false, error: ctx.fail(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'refresh_token'.") };
    const record = refreshTokens.get(token);
    if (!record) return { ok: false, error: ctx.fail(400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.') };
    if (record.clientId.toLowerCase() !== ctx.client.clientId.toLowerCase()) {
      return { ok: false, error: ctx.fail(400, 'invalid_grant', 70000, 'Provided grant is invalid or malformed.') };
    }
    if (record.state === 'expired') {
      return {
        ok: false,
        error: ctx.fail(400, 'invalid_grant', 700082,
          `The refresh token has expired due to inactivity. The token was issued on ${record.issuedAt.toISOString()} and was inactive for 90.00:00:00.`,
          { suberror: 'bad_token' }),
      };
    }
    if (record.state === 'revoked') {
      return {
        ok: false,
        error: ctx.fail(400, 'invalid_grant', 50173,
          `The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '${record.issuedAt.toISOString()}' and the TokensValidFrom date (before which tokens are not valid) for this user is '${new Date().toISOString()}'.`),
      };
    }
    const fault = personFault(ctx, record.upn, false);
    if (fault) return fault;
    const scope = parseScope(ctx, deps.resources, record.resource);
    if (!scope.ok) return scope.result;
    return { ok: true, body: issueUserTokens(ctx, record, scope.resource, scope.permissions) };
  };

  return {
    handlers: { [OBO_GRANT]: onBehalfOf, refresh_token: refreshGrant },
    issueUserToken,
    expireRefreshTokens: (upn) => markRefreshTokens(upn, 'expired'),
    revoke: (upn) => markRefreshTokens(upn, 'revoked'),
    requireMfa: (upn) => void mfaRequired.add(upn.toLowerCase()),
    revokeConsent: (upn) => void consentRevoked.add(upn.toLowerCase()),
    clearFaults: (upn) => {
      mfaRequired.delete(upn.toLowerCase());
      consentRevoked.delete(upn.toLowerCase());
    },
  };
}

function consentMissing(ctx: TokenContext): GrantResult {
  return {
    ok: false,
    error: ctx.fail(400, 'invalid_grant', 65001,
      `The user or administrator has not consented to use the application with ID '${ctx.client.clientId}' named '${ctx.client.displayName ?? ctx.client.clientId}'. Send an interactive authorization request for this user and resource.`,
      { suberror: 'consent_required' }),
  };
}

type ParsedScope =
  | { readonly ok: true; readonly resource: string; readonly permissions: readonly string[] }
  | { readonly ok: false; readonly result: GrantResult };

/**
 * Reads `scope` of a user grant: one resource, as `<resource>/<permission>` or `<resource>/.default`
 * (bare permission names mean Microsoft Graph). A permission without consent is AADSTS65001.
 */
function parseScope(ctx: TokenContext, resources: readonly string[], defaultResource?: string): ParsedScope {
  const scope = ctx.form.get('scope');
  if (!scope) return { ok: false, result: { ok: false, error: ctx.fail(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'scope'.") } };
  const granted = ctx.client.delegatedScopes ?? DEFAULT_DELEGATED_SCOPES;
  const parts = scope.split(/\s+/).filter((s) => s && !OIDC_SCOPES.has(s)).map((s) => splitScope(s, defaultResource ?? resources[0]));
  const resourceSet = new Set(parts.map((p) => p.resource));
  if (parts.length === 0) {
    const resource = defaultResource ?? resources[0];
    return { ok: true, resource, permissions: [...granted] };
  }
  if (resourceSet.size > 1) {
    return { ok: false, result: { ok: false, error: ctx.fail(400, 'invalid_scope', 28000, `Provided value for the input parameter scope '${scope}' is not valid because it contains more than one resource.`) } };
  }
  const resource = parts[0].resource;
  if (!resources.includes(resource)) {
    return {
      ok: false,
      result: { ok: false, error: ctx.fail(400, 'invalid_resource', 500011, `The resource principal named ${resource} was not found in the tenant. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`) },
    };
  }
  const asked = parts.flatMap((p) => (p.permission === '.default' ? granted : [p.permission]));
  if (!asked.every((p) => granted.some((g) => g.toLowerCase() === p.toLowerCase()))) return { ok: false, result: consentMissing(ctx) };
  return { ok: true, resource, permissions: [...new Set(asked)] };
}

function splitScope(scope: string, fallbackResource: string): { resource: string; permission: string } {
  const at = scope.lastIndexOf('/');
  return at > 0 && scope.includes('://') ? { resource: scope.slice(0, at), permission: scope.slice(at + 1) } : { resource: fallbackResource, permission: scope };
}

