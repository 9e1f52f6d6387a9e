import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createLocalCa, trustLocalCa } from '../emulators/tls/local-ca.ts';
import { createClientCertificate } from '../emulators/tls/client-certificate.ts';
import type { ClientCertificate } from '../emulators/tls/client-certificate.ts';
import { startEntraEmulator } from '../emulators/entra/entra-emulator.ts';
import type { EntraEmulator } from '../emulators/entra/entra-emulator.ts';
import { createClientCredentialsTokenSource } from '../../server/auth/client-credentials.ts';
import type { ClientCredentialsOptions } from '../../server/auth/client-credentials.ts';
import { isTokenError } from '../../server/auth/token-source.ts';
import type { TokenError } from '../../server/auth/token-source.ts';
import { describeAuthError } from '../../server/auth/describe-auth-error.ts';

const TENANT = '5b0e9a57-3f7c-4d1e-8a2b-9c8d7e6f5a41';
const SECRET_APP = 'a1111111-1111-4111-8111-111111111111';
const CERT_APP = 'a2222222-2222-4222-8222-222222222222';
const EXPIRED_APP = 'a3333333-3333-4333-8333-333333333333';
const SECRET = 'Qx8~tajny.sekret-wartosc';

let entra: EntraEmulator;
let cert: ClientCertificate;

before(async () => {
  const ca = await createLocalCa();
  trustLocalCa(ca.caPem);
  cert = await createClientCertificate();
  entra = await startEntraEmulator({
    tls: ca,
    tenantId: TENANT,
    clients: [
      { clientId: SECRET_APP, secret: SECRET },
      { clientId: CERT_APP, certificatePem: cert.certPem },
      { clientId: EXPIRED_APP, secret: 'old-secret-value', secretExpired: true },
    ],
    resources: ['https://graph.microsoft.com', 'https://graph.microsoft.us'],
  });
});
after(() => entra.close());

function source(overrides: Partial<ClientCredentialsOptions> = {}) {
  return createClientCredentialsTokenSource({
    tenantId: TENANT,
    clientId: SECRET_APP,
    clientSecret: SECRET,
    authority: entra.url,
    knownAuthorities: [entra.host],
    graphBaseUrl: 'https://graph.microsoft.com/v1.0',
    ...overrides,
  });
}

