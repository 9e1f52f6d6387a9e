import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Router, type Express } from 'express';
import type { RecordResponse } from '../shared/addin-api.ts';
import type { Link, RunReport, SourceRow } from '../server/domain/types.ts';
import type { SourceReader } from '../server/source/source-reader.ts';
import type { AddinUser } from '../server/api/addin-auth.ts';
import { validateConfig } from '../server/config/validate-config.ts';
import { formatConfigErrors } from '../server/config/format-config-errors.ts';
import { createOptimaDemoDatabase } from '../server/demo/optima-db.ts';
import { createRandom } from '../server/demo/optima-demo-data.ts';
import { createSqliteSourceReader } from '../server/source/sqlite-source-reader.ts';
import { createMemoryTarget } from '../server/targets/memory/memory-target.ts';
import { createAddinAuthFromConfig } from '../server/api/mount-addin-api.ts';
import { describeSyncStatus, toServiceOrderView } from '../server/api/addin-records.ts';
import { parseSourceKey, renderRecord } from '../server/sync/resync-record.ts';
import { buildRuntime, startServer, type RunningServer, type Runtime } from '../server/main.ts';
import { createLocalCa, trustLocalCa } from '../test/emulators/tls/local-ca.ts';
import { startEntraEmulator, type EntraEmulator } from '../test/emulators/entra/entra-emulator.ts';
import { computeMedian, formatNumber, formatRatio, formatTable, measureMs } from './bench-table.ts';

/**
 * Record lookup (issue 5): what `GET /api/addin/records` costs the server at BENCH_ORDERS linked
 * service orders (default 100 000), asked by the event's owner with a real SSO token.
 *
 * - ours: the real server (`startServer` → createApi + mountAddinApi) listening on a port, called
 *   with `fetch`; tokens issued by the Entra emulator and checked against its published keys
 *   (RS256, issuer, audience, tenant, scope). By `sourceKey` (primary key of the links table +
 *   one `WHERE id = ?` query) and by `eventId&idType=rest` (the unique remote-id index first).
 * - naive (baseline, same server, same token check, same render and same reply): a route the
 *   benchmark mounts that finds things without any index — every in-scope row of the table read
 *   (`readChangedRows(kind, null)`, the query a full pass runs) and scanned for the id; by event id
 *   it first reads every link (`SELECT * FROM links`) and scans for the remote id.
 *
 * Prints p50/p95/p99 and ratios; the goal line is computed from them and never asserted.
 */

const ORDERS = readPositiveInt('BENCH_ORDERS', 100_000);
const LOOKUPS = readPositiveInt('BENCH_LOOKUPS', 500);
const NAIVE_LOOKUPS = readPositiveInt('BENCH_NAIVE_LOOKUPS', 20);
const WARMUP = 20;
const GOAL_P95_MS = 50;
const KIND = 'serwis:zlecenie';
const TENANT = '5b7c1f3e-2d4a-4c6b-9e8f-0a1b2c3d4e5f';
const CLIENT = '7d9e2a4b-6c8d-4e0f-a1b2-c3d4e5f60718';
const NAIVE_PATH = '/bench/naive/records';

function readPositiveInt(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text.trim() === '') return fallback;
  const value = Number(text.replace(/[_\s]/g, ''));
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${name}=${JSON.stringify(text)} is not a positive whole number — set e.g. ${name}=${fallback}.`);
  }
  return value;
}

/** Nearest-rank percentile of a non-empty list. */
function computePercentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

interface Lookup {
  readonly link: Link;
  readonly token: string;
}

type Query = (link: Link) => Record<string, string>;
const BY_SOURCE_KEY: Query = (link) => ({ sourceKey: link.sourceKey });
const BY_EVENT_ID: Query = (link) => ({ eventId: link.remoteId, idType: 'rest' });

interface WayResult {
  readonly times: readonly number[];
  readonly sourceQueries: number;
  readonly sourceRows: number;
  readonly calendarRequests: number;
}

function buildBenchRuntime(dir: string, entra: EntraEmulator, companyDbPath: string, configDbPath: string): Runtime {
  const validated = validateConfig({
    source: { type: 'sqlite', sqlite: { companyDb: companyDbPath, configDb: configDbPath } },
    // The Entra emulator plays login.microsoftonline.com: the add-in tokens are checked against its keys.
    microsoft: { tenantId: TENANT, clientId: CLIENT, clientSecret: 'bench-no-graph', authority: entra.url, knownAuthorities: [entra.host] },
    // Optima's e-mails route each order to its leader's own mailbox, so there are many owners.
    mailboxes: { default: 'serwis@bench.example', unassigned: 'default', useOptimaEmail: true },
    // One poll a day: only the start-up poll runs (awaited before measuring), none during the lookups.
    sync: { intervalSeconds: 86_400, fullPass: { everyHours: 24 } },
    server: { dataDir: path.join(dir, 'server') },
  });
  if (!validated.ok) throw new Error(`The benchmark's configuration is invalid (a bug in the benchmark):\n${formatConfigErrors(validated.errors)}`);
  const reader = createSqliteSourceReader({ companyDbPath, configDbPath });
  return buildRuntime(validated.config, { reader, target: createMemoryTarget() });
}

