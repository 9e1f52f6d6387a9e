import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { createRemoteJWKSet, decodeJwt, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { sendAddinError, type AddinFailure } from './addin-errors.ts';

/** Who called an add-in route, from a verified token. Kept in `res.locals.user`. */
export interface AddinUser {
  readonly oid: string;
  /** `preferred_username` (v2) or `upn` (v1), lower case. */
  readonly mailbox: string;
  readonly name: string;
  readonly isAdmin: boolean;
  /** The bearer token itself, for on-behalf-of. Never logged, never echoed. */
  readonly token: string;
}

export interface AddinAuthOptions {
  readonly tenantId: string;
  readonly clientId: string;
  /** Accepted `aud` values (config `addin.audiences`). */
  readonly audiences: readonly string[];
  /** Accepted `iss` values; default v2 `${authority}/${tenantId}/v2.0` and, for Microsoft's own host, v1 `https://sts.windows.net/${tenantId}/`. */
  readonly issuers?: readonly string[];
  /** Login base without the tenant (config `microsoft.authority`). */
  readonly authority: string;
  /** Default `${authority}/${tenantId}/discovery/v2.0/keys`. */
  readonly jwksUrl?: string;
  /** Key lookup in place of the remote key set (tests). */
  readonly keys?: JWTVerifyGetKey;
  readonly adminRole: string;
  readonly adminGroupIds: readonly string[];
  readonly adminMailboxes: readonly string[];
  /** Scope the add-in asks for (default `access_as_user`). */
  readonly requiredScope?: string;
  /** Seconds of clock difference tolerated on `exp`/`nbf` (default 120). */
  readonly clockToleranceSeconds?: number;
}

export interface AddinAuth {
  /** Verifies the bearer token; sets `res.locals.user` (an `AddinUser`) or answers 401/403. */
  readonly requireUser: RequestHandler;
  /** Lets admins through, answers 403 `forbidden` to everyone else (verifies the token first when `requireUser` did not run). */
  readonly requireAdmin: RequestHandler;
  /** Verifies one token (for routes and tests); a refusal is thrown as an `AddinFailure`. */
  verify(token: string): Promise<AddinUser>;
}

/**
 * Bearer-token check of the add-in API (reference outlook-addin.md §9.1): signature from the
 * tenant's published keys (RS256 only), issuer, audience, expiry/not-before with a small clock
 * tolerance, the tenant id, and the `access_as_user` scope. Admins: the configured app role in
 * `roles`, a configured group in `groups`, or a configured mailbox.
 */
export function createAddinAuth(options: AddinAuthOptions): AddinAuth {
  const authority = options.authority.replace(/\/+$/, '');
  const tenantId = options.tenantId.toLowerCase();
  const issuers = options.issuers ?? [
    `${authority}/${options.tenantId}/v2.0`,
    ...(new URL(authority).hostname === 'login.microsoftonline.com' ? [`https://sts.windows.net/${options.tenantId}/`] : []),
  ];
  const keys = options.keys ?? createRemoteJWKSet(new URL(options.jwksUrl ?? `${authority}/${options.tenantId}/discovery/v2.0/keys`));
  const scope = options.requiredScope ?? 'access_as_user';
  const groups = new Set(options.adminGroupIds.map((g) => g.toLowerCase()));
  const adminMailboxes = new Set(options.adminMailboxes.map((m) => m.toLowerCase()));

  async function verify(token: string): Promise<AddinUser> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: [...issuers], audience: [...options.audiences], algorithms: ['RS256'],
        clockTolerance: options.clockToleranceSeconds ?? 120, requiredClaims: ['exp', 'tid', 'oid'],
      }));
    } catch (err) {
      throw describeRefusal(err, token, tenantId);
    }
    if (String(payload.tid).toLowerCase() !== tenantId) throw otherTenant();
    const scopes = typeof payload.scp === 'string' ? payload.scp.split(' ') : [];
    if (!scopes.includes(scope)) {
      throw {
        code: 'forbidden',
        message: `Token nie zawiera uprawnienia ${scope} — dodatek musi prosić o zakres api://…/${options.clientId}/${scope}.`,
        messageEn: `The token lacks the ${scope} scope — the add-in must request api://…/${options.clientId}/${scope}.`,
      } satisfies AddinFailure;
    }
    const mailbox = String(payload.preferred_username ?? payload.upn ?? payload.email ?? '').toLowerCase();
    if (!mailbox) {
      throw {
        code: 'unauthenticated',
        message: 'Token nie wskazuje osoby (brak preferred_username i upn) — zaloguj się w Outlooku kontem firmowym.',
        messageEn: 'The token names no person (no preferred_username or upn) — sign in to Outlook with a work account.',
      } satisfies AddinFailure;
    }
    const roles = Array.isArray(payload.roles) ? payload.roles.map(String) : [];
    const tokenGroups = Array.isArray(payload.groups) ? payload.groups.map((g) => String(g).toLowerCase()) : [];
    const isAdmin = roles.includes(options.adminRole) || tokenGroups.some((g) => groups.has(g)) || adminMailboxes.has(mailbox);
    return { oid: String(payload.oid), mailbox, name: typeof payload.name === 'string' ? payload.name : mailbox, isAdmin, token };
  }

  const requireUser: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) {
      sendAddinError(res, {
        code: 'unauthenticated',
        message: 'Brak tokenu logowania — otwórz dodatek w Outlooku i zaloguj się kontem firmowym.',
        messageEn: 'No sign-in token — open the add-in in Outlook and sign in with your work account.',
      });
      return;
    }
    verify(match[1]).then((user) => {
      res.locals.user = user;
      next();
    }, (failure: AddinFailure) => sendAddinError(res, failure));
  };

  const requireAdmin: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
    // Usable alone too: without a verified user yet, it verifies the token first.
    if (!res.locals.user) {
      requireUser(req, res, () => requireAdmin(req, res, next));
      return;
    }
    const user = res.locals.user as AddinUser;
    if (user.isAdmin) {
      next();
      return;
    }
    sendAddinError(res, {
      code: 'forbidden',
      message: `To wymaga uprawnień administratora dodatku (rola aplikacji ${options.adminRole} w Entra ID albo grupa administratorów z konfiguracji).`,
      messageEn: `This needs add-in admin rights (the ${options.adminRole} app role in Entra ID, or an admin group from the configuration).`,
    });
  };

  return { requireUser, requireAdmin, verify };
}

