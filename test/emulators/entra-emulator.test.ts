import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfidentialClientApplication } from '@azure/msal-node';
import { createLocalCa, trustLocalCa } from './tls/local-ca.ts';
import { createClientCertificate } from './tls/client-certificate.ts';
import type { ClientCertificate } from './tls/client-certificate.ts';
import { startEntraEmulator } from './entra/entra-emulator.ts';
import type { EntraEmulator } from './entra/entra-emulator.ts';

const TENANT = '8f0c2c59-5a43-4f5e-9d0e-6a1f2b3c4d5e';
const SECRET_APP = '11111111-1111-4111-8111-111111111111';
const CERT_APP = '22222222-2222-4222-8222-222222222222';
const EXPIRED_APP = '33333333-3333-4333-8333-333333333333';
const SCOPES = ['https://graph.microsoft.com/.default'];

let entra: EntraEmulator;
let cert: ClientCertificate;
let otherCert: ClientCertificate;

before(async () => {
  const ca = await createLocalCa();
  trustLocalCa(ca.caPem);
  [cert, otherCert] = await Promise.all([createClientCertificate(), createClientCertificate('someone-else')]);
  entra = await startEntraEmulator({
    tls: ca,
    tenantId: TENANT,
    clients: [
      { clientId: SECRET_APP, secret: 's3cret~value' },
      { clientId: CERT_APP, certificatePem: cert.certPem },
      { clientId: EXPIRED_APP, secret: 'old-secret', secretExpired: true },
    ],
  });
});
after(() => entra.close());

function app(clientId: string, credential: { clientSecret: string } | { clientCertificate: { thumbprintSha256: string; privateKey: string } }, authority = entra.authority) {
  return new ConfidentialClientApplication({ auth: { clientId, authority, knownAuthorities: [entra.host], ...credential } });
}

