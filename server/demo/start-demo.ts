import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Express } from 'express';
import { stringify } from 'yaml';
import type { Logger } from '../domain/logger.ts';
import type { Config } from '../config/schema.ts';
import type { RecordKind } from '../domain/types.ts';
import { validateConfig } from '../config/validate-config.ts';
import { formatConfigErrors } from '../config/format-config-errors.ts';
import { createLocalCa, trustLocalCa } from '../../test/emulators/tls/local-ca.ts';
import { startEntraEmulator, type EntraEmulator } from '../../test/emulators/entra/entra-emulator.ts';
import { startGraphEmulator, type GraphEmulator } from '../../test/emulators/graph/graph-emulator.ts';
import { createClientCredentialsTokenSource } from '../auth/client-credentials.ts';
import { createGraphTarget } from '../targets/graph/graph-target.ts';
import { buildRuntime, startServer, type RunningServer, type Runtime } from '../main.ts';
import { createOptimaDemoDatabase, type OptimaDemoPerson } from './optima-db.ts';
import { openOptimaDemoDatabase } from './optima-demo-writes.ts';
import { startSimulator, type Simulator } from './simulator.ts';
import { mountDemoAddin } from './mount-demo-addin.ts';
import { describeError } from '../domain/describe-error.ts';

export const DEMO_TENANT_ID = '3f2a9c1e-7b4d-4e8a-9c2f-5d6e7f8a9b0c';
export const DEMO_CLIENT_ID = 'a7c3e5f1-2b4d-4f6a-8c9e-0b1d3f5a7c9e';
/** The demo's app secret: only the local Entra emulator knows it. */
const DEMO_CLIENT_SECRET = 'demo~emulator~secret~not-for-production';
export const DEMO_DEFAULT_MAILBOX = 'serwis@serwis-demo.pl';

export interface DemoOptions {
  /** Data folder; emptied and filled anew on every start (the Graph emulator keeps no state). */
  readonly dir: string;
  readonly port?: number;
  readonly orders?: number;
  readonly intervalSeconds?: number;
  /** Simulator step in ms; 0 = no simulator (tests drive changes themselves). */
  readonly simulatorMs?: number;
  /** Whether the server's scheduler polls by itself (tests may run syncs by hand). */
  readonly schedule?: boolean;
  readonly forwardLogs?: Logger;
  /** Record kinds the demo syncs (config `sync.kinds`); default DEMO_KINDS. */
  readonly kinds?: readonly RecordKind[];
  /** Config `crm` when the demo syncs CRM tasks; default: contacts as well ({} = the config defaults). */
  readonly crm?: { readonly contacts?: boolean; readonly cancelled?: 'remove' | 'mark'; readonly closed?: 'mark' | 'remove'; readonly participantsAsAttendees?: boolean };
  /** Orders of the second company (default 40); 0 = only one company. */
  readonly secondCompanyOrders?: number;
  /** Config sections written as a user would (e.g. `looks`, `filters`), over the demo's own. */
  readonly configure?: (raw: Record<string, unknown>) => void;
}

export interface Demo {
  readonly url: string;
  readonly config: Config;
  readonly configPath: string;
  readonly caPath: string;
  readonly runtime: Runtime;
  readonly server: RunningServer | null;
  readonly graph: GraphEmulator;
  readonly entra: EntraEmulator;
  readonly people: readonly OptimaDemoPerson[];
  readonly companyDbPath: string;
  /** The second company's database file, or null when the demo runs one company. */
  readonly secondCompanyDbPath: string | null;
  readonly simulator: Simulator | null;
  close(): Promise<void>;
}

/**
 * The embedded demo: a generated Optima-shaped database, the Entra and Graph emulators over
 * HTTPS with one mailbox per person, and the real server (same composition root as production)
 * pointed at them by URL only. A simulator changes orders every few seconds.
 */
/** What the demo syncs unless told otherwise: service orders and activities, CRM tasks and recurring tasks' occurrences. */
export const DEMO_KINDS: readonly RecordKind[] = ['serwis:zlecenie', 'serwis:czynnosc', 'crm:zadanie', 'crm:wystapienie'];

/** The demo's second company (its own database beside the first, sharing the configuration database). */
export const DEMO_SECOND_COMPANY = { code: 'polnoc', name: 'Serwis Północ sp. z o.o.' } as const;