function otherTenant(): AddinFailure {
  return {
    code: 'unauthenticated',
    message: 'Token pochodzi z innej organizacji (dzierżawy) Microsoft 365 niż ta, dla której skonfigurowano serwer — zaloguj się kontem firmowym.',
    messageEn: 'The token comes from another Microsoft 365 organization (tenant) than the server is configured for — sign in with your work account.',
  };
}

/** Why jose refused the token, in words; the token's contents are only decoded to name the reason. */
function describeRefusal(err: unknown, token: string, tenantId: string): AddinFailure {
  let claims: JWTPayload | null = null;
  try {
    claims = decodeJwt(token);
  } catch {
    claims = null;
  }
  if (claims && typeof claims.tid === 'string' && claims.tid.toLowerCase() !== tenantId) return otherTenant();
  if (err instanceof joseErrors.JWTExpired) {
    return {
      code: 'unauthenticated',
      message: 'Token logowania wygasł — odśwież dodatek, aby pobrać nowy.',
      messageEn: 'The sign-in token has expired — refresh the add-in to get a new one.',
    };
  }
  if (err instanceof joseErrors.JWTClaimValidationFailed && err.claim === 'aud') {
    return {
      code: 'unauthenticated',
      message: 'Token jest wystawiony dla innej aplikacji (odbiorca aud) — dodatek musi prosić o token dla interfejsu API tego serwera (api://…/<clientId>); sprawdź addin.audience w konfiguracji.',
      messageEn: 'The token is for another application (aud) — the add-in must request a token for this server\'s API (api://…/<clientId>); check addin.audience in the configuration.',
    };
  }
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    return {
      code: 'unauthenticated',
      message: `Token ma nieprawidłowe pole ${err.claim} — zaloguj się ponownie w dodatku.`,
      messageEn: `The token has an invalid ${err.claim} claim — sign in to the add-in again.`,
    };
  }
  if (err instanceof joseErrors.JOSEError && !(err instanceof joseErrors.JWKSTimeout)) {
    return {
      code: 'unauthenticated',
      message: 'Token logowania jest nieprawidłowy (podpis nie pochodzi od Entra ID tej organizacji) — zaloguj się ponownie w dodatku.',
      messageEn: 'The sign-in token is not valid (not signed by this organization\'s Entra ID) — sign in to the add-in again.',
    };
  }
  return {
    code: 'internal',
    message: 'Nie udało się sprawdzić tokenu: serwer nie pobrał kluczy podpisu Entra ID — sprawdź połączenie serwera z login.microsoftonline.com i spróbuj ponownie.',
    messageEn: 'Could not check the token: the server did not get Entra ID\'s signing keys — check the server\'s connection to login.microsoftonline.com and try again.',
  };
}
