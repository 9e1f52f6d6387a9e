import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { Express } from 'express';
import { SignJWT, generateKeyPair } from 'jose';
import { startServer } from '../../server/main.ts';
import { updateOrder } from '../../server/demo/optima-demo-writes.ts';
import type { Link } from '../../server/domain/types.ts';
import type { MeResponse, RecordResponse, ResyncResponse } from '../../shared/addin-api.ts';
import type { EntraEmulator } from '../emulators/entra/entra-emulator.ts';
import { readOptimaOrders, type SyncFixture } from '../support/sync-fixture.ts';
import {
  ADDIN_ADMIN as ADMIN, ADDIN_ADMIN_GROUP as ADMIN_GROUP, ADDIN_CLIENT as CLIENT, ADDIN_TENANT as TENANT,
  createAddinFixture as createFixture, createTokenIssuer, startAddinEntra, type AddinFixture, type AddinFixtureOptions,
} from '../support/addin-api-fixture.ts';

const OTHER_TENANT = '0c0c0c0c-1d1d-4e4e-8f8f-2a2a2a2a2a2a';
const STRANGER = 'ktos.inny@firma.pl';

let entra: EntraEmulator;
/** An SSO token for `upn` as Office would hand it to the add-in (audience api://<clientId>). */
let tokenFor: ReturnType<typeof createTokenIssuer>;

before(async () => {
  entra = await startAddinEntra();
  tokenFor = createTokenIssuer(entra);
});
after(() => entra.close());

/** A token with every right claim, signed by a key that is not Entra's (same kid as Entra's key). */
async function forgedToken(claims: Record<string, unknown> = {}): Promise<string> {
  const { privateKey } = await generateKeyPair('RS256');
  const kid = (entra.jwks.keys[0] as { kid: string }).kid;
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ tid: TENANT, oid: '99999999-1111-4222-8333-444444444444', preferred_username: ADMIN, scp: 'access_as_user', ...claims })
    .setProtectedHeader({ alg: 'RS256', kid })
    .setIssuer(entra.issuer).setAudience(`api://${CLIENT}`).setIssuedAt(now).setNotBefore(now).setExpirationTime(now + 3600)
    .sign(privateKey);
}

function createAddinFixture(options: AddinFixtureOptions = {}): AddinFixture {
  return createFixture(entra, options);
}

/** A linked service order and the mailbox it went to (after one sync run). */
function pickLink(f: SyncFixture, notIn: readonly string[] = []): Link {
  const links = [...f.store().loadLinks('serwis:zlecenie').values()].filter((l) => !notIn.includes(l.mailbox) && l.mailbox !== ADMIN);
  assert.ok(links.length > 0, 'the demo sync linked some orders');
  return links[0];
}

