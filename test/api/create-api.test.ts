import { test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import type { Express } from 'express';
import { createApi } from '../../server/api/create-api.ts';
import { VERSION, startServer } from '../../server/main.ts';
import { createScheduler, type Scheduler } from '../../server/sync/scheduler.ts';
import { deleteOrder } from '../../server/demo/optima-demo-writes.ts';
import type { StatusResponse } from '../../shared/api-types.ts';
import { createMemoryTarget } from '../../server/targets/memory/memory-target.ts';
import { DEFAULT_MAILBOX, collectEvents, createSyncFixture, demoMailboxes, isDated, isInScope, orderKey, readOptimaOrders, type SyncFixture } from '../support/sync-fixture.ts';

const ADMIN_TOKEN = 'tajny-token-administratora-123';

interface ApiFixture {
  readonly f: SyncFixture;
  readonly app: Express;
  readonly scheduler: Scheduler;
}

async function withApi(options: { adminToken?: string | null }, body: (api: ApiFixture) => Promise<void>): Promise<void> {
  const f = createSyncFixture();
  const scheduler = createScheduler({ runOnce: () => f.runtime.runOnce(), intervalMs: 30_000, logger: f.runtime.logger });
  const app = createApi({
    store: f.runtime.store, scheduler, intervalSeconds: 30, version: VERSION, demo: false, adminToken: options.adminToken ?? null,
  });
  try {
    await body({ f, app, scheduler });
  } finally {
    await scheduler.stop();
    await f.close();
  }
}

function linkedEventCount(f: SyncFixture): number {
  return collectEvents(f.target, demoMailboxes()).size;
}

test('GET /healthz answers ok', async () => {
  await withApi({}, async ({ app }) => {
    const res = await request(app).get('/healthz').expect(200).expect('content-type', /json/);
    assert.deepEqual(res.body, { ok: true });
  });
});

test('GET /api/status before any run, then after one: last run counts and links equal to the events in calendars', async () => {
  await withApi({}, async ({ f, app }) => {
    const empty = (await request(app).get('/api/status').expect(200)).body as StatusResponse;
    assert.equal(empty.lastRun, null);
    assert.equal(empty.links, 0);
    assert.equal(empty.version, VERSION);
    assert.equal(empty.intervalSeconds, 30);

    const { report } = await f.runtime.runOnce();
    const status = (await request(app).get('/api/status').expect(200)).body as StatusResponse;
    assert.ok(status.lastRun);
    assert.equal(status.lastRun.runId, report.runId);
    for (const key of ['startedAt', 'finishedAt', 'created', 'updated', 'deleted', 'skipped', 'failed', 'held'] as const) {
      assert.ok(key in status.lastRun, `lastRun.${key}`);
    }
    assert.equal(status.lastRun.startedAt, report.startedAt);
    assert.equal(status.lastRun.finishedAt, report.finishedAt);
    assert.equal(status.lastRun.created, report.created);
    assert.equal(status.lastRun.skipped, report.skipped);
    assert.equal(status.lastRun.failed, 0);
    assert.equal(status.lastRun.held, null);
    assert.ok(report.created > 0);
    assert.equal(status.links, linkedEventCount(f));
    assert.equal(status.running, false);
    assert.ok('nextRunAt' in status);
  });
});

test('GET /api/runs lists runs newest first; /api/runs/:id gives the whole report; an unknown id is a JSON 404', async () => {
  await withApi({}, async ({ f, app }) => {
    const first = (await f.runtime.runOnce()).report;
    f.clock.advance(60_000);
    const second = (await f.runtime.runOnce()).report;
    const runs = (await request(app).get('/api/runs').expect(200)).body.runs as { runId: string; created: number }[];
    assert.deepEqual(runs.map((r) => r.runId), [second.runId, first.runId]);
    assert.equal(runs[1].created, first.created);
    assert.equal((await request(app).get('/api/runs?limit=1').expect(200)).body.runs.length, 1);

    const full = (await request(app).get(`/api/runs/${first.runId}`).expect(200)).body;
    assert.equal(full.runId, first.runId);
    assert.deepEqual(full.skips, first.skips);
    assert.equal(full.created, first.created);

    const missing = await request(app).get('/api/runs/nie-ma-takiego').expect(404).expect('content-type', /json/);
    assert.equal(missing.body.error.code, 'not-found');
    assert.match(missing.body.error.message, /nie-ma-takiego/);
  });
});

test('GET /api/logs?sourceKey= lists that record\'s entries only', async () => {
  await withApi({}, async ({ f, app }) => {
    const { report } = await f.runtime.runOnce();
    const skipped = report.skips[0];
    assert.ok(skipped, 'the demo has a skipped order');
    const res = await request(app).get('/api/logs').query({ sourceKey: skipped.sourceKey }).expect(200);
    const logs = res.body.logs as { sourceKey: string; message: string; runId: string }[];
    assert.ok(logs.length >= 1);
    assert.ok(logs.every((l) => l.sourceKey === skipped.sourceKey));
    assert.ok(logs.some((l) => l.message === skipped.detail && l.runId === report.runId));

    const created = readOptimaOrders(f.demo.companyDbPath).find((o) => isInScope(o) && isDated(o));
    assert.ok(created);
    const createdLogs = (await request(app).get('/api/logs').query({ sourceKey: orderKey(created.id) }).expect(200)).body.logs as { action: string }[];
    assert.ok(createdLogs.some((l) => l.action === 'create'));

    const byRun = (await request(app).get('/api/logs').query({ runId: report.runId, limit: '500' }).expect(200)).body.logs as { runId: string }[];
    assert.ok(byRun.length >= report.created);
  });
});

test('an unknown /api path answers a JSON 404', async () => {
  await withApi({}, async ({ app }) => {
    const res = await request(app).get('/api/nie-istnieje').expect(404).expect('content-type', /json/);
    assert.equal(res.body.error.code, 'not-found');
    assert.equal(typeof res.body.error.message, 'string');
    await request(app).post('/api/status/cos').send({}).expect(404).expect('content-type', /json/);
  });
});

test('a held mass delete shows in /api/status; approval through POST /api/approvals/mass-delete makes the next run apply it', async () => {
  await withApi({}, async ({ f, app }) => {
    await f.runtime.runOnce();
    const links = f.runtime.store.countLinks();
    const victims = readOptimaOrders(f.demo.companyDbPath).filter((o) => isInScope(o) && isDated(o)).slice(0, Math.max(10, Math.ceil(links * 0.2)));
    const db = f.openOptima();
    for (const o of victims) deleteOrder(db, o.id);
    f.clock.advance(60_000);

    const held = await f.runtime.runOnce();
    assert.ok(held.report.held);
    const status = (await request(app).get('/api/status').expect(200)).body as StatusResponse;
    assert.equal(status.lastRun?.held, held.report.held.message);
    assert.equal(status.lastRun?.deleted, 0);
    assert.equal(status.links, links);

    const approved = await request(app).post('/api/approvals/mass-delete').send({ kind: 'serwis:zlecenie' }).expect(200);
    assert.equal(approved.body.approved, 'serwis:zlecenie');
    assert.equal(linkedEventCount(f), links, 'approval alone deletes nothing');

    f.clock.advance(60_000);
    const applied = await f.runtime.runOnce();
    assert.equal(applied.report.held, null);
    assert.equal(applied.report.deleted, victims.length);
    assert.equal(linkedEventCount(f), links - victims.length);
    const after = (await request(app).get('/api/status').expect(200)).body as StatusResponse;
    assert.equal(after.links, links - victims.length);
    assert.equal(after.lastRun?.held, null);
  });
});

test('with server.adminToken set, approvals and "sync now" need the bearer token', async () => {
  await withApi({ adminToken: ADMIN_TOKEN }, async ({ f, app }) => {
    const denied = await request(app).post('/api/approvals/mass-delete').send({}).expect(403).expect('content-type', /json/);
    assert.equal(denied.body.error.code, 'forbidden');
    assert.match(denied.body.error.message, /adminToken/);
    assert.equal(JSON.stringify(denied.body).includes(ADMIN_TOKEN), false);
    await request(app).post('/api/approvals/mass-delete').set('authorization', 'Bearer zly-token-zly-token').send({}).expect(403);
    await request(app).post('/api/sync').expect(403);

    // With the token the call is let in; with nothing held there is nothing to approve.
    const nothing = await request(app).post('/api/approvals/mass-delete').set('authorization', `Bearer ${ADMIN_TOKEN}`).send({}).expect(409);
    assert.equal(nothing.body.error.code, 'nothing-held');
    const run = await request(app).post('/api/sync').set('authorization', `Bearer ${ADMIN_TOKEN}`).expect(200);
    assert.equal(run.body.error, null);
    assert.equal(run.body.created, linkedEventCount(f));
  });
});

test('POST /api/sync from this machine runs now and returns the summary', async () => {
  await withApi({}, async ({ f, app }) => {
    const res = await request(app).post('/api/sync').expect(200);
    assert.ok(res.body.created > 0);
    assert.equal(res.body.created, linkedEventCount(f));
    const runs = (await request(app).get('/api/runs').expect(200)).body.runs as { runId: string }[];
    assert.equal(runs[0].runId, res.body.runId);
  });
});

test('startServer: the scheduler runs at once, then /api/status shows the run and when the next one is due', async () => {
  const f = createSyncFixture({ configure: (raw) => { raw.sync.intervalSeconds = 60; } });
  const server = await startServer(f.runtime, { port: 0 });
  try {
    const before = Date.now();
    let status: StatusResponse | null = null;
    for (let i = 0; i < 200 && !(status?.lastRun && status.nextRunAt); i++) {
      status = (await request(server.url).get('/api/status').expect(200)).body as StatusResponse;
      if (!(status.lastRun && status.nextRunAt)) await new Promise((r) => setTimeout(r, 10));
    }
    assert.ok(status?.lastRun, 'the first run is reported');
    assert.ok(status.nextRunAt);
    const due = Date.parse(status.nextRunAt) - before;
    assert.ok(due > 50_000 && due <= 61_000, `next run due in ${due} ms`);
    assert.equal(status.links, linkedEventCount(f));
    assert.equal(status.lastRun.created, status.links);
    await request(server.url).get('/api/nope').expect(404);
  } finally {
    await server.close();
    await f.close();
  }
});

test('a malformed JSON body is a 400 that says so, not a server error', async () => {
  await withApi({}, async ({ app }) => {
    const res = await request(app).post('/api/approvals/mass-delete').set('content-type', 'application/json').send('{"kind": ').expect(400).expect('content-type', /json/);
    assert.match(res.body.error.message, /JSON/);
  });
});

test('approving an unknown record kind is refused with the kinds that exist', async () => {
  await withApi({}, async ({ f, app }) => {
    const res = await request(app).post('/api/approvals/mass-delete').send({ kind: 'serwis:zlecenia' }).expect(400);
    assert.match(res.body.error.message, /serwis:zlecenie\b/);
    assert.equal(f.runtime.store.consumeApproval('serwis:zlecenia'), false, 'nothing stored');
  });
});

test('GET /api/status lists, per mailbox, what needs fixing after the last run', async () => {
  const f = createSyncFixture();
  try {
    const denied = DEFAULT_MAILBOX;
    const runtime = f.buildAnotherRuntime({ target: createMemoryTarget({ deniedMailboxes: [denied] }) });
    const scheduler = createScheduler({ runOnce: () => runtime.runOnce(), intervalMs: 30_000, logger: runtime.logger });
    const app = createApi({ store: runtime.store, scheduler, intervalSeconds: 30, version: VERSION, demo: false, adminToken: null });
    const { report } = await runtime.runOnce();
    const deniedItems = report.failures.filter((x) => x.mailbox === denied).length;
    assert.ok(deniedItems > 0, 'the default mailbox had orders to write');
    const status = (await request(app).get('/api/status').expect(200)).body as StatusResponse;
    assert.equal(status.problems.length, 1, JSON.stringify(status.problems));
    assert.equal(status.problems[0].mailbox, denied);
    assert.equal(status.problems[0].items, deniedItems);
    assert.match(status.problems[0].message, /zasad|polic|uprawnie/i, 'the message names the access fix');
    await scheduler.stop();
  } finally {
    await f.close();
  }
});
