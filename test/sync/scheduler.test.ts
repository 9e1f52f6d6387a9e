import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LogEvent } from '../../server/domain/logger.ts';
import type { RunResult } from '../../server/sync/run-sync.ts';
import { createScheduler } from '../../server/sync/scheduler.ts';

function resultOf(runId: string): RunResult {
  const at = new Date().toISOString();
  return {
    plan: null,
    report: {
      runId, mode: 'incremental', dryRun: false, startedAt: at, finishedAt: at,
      planned: { create: 0, update: 0, move: 0, delete: 0, skip: 0, conflict: 0 },
      created: 0, updated: 0, moved: 0, deleted: 0, skipped: 0, failed: 0, held: null, failures: [], skips: [],
      sourceQueries: 0, sourceRowsRead: 0, graphRequests: 0, durationsMs: { collect: 0, render: 0, plan: 0, apply: 0, total: 0 }, error: null,
    },
  };
}

/** A fake sync whose runs the test finishes by hand, counting how many overlap. */
function createControlledRuns() {
  // Runs in progress = runs not finished by the test yet.
  const pending: Array<() => void> = [];
  let maxActive = 0;
  let started = 0;
  return {
    runOnce: (): Promise<RunResult> => {
      started += 1;
      const id = `run-${started}`;
      return new Promise<RunResult>((resolve) => {
        pending.push(() => resolve(resultOf(id)));
        maxActive = Math.max(maxActive, pending.length);
      });
    },
    /** Finishes the oldest run in progress. */
    finishOne() {
      const next = pending.shift();
      assert.ok(next, 'a run is in progress');
      next();
    },
    get started() { return started; },
    get active() { return pending.length; },
    get maxActive() { return maxActive; },
  };
}

const silent = { log: (_e: LogEvent) => undefined };

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (condition()) return;
    await sleep(5);
  }
  assert.fail(`timed out waiting for: ${what}`);
}

test('runs one at a time, even when "sync now" is asked several times during a run', async () => {
  const runs = createControlledRuns();
  const scheduler = createScheduler({ runOnce: runs.runOnce, intervalMs: 5, logger: silent });
  scheduler.start();
  await until(() => runs.active === 1, 'the first scheduled run');
  const asked = [scheduler.runNow(), scheduler.runNow(), scheduler.runNow()];
  for (let i = 0; i < 8; i++) {
    await sleep(10);
    if (runs.active > 0) runs.finishOne();
  }
  const stopped = scheduler.stop();
  while (runs.active > 0) {
    runs.finishOne();
    await sleep(1);
  }
  await stopped;
  const results = await Promise.all(asked);
  assert.equal(runs.maxActive, 1, 'never two runs at once');
  assert.equal(new Set(results.map((r) => r.report.runId)).size, results.length, 'each caller got a run of its own');
});

test('runNow waits for the run in progress, then runs and returns its own result', async () => {
  const runs = createControlledRuns();
  const scheduler = createScheduler({ runOnce: runs.runOnce, intervalMs: 60_000, logger: silent });
  const first = scheduler.runNow();
  await until(() => runs.active === 1, 'first run');
  assert.equal(scheduler.running(), true);
  let secondDone = false;
  const second = scheduler.runNow().then((r) => { secondDone = true; return r; });
  await sleep(20);
  assert.equal(runs.started, 1, 'the second run waits for the first');
  runs.finishOne();
  assert.equal((await first).report.runId, 'run-1');
  await until(() => runs.active === 1, 'second run');
  assert.equal(secondDone, false);
  runs.finishOne();
  assert.equal((await second).report.runId, 'run-2');
  assert.equal(scheduler.running(), false);
});

test('nextRunAt: null before start, the interval after the last run finished, null again after stop', async () => {
  const runs = createControlledRuns();
  let clock = new Date('2026-05-15T10:00:00.000Z');
  const onRun: string[] = [];
  const scheduler = createScheduler({
    runOnce: runs.runOnce, intervalMs: 30_000, logger: silent, now: () => clock, onRun: (r) => onRun.push(r.report.runId),
  });
  assert.equal(scheduler.nextRunAt(), null);
  scheduler.start();
  await until(() => runs.active === 1, 'first run');
  clock = new Date('2026-05-15T10:00:07.000Z');
  runs.finishOne();
  await until(() => scheduler.nextRunAt() !== null, 'next run scheduled');
  assert.equal(scheduler.nextRunAt(), '2026-05-15T10:00:37.000Z', 'due 30 s after the run finished');
  assert.deepEqual(onRun, ['run-1']);
  await scheduler.stop();
  assert.equal(scheduler.nextRunAt(), null);
});

test('stop waits for the run in progress and no run starts afterwards', async () => {
  const runs = createControlledRuns();
  const scheduler = createScheduler({ runOnce: runs.runOnce, intervalMs: 5, logger: silent });
  scheduler.start();
  await until(() => runs.active === 1, 'first run');
  let stopped = false;
  const stopping = scheduler.stop().then(() => { stopped = true; });
  await sleep(20);
  assert.equal(stopped, false, 'stop waits');
  runs.finishOne();
  await stopping;
  assert.equal(scheduler.running(), false);
  await sleep(30);
  assert.equal(runs.started, 1, 'no run after stop');
});

test('a run that throws is logged and the schedule goes on', async () => {
  const events: LogEvent[] = [];
  let calls = 0;
  const scheduler = createScheduler({
    runOnce: async () => {
      calls += 1;
      if (calls === 1) throw new Error('Baza stanu jest zablokowana — spróbuj ponownie.');
      return resultOf(`run-${calls}`);
    },
    intervalMs: 5, logger: { log: (e) => events.push(e) },
  });
  scheduler.start();
  await until(() => calls >= 2, 'a second run after the failure');
  await scheduler.stop();
  const logged = events.find((e) => e.level === 'error');
  assert.match(logged?.message ?? '', /zablokowana/);
});

test('stop also waits for a "sync now" queued behind the run in progress', async () => {
  const runs = createControlledRuns();
  const scheduler = createScheduler({ runOnce: runs.runOnce, intervalMs: 60_000, logger: silent });
  scheduler.start();
  await until(() => runs.active === 1, 'first run');
  const queued = scheduler.runNow();
  let stopped = false;
  const stopping = scheduler.stop().then(() => { stopped = true; });
  runs.finishOne();
  await until(() => runs.started === 2 && runs.active === 1, 'the queued run');
  await sleep(10);
  assert.equal(stopped, false, 'stop waits for the queued run too');
  runs.finishOne();
  await stopping;
  assert.equal((await queued).report.runId, 'run-2');
});