describe('add-in API: tokens', () => {
  let fx: AddinFixture;
  let key: string;
  before(async () => {
    fx = createAddinFixture();
    await fx.f.runtime.runOnce();
    key = pickLink(fx.f).sourceKey;
  });
  after(async () => {
    await fx.scheduler.stop();
    await fx.f.close();
  });

  const routes: Array<{ name: string; send: (app: Express, token: string | null) => request.Test }> = [
    { name: 'GET /me', send: (app, t) => withToken(request(app).get('/api/addin/me'), t) },
    { name: 'GET /records', send: (app, t) => withToken(request(app).get('/api/addin/records').query({ sourceKey: key }), t) },
    { name: 'POST /records/resync', send: (app, t) => withToken(request(app).post('/api/addin/records/resync').send({ sourceKey: key }), t) },
    { name: 'POST /consent', send: (app, t) => withToken(request(app).post('/api/addin/consent'), t) },
  ];

  it('every route refuses a missing, forged, expired, wrong-audience and other-tenant token with 401 unauthenticated', async () => {
    const bad: Array<[string, string | null, RegExp]> = [
      ['missing', null, /Brak tokenu/],
      ['forged', await forgedToken(), /podpis/],
      ['expired', tokenFor(ADMIN, { lifetimeSeconds: -600 }), /wygasł/],
      ['wrong audience', tokenFor(ADMIN, { audience: 'api://inna-aplikacja/0f0f0f0f-0000-4000-8000-000000000000' }), /innej aplikacji/],
      ['other tenant', await forgedToken({ tid: OTHER_TENANT, iss: `${entra.url}/${OTHER_TENANT}/v2.0` }), /innej organizacji/],
      ['garbage', 'to.nie.jest-token', /nieprawidłowy/],
    ];
    for (const route of routes) {
      for (const [what, token, message] of bad) {
        const res = await route.send(fx.app, token);
        assert.equal(res.status, 401, `${route.name} with a ${what} token`);
        assert.equal(res.body.error.code, 'unauthenticated', `${route.name} with a ${what} token`);
        assert.match(res.body.error.message, message, `${route.name} with a ${what} token: Polish message`);
        assert.ok(res.body.error.messageEn.length > 10, 'English message');
        if (token) assert.ok(!JSON.stringify(res.body).includes(token), 'the token is never echoed');
      }
    }
  });

  it('accepts the bare client id as audience (v2 tokens) and names the person in /me', async () => {
    const link = pickLink(fx.f);
    const res = await request(fx.app).get('/api/addin/me').set('Authorization', `Bearer ${tokenFor(link.mailbox.toUpperCase(), { audience: CLIENT })}`);
    assert.equal(res.status, 200);
    const me = res.body as MeResponse;
    assert.equal(me.mailbox, link.mailbox, 'lower-cased');
    assert.equal(me.isAdmin, false);
    assert.equal(me.mode, 'application');
    assert.equal(me.consent, 'not-needed');
    const admin = (await request(fx.app).get('/api/addin/me').set('Authorization', `Bearer ${tokenFor(ADMIN)}`)).body as MeResponse;
    assert.equal(admin.isAdmin, true, 'addin.adminMailboxes makes an admin');
    const isAdminWith = async (extra: { roles?: string[]; groups?: string[] }) =>
      ((await request(fx.app).get('/api/addin/me').set('Authorization', `Bearer ${tokenFor(STRANGER, extra)}`)).body as MeResponse).isAdmin;
    assert.equal(await isAdminWith({ roles: ['OptimaSync.Admin'] }), true, 'the app role from Entra makes an admin');
    assert.equal(await isAdminWith({ groups: [ADMIN_GROUP.toUpperCase()] }), true, 'a configured group makes an admin');
    assert.equal(await isAdminWith({ roles: ['Inna.Rola'], groups: ['f0f0f0f0-0000-4000-8000-000000000000'] }), false, 'other roles and groups do not');
  });
});

