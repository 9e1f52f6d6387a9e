import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BatchRequestContent, BatchResponseContent } from '@microsoft/microsoft-graph-client';
import type { Client, GraphError } from '@microsoft/microsoft-graph-client';
import { startEmulators } from './start-emulators.ts';
import type { EmulatorWorld } from './start-emulators.ts';
import { OUTLOOK_LIMITS } from './graph/mailbox-throttle.ts';

const JAN = 'jan.kowalski@firma.pl';
const ANNA = 'anna.nowak@firma.pl';
const PIOTR = 'piotr.wisniewski@firma.pl';

let world: EmulatorWorld;
let client: Client;
let calendarId: string;

before(async () => {
  world = await startEmulators({ mailboxes: [JAN, ANNA, PIOTR] });
  client = world.createGraphClient();
  calendarId = (await client.api(`/users/${JAN}/calendars`).post({ name: 'Serwis' })).id;
});
after(() => world.close());
afterEach(() => {
  world.graph.clearFaults();
  world.graph.setLatency(0);
  world.graph.setLimits(OUTLOOK_LIMITS);
});

function order(n: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    subject: `ZS/${n}/2026`,
    start: { dateTime: '2026-05-04T08:00:00', timeZone: 'Europe/Warsaw' },
    end: { dateTime: '2026-05-04T09:00:00', timeZone: 'Europe/Warsaw' },
    ...extra,
  };
}

async function graphErrorOf(action: () => Promise<unknown>): Promise<GraphError> {
  try {
    await action();
  } catch (error) {
    return error as GraphError;
  }
  assert.fail('expected a Graph error');
}

async function settle<T>(promises: Array<Promise<T>>): Promise<Array<{ ok: true; value: T } | { ok: false; error: GraphError }>> {
  const results = await Promise.allSettled(promises);
  return results.map((r) => (r.status === 'fulfilled' ? { ok: true, value: r.value } : { ok: false, error: r.reason as GraphError }));
}

describe('$batch', () => {
  it('runs a serial batch; a failed item makes its dependent 424', async () => {
    // graph-client 3.0.7's BatchRequestContent keeps `/v1.0` in item urls (it strips only scheme
    // and host), which Graph refuses; so the batch body is built by hand, urls without version.
    const json = { 'Content-Type': 'application/json', Prefer: 'IdType="ImmutableId"' };
    const events = `/users/${JAN}/calendars/${calendarId}/events`;
    const badZone = order(3, { start: { dateTime: '2026-05-04T08:00:00', timeZone: 'Mars/Olympus' } });
    const content = {
      requests: [
        { id: '1', method: 'POST', url: events, headers: json, body: order(1) },
        { id: '2', method: 'POST', url: events, headers: json, body: order(2), dependsOn: ['1'] },
        { id: '3', method: 'POST', url: `/users/${JAN}/events`, headers: json, body: badZone, dependsOn: ['2'] },
        { id: '4', method: 'POST', url: events, headers: json, body: order(4), dependsOn: ['3'] },
      ],
    };
    const raw = await client.api('/$batch').post(content);
    const responses = new BatchResponseContent(raw);
    const first = responses.getResponseById('1');
    assert.equal(first.status, 201);
    assert.match((await first.json()).id, /^AAkALg/);
    assert.equal(responses.getResponseById('2').status, 201);
    const refused = responses.getResponseById('3');
    assert.equal(refused.status, 400);
    assert.equal((await refused.json()).error.code, 'TimeZoneNotSupportedException');
    assert.equal(responses.getResponseById('4').status, 424);
    assert.deepEqual(world.graph.listEvents(JAN, 'Serwis').map((e) => e.subject).sort(), ['ZS/1/2026', 'ZS/2/2026']);
    const items = world.graph.requestLog.filter((entry) => entry.viaBatch);
    assert.equal(items.length, 3, 'the item skipped for its failed dependency never reached the mailbox');
  });

  it('accepts BatchRequestContent when the Request urls leave the version out', async () => {
    const content = new BatchRequestContent([
      { id: 'cal', request: new Request(`${world.graph.url}/users/${JAN}/calendars`, { method: 'GET' }) },
      { id: 'evt', request: new Request(`${world.graph.url}/users/${JAN}/events`, { method: 'GET' }) },
    ]);
    const responses = new BatchResponseContent(await client.api('/$batch').post(await content.getContent()));
    assert.equal(responses.getResponseById('cal').status, 200);
    assert.equal(responses.getResponseById('evt').status, 200);
  });

  it('refuses more than 20 items and duplicate ids with 400', async () => {
    const item = (id: string) => ({ id, method: 'GET', url: `/users/${JAN}/calendars` });
    const tooMany = await graphErrorOf(() => client.api('/$batch').post({ requests: Array.from({ length: 21 }, (_, i) => item(String(i))) }));
    assert.equal(tooMany.statusCode, 400);
    const duplicate = await graphErrorOf(() => client.api('/$batch').post({ requests: [item('a'), item('a')] }));
    assert.equal(duplicate.statusCode, 400);
    const withVersion = await client.api('/$batch').post({ requests: [{ id: 'v', method: 'GET', url: `/v1.0/users/${JAN}/calendars` }] });
    assert.equal(withVersion.responses[0].status, 400, 'item urls are relative to the version');
  });

  it('throttles batch items on their own, each 429 with its Retry-After', async () => {
    world.graph.setLimits({ concurrentPerMailbox: 1, retryAfterSeconds: 7 });
    world.graph.setLatency(100);
    const requests = ['a', 'b', 'c'].map((id) => ({ id, method: 'GET', url: `/users/${ANNA}/calendars` }));
    const result = await client.api('/$batch').post({ requests });
    const statuses = result.responses.map((r: { status: number }) => r.status).sort();
    assert.deepEqual(statuses, [200, 429, 429]);
    const throttled = result.responses.find((r: { status: number }) => r.status === 429);
    assert.equal(throttled.headers['Retry-After'], '7');
    assert.equal(throttled.body.error.code, 'ApplicationThrottled');
  });
});

