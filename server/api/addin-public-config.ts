import { Router, type Request } from 'express';
import type { Config } from '../config/schema.ts';
import type { AddinPublicConfig } from '../../shared/addin-api.ts';

export type { AddinPublicConfig };

/**
 * What the taskpane needs to sign in with nested app authentication (reference/outlook-addin.md
 * §7.1), from the server's configuration so the admin sets it in one place: nothing here is a
 * secret (the client id and tenant are in every token anyway). Also the shape of
 * `GET /api/addin/config` for the taskpane (addin/office/create-token-provider.ts).
 */

/** The delegated permission the add-in API checks for (server/api/addin-auth.ts). */
const API_SCOPE_NAME = 'access_as_user';

/**
 * The public SSO settings. The scope's Application ID URI is the one configured in
 * `addin.audience` when there is one, else `api://<host the taskpane came from>/<clientId>`,
 * the form the manifest's `WebApplicationInfo` and the setup docs give.
 */
export function readAddinPublicConfig(config: Config, requestHost: string | null): AddinPublicConfig {
  const { clientId, tenantId, authority } = config.microsoft;
  const builtIn = new Set([clientId.toLowerCase(), `api://${clientId.toLowerCase()}`]);
  const configured = config.addin.audiences.find((a) => a.startsWith('api://') && !builtIn.has(a.toLowerCase()));
  const applicationIdUri = configured ?? (requestHost ? `api://${requestHost}/${clientId}` : `api://${clientId}`);
  return {
    clientId,
    tenantId,
    authority: `${authority.replace(/\/+$/, '')}/${tenantId}`,
    apiScope: `${applicationIdUri.replace(/\/+$/, '')}/${API_SCOPE_NAME}`,
  };
}

/**
 * `GET /config` (mount under `/api/addin`, before the routes that need a token): public, because
 * the taskpane needs it before it can get a token at all.
 */
export function createAddinPublicConfigRouter(config: Config): Router {
  const router = Router();
  router.get('/config', (req, res) => {
    // Changes with the configuration; a stale copy would ask for the wrong app.
    res.set('Cache-Control', 'no-cache');
    res.json(readAddinPublicConfig(config, requestHostOf(req)));
  });
  return router;
}

/** `host[:port]` the taskpane was loaded from (X-Forwarded-Host when `trust proxy` is set); null when odd. */
function requestHostOf(req: Request): string | null {
  const host = req.host;
  return typeof host === 'string' && /^[A-Za-z0-9.:[\]-]+$/.test(host) ? host.toLowerCase() : null;
}