describe('add-in API: records, status and resync', () => {
  let fx: AddinFixture;
  before(async () => {
    fx = createAddinFixture();
    await fx.f.runtime.runOnce();
  });
  after(async () => {
    await fx.scheduler.stop();
    await fx.f.close();
  });

  const getRecord = (query: Record<string, string>, upn: string) =>
    request(fx.app).get('/api/addin/records').query(query).set('Authorization', `Bearer ${tokenFor(upn)}`);

  it('shows the owner their linked order by source key and by the event id, up to date', async () => {
    const link = pickLink(fx.f);
    const id = Number(link.sourceKey.split(':').pop());
    const order = readOptimaOrders(fx.f.demo.companyDbPath).find((o) => o.id === id);
    assert.ok(order);
    const queries: Array<Record<string, string>> = [{ sourceKey: link.sourceKey }, { eventId: link.remoteId, idType: 'rest' }, { eventId: link.remoteId, idType: 'ews' }];
    for (const query of queries) {
      const res = await getRecord(query, link.mailbox);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const body = res.body as RecordResponse;
      assert.ok(body.found, JSON.stringify(query));
      assert.equal(body.sourceKey, link.sourceKey);
      assert.ok(body.record.kind === 'serwis:zlecenie', `a service order view, not ${body.record.kind}`);
      assert.equal(body.record.id, id);
      assert.equal(body.record.numer, order.number);
      assert.equal(body.record.opis, order.description);
      assert.equal(body.record.timeZone, 'Europe/Warsaw');
      assert.deepEqual(body.sync, {
        linked: true, mailbox: link.mailbox, lastSyncedAt: link.updatedAt, upToDate: true, pendingChange: false, drift: 'none', lastError: null,
      });
    }
  });

  it("refuses another person's record with 403 forbidden; an admin reads it", async () => {
    const link = pickLink(fx.f);
    const refused = await getRecord({ sourceKey: link.sourceKey }, STRANGER);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'forbidden');
    assert.match(refused.body.error.message, /innej osoby/);
    const byEvent = await getRecord({ eventId: link.remoteId, idType: 'rest' }, STRANGER);
    assert.equal(byEvent.status, 403, 'not through the event id either');
    const resync = await request(fx.app).post('/api/addin/records/resync').set('Authorization', `Bearer ${tokenFor(STRANGER)}`).send({ sourceKey: link.sourceKey });
    assert.equal(resync.status, 403, 'nor resync it');
    const admin = await getRecord({ sourceKey: link.sourceKey }, ADMIN);
    assert.equal(admin.status, 200);
    assert.equal((admin.body as RecordResponse).found, true);
  });

  it('an event that does not come from Optima gets found:false with a friendly sentence', async () => {
    const link = pickLink(fx.f);
    const queries: Array<Record<string, string>> = [{ eventId: 'AAMkAGI2TG93AAA=', idType: 'ews' }, { eventId: 'AAkALgAAAAAAHYQDEapmEc2byACqAC-EWg0AAAA=', idType: 'rest' }, { sourceKey: 'kalendarz:prywatny:1' }];
    for (const query of queries) {
      const res = await getRecord(query, link.mailbox);
      assert.equal(res.status, 200);
      assert.equal(res.body.found, false);
      assert.match(res.body.message, /nie pochodzi z Optimy/);
      assert.match(res.body.messageEn, /does not come from Optima/);
    }
  });

  it('a change in Optima shows as pending; resync updates the event in the calendar and the status', async () => {
    const link = pickLink(fx.f);
    const id = Number(link.sourceKey.split(':').pop());
    const db = fx.f.openOptima();
    const description = `Wymiana zaworu — zmiana ${Date.now()}`;
    assert.ok(updateOrder(db, id, { SrZ_Opis: description }, { now: fx.f.clock.now() }));
    const before = (await getRecord({ sourceKey: link.sourceKey }, link.mailbox)).body as RecordResponse;
    assert.ok(before.found && before.record.kind === 'serwis:zlecenie');
    assert.equal(before.record.opis, description, 'the record view is read from Optima now');
    assert.equal(before.sync.upToDate, false);
    assert.equal(before.sync.pendingChange, true);

    const res = await request(fx.app).post('/api/addin/records/resync').set('Authorization', `Bearer ${tokenFor(link.mailbox)}`).send({ sourceKey: link.sourceKey });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const body = res.body as ResyncResponse;
    assert.equal(body.outcome, 'updated');
    assert.match(body.message, /Zaktualizowano/);
    assert.equal(body.sync.upToDate, true);
    assert.equal(body.sync.pendingChange, false);
    const event = fx.f.target.events(link.mailbox).find((e) => e.remoteId === link.remoteId);
    assert.ok(event?.event.bodyHtml.includes('Wymiana zaworu'), 'the calendar event shows the new description');

    const again = await request(fx.app).post('/api/addin/records/resync').set('Authorization', `Bearer ${tokenFor(link.mailbox)}`).send({ sourceKey: link.sourceKey });
    assert.equal((again.body as ResyncResponse).outcome, 'unchanged');
  });

  it('an event edited in Outlook shows as drift, and resync restores it', async () => {
    const link = fx.f.store().getLink(pickLink(fx.f).sourceKey);
    assert.ok(link);
    fx.f.target.editEvent(link.mailbox, link.remoteId, { subject: 'Przesunięte ręcznie' });
    const status = (await getRecord({ sourceKey: link.sourceKey }, link.mailbox)).body as RecordResponse;
    assert.ok(status.found);
    assert.equal(status.sync.drift, 'edited');
    const res = await request(fx.app).post('/api/addin/records/resync').set('Authorization', `Bearer ${tokenFor(link.mailbox)}`).send({ sourceKey: link.sourceKey });
    assert.equal((res.body as ResyncResponse).outcome, 'updated');
    assert.equal(res.body.sync.drift, 'none');
    assert.notEqual(fx.f.target.events(link.mailbox).find((e) => e.remoteId === link.remoteId)?.subject, 'Przesunięte ręcznie');
  });

  it('resync answers 409 busy while a sync run holds the lock, and 400 to a key that is not a record', async () => {
    const link = pickLink(fx.f);
    const store = fx.f.store();
    assert.equal(store.acquireLock('sync', 'inny-serwer:1:przebieg', 600_000), null);
    try {
      const res = await request(fx.app).post('/api/addin/records/resync').set('Authorization', `Bearer ${tokenFor(link.mailbox)}`).send({ sourceKey: link.sourceKey });
      assert.equal(res.status, 409);
      assert.equal(res.body.error.code, 'busy');
    } finally {
      store.releaseLock('sync', 'inny-serwer:1:przebieg');
    }
    const bad = await request(fx.app).post('/api/addin/records/resync').set('Authorization', `Bearer ${tokenFor(ADMIN)}`).send({ sourceKey: 'serwis:zlecenie:abc' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'bad_request');
  });

  it('the last write error of a record is shown in words', async () => {
    const link = pickLink(fx.f);
    const id = Number(link.sourceKey.split(':').pop());
    const db = fx.f.openOptima();
    updateOrder(db, id, { SrZ_Opis: 'Kolejna zmiana' }, { now: fx.f.clock.now() });
    fx.f.target.failNext(5, { kind: 'target-error', status: 403, code: 'ErrorAccessDenied', message: `Brak dostępu do skrzynki ${link.mailbox} — sprawdź zasady dostępu aplikacji.`, transient: false, retryAfterMs: null, requestId: null });
    const res = await request(fx.app).post('/api/addin/records/resync').set('Authorization', `Bearer ${tokenFor(link.mailbox)}`).send({ sourceKey: link.sourceKey });
    fx.f.target.failNext(0, { kind: 'target-error', status: null, code: '', message: '', transient: false, retryAfterMs: null, requestId: null });
    assert.equal((res.body as ResyncResponse).outcome, 'failed');
    assert.match(res.body.message, /Brak dostępu do skrzynki/);
    assert.match(res.body.sync.lastError ?? '', /Brak dostępu do skrzynki/);
    const healed = await request(fx.app).post('/api/addin/records/resync').set('Authorization', `Bearer ${tokenFor(link.mailbox)}`).send({ sourceKey: link.sourceKey });
    assert.equal((healed.body as ResyncResponse).outcome, 'updated');
    assert.equal(healed.body.sync.lastError, null, 'a later successful write clears it');
  });
});

