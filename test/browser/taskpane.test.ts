/**
 * The built taskpane in Chromium, with the Office.js stand-in playing an appointment and the
 * add-in API stand-in (fake-addin-api.ts) answering with canned data.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { LINKED_EWS_ID, LINKED_REST_ID, LINKED_SOURCE_KEY } from './fake-addin-api.ts';
import { ADMIN_TOKEN, TECH_TOKEN, createFakePanes, listRecordRequests } from './fake-pane-session.ts';
import { ADDIN_ID } from '../../server/addin/render-manifest.ts';
import { toGraphExtendedProperties } from '../../server/targets/graph/graph-event-fields.ts';
import { ensureTaskpaneBuilt, launchChromium, saveScreenshot, type AppointmentSpec, type StandInConfig } from './taskpane-browser.ts';

const STAMPED: AppointmentSpec = {
  itemId: LINKED_EWS_ID, subject: 'SRW/2026/0042 – Piekarnia', start: '2026-03-12T08:30:00Z', end: '2026-03-12T10:30:00Z',
  customProperties: { sourceKey: LINKED_SOURCE_KEY },
};
const UNSTAMPED_LINKED: AppointmentSpec = { ...STAMPED, customProperties: {} };
const PRIVATE_EVENT: AppointmentSpec = { itemId: 'AAMkADprivate/99', subject: 'Dentysta', start: '2026-03-13T14:00:00Z', end: '2026-03-13T15:00:00Z' };

/** The linked event as the sync wrote it: no `customProperties` given, only the MAPI properties the server set. */
const SYNCED: AppointmentSpec & { readonly extendedProperties: Readonly<Record<string, string>> } = {
  itemId: LINKED_EWS_ID, subject: 'SRW/2026/0042 – Piekarnia', start: '2026-03-12T08:30:00Z', end: '2026-03-12T10:30:00Z',
  extendedProperties: Object.fromEntries(toGraphExtendedProperties(LINKED_SOURCE_KEY).map((p) => [p.id, p.value])),
};
/** The same event whose blob belongs to another add-in: Office.js would not show it to ours. */
const OTHER_ADDINS_BLOB: typeof SYNCED = {
  ...SYNCED,
  extendedProperties: {
    [`String {00020329-0000-0000-C000-000000000046} Name cecp-11111111-2222-4333-8444-555555555555`]: JSON.stringify({ sourceKey: LINKED_SOURCE_KEY }),
  },
};

interface StandInWindow {
  __officeStandIn: { calls: { loadCustomProperties: number }; selectItem(mode: string, item: unknown): void };
}

let browser: Browser;
const panes = createFakePanes(() => browser);
const open = panes.open;
const recordRequests = listRecordRequests;

before(async () => {
  ensureTaskpaneBuilt();
  browser = await launchChromium();
});

after(async () => {
  await panes.closeAll();
  await browser?.close();
});

