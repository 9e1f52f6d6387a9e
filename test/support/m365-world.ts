/**
 * The Microsoft 365 world of the end-to-end tests: one local CA and one Entra emulator shared by
 * every scenario, and per scenario a fresh Graph emulator, a fresh demo Optima database and the
 * real runtime (`buildRuntime`, same composition root as production) on a config validated from
 * plain data and written to a file (for the CLI commands). Assertions read the emulator's
 * mailboxes, as a person would look at their calendar.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { Config } from '../../server/config/schema.ts';
import { validateConfig } from '../../server/config/validate-config.ts';
import { formatConfigErrors } from '../../server/config/format-config-errors.ts';
import type { LogEvent } from '../../server/domain/logger.ts';
import type { PersonRef } from '../../server/domain/types.ts';
import { buildRuntime, type Runtime } from '../../server/main.ts';
import { createOptimaDemoDatabase } from '../../server/demo/optima-db.ts';
import { openOptimaDemoDatabase, reassignOrder } from '../../server/demo/optima-demo-writes.ts';
import { createLocalCa, trustLocalCa, type LocalCa } from '../emulators/tls/local-ca.ts';
import { startEntraEmulator, type EntraClient, type EntraEmulator } from '../emulators/entra/entra-emulator.ts';
import { startGraphEmulator, type GraphEmulator, type ThrottleLimits } from '../emulators/graph/graph-emulator.ts';

export const M365_TENANT_ID = '4e8b2c6d-1a3f-4b5c-9d7e-2f4a6b8c0d1e';
/** The sync's app registration: a valid secret. */
export const M365_CLIENT_ID = '9c1d3e5f-7a9b-4c2d-8e0f-1a3b5c7d9e2f';
export const M365_SECRET = 'm365~e2e~secret~value~1234';
/** A second registration whose secret expired (AADSTS7000222). */
export const EXPIRED_CLIENT_ID = '2b4d6f8a-0c2e-4f6a-9b1d-3e5f7a9c1b3d';
export const EXPIRED_SECRET = 'expired~secret~Qx7!value~5678';
export const GRAPH_RESOURCE = 'https://graph.microsoft.com';

export interface M365World {
  readonly dir: string;
  readonly ca: LocalCa;
  readonly entra: EntraEmulator;
  /** A scenario: fresh Graph emulator with `mailboxes`, fresh Optima database with `orders`. */
  startScenario(options: ScenarioOptions): Promise<Scenario>;
  close(): Promise<void>;
}

export interface ScenarioOptions {
  readonly name: string;
  readonly orders: number;
  readonly mailboxes: readonly string[];
  readonly graphLimits?: Partial<ThrottleLimits>;
  readonly graphLatencyMs?: number;
}

/** What a scenario's config may change; everything else is the demo's shape. */
export interface ScenarioConfig {
  readonly map?: Readonly<Record<string, string>>;
  readonly defaultMailbox?: string | null;
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly mode?: 'application' | 'delegated';
  /** Delegated mode's key file (kept apart from the data folder). */
  readonly keyPath?: string;
}

export interface Scenario {
  readonly dir: string;
  readonly graph: GraphEmulator;
  /** Writable connection to the company database (changes as Optima makes them). */
  readonly db: Database.Database;
  readonly calendarName: string;
  /** Validates `options` into a Config and writes it to `<dir>/config.json`. */
  configure(options: ScenarioConfig): { readonly config: Config; readonly configPath: string };
  /** `buildRuntime` on that config; log events are collected in `logs`. Closed with the scenario. */
  startRuntime(config: Config): Runtime;
  readonly logs: LogEvent[];
  close(): Promise<void>;
}

