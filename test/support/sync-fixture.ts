import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Config } from '../../server/config/schema.ts';
import { validateConfig } from '../../server/config/validate-config.ts';
import { buildRuntime, type Runtime, type RuntimeOverrides } from '../../server/main.ts';
import { createOptimaDemoDatabase, listDemoPeople, type OptimaDemoDatabase } from '../../server/demo/optima-db.ts';
import { openOptimaDemoDatabase } from '../../server/demo/optima-demo-writes.ts';
import { createMemoryTarget, type MemoryEvent, type MemoryTarget } from '../../server/targets/memory/memory-target.ts';

/**
 * A small Optima-shaped demo database, a validated configuration pointing at it, and a runtime
 * built on the in-memory calendar with a clock the test moves. Shared by the sync, API and CLI tests.
 */

/** "Now" of the generated demo world: 2026-05-15 12:00 in Warsaw (CEST). */
export const FIXTURE_NOW = new Date('2026-05-15T10:00:00Z');
export const DEFAULT_MAILBOX = 'serwis@firma.pl';
export const TENANT_ID = '3f0c8a52-6a4b-4c8e-9d3e-0a1b2c3d4e5f';
export const CLIENT_ID = '7d1e2f30-4a5b-4c6d-8e9f-a0b1c2d3e4f5';

export interface Clock {
  now(): Date;
  advance(ms: number): Date;
}

export function createClock(start: Date = FIXTURE_NOW): Clock {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    advance(ms) {
      current = new Date(current.getTime() + ms);
      return new Date(current);
    },
  };
}

export interface FixtureOptions {
  readonly orders?: number;
  /** Changes to the raw configuration before it is validated (the YAML a user would write). */
  readonly configure?: (raw: RawConfig) => void;
}

export type RawConfig = Record<string, Record<string, unknown>>;

export interface SyncFixture {
  readonly dir: string;
  readonly dataDir: string;
  readonly demo: OptimaDemoDatabase;
  readonly raw: RawConfig;
  readonly config: Config;
  readonly clock: Clock;
  readonly target: MemoryTarget;
  readonly runtime: Runtime;
  /** The first runtime's state store (links, runs, watermarks). */
  store(): Runtime['store'];
  /** A writable handle on the demo company database (Optima's side). */
  openOptima(): Database.Database;
  /** Another runtime on the same folders (a restart, or a second process). */
  buildAnotherRuntime(overrides?: RuntimeOverrides): Runtime;
  close(): Promise<void>;
}

/** The raw configuration a user would write for the demo files (secret given, GUIDs valid). */
export function buildRawConfig(dir: string, demo: Pick<OptimaDemoDatabase, 'companyDbPath' | 'configDbPath'>): RawConfig {
  return {
    source: { type: 'sqlite', sqlite: { companyDb: demo.companyDbPath, configDb: demo.configDbPath } },
    microsoft: { tenantId: TENANT_ID, clientId: CLIENT_ID, clientSecret: 'fixture-client-secret-1234' },
    mailboxes: { default: DEFAULT_MAILBOX, unassigned: 'default', useOptimaEmail: true },
    calendar: { name: 'Optima Serwis', timeZone: 'Europe/Warsaw' },
    sync: { intervalSeconds: 30, overlapSeconds: 120 },
    server: { dataDir: join(dir, 'data') },
    // Tests about other things see every demo record; the date window has its own tests.
    filters: { default: { daysBack: null, daysAhead: null } },
  };
}

/** Validates like the server does; throws with every error listed when the test wrote a bad config. */
export function validateOrThrow(raw: unknown): Config {
  const result = validateConfig(raw);
  if (!result.ok) throw new Error(`test config invalid:\n${result.errors.map((e) => `${e.path}: ${e.message}`).join('\n')}`);
  return result.config;
}

