import { createHash, generateKeyPairSync, sign, verify } from 'node:crypto';
import type { JsonWebKey, KeyObject } from 'node:crypto';

/** The emulator's token-signing key (RS256), made at start and published as a JWKS. */
export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** Public JWK as served at `/discovery/v2.0/keys`. */
  readonly jwk: JsonWebKey & { readonly kid: string; readonly use: 'sig'; readonly alg: 'RS256' };
}

export type JwtClaims = Readonly<Record<string, unknown>>;

/** Creates an RSA-2048 signing key; its kid is a hash of the public key, like Entra's x5t. */
export function createSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const kid = createHash('sha1').update(der).digest('base64url');
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, x5t: kid, use: 'sig' as const, alg: 'RS256' as const };
  return { kid, privateKey, publicKey, jwk };
}

/** Signs `claims` as a compact RS256 JWT (synchronous: node:crypto, no jose). */
export function signJwt(key: SigningKey, claims: JwtClaims): string {
  const header = { typ: 'JWT', alg: 'RS256', kid: key.kid, x5t: key.kid };
  const input = `${encodeSegment(header)}.${encodeSegment(claims)}`;
  const signature = sign('sha256', Buffer.from(input), key.privateKey).toString('base64url');
  return `${input}.${signature}`;
}

export interface VerifyExpectations {
  readonly issuer: string;
  readonly audiences: readonly string[];
  /** Clock skew tolerated on `nbf`/`exp`, seconds. */
  readonly skewSeconds: number;
}

/**
 * Verifies an RS256 JWT signed by `key`: signature, `iss`, `aud`, `nbf`, `exp`. Returns the
 * claims, or null for anything wrong (the Graph emulator answers 401 then). Synchronous so the
 * Graph emulator can call it on every request cheaply.
 */
export function verifyJwt(key: SigningKey, token: string, expect: VerifyExpectations): JwtClaims | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [headerPart, payloadPart, signaturePart] = parts;
  const header = decodeSegment(headerPart);
  const claims = decodeSegment(payloadPart);
  if (!header || !claims || header.alg !== 'RS256') return null;
  const valid = verify('sha256', Buffer.from(`${headerPart}.${payloadPart}`), key.publicKey, Buffer.from(signaturePart, 'base64url'));
  if (!valid) return null;
  const now = Math.floor(Date.now() / 1000);
  if (claims.iss !== expect.issuer) return null;
  if (typeof claims.aud !== 'string' || !expect.audiences.includes(claims.aud)) return null;
  if (typeof claims.exp !== 'number' || claims.exp + expect.skewSeconds < now) return null;
  if (typeof claims.nbf === 'number' && claims.nbf - expect.skewSeconds > now) return null;
  return claims;
}

function encodeSegment(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** Decodes a JWT segment into an object, or null when it is not one (never throws). */
export function decodeSegment(segment: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
