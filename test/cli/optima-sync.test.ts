import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunReport, SyncPlan } from '../../server/domain/types.ts';
import { openStateStore } from '../../server/state/sqlite-store.ts';
import { runCli, writeYamlConfig } from '../support/run-cli.ts';
import { createSyncFixture, isDated, isInScope, orderKey, readOptimaOrders } from '../support/sync-fixture.ts';

const SECRET = 'Sekret-Bardzo-Tajny-987';
const SHORT_TOKEN = 'krotki1';

test('a config with several mistakes: exit code 3, every error with its dotted path on stderr, no secret printed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'optima-cli-'));
  try {
    writeFileSync(join(dir, 'optima-sync.yaml'), [
      'source:',
      '  type: sqlite',
      '  sqlite:',
      '    companyDb: ./firma.db',
      'microsoft:',
      '  tenantId: moja-firma',
      '  clientId: 12345',
      `  clientSecret: '${SECRET}'`,
      '  certificate:',
      '    path: ./cert.pem',
      'mailboxes:',
      '  default: serwis-at-firma.pl',
      'calendar:',
      '  timeZone: Central European Standard Time',
      'sync:',
      '  intervalSeconds: 1',
      'server:',
      `  adminToken: '${SHORT_TOKEN}'`,
      '',
    ].join('\n'));
    const result = await runCli(['sync', '--once'], { cwd: dir });
    assert.equal(result.code, 3, result.stderr);
    for (const path of [
      'source.sqlite.configDb', 'microsoft.tenantId', 'microsoft.clientId', 'microsoft.clientSecret', 'mailboxes.default',
      'calendar.timeZone', 'sync.intervalSeconds', 'server.adminToken',
    ]) {
      assert.ok(result.stderr.includes(path), `stderr names ${path}:\n${result.stderr}`);
    }
    assert.match(result.stderr, /8 błędów/);
    for (const output of [result.stdout, result.stderr]) {
      assert.equal(output.includes(SECRET), false, 'client secret not printed');
      assert.equal(output.includes(SHORT_TOKEN), false, 'admin token not printed');
    }
    // Errors go to stderr only: a script reading stdout gets nothing half-done.
    assert.equal(result.stdout, '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sync --once --dry-run --json prints the plan as JSON and writes nothing', async () => {
  const f = createSyncFixture();
  try {
    writeYamlConfig(f.dir, f.raw);
    const result = await runCli(['sync', '--once', '--dry-run', '--json'], { cwd: f.dir });
    assert.equal(result.code, 0, result.stderr);
    const out = JSON.parse(result.stdout) as { plan: SyncPlan; report: RunReport };
    const dated = readOptimaOrders(f.demo.companyDbPath).filter((o) => isInScope(o) && isDated(o));
    const creates = out.plan.actions.filter((a) => a.type === 'create');
    assert.deepEqual(creates.map((a) => a.sourceKey).sort(), dated.map((o) => orderKey(o.id)).sort());
    assert.equal(out.report.dryRun, true);
    assert.equal(out.report.graphRequests, 0);
    const store = openStateStore(join(f.dataDir, 'state.db'));
    try {
      assert.equal(store.countLinks(), 0);
      assert.equal(store.listRuns(5).length, 0);
    } finally {
      store.close();
    }
  } finally {
    await f.close();
  }
});

test('logs --key lists that record\'s entries only', async () => {
  const f = createSyncFixture();
  try {
    const { report } = await f.runtime.runOnce();
    await f.runtime.close();
    writeYamlConfig(f.dir, f.raw);
    const skipped = report.skips[0];
    assert.ok(skipped);
    const result = await runCli(['logs', '--key', skipped.sourceKey], { cwd: f.dir });
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split('\n').slice(2);
    assert.ok(lines.length >= 1, result.stdout);
    assert.ok(lines.every((l) => l.includes(skipped.sourceKey)), result.stdout);
    assert.ok(result.stdout.includes(skipped.detail), result.stdout);

    const other = readOptimaOrders(f.demo.companyDbPath).find((o) => isInScope(o) && isDated(o));
    assert.ok(other);
    const created = await runCli(['logs', '--key', orderKey(other.id)], { cwd: f.dir });
    assert.equal(created.code, 0);
    assert.match(created.stdout, /create: Nowy rekord/);
    assert.equal(created.stdout.includes(skipped.sourceKey), false);
  } finally {
    await f.close();
  }
});

test('logs before any run says the sync has not run yet', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'optima-cli-'));
  try {
    const f = createSyncFixture();
    try {
      const raw = { ...f.raw, server: { dataDir: join(dir, 'pusty') } };
      writeYamlConfig(dir, raw);
      const result = await runCli(['logs', '--key', 'serwis:zlecenie:1'], { cwd: dir });
      assert.equal(result.code, 1);
      assert.match(result.stderr, /sync --once/);
    } finally {
      await f.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('usage errors exit with code 2: sync without --once, an unknown option, an unknown command', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'optima-cli-'));
  try {
    const noOnce = await runCli(['sync'], { cwd: dir });
    assert.equal(noOnce.code, 2);
    assert.match(noOnce.stderr, /--once/);
    assert.match(noOnce.stderr, /optima-sync start/);

    const badOption = await runCli(['sync', '--once', '--dry-runn'], { cwd: dir });
    assert.equal(badOption.code, 2, badOption.stderr);
    assert.match(badOption.stderr, /--dry-runn/);
    assert.match(badOption.stderr, /Użycie/);

    const unknown = await runCli(['synchronizuj'], { cwd: dir });
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /synchronizuj/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--config naming a missing file: exit code 3 and the path in the message', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'optima-cli-'));
  try {
    const result = await runCli(['check', '--config', 'nie-ma.yaml'], { cwd: dir });
    assert.equal(result.code, 3);
    assert.ok(result.stderr.includes(join(dir, 'nie-ma.yaml')), result.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
