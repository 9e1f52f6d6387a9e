import type { Express } from 'express';
import type { Config } from '../config/schema.ts';
import type { TokenSource } from '../auth/token-source.ts';
import type { SyncDeps, SyncSettings } from '../sync/run-sync.ts';
import { createAddinAuth, type AddinAuth, type AddinAuthOptions } from './addin-auth.ts';
import { createAddinRouter, type AddinConsent } from './addin-routes.ts';
import { createAddinTemplatesRouter } from './addin-templates.ts';
import { createAddinPublicConfigRouter } from './addin-public-config.ts';
import { readExtraForPreview, type TemplateService } from '../render/template-service.ts';

/** What the add-in API needs from the runtime (a `Runtime` fits). */
export interface AddinApiRuntime {
  readonly config: Config;
  readonly deps: SyncDeps;
  /** Read on every call (templates saved at run time change it). */
  readonly settings: SyncSettings;
  /** The Graph token source; delegated mode's one can redeem SSO tokens. */
  readonly tokenSource?: TokenSource | null;
  /** Template settings (admins); absent = no template routes. */
  readonly templates?: TemplateService;
}

/** The add-in token check built from the configuration (tenant, client id, `addin` section). */
export function createAddinAuthFromConfig(config: Config, overrides: Partial<AddinAuthOptions> = {}): AddinAuth {
  const ms = config.microsoft;
  return createAddinAuth({
    tenantId: ms.tenantId, clientId: ms.clientId, authority: ms.authority, audiences: config.addin.audiences,
    adminRole: config.addin.adminRole, adminGroupIds: config.addin.adminGroupIds, adminMailboxes: config.addin.adminMailboxes,
    ...overrides,
  });
}

/**
 * Mounts the add-in API (public config; me, records, resync, consent, templates) under `/api/addin` and returns the token
 * check, so that other add-in routes (templates) use the same one.
 */
export function mountAddinApi(app: Express, runtime: AddinApiRuntime, auth: AddinAuth = createAddinAuthFromConfig(runtime.config)): AddinAuth {
  const source = runtime.tokenSource;
  const consent = source && 'redeemSsoToken' in source && 'listPeople' in source ? (source as unknown as AddinConsent) : null;
  const templates = runtime.templates;
  // Public (no token): the taskpane reads its sign-in settings here before it can get a token.
  app.use('/api/addin', createAddinPublicConfigRouter(runtime.config));
  if (templates) {
    // Before the main add-in router, whose unknown-path answer would shadow these routes.
    app.use('/api/addin/templates', auth.requireUser, createAddinTemplatesRouter({
      service: templates, requireAdmin: auth.requireAdmin,
      readRow: (kind, id) => runtime.deps.reader.readRow(kind, id),
      readExtra: (row) => readExtraForPreview(runtime.deps.reader, runtime.settings.extraQueries, row),
    }));
  }
  app.use('/api/addin', createAddinRouter({
    auth, mode: runtime.config.microsoft.mode, consent,
    sync: () => ({ deps: runtime.deps, settings: runtime.settings }),
  }));
  return auth;
}