/** Runs `action`, which must fail, and returns the error's message. */
async function failureOf(action: () => Promise<unknown>): Promise<string> {
  try {
    await action();
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  assert.fail('expected the call to fail');
}

describe('Entra emulator with the real msal-node', () => {
  it('issues a Graph token for the client secret, which the emulator verifies', async () => {
    const result = await app(SECRET_APP, { clientSecret: 's3cret~value' }).acquireTokenByClientCredential({ scopes: SCOPES });
    assert.ok(result?.accessToken);
    const claims = entra.verifyAccessToken(result.accessToken);
    assert.equal(claims?.aud, 'https://graph.microsoft.com');
    assert.equal(claims?.tid, TENANT);
    assert.equal(claims?.appid, SECRET_APP);
    assert.deepEqual(claims?.roles, ['Calendars.ReadWrite']);
    assert.equal(claims?.iss, entra.issuer);
    assert.equal(entra.verifyAccessToken(result.accessToken.slice(0, -4) + 'AAAA'), null, 'a tampered token is refused');
  });

  it('issues a token for a certificate assertion (PS256, x5t#S256)', async () => {
    const before = entra.tokenRequests;
    const result = await app(CERT_APP, { clientCertificate: { thumbprintSha256: cert.thumbprintSha256, privateKey: cert.keyPem } }).acquireTokenByClientCredential({
      scopes: SCOPES,
    });
    assert.equal(entra.verifyAccessToken(result?.accessToken ?? '')?.appidacr, '2');
    assert.equal(entra.tokenRequests, before + 1);
  });

  it('refuses a wrong secret with AADSTS7000215', async () => {
    const message = await failureOf(() => app(SECRET_APP, { clientSecret: 'secret-id-not-value' }).acquireTokenByClientCredential({ scopes: SCOPES }));
    assert.match(message, /AADSTS7000215/);
    assert.equal(entra.tokenLog.at(-1)?.status, 401);
  });

  it('refuses an expired secret with AADSTS7000222', async () => {
    const message = await failureOf(() => app(EXPIRED_APP, { clientSecret: 'old-secret' }).acquireTokenByClientCredential({ scopes: SCOPES }));
    assert.match(message, /AADSTS7000222/);
  });

  it('refuses an assertion signed by an unregistered certificate with AADSTS700027', async () => {
    const message = await failureOf(() =>
      app(CERT_APP, { clientCertificate: { thumbprintSha256: otherCert.thumbprintSha256, privateKey: otherCert.keyPem } }).acquireTokenByClientCredential({ scopes: SCOPES }),
    );
    assert.match(message, /AADSTS700027/);
  });

  it('refuses an assertion whose key does not match the registered thumbprint with AADSTS700027', async () => {
    // Right thumbprint, wrong private key: the signature check must catch it.
    const message = await failureOf(() =>
      app(CERT_APP, { clientCertificate: { thumbprintSha256: cert.thumbprintSha256, privateKey: otherCert.keyPem } }).acquireTokenByClientCredential({ scopes: SCOPES }),
    );
    assert.match(message, /AADSTS700027/);
  });

  it('refuses an unknown app with AADSTS700016', async () => {
    const message = await failureOf(() => app('99999999-9999-4999-8999-999999999999', { clientSecret: 'x' }).acquireTokenByClientCredential({ scopes: SCOPES }));
    assert.match(message, /AADSTS700016/);
  });
});

describe('Entra emulator token endpoint (raw HTTP shapes)', () => {
  const post = (form: Record<string, string>, tenant = TENANT) =>
    fetch(`${entra.url}/${tenant}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'client-request-id': 'c0ffee00-0000-4000-8000-000000000001' },
      body: new URLSearchParams(form),
    });

  it('answers a wrong secret with the real error shape', async () => {
    const response = await post({ grant_type: 'client_credentials', client_id: SECRET_APP, client_secret: 'nope', scope: SCOPES[0], 'x-client-SKU': 'msal.js.node' });
    assert.equal(response.status, 401);
    const body = await response.json();
    assert.equal(body.error, 'invalid_client');
    assert.deepEqual(body.error_codes, [7000215]);
    assert.match(body.timestamp, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z$/);
    const lines = body.error_description.split('\r\n');
    assert.match(lines[0], /^AADSTS7000215: Invalid client secret provided/);
    assert.equal(lines[1], `Trace ID: ${body.trace_id}`);
    assert.equal(lines[2], 'Correlation ID: c0ffee00-0000-4000-8000-000000000001');
    assert.equal(lines[3], `Timestamp: ${body.timestamp}`);
    assert.equal(body.error_uri.endsWith('/error?code=7000215'), true);
  });

  it('answers a request without a credential with AADSTS7000218', async () => {
    const response = await post({ grant_type: 'client_credentials', client_id: SECRET_APP, scope: SCOPES[0] });
    assert.equal(response.status, 401);
    assert.deepEqual((await response.json()).error_codes, [7000218]);
  });

  it('answers an unknown tenant with 400 invalid_request AADSTS90002', async () => {
    const response = await post({ grant_type: 'client_credentials', client_id: SECRET_APP, client_secret: 's3cret~value', scope: SCOPES[0] }, 'no-such-tenant');
    assert.equal(response.status, 400);
    const body = await response.json();
    assert.equal(body.error, 'invalid_request');
    assert.deepEqual(body.error_codes, [90002]);
  });

  it('answers a scope without /.default with invalid_scope', async () => {
    const response = await post({ grant_type: 'client_credentials', client_id: SECRET_APP, client_secret: 's3cret~value', scope: 'Calendars.ReadWrite' });
    assert.equal(response.status, 400);
    assert.equal((await response.json()).error, 'invalid_scope');
  });

  it('publishes openid-configuration and the key that signs its tokens', async () => {
    const config = await (await fetch(`${entra.authority}/v2.0/.well-known/openid-configuration`)).json();
    assert.equal(config.issuer, entra.issuer);
    assert.equal(config.token_endpoint, `${entra.authority}/oauth2/v2.0/token`);
    const jwks = await (await fetch(config.jwks_uri)).json();
    const ok = await post({ grant_type: 'client_credentials', client_id: SECRET_APP, client_secret: 's3cret~value', scope: SCOPES[0] });
    const body = await ok.json();
    assert.deepEqual(Object.keys(body).sort(), ['access_token', 'expires_in', 'ext_expires_in', 'token_type']);
    const kid = JSON.parse(Buffer.from(body.access_token.split('.')[0], 'base64url').toString()).kid;
    assert.ok(jwks.keys.some((k: { kid: string }) => k.kid === kid));
  });
});
