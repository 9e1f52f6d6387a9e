import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { createLocalCa, trustLocalCa } from '../emulators/tls/local-ca.ts';
import { createClientCertificate } from '../emulators/tls/client-certificate.ts';
import type { ClientCertificate } from '../emulators/tls/client-certificate.ts';
import { startEntraEmulator } from '../emulators/entra/entra-emulator.ts';
import type { EntraEmulator } from '../emulators/entra/entra-emulator.ts';
import { startGraphEmulator } from '../emulators/graph/graph-emulator.ts';
import type { GraphEmulator } from '../emulators/graph/graph-emulator.ts';
import { runAuthStatus } from '../../server/cli/auth-command.ts';
import type { AuthStatusOptions } from '../../server/cli/auth-command.ts';
import { createDelegatedTokenSource } from '../../server/auth/delegated-token-source.ts';

const TENANT = '7b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e';
const SECRET_APP = '77777777-7777-4777-8777-777777777777';
const CERT_APP = '88888888-8888-4888-8888-888888888888';
const READ_APP = '99999999-9999-4999-8999-999999999999';
const SECRET = 'status~secret~value~1234';
const MAILBOXES = ['serwis@firma.pl', 'anna@firma.pl', 'jan@firma.pl'];

let entra: EntraEmulator;
let graph: GraphEmulator;
let cert: ClientCertificate;
let dir: string;

before(async () => {
  const ca = await createLocalCa();
  trustLocalCa(ca.caPem);
  cert = await createClientCertificate();
  entra = await startEntraEmulator({ tls: ca, tenantId: TENANT, clients: [{ clientId: SECRET_APP, secret: SECRET }, { clientId: CERT_APP, certificatePem: cert.certPem }, { clientId: READ_APP, secret: SECRET, roles: ['Calendars.Read'] }] });
  graph = await startGraphEmulator({ tls: ca, verifyToken: entra.verifyAccessToken, mailboxes: MAILBOXES });
  dir = mkdtempSync(path.join(tmpdir(), 'auth-status-'));
});
after(async () => {
  await Promise.all([graph.close(), entra.close()]);
  rmSync(dir, { recursive: true, force: true });
});

let configs = 0;
/** Writes a config pointing at the emulators; `microsoft` overrides the sign-in part. */
function writeConfig(microsoft: Record<string, unknown>, mailboxes: Record<string, unknown> = { default: 'serwis@firma.pl' }): string {
  configs += 1;
  const file = path.join(dir, `config-${configs}.yaml`);
  writeFileSync(file, stringify({
    source: { type: 'sqlite', sqlite: { companyDb: path.join(dir, 'firma.db'), configDb: path.join(dir, 'konfig.db') } },
    microsoft: { tenantId: TENANT, clientId: SECRET_APP, clientSecret: SECRET, authority: entra.url, graphBaseUrl: graph.url, graphResource: 'https://graph.microsoft.com', ...microsoft },
    mailboxes,
    server: { dataDir: path.join(dir, `data-${configs}`) },
  }));
  return file;
}

async function status(options: AuthStatusOptions): Promise<{ code: number; out: string; rows: string[] }> {
  let out = '';
  const code = await runAuthStatus({ ...options, write: (t) => void (out += t) });
  return { code, out, rows: out.trim().split('\n') };
}

const rowOf = (rows: readonly string[], prefix: string) => rows.find((r) => r.startsWith(prefix)) ?? '';

