/**
 * The people of the fake-API browser tests and one way to open the taskpane for them: each
 * `open` starts its own add-in API stand-in (fake-addin-api.ts) and opens the built pane with the
 * Office.js stand-in playing `config`; `closeAll` closes every page and stand-in.
 */
import type { Browser, Page } from 'playwright-core';
import { startFakeAddinApi, type FakeAddinApi, type FakeWorldOptions } from './fake-addin-api.ts';
import { DIST_DIR, openTaskpane, type StandInConfig } from './taskpane-browser.ts';

export const TECH_TOKEN = 'token-technik-7f3a';
export const ADMIN_TOKEN = 'token-admin-91c2';
export const FAKE_USERS: FakeWorldOptions['users'] = {
  [TECH_TOKEN]: { mailbox: 'jan.kowalski@example.com', name: 'Jan Kowalski', isAdmin: false },
  [ADMIN_TOKEN]: { mailbox: 'ewa.admin@example.com', name: 'Ewa Admin', isAdmin: true },
};

export interface FakePanes {
  /** Opens the pane as the technician in Polish unless `config` says otherwise. */
  open(config: Partial<StandInConfig> & Pick<StandInConfig, 'mode'>, world?: Partial<FakeWorldOptions>): Promise<{ page: Page; api: FakeAddinApi }>;
  closeAll(): Promise<void>;
}

export function createFakePanes(browser: () => Browser): FakePanes {
  const opened: Array<{ page: Page; api: FakeAddinApi }> = [];
  return {
    async open(config, world = {}) {
      const api = await startFakeAddinApi(DIST_DIR, { users: FAKE_USERS, ...world });
      const page = await openTaskpane(browser(), api.url, { displayLanguage: 'pl-PL', token: TECH_TOKEN, ...config });
      opened.push({ page, api });
      return { page, api };
    },
    async closeAll() {
      for (const { page, api } of opened.splice(0)) {
        await page.context().close();
        await api.close();
      }
    },
  };
}

/** The record requests the pane made (`GET /api/addin/records?…`). */
export function listRecordRequests(api: FakeAddinApi): FakeAddinApi['requests'] {
  return api.requests.filter((r) => r.path.startsWith('/api/addin/records?'));
}
