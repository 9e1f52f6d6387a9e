/**
 * Shared by the CRM end-to-end tests: a demo world syncing service orders and CRM tasks, and
 * readers of what landed in the owners' mailboxes. One world per process: the demo trusts its
 * local CA process-wide, so a second demo in the same process cannot reach its emulators.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { startDemo, type Demo, type DemoOptions, DEMO_DEFAULT_MAILBOX } from '../../server/demo/start-demo.ts';
import { openOptimaDemoDatabase } from '../../server/demo/optima-demo-writes.ts';
import { zonedToUtc } from '../../server/render/time-zone.ts';
import { demoServerApi } from '../support/demo-server-api.ts';

export interface World {
  readonly demo: Demo;
  readonly db: Database.Database;
  readonly dir: string;
}

export async function startWorld(crm?: DemoOptions['crm']): Promise<World> {
  const dir = mkdtempSync(path.join(tmpdir(), 'optima-crm-e2e-'));
  const demo = await startDemo({ dir, port: 0, orders: 60, secondCompanyOrders: 0, intervalSeconds: 3600, simulatorMs: 0, kinds: ['serwis:zlecenie', 'crm:zadanie'], crm: crm ?? {} });
  return { demo, db: openOptimaDemoDatabase(demo.companyDbPath), dir };
}

export async function stopWorld(w: World | undefined): Promise<void> {
  w?.db.close();
  await w?.demo.close();
  if (w) rmSync(w.dir, { recursive: true, force: true });
}

export const api = <T>(w: World, method: 'GET' | 'POST', route: string) => demoServerApi(() => w.demo.url).api<T>(method, route);
export const syncNow = (w: World) => demoServerApi(() => w.demo.url).syncNow();
export const waitForFirstRun = async (w: World): Promise<void> => { await demoServerApi(() => w.demo.url).waitForFirstRun(); };

export interface SeenEvent {
  readonly mailbox: string;
  readonly subject: string;
  readonly location: string;
  readonly startUtc: string;
  readonly endUtc: string;
  readonly showAs: string;
  readonly categories: readonly string[];
}

/** Every CRM event in every mailbox, by source key. */
export function crmEvents(w: World): Map<string, SeenEvent[]> {
  const byKey = new Map<string, SeenEvent[]>();
  const mailboxes = [DEMO_DEFAULT_MAILBOX, ...w.demo.people.flatMap((p) => (p.email ? [p.email] : []))];
  for (const mailbox of new Set(mailboxes)) {
    for (const e of w.demo.graph.listEvents(mailbox, w.demo.config.calendar.name)) {
      const key = Object.values(e.extendedProperties)[0];
      if (!key.startsWith('crm:zadanie:')) continue;
      const list = byKey.get(key) ?? [];
      list.push({ mailbox, subject: e.subject, location: (e as { location?: string }).location ?? '', startUtc: e.startUtc, endUtc: e.endUtc, showAs: e.showAs, categories: e.categories });
      byKey.set(key, list);
    }
  }
  return byKey;
}

export interface TaskInDb {
  readonly id: number;
  readonly zadanie: number;
  readonly temat: string;
  readonly typ: number;
  readonly kto: number;
  readonly od: string;
  readonly do: string;
  readonly bufor: number;
  readonly anulowany: number;
}

export function tasksInDb(w: World): TaskInDb[] {
  return w.db.prepare(
    `SELECT CRK_CRKId AS id, CRK_Zadanie AS zadanie, CRK_Temat AS temat, CRK_OpiekunTyp AS typ, CRK_OpiekunId AS kto,
            CRK_TerminOd AS od, CRK_TerminDo AS "do", CRK_Bufor AS bufor, CRK_Anulowany AS anulowany
     FROM CRMKontakty ORDER BY CRK_CRKId`,
  ).all() as TaskInDb[];
}

export function mailboxOf(w: World, typ: number, kto: number): string {
  const person = w.demo.people.find((p) => (p.type === 'pracownik' ? 3 : 8) === typ && p.id === kto);
  return person?.email ?? DEMO_DEFAULT_MAILBOX;
}

export function utcOf(wall: string): string {
  return zonedToUtc(wall.slice(0, 19).replace(' ', 'T'), 'Europe/Warsaw').utc.toISOString();
}

export const hasTerm = (t: TaskInDb) => !t.od.startsWith('1899-12-30');
export const isCancelled = (t: TaskInDb) => t.bufor < 0 || t.anulowany === 1;

