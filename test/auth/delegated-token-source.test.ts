import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ConfidentialClientApplication } from '@azure/msal-node';
import { createLocalCa, trustLocalCa } from '../emulators/tls/local-ca.ts';
import { startEntraEmulator } from '../emulators/entra/entra-emulator.ts';
import type { EntraEmulator } from '../emulators/entra/entra-emulator.ts';
import { createDelegatedTokenSource } from '../../server/auth/delegated-token-source.ts';
import type { DelegatedTokenSource } from '../../server/auth/delegated-token-source.ts';
import { createEncryptedCacheStore } from '../../server/auth/encrypted-cache.ts';
import { isTokenError } from '../../server/auth/token-source.ts';
import type { TokenError } from '../../server/auth/token-source.ts';
import type { LogEvent } from '../../server/domain/logger.ts';

const TENANT = '6a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
const APP = '66666666-6666-4666-8666-666666666666';
const SECRET = 'delegated~secret~value';
const GRAPH_SCOPES = ['https://graph.microsoft.com/Calendars.ReadWrite'];

let entra: EntraEmulator;
let dir: string;
let cacheDir: string;
let keyPath: string;
let logs: LogEvent[];
let people = 0;

before(async () => {
  const ca = await createLocalCa();
  trustLocalCa(ca.caPem);
  entra = await startEntraEmulator({ tls: ca, tenantId: TENANT, clients: [{ clientId: APP, secret: SECRET }] });
});
after(() => entra.close());
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'delegated-'));
  // The key apart from the data folder, as the operator is told to keep it.
  cacheDir = path.join(dir, 'data', 'people');
  keyPath = path.join(dir, 'secrets', 'token-cache.key');
  logs = [];
});
afterEach(() => {
  entra.setTokenLifetime(3599);
  rmSync(dir, { recursive: true, force: true });
});

function person() {
  people += 1;
  return { oid: `1000000${people}-aaaa-4bbb-8ccc-dddddddddddd`, upn: `Pracownik${people}@Firma.pl` };
}

/** A token source as the server builds it; each call is a new instance (a restart). */
function source(): DelegatedTokenSource {
  return createDelegatedTokenSource({
    tenantId: TENANT, clientId: APP, clientSecret: SECRET, authority: entra.url, knownAuthorities: [entra.host],
    graphResource: 'https://graph.microsoft.com', cacheDir, keyPath, logger: { log: (e) => void logs.push(e) },
  });
}

function ssoTokenOf(p: { oid: string; upn: string }, extra: { amr?: string[] } = {}): string {
  return entra.issueUserToken({ ...p, audience: `api://${APP}`, ...extra });
}

/** Grants that reached Entra while `action` ran. */
async function grantsDuring(action: () => Promise<unknown>): Promise<(string | null)[]> {
  const start = entra.tokenLog.length;
  await action();
  return entra.tokenLog.slice(start).map((e) => e.grantType);
}

async function tokenErrorOf(action: () => Promise<unknown>): Promise<TokenError> {
  try {
    await action();
  } catch (err) {
    assert.ok(isTokenError(err), `expected a TokenError, got ${JSON.stringify(err)}`);
    return err;
  }
  assert.fail('expected the call to fail');
}

function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => path.join(d.parentPath, d.name));
}