describe('throttling and mailbox policy', () => {
  it('answers 429 ApplicationThrottled with Retry-After above 4 concurrent requests per mailbox', async () => {
    world.graph.setLatency(300);
    const results = await settle(Array.from({ length: 8 }, () => client.api(`/users/${PIOTR}/calendars`).get()));
    const throttled = results.filter((r) => !r.ok);
    assert.equal(results.filter((r) => r.ok).length, 4);
    assert.equal(throttled.length, 4);
    for (const r of throttled) {
      if (r.ok) continue;
      assert.equal(r.error.statusCode, 429);
      assert.equal(r.error.code, 'ApplicationThrottled');
      assert.equal(r.error.headers?.get('retry-after'), '1');
    }
    // A different mailbox has its own budget.
    assert.equal((await client.api(`/users/${JAN}/calendars`).get()).value.length, 2);
  });

  it('counts requests per 10 minutes per mailbox', async () => {
    world.graph.setLimits({ requestsPer10Min: 3 });
    const mailbox = 'fresh.mailbox@firma.pl';
    world.graph.addMailbox(mailbox);
    for (let i = 0; i < 3; i++) await client.api(`/users/${mailbox}/calendars`).get();
    const fourth = await graphErrorOf(() => client.api(`/users/${mailbox}/calendars`).get());
    assert.equal(fourth.statusCode, 429);
    assert.ok(Number(fourth.headers?.get('retry-after')) > 500, 'waits until the oldest request leaves the window');
  });

  it('applies the per-mailbox access policy', async () => {
    world.graph.setMailboxAccess(ANNA, 'forbidden');
    const forbidden = await graphErrorOf(() => client.api(`/users/${ANNA}/calendars`).get());
    assert.equal(forbidden.statusCode, 403);
    assert.equal(forbidden.code, 'ErrorAccessDenied');
    assert.equal(forbidden.message, 'Access to OData is disabled.');
    world.graph.setMailboxAccess(ANNA, 'no-mailbox');
    const noMailbox = await graphErrorOf(() => client.api(`/users/${ANNA}/calendars`).get());
    assert.equal(noMailbox.statusCode, 404);
    assert.equal(noMailbox.code, 'MailboxNotEnabledForRESTAPI');
    world.graph.setMailboxAccess(ANNA, 'ok');
    assert.equal((await client.api(`/users/${ANNA}/calendars`).get()).value.length, 1);
  });
});

