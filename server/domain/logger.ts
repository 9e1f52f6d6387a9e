/** Structured log event. Secrets and tokens never go in here. */
export interface LogEvent {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly runId?: string;
  readonly sourceKey?: string;
  readonly mailbox?: string;
  readonly action?: string;
  readonly durationMs?: number;
  readonly requestId?: string;
  readonly data?: Readonly<Record<string, unknown>>;
}

/** Injected logger: core code logs through this, never to the console. */
export interface Logger {
  log(event: LogEvent): void;
}

export const silentLogger: Logger = { log: () => {} };