export async function startDemo(options: DemoOptions): Promise<Demo> {
  rmSync(options.dir, { recursive: true, force: true });
  mkdirSync(options.dir, { recursive: true });
  const ca = await createLocalCa();
  trustLocalCa(ca.caPem);
  const caPath = path.join(options.dir, 'demo-ca.pem');
  writeFileSync(caPath, ca.caPem);

  const optima = createOptimaDemoDatabase({ dir: path.join(options.dir, 'optima'), orders: options.orders ?? 320 });
  // Same staff (operators are shared; employees carry the same e-mails), other customers and numbers.
  const secondOrders = options.secondCompanyOrders ?? 40;
  const second = secondOrders > 0 ? createOptimaDemoDatabase({ dir: path.join(options.dir, 'optima-polnoc'), orders: secondOrders, seed: 2 }) : null;
  const mailboxes = [...new Set([DEMO_DEFAULT_MAILBOX, ...optima.people.flatMap((p) => (p.email ? [p.email.toLowerCase()] : []))])];
  const entra = await startEntraEmulator({ tls: ca, tenantId: DEMO_TENANT_ID, clients: [{ clientId: DEMO_CLIENT_ID, secret: DEMO_CLIENT_SECRET }] });
  const graph = await startGraphEmulator({ tls: ca, verifyToken: (t) => entra.verifyAccessToken(t), mailboxes, defaultCalendarName: 'Kalendarz' });

  const raw: Record<string, unknown> = {
    source: {
      type: 'sqlite', sqlite: { companyDb: optima.companyDbPath, configDb: optima.configDbPath },
      companyName: 'Serwis Demo sp. z o.o.',
      ...(second ? {
        companies: [{
          ...DEMO_SECOND_COMPANY, database: second.companyDbPath,
          // Its own subject, so the two companies' events are told apart at a glance.
          templates: { 'serwis:zlecenie': { subject: '[Północ] {{numer}} – {{klient.nazwa}}' } },
        }],
      } : {}),
    },
    microsoft: {
      tenantId: DEMO_TENANT_ID, clientId: DEMO_CLIENT_ID, clientSecret: DEMO_CLIENT_SECRET,
      authority: entra.url, graphBaseUrl: graph.url, graphResource: 'https://graph.microsoft.com',
    },
    mailboxes: { default: DEMO_DEFAULT_MAILBOX },
    // The default mailbox is an admin, so a newcomer can open the add-in's Settings.
    addin: { adminMailboxes: [DEMO_DEFAULT_MAILBOX] },
    // Orders in their leaders' calendars and each activity in its technician's (config sync.kinds).
    sync: { kinds: [...(options.kinds ?? DEMO_KINDS)], intervalSeconds: options.intervalSeconds ?? 5, fullPass: { everyHours: 1 } },
    server: { port: 3000, dataDir: path.join(options.dir, 'server') },
    // The demo's history reaches back to the DST edge cases of the year: a wider window than the default 90 days.
    filters: { default: { daysBack: 400, daysAhead: 400 } },
    // Contacts too, so the demo shows every kind of CRM record.
    crm: options.crm ? { ...options.crm } : { contacts: true },
  };
  options.configure?.(raw);
  const validated = validateConfig(raw);
  if (!validated.ok) throw new Error(`Konfiguracja demo jest błędna (to błąd programu):\n${formatConfigErrors(validated.errors)}`);
  const config = validated.config;
  const configPath = path.join(options.dir, 'demo-config.yaml');
  writeFileSync(configPath, `# Konfiguracja wygenerowana przez demo (emulatory na tym komputerze).\n${stringify(raw)}`);

  const runtime = buildRuntime(config, { forwardLogs: options.forwardLogs });
  // The page reads calendars through its own Graph client, so its reads never count in a run.
  const pageTarget = createGraphTarget({
    tokenSource: createClientCredentialsTokenSource({
      tenantId: DEMO_TENANT_ID, clientId: DEMO_CLIENT_ID, clientSecret: DEMO_CLIENT_SECRET, authority: entra.url,
      knownAuthorities: [entra.host], graphBaseUrl: graph.url, graphResource: 'https://graph.microsoft.com',
    }),
    graphBaseUrl: graph.url,
  });
  const writer = options.simulatorMs ? openOptimaDemoDatabase(optima.companyDbPath) : null;
  const simulator = writer ? startSimulator({ db: writer, people: optima.people, everyMs: options.simulatorMs ?? 4000, logger: runtime.logger }) : null;
  const names = new Map(optima.people.flatMap((p) => (p.email ? [[p.email.toLowerCase(), p.name] as const] : [])));
  names.set(DEMO_DEFAULT_MAILBOX, 'Serwis (domyślna)');

  const page = readFileSync(new URL('./demo-page.html', import.meta.url), 'utf8');
  const extend = (app: Express) => {
    app.get('/', (_req, res) => { res.type('html').send(page); });
    app.get('/api/demo/calendars', async (_req, res) => {
      const result = await Promise.all(mailboxes.map(async (mailbox) => {
        try {
          const calendarId = await pageTarget.ensureCalendar(mailbox, config.calendar.name);
          const events = [...await pageTarget.listStampedEvents(mailbox, calendarId)].sort((a, b) => a.startUtc.localeCompare(b.startUtc));
          return { mailbox, name: names.get(mailbox) ?? mailbox, events, error: null };
        } catch (err) {
          return { mailbox, name: names.get(mailbox) ?? mailbox, events: [], error: describeError(err) };
        }
      }));
      res.json({ mailboxes: result, feed: simulator?.feed() ?? [] });
    });
    mountDemoAddin(app, {
      issueUserToken: (claims) => entra.issueUserToken(claims),
      audience: `api://${DEMO_CLIENT_ID}`,
      mailboxes, names,
      listEvents: (mailbox) => graph.listEvents(mailbox, config.calendar.name),
    });
  };
  const server = options.schedule === false ? null : await startServer(runtime, { port: options.port ?? config.server.port, demo: true, extend });

  return {
    url: server?.url ?? '', config, configPath, caPath, runtime, server, graph, entra, people: optima.people,
    companyDbPath: optima.companyDbPath, secondCompanyDbPath: second?.companyDbPath ?? null, simulator,
    close: async () => {
      simulator?.stop();
      await server?.close();
      await runtime.close();
      writer?.close();
      await graph.close();
      await entra.close();
    },
  };
}
