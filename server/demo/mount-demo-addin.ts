import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Express, Response } from 'express';

const DEMO_DIR = fileURLToPath(new URL('./', import.meta.url));
const BUILT_TASKPANE = fileURLToPath(new URL('../../dist/addin/taskpane.html', import.meta.url));

/** One event of a demo mailbox as the Graph emulator stores it (the fields the pane needs). */
export interface DemoCalendarEvent {
  /** Immutable REST id (what the demo page lists and the sync links). */
  readonly id: string;
  /** Regular REST id; Outlook's `item.itemId` is its EWS (standard base64) form. */
  readonly regularId: string;
  readonly subject: string;
  readonly startUtc: string;
  readonly endUtc: string;
  readonly location: string;
}

export interface DemoAddinOptions {
  /** Signs an Office-SSO-shaped user token (the Entra emulator's `issueUserToken`). */
  readonly issueUserToken: (claims: { oid: string; upn: string; name: string; audience: string; scp: string }) => string;
  /** The audience Office SSO tokens carry for this app: `api://<clientId>`. */
  readonly audience: string;
  /** The demo mailboxes; tokens are issued for these only. */
  readonly mailboxes: readonly string[];
  readonly names: ReadonlyMap<string, string>;
  /** Events of a mailbox's synced calendar (the Graph emulator's store). */
  readonly listEvents: (mailbox: string) => readonly DemoCalendarEvent[];
}

/**
 * Demo-only routes that let the page open the REAL built taskpane beside its event list:
 * `GET /demo/taskpane?mailbox=&eventId=&lang=` (the bundle behind the demo's Office.js stand-in,
 * playing that event), `GET /demo/office-stand-in.js`, and `GET /api/demo/token?mailbox=` (the
 * sign-in: a user token from the Entra emulator). Mounted by startDemo only — never in production.
 */
export function mountDemoAddin(app: Express, options: DemoAddinOptions): void {
  const known = new Set(options.mailboxes.map((m) => m.toLowerCase()));
  const template = readFileSync(new URL('./demo-taskpane.html', import.meta.url), 'utf8');

  app.get('/demo/office-stand-in.js', (_req, res) => {
    res.type('text/javascript').set('Cache-Control', 'no-cache').sendFile('office-stand-in.js', { root: DEMO_DIR });
  });

  app.get('/api/demo/token', (req, res) => {
    const mailbox = queryText(req.query.mailbox)?.toLowerCase() ?? '';
    if (!known.has(mailbox)) {
      res.status(404).json({ error: { code: 'not-found', message: `W demo nie ma skrzynki „${mailbox}” — wybierz wydarzenie z listy na stronie demo.` } });
      return;
    }
    const token = options.issueUserToken({
      oid: stableObjectId(mailbox), upn: mailbox, name: options.names.get(mailbox) ?? mailbox, audience: options.audience, scp: 'access_as_user',
    });
    res.set('Cache-Control', 'no-store').json({ token });
  });

  app.get('/demo/taskpane', (req, res) => {
    const mailbox = queryText(req.query.mailbox)?.toLowerCase() ?? '';
    const eventId = queryText(req.query.eventId) ?? '';
    const english = queryText(req.query.lang) === 'en';
    if (!known.has(mailbox)) {
      return sendPage(res, 404, `W demo nie ma skrzynki „${mailbox}” — wybierz wydarzenie z listy.`, `The demo has no mailbox "${mailbox}" — pick an event from the list.`);
    }
    const event = options.listEvents(mailbox).find((e) => e.id === eventId);
    if (!event) {
      return sendPage(res, 404, 'Tego wydarzenia nie ma już w kalendarzu (synchronizacja mogła je usunąć) — wybierz inne z listy.',
        'This event is no longer in the calendar (the sync may have removed it) — pick another from the list.');
    }
    const bundle = readBundleScripts();
    if (!bundle) {
      return sendPage(res, 503, 'Dodatek nie jest zbudowany — uruchom: npm run build:addin i odśwież stronę.', 'The add-in is not built — run: npm run build:addin and reload the page.');
    }
    const config = {
      displayLanguage: english ? 'en-US' : 'pl-PL', mailbox, name: options.names.get(mailbox) ?? mailbox,
      item: { itemId: toEwsId(event.regularId), subject: event.subject, start: event.startUtc, end: event.endUtc, location: event.location },
    };
    const html = template
      .replace('/*STAND_IN_CONFIG*/null', () => JSON.stringify(config).replace(/</g, '\\u003c'))
      .replace('<!--TASKPANE_BUNDLE-->', () => bundle);
    res.type('html').set('Cache-Control', 'no-store').send(html);
  });
}

/** The bundle's own script tags from dist/addin/taskpane.html (hashed names), pointed at /addin/; null when not built. */
function readBundleScripts(): string | null {
  if (!existsSync(BUILT_TASKPANE)) return null;
  const built = readFileSync(BUILT_TASKPANE, 'utf8');
  const scripts = [...built.matchAll(/<script\b[^>]*\bsrc=["']?([^"'\s>]+)["']?[^>]*>/g)]
    .map((m) => m[1] ?? '')
    // office.js from Microsoft's CDN is what the stand-in replaces.
    .filter((src) => src !== '' && !/^(https?:)?\/\//.test(src))
    .map((src) => `<script defer src="/addin/${src.replace(/^\.?\//, '')}"></script>`);
  return scripts.length > 0 ? scripts.join('\n') : null;
}

/** Outlook shows item ids in EWS form: the REST id's URL-safe base64 in standard base64. */
function toEwsId(restId: string): string {
  return restId.replace(/-/g, '/').replace(/_/g, '+');
}

/** The same object id for a mailbox on every start (Entra's `oid` is stable per person). */
function stableObjectId(mailbox: string): string {
  const hex = createHash('sha256').update(`demo-person:${mailbox}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function queryText(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function sendPage(res: Response, status: number, pl: string, en: string): void {
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c] ?? c));
  res.status(status).type('html').send(
    `<!doctype html><html lang="pl"><meta charset="utf-8"><body style="font-family:'Segoe UI',system-ui,sans-serif;padding:12px;font-size:14px">` +
    `<p>${esc(pl)}</p><p lang="en" style="color:#616161">${esc(en)}</p></body></html>`,
  );
}