function failIfRunFailed(report: RunReport, what: string): void {
  if (report.error || report.failed > 0 || report.held) {
    throw new Error(`${what} did not finish cleanly: ${report.error ?? report.held?.message ?? `${report.failed} failed items, first: ${report.failures[0]?.message}`}`);
  }
}

/** A reader that answers `readRow` with the row the naive route already found; everything else goes to `reader`. */
function answerRowWith(reader: SourceReader, row: SourceRow | null): SourceReader {
  return {
    readChangedRows: (kind, since) => reader.readChangedRows(kind, since),
    readRow: async () => row,
    readSourceIds: (kind) => reader.readSourceIds(kind),
    readSourceChecksum: (kind) => reader.readSourceChecksum(kind),
    readPeople: () => reader.readPeople(),
    runExtraQuery: (sql, params) => reader.runExtraQuery(sql, params),
    checkSchema: () => reader.checkSchema(),
    stats: reader.stats,
    close: () => reader.close(),
  };
}

/**
 * The baseline route: the same token check, access rule, render and reply as `GET /api/addin/records`,
 * but every lookup is a scan. Only answers lookups of linked records (what the benchmark asks).
 */
function mountNaiveRecordsRoute(app: Express, runtime: Runtime, linksDb: Database.Database): void {
  const auth = createAddinAuthFromConfig(runtime.config);
  const selectAllLinks = linksDb.prepare('SELECT source_key, remote_id FROM links');
  const router = Router();
  router.get('/', auth.requireUser, (req, res, next) => {
    (async () => {
      const user = res.locals.user as AddinUser;
      const deps = runtime.deps;
      const settings = runtime.settings;
      let key = typeof req.query.sourceKey === 'string' ? req.query.sourceKey : '';
      if (typeof req.query.eventId === 'string') {
        // No remote-id index: read every link and compare.
        const eventId = req.query.eventId;
        const all = selectAllLinks.all() as { source_key: string; remote_id: string }[];
        key = all.find((l) => l.remote_id === eventId)?.source_key ?? '';
      }
      const parsed = parseSourceKey(key, settings.kinds);
      if (!parsed) return res.status(404).json({ found: false });
      // No row-by-id query: read the whole in-scope table (as a full pass does) and pick the id.
      const rows = await deps.reader.readChangedRows(parsed.kind, null);
      const row = rows.find((r) => r.id === parsed.id) ?? null;
      const rendered = await renderRecord({ ...deps, reader: answerRowWith(deps.reader, row) }, settings, parsed);
      const link = deps.store.getLink(parsed.key);
      if (!user.isAdmin && link?.mailbox.toLowerCase() !== user.mailbox) return res.status(403).json({ found: false });
      if (!rendered.row) return res.status(404).json({ found: false });
      const body: RecordResponse = {
        found: true, sourceKey: parsed.key,
        record: toServiceOrderView(rendered.row, settings.render.timeZone, deps.people.people),
        sync: await describeSyncStatus({ store: deps.store, target: deps.target }, parsed.key, rendered),
      };
      res.json(body);
    })().catch(next);
  });
  app.use(NAIVE_PATH, router);
}

/** One lookup over HTTP, timed from the request to the parsed reply; throws unless the owner got the record. */
async function lookUp(baseUrl: string, route: string, query: Record<string, string>, lookup: Lookup): Promise<number> {
  const url = `${baseUrl}${route}?${new URLSearchParams(query)}`;
  const t0 = performance.now();
  const res = await fetch(url, { headers: { authorization: `Bearer ${lookup.token}` } });
  const body = await res.json() as RecordResponse;
  const ms = performance.now() - t0;
  if (res.status !== 200 || !body.found || body.sourceKey !== lookup.link.sourceKey) {
    throw new Error(`${route} ${JSON.stringify(query)} answered ${res.status} ${JSON.stringify(body).slice(0, 300)} — expected the owner's record ${lookup.link.sourceKey}.`);
  }
  return ms;
}

async function measureWay(runtime: Runtime, baseUrl: string, route: string, query: Query, lookups: readonly Lookup[]): Promise<WayResult> {
  const reader = runtime.deps.reader.stats;
  const target = runtime.deps.target.stats;
  const before = { q: reader.queries, r: reader.rowsRead, c: target.requests };
  const times: number[] = [];
  for (const lookup of lookups) times.push(await lookUp(baseUrl, route, query(lookup.link), lookup));
  const n = lookups.length;
  return {
    times, sourceQueries: (reader.queries - before.q) / n, sourceRows: (reader.rowsRead - before.r) / n, calendarRequests: (target.requests - before.c) / n,
  };
}

