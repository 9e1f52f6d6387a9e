import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LogEvent } from '../../server/domain/logger.ts';
import { nextTransactionId, sampleEvent } from '../contract/calendar-target-contract.ts';
import { startGraphWorld } from './graph-world.ts';
import type { GraphWorld } from './graph-world.ts';

const JAN = 'jan.kowalski@firma.pl';
const ANNA = 'anna.nowak@firma.pl';
const PIOTR = 'piotr.wisniewski@firma.pl';
const OLA = 'ola.mazur@firma.pl';
const EWA = 'ewa.lis@firma.pl';
const ADAM = 'adam.nowicki@firma.pl';

/** As config gives them: display name → colour (a preset or a colour name). */
const COLORS = new Map([
  ['Serwis', 'preset7'],
  ['Pilne', 'czerwony'],
]);

let world: GraphWorld;

before(async () => {
  world = await startGraphWorld([JAN, ANNA, PIOTR, OLA, EWA, ADAM]);
});
after(() => world.close());

/** A target with `categoryColors` (a new one = a new process), its log, and what reached Graph from here on. */
async function setUp(mailbox: string, calendarName: string, categoryColors: ReadonlyMap<string, string> = COLORS) {
  const logs: LogEvent[] = [];
  const target = world.makeTarget({ sleep: async () => {}, random: () => 0.5, categoryColors, logger: { log: (e) => logs.push(e) } });
  const calendarId = await target.ensureCalendar(mailbox, calendarName);
  const logStart = world.graph.requestLog.length;
  const requestsStart = target.stats.requests;
  const since = () => world.graph.requestLog.slice(logStart).filter((e) => e.mailbox === mailbox || e.path === '/$batch');
  return {
    target,
    calendarId,
    logs,
    /** Master-category requests as `METHOD status`. */
    categoryRequests: () => since().filter((e) => e.path.includes('/outlook/masterCategories')).map((e) => `${e.method} ${e.status}`),
    /** HTTP requests Graph received (a `$batch` is one; its items are not). */
    httpRequests: () => since().filter((e) => !e.viaBatch).length,
    counted: () => target.stats.requests - requestsStart,
    colors: () => new Map(world.graph.masterCategories(mailbox).map((c) => [c.displayName, c.color])),
  };
}

describe('Graph target: category colours in the master category list', () => {
  it('the first writes create the coloured categories once; a second run of writes sends no category request', async () => {
    const { target, calendarId, categoryRequests, httpRequests, counted, colors } = await setUp(JAN, 'Serwis');
    // First run: three events at once, as apply hands them over.
    const created = await Promise.all([
      target.createEvent(JAN, calendarId, 'serwis:zlecenie:1', sampleEvent({ categories: ['Serwis'] }), nextTransactionId()),
      target.createEvent(JAN, calendarId, 'serwis:zlecenie:2', sampleEvent({ categories: ['serwis', 'Pilne'] }), nextTransactionId()),
      target.createEvent(JAN, calendarId, 'serwis:zlecenie:3', sampleEvent({ categories: ['Bez koloru'] }), nextTransactionId()),
    ]);
    assert.deepEqual(categoryRequests().sort(), ['GET 200', 'POST 201', 'POST 201']);
    assert.equal(colors().get('Serwis'), 'preset7');
    assert.equal(colors().get('Pilne'), 'preset0', 'the colour name from config became its preset');
    assert.equal(colors().has('Bez koloru'), false, 'a category without a configured colour is not added');
    assert.equal(counted(), httpRequests(), 'category requests are counted like any other');

    // Second run: updates and a create with the same categories.
    const before = categoryRequests().length;
    await Promise.all(created.map((e) => target.updateEvent(JAN, e.remoteId, sampleEvent({ categories: ['Serwis', 'Pilne'], subject: 'Zmiana' }))));
    await target.createEvent(JAN, calendarId, 'serwis:zlecenie:4', sampleEvent({ categories: ['PILNE'] }), nextTransactionId());
    assert.equal(categoryRequests().length, before, 'ensured once per mailbox in this process');
    assert.equal(counted(), httpRequests());
    assert.deepEqual(world.graph.listEvents(JAN, 'Serwis').map((e) => e.categories).sort(), [['PILNE'], ['Serwis', 'Pilne'], ['Serwis', 'Pilne'], ['Serwis', 'Pilne']]);
  });

  it('a new process lists once and changes nothing when the list is already right', async () => {
    const { target, calendarId, categoryRequests } = await setUp(JAN, 'Serwis');
    await target.createEvent(JAN, calendarId, 'serwis:zlecenie:5', sampleEvent({ categories: ['Serwis', 'Pilne'] }), nextTransactionId());
    assert.deepEqual(categoryRequests(), ['GET 200']);
    assert.equal(world.graph.masterCategories(JAN).filter((c) => c.displayName.toLowerCase() === 'serwis').length, 1);
  });

  it('a category a person coloured differently is recoloured by PATCH, keeping its spelling', async () => {
    world.graph.setMasterCategoryAsUser(ANNA, 'SERWIS', 'preset4');
    const { target, calendarId, categoryRequests, colors } = await setUp(ANNA, 'Serwis', new Map([['Serwis', 'niebieski']]));
    await target.createEvent(ANNA, calendarId, 'serwis:zlecenie:1', sampleEvent({ categories: ['Serwis'] }), nextTransactionId());
    assert.deepEqual(categoryRequests(), ['GET 200', 'PATCH 200']);
    assert.equal(colors().get('SERWIS'), 'preset7');
    assert.equal(colors().has('Serwis'), false, 'no second category of the same name');
  });

  it('a later write with a category not yet ensured ensures that one only', async () => {
    const { target, calendarId, categoryRequests } = await setUp(PIOTR, 'Serwis');
    await target.createEvent(PIOTR, calendarId, 'serwis:zlecenie:1', sampleEvent({ categories: ['Serwis'] }), nextTransactionId());
    assert.deepEqual(categoryRequests(), ['GET 200', 'POST 201']);
    await target.createEvent(PIOTR, calendarId, 'serwis:zlecenie:2', sampleEvent({ categories: ['Serwis', 'Pilne'] }), nextTransactionId());
    assert.deepEqual(categoryRequests(), ['GET 200', 'POST 201', 'GET 200', 'POST 201']);
    await target.createEvent(PIOTR, calendarId, 'serwis:zlecenie:3', sampleEvent({ categories: ['Pilne', 'Serwis'] }), nextTransactionId());
    assert.equal(categoryRequests().length, 4);
  });

  it('a category added meanwhile (409 on POST) is listed again and recoloured', async () => {
    const { target, calendarId, categoryRequests, colors } = await setUp(EWA, 'Serwis', new Map([['Serwis', 'preset7']]));
    // The POST waits; meanwhile a person adds the category in Outlook in another colour.
    world.graph.injectFault({ mailbox: EWA, method: 'POST', pathIncludes: '/outlook/masterCategories', kind: 'delay', delayMs: 300 });
    const writing = target.createEvent(EWA, calendarId, 'serwis:zlecenie:1', sampleEvent({ categories: ['Serwis'] }), nextTransactionId());
    while (!categoryRequests().includes('GET 200')) await new Promise((resolve) => setTimeout(resolve, 5));
    world.graph.setMasterCategoryAsUser(EWA, 'serwis', 'preset2');
    await writing;
    assert.deepEqual(categoryRequests(), ['GET 200', 'POST 409', 'GET 200', 'PATCH 200']);
    assert.equal(colors().get('serwis'), 'preset7');
  });
});