/** Starts the shared CA (trusted by this process) and the Entra emulator with both app registrations. */
export async function startM365World(): Promise<M365World> {
  const dir = mkdtempSync(path.join(tmpdir(), 'optima-m365-'));
  const ca = await createLocalCa();
  trustLocalCa(ca.caPem);
  const clients: EntraClient[] = [
    { clientId: M365_CLIENT_ID, secret: M365_SECRET, displayName: 'Optima Sync' },
    { clientId: EXPIRED_CLIENT_ID, secret: EXPIRED_SECRET, secretExpired: true, displayName: 'Optima Sync (stary sekret)' },
  ];
  const entra = await startEntraEmulator({ tls: ca, tenantId: M365_TENANT_ID, clients });
  const scenarios: Scenario[] = [];
  return {
    dir, ca, entra,
    async startScenario(options) {
      const scenario = await startScenario(dir, ca, entra, options);
      scenarios.push(scenario);
      return scenario;
    },
    async close() {
      for (const s of scenarios) await s.close();
      await entra.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function startScenario(root: string, ca: LocalCa, entra: EntraEmulator, options: ScenarioOptions): Promise<Scenario> {
  const dir = path.join(root, options.name);
  mkdirSync(dir, { recursive: true });
  const optima = createOptimaDemoDatabase({ dir: path.join(dir, 'optima'), orders: options.orders });
  const graph = await startGraphEmulator({
    tls: ca, verifyToken: (t) => entra.verifyAccessToken(t), mailboxes: options.mailboxes,
    defaultCalendarName: 'Kalendarz', limits: options.graphLimits, latencyMs: options.graphLatencyMs,
  });
  const db = openOptimaDemoDatabase(optima.companyDbPath);
  const calendarName = `Optima Serwis ${options.name}`;
  const runtimes: Runtime[] = [];
  const logs: LogEvent[] = [];
  let closed = false;
  return {
    dir, graph, db, calendarName, logs,
    configure(c) {
      const raw = {
        source: { type: 'sqlite', sqlite: { companyDb: optima.companyDbPath, configDb: optima.configDbPath } },
        microsoft: {
          tenantId: M365_TENANT_ID, clientId: c.clientId ?? M365_CLIENT_ID, clientSecret: c.clientSecret ?? M365_SECRET,
          authority: entra.url, graphBaseUrl: graph.url, graphResource: GRAPH_RESOURCE,
          ...(c.mode ? { mode: c.mode } : {}),
          ...(c.keyPath ? { delegated: { keyPath: c.keyPath } } : {}),
        },
        mailboxes: { default: c.defaultMailbox ?? null, map: c.map ?? {}, unassigned: 'skip' },
        // Category colours and the date window have their own tests; here every order, no category requests.
        calendar: { name: calendarName, categoryColors: false },
        filters: { default: { daysBack: null, daysAhead: null } },
        sync: { intervalSeconds: 3600, fullPass: { everyHours: 24 } },
        server: { port: 3000, dataDir: path.join(dir, 'server') },
      };
      const validated = validateConfig(raw);
      if (!validated.ok) throw new Error(`test config is invalid:\n${formatConfigErrors(validated.errors)}`);
      const configPath = path.join(dir, 'config.json');
      writeFileSync(configPath, JSON.stringify(raw, null, 2));
      return { config: validated.config, configPath };
    },
    startRuntime(config) {
      const runtime = buildRuntime(config, { forwardLogs: { log: (e) => void logs.push(e) } });
      runtimes.push(runtime);
      return runtime;
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const r of runtimes) await r.close();
      db.close();
      await graph.close();
    },
  };
}

// ── the people and what their calendars should hold ─────────────────────────────────────────

/** `tN@firma.pl`, the mailbox of person number N (1-based). */
export function mailboxOf(n: number): string {
  return `t${n}@firma.pl`;
}

/**
 * `count` people, the first half employees (`pracownik:1…`), the rest operators (`operator:1…`),
 * person n ↔ mailbox tN@firma.pl — the way an admin maps them in `mailboxes.map`.
 */
export function listPeople(count: number): Array<{ readonly person: PersonRef; readonly mailbox: string }> {
  const employees = Math.ceil(count / 2);
  return Array.from({ length: count }, (_, i) => ({
    person: i < employees ? { type: 'pracownik' as const, id: i + 1 } : { type: 'operator' as const, id: i - employees + 1 },
    mailbox: mailboxOf(i + 1),
  }));
}

/** The config's `mailboxes.map` for `people`. */
export function mapOf(people: ReturnType<typeof listPeople>): Record<string, string> {
  return Object.fromEntries(people.map((p) => [`${p.person.type}:${p.person.id}`, p.mailbox]));
}

/** Reassigns every order in the database to `people` in turn (as someone would in Optima); order id → mailbox. */
export function spreadOrders(db: Database.Database, people: ReturnType<typeof listPeople>): Map<number, string> {
  const ids = (db.prepare('SELECT SrZ_SrZId AS id FROM SrsZlecenia ORDER BY SrZ_SrZId').all() as { id: number }[]).map((r) => r.id);
  const routed = new Map<number, string>();
  ids.forEach((id, i) => {
    const p = people[i % people.length];
    reassignOrder(db, id, p.person);
    routed.set(id, p.mailbox);
  });
  return routed;
}

/** One order that should be in a calendar: where, when (UTC) and under what number. */
export interface ExpectedEvent {
  readonly sourceKey: string;
  readonly mailbox: string;
  readonly startUtc: string;
  readonly numer: string;
}

const EMPTY_DAY = '1899-12-30';

/**
 * Orders in the sync's scope (not cancelled) that have a date, read straight from the database:
 * realization date, else the date received; Optima's 1899-12-30 means "no date".
 */
export function expectedEvents(db: Database.Database, routed: ReadonlyMap<number, string>): Map<string, ExpectedEvent> {
  const rows = db.prepare('SELECT SrZ_SrZId AS id, SrZ_NumerPelny AS numer, SrZ_DataRealizacji AS realizacja, SrZ_DataPrzyjecia AS przyjecie FROM SrsZlecenia WHERE SrZ_Bufor >= 0').all() as
    Array<{ id: number; numer: string; realizacja: string | null; przyjecie: string | null }>;
  const expected = new Map<string, ExpectedEvent>();
  for (const row of rows) {
    const local = [row.realizacja, row.przyjecie].find((d) => d && d.trim() !== '' && !d.startsWith(EMPTY_DAY));
    const mailbox = routed.get(row.id);
    if (!local || !mailbox) continue;
    const sourceKey = `serwis:zlecenie:${row.id}`;
    expected.set(sourceKey, { sourceKey, mailbox, startUtc: warsawToUtc(local), numer: row.numer });
  }
  return expected;
}

/**
 * Warsaw wall time (`YYYY-MM-DD HH:mm[:ss…]`) → UTC ISO instant, worked out independently of the
 * product: the summer offset if it reads back the same, else the winter one; a time in the spring
 * gap is taken at the winter offset (so it shows as one hour later); a repeated autumn hour is
 * the first (summer) one.
 */
export function warsawToUtc(local: string): string {
  const wall = `${local.slice(0, 10)}T${local.slice(11, 19).padEnd(8, ':00').slice(0, 8)}Z`;
  const asUtc = Date.parse(wall);
  const format = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Warsaw', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const readsBack = (ms: number) => format.format(new Date(ms)).replace(' ', 'T') === wall.slice(0, 19);
  for (const offsetHours of [2, 1]) {
    const candidate = asUtc - offsetHours * 3_600_000;
    if (readsBack(candidate)) return new Date(candidate).toISOString();
  }
  return new Date(asUtc - 3_600_000).toISOString();
}

/** Every stamped event in `mailboxes`' calendar `calendarName`, by source key. */
export function eventsByKey(graph: GraphEmulator, mailboxes: readonly string[], calendarName: string): Map<string, Array<{ mailbox: string; subject: string; startUtc: string }>> {
  const byKey = new Map<string, Array<{ mailbox: string; subject: string; startUtc: string }>>();
  for (const mailbox of mailboxes) {
    for (const e of graph.listEvents(mailbox, calendarName)) {
      const key = Object.values(e.extendedProperties)[0] ?? `(no stamp) ${e.id}`;
      const list = byKey.get(key) ?? [];
      list.push({ mailbox, subject: e.subject, startUtc: e.startUtc });
      byKey.set(key, list);
    }
  }
  return byKey;
}

/**
 * Checks that every expected order has exactly one event, in its mailbox, at its instant, with its
 * number in the subject, and that no other event exists. Returns the problems (empty = all good).
 */
export function compareCalendars(graph: GraphEmulator, mailboxes: readonly string[], calendarName: string, expected: ReadonlyMap<string, ExpectedEvent>): string[] {
  const actual = eventsByKey(graph, mailboxes, calendarName);
  const problems: string[] = [];
  for (const [key, want] of expected) {
    const got = actual.get(key) ?? [];
    if (got.length !== 1) {
      problems.push(`${key} (${want.numer}): ${got.length} events, expected 1 in ${want.mailbox}`);
      continue;
    }
    const [event] = got;
    if (event.mailbox !== want.mailbox) problems.push(`${key}: in ${event.mailbox}, expected ${want.mailbox}`);
    if (event.startUtc !== want.startUtc) problems.push(`${key}: starts ${event.startUtc}, expected ${want.startUtc}`);
    if (!event.subject.startsWith(want.numer)) problems.push(`${key}: subject "${event.subject}" does not start with ${want.numer}`);
  }
  for (const [key, got] of actual) if (!expected.has(key)) problems.push(`${key}: unexpected event(s) in ${got.map((g) => g.mailbox).join(', ')}`);
  return problems;
}

/** Samples `graph.inFlight` for each mailbox every millisecond; `stop()` returns the highest seen per mailbox. */
export function sampleInFlight(graph: GraphEmulator, appId: string, mailboxes: readonly string[]): { stop(): Map<string, number> } {
  const highest = new Map(mailboxes.map((m) => [m, 0]));
  const sample = () => {
    for (const m of mailboxes) highest.set(m, Math.max(highest.get(m) ?? 0, graph.inFlight(appId, m)));
  };
  const timer = setInterval(sample, 1);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return highest;
    },
  };
}