export function createSyncFixture(options: FixtureOptions = {}): SyncFixture {
  const dir = mkdtempSync(join(tmpdir(), 'optima-sync-test-'));
  const demo = createOptimaDemoDatabase({ dir: join(dir, 'optima'), orders: options.orders ?? 40, now: FIXTURE_NOW });
  const raw = buildRawConfig(dir, demo);
  options.configure?.(raw);
  const config = validateOrThrow(raw);
  const clock = createClock();
  const target = createMemoryTarget();
  const runtimes: Runtime[] = [];
  const handles: Database.Database[] = [];
  const build = (overrides: RuntimeOverrides = {}): Runtime => {
    const runtime = buildRuntime(config, { target, now: clock.now, ...overrides });
    runtimes.push(runtime);
    return runtime;
  };
  const runtime = build();
  return {
    dir, dataDir: config.server.dataDir, demo, raw, config, clock, target, runtime,
    store: () => runtime.store,
    openOptima() {
      const db = openOptimaDemoDatabase(demo.companyDbPath);
      handles.push(db);
      return db;
    },
    buildAnotherRuntime: build,
    async close() {
      for (const db of handles) if (db.open) db.close();
      for (const r of runtimes) await r.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One service order as Optima holds it (the columns a user would look at). */
export interface OptimaOrder {
  readonly id: number;
  readonly number: string;
  readonly description: string | null;
  readonly bufor: number;
  readonly realization: string | null;
  readonly received: string | null;
  readonly leader: { readonly type: 'pracownik' | 'operator'; readonly id: number } | null;
  readonly modifiedAt: string;
}

export function readOptimaOrders(companyDbPath: string): OptimaOrder[] {
  const db = new Database(companyDbPath, { readonly: true });
  try {
    const rows = db.prepare(`SELECT SrZ_SrZId, SrZ_NumerPelny, SrZ_Opis, SrZ_Bufor, SrZ_DataRealizacji, SrZ_DataPrzyjecia,
      SrZ_ProwadzacyTyp, SrZ_ProwadzacyId, SrZ_TS_Mod FROM SrsZlecenia ORDER BY SrZ_SrZId`).all() as Record<string, unknown>[];
    return rows.map((r) => ({
      id: Number(r.SrZ_SrZId),
      number: String(r.SrZ_NumerPelny),
      description: r.SrZ_Opis === null ? null : String(r.SrZ_Opis),
      bufor: Number(r.SrZ_Bufor),
      realization: r.SrZ_DataRealizacji === null ? null : String(r.SrZ_DataRealizacji),
      received: r.SrZ_DataPrzyjecia === null ? null : String(r.SrZ_DataPrzyjecia),
      leader: r.SrZ_ProwadzacyTyp === 3 ? { type: 'pracownik', id: Number(r.SrZ_ProwadzacyId) }
        : r.SrZ_ProwadzacyTyp === 8 ? { type: 'operator', id: Number(r.SrZ_ProwadzacyId) } : null,
      modifiedAt: String(r.SrZ_TS_Mod),
    }));
  } finally {
    db.close();
  }
}

const EMPTY_DAY = '1899-12-30';

/** Optima's "no date": null, blank, or the 1899-12-30 day. */
export function isNoDate(value: string | null): boolean {
  return value === null || value.trim() === '' || value.startsWith(EMPTY_DAY);
}

/** In the sync's scope: confirmed orders and drafts; cancelled (negative bufor) ones are not. */
export function isInScope(order: OptimaOrder): boolean {
  return order.bufor >= 0;
}

export function isDated(order: OptimaOrder): boolean {
  return !isNoDate(order.realization) || !isNoDate(order.received);
}

/** E-mail of a demo person as Optima holds it, or null. */
export function optimaEmailOf(person: { type: string; id: number }): string | null {
  return listDemoPeople().find((p) => p.type === person.type && p.id === person.id)?.email ?? null;
}

/** Every event in the given mailboxes, by source key (fails on a duplicate). */
export function collectEvents(target: MemoryTarget, mailboxes: Iterable<string>): Map<string, MemoryEvent> {
  const byKey = new Map<string, MemoryEvent>();
  for (const mailbox of mailboxes) {
    for (const e of target.events(mailbox)) {
      if (e.sourceKey === null) continue;
      if (byKey.has(e.sourceKey)) throw new Error(`two events for ${e.sourceKey}: ${byKey.get(e.sourceKey)?.mailbox} and ${e.mailbox}`);
      byKey.set(e.sourceKey, e);
    }
  }
  return byKey;
}

/** Every mailbox a demo event could land in (the default plus each person's Optima e-mail). */
export function demoMailboxes(extra: readonly string[] = []): string[] {
  const emails = listDemoPeople().map((p) => p.email).filter((e): e is string => e !== null);
  return [...new Set([DEFAULT_MAILBOX, ...emails, ...extra])];
}

export function orderKey(id: number): string {
  return `serwis:zlecenie:${id}`;
}