describe('taskpane in Chromium', { timeout: 60_000 }, () => {
  it('shows a linked service order found by its source-key stamp (read mode, Polish)', async () => {
    const { page, api } = await open({ mode: 'read', item: STAMPED });
    const record = page.getByTestId('record-view');
    await record.waitFor();
    await assert.doesNotReject(page.getByRole('heading', { name: 'Zlecenie serwisowe SRW/2026/0042' }).waitFor());
    const text = await record.innerText();
    for (const expected of ['W realizacji', 'Diagnoza', 'Piekarnia Złoty Kłos sp. z o.o.', 'ul. Długa 5, 30-001 Kraków', 'Piec konwekcyjny Rational SCC 61', 'Piec nie grzeje powyżej 120°C.', 'Jan Kowalski', 'Anna Nowak']) {
      assert.ok(text.includes(expected), `record shows "${expected}"`);
    }
    assert.match(text, /Planowana realizacja\s+12 mar 2026, 09:30/);
    assert.equal(await page.getByRole('link', { name: '+48 12 345 67 89' }).getAttribute('href'), 'tel:+48123456789');
    assert.equal(await page.getByRole('link', { name: 'biuro@zlotyklos.pl' }).getAttribute('href'), 'mailto:biuro@zlotyklos.pl');
    const status = await page.getByTestId('sync-status').innerText();
    assert.match(status, /Ktoś zmienił to wydarzenie w Outlooku/);
    assert.match(status, /Ostatni błąd: Serwer kalendarza odpowiedział 503/);
    assert.deepEqual(recordRequests(api).map((r) => r.path), [`/api/addin/records?sourceKey=${encodeURIComponent(LINKED_SOURCE_KEY)}`]);
    assert.ok(api.requests.every((r) => r.mailbox === 'jan.kowalski@example.com'), 'every call carries the SSO token');
    await saveScreenshot(page, 'record-read-pl');
  });

  it('asks by event id in organizer mode when there is no stamp, in English', async () => {
    const { page, api } = await open({ mode: 'organizer', displayLanguage: 'en-US', item: UNSTAMPED_LINKED });
    await page.getByRole('heading', { name: 'Service order SRW/2026/0042' }).waitFor();
    const text = await page.getByTestId('record-view').innerText();
    assert.match(text, /Customer\s+Piekarnia/);
    assert.match(text, /Planned\s+12 Mar 2026, 09:30/);
    assert.match(await page.getByTestId('sync-status').innerText(), /Someone changed this event in Outlook/);
    assert.equal(await page.getByRole('button', { name: 'Resync now' }).count(), 1);
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    assert.deepEqual(recordRequests(api).map((r) => r.path), [`/api/addin/records?eventId=${encodeURIComponent(LINKED_REST_ID)}&idType=rest`]);
    await saveScreenshot(page, 'record-organizer-en');
  });

  it('says in one friendly sentence that an event is not from Optima, and follows ItemChanged', async () => {
    const { page } = await open({ mode: 'read', item: PRIVATE_EVENT });
    const card = page.getByTestId('not-from-optima');
    await card.waitFor();
    assert.equal(await card.innerText(), 'To wydarzenie nie pochodzi z Optimy.');
    assert.equal(await page.getByTestId('pane-error').count(), 0);
    await saveScreenshot(page, 'not-from-optima-pl');
    await page.evaluate((item) => (window as unknown as { __officeStandIn: { selectItem(m: string, i: unknown): void } }).__officeStandIn.selectItem('read', item), STAMPED);
    await page.getByTestId('record-view').waitFor();
    assert.equal(await page.getByTestId('not-from-optima').count(), 0);
  });

  it('resyncs the record by keyboard: progress, then the outcome, then the refreshed status', async () => {
    const { page, api } = await open({ mode: 'organizer', item: STAMPED }, { resyncDelayMs: 700 });
    await page.getByTestId('record-view').waitFor();
    // By keyboard, as a screen-reader user would.
    await page.getByRole('button', { name: 'Synchronizuj teraz' }).focus();
    await page.keyboard.press('Enter');
    const progress = page.getByTestId('resync-progress');
    await progress.getByText('Synchronizuję to wydarzenie z Optimą…').waitFor();
    assert.equal(await progress.getAttribute('aria-live'), 'polite');
    assert.ok(await page.getByRole('button', { name: 'Synchronizuj teraz' }).isDisabled(), 'no second click while running');
    await saveScreenshot(page, 'resync-progress-pl');
    const outcome = page.getByTestId('resync-outcome');
    await outcome.waitFor();
    assert.match(await outcome.textContent() ?? '', /Gotowe\s+Zaktualizowano wydarzenie w kalendarzu\./);
    await page.getByText('Wydarzenie zgadza się z Optimą.').waitFor();
    const status = await page.getByTestId('sync-status').innerText();
    assert.doesNotMatch(status, /Ktoś zmienił/);
    assert.doesNotMatch(status, /Ostatni błąd/);
    const resyncs = api.requests.filter((r) => r.path === '/api/addin/records/resync');
    assert.deepEqual(resyncs.map((r) => r.body), [{ sourceKey: LINKED_SOURCE_KEY }]);
    await saveScreenshot(page, 'resync-done-pl');
  });

  it('shows no Settings to a person who is not an admin', async () => {
    const { page, api } = await open({ mode: 'read', item: STAMPED });
    await page.getByTestId('record-view').waitFor();
    assert.ok(api.requests.some((r) => r.path === '/api/addin/me'), '/me was asked');
    assert.equal(await page.getByRole('tab', { name: 'Ustawienia' }).count(), 0);
    assert.equal(api.requests.filter((r) => r.path.startsWith('/api/addin/templates')).length, 0);
  });

  it('lets an admin edit a template: preview, a problem at its line, save, history, revert', async () => {
    const { page, api } = await open({ mode: 'read', item: STAMPED, token: ADMIN_TOKEN });
    await page.getByTestId('record-view').waitFor();
    await page.getByRole('tab', { name: 'Ustawienia' }).click();
    await page.getByRole('heading', { name: 'Szablony wydarzeń' }).waitFor();
    const preview = page.getByTestId('preview-subject');
    await preview.waitFor();
    assert.equal(await preview.innerText(), 'SRW/2026/0042 – Piekarnia Złoty Kłos sp. z o.o.');

    const subject = page.getByRole('textbox', { name: 'Temat' });
    const body = page.getByRole('textbox', { name: 'Treść' });
    await body.fill('<p>{{opis}}</p>\n<p>{{urzadzenie</p>');
    const problems = page.getByTestId('template-problems');
    await problems.waitFor();
    assert.match(await problems.innerText(), /Treść, wiersz 2: Parse error on line 2/);
    await saveScreenshot(page, 'settings-problem-pl');

    await body.fill('<p>{{opis}}</p>\n<p>{{urzadzenie}}</p>');
    await subject.fill('Serwis {{numer}} u {{klient.nazwa}}');
    await page.getByText('Serwis SRW/2026/0042 u Piekarnia Złoty Kłos sp. z o.o.').waitFor();
    assert.equal(await problems.count(), 0);
    const bodyFrame = page.frameLocator('[data-testid="preview-body"]');
    await bodyFrame.getByText('Piec konwekcyjny Rational SCC 61').waitFor();
    await saveScreenshot(page, 'settings-preview-pl');

    await page.getByRole('button', { name: 'Zapisz' }).click();
    await page.getByText('Zapisano wersję 1. Następna synchronizacja zaktualizuje wydarzenia.').waitFor();
    assert.equal(api.state.templates['serwis:zlecenie']?.subject, 'Serwis {{numer}} u {{klient.nazwa}}');
    await page.getByRole('button', { name: 'Przywróć wersję 1' }).waitFor();

    await subject.fill('Inny temat {{numer}}');
    await page.getByRole('button', { name: 'Zapisz' }).click();
    await page.getByText('Zapisano wersję 2.', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Przywróć wersję 1' }).click();
    await page.getByText('Przywrócono treść jako wersję 3.').waitFor();
    assert.equal(await subject.inputValue(), 'Serwis {{numer}} u {{klient.nazwa}}');
    await page.getByText('Obecna wersja: 3').waitFor();
    assert.equal(api.state.templates['serwis:zlecenie']?.subject, 'Serwis {{numer}} u {{klient.nazwa}}');
    await saveScreenshot(page, 'settings-saved-pl');
  });

  it('renews lapsed consent with one button, and the banner goes', async () => {
    const { page, api } = await open({ mode: 'read', item: STAMPED }, { consent: 'lapsed' });
    const banner = page.getByTestId('consent-banner');
    await banner.waitFor();
    assert.match(await banner.innerText(), /Synchronizacja Twojego kalendarza jest wstrzymana/);
    await saveScreenshot(page, 'consent-banner-pl');
    const tokensBefore = await page.evaluate(() => (window as unknown as { __officeStandIn: { calls: { getAccessToken: unknown[] } } }).__officeStandIn.calls.getAccessToken.length);
    await page.getByRole('button', { name: 'Udziel zgody' }).click();
    await banner.waitFor({ state: 'detached' });
    assert.equal(api.state.consent, 'ok');
    const consentCalls = api.requests.filter((r) => r.path === '/api/addin/consent');
    assert.deepEqual(consentCalls.map((r) => r.mailbox), ['jan.kowalski@example.com']);
    const tokensAfter = await page.evaluate(() => (window as unknown as { __officeStandIn: { calls: { getAccessToken: unknown[] } } }).__officeStandIn.calls.getAccessToken.length);
    assert.ok(tokensAfter > tokensBefore, 'a fresh SSO token was obtained for the consent');
    await page.getByTestId('record-view').waitFor();
  });

  it('finds the record by the custom properties the sync wrote (cecp-<add-in id>), with no /records?eventId call', async () => {
    const config: StandInConfig & { readonly addinId: string } = { displayLanguage: 'pl-PL', token: TECH_TOKEN, mode: 'read', item: SYNCED, addinId: ADDIN_ID };
    const { page, api } = await open(config);
    await page.getByRole('heading', { name: 'Zlecenie serwisowe SRW/2026/0042' }).waitFor();
    assert.ok(await page.evaluate(() => (window as unknown as StandInWindow).__officeStandIn.calls.loadCustomProperties) >= 1, 'read through loadCustomPropertiesAsync');
    assert.deepEqual(recordRequests(api).map((r) => r.path), [`/api/addin/records?sourceKey=${encodeURIComponent(LINKED_SOURCE_KEY)}`]);
    assert.equal(api.requests.filter((r) => r.path.includes('eventId=')).length, 0);

    // Control: a blob under another add-in's id is invisible, so the pane falls back to the event id.
    await page.evaluate((item) => (window as unknown as StandInWindow).__officeStandIn.selectItem('organizer', item), OTHER_ADDINS_BLOB);
    await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => e.name.includes('eventId=')));
    await page.getByTestId('record-view').waitFor();
    assert.deepEqual(recordRequests(api).map((r) => r.path).slice(1), [`/api/addin/records?eventId=${encodeURIComponent(LINKED_REST_ID)}&idType=rest`]);
  });

  it('reads its sign-in settings from the public /api/addin/config at start (no token); the URL overrides them', async () => {
    const { page, api } = await open({ mode: 'read', item: STAMPED });
    await page.getByTestId('record-view').waitFor();
    assert.deepEqual(api.publicRequests, [{ path: '/api/addin/config', authorization: null }], 'asked once, without a token');
    // Without NestedAppAuth in this client, the token still comes from Office.auth.getAccessToken.
    assert.ok(await page.evaluate(() => (window as unknown as { __officeStandIn: { calls: { getAccessToken: unknown[] } } }).__officeStandIn.calls.getAccessToken.length) >= 1);

    await page.goto(`${api.url}/taskpane.html?clientId=0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0&tenant=firma.onmicrosoft.com`);
    await page.getByTestId('record-view').waitFor();
    assert.equal(api.publicRequests.length, 1, 'a client id in the URL (development) is used as it is');
  });

  it('still signs in (getAccessToken) when the server publishes no settings', async () => {
    const { page, api } = await open({ mode: 'read', item: STAMPED }, { publicConfig: null });
    await page.getByTestId('record-view').waitFor();
    assert.equal(api.publicRequests.length, 1);
    assert.ok(api.requests.every((r) => r.mailbox === 'jan.kowalski@example.com'));
  });

  it('explains, in English, that there is no event to show when no item is selected', async () => {
    const { page } = await open({ mode: 'none', displayLanguage: 'en-GB' });
    await page.getByText('Select a calendar event to see its Optima order, activity or task.').waitFor();
    await saveScreenshot(page, 'no-item-en');
  });
});
