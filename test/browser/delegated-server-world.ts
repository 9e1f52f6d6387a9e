/**
 * The browser tests' world for DELEGATED mode against the real server: the Entra emulator, a Graph
 * emulator with five people's mailboxes, a generated Optima database whose orders are spread over
 * them, and the production server (`buildRuntime` + `startServer`, `microsoft.mode: delegated`)
 * on a free port. Everyone signs in once the way the add-in does (POST /api/addin/consent with
 * their SSO token); the test then breaks one person's grant in Entra and looks at what they see
 * in the taskpane, at /api/status and at their calendar in the Graph emulator.
 */
import path from 'node:path';
import type { Runtime } from '../../server/main.ts';
import { startServer, type RunningServer } from '../../server/main.ts';
import type { DelegatedTokenSource } from '../../server/auth/delegated-token-source.ts';
import type { StatusResponse, RunSummary } from '../../shared/api-types.ts';
import type { MeResponse } from '../../shared/addin-api.ts';
import type { EmulatedEvent } from '../emulators/graph/graph-emulator.ts';
import type { EntraEmulator } from '../emulators/entra/entra-emulator.ts';
import {
  M365_CLIENT_ID, expectedEvents, listPeople, mapOf, spreadOrders, startM365World,
  type ExpectedEvent, type M365World, type Scenario,
} from '../support/m365-world.ts';

export interface DelegatedWorld {
  /** `http://127.0.0.1:PORT` — the host the taskpane helper lets through. */
  readonly origin: string;
  readonly entra: EntraEmulator;
  readonly scenario: Scenario;
  readonly runtime: Runtime;
  /** The people's mailboxes, t1@firma.pl … t5@firma.pl. */
  readonly mailboxes: readonly string[];
  /** Orders that should be in a calendar (read from the database, independently of the product). */
  readonly expected: ReadonlyMap<string, ExpectedEvent>;
  /** A fresh Office SSO token for `mailbox` (audience api://<clientId>), same oid every time. */
  ssoTokenFor(mailbox: string): string;
  /** What the taskpane's GET /api/addin/me answers for `mailbox`. */
  me(mailbox: string): Promise<MeResponse>;
  /** POST /api/sync from loopback (as an operator would); the run's summary. */
  syncNow(): Promise<RunSummary>;
  status(): Promise<StatusResponse>;
  /** Delegated mode's people with their state (`ok` / `lapsed`), as `auth status` lists them. */
  personState(mailbox: string): 'ok' | 'lapsed' | 'unknown';
  /** Events in the mailbox's synced calendar in the Graph emulator. */
  syncedEvents(mailbox: string): EmulatedEvent[];
  /** Expected orders routed to `mailbox`. */
  expectedFor(mailbox: string): ExpectedEvent[];
  /** The subject the default template gives the order, worked out from the database row. */
  expectedSubject(sourceKey: string): string;
  close(): Promise<void>;
}

/**
 * Starts the delegated world and signs all five people in through the add-in API. Access tokens
 * are issued shorter than msal-node's renewal margin during sign-in, so the first sync refreshes
 * everyone through Entra — which is where an expired refresh token shows.
 */
export async function startDelegatedWorld(): Promise<DelegatedWorld> {
  const m365: M365World = await startM365World();
  let server: RunningServer | null = null;
  try {
    const people = listPeople(5);
    const mailboxes = people.map((p) => p.mailbox);
    const scenario = await m365.startScenario({ name: 'consent-browser', orders: 25, mailboxes });
    const expected = expectedEvents(scenario.db, spreadOrders(scenario.db, people));
    const keyPath = path.join(m365.dir, 'secrets', 'token-cache.key');
    const { config } = scenario.configure({ map: mapOf(people), mode: 'delegated', keyPath });
    const runtime = scenario.startRuntime(config);
    // The scheduler's first run starts at once (nobody has consented yet); syncNow waits for it.
    server = await startServer(runtime, { port: 0 });
    const origin = `http://127.0.0.1:${server.port}`;
    const entra = m365.entra;
    const running = server;

    const oids = new Map(mailboxes.map((m, i) => [m, `0000000${i + 1}-b0b0-4c00-8000-00000000000${i + 1}`]));
    const ssoTokenFor = (mailbox: string) => entra.issueUserToken({
      oid: oids.get(mailbox) ?? '00000000-b0b0-4c00-8000-000000000000', upn: mailbox,
      audience: `api://${M365_CLIENT_ID}`, scp: 'access_as_user',
    });
    const readJson = async <T>(response: Response, what: string): Promise<T> => {
      if (!response.ok) throw new Error(`${what} answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as T;
    };
    const orderRow = scenario.db.prepare(`SELECT SrZ_NumerPelny AS number, SrZ_PodNazwa1 AS n1, SrZ_PodNazwa2 AS n2, SrZ_PodNazwa3 AS n3,
      SrZ_Opis AS description FROM SrsZlecenia WHERE SrZ_SrZId = ?`);

    const world: DelegatedWorld = {
      origin, entra, scenario, runtime, mailboxes, expected, ssoTokenFor,
      me: async (mailbox) => readJson<MeResponse>(
        await fetch(`${origin}/api/addin/me`, { headers: { Authorization: `Bearer ${ssoTokenFor(mailbox)}` } }), 'GET /api/addin/me'),
      syncNow: async () => readJson<RunSummary>(await fetch(`${origin}/api/sync`, { method: 'POST' }), 'POST /api/sync'),
      status: async () => readJson<StatusResponse>(await fetch(`${origin}/api/status`), 'GET /api/status'),
      personState(mailbox) {
        const source = runtime.tokenSource as DelegatedTokenSource | null;
        return source?.listPeople().find((p) => p.mailbox === mailbox)?.state ?? 'unknown';
      },
      syncedEvents: (mailbox) => scenario.graph.listEvents(mailbox, scenario.calendarName),
      expectedFor: (mailbox) => [...expected.values()].filter((e) => e.mailbox === mailbox),
      expectedSubject(sourceKey) {
        const row = orderRow.get(Number(sourceKey.split(':').at(-1))) as Record<string, string | null> | undefined;
        if (!row) throw new Error(`no order behind ${sourceKey}`);
        // Optima keeps a customer's name in up to three lines; it reads as one, space-separated.
        const customer = [row.n1, row.n2, row.n3].map((n) => n?.trim() ?? '').filter((n) => n !== '').join(' ');
        const description = row.description ?? '';
        return `${row.number}${customer ? ` – ${customer}` : ''}${description ? `: ${shorten(description, 80)}` : ''}`;
      },
      async close() {
        await running.close();
        await m365.close();
      },
    };

    // Everyone signs in once through the add-in, with access tokens that are stale at the first sync.
    entra.setTokenLifetime(120);
    try {
      for (const mailbox of mailboxes) {
        const response = await fetch(`${origin}/api/addin/consent`, { method: 'POST', headers: { Authorization: `Bearer ${ssoTokenFor(mailbox)}` } });
        await readJson(response, `POST /api/addin/consent for ${mailbox}`);
      }
    } finally {
      entra.setTokenLifetime(3599);
    }
    return world;
  } catch (err) {
    await server?.close();
    await m365.close();
    throw err;
  }
}

/** The default template's `skroc`: at most `max` characters (graphemes), the last one an ellipsis when cut. */
function shorten(text: string, max: number): string {
  const graphemes = Array.from(new Intl.Segmenter('pl', { granularity: 'grapheme' }).segment(text), (s) => s.segment);
  return graphemes.length <= max ? text : `${graphemes.slice(0, max - 1).join('').trimEnd()}…`;
}
