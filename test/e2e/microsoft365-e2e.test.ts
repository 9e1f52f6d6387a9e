/**
 * End to end, issue 4 "Microsoft 365 for real": the real runtime (same composition root as
 * production) against the Entra and Graph emulators over HTTPS, in application mode with many
 * mailboxes (one outside the access policy), under throttling, with a lost create response, in
 * delegated mode (one person's consent lapsed), and with an expired client secret. Assertions
 * read the emulator's mailboxes — the events in the right calendars — and its request log.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { createDelegatedTokenSource } from '../../server/auth/delegated-token-source.ts';
import { runAuthStatus } from '../../server/cli/auth-command.ts';
import {
  compareCalendars, EXPIRED_CLIENT_ID, EXPIRED_SECRET, expectedEvents, GRAPH_RESOURCE, listPeople, M365_CLIENT_ID,
  M365_SECRET, M365_TENANT_ID, mapOf, sampleInFlight, spreadOrders, startM365World, type ExpectedEvent, type M365World,
} from '../support/m365-world.ts';

let world: M365World;

before(async () => {
  world = await startM365World();
});

after(async () => {
  await world?.close();
});

function keysIn(expected: ReadonlyMap<string, ExpectedEvent>, mailbox: string): string[] {
  return [...expected.values()].filter((e) => e.mailbox === mailbox).map((e) => e.sourceKey).sort();
}

function without(expected: ReadonlyMap<string, ExpectedEvent>, mailbox: string): Map<string, ExpectedEvent> {
  return new Map([...expected].filter(([, e]) => e.mailbox !== mailbox));
}

test('application mode, 30 mailboxes: one outside the access policy fails alone, once, and only its orders are retried', async () => {
  const people = listPeople(30);
  const mailboxes = people.map((p) => p.mailbox);
  const scenario = await world.startScenario({ name: 'app30', orders: 150, mailboxes });
  try {
    const routed = spreadOrders(scenario.db, people);
    assert.deepEqual(new Set(people.map((p) => p.person.type)), new Set(['pracownik', 'operator']));
    const expected = expectedEvents(scenario.db, routed);
    assert.ok(expected.size >= 130, `most of 150 orders have a date (${expected.size})`);
    assert.equal(new Set([...expected.values()].map((e) => e.mailbox)).size, 30, 'orders led by 30 different people');
    const forbidden = people[6].mailbox; // pracownik:7
    const forbiddenKeys = keysIn(expected, forbidden);
    assert.ok(forbiddenKeys.length >= 3, `${forbidden} leads ${forbiddenKeys.length} orders`);
    scenario.graph.setMailboxAccess(forbidden, 'forbidden');

    const { config } = scenario.configure({ map: mapOf(people) });
    const runtime = scenario.startRuntime(config);
    const first = (await runtime.runOnce()).report;
    assert.equal(first.error, null, first.error ?? '');
    assert.deepEqual(first.failures.map((f) => f.sourceKey), forbiddenKeys, 'the run report lists exactly the forbidden mailbox\'s orders');
    assert.equal(first.failed, forbiddenKeys.length);
    for (const f of first.failures) {
      assert.equal(f.mailbox, forbidden);
      assert.equal(f.transient, false, 'a policy needs a fix, not a retry storm');
      assert.ok(f.message.includes(forbidden), `names the mailbox: ${f.message}`);
      assert.match(f.message, /zasady dostępu aplikacji/);
      assert.match(f.message, /New-ApplicationAccessPolicy/, 'names the fix');
    }
    assert.equal(first.created, expected.size - forbiddenKeys.length);
    assert.deepEqual(compareCalendars(scenario.graph, mailboxes.filter((m) => m !== forbidden), scenario.calendarName, without(expected, forbidden)), []);
    assert.deepEqual(scenario.graph.listEvents(forbidden), [], 'nothing written to the forbidden mailbox');
    const toForbidden = scenario.graph.requestLog.filter((r) => r.mailbox === forbidden);
    assert.deepEqual(toForbidden.map((r) => r.status), [403], 'one refused request, then no further request for that mailbox');

    const logStart = scenario.graph.requestLog.length;
    const second = (await runtime.runOnce()).report;
    assert.equal(second.error, null);
    assert.equal(second.planned.create, forbiddenKeys.length, 'only the failed orders are planned again');
    assert.equal(second.planned.update + second.planned.move + second.planned.delete, 0);
    assert.deepEqual(second.failures.map((f) => f.sourceKey), forbiddenKeys);
    const secondRequests = scenario.graph.requestLog.slice(logStart);
    assert.deepEqual(secondRequests.filter((r) => r.mailbox === forbidden).map((r) => r.status), [403], 'the forbidden mailbox is asked once again, then left alone');
    // The run after a failure is a full pass, which may read the other calendars, but writes nothing there.
    assert.deepEqual(secondRequests.filter((r) => r.mailbox !== null && r.mailbox !== forbidden && r.method !== 'GET').map((r) => `${r.method} ${r.path}`), [], 'nothing is written again for the other mailboxes');
    assert.equal(second.created + second.updated + second.moved + second.deleted, 0);

    // The admin adds the person to the policy: the next run delivers their orders, once.
    scenario.graph.setMailboxAccess(forbidden, 'ok');
    const third = (await runtime.runOnce()).report;
    assert.equal(third.failed, 0, JSON.stringify(third.failures.slice(0, 2)));
    assert.equal(third.created, forbiddenKeys.length);
    assert.deepEqual(compareCalendars(scenario.graph, mailboxes, scenario.calendarName, expected), []);
  } finally {
    await scenario.close();
  }
});

test('a storm of injected 429s: every event lands once and no mailbox ever had more than 4 requests in flight', async () => {
  // ~50 orders per mailbox: more than one $batch of 20, so a client over the limit would show.
  const people = listPeople(2);
  const mailboxes = people.map((p) => p.mailbox);
  // The emulator measures concurrency instead of enforcing it, so the client's own limit is what is tested.
  const scenario = await world.startScenario({ name: 'storm', orders: 100, mailboxes, graphLimits: { concurrentPerMailbox: 100 }, graphLatencyMs: 25 });
  try {
    const expected = expectedEvents(scenario.db, spreadOrders(scenario.db, people));
    for (const mailbox of mailboxes) {
      scenario.graph.injectFault({ kind: 'status', status: 429, retryAfterSeconds: 1, mailbox, method: 'POST', pathIncludes: '/events', times: 8 });
    }
    const { config } = scenario.configure({ map: mapOf(people) });
    const runtime = scenario.startRuntime(config);
    const sampler = sampleInFlight(scenario.graph, M365_CLIENT_ID, mailboxes);
    const report = (await runtime.runOnce()).report;
    const highest = sampler.stop();
    assert.equal(report.error, null);
    assert.equal(report.failed, 0, JSON.stringify(report.failures.slice(0, 2)));
    assert.deepEqual(compareCalendars(scenario.graph, mailboxes, scenario.calendarName, expected), []);
    const throttled = scenario.graph.requestLog.filter((r) => r.status === 429).length;
    assert.equal(throttled, 8 * mailboxes.length, 'every injected 429 was met');
    for (const [mailbox, most] of highest) assert.ok(most <= 4, `${mailbox}: ${most} requests in flight at once`);
    assert.ok(Math.max(...highest.values()) >= 2, `the sampler saw parallel requests (${JSON.stringify([...highest])})`);
  } finally {
    await scenario.close();
  }
});

test('Outlook allowing only 2 concurrent requests per mailbox: the initial load still completes, every event once', async () => {
  const people = listPeople(2);
  const mailboxes = people.map((p) => p.mailbox);
  const scenario = await world.startScenario({ name: 'limit2', orders: 50, mailboxes, graphLimits: { concurrentPerMailbox: 2 }, graphLatencyMs: 10 });
  try {
    const expected = expectedEvents(scenario.db, spreadOrders(scenario.db, people));
    const { config } = scenario.configure({ map: mapOf(people) });
    const runtime = scenario.startRuntime(config);
    const report = (await runtime.runOnce()).report;
    assert.equal(report.error, null);
    assert.equal(report.failed, 0, JSON.stringify(report.failures.slice(0, 2)));
    assert.equal(report.created, expected.size);
    assert.deepEqual(compareCalendars(scenario.graph, mailboxes, scenario.calendarName, expected), []);
    assert.ok(scenario.graph.requestLog.some((r) => r.status === 429), 'the emulator did throttle (otherwise this test proves nothing)');
  } finally {
    await scenario.close();
  }
});

test('a create whose response is lost after Graph stored it leaves exactly one event', async () => {
  const people = listPeople(2);
  const mailboxes = people.map((p) => p.mailbox);
  const scenario = await world.startScenario({ name: 'dropped', orders: 14, mailboxes });
  try {
    const expected = expectedEvents(scenario.db, spreadOrders(scenario.db, people));
    const victim = mailboxes[0];
    // Worst case: Graph does not recognise the repeated transactionId, only the stamp lookup prevents a copy.
    scenario.graph.setTransactionIdRepeat('create-new');
    scenario.graph.injectFault({ kind: 'drop-response-after-store', method: 'POST', mailbox: victim, pathIncludes: '/events' });
    const { config } = scenario.configure({ map: mapOf(people) });
    const runtime = scenario.startRuntime(config);
    const report = (await runtime.runOnce()).report;
    assert.equal(report.error, null);
    assert.equal(report.failed, 0, JSON.stringify(report.failures.slice(0, 2)));
    assert.deepEqual(compareCalendars(scenario.graph, mailboxes, scenario.calendarName, expected), []);
    const creates = scenario.graph.requestLog.filter((r) => r.mailbox === victim && r.method === 'POST' && r.status === 201 && r.path.endsWith('/events'));
    assert.equal(creates.length, keysIn(expected, victim).length, 'no create was sent again after the lost response');
    assert.ok(scenario.logs.some((e) => e.mailbox === victim && /Adopted an event/.test(e.message)), 'the lost create was found by its stamp and adopted');
    const next = (await runtime.runOnce()).report;
    assert.equal(next.created + next.updated + next.moved + next.deleted + next.failed, 0, 'the next run has nothing to do');
  } finally {
    await scenario.close();
  }
});

test('delegated mode: five people signed in through the add-in; one whose refresh token expired is paused, the others\' orders land', async () => {
  const people = listPeople(5);
  const mailboxes = people.map((p) => p.mailbox);
  const scenario = await world.startScenario({ name: 'delegated', orders: 30, mailboxes });
  const { entra } = world;
  try {
    const expected = expectedEvents(scenario.db, spreadOrders(scenario.db, people));
    const keyPath = path.join(world.dir, 'secrets-delegated', 'token-cache.key');
    const { config, configPath } = scenario.configure({ map: mapOf(people), mode: 'delegated', keyPath });
    assert.equal(config.microsoft.mode, 'delegated');
    // The add-in's side: each person's SSO token redeemed on-behalf-of, as the API would do it.
    const signIn = createDelegatedTokenSource({
      tenantId: M365_TENANT_ID, clientId: M365_CLIENT_ID, clientSecret: M365_SECRET, authority: entra.url, knownAuthorities: [entra.host],
      graphResource: GRAPH_RESOURCE, cacheDir: path.join(config.server.dataDir, 'people'), keyPath,
    });
    // Access tokens shorter than msal-node's 5-minute renewal margin: stale by the time the sync runs.
    entra.setTokenLifetime(120);
    try {
      for (const [i, p] of people.entries()) {
        const oid = `0000000${i + 1}-e2e0-4d00-8000-00000000000${i + 1}`;
        const redeemed = await signIn.redeemSsoToken(entra.issueUserToken({ oid, upn: p.mailbox, audience: `api://${M365_CLIENT_ID}`, scp: 'access_as_user' }));
        assert.equal(redeemed.mailbox, p.mailbox);
      }
    } finally {
      entra.setTokenLifetime(3599);
    }
    const lapsed = people[3].mailbox; // operator:1
    entra.expireRefreshTokens(lapsed);
    const entraBefore = entra.tokenLog.length;

    const runtime = scenario.startRuntime(config);
    const report = (await runtime.runOnce()).report;
    assert.equal(report.error, null, report.error ?? '');
    const lapsedKeys = keysIn(expected, lapsed);
    assert.ok(lapsedKeys.length >= 3);
    assert.deepEqual(report.failures.map((f) => f.sourceKey), lapsedKeys, 'only the lapsed person\'s orders fail');
    for (const f of report.failures) {
      assert.equal(f.mailbox, lapsed);
      assert.ok(f.message.includes(lapsed), `the report names the person: ${f.message}`);
      assert.match(f.message, /wstrzymana/, 'says their sync is paused');
      assert.match(f.message, /otworzyć dodatek Optima w Outlooku/, 'says how to renew');
    }
    assert.deepEqual(compareCalendars(scenario.graph, mailboxes.filter((m) => m !== lapsed), scenario.calendarName, without(expected, lapsed)), []);
    assert.equal(scenario.graph.requestLog.filter((r) => r.mailbox === lapsed).length, 0, 'no Graph request without the person\'s token');
    const refusals = entra.tokenLog.slice(entraBefore).filter((e) => e.errorCode === 700082);
    assert.equal(refusals.length, 1, 'Entra was asked once for the lapsed person, then the person was paused');
    assert.ok(entra.tokenLog.slice(entraBefore).some((e) => e.grantType === 'refresh_token' && e.status === 200), 'the others\' stale tokens were refreshed');
    assert.deepEqual(signIn.listPeople().filter((p) => p.state === 'lapsed').map((p) => p.mailbox), [lapsed]);

    // Another run does not ask Entra again for the paused person.
    const entraMid = entra.tokenLog.length;
    const again = (await runtime.runOnce()).report;
    assert.deepEqual(again.failures.map((f) => f.sourceKey), lapsedKeys);
    assert.equal(entra.tokenLog.slice(entraMid).filter((e) => e.status !== 200).length, 0);

    // The admin's view: auth status lists the paused person with the same sentence.
    let status = '';
    assert.equal(await runAuthStatus({ configPath, write: (t) => { status += t; } }), 1, status);
    assert.ok(status.includes(`osoba ${lapsed}`), status);
    assert.ok(status.includes(`Synchronizacja kalendarza osoby ${lapsed} jest wstrzymana`), status);
  } finally {
    await scenario.close();
  }
});

let expiredRuns = 0;

/** The expired-secret world: a config on the app whose secret expired, a run, and `auth status`. */
async function runWithExpiredSecret() {
  expiredRuns += 1;
  const people = listPeople(2);
  const mailboxes = people.map((p) => p.mailbox);
  const scenario = await world.startScenario({ name: `expired-${expiredRuns}`, orders: 10, mailboxes });
  try {
    const expected = expectedEvents(scenario.db, spreadOrders(scenario.db, people));
    const { config, configPath } = scenario.configure({ map: mapOf(people), clientId: EXPIRED_CLIENT_ID, clientSecret: EXPIRED_SECRET });
    const runtime = scenario.startRuntime(config);
    const report = (await runtime.runOnce()).report;
    let status = '';
    const code = await runAuthStatus({ configPath, write: (t) => { status += t; } });
    return { expected, report, status, code, logs: [...scenario.logs], graphRequests: scenario.graph.requestLog.length };
  } finally {
    await scenario.close();
  }
}

