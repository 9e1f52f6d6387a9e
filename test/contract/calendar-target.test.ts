import { createMemoryTarget } from '../../server/targets/memory/memory-target.ts';
import { describeCalendarTargetContract } from './calendar-target-contract.ts';
import { startGraphWorld } from '../targets/graph-world.ts';

describeCalendarTargetContract('in-memory', async () => {
  const target = createMemoryTarget();
  return {
    target,
    mailbox: 'anna.nowak@firma.pl',
    readExtendedProperties: async (mailbox, remoteId) => target.events(mailbox).find((e) => e.remoteId === remoteId)?.extendedProperties ?? {},
    close: async () => {},
  };
});

describeCalendarTargetContract('Microsoft Graph (emulators, real graph-client and msal-node)', async () => {
  const mailbox = 'anna.nowak@firma.pl';
  const world = await startGraphWorld([mailbox]);
  return {
    target: world.makeTarget(),
    mailbox,
    // What the emulator stored (canonical ids: type as documented, GUID lower case, name as sent).
    readExtendedProperties: async (box, remoteId) => world.graph.listEvents(box).find((e) => e.id === remoteId)?.extendedProperties ?? {},
    close: () => world.close(),
  };
});
