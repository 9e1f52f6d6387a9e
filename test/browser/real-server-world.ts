/**
 * The browser tests' world against the REAL server: the embedded demo (generated Optima database,
 * Entra and Graph emulators over HTTPS, the production composition root) with no simulator and a
 * scheduler that only runs when asked, plus the moves a test makes in it — a person's SSO token,
 * an appointment as Outlook would hand it to the add-in, a sync "now", an event someone typed in
 * Outlook by hand.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DEMO_CLIENT_ID, startDemo, type Demo } from '../../server/demo/start-demo.ts';
import { createClientCredentialsTokenSource } from '../../server/auth/client-credentials.ts';
import type { EmulatedEvent } from '../emulators/graph/graph-emulator.ts';
import type { RecordKind } from '../../server/domain/types.ts';
import type { AppointmentSpec } from './taskpane-browser.ts';

export interface RealWorld {
  readonly demo: Demo;
  /** `http://127.0.0.1:PORT` — the host the taskpane helper lets through. */
  readonly origin: string;
  /** An Office SSO token for `mailbox`, as Entra issues it to the add-in (audience api://<clientId>). */
  tokenFor(mailbox: string): string;
  /** Runs a sync now (POST /api/sync from loopback, as an operator would) and returns its summary. */
  syncNow(): Promise<{ readonly created: number; readonly updated: number; readonly failed: number }>;
  /** Events of a mailbox's synced calendar in the Graph emulator. */
  syncedEvents(mailbox: string): EmulatedEvent[];
  /** The order behind a synced event, read from the Optima database itself. */
  readOrder(event: EmulatedEvent): OptimaOrder;
  /** Creates an event by hand in the mailbox's own calendar, through Graph (not from Optima). */
  createPrivateEvent(mailbox: string, subject: string): Promise<EmulatedEvent>;
  close(): Promise<void>;
}

export interface OptimaOrder {
  readonly id: number;
  readonly number: string;
  readonly customer: string;
  readonly phone: string;
  readonly description: string;
}

/**
 * Starts the demo on a free port with a small database and waits for its first sync. `kinds`:
 * what it syncs (default service orders only, so every synced event is an order).
 */
export async function startRealWorld(options: { readonly kinds?: readonly RecordKind[] } = {}): Promise<RealWorld> {
  const dir = mkdtempSync(path.join(tmpdir(), 'taskpane-real-'));
  const demo = await startDemo({ dir, port: 0, orders: 60, secondCompanyOrders: 0, simulatorMs: 0, intervalSeconds: 3600, kinds: options.kinds ?? ['serwis:zlecenie'] });
  const origin = `http://127.0.0.1:${demo.server?.port}`;
  const optima = new Database(demo.companyDbPath, { readonly: true, fileMustExist: true });
  const ms = demo.config.microsoft;
  const appTokens = createClientCredentialsTokenSource({
    tenantId: ms.tenantId, clientId: ms.clientId, clientSecret: ms.clientSecret ?? undefined, authority: ms.authority,
    knownAuthorities: [...ms.knownAuthorities], graphBaseUrl: ms.graphBaseUrl, graphResource: ms.graphResource,
  });
  let people = 0;

  const world: RealWorld = {
    demo, origin,
    tokenFor(mailbox) {
      people += 1;
      const oid = `00000000-0000-4000-8000-${String(people).padStart(12, '0')}`;
      return demo.entra.issueUserToken({ oid, upn: mailbox, audience: `api://${DEMO_CLIENT_ID}`, scp: 'access_as_user' });
    },
    async syncNow() {
      const response = await fetch(`${origin}/api/sync`, { method: 'POST' });
      if (!response.ok) throw new Error(`POST /api/sync answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as { created: number; updated: number; failed: number };
    },
    syncedEvents: (mailbox) => demo.graph.listEvents(mailbox, demo.config.calendar.name),
    readOrder(event) {
      const link = demo.runtime.store.findLinkByRemoteId(event.id);
      if (!link) throw new Error(`no link for event ${event.id}`);
      const id = Number(link.sourceKey.split(':').at(-1));
      const row = optima.prepare(`SELECT SrZ_NumerPelny AS number, SrZ_PodNazwa1 AS n1, SrZ_PodNazwa2 AS n2, SrZ_PodNazwa3 AS n3,
        SrZ_Telefon AS phone, SrZ_Opis AS description FROM SrsZlecenia WHERE SrZ_SrZId = ?`).get(id) as Record<string, string | null>;
      // Optima keeps a customer's name in up to three lines; it reads as one, space-separated.
      const customer = [row.n1, row.n2, row.n3].map((n) => n?.trim() ?? '').filter((n) => n !== '').join(' ');
      return { id, number: row.number ?? '', customer, phone: row.phone ?? '', description: row.description ?? '' };
    },
    async createPrivateEvent(mailbox, subject) {
      const token = await appTokens.getToken(mailbox);
      const start = new Date(Date.now() + 3 * 86_400_000);
      const body = {
        subject,
        start: { dateTime: start.toISOString().slice(0, 19), timeZone: 'UTC' },
        end: { dateTime: new Date(start.getTime() + 3_600_000).toISOString().slice(0, 19), timeZone: 'UTC' },
      };
      const response = await fetch(`${demo.graph.url}/v1.0/users/${encodeURIComponent(mailbox)}/events`, {
        method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body),
      });
      if (response.status !== 201) throw new Error(`Graph refused the private event: ${response.status} ${await response.text()}`);
      const created = (await response.json()) as { id: string };
      const event = demo.graph.listEvents(mailbox).find((e) => e.id === created.id || e.regularId === created.id);
      if (!event) throw new Error('the private event is not in the mailbox');
      return event;
    },
    async close() {
      optima.close();
      await demo.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await world.syncNow();
  return world;
}

/** The event as Outlook shows it to the add-in in read mode: `itemId` is the EWS form of its id. */
export function toAppointment(event: EmulatedEvent): AppointmentSpec {
  return {
    itemId: event.regularId.replace(/-/g, '/').replace(/_/g, '+'),
    subject: event.subject, start: event.startUtc, end: event.endUtc, location: event.location,
  };
}