describe('auth status, application mode', () => {
  it('secret: mode, a token now with its permissions, secret expiry, each mailbox writable; exit 0; no secret printed', async () => {
    const expires = new Date(Date.now() + 200 * 86_400_000);
    const { code, out, rows } = await status({ configPath: writeConfig({}, { default: 'serwis@firma.pl', map: { 'pracownik:1': 'anna@firma.pl' } }), secretExpiresAt: expires.toISOString() });
    assert.equal(code, 0, out);
    assert.match(rowOf(rows, 'tryb'), /aplikacja.*sekret klienta/);
    assert.match(rowOf(rows, 'token aplikacji'), /\sOK\s.*Calendars\.ReadWrite/);
    assert.match(rowOf(rows, 'sekret klienta'), /\sOK\s.*zostało (199|200) dni/);
    assert.match(rowOf(rows, 'skrzynka anna@firma.pl'), /\sOK\s+odczyt i zapis/);
    assert.match(rowOf(rows, 'skrzynka serwis@firma.pl'), /\sOK\s/);
    assert.ok(!out.includes(SECRET), 'the secret is not printed');
    assert.ok(!/eyJ[\w-]+\.[\w-]+/.test(out), 'no token is printed');
  });

  it('a wrong secret: the token row says what to fix, mailboxes are not tried, exit 1', async () => {
    const wrong = 'wrong~secret~value~5678';
    const { code, out, rows } = await status({ configPath: writeConfig({ clientSecret: wrong }) });
    assert.equal(code, 1);
    assert.match(rowOf(rows, 'token aplikacji'), /BŁĄD.*WARTOŚĆ sekretu/);
    assert.match(rowOf(rows, 'skrzynka serwis@firma.pl'), /BŁĄD.*nie sprawdzono/);
    assert.match(rowOf(rows, 'sekret klienta'), /INFO.*Wygasa/);
    assert.ok(!out.includes(wrong));
  });

  it('a mailbox Graph does not know is BŁĄD on its own row', async () => {
    const { code, rows } = await status({ configPath: writeConfig({}, { default: 'serwis@firma.pl', map: { 'pracownik:2': 'nieznany@firma.pl' } }) });
    assert.equal(code, 1);
    assert.match(rowOf(rows, 'skrzynka serwis@firma.pl'), /\sOK\s/);
    assert.match(rowOf(rows, 'skrzynka nieznany@firma.pl'), /\sBŁĄD\s+\S/);
  });

  it('a token with only Calendars.Read: the token row names the missing permission, the mailbox is BŁĄD', async () => {
    const { code, rows } = await status({ configPath: writeConfig({ clientId: READ_APP }) });
    assert.equal(code, 1);
    assert.match(rowOf(rows, 'token aplikacji'), /OK.*Calendars\.Read — brak Calendars\.ReadWrite/);
    assert.match(rowOf(rows, 'skrzynka serwis@firma.pl'), /\sBŁĄD\s+\S/);
  });

  it('certificate: expiry read from the PEM, days left; near the end UWAGA, past it BŁĄD', async () => {
    const pemPath = path.join(dir, 'app.pem');
    writeFileSync(pemPath, `${cert.keyPem}\n${cert.certPem}`);
    const configPath = writeConfig({ clientId: CERT_APP, clientSecret: null, certificate: { path: pemPath } });
    const validTo = new Date(new X509Certificate(cert.certPem).validTo);
    const ok = await status({ configPath });
    assert.equal(ok.code, 0, ok.out);
    assert.match(rowOf(ok.rows, 'tryb'), /aplikacja.*certyfikat/);
    assert.ok(rowOf(ok.rows, 'certyfikat').includes(`ważny do ${validTo.toISOString().slice(0, 10)}`), ok.out);
    assert.match(rowOf(ok.rows, 'token aplikacji'), /\sOK\s/);
    const soon = await status({ configPath, now: () => new Date(validTo.getTime() - 10.5 * 86_400_000) });
    assert.match(rowOf(soon.rows, 'certyfikat'), /UWAGA.*zostało 10 dni.*Certyfikaty i wpisy tajne/);
    const late = await status({ configPath, now: () => new Date(validTo.getTime() + 3 * 86_400_000) });
    const few = await status({ configPath, now: () => new Date(validTo.getTime() - 3.5 * 86_400_000) });
    assert.match(rowOf(few.rows, 'certyfikat'), /UWAGA.*zostały 3 dni/);
    assert.match(rowOf(late.rows, 'certyfikat'), /BŁĄD.*wygasł/);
    assert.equal(late.code, 1);
  });
});

describe('auth status, delegated mode', () => {
  it('lists each person: an active one OK, one whose refresh token expired BŁĄD naming the fix', async () => {
    const configPath = writeConfig({}, { default: null, unassigned: 'skip' });
    const cacheDir = path.join(dir, 'people');
    const keyPath = path.join(dir, 'keys', 'cache.key');
    const tokens = createDelegatedTokenSource({
      tenantId: TENANT, clientId: SECRET_APP, clientSecret: SECRET, authority: entra.url, knownAuthorities: [entra.host],
      graphResource: 'https://graph.microsoft.com', cacheDir, keyPath,
    });
    // Short-lived access tokens: the status check has to refresh, so it meets the expired grant.
    entra.setTokenLifetime(120);
    try {
      await tokens.redeemSsoToken(entra.issueUserToken({ oid: 'a0000001-0000-4000-8000-000000000001', upn: 'anna@firma.pl', audience: `api://${SECRET_APP}` }));
      await tokens.redeemSsoToken(entra.issueUserToken({ oid: 'a0000002-0000-4000-8000-000000000002', upn: 'jan@firma.pl', audience: `api://${SECRET_APP}` }));
      entra.expireRefreshTokens('jan@firma.pl');
      const { code, out, rows } = await status({ configPath, mode: 'delegated', delegated: { cacheDir, keyPath } });
      assert.equal(code, 1, out);
      assert.match(rowOf(rows, 'tryb'), /delegowany/);
      assert.match(rowOf(rows, 'osoba anna@firma.pl'), /\sOK\s+aktywna; ostatnie odświeżenie tokenu \d{4}-/);
      assert.match(rowOf(rows, 'osoba jan@firma.pl'), /BŁĄD.*jan@firma\.pl.*AADSTS700082.*dodatek Optima w Outlooku/);
      assert.match(rowOf(rows, 'skrzynka anna@firma.pl'), /\sOK\s+odczyt i zapis/);
      assert.match(rowOf(rows, 'skrzynka jan@firma.pl'), /BŁĄD.*wstrzymana/);
      assert.ok(!/eyJ[\w-]+\.[\w-]+/.test(out) && !out.includes(SECRET));

      const listOnly = await status({ configPath, mode: 'delegated', delegated: { cacheDir } });
      assert.match(rowOf(listOnly.rows, 'osoba jan@firma.pl'), /BŁĄD.*AADSTS700082/, 'the index alone tells who is paused');
    } finally {
      entra.setTokenLifetime(3599);
    }
  });
});