describe('add-in API: consent (delegated mode, on-behalf-of against the Entra emulator)', () => {
  let dir: string;
  let fx: AddinFixture;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'addin-consent-'));
    fx = createAddinFixture({ delegated: { cacheDir: path.join(dir, 'people'), keyPath: path.join(dir, 'klucz', 'tokeny.key') } });
  });
  after(async () => {
    await fx.scheduler.stop();
    await fx.f.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('consent_required and MFA claims from on-behalf-of reach the client as code consent_required; consent then turns ok', async () => {
    const upn = 'anna.nowak@firma.pl';
    const me = async () => (await request(fx.app).get('/api/addin/me').set('Authorization', `Bearer ${tokenFor(upn)}`)).body as MeResponse;
    assert.equal((await me()).consent, 'missing');
    assert.match((await me()).consentMessage ?? '', /zgod/);

    entra.revokeConsent(upn);
    const refused = await request(fx.app).post('/api/addin/consent').set('Authorization', `Bearer ${tokenFor(upn)}`);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'consent_required');
    assert.match(refused.body.error.message, /zgod/);

    entra.clearFaults(upn);
    entra.requireMfa(upn);
    const mfa = await request(fx.app).post('/api/addin/consent').set('Authorization', `Bearer ${tokenFor(upn)}`);
    assert.equal(mfa.status, 403);
    assert.equal(mfa.body.error.code, 'consent_required');
    assert.ok(typeof mfa.body.error.claims === 'string' && mfa.body.error.claims.length > 0, 'the claims challenge is passed on');

    entra.clearFaults(upn);
    const ok = await request(fx.app).post('/api/addin/consent').set('Authorization', `Bearer ${tokenFor(upn)}`);
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.deepEqual(ok.body, { consent: 'ok', mailbox: upn });
    assert.equal((await me()).consent, 'ok');
  });
});

it('startServer mounts the add-in API under /api/addin', async () => {
  const fx = createAddinFixture();
  const server = await startServer(fx.f.runtime, { port: 0 });
  try {
    const res = await fetch(`${server.url}/api/addin/me`);
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'unauthenticated');
    const me = await fetch(`${server.url}/api/addin/me`, { headers: { authorization: `Bearer ${tokenFor(ADMIN)}` } });
    assert.equal(me.status, 200);
    assert.equal(((await me.json()) as MeResponse).isAdmin, true);
    // Template settings ride on the same token check; an admin gets the templates in force.
    assert.equal((await fetch(`${server.url}/api/addin/templates`)).status, 401);
    const templates = await fetch(`${server.url}/api/addin/templates`, { headers: { authorization: `Bearer ${tokenFor(ADMIN)}` } });
    assert.equal(templates.status, 200);
    assert.ok('serwis:zlecenie' in ((await templates.json()) as { kinds: Record<string, unknown> }).kinds);
    // The manifest's icon URL is served.
    const icon = await fetch(`${server.url}/addin/assets/icon-32.png`);
    assert.equal(icon.status, 200);
    assert.equal(icon.headers.get('content-type'), 'image/png');
  } finally {
    await server.close();
    await fx.scheduler.stop();
    await fx.f.close();
  }
});

function withToken(req: request.Test, token: string | null): request.Test {
  return token === null ? req : req.set('Authorization', `Bearer ${token}`);
}
