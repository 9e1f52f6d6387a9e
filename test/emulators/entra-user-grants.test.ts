import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfidentialClientApplication, InteractionRequiredAuthError } from '@azure/msal-node';
import { createLocalCa, trustLocalCa } from './tls/local-ca.ts';
import { startEntraEmulator } from './entra/entra-emulator.ts';
import type { EntraEmulator } from './entra/entra-emulator.ts';
import { OBO_GRANT } from './entra/user-grants.ts';

const TENANT = '4e1d2c3b-5a69-4f7e-8d9c-0b1a2f3e4d5c';
const APP = '44444444-4444-4444-8444-444444444444';
const OTHER_APP = '55555555-5555-4555-8555-555555555555';
const SECRET = 'obo~secret~value';
const GRAPH_SCOPES = ['https://graph.microsoft.com/Calendars.ReadWrite'];

let entra: EntraEmulator;

before(async () => {
  const ca = await createLocalCa();
  trustLocalCa(ca.caPem);
  entra = await startEntraEmulator({
    tls: ca,
    tenantId: TENANT,
    clients: [
      { clientId: APP, secret: SECRET },
      { clientId: OTHER_APP, secret: SECRET, delegatedScopes: ['User.Read'] },
    ],
  });
});
after(() => entra.close());

let people = 0;
/** A new person for each test, so fault switches never leak between tests. */
function person() {
  people += 1;
  return { oid: `0000000${people}-aaaa-4bbb-8ccc-dddddddddddd`, upn: `osoba${people}@firma.pl` };
}

function app(clientId = APP) {
  return new ConfidentialClientApplication({ auth: { clientId, authority: entra.authority, clientSecret: SECRET, knownAuthorities: [entra.host] } });
}

const post = (form: Record<string, string>) =>
  fetch(`${entra.url}/${TENANT}/oauth2/v2.0/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

async function errorOf(action: () => Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await action();
  } catch (err) {
    return err as Record<string, unknown>;
  }
  assert.fail('expected the call to fail');
}

describe('Entra emulator: on-behalf-of with the real msal-node', () => {
  it('exchanges the add-in token for a delegated Graph token with the person’s account', async () => {
    const p = person();
    const sso = entra.issueUserToken({ ...p, audience: `api://${APP}` });
    const result = await app().acquireTokenOnBehalfOf({ oboAssertion: sso, scopes: GRAPH_SCOPES });
    assert.ok(result);
    const claims = entra.verifyAccessToken(result.accessToken);
    assert.equal(claims?.aud, 'https://graph.microsoft.com');
    assert.equal(claims?.scp, 'Calendars.ReadWrite');
    assert.equal(claims?.oid, p.oid);
    assert.equal(claims?.preferred_username, p.upn);
    assert.equal(claims?.tid, TENANT);
    assert.equal(result.account?.username, p.upn);
    assert.equal(result.account?.homeAccountId, `${p.oid}.${TENANT}`, 'client_info became the home account id');
    assert.equal(entra.tokenLog.at(-1)?.grantType, OBO_GRANT);
  });

  it('answers the raw OBO request with the token, refresh token, id token and client_info', async () => {
    const p = person();
    const response = await post({
      grant_type: OBO_GRANT, requested_token_use: 'on_behalf_of', client_id: APP, client_secret: SECRET,
      assertion: entra.issueUserToken({ ...p, audience: APP }), scope: 'https://graph.microsoft.com/Calendars.ReadWrite openid profile offline_access', client_info: '1',
    });
    assert.equal(response.status, 200);
    const body = await response.json();
    assert.deepEqual(Object.keys(body).sort(), ['access_token', 'client_info', 'expires_in', 'ext_expires_in', 'id_token', 'refresh_token', 'scope', 'token_type']);
    assert.deepEqual(JSON.parse(Buffer.from(body.client_info, 'base64url').toString()), { uid: p.oid, utid: TENANT });
    const id = claimsOf(body.id_token);
    assert.equal(id.aud, APP);
    assert.equal(id.preferred_username, p.upn);
  });

  it('refreshes with the refresh token, and the new token is for the same person', async () => {
    const p = person();
    const first = await (await post({
      grant_type: OBO_GRANT, requested_token_use: 'on_behalf_of', client_id: APP, client_secret: SECRET,
      assertion: entra.issueUserToken({ ...p, audience: `api://${APP}` }), scope: GRAPH_SCOPES.join(' '),
    })).json();
    const result = await app().acquireTokenByRefreshToken({ refreshToken: first.refresh_token, scopes: GRAPH_SCOPES });
    assert.equal(entra.verifyAccessToken(result?.accessToken ?? '')?.upn, p.upn);
    assert.equal(entra.tokenLog.at(-1)?.grantType, 'refresh_token');
  });

  it('refuses a token for another app’s API (50013) and an expired one (500133)', async () => {
    const p = person();
    const foreign = await errorOf(() => app().acquireTokenOnBehalfOf({ oboAssertion: entra.issueUserToken({ ...p, audience: `api://${OTHER_APP}` }), scopes: GRAPH_SCOPES }));
    assert.match(String(foreign.errorMessage), /AADSTS50013/);
    const expired = await errorOf(() => app().acquireTokenOnBehalfOf({ oboAssertion: entra.issueUserToken({ ...p, audience: `api://${APP}`, lifetimeSeconds: -600 }), scopes: GRAPH_SCOPES }));
    assert.match(String(expired.errorMessage), /AADSTS500133/);
  });

  it('refuses a permission the app has no consent for with 65001 consent_required', async () => {
    const p = person();
    const err = await errorOf(() => app(OTHER_APP).acquireTokenOnBehalfOf({ oboAssertion: entra.issueUserToken({ ...p, audience: `api://${OTHER_APP}` }), scopes: GRAPH_SCOPES }));
    assert.ok(err instanceof InteractionRequiredAuthError, 'msal-node sees an interaction-required error');
    assert.equal(err.subError, 'consent_required');
    assert.match(err.errorMessage, /AADSTS65001/);
  });
});