async function tokenErrorOf(action: () => Promise<unknown>): Promise<TokenError> {
  try {
    await action();
  } catch (err) {
    assert.ok(isTokenError(err), `expected a TokenError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the call to fail');
}

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

describe('client-credentials TokenSource against the Entra emulator', () => {
  it('gets a Graph token with a secret, and caches it across mailboxes', async () => {
    const tokens = source();
    const before = entra.tokenRequests;
    const first = await tokens.getToken('anna@firma.pl');
    const second = await tokens.getToken('jan@firma.pl');
    assert.equal(entra.verifyAccessToken(first)?.appid, SECRET_APP);
    assert.equal(second, first, 'app-only: one token for every mailbox');
    assert.equal(entra.tokenRequests - before, 1, 'the second call came from msal-node’s cache');
  });

  it('asks Entra again when forced (after Graph refused the cached token)', async () => {
    const tokens = source();
    const before = entra.tokenRequests;
    await tokens.getToken('anna@firma.pl');
    const fresh = await tokens.getToken('anna@firma.pl', { forceRefresh: true });
    assert.equal(entra.tokenRequests - before, 2);
    assert.ok(entra.verifyAccessToken(fresh));
  });

  it('gets a token with a certificate (PS256 assertion, SHA-256 thumbprint)', async () => {
    const tokens = source({ clientId: CERT_APP, clientSecret: undefined, certificate: { privateKeyPem: cert.keyPem, thumbprintSha256: cert.thumbprintSha256 } });
    const token = await tokens.getToken('anna@firma.pl');
    assert.equal(entra.verifyAccessToken(token)?.appid, CERT_APP);
    assert.equal(claimsOf(token).appidacr, '2', 'authenticated by certificate');
  });

  it('asks for the national cloud’s Graph when graphBaseUrl points there', async () => {
    const token = await source({ graphBaseUrl: 'https://graph.microsoft.us' }).getToken('anna@firma.pl');
    assert.equal(claimsOf(token).aud, 'https://graph.microsoft.us');
  });

  it('asks for the resource an emulator stands in for when told so', async () => {
    const token = await source({ graphBaseUrl: 'https://localhost:1/v1.0', graphResource: 'https://graph.microsoft.com' }).getToken('x@firma.pl');
    assert.equal(claimsOf(token).aud, 'https://graph.microsoft.com');
  });

  it('a wrong secret is a permanent AADSTS7000215 naming the fix, without the secret', async () => {
    const wrong = 'Zly~sekret.123456';
    const err = await tokenErrorOf(() => source({ clientSecret: wrong }).getToken('anna@firma.pl'));
    assert.equal(err.code, 'AADSTS7000215');
    assert.equal(err.transient, false);
    assert.match(err.message, /WARTOŚĆ sekretu/);
    assert.ok(!err.message.includes(wrong));
  });

  it('an expired secret says to create a new one', async () => {
    const err = await tokenErrorOf(() => source({ clientId: EXPIRED_APP, clientSecret: 'old-secret-value' }).getToken('anna@firma.pl'));
    assert.equal(err.code, 'AADSTS7000222');
    assert.match(err.message, /wygasł/);
  });

  it('a certificate Entra does not know is AADSTS700027', async () => {
    const other = await createClientCertificate('someone-else');
    const err = await tokenErrorOf(() =>
      source({ clientId: CERT_APP, clientSecret: undefined, certificate: { privateKeyPem: other.keyPem, thumbprintSha256: other.thumbprintSha256 } }).getToken('a@firma.pl'),
    );
    assert.equal(err.code, 'AADSTS700027');
    assert.equal(err.transient, false);
    assert.match(err.message, /certyfikat/);
  });

  it('an unknown application is AADSTS700016, an unknown tenant AADSTS90002', async () => {
    const app = await tokenErrorOf(() => source({ clientId: 'b9999999-9999-4999-8999-999999999999' }).getToken('a@firma.pl'));
    assert.equal(app.code, 'AADSTS700016');
    assert.match(app.message, /clientId/);
    const tenant = await tokenErrorOf(() => source({ tenantId: 'c0000000-0000-4000-8000-000000000000' }).getToken('a@firma.pl'));
    assert.equal(tenant.code, 'AADSTS90002');
    assert.match(tenant.message, /tenantId/);
  });

  it('an unreachable login server is transient', async () => {
    const err = await tokenErrorOf(() => source({ authority: 'https://localhost:9', knownAuthorities: ['localhost:9'] }).getToken('a@firma.pl'));
    assert.equal(err.code, 'network');
    assert.equal(err.transient, true);
  });

  it('no credential at all is refused when the source is made', () => {
    assert.throws(() => source({ clientSecret: undefined }), (err: unknown) => isTokenError(err) && err.code === 'missing-credential');
  });
});

describe('describeAuthError', () => {
  const serverError = (errorNo: string, errorCode: string, status: number) => ({ errorCode, errorNo, errorMessage: `AADSTS${errorNo}: text`, status });

  it('names a fix for each code an operator meets', () => {
    const cases: [string, string, RegExp][] = [
      ['7000218', 'invalid_client', /poświadcze/],
      ['65001', 'invalid_grant', /zgod/],
      ['50076', 'invalid_grant', /MFA/],
      ['700082', 'invalid_grant', /dodatek/],
      ['50173', 'invalid_grant', /Udziel zgody/],
    ];
    for (const [no, error, fix] of cases) {
      const d = describeAuthError(serverError(no, error, 400));
      assert.equal(d.code, `AADSTS${no}`);
      assert.equal(d.transient, false);
      assert.match(d.message, fix, no);
    }
  });

  it('reads the code from the message when errorNo is missing, and treats 5xx and network as transient', () => {
    assert.equal(describeAuthError({ errorCode: 'invalid_client', errorMessage: 'Error(s): 7000215 - Description: AADSTS7000215: Invalid' }).code, 'AADSTS7000215');
    assert.equal(describeAuthError({ errorCode: 'temporarily_unavailable', status: 503 }).transient, true);
    assert.equal(describeAuthError({ errorCode: 'network_error', errorMessage: 'Network request failed' }).transient, true);
    assert.equal(describeAuthError({ errorCode: 'untrusted_authority' }).transient, false);
  });
});
