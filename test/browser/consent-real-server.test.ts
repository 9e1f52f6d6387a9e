/**
 * Delegated mode in the browser against the REAL server: a person whose refresh token expired is
 * paused (their orders fail, /api/status names them); they open the built taskpane (Office.js
 * stand-in with a fresh SSO token from the Entra emulator), see the consent banner, renew with one
 * click, and the next sync writes their orders into their calendar in the Graph emulator. When
 * Entra answers consent_required to the on-behalf-of exchange, the banner says so and stays.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { ensureTaskpaneBuilt, launchChromium, openTaskpane, saveScreenshot } from './taskpane-browser.ts';
import { startDelegatedWorld, type DelegatedWorld } from './delegated-server-world.ts';

let world: DelegatedWorld;
let browser: Browser;
const pages: Page[] = [];
/** Renews in the taskpane and gets their calendar back. */
let renewing: string;
/** Renews too, but Entra refuses on-behalf-of with consent_required (AADSTS65001). */
let refused: string;

before(async () => {
  ensureTaskpaneBuilt();
  [world, browser] = await Promise.all([startDelegatedWorld(), launchChromium()]);
  [renewing, refused] = [world.mailboxes[1]!, world.mailboxes[3]!];
  // 90 days without the add-in: Entra answers AADSTS700082 to their refresh tokens.
  world.entra.expireRefreshTokens(renewing);
  world.entra.expireRefreshTokens(refused);
  const run = await world.syncNow();
  assert.equal(run.error, null);
  assert.equal(run.failed, world.expectedFor(renewing).length + world.expectedFor(refused).length, 'exactly the two people\'s orders fail');
});

after(async () => {
  for (const page of pages) await page.context().close();
  await browser?.close();
  await world?.close();
});

/** The built taskpane as `mailbox`, signed in with a fresh SSO token, no item selected. */
async function openPaneAs(mailbox: string): Promise<Page> {
  const page = await openTaskpane(browser, `${world.origin}/addin`, { displayLanguage: 'pl-PL', token: world.ssoTokenFor(mailbox), mode: 'none' });
  pages.push(page);
  return page;
}

/** Clicks the banner's button and returns the answer to the POST /api/addin/consent it sends. */
async function clickRenew(page: Page): Promise<{ status: number; body: Record<string, unknown> }> {
  const answer = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/addin/consent');
  await page.getByTestId('consent-banner').getByRole('button', { name: 'Udziel zgody' }).click();
  const response = await answer;
  return { status: response.status(), body: (await response.json()) as Record<string, unknown> };
}

describe('consent banner against the real server in delegated mode', { timeout: 60_000 }, () => {
  it('a person whose refresh token expired renews in the taskpane, and the next sync fills their calendar', async () => {
    const expected = world.expectedFor(renewing);
    assert.ok(expected.length >= 3, `the person has orders to sync (${expected.length})`);
    assert.equal(world.syncedEvents(renewing).length, 0, 'nothing was written without their token');
    assert.equal(world.personState(renewing), 'lapsed', 'their sync is paused');
    const before = (await world.status()).problems.find((p) => p.mailbox === renewing);
    assert.ok(before, '/api/status names the person');
    assert.equal(before.items, expected.length);
    assert.match(before.message, new RegExp(`Synchronizacja kalendarza osoby ${renewing.replace('.', '\\.')} jest wstrzymana`));
    const me = await world.me(renewing);
    assert.equal(me.consent, 'lapsed');

    const page = await openPaneAs(renewing);
    const banner = page.getByTestId('consent-banner');
    await banner.waitFor();
    const text = await banner.innerText();
    assert.match(text, /Synchronizacja Twojego kalendarza jest wstrzymana/);
    assert.ok(me.consentMessage && text.includes(me.consentMessage), `the banner gives the server's sentence: ${text}`);
    await saveScreenshot(page, 'consent-lapsed-banner-pl');

    const renewed = await clickRenew(page);
    assert.equal(renewed.status, 200, JSON.stringify(renewed.body));
    assert.equal(renewed.body.mailbox, renewing);
    await banner.waitFor({ state: 'detached' });
    // The pane read everything again after the renewal: no item is open, so it says to pick one.
    await page.getByText('Wybierz wydarzenie w kalendarzu, aby zobaczyć zlecenie, czynność albo zadanie z Optimy.').waitFor();
    await saveScreenshot(page, 'consent-renewed-pl');
    assert.equal(world.personState(renewing), 'ok', 'their sync resumed');
    assert.equal((await world.me(renewing)).consent, 'ok');

    const run = await world.syncNow();
    assert.equal(run.created, expected.length, 'the run created exactly their events');
    const events = world.syncedEvents(renewing);
    assert.equal(events.length, expected.length);
    for (const want of expected) {
      const got = events.filter((e) => Object.values(e.extendedProperties).includes(want.sourceKey));
      assert.equal(got.length, 1, `one event for ${want.numer}`);
      assert.equal(got[0]!.subject, world.expectedSubject(want.sourceKey));
      assert.equal(got[0]!.startUtc, want.startUtc, `${want.numer} starts when Optima says`);
    }
    const problems = (await world.status()).problems;
    assert.equal(problems.some((p) => p.mailbox === renewing || p.message.includes(renewing)), false, `no problem left for ${renewing}: ${JSON.stringify(problems)}`);
    assert.ok(problems.some((p) => p.mailbox === refused), 'the other paused person is still named');
  });

  it('when Entra answers consent_required, the banner says the renewal failed and stays; the person stays paused', async () => {
    world.entra.revokeConsent(refused);
    const page = await openPaneAs(refused);
    const banner = page.getByTestId('consent-banner');
    await banner.waitFor();

    const answer = await clickRenew(page);
    assert.equal(answer.status, 403);
    const error = answer.body.error as { code: string; message: string };
    assert.equal(error.code, 'consent_required');
    assert.match(error.message, /AADSTS65001/, 'the server quotes Entra\'s code');
    await banner.getByText('Nie udało się odnowić zgody. Spróbuj ponownie albo poproś administratora o zgodę dla organizacji.').waitFor();
    assert.match(await banner.innerText(), /Synchronizacja Twojego kalendarza jest wstrzymana/);
    assert.equal(await banner.getByRole('button', { name: 'Udziel zgody' }).isEnabled(), true, 'the person can try again');
    await saveScreenshot(page, 'consent-required-failed-pl');

    assert.equal(world.personState(refused), 'lapsed');
    assert.equal((await world.me(refused)).consent, 'lapsed');
    const run = await world.syncNow();
    assert.equal(run.error, null);
    assert.equal(world.syncedEvents(refused).length, 0, 'nothing written to their calendar');
    const problem = (await world.status()).problems.find((p) => p.mailbox === refused);
    assert.ok(problem, 'still named in /api/status');
    assert.ok(problem.message.includes(refused), problem.message);
    assert.equal(problem.items, world.expectedFor(refused).length, 'all their orders still fail');
    // The banner is still there after the run: nothing reloaded it away.
    assert.equal(await banner.count(), 1);
  });
});
