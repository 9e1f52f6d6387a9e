import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BUILT = `${ROOT}dist/addin`;
const ASSETS = `${ROOT}addin/assets`;

/**
 * Serves the Outlook add-in: the built taskpane (`npm run build:addin` → dist/addin) at
 * `/addin/` and its icons at `/addin/assets/`, the URLs the manifest names. When the bundle is
 * not built, the taskpane URL answers with a sentence that says how to build it.
 */
export function serveTaskpane(app: Express): void {
  app.use('/addin/assets', express.static(ASSETS, { fallthrough: false, maxAge: '1d' }));
  app.use('/addin', express.static(BUILT, { index: 'taskpane.html' }));
  app.get('/addin/taskpane.html', (_req, res) => {
    res.status(503).type('text/plain; charset=utf-8').send(existsSync(BUILT)
      ? 'Brak pliku taskpane.html w dist/addin — zbuduj dodatek ponownie: npm run build:addin'
      : 'Dodatek nie jest zbudowany — uruchom: npm run build:addin (Taskpane not built: run npm run build:addin)');
  });
}
