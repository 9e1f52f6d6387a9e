import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { startGraphWorld, type GraphWorld } from '../targets/graph-world.ts';
import { formatId, parseId, toEwsId } from '../emulators/graph/graph-ids.ts';
import type { CalendarTarget } from '../../server/targets/calendar-target.ts';
import { sampleEvent, nextTransactionId } from '../contract/calendar-target-contract.ts';

/**
 * The add-in finds the Optima record of the event open in Outlook from Office.js's id: the EWS
 * form (`item.itemId`) or a regular REST id (`convertToRestId`). The Graph adapter translates both
 * to the immutable id links keep (translateExchangeIds), in the caller's own mailbox only.
 */
const MAILBOX = 'anna.nowak@firma.pl';
const OTHER = 'jan.kowalski@firma.pl';
let world: GraphWorld;
let target: CalendarTarget;

before(async () => {
  world = await startGraphWorld([MAILBOX, OTHER]);
  target = world.makeTarget();
});
after(() => world.close());

it('EWS and regular REST ids of an event translate to the immutable id the link keeps', async () => {
  const calendarId = await target.ensureCalendar(MAILBOX, 'Optima Serwis');
  const created = await target.createEvent(MAILBOX, calendarId, 'serwis:zlecenie:7', sampleEvent(), nextTransactionId());
  const parsed = parseId(created.remoteId);
  assert.ok(parsed && parsed.kind === 'immutable', 'the sync keeps immutable ids');
  const regular = formatId('regular', parsed.tag, parsed.key);
  assert.notEqual(regular, created.remoteId);
  assert.equal(await target.translateToRestImmutableId(MAILBOX, toEwsId(regular), 'ews'), created.remoteId);
  assert.equal(await target.translateToRestImmutableId(MAILBOX, regular, 'rest'), created.remoteId);
  assert.equal(await target.translateToRestImmutableId(OTHER, toEwsId(regular), 'ews'), null, "another mailbox's event is not found");
  assert.equal(await target.translateToRestImmutableId(MAILBOX, 'zupełnie-nie-id', 'ews'), null);
});