describe('delegated sign-in: msal-node refreshes from the persisted, encrypted cache', () => {
  it('a FRESH msal app loading the saved cache finds the account and refreshes with exactly one refresh-token grant', async () => {
    const p = person();
    // Access tokens shorter than msal-node's 5-minute renewal margin count as expired at once.
    entra.setTokenLifetime(120);
    const { mailbox } = await source().redeemSsoToken(ssoTokenOf(p));
    const fresh = new ConfidentialClientApplication({
      auth: { clientId: APP, authority: entra.authority, clientSecret: SECRET, knownAuthorities: [entra.host] },
      cache: { cachePlugin: createEncryptedCacheStore({ cacheDir, keyPath }).pluginFor(mailbox) },
    });
    const accounts = await fresh.getTokenCache().getAllAccounts();
    assert.equal(accounts.length, 1, 'the account from on-behalf-of is in the persisted cache');
    assert.equal(accounts[0].username.toLowerCase(), p.upn.toLowerCase());
    let token = '';
    const grants = await grantsDuring(async () => {
      token = (await fresh.acquireTokenSilent({ account: accounts[0], scopes: GRAPH_SCOPES })).accessToken;
    });
    assert.deepEqual(grants, ['refresh_token'], 'one refresh-token grant, no assertion needed');
    assert.equal(entra.verifyAccessToken(token)?.upn, p.upn);
  });

  it('getToken after a restart: served from the cache, then one refresh grant when forced', async () => {
    const p = person();
    const { mailbox, oid } = await source().redeemSsoToken(ssoTokenOf(p));
    assert.equal(mailbox, p.upn.toLowerCase());
    assert.equal(oid, p.oid);
    const restarted = source();
    let first = '';
    assert.deepEqual(await grantsDuring(async () => (first = await restarted.getToken(p.upn))), [], 'the saved access token is still valid');
    assert.equal(entra.verifyAccessToken(first)?.preferred_username, p.upn);
    let forced = '';
    assert.deepEqual(await grantsDuring(async () => (forced = await restarted.getToken(mailbox, { forceRefresh: true }))), ['refresh_token']);
    assert.notEqual(forced, first);
    const [listed] = restarted.listPeople();
    assert.equal(listed.mailbox, mailbox);
    assert.equal(listed.state, 'ok');
    assert.ok(listed.lastRefreshAt && Date.now() - Date.parse(listed.lastRefreshAt) < 60_000);
  });

  it('falls back to the cached refresh token when msal-node finds no account in the cache', async () => {
    const p = person();
    const { mailbox } = await source().redeemSsoToken(ssoTokenOf(p));
    const store = createEncryptedCacheStore({ cacheDir, keyPath });
    const cache = JSON.parse(store.read(mailbox) ?? '{}');
    store.write(mailbox, JSON.stringify({ ...cache, Account: {}, AccessToken: {}, IdToken: {} }));
    let token = '';
    assert.deepEqual(await grantsDuring(async () => (token = await source().getToken(mailbox))), ['refresh_token']);
    assert.equal(entra.verifyAccessToken(token)?.upn, p.upn);
  });

  it('one refresh for parallel requests of the same person', async () => {
    const p = person();
    entra.setTokenLifetime(120);
    const { mailbox } = await source().redeemSsoToken(ssoTokenOf(p));
    const tokens = source();
    const grants = await grantsDuring(() => Promise.all([tokens.getToken(mailbox), tokens.getToken(mailbox), tokens.getToken(mailbox)]));
    assert.deepEqual(grants, ['refresh_token']);
  });
});

