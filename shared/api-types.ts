/**
 * API contract between the server and its clients (the add-in, the demo page, the CLI).
 * No Node and no DOM types here: both sides import this file.
 */

export interface RunSummary {
  readonly runId: string;
  readonly mode: 'incremental' | 'full' | 'single';
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly created: number;
  readonly updated: number;
  readonly moved: number;
  readonly deleted: number;
  readonly skipped: number;
  readonly failed: number;
  /** Why a guard held the plan, or null. */
  readonly held: string | null;
  readonly error: string | null;
  readonly graphRequests: number;
  readonly sourceQueries: number;
  /** Events changed or deleted in Outlook: restored from Optima, or only reported (config). */
  readonly drift: { readonly restored: number; readonly reported: number };
}

export interface StatusResponse {
  readonly version: string;
  readonly demo: boolean;
  readonly lastRun: RunSummary | null;
  readonly nextRunAt: string | null;
  readonly running: boolean;
  /** How many source records are linked to an event now. */
  readonly links: number;
  readonly intervalSeconds: number;
  /**
   * What needs someone's attention after the last run, one line per mailbox (a person's lapsed
   * consent, a mailbox outside the access policy, ...), with the fix in the message.
   */
  readonly problems: readonly MailboxProblem[];
}

export interface MailboxProblem {
  /** null = not tied to one mailbox. */
  readonly mailbox: string | null;
  readonly message: string;
  /** Records affected in the last run. */
  readonly items: number;
}

export interface HealthResponse {
  readonly ok: boolean;
}

export interface ApiError {
  readonly error: { readonly code: string; readonly message: string };
}
