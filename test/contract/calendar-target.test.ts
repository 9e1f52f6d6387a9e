import { createMemoryTarget } from '../../server/targets/memory/memory-target.ts';
import { describeCalendarTargetContract } from './calendar-target-contract.ts';
import { startGraphWorld } from '../targets/graph-world.ts';

describeCalendarTargetContract('in-memory', async () => ({
  target: createMemoryTarget(),
  mailbox: 'anna.nowak@firma.pl',
  close: async () => {},
}));

describeCalendarTargetContract('Microsoft Graph (emulators, real graph-client and msal-node)', async () => {
  const mailbox = 'anna.nowak@firma.pl';
  const world = await startGraphWorld([mailbox]);
  return { target: world.makeTarget(), mailbox, close: () => world.close() };
});
