import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import https from 'node:https';
import { ConfidentialClientApplication } from '@azure/msal-node';
import { createLocalCa, trustLocalCa } from './tls/local-ca.ts';
import type { LocalCa } from './tls/local-ca.ts';
import { startEntraEmulator } from './entra/entra-emulator.ts';
import type { EntraEmulator } from './entra/entra-emulator.ts';

const TENANT = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const CLIENT = 'ab12cd34-ef56-4a78-9b0c-d1e2f3a4b5c6';

let ca: LocalCa;
let entra: EntraEmulator;

before(async () => {
  ca = await createLocalCa();
  entra = await startEntraEmulator({ tls: ca, tenantId: TENANT, clients: [{ clientId: CLIENT, secret: 'pssst' }] });
});
after(() => entra.close());

const acquire = () =>
  new ConfidentialClientApplication({
    auth: { clientId: CLIENT, authority: entra.authority, clientSecret: 'pssst', knownAuthorities: [entra.host] },
  }).acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] });

function httpsGet(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    https.get(url, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}

describe('local CA', () => {
  it('issues a localhost / 127.0.0.1 certificate signed by the CA', () => {
    const leaf = new X509Certificate(ca.certPem);
    const root = new X509Certificate(ca.caPem);
    assert.match(leaf.subjectAltName ?? '', /DNS:localhost/);
    assert.match(leaf.subjectAltName ?? '', /IP Address:127\.0\.0\.1/);
    assert.equal(leaf.verify(root.publicKey), true);
    assert.equal(root.ca, true);
    assert.equal(leaf.ca, false);
  });

  // One test, in order: the CA can be trusted only once per process.
  it('is refused by fetch and msal-node until trustLocalCa, then accepted by both', async () => {
    const discovery = `${entra.authority}/v2.0/.well-known/openid-configuration`;
    await assert.rejects(fetch(discovery), (error: Error & { cause?: { code?: string } }) => {
      assert.match(error.cause?.code ?? '', /CERT|SIGNED|VERIFY/);
      return true;
    });
    await assert.rejects(acquire());
    await assert.rejects(httpsGet(discovery));

    trustLocalCa(ca.caPem);
    trustLocalCa(ca.caPem);

    assert.equal((await fetch(discovery)).status, 200);
    assert.equal(await httpsGet(discovery), 200);
    assert.equal(await httpsGet(`https://127.0.0.1:${new URL(entra.url).port}/${TENANT}/v2.0/.well-known/openid-configuration`), 200);
    const result = await acquire();
    assert.ok(entra.verifyAccessToken(result?.accessToken ?? ''));
  });
});
