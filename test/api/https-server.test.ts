import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startServer } from '../../server/main.ts';
import { createLocalCa, trustLocalCa } from '../emulators/tls/local-ca.ts';
import { createSyncFixture } from '../support/sync-fixture.ts';

test('with server.tls the server answers over HTTPS (Outlook loads the taskpane only so)', async () => {
  const ca = await createLocalCa();
  trustLocalCa(ca.caPem);
  const f = createSyncFixture({
    configure: (raw) => {
      const server = (raw as { server: Record<string, unknown> }).server;
      const pemPath = path.join(String(server.dataDir), '..', 'serwer.pem');
      writeFileSync(pemPath, `${ca.keyPem}\n${ca.certPem}`);
      server.tls = { path: pemPath };
    },
  });
  const server = await startServer(f.runtime, { port: 0 });
  try {
    assert.match(server.url, /^https:\/\/localhost:\d+$/);
    const res = await fetch(`${server.url}/healthz`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { ok: true });
  } finally {
    await server.close();
    await f.close();
  }
});

test('an unreadable HTTPS certificate stops the start with the setting to fix', async () => {
  const f = createSyncFixture({
    configure: (raw) => { (raw as { server: Record<string, unknown> }).server.tls = { path: '/nie/ma/takiego/pliku.pem' }; },
  });
  try {
    await assert.rejects(startServer(f.runtime, { port: 0 }), /server\.tls\.path/);
  } finally {
    await f.close();
  }
});
