import type { Demo } from '../../server/demo/start-demo.ts';
import { DEMO_DEFAULT_MAILBOX } from '../../server/demo/start-demo.ts';
import type { EmulatedEvent } from '../emulators/graph/graph-emulator.ts';

/** One event as a person sees it in their calendar, with whose calendar it is. */
export interface SeenDemoEvent {
  readonly mailbox: string;
  readonly event: EmulatedEvent;
}

/** Every mailbox a demo event may land in: the default one and each person's e-mail. */
export function listDemoMailboxes(demo: Demo): string[] {
  return [...new Set([DEMO_DEFAULT_MAILBOX, ...demo.people.flatMap((p) => (p.email ? [p.email.toLowerCase()] : []))])];
}

/** Every event of the sync calendar in every demo mailbox, by the source key stamped on it. */
export function readDemoEventsByKey(demo: Demo): Map<string, SeenDemoEvent[]> {
  const byKey = new Map<string, SeenDemoEvent[]>();
  for (const mailbox of listDemoMailboxes(demo)) {
    for (const event of demo.graph.listEvents(mailbox, demo.config.calendar.name)) {
      const key = Object.values(event.extendedProperties)[0];
      byKey.set(key, [...(byKey.get(key) ?? []), { mailbox, event }]);
    }
  }
  return byKey;
}