test('expired client secret: every order fails with a sentence naming the fix, auth status says the same, the secret never shows', async () => {
  const { expected, report, status, code, logs, graphRequests } = await runWithExpiredSecret();
  assert.equal(report.error, null);
  assert.deepEqual(report.failures.map((f) => f.sourceKey), [...expected.keys()].sort());
  for (const f of report.failures) {
    assert.equal(f.transient, false);
    assert.match(f.message, /Sekret klienta wygasł/);
    assert.match(f.message, /Utwórz nowy sekret/, 'names the fix');
  }
  assert.equal(graphRequests, 0, 'no Graph request without a token');
  assert.equal(code, 1, status);
  assert.match(status, /Sekret klienta wygasł/);
  assert.match(status, /Utwórz nowy sekret/);
  for (const [what, text] of [['run report', JSON.stringify(report)], ['auth status', status], ['logs', JSON.stringify(logs)]] as const) {
    assert.equal(text.includes(EXPIRED_SECRET), false, `the secret appears in the ${what}`);
  }
});

test('expired client secret: the run\'s failures and auth status quote Entra\'s code AADSTS7000222', async () => {
  const { report, status } = await runWithExpiredSecret();
  assert.ok(report.failures.length > 0);
  for (const f of report.failures) assert.match(f.message, /AADSTS7000222/, `failure message: ${f.message}`);
  assert.match(status, /AADSTS7000222/, status);
});