describe('Graph target: category colours without MailboxSettings.ReadWrite', () => {
  it('403: events are still written with their categories, one warning names the permission, no retry in this run', async () => {
    world.graph.setMailboxSettingsAccess(OLA, 'denied');
    const { target, calendarId, logs, categoryRequests, counted, httpRequests } = await setUp(OLA, 'Serwis');
    const created = await Promise.all([
      target.createEvent(OLA, calendarId, 'serwis:zlecenie:1', sampleEvent({ categories: ['Serwis'] }), nextTransactionId()),
      target.createEvent(OLA, calendarId, 'serwis:zlecenie:2', sampleEvent({ categories: ['Serwis'] }), nextTransactionId()),
    ]);
    await target.updateEvent(OLA, created[0].remoteId, sampleEvent({ categories: ['Serwis'], subject: 'Druga zmiana' }));
    // A new coloured category is tried once more, but warned about no more.
    await target.createEvent(OLA, calendarId, 'serwis:zlecenie:3', sampleEvent({ categories: ['Pilne'] }), nextTransactionId());

    assert.deepEqual(world.graph.listEvents(OLA, 'Serwis').map((e) => e.categories), [['Serwis'], ['Serwis'], ['Pilne']]);
    assert.deepEqual(categoryRequests(), ['GET 403', 'GET 403']);
    const warnings = logs.filter((e) => e.level === 'warn');
    assert.equal(warnings.length, 1, 'one warning per mailbox');
    assert.equal(warnings[0].mailbox, OLA);
    assert.match(warnings[0].message, /MailboxSettings\.ReadWrite/);
    assert.match(warnings[0].message, /aplikacyjne/, 'names the application permission');
    assert.match(warnings[0].message, /delegowanym/, 'and the delegated scope');
    assert.equal(warnings[0].data?.permission, 'MailboxSettings.ReadWrite');
    assert.equal(counted(), httpRequests());
    assert.equal(world.graph.masterCategories(OLA).some((c) => c.displayName === 'Serwis'), false);
  });

  it('any other failure (Graph unavailable through every retry) does not fail the write either', async () => {
    const { target, calendarId, logs, categoryRequests } = await setUp(ADAM, 'Serwis');
    world.graph.injectFault({ mailbox: ADAM, method: 'GET', pathIncludes: '/outlook/masterCategories', kind: 'status', status: 503, times: 10 });
    const created = await target.createEvent(ADAM, calendarId, 'serwis:zlecenie:1', sampleEvent({ categories: ['Serwis'] }), nextTransactionId());
    assert.ok(created.remoteId);
    assert.deepEqual(categoryRequests(), Array(5).fill('GET 503'), 'the sender retried as for any request (4 retries)');
    const warnings = logs.filter((e) => e.level === 'warn' && e.data?.categories !== undefined);
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0].data?.status, 503);
    assert.doesNotMatch(warnings[0].message, /MailboxSettings/, 'not a permission problem');
    world.graph.clearFaults();
  });
});
