import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, writeYamlConfig } from '../support/run-cli.ts';
import { createSyncFixture } from '../support/sync-fixture.ts';

/**
 * `optima-sync check` in a child process, where no in-memory target can be injected: Microsoft 365
 * is pointed at an address nobody answers, Optima at the demo files. Takes as long as one round of
 * the Graph client's retries (several seconds).
 */
test('check: Optima tables OK, sign-in and mailboxes BŁĄD with a readable reason, exit code 1', async () => {
  const f = createSyncFixture({
    configure: (raw) => {
      raw.microsoft.authority = 'https://127.0.0.1:1';
      raw.microsoft.graphBaseUrl = 'https://127.0.0.1:1';
    },
  });
  try {
    writeYamlConfig(f.dir, f.raw);
    const result = await runCli(['check'], { cwd: f.dir, timeoutMs: 60_000 });
    assert.equal(result.code, 1, result.stderr);
    const rows = result.stdout.trim().split('\n');
    const row = (prefix: string) => rows.filter((r) => r.startsWith(prefix));
    assert.match(rows[0], /sprawdzenie\s+wynik/);
    assert.match(row('konfiguracja')[0] ?? '', /\sOK\s/);
    assert.match(row('Optima: tabele i kolumny')[0] ?? '', /\sOK\s/, result.stdout);
    const signIn = row('logowanie Microsoft 365')[0] ?? '';
    assert.match(signIn, /\sBŁĄD\s/);
    assert.match(signIn, /logowania Microsoft.*Sprawdź/, 'names what is wrong and what to check');

    const mailboxes = row('skrzynka ');
    assert.ok(mailboxes.length >= 2, result.stdout);
    assert.ok(mailboxes.some((r) => r.startsWith('skrzynka serwis@firma.pl')));
    for (const r of mailboxes) {
      assert.match(r, /\sBŁĄD\s+\S/, `a reason on: ${r}`);
      assert.doesNotMatch(r, /Error:|at \w+ \(|undefined|\[object/, r);
    }
    for (const output of [result.stdout, result.stderr]) {
      assert.equal(output.includes(f.raw.microsoft.clientSecret as string), false, 'the client secret is not printed');
    }
  } finally {
    await f.close();
  }
});