describe('delegated sign-in: a refused grant pauses only that person', () => {
  it('expired refresh token → permanent AADSTS700082 naming the person; no more calls to Entra until the add-in renews', async () => {
    const p = person();
    const other = person();
    const tokens = source();
    const { mailbox } = await tokens.redeemSsoToken(ssoTokenOf(p));
    const { mailbox: otherMailbox } = await tokens.redeemSsoToken(ssoTokenOf(other));
    entra.expireRefreshTokens(p.upn);
    const err = await tokenErrorOf(() => tokens.getToken(mailbox, { forceRefresh: true }));
    assert.equal(err.code, 'AADSTS700082');
    assert.equal(err.transient, false);
    assert.ok(err.message.includes(mailbox), 'the admin text names the person');
    assert.match(err.message, /wstrzymana/);
    assert.match(err.message, /dodatek Optima w Outlooku/);
    assert.deepEqual(tokens.listPeople().map((x) => [x.mailbox, x.state, x.code]), [
      [mailbox, 'lapsed', 'AADSTS700082'],
      [otherMailbox, 'ok', undefined],
    ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
    assert.ok(logs.some((e) => e.level === 'warn' && e.mailbox === mailbox && /AADSTS700082/.test(e.message)));

    const again = await grantsDuring(async () => assert.equal((await tokenErrorOf(() => source().getToken(mailbox))).code, 'AADSTS700082'));
    assert.deepEqual(again, [], 'a paused person costs no request to Entra, also after a restart');
    assert.ok(await tokens.getToken(otherMailbox, { forceRefresh: true }), 'another person keeps syncing');

    await tokens.redeemSsoToken(ssoTokenOf(p));
    assert.ok(entra.verifyAccessToken(await tokens.getToken(mailbox, { forceRefresh: true })));
    assert.equal(tokens.listPeople().find((x) => x.mailbox === mailbox)?.state, 'ok');
  });

  it('MFA required → AADSTS50076, paused with a message about MFA', async () => {
    const p = person();
    const tokens = source();
    const { mailbox } = await tokens.redeemSsoToken(ssoTokenOf(p));
    entra.requireMfa(p.upn);
    const err = await tokenErrorOf(() => tokens.getToken(mailbox, { forceRefresh: true }));
    assert.equal(err.code, 'AADSTS50076');
    assert.match(err.message, /MFA/);
    assert.ok(err.message.includes(mailbox));
    assert.equal(tokens.listPeople()[0].state, 'lapsed');
    // The add-in's MFA sign-in renews the person.
    entra.clearFaults(p.upn);
    await tokens.redeemSsoToken(ssoTokenOf(p, { amr: ['pwd', 'mfa'] }));
    assert.ok(await tokens.getToken(mailbox));
  });

  it('revoked grant (password change) → AADSTS50173; consent withdrawn → AADSTS65001', async () => {
    for (const [apply, code] of [[(upn: string) => entra.revoke(upn), 'AADSTS50173'], [(upn: string) => entra.revokeConsent(upn), 'AADSTS65001']] as const) {
      const p = person();
      const tokens = source();
      const { mailbox } = await tokens.redeemSsoToken(ssoTokenOf(p));
      apply(p.upn);
      const err = await tokenErrorOf(() => tokens.getToken(mailbox, { forceRefresh: true }));
      assert.equal(err.code, code);
      assert.ok(err.message.includes(mailbox));
    }
  });

  it('OBO refused for MFA hands the claims challenge to the add-in', async () => {
    const p = person();
    entra.requireMfa(p.upn);
    const err = await tokenErrorOf(() => source().redeemSsoToken(ssoTokenOf(p)));
    assert.equal(err.code, 'AADSTS50076');
    const claims = (err as { claims?: string }).claims;
    assert.ok(claims && JSON.parse(claims).access_token, 'claims for acquireTokenPopup');
    assert.deepEqual(source().listPeople(), [], 'nobody stored');
  });

  it('a mailbox nobody signed in for is a clear consent-missing error', async () => {
    const err = await tokenErrorOf(() => source().getToken('nikt@firma.pl'));
    assert.equal(err.code, 'consent-missing');
    assert.equal(err.transient, false);
    assert.match(err.message, /nikt@firma\.pl.*dodatku Optima w Outlooku/);
  });

  it('a key that does not fit the caches pauses the person and says to restore the key', async () => {
    const p = person();
    const { mailbox } = await source().redeemSsoToken(ssoTokenOf(p));
    writeFileSync(keyPath, `${randomBytes(32).toString('base64')}\n`);
    const err = await tokenErrorOf(() => source().getToken(mailbox));
    assert.equal(err.code, 'cache-key-mismatch');
    assert.match(err.message, /klucz.*kopii zapasowej/);
  });
});

describe('delegated sign-in: tokens at rest and in logs', () => {
  it('never writes a token in clear text to any file, nor to the log; the key file is 0600 and apart', async () => {
    const p = person();
    const sso = ssoTokenOf(p);
    const tokens = source();
    const { mailbox } = await tokens.redeemSsoToken(sso);
    const access = await tokens.getToken(mailbox, { forceRefresh: true });
    const cache = JSON.parse(createEncryptedCacheStore({ cacheDir, keyPath }).read(mailbox) ?? '{}');
    const refreshTokens = Object.values(cache.RefreshToken as Record<string, { secret: string }>).map((r) => r.secret);
    assert.ok(refreshTokens.length > 0 && cache.Account, 'the decrypted cache does hold the account and refresh token');
    const secrets = [sso, access, ...refreshTokens, SECRET];
    const files = filesUnder(dir);
    assert.ok(files.length >= 3, `cache, index and key files: ${files.join(', ')}`);
    for (const file of files) {
      const text = readFileSync(file, 'latin1');
      for (const s of secrets) assert.ok(!text.includes(s), `${path.basename(file)} holds a token in clear`);
      assert.ok(!text.includes(p.oid) || file.endsWith('people.json'), `${path.basename(file)} reveals who it belongs to`);
    }
    assert.ok(!files.some((f) => f.toLowerCase().includes(mailbox.split('@')[0])), 'file names do not name the person');
    const logged = JSON.stringify(logs);
    for (const s of secrets) assert.ok(!logged.includes(s), 'a token was logged');
    assert.equal(statSync(keyPath).mode & 0o777, 0o600);
    assert.ok(!keyPath.startsWith(cacheDir));
  });
});