describe('errors, headers and faults', () => {
  it('requires a valid bearer token and answers with the Graph error shape', async () => {
    const response = await fetch(`${world.graph.url}/v1.0/users/${JAN}/calendars`, { headers: { 'client-request-id': 'my-client-request-id' } });
    assert.equal(response.status, 401);
    assert.equal(response.headers.get('client-request-id'), 'my-client-request-id');
    const requestId = response.headers.get('request-id');
    assert.match(requestId ?? '', /^[0-9a-f-]{36}$/);
    const body = await response.json();
    assert.equal(body.error.code, 'InvalidAuthenticationToken');
    assert.equal(body.error.innerError['request-id'], requestId);
    assert.equal(body.error.innerError['client-request-id'], 'my-client-request-id');
    assert.match(body.error.innerError.date, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
    const forged = await fetch(`${world.graph.url}/v1.0/users/${JAN}/calendars`, { headers: { authorization: 'Bearer eyJhbGciOiJub25lIn0.e30.' } });
    assert.equal(forged.status, 401);
  });

  it('stores the event and then loses the response for drop-response-after-store', async () => {
    world.graph.injectFault({ mailbox: JAN, method: 'POST', pathIncludes: '/events', kind: 'drop-response-after-store' });
    const body = order(50, { transactionId: 'optima-ZS-50-1' });
    await assert.rejects(() => client.api(`/users/${JAN}/calendars/${calendarId}/events`).post(body));
    const stored = world.graph.listEvents(JAN, 'Serwis').filter((e) => e.transactionId === 'optima-ZS-50-1');
    assert.equal(stored.length, 1, 'the create happened although the client saw no answer');
    const retried = await client.api(`/users/${JAN}/calendars/${calendarId}/events`).header('Prefer', 'IdType="ImmutableId"').post(body);
    assert.equal(retried.id, stored[0].id);
  });

  it('answers injected status faults a given number of times', async () => {
    world.graph.injectFault({ mailbox: JAN, kind: 'status', status: 503, times: 2, retryAfterSeconds: 3 });
    const first = await graphErrorOf(() => client.api(`/users/${JAN}/calendars`).get());
    assert.equal(first.statusCode, 503);
    assert.equal(first.code, 'ServiceUnavailable');
    assert.equal(first.headers?.get('retry-after'), '3');
    await graphErrorOf(() => client.api(`/users/${JAN}/calendars`).get());
    assert.equal((await client.api(`/users/${JAN}/calendars`).get()).value.length, 2);
  });

  it('logs every request with its mailbox and status', async () => {
    const before = world.graph.requestLog.length;
    await graphErrorOf(() => client.api(`/users/${JAN}/events/AAkALgnot-an-id`).get());
    const entry = world.graph.requestLog.at(-1);
    assert.equal(world.graph.requestLog.length, before + 1);
    assert.deepEqual({ method: entry?.method, status: entry?.status, mailbox: entry?.mailbox }, { method: 'GET', status: 400, mailbox: JAN });
  });
});

describe('delta and id translation', () => {
  it('reports new, changed and removed events through calendarView/delta', async () => {
    const mailbox = 'delta.user@firma.pl';
    world.graph.addMailbox(mailbox);
    const deltaCalendar = (await client.api(`/users/${mailbox}/calendars`).post({ name: 'Delta' })).id;
    const ids: string[] = [];
    for (let n = 0; n < 3; n++) ids.push((await client.api(`/users/${mailbox}/calendars/${deltaCalendar}/events`).post(order(300 + n))).id);
    const window = { startDateTime: '2026-05-01T00:00:00Z', endDateTime: '2026-06-01T00:00:00Z' };
    const pageSize = { Prefer: 'odata.maxpagesize=2' };
    let page = await client.api(`/users/${mailbox}/calendars/${deltaCalendar}/calendarView/delta`).query(window).headers(pageSize).get();
    const initial = [...page.value];
    assert.ok(page['@odata.nextLink']);
    page = await client.api(page['@odata.nextLink']).headers(pageSize).get();
    initial.push(...page.value);
    assert.equal(initial.length, 3);
    const deltaLink: string = page['@odata.deltaLink'];
    assert.ok(deltaLink.startsWith(world.graph.url));

    world.graph.editEventAsUser(mailbox, ids[0], { subject: 'przesunięte przez technika' });
    world.graph.deleteEventAsUser(mailbox, ids[1]);
    page = await client.api(deltaLink).get();
    const changes = page.value as Array<{ id: string; subject?: string; '@removed'?: { reason: string } }>;
    assert.deepEqual(changes.find((e) => e.id === ids[0])?.subject, 'przesunięte przez technika');
    assert.deepEqual(changes.find((e) => e.id === ids[1])?.['@removed'], { reason: 'deleted' });
    assert.equal(changes.length, 2);

    world.graph.expireDeltaTokens();
    const expired = await graphErrorOf(() => client.api(page['@odata.deltaLink']).get());
    assert.equal(expired.statusCode, 410);
  });

  it('translates between regular, immutable and EWS ids', async () => {
    const created = await client.api(`/users/${JAN}/calendars/${calendarId}/events`).post(order(400));
    const immutable = await client.api(`/users/${JAN}/translateExchangeIds`).post({ inputIds: [created.id], sourceIdType: 'restId', targetIdType: 'restImmutableEntryId' });
    const expected = world.graph.listEvents(JAN).find((e) => e.regularId === created.id)?.id;
    assert.equal(immutable.value[0].targetId, expected);
    const ews = await client.api(`/users/${JAN}/translateExchangeIds`).post({ inputIds: [created.id], sourceIdType: 'restId', targetIdType: 'ewsId' });
    const back = await client.api(`/users/${JAN}/translateExchangeIds`).post({ inputIds: [ews.value[0].targetId], sourceIdType: 'ewsId', targetIdType: 'restId' });
    assert.equal(back.value[0].targetId, created.id);
  });
});
