import type { Checks } from './check-fields.ts';
import { readSection, readText, readTextList } from './check-fields.ts';
import type { AddinConfig } from './schema.ts';
import { CONFIG_DEFAULTS } from './schema.ts';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The `addin` section (all optional). `clientId` is the app registration's id (null when the
 * `microsoft` section itself is broken): the accepted audiences always include it and
 * `api://<clientId>`, as Office SSO tokens carry one or the other (reference outlook-addin.md §7).
 */
export function validateAddin(c: Checks, raw: unknown, path: string, clientId: string | null): AddinConfig | null {
  const s = raw === undefined || raw === null ? {} : readSection(c, raw, path, ['audience', 'adminRole', 'adminGroupIds', 'adminMailboxes']);
  if (!s) return null;
  const audience = readText(c, s, path, 'audience', {
    check: (v) => (/^api:\/\/\S+$/.test(v) || GUID.test(v)
      ? null
      : 'Oczekiwano identyfikatora URI aplikacji z rejestracji w Entra ID (np. api://serwer.firma.pl/<clientId>) albo identyfikatora klienta (GUID).'),
  });
  const adminRole = readText(c, s, path, 'adminRole', {
    check: (v) => (v.length > 0 && !/\s/.test(v) ? null : 'Nazwa roli aplikacji nie może zawierać spacji — wpisz jej wartość (Value) z rejestracji aplikacji, np. OptimaSync.Admin.'),
  });
  const adminGroupIds = readTextList(c, s, path, 'adminGroupIds', (v) =>
    GUID.test(v) ? null : 'Oczekiwano identyfikatora obiektu grupy z Entra ID (GUID, np. 0f1e2d3c-…) — nazwa grupy nie wystarczy.');
  const adminMailboxes = readTextList(c, s, path, 'adminMailboxes', (v) =>
    EMAIL.test(v) ? null : 'Oczekiwano adresu e-mail skrzynki (np. admin@firma.pl).');
  const audiences = new Set<string>();
  if (audience) audiences.add(audience);
  if (clientId) {
    audiences.add(clientId);
    audiences.add(`api://${clientId}`);
  }
  return {
    audiences: [...audiences],
    adminRole: adminRole ?? CONFIG_DEFAULTS.addin.adminRole,
    adminGroupIds: (adminGroupIds ?? []).map((g) => g.toLowerCase()),
    adminMailboxes: (adminMailboxes ?? []).map((m) => m.toLowerCase()),
  };
}