describe('Entra emulator: per-person faults on the refresh-token grant', () => {
  async function redeem(p: { oid: string; upn: string }): Promise<string> {
    const response = await post({
      grant_type: OBO_GRANT, requested_token_use: 'on_behalf_of', client_id: APP, client_secret: SECRET,
      assertion: entra.issueUserToken({ ...p, audience: `api://${APP}` }), scope: `${GRAPH_SCOPES[0]} offline_access`,
    });
    return (await response.json()).refresh_token;
  }
  const refresh = (refreshToken: string) => post({ grant_type: 'refresh_token', client_id: APP, client_secret: SECRET, refresh_token: refreshToken, scope: GRAPH_SCOPES[0] });

  const cases: [string, (upn: string) => void, number, string | undefined][] = [
    ['expireRefreshTokens', (upn) => entra.expireRefreshTokens(upn), 700082, 'bad_token'],
    ['requireMfa', (upn) => entra.requireMfa(upn), 50076, 'basic_action'],
    ['revokeConsent', (upn) => entra.revokeConsent(upn), 65001, 'consent_required'],
    ['revoke', (upn) => entra.revoke(upn), 50173, undefined],
  ];
  for (const [name, apply, code, suberror] of cases) {
    it(`${name} → invalid_grant AADSTS${code} for that person only`, async () => {
      const p = person();
      const bystander = person();
      const [token, other] = await Promise.all([redeem(p), redeem(bystander)]);
      apply(p.upn);
      const response = await refresh(token);
      assert.equal(response.status, 400);
      const body = await response.json();
      assert.equal(body.error, 'invalid_grant');
      assert.deepEqual(body.error_codes, [code]);
      assert.equal(body.suberror, suberror);
      assert.match(body.error_description, new RegExp(`^AADSTS${code}: .+\\r\\nTrace ID: `));
      if (code === 50076) assert.ok(JSON.parse(body.claims).access_token, 'a claims challenge comes with MFA');
      assert.equal((await refresh(other)).status, 200, 'another person is not affected');
    });
  }

  it('a new OBO after expiry gives a working refresh token; MFA is passed by an MFA sign-in', async () => {
    const p = person();
    entra.expireRefreshTokens(p.upn);
    assert.equal((await refresh(await redeem(p))).status, 200);
    entra.requireMfa(p.upn);
    const noMfa = await errorOf(() => app().acquireTokenOnBehalfOf({ oboAssertion: entra.issueUserToken({ ...p, audience: `api://${APP}` }), scopes: GRAPH_SCOPES }));
    assert.equal(noMfa.subError, 'basic_action');
    const withMfa = await app().acquireTokenOnBehalfOf({ oboAssertion: entra.issueUserToken({ ...p, audience: `api://${APP}`, amr: ['pwd', 'mfa'] }), scopes: GRAPH_SCOPES });
    assert.ok(withMfa?.accessToken);
  });
});
