import { X509Certificate, createHash, timingSafeEqual } from 'node:crypto';
import { errors as joseErrors, jwtVerify } from 'jose';
import { createEntraError } from './entra-errors.ts';
import type { EntraError } from './entra-errors.ts';
import { decodeSegment } from './signing-key.ts';

/** An app registration known to the emulated tenant. */
export interface EntraClient {
  readonly clientId: string;
  /** Client secret value; absent = the app has no secret. */
  readonly secret?: string;
  /** The secret exists but has expired (AADSTS7000222). */
  readonly secretExpired?: boolean;
  /** Registered certificate (PEM); client assertions must be signed by its key. */
  readonly certificatePem?: string;
  /** Application permissions granted (default `['Calendars.ReadWrite']`). */
  readonly roles?: readonly string[];
  /** Delegated Graph permissions with (admin) consent (default `['Calendars.ReadWrite', 'User.Read']`). */
  readonly delegatedScopes?: readonly string[];
  readonly displayName?: string;
}

export interface ClientAuthContext {
  readonly tokenEndpoint: string;
  readonly errorUriBase: string;
  readonly correlationId: string | undefined;
}

export type ClientAuthResult =
  | { readonly ok: true; readonly method: 'secret' | 'certificate' }
  | { readonly ok: false; readonly error: EntraError };

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** Entra tolerates five minutes of clock skew on assertions. */
const SKEW_SECONDS = 300;

/**
 * Checks the client credential in a token request: `client_secret`, or a certificate
 * `client_assertion` (RS256 with `x5t`, or PS256 with `x5t#S256` as msal-node sends) whose
 * signature, `aud` (= token endpoint), `iss` = `sub` = client id and validity window hold.
 */
export async function authenticateClient(form: URLSearchParams, client: EntraClient, ctx: ClientAuthContext): Promise<ClientAuthResult> {
  const fail = (aadsts: number, message: string): ClientAuthResult => ({
    ok: false,
    error: createEntraError(401, 'invalid_client', aadsts, message, ctx.errorUriBase, ctx.correlationId),
  });
  const assertion = form.get('client_assertion');
  const secret = form.get('client_secret');
  if (assertion !== null) {
    if (form.get('client_assertion_type') !== JWT_BEARER) {
      return {
        ok: false,
        error: createEntraError(400, 'invalid_request', 700025, `The client_assertion_type must be '${JWT_BEARER}'.`, ctx.errorUriBase, ctx.correlationId),
      };
    }
    return verifyAssertion(assertion, client, ctx, fail);
  }
  if (secret !== null) {
    if (client.secret === undefined || !sameText(secret, client.secret)) {
      return fail(
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${client.clientId}'.`,
      );
    }
    if (client.secretExpired) {
      return fail(
        7000222,
        `The provided client secret keys for app '${client.clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`,
      );
    }
    return { ok: true, method: 'secret' };
  }
  return fail(7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
}

async function verifyAssertion(
  assertion: string,
  client: EntraClient,
  ctx: ClientAuthContext,
  fail: (aadsts: number, message: string) => ClientAuthResult,
): Promise<ClientAuthResult> {
  const header = decodeSegment(assertion.split('.')[0] ?? '');
  if (!header) return fail(700027, 'Client assertion failed signature validation. [Reason - The assertion is not a valid JWT.]');
  const certificate = client.certificatePem ? new X509Certificate(client.certificatePem) : null;
  const presented = typeof header['x5t#S256'] === 'string' ? header['x5t#S256'] : typeof header.x5t === 'string' ? header.x5t : null;
  if (!certificate || (presented !== null && !matchesThumbprint(certificate, presented))) {
    return fail(
      700027,
      `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${presented ?? ''}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${client.clientId}'.]`,
    );
  }
  try {
    await jwtVerify(assertion, certificate.publicKey, {
      algorithms: ['RS256', 'PS256'],
      audience: ctx.tokenEndpoint,
      issuer: client.clientId,
      subject: client.clientId,
      clockTolerance: SKEW_SECONDS,
      requiredClaims: ['exp', 'aud', 'iss', 'sub'],
    });
    return { ok: true, method: 'certificate' };
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired || (error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'nbf')) {
      return fail(700024, `Client assertion is not within its valid time range. Current time: ${new Date().toISOString()}.`);
    }
    if (error instanceof joseErrors.JWTClaimValidationFailed) {
      return fail(700027, `Client assertion failed validation. [Reason - The '${error.claim}' claim is not valid for app '${client.clientId}'.]`);
    }
    return fail(700027, 'Client assertion contains an invalid signature. [Reason - The signature does not match the registered certificate.]');
  }
}

function matchesThumbprint(certificate: X509Certificate, presented: string): boolean {
  const sha256 = createHash('sha256').update(certificate.raw).digest('base64url');
  const sha1 = createHash('sha1').update(certificate.raw).digest('base64url');
  return presented === sha256 || presented === sha1;
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
