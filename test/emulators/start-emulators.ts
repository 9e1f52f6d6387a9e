import { ConfidentialClientApplication } from '@azure/msal-node';
import { AuthenticationHandler, Client, HTTPMessageHandler } from '@microsoft/microsoft-graph-client';
import { createLocalCa, trustLocalCa } from './tls/local-ca.ts';
import type { LocalCa } from './tls/local-ca.ts';
import { startEntraEmulator } from './entra/entra-emulator.ts';
import type { EntraEmulator } from './entra/entra-emulator.ts';
import { startGraphEmulator } from './graph/graph-emulator.ts';
import type { GraphEmulator, GraphEmulatorOptions } from './graph/graph-emulator.ts';

/** Both emulators, trusted by this process, with one app registration that may use Graph. */
export interface EmulatorWorld {
  readonly ca: LocalCa;
  readonly entra: EntraEmulator;
  readonly graph: GraphEmulator;
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** msal-node app for the registered client, pointed at the Entra emulator. */
  readonly msal: ConfidentialClientApplication;
  /** A Graph client built exactly as a product adapter would build it (no retry middleware). */
  createGraphClient(): Client;
  close(): Promise<void>;
}

export interface StartEmulatorsOptions extends Pick<GraphEmulatorOptions, 'latencyMs' | 'limits' | 'defaultCalendarName'> {
  readonly mailboxes: readonly string[];
}

export const TEST_TENANT_ID = '5b7c1f3e-2d4a-4c6b-9e8f-0a1b2c3d4e5f';
export const TEST_CLIENT_ID = '7d9e2a4b-6c8d-4e0f-a1b2-c3d4e5f60718';
export const TEST_CLIENT_SECRET = 'emulator~secret~value';

/** Starts a local CA, trusts it, and starts the Entra and Graph emulators on random ports. */
export async function startEmulators(opts: StartEmulatorsOptions): Promise<EmulatorWorld> {
  const ca = await createLocalCa();
  trustLocalCa(ca.caPem);
  const entra = await startEntraEmulator({ tls: ca, tenantId: TEST_TENANT_ID, clients: [{ clientId: TEST_CLIENT_ID, secret: TEST_CLIENT_SECRET }] });
  const graph = await startGraphEmulator({
    tls: ca,
    verifyToken: entra.verifyAccessToken,
    mailboxes: opts.mailboxes,
    latencyMs: opts.latencyMs,
    limits: opts.limits,
    defaultCalendarName: opts.defaultCalendarName,
  });
  const msal = new ConfidentialClientApplication({
    auth: { clientId: TEST_CLIENT_ID, authority: entra.authority, clientSecret: TEST_CLIENT_SECRET, knownAuthorities: [entra.host] },
  });
  const provider = {
    getAccessToken: async () => {
      const result = await msal.acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] });
      if (!result) throw new Error('msal-node returned no token');
      return result.accessToken;
    },
  };
  return {
    ca,
    entra,
    graph,
    tenantId: TEST_TENANT_ID,
    clientId: TEST_CLIENT_ID,
    clientSecret: TEST_CLIENT_SECRET,
    msal,
    createGraphClient: () =>
      Client.initWithMiddleware({
        middleware: [new AuthenticationHandler(provider), new HTTPMessageHandler()],
        // Trailing slash: the client joins baseUrl + version + path.
        baseUrl: `${graph.url}/`,
        defaultVersion: 'v1.0',
        // Host only, no scheme or port: AuthenticationHandler strips the port before matching.
        customHosts: new Set([graph.host]),
      }),
    close: async () => {
      await Promise.all([graph.close(), entra.close()]);
    },
  };
}
