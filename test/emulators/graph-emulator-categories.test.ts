import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Client, GraphError } from '@microsoft/microsoft-graph-client';
import { startEmulators } from './start-emulators.ts';
import type { EmulatorWorld } from './start-emulators.ts';

const JAN = 'jan.kowalski@firma.pl';
const ANNA = 'anna.nowak@firma.pl';
const BEZ_USTAWIEN = 'bez.ustawien@firma.pl';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let world: EmulatorWorld;
let client: Client;

before(async () => {
  world = await startEmulators({ mailboxes: [JAN, ANNA, BEZ_USTAWIEN] });
  world.graph.setMailboxSettingsAccess(BEZ_USTAWIEN, 'denied');
  client = world.createGraphClient();
});
after(() => world.close());

async function graphErrorOf(action: () => Promise<unknown>): Promise<GraphError> {
  try {
    await action();
  } catch (error) {
    return error as GraphError;
  }
  assert.fail('expected a Graph error');
}

function task(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    subject: 'Spotkanie z klientem',
    start: { dateTime: '2026-03-10T08:00:00', timeZone: 'Europe/Warsaw' },
    end: { dateTime: '2026-03-10T09:00:00', timeZone: 'Europe/Warsaw' },
    ...extra,
  };
}

describe('events: importance and attendees', () => {
  it('read back as normal and [] when never set', async () => {
    const created = await client.api(`/users/${JAN}/events`).post(task());
    const read = await client.api(`/users/${JAN}/events/${created.id}`).get();
    assert.equal(read.importance, 'normal');
    assert.deepEqual(read.attendees, []);
  });

  it('are stored and returned, attendees with a response status; a PATCH without them keeps them, [] removes', async () => {
    const attendee = { emailAddress: { name: 'Ewa Zielińska', address: 'ewa@klient.pl' }, type: 'required' };
    const created = await client.api(`/users/${JAN}/events`).post(task({ importance: 'high', attendees: [attendee] }));
    assert.equal(created.importance, 'high');
    assert.deepEqual(created.attendees, [{ ...attendee, status: { response: 'none', time: '0001-01-01T00:00:00Z' } }]);
    await client.api(`/users/${JAN}/events/${created.id}`).patch({ subject: 'Inny temat' });
    const kept = await client.api(`/users/${JAN}/events/${created.id}`).select('importance,attendees').get();
    assert.equal(kept.importance, 'high');
    assert.equal(kept.attendees.length, 1);
    await client.api(`/users/${JAN}/events/${created.id}`).patch({ attendees: [], importance: 'low' });
    const [stored] = world.graph.listEvents(JAN).filter((e) => e.subject === 'Inny temat');
    assert.deepEqual(stored.attendees, []);
    assert.equal(stored.importance, 'low');
  });

  it('an importance Graph does not know is 400', async () => {
    const err = await graphErrorOf(() => client.api(`/users/${JAN}/events`).post(task({ importance: 'urgent' })));
    assert.equal(err.statusCode, 400);
  });
});