function pickLookups(links: readonly Link[], tokens: ReadonlyMap<string, string>, count: number, seed: number): Lookup[] {
  const random = createRandom(seed);
  return Array.from({ length: count }, () => {
    const link = links[Math.floor(random() * links.length)];
    return { link, token: tokens.get(link.mailbox)! };
  });
}

function printResults(rows: readonly (readonly [string, WayResult])[], verifyTimes: readonly number[], linkCount: number): void {
  const ms = (v: number) => formatNumber(v, 2);
  const q = (v: number) => formatNumber(v, v % 1 === 0 ? 0 : 1);
  console.log('\nGET /api/addin/records, one owner asking for one linked record, sequential, wall clock per request (fetch → parsed JSON):');
  console.log(formatTable(
    ['way', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'source queries', 'rows read', 'calendar requests', 'requests'],
    rows.map(([name, w]) => [
      name, ms(computePercentile(w.times, 50)), ms(computePercentile(w.times, 95)), ms(computePercentile(w.times, 99)),
      ms(Math.max(...w.times)), q(w.sourceQueries), q(w.sourceRows), q(w.calendarRequests), String(w.times.length),
    ]),
  ));
  console.log('  source queries / rows read / calendar requests: per request (reader and memory-calendar counters).');
  console.log('  ours: 1 indexed row query; rows read 1 + the people list when its cache is cold. calendar requests: the drift check');
  console.log('  (GET of the event\'s change key), answered in-process by the memory calendar — on Graph that is one network round trip more.');
  console.log(`  naive by eventId also reads all ${formatNumber(linkCount)} links from state.db per request (SELECT source_key, remote_id FROM links; not a source query).`);
  console.log(`  token check alone (auth.verify, in-process, RS256 with cached keys): median ${ms(computeMedian(verifyTimes))} ms, p95 ${ms(computePercentile(verifyTimes, 95))} ms of ${verifyTimes.length}.`);

  const find = (name: string) => rows.find(([n]) => n.startsWith(name))![1];
  const ratio = (naive: WayResult, ours: WayResult, p: number) => formatRatio(computePercentile(naive.times, p), computePercentile(ours.times, p));
  const oursKey = find('ours, by sourceKey');
  const oursEvent = find('ours, by eventId');
  console.log('\nRatios (naive / ours):');
  console.log(formatTable(['lookup', 'p50', 'p95'], [
    ['by sourceKey', ratio(find('naive, by sourceKey'), oursKey, 50), ratio(find('naive, by sourceKey'), oursKey, 95)],
    ['by eventId (rest)', ratio(find('naive, by eventId'), oursEvent, 50), ratio(find('naive, by eventId'), oursEvent, 95)],
  ]));

  const verdict = (v: number) => (v <= GOAL_P95_MS ? 'MET' : 'NOT MET');
  const scale = ORDERS < 100_000 ? ` (fewer than the issue's 100 000: the result holds for this size only)` : '';
  console.log(`\nGoal from the issue: "record lookup at 100k links (server side, p95) ≤${GOAL_P95_MS} ms" — measured above at ${formatNumber(ORDERS)} orders${scale}:`);
  console.log(formatTable(['goal', 'measured p95', 'result'], [
    [`≤${GOAL_P95_MS} ms p95, by sourceKey`, `${ms(computePercentile(oursKey.times, 95))} ms`, verdict(computePercentile(oursKey.times, 95))],
    [`≤${GOAL_P95_MS} ms p95, by eventId`, `${ms(computePercentile(oursEvent.times, 95))} ms`, verdict(computePercentile(oursEvent.times, 95))],
  ]));
  console.log('  Server side on loopback with SQLite in-process and the memory calendar: SQL Server and Graph round trips are not in these numbers.');
}

