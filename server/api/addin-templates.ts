import express, { type NextFunction, type Request, type RequestHandler, type Response, type Router } from 'express';
import type { RecordKind, SourceRow } from '../domain/types.ts';
import type { Logger } from '../domain/logger.ts';
import type { TemplateTexts } from '../../shared/addin-api.ts';
import type { PreviewOutcome, SaveOutcome, TemplateService } from '../render/template-service.ts';
import { describeError } from '../domain/describe-error.ts';
import { sendAddinError, type AddinFailure } from './addin-errors.ts';

export interface AddinTemplatesDeps {
  readonly service: TemplateService;
  /**
   * Admin check (server/api/addin-auth.ts): refuses non-admins itself and leaves
   * `res.locals.user = { mailbox, isAdmin }` for the routes.
   */
  readonly requireAdmin: RequestHandler;
  /** One source row by kind and id, for the preview; null when there is no such (in-scope) record. */
  readonly readRow: (kind: RecordKind, id: number) => Promise<SourceRow | null>;
  /** Results of the admin's extra queries for the row ({{dodatkowe.*}}); none when omitted. */
  readonly readExtra?: (row: SourceRow) => Promise<Readonly<Record<string, unknown>>>;
  readonly logger?: Logger;
}

/**
 * The add-in's template Settings (mounted at `/api/addin/templates`, admins only):
 * `GET /` → TemplatesResponse; `POST /preview` `{ kind, texts, sourceKey }` → PreviewResponse;
 * `PUT /:kind` TemplateTexts → SaveTemplatesResponse; `POST /:kind/revert` `{ version }` →
 * SaveTemplatesResponse. Templates that do not compile are an answer (`ok: false` with the
 * problems, HTTP 200), not an error; refusals are AddinError JSON with a Polish and English message.
 */
export function createAddinTemplatesRouter(deps: AddinTemplatesDeps): Router {
  const router = express.Router();
  router.use(deps.requireAdmin);
  router.use(express.json({ limit: '1mb' }));

  router.get('/', (_req, res) => {
    res.json(deps.service.getTemplates());
  });

  router.post('/preview', async (req, res) => {
    const body = asObject(req.body);
    const kind = body.kind;
    const texts = readTexts(body.texts);
    const sourceKey = body.sourceKey;
    if (typeof kind !== 'string' || texts === null || typeof sourceKey !== 'string') {
      return sendAddinError(res, badRequest('Podgląd potrzebuje { kind, texts: { subject, body, location }, sourceKey }.', 'A preview needs { kind, texts: { subject, body, location }, sourceKey }.'));
    }
    if (!deps.service.isKnownKind(kind)) {
      return sendAddinError(res, { code: 'not_found', message: `Nie ma szablonów dla rodzaju „${kind}”.`, messageEn: `There are no templates for kind "${kind}".` });
    }
    const id = parseSourceKey(sourceKey, kind);
    if (id === null) {
      return sendAddinError(res, badRequest(`Klucz „${sourceKey}” nie wskazuje rekordu rodzaju „${kind}” (oczekiwano ${kind}:<id>).`, `Key "${sourceKey}" does not name a record of kind "${kind}" (expected ${kind}:<id>).`));
    }
    let row: SourceRow | null;
    let extra: Readonly<Record<string, unknown>> | undefined;
    try {
      row = await deps.readRow(kind, id);
      if (row && deps.readExtra) extra = await deps.readExtra(row);
    } catch (err) {
      deps.logger?.log({ level: 'warn', sourceKey, message: `Podgląd szablonu: nie udało się odczytać rekordu: ${describeError(err)}` });
      return sendAddinError(res, {
        code: 'internal',
        message: `Nie udało się odczytać rekordu ${sourceKey} z Optimy: ${describeError(err)} — sprawdź połączenie z bazą i spróbuj ponownie.`,
        messageEn: `Could not read record ${sourceKey} from Optima — check the database connection and try again.`,
      });
    }
    if (!row) {
      return sendAddinError(res, {
        code: 'not_found',
        message: `Nie ma rekordu ${sourceKey} w Optimie (albo jest poza zakresem synchronizacji) — wybierz inny rekord do podglądu.`,
        messageEn: `There is no record ${sourceKey} in Optima (or it is outside the sync's scope) — pick another record for the preview.`,
      });
    }
    sendOutcome(res, deps.service.preview(kind, texts, row, extra));
  });

  router.put('/:kind', (req, res) => {
    const texts = readTexts(req.body);
    if (texts === null) {
      return sendAddinError(res, badRequest('Zapis szablonów potrzebuje { subject, body, location } (teksty).', 'Saving templates needs { subject, body, location } (texts).'));
    }
    sendOutcome(res, deps.service.save(String(req.params.kind), texts, currentMailbox(res)));
  });

  router.post('/:kind/revert', (req, res) => {
    const version = asObject(req.body).version;
    if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
      return sendAddinError(res, badRequest('Przywrócenie potrzebuje { version } — numeru wersji z historii.', 'A revert needs { version } — a version number from the history.'));
    }
    sendOutcome(res, deps.service.revert(String(req.params.kind), version, currentMailbox(res)));
  });

  // Malformed JSON and anything thrown by a route: an AddinError, never an HTML page.
  router.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const status = (err as { status?: unknown }).status;
    if (status === 400 || status === 413) {
      return sendAddinError(res, badRequest('Treść żądania nie jest poprawnym JSON-em (albo jest za duża) — wyślij szablony jeszcze raz.', 'The request body is not valid JSON (or too large) — send the templates again.'));
    }
    deps.logger?.log({ level: 'error', message: `Ustawienia szablonów: ${describeError(err)}` });
    sendAddinError(res, { code: 'internal', message: 'Błąd serwera przy obsłudze szablonów — szczegóły w dzienniku serwera.', messageEn: 'Server error while handling templates — details are in the server log.' });
  });

  return router;
}

function sendOutcome(res: Response, outcome: PreviewOutcome | SaveOutcome): void {
  if ('refused' in outcome) return sendAddinError(res, outcome.refused);
  res.json(outcome);
}

function currentMailbox(res: Response): string {
  const user = res.locals.user as { mailbox?: unknown } | undefined;
  return typeof user?.mailbox === 'string' ? user.mailbox : 'nieznany';
}

function asObject(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : {};
}

function readTexts(value: unknown): TemplateTexts | null {
  const o = asObject(value);
  if (typeof o.subject !== 'string' || typeof o.body !== 'string' || typeof o.location !== 'string') return null;
  return { subject: o.subject, body: o.body, location: o.location };
}

/** `serwis:zlecenie:12` with kind `serwis:zlecenie` → 12. */
function parseSourceKey(sourceKey: string, kind: string): number | null {
  if (!sourceKey.startsWith(`${kind}:`)) return null;
  const rest = sourceKey.slice(kind.length + 1);
  if (!/^\d{1,15}$/.test(rest)) return null;
  const id = Number(rest);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

function badRequest(message: string, messageEn: string): AddinFailure {
  return { code: 'bad_request', message, messageEn };
}
