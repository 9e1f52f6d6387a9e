import express, { type Express, type Request, type Response, type NextFunction } from 'express';
import type { RecordKind, RunReport } from '../domain/types.ts';
import type { StateStore } from '../state/state-store.ts';
import type { Scheduler } from '../sync/scheduler.ts';
import type { MailboxProblem, RunSummary, StatusResponse } from '../../shared/api-types.ts';
import { describeError } from '../domain/describe-error.ts';
import { RECORD_KINDS } from '../config/schema.ts';

export interface ApiDeps {
  readonly store: StateStore;
  readonly scheduler: Scheduler;
  readonly intervalSeconds: number;
  readonly version: string;
  readonly demo: boolean;
  /** Admin actions (approving a held plan) need this bearer token; null = loopback callers only. */
  readonly adminToken: string | null;
  /** Extra routes (the demo's page and calendars), mounted before the API's 404 handler. */
  readonly extend?: (app: Express) => void;
}

/** The server's HTTP API (status, runs, logs, approvals). The add-in's routes join it later. */
export function createApi(deps: ApiDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '256kb' }));

  app.get('/healthz', (_req, res) => { res.json({ ok: true }); });

  app.get('/api/status', (_req, res) => {
    const [last] = deps.store.listRuns(1);
    const body: StatusResponse = {
      version: deps.version, demo: deps.demo, lastRun: last ? summarizeRun(last) : null,
      nextRunAt: deps.scheduler.nextRunAt(), running: deps.scheduler.running(),
      links: deps.store.countLinks(), intervalSeconds: deps.intervalSeconds,
      problems: last ? summarizeProblems(last) : [],
    };
    res.json(body);
  });

  app.get('/api/runs', (req, res) => {
    const limit = clampInt(req.query.limit, 20, 1, 200);
    res.json({ runs: deps.store.listRuns(limit).map(summarizeRun) });
  });

  app.get('/api/runs/:runId', (req, res) => {
    const run = deps.store.getRun(req.params.runId);
    if (!run) return sendError(res, 404, 'not-found', `Nie ma przebiegu ${req.params.runId}.`);
    res.json(run);
  });

  app.get('/api/logs', (req, res) => {
    const logs = deps.store.queryLogs({
      runId: asString(req.query.runId), sourceKey: asString(req.query.sourceKey),
      limit: clampInt(req.query.limit, 200, 1, 2000),
    });
    res.json({ logs });
  });

  app.post('/api/approvals/mass-delete', (req, res) => {
    if (!isAdmin(req, deps.adminToken)) {
      return sendError(res, 403, 'forbidden', 'Zatwierdzenie wymaga uprawnień administratora (nagłówek Authorization: Bearer <server.adminToken>).');
    }
    // An approval answers one held plan; kept without one, it would let a later, unseen mass
    // deletion through.
    const [last] = deps.store.listRuns(1);
    // The held stream by default: `<kind>`, or `<company>/<kind>` for a further company.
    const kind = asString(req.body?.kind) ?? last?.held?.stream ?? 'serwis:zlecenie';
    // An approval stored under a misspelt kind would never be used, while the caller thinks it was given.
    const bareKind = kind.slice(kind.indexOf('/') + 1);
    if (!(RECORD_KINDS as readonly string[]).includes(bareKind)) {
      return sendError(res, 400, 'bad-request', `Nieznany rodzaj rekordów „${kind}” — podaj jeden z: ${RECORD_KINDS.join(', ')} (dla innej firmy: <kod firmy>/<rodzaj>).`);
    }
    if (!last?.held) {
      return sendError(res, 409, 'nothing-held', 'Nie ma wstrzymanego planu do zatwierdzenia — ostatni przebieg niczego nie wstrzymał.');
    }
    deps.store.setApproval(kind, true);
    res.json({ approved: kind, message: 'Zatwierdzono: wstrzymane usunięcia zostaną wykonane w następnym przebiegu.' });
  });

  app.post('/api/sync', async (req, res) => {
    if (!isAdmin(req, deps.adminToken)) return sendError(res, 403, 'forbidden', 'Uruchomienie synchronizacji wymaga uprawnień administratora.');
    const result = await deps.scheduler.runNow();
    res.json(summarizeRun(result.report));
  });

  deps.extend?.(app);
  app.use('/api', (_req, res) => { sendError(res, 404, 'not-found', 'Nie ma takiego adresu API.'); });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    // The body parser's errors are the caller's (bad JSON, too large): 4xx, not a server fault.
    const parse = err as { status?: unknown; type?: unknown };
    if (parse.type === 'entity.parse.failed') {
      return sendError(res, 400, 'bad-request', 'Treść żądania nie jest poprawnym JSON-em — wyślij obiekt JSON, np. {"kind": "serwis:zlecenie"}.');
    }
    if (typeof parse.status === 'number' && parse.status >= 400 && parse.status < 500) {
      return sendError(res, parse.status, 'bad-request', describeError(err));
    }
    sendError(res, 500, 'internal', describeError(err));
  });
  return app;
}

export function summarizeRun(r: RunReport): RunSummary {
  return {
    runId: r.runId, mode: r.mode, startedAt: r.startedAt, finishedAt: r.finishedAt, created: r.created,
    updated: r.updated, moved: r.moved, deleted: r.deleted, skipped: r.skipped, failed: r.failed,
    held: r.held?.message ?? null, error: r.error, graphRequests: r.graphRequests, sourceQueries: r.sourceQueries,
    drift: r.drift ?? { restored: 0, reported: 0 },
  };
}

/** The last run's permanent failures, one line per mailbox (transient ones retry by themselves). */
export function summarizeProblems(r: RunReport): MailboxProblem[] {
  const byMailbox = new Map<string, MailboxProblem>();
  for (const f of r.failures) {
    if (f.transient) continue;
    const key = f.mailbox ?? '';
    const seen = byMailbox.get(key);
    byMailbox.set(key, seen ? { ...seen, items: seen.items + 1 } : { mailbox: f.mailbox, message: f.message, items: 1 });
  }
  return [...byMailbox.values()];
}

function isAdmin(req: Request, adminToken: string | null): boolean {
  if (adminToken) return req.get('authorization') === `Bearer ${adminToken}`;
  const ip = req.socket.remoteAddress ?? '';
  return ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1';
}

function sendError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}

function asString(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

function clampInt(v: unknown, fallback: number, min: number, max: number): number {
  const n = typeof v === 'string' ? Number.parseInt(v, 10) : Number.NaN;
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : fallback;
}
