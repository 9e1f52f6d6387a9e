/**
 * Outlook counts concurrent requests per app and mailbox (4, reference §6), and a `$batch` item
 * counts like a request of its own; Graph runs at most 4 items of a parallel batch at once (§5).
 * So a mailbox has a budget of slots: a single request takes one, a batch of n items takes
 * min(n, 4). The budget starts at the configured maximum, drops by one after a 429 (another
 * client of the same app may be using the mailbox) and creeps back after a run of successes.
 */
export interface MailboxSlots {
  /** Slots this mailbox may use now (1 … maximum). */
  capacity(mailbox: string): number;
  /** Slots not in use now (may be negative right after the capacity dropped). */
  free(mailbox: string): number;
  take(mailbox: string, weight: number): void;
  release(mailbox: string, weight: number): void;
  /** Graph answered 429: one slot fewer for this mailbox. */
  noteThrottled(mailbox: string): void;
  /** `count` requests succeeded without a 429. */
  noteSucceeded(mailbox: string, count: number): void;
}

/** Items Graph sends to Outlook at once from one parallel batch (reference §5). */
export const BATCH_PARALLELISM = 4;

/** Successful requests after which a lowered capacity grows by one slot again. */
const RECOVER_AFTER = 40;

/** Creates the per-mailbox budget with at most `maximum` slots per mailbox. */
export function createMailboxSlots(maximum: number): MailboxSlots {
  const max = Math.max(1, Math.floor(maximum));
  const boxes = new Map<string, { used: number; capacity: number; successes: number }>();
  const boxOf = (mailbox: string) => {
    const key = mailbox.toLowerCase();
    let box = boxes.get(key);
    if (!box) {
      box = { used: 0, capacity: max, successes: 0 };
      boxes.set(key, box);
    }
    return box;
  };
  return {
    capacity: (mailbox) => boxOf(mailbox).capacity,
    free(mailbox) {
      const box = boxOf(mailbox);
      return box.capacity - box.used;
    },
    take(mailbox, weight) {
      boxOf(mailbox).used += weight;
    },
    release(mailbox, weight) {
      boxOf(mailbox).used -= weight;
    },
    noteThrottled(mailbox) {
      const box = boxOf(mailbox);
      box.capacity = Math.max(1, box.capacity - 1);
      box.successes = 0;
    },
    noteSucceeded(mailbox, count) {
      const box = boxOf(mailbox);
      if (box.capacity >= max) return;
      box.successes += count;
      if (box.successes >= RECOVER_AFTER) {
        box.capacity += 1;
        box.successes = 0;
      }
    },
  };
}