describe('master categories', () => {
  it('a mailbox starts with Outlook’s six default categories, GUID ids', async () => {
    const listed = await client.api(`/users/${ANNA}/outlook/masterCategories`).get();
    assert.deepEqual(
      listed.value.map((c: { displayName: string; color: string }) => [c.displayName, c.color]),
      [['Red category', 'preset0'], ['Orange category', 'preset1'], ['Yellow category', 'preset3'], ['Green category', 'preset4'], ['Blue category', 'preset7'], ['Purple category', 'preset8']],
    );
    for (const c of listed.value) assert.match(c.id, GUID);
  });

  it('add, read, recolour, delete; a duplicate name in any case is 409; the name cannot change', async () => {
    const created = await client.api(`/users/${JAN}/outlook/masterCategories`).post({ displayName: 'Serwis', color: 'preset7' });
    assert.match(created.id, GUID);
    assert.deepEqual([created.displayName, created.color], ['Serwis', 'preset7']);

    const duplicate = await graphErrorOf(() => client.api(`/users/${JAN}/outlook/masterCategories`).post({ displayName: 'SERWIS', color: 'preset1' }));
    assert.equal(duplicate.statusCode, 409);
    assert.equal(duplicate.code, 'ErrorDuplicateCategory');

    const recoloured = await client.api(`/users/${JAN}/outlook/masterCategories/${created.id}`).patch({ color: 'Preset4' });
    assert.equal(recoloured.color, 'preset4');
    assert.equal((await client.api(`/users/${JAN}/outlook/masterCategories/${created.id}`).get()).color, 'preset4');

    const renamed = await graphErrorOf(() => client.api(`/users/${JAN}/outlook/masterCategories/${created.id}`).patch({ displayName: 'Inna' }));
    assert.equal(renamed.statusCode, 400);

    await client.api(`/users/${JAN}/outlook/masterCategories/${created.id}`).delete();
    const gone = await graphErrorOf(() => client.api(`/users/${JAN}/outlook/masterCategories/${created.id}`).get());
    assert.equal(gone.statusCode, 404);
    assert.equal(world.graph.masterCategories(JAN).some((c) => c.displayName === 'Serwis'), false);
  });

  it('bad bodies and ids are refused like Graph', async () => {
    const base = `/users/${JAN}/outlook/masterCategories`;
    assert.equal((await graphErrorOf(() => client.api(base).post({ displayName: 'Kolor', color: 'preset25' }))).statusCode, 400);
    assert.equal((await graphErrorOf(() => client.api(base).post({ displayName: 'Kolor', colour: 'preset2' }))).code, 'RequestBodyRead');
    assert.equal((await graphErrorOf(() => client.api(base).post({ color: 'preset2' }))).statusCode, 400);
    assert.equal((await graphErrorOf(() => client.api(`${base}/nie-guid`).get())).code, 'ErrorInvalidIdMalformed');
  });

  it('requests are in the request log with their body keys, $batch items too', async () => {
    const start = world.graph.requestLog.length;
    await client.api(`/users/${JAN}/outlook/masterCategories`).post({ displayName: 'Pilne', color: 'preset0' });
    const batch = await client.api('/$batch').post({
      requests: [{ id: '1', method: 'POST', url: `/users/${JAN}/outlook/masterCategories`, headers: { 'Content-Type': 'application/json' }, body: { displayName: 'Gotowe', color: 'preset4' } }],
    });
    assert.equal(batch.responses[0].status, 201);
    const logged = world.graph.requestLog.slice(start).filter((e) => e.path.endsWith('/outlook/masterCategories'));
    assert.deepEqual(logged.map((e) => [e.method, e.status, e.mailbox, e.viaBatch, e.bodyKeys]), [
      ['POST', 201, JAN, false, ['displayName', 'color']],
      ['POST', 201, JAN, true, ['displayName', 'color']],
    ]);
    assert.deepEqual(world.graph.masterCategories(JAN).slice(-2).map((c) => [c.displayName, c.color]), [['Pilne', 'preset0'], ['Gotowe', 'preset4']]);
  });

  it('a mailbox without MailboxSettings.ReadWrite answers 403 on categories only; its events still work', async () => {
    const err = await graphErrorOf(() => client.api(`/users/${BEZ_USTAWIEN}/outlook/masterCategories`).get());
    assert.equal(err.statusCode, 403);
    assert.equal(err.code, 'ErrorAccessDenied');
    const created = await client.api(`/users/${BEZ_USTAWIEN}/events`).post(task({ categories: ['Serwis'] }));
    assert.deepEqual(created.categories, ['Serwis']);
    world.graph.setMailboxSettingsAccess(BEZ_USTAWIEN, 'ok');
    assert.equal((await client.api(`/users/${BEZ_USTAWIEN}/outlook/masterCategories`).get()).value.length, 6);
    world.graph.setMailboxSettingsAccess(BEZ_USTAWIEN, 'denied');
  });

  it('a person in Outlook adds or recolours a category (test accessor)', () => {
    const added = world.graph.setMasterCategoryAsUser(ANNA, 'Prywatne', 'preset9');
    const recoloured = world.graph.setMasterCategoryAsUser(ANNA, 'PRYWATNE', 'preset10');
    assert.equal(recoloured.id, added.id);
    assert.deepEqual(world.graph.masterCategories(ANNA).filter((c) => c.id === added.id).map((c) => [c.displayName, c.color]), [['Prywatne', 'preset10']]);
  });
});
