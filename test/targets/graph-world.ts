import { createLocalCa, trustLocalCa } from '../emulators/tls/local-ca.ts';
import { startEntraEmulator } from '../emulators/entra/entra-emulator.ts';
import type { EntraEmulator } from '../emulators/entra/entra-emulator.ts';
import { startGraphEmulator } from '../emulators/graph/graph-emulator.ts';
import type { GraphEmulator } from '../emulators/graph/graph-emulator.ts';
import { createClientCredentialsTokenSource } from '../../server/auth/client-credentials.ts';
import type { TokenSource } from '../../server/auth/token-source.ts';
import { createGraphTarget } from '../../server/targets/graph/graph-target.ts';
import type { GraphTargetOptions } from '../../server/targets/graph/graph-target.ts';
import type { CalendarTarget } from '../../server/targets/calendar-target.ts';

/** The Graph adapter's world in tests: both emulators over HTTPS and the real clients, configured only by URLs. */
export interface GraphWorld {
  readonly entra: EntraEmulator;
  readonly graph: GraphEmulator;
  readonly tokenSource: TokenSource;
  /** A Graph target as the composition root builds it; tests may swap sleep, retries, ... */
  makeTarget(overrides?: Partial<GraphTargetOptions>): CalendarTarget;
  close(): Promise<void>;
}

const TENANT = '0d7c1e5a-2b3f-4c6d-8e9f-a0b1c2d3e4f5';
const CLIENT_ID = 'f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b';
const SECRET = 'emulator~secret.value';

/** Starts a local CA, the Entra and Graph emulators with `mailboxes`, and an app-only token source. */
export async function startGraphWorld(mailboxes: readonly string[]): Promise<GraphWorld> {
  const ca = await createLocalCa();
  trustLocalCa(ca.caPem);
  const entra = await startEntraEmulator({ tls: ca, tenantId: TENANT, clients: [{ clientId: CLIENT_ID, secret: SECRET }] });
  const graph = await startGraphEmulator({ tls: ca, verifyToken: (token) => entra.verifyAccessToken(token), mailboxes: [...mailboxes] });
  const tokenSource = createClientCredentialsTokenSource({
    tenantId: TENANT,
    clientId: CLIENT_ID,
    clientSecret: SECRET,
    authority: entra.url,
    knownAuthorities: [entra.host],
    graphBaseUrl: graph.url,
    // The emulator stands in for the global cloud: tokens are for https://graph.microsoft.com.
    graphResource: 'https://graph.microsoft.com',
  });
  return {
    entra,
    graph,
    tokenSource,
    makeTarget: (overrides = {}) => createGraphTarget({ tokenSource, graphBaseUrl: graph.url, ...overrides }),
    close: async () => {
      await graph.close();
      await entra.close();
    },
  };
}
