/**
 * The add-in API's test world (supertest): an Entra emulator that signs the people's SSO tokens,
 * the sync fixture's demo database and runtime, and the production Express app with the add-in
 * routes mounted. Shared by the test/api/addin-* tests.
 */
import type { Express } from 'express';
import { createApi } from '../../server/api/create-api.ts';
import { mountAddinApi } from '../../server/api/mount-addin-api.ts';
import { VERSION } from '../../server/main.ts';
import { createScheduler, type Scheduler } from '../../server/sync/scheduler.ts';
import { createDelegatedTokenSource } from '../../server/auth/delegated-token-source.ts';
import { createLocalCa, trustLocalCa } from '../emulators/tls/local-ca.ts';
import { startEntraEmulator, type EntraEmulator } from '../emulators/entra/entra-emulator.ts';
import { createSyncFixture, type RawConfig, type SyncFixture } from './sync-fixture.ts';

export const ADDIN_TENANT = '5b7c1f3e-2d4a-4c6b-9e8f-0a1b2c3d4e5f';
export const ADDIN_CLIENT = '7d9e2a4b-6c8d-4e0f-a1b2-c3d4e5f60718';
export const ADDIN_SECRET = 'addin~test~secret~value';
/** Admin by `addin.adminMailboxes`. */
export const ADDIN_ADMIN = 'kierownik@firma.pl';
/** Admin by `addin.adminGroupIds`. */
export const ADDIN_ADMIN_GROUP = 'a1b2c3d4-0000-4000-8000-0000000000aa';

/** Starts the Entra emulator for the add-in's tenant and client, its CA trusted in this process. */
export async function startAddinEntra(): Promise<EntraEmulator> {
  const ca = await createLocalCa();
  trustLocalCa(ca.caPem);
  return startEntraEmulator({ tls: ca, tenantId: ADDIN_TENANT, clients: [{ clientId: ADDIN_CLIENT, secret: ADDIN_SECRET }] });
}

export interface TokenOptions {
  readonly audience?: string;
  readonly lifetimeSeconds?: number;
  readonly roles?: string[];
  readonly groups?: string[];
}

/** Issues SSO tokens as Office hands them to the add-in (audience api://<clientId>), one person id each. */
export function createTokenIssuer(entra: EntraEmulator): (upn: string, extra?: TokenOptions) => string {
  let people = 0;
  return (upn, extra = {}) => {
    people += 1;
    return entra.issueUserToken({
      oid: `0000000${people}-1111-4222-8333-444444444444`, upn, audience: extra.audience ?? `api://${ADDIN_CLIENT}`,
      lifetimeSeconds: extra.lifetimeSeconds, roles: extra.roles, groups: extra.groups,
    });
  };
}

export interface AddinFixture {
  readonly f: SyncFixture;
  readonly app: Express;
  readonly scheduler: Scheduler;
  close(): Promise<void>;
}

export interface AddinFixtureOptions {
  readonly delegated?: { readonly cacheDir: string; readonly keyPath: string };
  /** Further changes to the raw configuration (e.g. `sync.kinds`). */
  readonly configure?: (raw: RawConfig) => void;
}

/** The demo database, a runtime on the memory calendar, and the API app with the add-in routes. */
export function createAddinFixture(entra: EntraEmulator, options: AddinFixtureOptions = {}): AddinFixture {
  const { delegated } = options;
  const f = createSyncFixture({
    configure: (raw) => {
      raw.microsoft = {
        ...raw.microsoft, tenantId: ADDIN_TENANT, clientId: ADDIN_CLIENT, clientSecret: ADDIN_SECRET, authority: entra.url, knownAuthorities: [entra.host],
        ...(delegated ? { mode: 'delegated', delegated: { keyPath: delegated.keyPath, cacheDir: delegated.cacheDir } } : {}),
      };
      raw.addin = { adminMailboxes: [ADDIN_ADMIN], adminGroupIds: [ADDIN_ADMIN_GROUP] };
      options.configure?.(raw);
    },
  });
  const runtime = delegated
    ? f.buildAnotherRuntime({
      tokenSource: createDelegatedTokenSource({
        tenantId: ADDIN_TENANT, clientId: ADDIN_CLIENT, clientSecret: ADDIN_SECRET, authority: entra.url, knownAuthorities: [entra.host],
        graphResource: 'https://graph.microsoft.com', cacheDir: delegated.cacheDir, keyPath: delegated.keyPath,
      }),
    })
    : f.runtime;
  const scheduler = createScheduler({ runOnce: () => runtime.runOnce(), intervalMs: 30_000, logger: runtime.logger });
  const app = createApi({
    store: runtime.store, scheduler, intervalSeconds: 30, version: VERSION, demo: false, adminToken: null,
    extend: (api) => { mountAddinApi(api, runtime); },
  });
  return {
    f, app, scheduler,
    async close() {
      await scheduler.stop();
      await f.close();
    },
  };
}
