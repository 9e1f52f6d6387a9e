import type { Logger } from '../domain/logger.ts';
import { describeError } from '../domain/describe-error.ts';
import type { RunResult } from './run-sync.ts';

export interface Scheduler {
  start(): void;
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
  /** Runs now (after the run in progress, if any) and returns its result. */
  runNow(): Promise<RunResult>;
  nextRunAt(): string | null;
  running(): boolean;
}

/**
 * Polls on an interval, one run at a time: the next run is due `intervalMs` after the previous
 * one finished, so a slow run never piles up behind itself.
 */
export function createScheduler(options: {
  readonly runOnce: () => Promise<RunResult>;
  readonly intervalMs: number;
  readonly logger: Logger;
  readonly now?: () => Date;
  readonly onRun?: (result: RunResult) => void;
}): Scheduler {
  const now = options.now ?? (() => new Date());
  let timer: NodeJS.Timeout | null = null;
  let next: Date | null = null;
  let inFlight: Promise<RunResult> | null = null;
  let stopped = true;

  const schedule = () => {
    if (stopped) return;
    next = new Date(now().getTime() + options.intervalMs);
    timer = setTimeout(() => { void tick(); }, options.intervalMs);
  };

  const execute = (): Promise<RunResult> => {
    const run = (async () => {
      try {
        const result = await options.runOnce();
        options.onRun?.(result);
        return result;
      } finally {
        inFlight = null;
      }
    })();
    inFlight = run;
    return run;
  };

  const tick = async () => {
    timer = null;
    next = null;
    try {
      await (inFlight ?? execute());
    } catch (err) {
      options.logger.log({ level: 'error', message: `Przebieg synchronizacji przerwany: ${describeError(err)}` });
    }
    schedule();
  };

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      next = now();
      timer = setTimeout(() => { void tick(); }, 0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      next = null;
      // A "sync now" waiting behind the run may have started another one: wait for that too.
      while (inFlight) await inFlight.catch(() => undefined);
    },
    async runNow() {
      // Several callers may wait on the same run; only the first to wake starts the next one.
      while (inFlight) await inFlight.catch(() => undefined);
      return execute();
    },
    nextRunAt: () => (next ? next.toISOString() : null),
    running: () => inFlight !== null,
  };
}