async function main(): Promise<void> {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(`Record lookup benchmark — ${formatNumber(ORDERS)} service orders (BENCH_ORDERS), ${LOOKUPS} lookups of ours per way (BENCH_LOOKUPS), ${NAIVE_LOOKUPS} naive (BENCH_NAIVE_LOOKUPS)`);
  // Other processes on the machine show up in p99 and max; the load average says how busy it was.
  console.log(`Machine: Node ${process.version}, ${availableParallelism()} CPUs (${cpu}), ${process.platform}/${process.arch}, load average ${loadavg().map((l) => formatNumber(l, 1)).join(' / ')} (1/5/15 min) at start`);

  const dir = mkdtempSync(path.join(tmpdir(), 'optima-bench-lookup-'));
  const ca = await createLocalCa();
  trustLocalCa(ca.caPem);
  const entra = await startEntraEmulator({ tls: ca, tenantId: TENANT, clients: [{ clientId: CLIENT, secret: 'bench-no-graph' }] });
  let runtime: Runtime | null = null;
  let server: RunningServer | null = null;
  let linksDb: Database.Database | null = null;
  try {
    const built = await measureMs(() => createOptimaDemoDatabase({ dir: path.join(dir, 'optima'), orders: ORDERS, seed: 1 }));
    console.log(`\nDemo Optima database generated in ${formatNumber(built.ms / 1000, 1)} s (seed 1).`);
    runtime = buildBenchRuntime(dir, entra, built.value.companyDbPath, built.value.configDbPath);
    const initial = await measureMs(() => runtime!.runOnce());
    failIfRunFailed(initial.value.report, 'The initial full load');
    console.log(`Initial full load into the memory calendar: ${formatNumber(initial.ms / 1000, 1)} s — ${formatNumber(initial.value.report.created)} events created, ${formatNumber(initial.value.report.skipped)} records skipped.`);

    const rt = runtime;
    const db = new Database(path.join(rt.config.server.dataDir, 'state.db'), { readonly: true, fileMustExist: true });
    linksDb = db;
    server = await startServer(rt, { port: 0, extend: (app) => mountNaiveRecordsRoute(app, rt, db) });
    // The scheduler polls once at start; wait for that poll so no sync runs during the lookups.
    failIfRunFailed((await server.scheduler.runNow()).report, 'The start-up poll');

    const links = [...rt.store.loadLinks().values()];
    const mailboxes = [...new Set(links.map((l) => l.mailbox))];
    // One token per person, as Office hands the add-in one SSO token and reuses it for an hour.
    const tokens = new Map(mailboxes.map((m, i) => [m, entra.issueUserToken({ oid: `${String(i).padStart(8, '0')}-1111-4222-8333-444444444444`, upn: m, audience: `api://${CLIENT}` })]));
    console.log(`Links: ${formatNumber(links.length)} in ${mailboxes.length} mailboxes; each request asks for a random linked record (seeded) with its owner's token.`);

    const base = server.url;
    const route = '/api/addin/records';
    const warm = pickLookups(links, tokens, WARMUP, 7);
    // jose fetches the key set (HTTPS to the Entra emulator) on the first token it checks: timed apart.
    const cold = await lookUp(base, route, BY_SOURCE_KEY(warm[0].link), warm[0]);
    const coldNaive = await lookUp(base, NAIVE_PATH, BY_SOURCE_KEY(warm[0].link), warm[0]);
    // Naive first: its garbage (whole-table reads) is collected before ours is measured.
    for (const w of warm.slice(0, 2)) await lookUp(base, NAIVE_PATH, BY_EVENT_ID(w.link), w);
    for (const w of warm) {
      await lookUp(base, route, BY_SOURCE_KEY(w.link), w);
      await lookUp(base, route, BY_EVENT_ID(w.link), w);
    }
    console.log(`Warm-up (not measured): the first request took ${formatNumber(cold, 1)} ms (includes fetching the signing keys from the Entra emulator once);`
      + ` the naive route's first ${formatNumber(coldNaive, 1)} ms (its own key fetch); then 2 naive lookups and ${WARMUP} of each of ours.`);

    const oursKey = await measureWay(rt, base, route, BY_SOURCE_KEY, pickLookups(links, tokens, LOOKUPS, 11));
    const oursEvent = await measureWay(rt, base, route, BY_EVENT_ID, pickLookups(links, tokens, LOOKUPS, 13));
    const naiveKey = await measureWay(rt, base, NAIVE_PATH, BY_SOURCE_KEY, pickLookups(links, tokens, NAIVE_LOOKUPS, 17));
    const naiveEvent = await measureWay(rt, base, NAIVE_PATH, BY_EVENT_ID, pickLookups(links, tokens, NAIVE_LOOKUPS, 19));

    const auth = createAddinAuthFromConfig(rt.config);
    const verifyLookups = pickLookups(links, tokens, 200, 23);
    await auth.verify(verifyLookups[0].token);
    const verifyTimes: number[] = [];
    for (const v of verifyLookups) verifyTimes.push((await measureMs(() => auth.verify(v.token))).ms);

    printResults([
      ['naive, by sourceKey: whole table read + scan', naiveKey],
      ['ours, by sourceKey', oursKey],
      ['naive, by eventId: all links + whole table', naiveEvent],
      ['ours, by eventId (idType=rest)', oursEvent],
    ], verifyTimes, links.length);
  } finally {
    await server?.close();
    linksDb?.close();
    await runtime?.close();
    await entra.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
