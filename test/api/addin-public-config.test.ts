import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import type { Express } from 'express';
import { createApi } from '../../server/api/create-api.ts';
import { mountAddinApi } from '../../server/api/mount-addin-api.ts';
import { readAddinPublicConfig } from '../../server/api/addin-public-config.ts';
import { VERSION } from '../../server/main.ts';
import { createScheduler, type Scheduler } from '../../server/sync/scheduler.ts';
import { createSyncFixture, type SyncFixture } from '../support/sync-fixture.ts';

const TENANT = '5b7c1f3e-2d4a-4c6b-9e8f-0a1b2c3d4e5f';
const CLIENT = '7d9e2a4b-6c8d-4e0f-a1b2-c3d4e5f60718';
const SECRET = 'public~config~test~secret';

interface Fixture {
  readonly f: SyncFixture;
  readonly app: Express;
  readonly scheduler: Scheduler;
}

function createFixture(addin: Record<string, unknown> | undefined, authority = 'https://login.microsoftonline.com'): Fixture {
  const f = createSyncFixture({
    configure: (raw) => {
      raw.microsoft = { ...raw.microsoft, tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET, authority };
      if (addin) raw.addin = addin;
    },
  });
  const scheduler = createScheduler({ runOnce: () => f.runtime.runOnce(), intervalMs: 30_000, logger: f.runtime.logger });
  const app = createApi({
    store: f.runtime.store, scheduler, intervalSeconds: 30, version: VERSION, demo: false, adminToken: null,
    extend: (api) => { mountAddinApi(api, f.runtime); },
  });
  return { f, app, scheduler };
}

describe('GET /api/addin/config', () => {
  let plain: Fixture;
  let withAudience: Fixture;
  before(() => {
    plain = createFixture(undefined);
    withAudience = createFixture({ audience: `api://serwer.firma.pl:3443/${CLIENT}` }, 'https://login.microsoftonline.com/');
  });
  after(async () => {
    for (const fx of [plain, withAudience]) {
      await fx.scheduler.stop();
      await fx.f.close();
    }
  });

  it('answers without a token: client id, tenant, authority and the API scope of the host the taskpane came from', async () => {
    const res = await request(plain.app).get('/api/addin/config').set('Host', 'serwer.firma.pl:3443').expect(200);
    assert.match(res.headers['content-type'] ?? '', /application\/json/);
    assert.deepEqual(res.body, {
      clientId: CLIENT,
      tenantId: TENANT,
      authority: `https://login.microsoftonline.com/${TENANT}`,
      apiScope: `api://serwer.firma.pl:3443/${CLIENT}/access_as_user`,
    });
    assert.equal(res.headers['cache-control'], 'no-cache');
  });

  it('uses the configured Application ID URI (addin.audience) whatever the Host header says', async () => {
    const res = await request(withAudience.app).get('/api/addin/config').set('Host', 'localhost:3000').expect(200);
    assert.equal(res.body.apiScope, `api://serwer.firma.pl:3443/${CLIENT}/access_as_user`);
    assert.equal(res.body.authority, `https://login.microsoftonline.com/${TENANT}`, 'no double slash from a trailing one');
  });

  it('gives away no secret, and the routes behind it still need a token', async () => {
    const res = await request(plain.app).get('/api/addin/config').expect(200);
    assert.deepEqual(Object.keys(res.body).sort(), ['apiScope', 'authority', 'clientId', 'tenantId']);
    assert.ok(!JSON.stringify(res.body).includes(SECRET));
    await request(plain.app).get('/api/addin/me').expect(401);
    await request(plain.app).get('/api/addin/templates').expect(401);
  });

  it('without a usable host falls back to api://<clientId>, which the API always accepts', () => {
    assert.equal(readAddinPublicConfig(plain.f.config, null).apiScope, `api://${CLIENT}/access_as_user`);
  });
});
